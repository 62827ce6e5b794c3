/**
 * Invalid policies: each must stop the run with a message naming the file, line, column, key path
 * and what is allowed. Messages are asserted exactly.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PolicyIssue, type PolicySection } from '../../../src/model/policy-section.js'
import { PolicyError } from '../../../src/policy/errors.js'
import { loadPolicy, parsePolicy } from '../../../src/policy/load.js'
import { POLICY_SECTIONS, type PolicySections } from '../../../src/policy/schema.js'
import { FILE, policyError, policyErrorAsync, problemsOf, yaml } from './helpers.js'

const TOP_KEYS = 'version, regions, pools, threat-protection, alarms, cloudtrail, activity, plan, exemptions, report'

describe('YAML-level problems', () => {
  it('reports a syntax error with its line and column, and nothing else', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1', 'pools: all'))).toEqual([
      `${FILE}:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ])
  })

  it('reports an unterminated quoted string', () => {
    expect(problemsOf(yaml('version: 1', 'regions:', '  - "us-east-1'))).toEqual([
      `${FILE}:4:1: YAML syntax error: Missing closing "quote`,
    ])
  })

  it('reports tabs used as indentation', () => {
    expect(problemsOf(yaml('version: 1', 'threat-protection:', '\tmode: AUDIT'))).toEqual([
      `${FILE}:3:1: YAML syntax error: Tabs are not allowed as indentation`,
    ])
  })

  it('rejects an empty file', () => {
    expect(problemsOf('')).toEqual([
      `${FILE}:1:1: the policy file is empty: it needs at least \`version: 1\` and the \`regions\` or \`pools\` to audit`,
    ])
  })

  it('treats a file of comments only as empty', () => {
    expect(problemsOf(yaml('# nothing here yet', '# still nothing'))[0]).toContain(
      `${FILE}:1:1: the policy file is empty`,
    )
  })

  it('rejects a list at the top level', () => {
    expect(problemsOf(yaml('- version: 1', '- regions: [us-east-1]'))).toEqual([
      `${FILE}:1:1: the top level must be a mapping of keys (${TOP_KEYS}), not a list`,
    ])
  })

  it('rejects a plain value at the top level', () => {
    expect(problemsOf(yaml('us-east-1'))).toEqual([
      `${FILE}:1:1: the top level must be a mapping of keys (${TOP_KEYS}), not a single string`,
    ])
  })

  it('rejects a duplicate top-level key, naming it', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'regions: [eu-west-1]'))).toEqual([
      `${FILE}:3:1: regions: duplicate key "regions": each key may appear once (a later value would silently replace the first)`,
    ])
  })

  it('rejects a duplicate nested key with its full path', () => {
    const text = yaml('version: 1', 'regions: [us-east-1]', 'threat-protection:', '  mode: ENFORCED', '  mode: AUDIT')
    expect(problemsOf(text)).toEqual([
      `${FILE}:5:3: threat-protection.mode: duplicate key "mode": each key may appear once (a later value would silently replace the first)`,
    ])
  })

  it('rejects several YAML documents in one file', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', '---', 'version: 1'))).toEqual([
      `${FILE}:3:1: the policy file must hold one YAML document (remove the second \`---\`)`,
    ])
  })

  it('rejects an alias to an anchor that does not exist', () => {
    expect(problemsOf(yaml('version: 1', 'regions: *mine'))).toEqual([
      `${FILE}:1:1: YAML error: Unresolved alias (the anchor must be set before the alias)`,
    ])
  })
})

describe('top level and version', () => {
  it('requires version', () => {
    expect(problemsOf(yaml('regions: [us-east-1]'))).toEqual([
      `${FILE}:1:1: version: required key is missing: add \`version: 1\` as the first key`,
    ])
  })

  it('rejects version 2', () => {
    expect(problemsOf(yaml('version: 2', 'regions: [us-east-1]'))).toEqual([
      `${FILE}:1:10: version: must be 1 (got 2): this release reads policy format version 1`,
    ])
  })

  it('rejects version as a string', () => {
    expect(problemsOf(yaml('version: "1"', 'regions: [us-east-1]'))).toEqual([
      `${FILE}:1:10: version: must be 1 (got "1"): this release reads policy format version 1`,
    ])
  })

  it('rejects a misspelt top-level key, suggesting the right one and listing the allowed keys', () => {
    const text = yaml('version: 1', 'regions: [us-east-1]', 'threat-protecton:', '  mode: ENFORCED')
    expect(problemsOf(text)).toEqual([
      `${FILE}:3:1: threat-protecton: unknown key (did you mean "threat-protection"?); allowed keys: ${TOP_KEYS}`,
    ])
  })

  it('rejects an unrelated top-level key without a far-fetched suggestion', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'owner: platform-team'))).toEqual([
      `${FILE}:3:1: owner: unknown key; allowed keys: ${TOP_KEYS}`,
    ])
  })

  it('rejects camelCase keys, pointing to the kebab-case spelling', () => {
    const text = yaml('version: 1', 'regions: [us-east-1]', 'threat-protection:', '  requireBlocking: false')
    expect(problemsOf(text)).toEqual([
      `${FILE}:4:3: threat-protection.requireBlocking: unknown key (did you mean "require-blocking"?); ` +
        'allowed keys: mode, require-blocking, risk-levels, custom-auth-mode, overrides',
    ])
  })
})

describe('regions and pools', () => {
  it('rejects an unknown region, naming the closest known one', () => {
    expect(problemsOf(yaml('version: 1', 'regions:', '  - us-east-1', '  - eu-wset-1'))).toEqual([
      `${FILE}:4:5: regions[1]: "eu-wset-1" is not a known AWS Region (did you mean "eu-west-1"?)`,
    ])
  })

  it('rejects an alarm max-threshold below 1 (these metrics count events)', () => {
    expect(
      problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'alarms:', '  risk:', '    max-threshold: 0')),
    ).toEqual([`${FILE}:5:20: alarms.risk.max-threshold: must be >= 1 (got 0)`])
  })

  it('rejects a string where the region list belongs', () => {
    expect(problemsOf(yaml('version: 1', 'regions: us-east-1'))).toEqual([
      `${FILE}:2:10: regions: must be a list (got the string "us-east-1")`,
    ])
  })

  it('rejects a malformed pool id with an example of a good one', () => {
    const text = yaml('version: 1', 'pools:', '  ids:', '    - us-east-1_AbC123', '    - AbC123')
    expect(problemsOf(text)).toEqual([
      `${FILE}:5:7: pools.ids[1]: must look like us-east-1_AbC123 (got the string "AbC123")`,
    ])
  })

  it('rejects a pool id in an unknown region', () => {
    expect(problemsOf(yaml('version: 1', 'pools:', '  ids: [us-esat-1_AbC123]'))).toEqual([
      `${FILE}:3:9: pools.ids[0]: "us-esat-1_AbC123" is in an unknown AWS Region "us-esat-1" (did you mean "us-east-1"?)`,
    ])
  })

  it('rejects a pools value that is neither `all` nor a mapping', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'pools: every'))).toEqual([
      `${FILE}:3:8: pools: must be "all" or a mapping with ids and/or names and/or allow-none (got the string "every")`,
    ])
  })

  it('rejects an unknown key under pools, listing ids and names', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'pools:', '  name: [prod-*]'))).toEqual([
      `${FILE}:4:3: pools.name: unknown key (did you mean "names"?); allowed keys: ids, names, allow-none`,
    ])
  })

  it('rejects pool-name globs without any region to look in', () => {
    expect(problemsOf(yaml('version: 1', 'pools:', '  names: [prod-*]'))).toEqual([
      `${FILE}:3:10: pools.names: pool-name globs are matched in the audited regions, but there are none: ` +
        'add `regions:` (e.g. `regions: [us-east-1]`) or pool ids',
    ])
  })

  it('rejects a policy with neither pools nor regions', () => {
    expect(problemsOf(yaml('version: 1', 'threat-protection:', '  mode: ENFORCED'))).toEqual([
      `${FILE}:1:1: nothing to audit: add \`regions:\` (every pool in them is audited) and/or ` +
        '`pools: { ids: [...] }` (each pool id names its region)',
    ])
  })

  it('rejects an empty region list without pools, pointing at the regions key', () => {
    expect(problemsOf(yaml('version: 1', 'regions: []'))).toEqual([
      `${FILE}:2:1: regions: nothing to audit: add \`regions:\` (every pool in them is audited) and/or ` +
        '`pools: { ids: [...] }` (each pool id names its region)',
    ])
  })

  it('rejects `pools: all` without regions, pointing at the pools key', () => {
    expect(problemsOf(yaml('version: 1', 'regions: []', 'pools: all'))).toEqual([
      `${FILE}:3:1: pools: nothing to audit: add \`regions:\` (every pool in them is audited) and/or ` +
        '`pools: { ids: [...] }` (each pool id names its region)',
    ])
  })
})

describe('threat-protection', () => {
  const base = ['version: 1', 'regions: [us-east-1]', 'threat-protection:']

  it('rejects a mode outside the enum, listing the allowed values', () => {
    expect(problemsOf(yaml(...base, '  require-blocking: true', '  mode: ENFORCE'))).toEqual([
      `${FILE}:5:9: threat-protection.mode: must be one of AUDIT, ENFORCED (got "ENFORCE")`,
    ])
  })

  it('rejects a non-boolean require-blocking', () => {
    expect(problemsOf(yaml(...base, '  require-blocking: sometimes'))).toEqual([
      `${FILE}:4:21: threat-protection.require-blocking: must be true or false (got the string "sometimes")`,
    ])
  })

  it('rejects an empty section value, pointing at its key', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'threat-protection:'))).toEqual([
      `${FILE}:3:1: threat-protection: must be a mapping (got an empty value)`,
    ])
  })

  it('rejects an override without a pool', () => {
    expect(problemsOf(yaml(...base, '  overrides:', '    - mode: ENFORCED'))).toEqual([
      `${FILE}:5:7: threat-protection.overrides[0].pool: required key is missing ` +
        '(a pool id (us-east-1_AbC123) or a pool-name glob (* and ?))',
    ])
  })

  it('rejects an override that sets nothing (reported through the section normaliser)', () => {
    expect(problemsOf(yaml(...base, '  overrides:', '    - pool: legacy-*'))).toEqual([
      `${FILE}:5:7: threat-protection.overrides[0]: override for "legacy-*" sets nothing: add mode, require-blocking, risk-levels or custom-auth-mode`,
    ])
  })

  it('rejects a bad custom-auth-mode in an override', () => {
    expect(problemsOf(yaml(...base, '  overrides:', '    - pool: legacy-*', '      custom-auth-mode: OFF'))).toEqual([
      `${FILE}:6:25: threat-protection.overrides[0].custom-auth-mode: must be one of AUDIT, ENFORCED (got "OFF")`,
    ])
  })
})

describe('exemptions', () => {
  const base = ['version: 1', 'regions: [us-east-1]', 'exemptions:']

  it('requires a reason', () => {
    expect(problemsOf(yaml(...base, '  - pool: us-east-1_AbC123', '    requirement: alarms'))).toEqual([
      `${FILE}:4:5: exemptions[0].reason: required key is missing (why the deviation is accepted; shown in the report)`,
    ])
  })

  it('rejects an empty or blank reason', () => {
    const text = yaml(
      ...base,
      '  - { pool: a, requirement: alarms, reason: "" }',
      '  - { pool: b, requirement: alarms, reason: "   " }',
    )
    expect(problemsOf(text)).toEqual([
      `${FILE}:4:45: exemptions[0].reason: must not be empty`,
      `${FILE}:5:45: exemptions[1].reason: must say why the deviation is accepted (got only spaces)`,
    ])
  })

  it('rejects an expiry that is not a YYYY-MM-DD date', () => {
    const text = yaml(
      ...base,
      '  - { pool: a, requirement: alarms, reason: r, expires: 31/12/2026 }',
      '  - { pool: a, requirement: alarms, reason: r, expires: 2026-02-30 }',
      '  - { pool: a, requirement: alarms, reason: r, expires: 2026-12-31T00:00:00Z }',
    )
    expect(problemsOf(text)).toEqual([
      `${FILE}:4:57: exemptions[0].expires: must be a date written YYYY-MM-DD (got the string "31/12/2026")`,
      `${FILE}:5:57: exemptions[1].expires: must be a date written YYYY-MM-DD (got the string "2026-02-30")`,
      `${FILE}:6:57: exemptions[2].expires: must be a date written YYYY-MM-DD (got the string "2026-12-31T00:00:00Z")`,
    ])
  })

  it('rejects an unknown requirement, listing requirements and check ids and suggesting the closest', () => {
    const [line, ...rest] = problemsOf(yaml(...base, '  - pool: a', '    requirement: cloud-trail', '    reason: r'))
    expect(rest).toEqual([])
    expect(line).toMatch(
      new RegExp(
        `^${FILE.replaceAll('.', '\\.')}:5:18: exemptions\\[0\\]\\.requirement: must be a requirement ` +
          '\\(threat-protection, alarms, cloudtrail, activity\\) or a check id \\(.*threat-protection-enforcement.*\\) ' +
          '\\(got "cloud-trail"\\) \\(did you mean "cloudtrail"\\?\\)$',
      ),
    )
  })

  it('rejects an unknown key in an exemption', () => {
    expect(problemsOf(yaml(...base, '  - { pool: a, requirement: alarms, reason: r, expiry: 2026-01-01 }'))).toEqual([
      `${FILE}:4:48: exemptions[0].expiry: unknown key (did you mean "expires"?); allowed keys: pool, requirement, reason, expires`,
    ])
  })

  it('rejects a mapping where the exemption list belongs', () => {
    expect(problemsOf(yaml(...base, '  pool: a', '  requirement: alarms', '  reason: r'))).toEqual([
      `${FILE}:4:3: exemptions: must be a list (got a mapping)`,
    ])
  })
})

describe('wrong shapes', () => {
  it('rejects list items that are not mappings', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'exemptions:', '  - just-a-string', '  - 5'))).toEqual(
      [
        `${FILE}:4:5: exemptions[0]: must be a mapping (got the string "just-a-string")`,
        `${FILE}:5:5: exemptions[1]: must be a mapping (got 5)`,
      ],
    )
  })

  it('rejects an empty pools value, pointing at its key', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'pools:'))).toEqual([
      `${FILE}:3:1: pools: must be "all" or a mapping with ids and/or names and/or allow-none (got an empty value)`,
    ])
  })

  it('reports positions correctly in a file with a byte-order mark and CRLF line ends', () => {
    const text = '\ufeffversion: 1\r\nregions: [us-east-1]\r\nthreat-protection:\r\n  mode: ENFORCE\r\n'
    expect(problemsOf(text)).toEqual([
      `${FILE}:4:9: threat-protection.mode: must be one of AUDIT, ENFORCED (got "ENFORCE")`,
    ])
  })
})

describe('report', () => {
  it('rejects a non-boolean personal-data', () => {
    expect(problemsOf(yaml('version: 1', 'regions: [us-east-1]', 'report:', '  personal-data: yes'))).toEqual([
      `${FILE}:4:18: report.personal-data: must be true or false (got the string "yes")`,
    ])
  })
})

describe('numbers and semantic rules of other sections (any fragment composes)', () => {
  interface Fake {
    threshold: number
    period: number
  }
  const fakeAlarms: PolicySection<Fake> = {
    key: 'alarms',
    description: 'A stand-in section with numeric limits.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        threshold: { type: 'integer', minimum: 1 },
        period: { type: 'number', exclusiveMinimum: 0 },
        levels: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      },
    },
    normalize(raw) {
      const r = (raw ?? {}) as Partial<Fake>
      if ((r.threshold ?? 1) > 100) throw new PolicyIssue(['threshold'], 'must not exceed 100 alarms')
      return { threshold: r.threshold ?? 1, period: r.period ?? 60 }
    },
  }
  const sections = { ...POLICY_SECTIONS, alarms: fakeAlarms } as unknown as PolicySections
  const base = ['version: 1', 'regions: [us-east-1]', 'alarms:']

  it('rejects zero and negative numbers where the section forbids them', () => {
    expect(problemsOf(yaml(...base, '  threshold: 0', '  period: -5'), {}, sections)).toEqual([
      `${FILE}:4:14: alarms.threshold: must be >= 1 (got 0)`,
      `${FILE}:5:11: alarms.period: must be > 0 (got -5)`,
    ])
  })

  it('rejects a fraction where a whole number is required', () => {
    expect(problemsOf(yaml(...base, '  threshold: 1.5'), {}, sections)).toEqual([
      `${FILE}:4:14: alarms.threshold: must be a whole number (got 1.5)`,
    ])
  })

  it('rejects repeated list items', () => {
    expect(problemsOf(yaml(...base, '  levels: [High, High]'), {}, sections)).toEqual([
      `${FILE}:4:11: alarms.levels: must not repeat an item (items 0 and 1 are the same)`,
    ])
  })

  it("reports a section's PolicyIssue at its key, prefixing the section key to a relative path", () => {
    expect(problemsOf(yaml(...base, '  threshold: 500'), {}, sections)).toEqual([
      `${FILE}:4:14: alarms.threshold: must not exceed 100 alarms`,
    ])
  })

  it('does not call a section normaliser on input the schema rejected', () => {
    let called = false
    const watching = {
      ...sections,
      alarms: {
        ...fakeAlarms,
        normalize: (raw: unknown) => {
          called = true
          return fakeAlarms.normalize(raw, { regions: [] })
        },
      },
    } as unknown as PolicySections
    problemsOf(yaml(...base, '  threshold: zero'), {}, watching)
    expect(called).toBe(false)
  })

  it('rethrows an error from a normaliser that is not a PolicyIssue (a bug, not a policy problem)', () => {
    const broken = {
      ...POLICY_SECTIONS,
      alarms: {
        ...fakeAlarms,
        normalize: () => {
          throw new TypeError('boom')
        },
      },
    } as unknown as PolicySections
    expect(() => parsePolicy(yaml('version: 1', 'regions: [us-east-1]'), FILE, {}, broken)).toThrow(TypeError)
  })
})

describe('collecting every problem', () => {
  it('reports all problems of a file in one error, sorted by line', () => {
    const text = yaml(
      'version: 1',
      'exemptions:',
      '  - { pool: a, requirement: alarms }',
      'regions: [us-east-1, mars-north-1]',
      'threat-protection:',
      '  mode: STRICT',
      'repot: {}',
    )
    const err = policyError(() => parsePolicy(text, FILE))
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [3, 'exemptions[0].reason'],
      [4, 'regions[1]'],
      [6, 'threat-protection.mode'],
      [7, 'repot'],
    ])
    expect(err.message.split('\n')).toHaveLength(4)
    expect(err.message).toContain(`${FILE}:7:1: repot: unknown key (did you mean "report"?)`)
    expect(err.message).not.toContain('    at ')
  })

  it('carries structured problems (source, line, column, path, message)', () => {
    const err = policyError(() => parsePolicy(yaml('version: 1', 'regions: [us-east-1]', 'pools: none'), 'p.yml'))
    expect(err.name).toBe('PolicyError')
    expect(err.problems).toEqual([
      {
        source: 'p.yml',
        line: 3,
        column: 8,
        path: 'pools',
        message: 'must be "all" or a mapping with ids and/or names and/or allow-none (got the string "none")',
      },
    ])
  })
})

describe('inputs', () => {
  it('rejects a malformed user-pool-ids input together with file problems', () => {
    const lines = problemsOf(yaml('version: 1', 'regions: [us-east-1]'), {
      userPoolIds: ['my-pool'],
      regions: ['us-east-7'],
    })
    expect(lines).toEqual(
      [
        `${FILE}: user-pool-ids: "my-pool" is not a user pool id: it must look like us-east-1_AbC123`,
        `${FILE}: regions: "us-east-7" is not a known AWS Region (did you mean "us-east-1"?)`,
      ].map((l) => l.replace(FILE, 'inputs')),
    )
  })
})

describe('loadPolicy: files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policy-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('rejects an explicit path that does not exist, naming it, even when inputs are given', async () => {
    const path = join(dir, 'policies/prod.yml')
    const err = await policyErrorAsync(() => loadPolicy({ path, regions: ['us-east-1'] }))
    expect(err.message).toBe(`${path}: policy file not found (relative paths are resolved from the working directory)`)
  })

  it('rejects an explicit path that is a directory', async () => {
    const path = join(dir, 'policies')
    await mkdir(path)
    const err = await policyErrorAsync(() => loadPolicy({ path }))
    expect(err.message).toBe(`${path}: is a directory, not a policy file`)
  })

  it('without a default file and without inputs, explains both options', async () => {
    const defaultPath = join(dir, FILE)
    const err = await policyErrorAsync(() => loadPolicy({ defaultPath, userPoolIds: [], regions: [] }))
    expect(err.message).toBe(
      `${defaultPath}: no policy file here and no user pools or regions given: add this policy ` +
        'file, point the `policy` input (CLI: --policy) at one, or set `user-pool-ids` and/or `regions` ' +
        '(CLI: --region) to audit those pools or every pool in those regions with the default requirements',
    )
  })

  it('names the file in problems of the default policy file', async () => {
    const defaultPath = join(dir, FILE)
    await mkdir(join(dir, '.github'))
    await writeFile(defaultPath, yaml('version: 1', 'regions: [us-east-1]', 'threat-protection: { mode: ENFORCE }'))
    const err = await policyErrorAsync(() => loadPolicy({ defaultPath }))
    expect(err).toBeInstanceOf(PolicyError)
    expect(err.message).toBe(
      `${defaultPath}:3:28: threat-protection.mode: must be one of AUDIT, ENFORCED (got "ENFORCE")`,
    )
  })

  it('rejects bad inputs when there is no file', async () => {
    const err = await policyErrorAsync(() =>
      loadPolicy({ defaultPath: join(dir, FILE), userPoolIds: ['us-east-1_ok1', 'nope'] }),
    )
    expect(err.message).toBe('inputs: user-pool-ids: "nope" is not a user pool id: it must look like us-east-1_AbC123')
  })
})
