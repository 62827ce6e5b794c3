import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../../src/checks/index.js'
import type { AccountSnapshot } from '../../../src/model/snapshot.js'
import { type AnnotationPlace, type AnnotationProps, annotate, MAX_PER_KIND } from '../../../src/report/annotations.js'
import { loadCloudFormation } from '../../../src/sources/cloudformation/index.js'
import { loadTerraformPlan } from '../../../src/sources/terraform/index.js'
import { testPolicy } from '../../support/policy.js'
import { finding, snapshotOf } from '../../support/result.js'

function recorder() {
  const calls: Array<{ kind: string; message: string; title: string }> = []
  const rec = (kind: string) => (message: string, p: { title: string }) => calls.push({ kind, message, title: p.title })
  return { calls, out: { error: rec('error'), warning: rec('warning'), notice: rec('notice') } }
}

describe('annotations', () => {
  it('one error per violation, worst severity first, at most 10, then a notice counting the rest', () => {
    const fails = Array.from({ length: 13 }, (_, i) =>
      finding({ status: 'fail', poolId: `us-east-1_${i}`, severity: i === 12 ? 'critical' : 'low', message: `m${i}` }),
    )
    const { calls, out } = recorder()
    annotate(fails, out)
    const errors = calls.filter((c) => c.kind === 'error')
    expect(errors).toHaveLength(MAX_PER_KIND)
    expect(errors[0]?.message).toBe('m12')
    expect(calls.filter((c) => c.kind === 'notice')).toEqual([
      {
        kind: 'notice',
        message: '3 more findings are listed in the job summary and the JSON report.',
        title: 'Cognito compliance',
      },
    ])
  })

  it('follow the gate: fail-on never gives no error; an unverifiable requirement that fails the build is an error', () => {
    const fs = [
      finding({ status: 'fail', message: 'violated' }),
      finding({ status: 'error', message: 'denied' }),
      finding({ status: 'warn', message: 'advice' }),
    ]
    const kinds = (failOn: 'violation' | 'error' | 'never') => {
      const { calls, out } = recorder()
      annotate(fs, out, failOn)
      return calls.map((c) => `${c.kind}: ${c.message}`)
    }
    expect(kinds('violation')).toEqual(['error: violated', 'error: denied', 'warning: Advisory: advice'])
    expect(kinds('error')).toEqual(['error: denied', 'warning: violated', 'warning: Advisory: advice'])
    expect(kinds('never')).toEqual(['warning: violated', 'warning: denied', 'warning: Advisory: advice'])
  })

  it('under fail-on never, unverifiable and advisory findings are warnings; passes and exemptions are silent', () => {
    const { calls, out } = recorder()
    annotate(
      [
        finding({ status: 'error', poolName: 'p', message: 'denied' }),
        finding({ status: 'warn', region: 'eu-west-1', checkId: 'cloudtrail-capture', message: 'no KMS' }),
        finding({ status: 'pass' }),
        finding({ status: 'exempt' }),
      ],
      out,
      'never',
    )
    expect(calls).toEqual([
      { kind: 'warning', message: 'denied', title: 'threat-protection: p' },
      { kind: 'warning', message: 'Advisory: no KMS', title: 'cloudtrail-capture: eu-west-1' },
    ])
  })

  it('under fail-on new-violation only the violations the baseline does not hold are errors', () => {
    const old = finding({ status: 'fail', poolId: 'us-east-1_Old', message: 'old' })
    const fresh = finding({ status: 'fail', poolId: 'us-east-1_New', message: 'fresh' })
    const unverified = finding({ status: 'error', poolId: 'us-east-1_Err', message: 'unverified' })
    const { calls, out } = recorder()
    annotate([old, fresh, unverified], out, 'new-violation', (f) => f === fresh)
    expect(calls.map((c) => `${c.kind}: ${c.message}`)).toEqual(['error: fresh', 'error: unverified', 'warning: old'])
    // without a baseline every violation is new
    const all = recorder()
    annotate([old, fresh], all.out, 'new-violation')
    expect(all.calls.map((c) => c.kind)).toEqual(['error', 'error'])
  })
})

const REGION = 'eu-west-1'
const TEMPLATE = `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolTier: PLUS
      UserPoolAddOns:
        AdvancedSecurityMode: AUDIT
`

function placed() {
  const calls: Array<{ kind: string; message: string } & AnnotationProps> = []
  const rec = (kind: string) => (message: string, p: AnnotationProps) => calls.push({ kind, message, ...p })
  return { calls, out: { error: rec('error'), warning: rec('warning'), notice: rec('notice') } }
}

