import { describe, expect, it } from 'vitest'
import { activityRequirement } from '../../../../src/checks/activity/index.js'
import { activitySection } from '../../../../src/checks/activity/policy.js'
import { highRiskDetections, signInFailureRate, throttledRequests } from '../../../../src/checks/activity/thresholds.js'
import { runCheck } from '../../../../src/checks/index.js'
import type { ActivityRegion } from '../../../../src/model/activity.js'
import type { AccountSnapshot, UserPool } from '../../../../src/model/snapshot.js'
import type { Policy } from '../../../../src/policy/types.js'
import { activityRegion, series, successes } from '../../../support/activity.js'
import { testPolicy } from '../../../support/policy.js'
import { pool, snapshot } from '../../../support/pools.js'

function policy(raw: unknown): Policy {
  return testPolicy({ activity: activitySection.normalize(raw, { regions: ['us-east-1'] }) })
}

function snap(pools: UserPool[], activity: ActivityRegion): AccountSnapshot {
  const s = snapshot({ 'us-east-1': pools })
  s.regions[0]!.activity = activity
  return s
}

/** A pool with `attempts` sign-in attempts, `ok` of them successful, in hour 0 of the window. */
function withSignIns(p: UserPool, attempts: number, ok: number, extra: ReturnType<typeof series>[] = []) {
  return { poolId: p.id, series: [...successes('SignIn', p.id, 'c1', { 0: attempts }, { 0: ok }), ...extra] }
}

