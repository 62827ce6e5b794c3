/** Valid policies: defaults filled, every key mapped, inputs-only and inputs overriding a file. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadPolicy, parsePolicy } from '../../../src/policy/load.js'
import { POLICY_SECTIONS } from '../../../src/policy/schema.js'
import type { Policy } from '../../../src/policy/types.js'
import { FILE, yaml } from './helpers.js'

/** What the other sections normalise to with nothing given (their defaults belong to their owners). */
function otherDefaults(regions: string[]): Pick<Policy, 'alarms' | 'cloudtrail' | 'activity'> {
  const ctx = { regions }
  return {
    alarms: POLICY_SECTIONS.alarms.normalize(undefined, ctx),
    cloudtrail: POLICY_SECTIONS.cloudtrail.normalize(undefined, ctx),
    activity: POLICY_SECTIONS.activity.normalize(undefined, ctx),
  }
}

describe('parsePolicy: valid files', () => {
  it('fills every default for a minimal policy (regions only = every pool in them)', () => {
    const policy = parsePolicy(yaml('version: 1', 'regions: [us-east-1, eu-west-1, us-east-1]'), FILE)
    expect(policy).toEqual({
      source: FILE,
      regions: ['eu-west-1', 'us-east-1'],
      pools: { ids: [], names: [], all: true },
      threatProtection: { mode: 'AUDIT', requireBlocking: true, riskLevels: ['High'], overrides: [] },
      ...otherDefaults(['eu-west-1', 'us-east-1']),
      plan: { outsidePlan: 'error' },
      exemptions: [],
      report: { personalData: false },
    })
    expect(policy.threatProtection).not.toHaveProperty('customAuthMode')
  })

  it('accepts `pools: all` and an empty pools mapping as every pool', () => {
    for (const pools of ['pools: all', 'pools: {}', 'pools: { ids: [], names: [] }']) {
      const policy = parsePolicy(yaml('version: 1', 'regions: [us-west-2]', pools), FILE)
      expect(policy.pools).toEqual({ ids: [], names: [], all: true })
    }
  })

  it('derives regions from pool ids, merged with the listed ones, sorted and unique', () => {
    const text = yaml(
      'version: 1',
      'regions: [us-east-1]',
      'pools:',
      '  ids: [eu-central-1_Xyz9, us-east-1_AbC123, ap-southeast-7_T1, eu-central-1_Xyz9]',
    )
    const policy = parsePolicy(text, FILE)
    expect(policy.regions).toEqual(['ap-southeast-7', 'eu-central-1', 'us-east-1'])
    expect(policy.pools).toEqual({
      ids: ['eu-central-1_Xyz9', 'us-east-1_AbC123', 'ap-southeast-7_T1'],
      names: [],
      all: false,
    })
  })

  it('needs no regions when pool ids name them', () => {
    const policy = parsePolicy(yaml('version: 1', 'pools:', '  ids: [mx-central-1_Q1, us-gov-west-1_G1]'), FILE)
    expect(policy.regions).toEqual(['mx-central-1', 'us-gov-west-1'])
  })

  it('matches name globs in the regions of pool ids when no regions are listed', () => {
    const policy = parsePolicy(yaml('version: 1', 'pools:', '  ids: [cn-north-1_A1]', '  names: [prod-*]'), FILE)
    expect(policy.regions).toEqual(['cn-north-1'])
    expect(policy.pools).toEqual({ ids: ['cn-north-1_A1'], names: ['prod-*'], all: false })
  })

  it('maps every key of a full policy to the typed policy', () => {
    const text = yaml(
      'version: 1',
      'regions: [eu-west-1]',
      'pools:',
      '  ids: [us-east-1_AbC123]',
      '  names: [prod-*, "staging-??"]',
      'threat-protection:',
      '  mode: ENFORCED',
      '  require-blocking: false',
      '  custom-auth-mode: ENFORCED',
      '  overrides:',
      '    - pool: legacy-*',
      '      mode: AUDIT',
      '    - pool: us-east-1_AbC123',
      '      require-blocking: true',
      '      custom-auth-mode: AUDIT',
      'exemptions:',
      '  - pool: legacy-*',
      '    requirement: threat-protection',
      '    reason: "  Migrating off the legacy stack  "',
      '    expires: 2026-12-31',
      '  - pool: "*"',
      '    requirement: threat-protection-enforcement',
      '    reason: Pilot',
      'report:',
      '  personal-data: true',
    )
    const policy = parsePolicy(text, FILE)
    expect(policy).toEqual({
      source: FILE,
      regions: ['eu-west-1', 'us-east-1'],
      pools: { ids: ['us-east-1_AbC123'], names: ['prod-*', 'staging-??'], all: false },
      threatProtection: {
        mode: 'ENFORCED',
        requireBlocking: false,
        riskLevels: ['High'],
        customAuthMode: 'ENFORCED',
        overrides: [
          { pool: 'legacy-*', mode: 'AUDIT' },
          { pool: 'us-east-1_AbC123', requireBlocking: true, customAuthMode: 'AUDIT' },
        ],
      },
      ...otherDefaults(['eu-west-1', 'us-east-1']),
      plan: { outsidePlan: 'error' },
      exemptions: [
        {
          pool: 'legacy-*',
          requirement: 'threat-protection',
          reason: 'Migrating off the legacy stack',
          expires: '2026-12-31',
        },
        { pool: '*', requirement: 'threat-protection-enforcement', reason: 'Pilot' },
      ],
      report: { personalData: true },
    })
    expect(policy.exemptions[1]).not.toHaveProperty('expires')
  })

  it('passes the audited regions to section normalisers', () => {
    const seen: string[][] = []
    const sections = {
      ...POLICY_SECTIONS,
      cloudtrail: {
        ...POLICY_SECTIONS.cloudtrail,
        normalize: (raw: unknown, ctx: { regions: string[] }) => {
          seen.push(ctx.regions)
          return POLICY_SECTIONS.cloudtrail.normalize(raw, ctx)
        },
      },
    }
    parsePolicy(yaml('version: 1', 'regions: [us-west-2]', 'pools: { ids: [us-east-2_P1] }'), FILE, {}, sections)
    expect(seen).toEqual([['us-east-2', 'us-west-2']])
  })

  it('accepts a YAML anchor and alias', () => {
    const text = yaml('version: 1', 'regions: &r [us-east-1]', 'pools:', '  ids: [us-east-1_A1]')
    expect(parsePolicy(text, FILE).regions).toEqual(['us-east-1'])
  })
})