async function plannedFindings(load: (root: string) => Promise<AccountSnapshot>) {
  const root = mkdtempSync(join(tmpdir(), 'annotations-'))
  const snapshot = await load(root)
  const policy = testPolicy({ regions: [REGION], threatProtection: { mode: 'ENFORCED' } })
  return { root, snapshot, findings: evaluate(snapshot, policy, '2026-12-07') }
}

describe('annotations of planned findings', () => {
  it('pin a planned finding to its template file and line, relative to the repository root', async () => {
    const { root, snapshot, findings } = await plannedFindings(async (root) => {
      mkdirSync(join(root, 'infra'))
      const file = join(root, 'infra', 'auth.yml')
      writeFileSync(file, TEMPLATE)
      return loadCloudFormation({ files: [file], region: REGION, root })
    })
    const { calls, out } = placed()
    annotate(findings, out, 'violation', undefined, { snapshot, root })
    const tp = calls.find((c) => c.title.startsWith('threat-protection:'))!
    expect(tp).toMatchObject({ kind: 'error', file: 'infra/auth.yml', startLine: 2 })
    expect(tp.message).not.toMatch(/planned:/)
    // Without the place (a live audit), no file: as before.
    const live = placed()
    annotate(findings, live.out)
    expect(live.calls.find((c) => c.title.startsWith('threat-protection:'))!.file).toBeUndefined()
  })

  it('a file outside the repository root is not pinned; the message names where it is instead', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'repo-'))
    const { snapshot, findings } = await plannedFindings(async (root) => {
      const file = join(root, 'auth.yml')
      writeFileSync(file, TEMPLATE)
      return loadCloudFormation({ files: [file], region: REGION, root: repo })
    })
    const { calls, out } = placed()
    annotate(findings, out, 'violation', undefined, { snapshot, root: repo })
    const tp = calls.find((c) => c.title.startsWith('threat-protection:'))!
    expect(tp.file).toBeUndefined()
    expect(tp.message).toMatch(/\(planned: \/.*\/auth\.yml:2\)$/)
  })

  it('a Terraform plan read with its .tf files points at the block; without them the message names the address', async () => {
    const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'plan', 'terraform')
    const root = join(import.meta.dirname, '..', '..', '..')
    const policy = testPolicy({ regions: ['us-east-1', REGION], threatProtection: { mode: 'ENFORCED' } })
    const withTf = await loadTerraformPlan({ file: join(fixtures, 'plan.json'), root })
    const { calls, out } = placed()
    annotate(evaluate(withTf, policy, '2026-12-07'), out, 'violation', undefined, { snapshot: withTf, root })
    const pinned = calls.filter((c) => c.file !== undefined)
    expect(pinned.length).toBeGreaterThan(0)
    for (const c of pinned) {
      expect(c.file).toMatch(/^test\/fixtures\/plan\/terraform\/.*\.tf$/)
      expect(c.startLine).toBeGreaterThan(0)
    }

    const bare = await loadTerraformPlan({
      file: join(fixtures, 'plan.json'),
      root,
      tfDir: mkdtempSync(join(tmpdir(), 'no-tf-')),
    })
    const b = placed()
    annotate(evaluate(bare, policy, '2026-12-07'), b.out, 'violation', undefined, { snapshot: bare, root })
    expect(b.calls.filter((c) => c.file !== undefined)).toEqual([])
    expect(
      b.calls.some((c) =>
        /\(planned: test\/fixtures\/plan\/terraform\/plan\.json \(aws_cognito_user_pool\.[^)]+\)\)$/.test(c.message),
      ),
    ).toBe(true)
  })

  it('follow the plan gate: existing findings are errors only with fail-on-existing, not-in-plan only under outside-plan: error', () => {
    const fs = [
      finding({ status: 'fail', origin: 'existing', message: 'old' }),
      finding({ status: 'fail', origin: 'introduced', message: 'new' }),
      finding({ status: 'not-in-plan', checkId: 'cloudtrail-capture', message: 'Not in this plan: a trail' }),
    ]
    const kinds = (plan: AnnotationPlace['plan'], failOn: 'violation' | 'never' = 'violation') => {
      const { calls, out } = placed()
      annotate(fs, out, failOn, undefined, { snapshot: snapshotOf([]), root: '/', ...(plan ? { plan } : {}) })
      return calls.map((c) => `${c.kind}: ${c.message}`)
    }
    expect(kinds({ outsidePlan: 'error', failOnExisting: false })).toEqual([
      'error: new',
      'error: Not in this plan: a trail',
      'warning: old',
    ])
    expect(kinds({ outsidePlan: 'ignore', failOnExisting: true })).toEqual([
      'error: old',
      'error: new',
      'warning: Not in this plan: a trail',
    ])
    expect(kinds({ outsidePlan: 'error', failOnExisting: true }, 'never').every((k) => k.startsWith('warning'))).toBe(
      true,
    )
  })
})
