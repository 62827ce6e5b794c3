/**
 * The pre-deploy gate with --live against the sandbox: the plan laid over the live account. An alarm the
 * plan adds for a live pool covers it; a trail outside the plan is judged on the live trail; findings on
 * live objects only are "already in the account" and fail the gate only with fail-on-existing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gate, runAudit } from '../../src/audit.js'
import type { Finding } from '../../src/model/finding.js'
import { CLI_DIALECT, prepareRun } from '../../src/run-options.js'
import { usePipelineSandbox } from './helpers/pipeline.js'
import { itemsOf } from '../support/pools.js'

const silent = { info: () => {}, warn: () => {}, debug: () => {} }
const tmp = mkdtempSync(join(tmpdir(), 'plan-overlay-'))
const write = (name: string, text: string) => {
  const p = join(tmp, name)
  writeFileSync(p, text)
  return p
}

const POLICY = write(
  'policy.yml',
  `version: 1
regions: [us-east-1]
threat-protection: { mode: AUDIT, require-blocking: false }
alarms: { throttles: { enabled: false }, usage: { enabled: false } }
activity: { enabled: false }
`,
)

const alarm = (id: string, metric: string) => `  ${id}:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: planned-${id}
      Namespace: AWS/Cognito
      MetricName: ${metric}
      Dimensions:
        - { Name: UserPoolId, Value: !Ref LivePool }
        - { Name: Operation, Value: SignIn }
        - { Name: RiskLevel, Value: High }
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions: [arn:aws:sns:us-east-1:123456789012:security]
`

const ALARMS_FOR_LIVE_POOL = write(
  'alarms.yml',
  `Parameters:
  LivePool: { Type: String }
Resources:
${alarm('Ato', 'AccountTakeoverRisk')}${alarm('Ccr', 'CompromisedCredentialRisk')}`,
)

const NEW_POOL = write(
  'pool.yml',
  `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: planned-pool
      UserPoolTier: PLUS
      UserPoolAddOns: { AdvancedSecurityMode: AUDIT }
`,
)

describe('plan laid over the live account (--live)', () => {
  const ctx = usePipelineSandbox({
    regions: {
      'us-east-1': {
        pools: [
          { name: 'watched', mode: 'AUDIT' },
          { name: 'bare', mode: 'AUDIT' },
        ],
        trails: [{ name: 'live-trail', 'multi-region': true }],
      },
    },
  })

  async function plan(templates: string[], parameters: string[] = [], failOnExisting = false) {
    const prepared = await prepareRun(
      {
        policyPath: POLICY,
        userPoolIds: [],
        regions: [],
        plan: { templates, parameters, live: true, failOnExisting },
      },
      CLI_DIALECT,
    )
    const result = await runAudit({
      policy: prepared.policy,
      source: prepared.source,
      log: silent,
      ...(prepared.failOnExisting ? { failOnExisting: true } : {}),
    })
    return { result, reason: gate(result, prepared.failOn) }
  }
  const pick = (fs: Finding[], checkId: string, poolId?: string) =>
    fs.filter((f) => f.checkId === checkId && (poolId === undefined || f.poolId === poolId))

  it('an alarm added in the plan for a live pool passes, introduced by the change', async () => {
    const watched = ctx.seeded.pools.watched!
    const { result } = await plan([ALARMS_FOR_LIVE_POOL], [`LivePool=${watched}`])
    const risk = pick(result.findings, 'alarms-risk', watched)
    expect(risk.map((f) => f.status)).toEqual(['pass', 'pass'])
    expect(risk.every((f) => f.origin === 'introduced')).toBe(true)
    expect(risk[0]!.message).toMatch(/planned-Ato|planned-Ccr/)
    // The other live pool has no alarm: already in the account, and it does not fail the gate.
    const bare = pick(result.findings, 'alarms-risk', ctx.seeded.pools.bare!)
    expect(bare.every((f) => f.status === 'fail' && f.origin === 'existing')).toBe(true)
    expect(result.plan).toMatchObject({ live: true, introduced: { fail: 0 }, notInPlan: 0 })
    expect(result.plan!.existing.fail).toBeGreaterThan(0)
  })

  it('fail-on-existing: the live pool without alarms fails the gate', async () => {
    const watched = ctx.seeded.pools.watched!
    const without = await plan([ALARMS_FOR_LIVE_POOL], [`LivePool=${watched}`])
    expect(without.reason).toBeUndefined()
    const withFlag = await plan([ALARMS_FOR_LIVE_POOL], [`LivePool=${watched}`], true)
    expect(withFlag.reason).toMatch(/violation/)
  })

  it('a trail outside the plan is judged by the live trail', async () => {
    const { result } = await plan([NEW_POOL])
    const trail = pick(result.findings, 'cloudtrail-capture')
    expect(trail.map((f) => f.status)).toEqual(['pass'])
    expect(trail[0]!.message).toMatch(/live-trail/)
    expect(trail[0]!.origin).toBe('existing')
    expect(result.findings.some((f) => f.status === 'not-in-plan')).toBe(false)
    const planned = itemsOf(result.snapshot.regions[0]!.cognito.pools).find((p) => p.plan)!
    expect(pick(result.findings, 'threat-protection', planned.id).map((f) => [f.status, f.origin])).toEqual([
      ['pass', 'introduced'],
    ])
  })
})