describe('activity checks', () => {
  it('registers three checks under the activity requirement', () => {
    expect(activityRequirement.checks.map((c) => c.id)).toEqual([
      'activity-sign-in-failure-rate',
      'activity-throttles',
      'activity-high-risk',
    ])
    expect(activityRequirement.checks.every((c) => c.requirement === 'activity')).toBe(true)
  })

  it('produces no finding without thresholds', () => {
    const p = pool()
    const s = snap([p], activityRegion({ metrics: [withSignIns(p, 100, 10)] }))
    expect(activityRequirement.checks.flatMap((c) => runCheck(c, s, policy({})))).toEqual([])
  })

  it('produces no finding when activity is disabled', () => {
    const p = pool()
    const s = snap([p], activityRegion({ metrics: [withSignIns(p, 100, 10)] }))
    const pol = policy({ enabled: false, thresholds: { 'max-sign-in-failure-rate': 5 } })
    expect(runCheck(signInFailureRate, s, pol)).toEqual([])
  })

  describe('sign-in failure rate', () => {
    const pol = policy({ thresholds: { 'max-sign-in-failure-rate': 25, severity: 'high' } })

    it('fails above the limit with the policy severity, a message and a remediation', () => {
      const p = pool({ name: 'web' })
      const [f] = runCheck(signInFailureRate, snap([p], activityRegion({ metrics: [withSignIns(p, 200, 116)] })), pol)
      expect(f).toMatchObject({ status: 'fail', severity: 'high', poolId: p.id, requirement: 'activity' })
      expect(f!.message).toBe(
        'Sign-in failure rate 42.0% (84 of 200 attempts) in the last 24 h is above the 25% limit.',
      )
      expect(f!.remediation).toContain('aws cloudtrail lookup-events')
      expect(f!.evidence).toMatchObject({ attempts: 200, failures: 84, failureRate: 42 })
    })

    it('passes at or below the limit', () => {
      const p = pool()
      const [f] = runCheck(signInFailureRate, snap([p], activityRegion({ metrics: [withSignIns(p, 100, 75)] })), pol)
      expect(f!.status).toBe('pass')
    })

    it('does not judge fewer attempts than the minimum (3 of 4 failing at night is not a failure)', () => {
      const p = pool()
      const [f] = runCheck(signInFailureRate, snap([p], activityRegion({ metrics: [withSignIns(p, 4, 1)] })), pol)
      expect(f!.status).toBe('pass')
      expect(f!.message).toContain('fewer than the 20')
    })

    it('applies a per-pool override', () => {
      const a = pool({ name: 'batch-1' })
      const b = pool({ name: 'web' })
      const pol2 = policy({
        thresholds: { 'max-sign-in-failure-rate': 25 },
        overrides: [{ pool: 'batch-*', 'max-sign-in-failure-rate': 60 }],
      })
      const fs = runCheck(
        signInFailureRate,
        snap([a, b], activityRegion({ metrics: [withSignIns(a, 100, 50), withSignIns(b, 100, 50)] })),
        pol2,
      )
      expect(fs.map((f) => [f.poolName, f.status])).toEqual([
        ['batch-1', 'pass'],
        ['web', 'fail'],
      ])
    })

    it('is an error, never a pass, when the metrics could not be read', () => {
      const p = pool()
      const act = activityRegion({
        errors: [
          { service: 'cloudwatch', action: 'ListMetrics', code: 'AccessDenied', message: 'no', region: 'us-east-1' },
        ],
      })
      delete act.metrics
      const [f] = runCheck(signInFailureRate, snap([p], act), pol)
      expect(f!.status).toBe('error')
      expect(f!.message).toContain('cloudwatch:ListMetrics')
      expect(f!.severity).toBe('high')
    })

    it('is an error when a series of this pool was refused', () => {
      const p = pool()
      const act = activityRegion({
        metrics: [withSignIns(p, 100, 100)],
        errors: [
          {
            service: 'cloudwatch',
            action: 'GetMetricData',
            code: 'Forbidden',
            message: 'x',
            region: 'us-east-1',
            resource: p.id,
          },
        ],
      })
      expect(runCheck(signInFailureRate, snap([p], act), pol)[0]!.status).toBe('error')
    })
  })

  describe('throttles', () => {
    it('fails above max-throttles, passes at it', () => {
      const p = pool()
      const thr = series('SignInThrottles', 'Sum', { 0: 3 }, { UserPool: p.id, UserPoolClient: 'c1' })
      const s = snap([p], activityRegion({ metrics: [withSignIns(p, 10, 7, [thr])] }))
      expect(runCheck(throttledRequests, s, policy({ thresholds: { 'max-throttles': 2 } }))[0]).toMatchObject({
        status: 'fail',
        message: '3 throttled requests in the last 24 h, above the limit of 2.',
      })
      expect(runCheck(throttledRequests, s, policy({ thresholds: { 'max-throttles': 3 } }))[0]!.status).toBe('pass')
    })
  })

  describe('high-risk detections', () => {
    const pol = policy({ thresholds: { 'fail-on-high-risk': true } })
    const risk = (p: UserPool, level: string, n: number) =>
      series('AccountTakeoverRisk', 'Sum', { 2: n }, { UserPoolId: p.id, Operation: 'SignIn', RiskLevel: level })

    it('fails on any high-level detection', () => {
      const p = pool()
      const [f] = runCheck(
        highRiskDetections,
        snap([p], activityRegion({ metrics: [withSignIns(p, 10, 10, [risk(p, 'High', 1)])] })),
        pol,
      )
      expect(f!.status).toBe('fail')
      expect(f!.remediation).toContain('set-risk-configuration')
    })

    it('passes with only low/medium detections or none', () => {
      const p = pool()
      const s = snap([p], activityRegion({ metrics: [withSignIns(p, 10, 10, [risk(p, 'Medium', 4)])] }))
      expect(runCheck(highRiskDetections, s, pol)[0]!.status).toBe('pass')
    })

    it('warns instead of passing when threat protection is off (no detections can exist)', () => {
      const p = pool({ advancedSecurityMode: 'OFF' })
      const [f] = runCheck(highRiskDetections, snap([p], activityRegion({ metrics: [withSignIns(p, 10, 10)] })), pol)
      expect(f!.status).toBe('warn')
      expect(f!.remediation).toContain('AdvancedSecurityMode')
    })
  })
})

describe('activity thresholds without collected activity', () => {
  it('are unverified (error) for every pool, never a pass', async () => {
    const { snapshot, pool } = await import('../../../support/pools.js')
    const { testPolicy } = await import('../../../support/policy.js')
    const { activitySection } = await import('../../../../src/checks/activity/policy.js')
    const p = pool({ region: 'us-east-1' })
    const s = snapshot({ 'us-east-1': [p] })
    const policy = testPolicy({
      activity: activitySection.normalize(
        { thresholds: { 'max-sign-in-failure-rate': 10 } },
        { regions: ['us-east-1'] },
      ),
    })
    const findings = activityRequirement.checks.flatMap((c) => runCheck(c, s, policy))
    expect(findings.length).toBeGreaterThan(0)
    for (const f of findings) {
      expect(f.status).toBe('error')
      expect(f.remediation).toContain('This data was not collected')
    }
  })
})