describe('inputs with a file', () => {
  const file = yaml(
    'version: 1',
    'regions: [eu-west-1]',
    'pools:',
    '  ids: [eu-west-1_File1]',
    '  names: [prod-*]',
    'threat-protection: { mode: ENFORCED }',
  )

  it('user-pool-ids replace the file pool ids (names stay), regions follow the new ids', () => {
    const policy = parsePolicy(file, FILE, { userPoolIds: ['us-east-1_In1'] })
    expect(policy.pools).toEqual({ ids: ['us-east-1_In1'], names: ['prod-*'], all: false })
    expect(policy.regions).toEqual(['eu-west-1', 'us-east-1'])
    expect(policy.threatProtection.mode).toBe('ENFORCED')
    expect(policy.source).toBe(FILE)
  })

  it('regions replace the file regions', () => {
    const policy = parsePolicy(file, FILE, { regions: ['ap-south-1'] })
    expect(policy.regions).toEqual(['ap-south-1', 'eu-west-1'])
    expect(policy.pools.ids).toEqual(['eu-west-1_File1'])
  })

  it('empty inputs leave the file alone', () => {
    const policy = parsePolicy(file, FILE, { userPoolIds: [], regions: [] })
    expect(policy.regions).toEqual(['eu-west-1'])
    expect(policy.pools.ids).toEqual(['eu-west-1_File1'])
  })

  it('inputs can supply the regions a file without any needs', () => {
    const policy = parsePolicy(yaml('version: 1'), FILE, { regions: ['us-east-1'] })
    expect(policy.regions).toEqual(['us-east-1'])
    expect(policy.pools.all).toBe(true)
  })
})

describe('loadPolicy', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policy-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads an explicit policy file', async () => {
    const path = join(dir, 'p.yml')
    await writeFile(path, yaml('version: 1', 'regions: [us-east-1]', 'threat-protection: { mode: ENFORCED }'))
    const policy = await loadPolicy({ path })
    expect(policy.source).toBe(path)
    expect(policy.threatProtection.mode).toBe('ENFORCED')
  })

  it('reads the default file when no path is given, and applies inputs over it', async () => {
    const defaultPath = join(dir, FILE)
    await mkdir(join(dir, '.github'))
    await writeFile(defaultPath, yaml('version: 1', 'regions: [us-east-1]', 'report: { personal-data: true }'))
    const policy = await loadPolicy({ defaultPath, regions: ['eu-north-1'] })
    expect(policy.source).toBe(defaultPath)
    expect(policy.regions).toEqual(['eu-north-1'])
    expect(policy.report.personalData).toBe(true)
  })

  it('an empty path counts as not given', async () => {
    const policy = await loadPolicy({ path: '  ', defaultPath: join(dir, 'none.yml'), regions: ['us-east-1'] })
    expect(policy.source).toBe('inputs')
  })

  it('builds the policy from inputs alone when the default file is missing', async () => {
    const policy = await loadPolicy({
      defaultPath: join(dir, FILE),
      userPoolIds: ['us-east-1_AbC123', 'eu-west-2_Zz9', 'us-east-1_AbC123'],
      regions: ['ca-west-1'],
    })
    expect(policy).toEqual({
      source: 'inputs',
      regions: ['ca-west-1', 'eu-west-2', 'us-east-1'],
      pools: { ids: ['us-east-1_AbC123', 'eu-west-2_Zz9'], names: [], all: false },
      threatProtection: { mode: 'AUDIT', requireBlocking: true, riskLevels: ['High'], overrides: [] },
      ...otherDefaults(['ca-west-1', 'eu-west-2', 'us-east-1']),
      plan: { outsidePlan: 'error' },
      exemptions: [],
      report: { personalData: false },
    })
  })

  it('regions alone from inputs audit every pool in them', async () => {
    const policy = await loadPolicy({ defaultPath: join(dir, FILE), regions: ['us-east-1'] })
    expect(policy.pools).toEqual({ ids: [], names: [], all: true })
    expect(policy.regions).toEqual(['us-east-1'])
  })
})
