/**
 * The pre-deploy gate compared with the base branch (issue 14: the comparator is reused by the gate): the
 * base branch's `plan` report is the baseline of the head's, so a pull request is judged by what it adds.
 * Both sides are CDK apps synthesized with the real aws-cdk-lib.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { App, Stack } from 'aws-cdk-lib'
import type * as cognito from 'aws-cdk-lib/aws-cognito'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'
import { cleanup, compliantApp, synth } from '../sources/cdk/apps.js'

afterAll(cleanup)
const tmp = mkdtempSync(join(tmpdir(), 'plan-delta-'))

/** The compliant app, with its pool's threat protection turned off when `weakened`. */
function app(weakened: boolean) {
  return synth((a: App) => {
    compliantApp(a)
    if (!weakened) return
    const pool = (a.node.findChild('Auth') as Stack).node.findChild('Pool').node.defaultChild as cognito.CfnUserPool
    pool.addPropertyOverride('UserPoolAddOns.AdvancedSecurityMode', 'OFF')
  })
}

describe('plan --baseline: the head judged against the base branch', () => {
  it('a change that weakens the pool: its violation is new, and new-violation fails on it alone', async () => {
    const base = await runCli(['plan', '--cdk-out', app(false), '--json'])
    expect(base.out, base.err).not.toBe('')
    const basePath = join(tmp, 'base.json')
    writeFileSync(basePath, base.out)
    const baseReport = JSON.parse(base.out)
    const baseFailing = baseReport.findings.filter((f: { status: string }) => f.status === 'fail').length

    // Head = base: nothing new, so new-violation passes although the base already fails some requirement.
    const same = await runCli([
      'plan',
      '--cdk-out',
      app(false),
      '--baseline',
      basePath,
      '--fail-on',
      'new-violation',
      '--json',
    ])
    const sameReport = JSON.parse(same.out)
    expect(sameReport.baseline.counts).toMatchObject({ new: 0, resolved: 0, persisting: baseFailing })
    expect(sameReport.verdict).toMatchObject({ newViolations: 0 })
    expect(baseFailing).toBeGreaterThan(0)
    expect(same.code).toBe(0)
    expect(sameReport.verdict).toMatchObject({ compliant: false, failed: false, violations: baseFailing })

    // Head weakens the pool: exactly the threat-protection finding is new.
    const head = await runCli([
      'plan',
      '--cdk-out',
      app(true),
      '--baseline',
      basePath,
      '--fail-on',
      'new-violation',
      '--json',
    ])
    expect(head.code).toBe(1)
    const headReport = JSON.parse(head.out)
    const fresh = headReport.findings.filter((f: { delta?: string }) => f.delta === 'new')
    expect(fresh.map((f: { checkId: string }) => f.checkId)).toEqual(['threat-protection'])
    expect(fresh[0].id).toMatch(/^threat-protection\//)
    expect(headReport.verdict).toMatchObject({ newViolations: 1 })

    // And the other way round: the base's violation resolved by the head.
    const headPath = join(tmp, 'head.json')
    writeFileSync(headPath, head.out)
    const back = await runCli([
      'plan',
      '--cdk-out',
      app(false),
      '--baseline',
      headPath,
      '--json',
      '--out',
      join(tmp, 'back'),
    ])
    const backReport = JSON.parse(back.out)
    expect(backReport.baseline.counts).toMatchObject({ new: 0, resolved: 1 })
    expect(readFileSync(join(tmp, 'back', 'summary.md'), 'utf8')).toMatch(/0 new, 1 resolved/)
  }, 120_000)
})
