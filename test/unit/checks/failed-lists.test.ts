/**
 * A list that failed to load is not an empty list: for every check whose subjects come from a list of the
 * snapshot (a region's pools, a pool's app clients and their risk configurations, the region's alarms and
 * metric lists, its trails), a `failed` list makes the requirement `error` for those subjects, naming the
 * IAM permission of the failed call, never a pass (and never nothing, which reads as "none to judge").
 * The failed lists here carry their error only in the listing, not in any `errors` array: the checks must
 * learn of the failure from the list itself.
 */
import { describe, expect, it } from 'vitest'
import { activitySection } from '../../../src/checks/activity/policy.js'
import { highRiskDetections, signInFailureRate, throttledRequests } from '../../../src/checks/activity/thresholds.js'
import { alarmsRisk, alarmsThrottles, alarmsUsage } from '../../../src/checks/alarms/checks.js'
import { cloudTrailCapture } from '../../../src/checks/cloudtrail/capture.js'
import { cloudTrailSection } from '../../../src/checks/cloudtrail/policy.js'
import { evaluate, runCheck } from '../../../src/checks/index.js'
import { poolExists } from '../../../src/checks/pools/exists.js'
import { threatProtectionEnforcement } from '../../../src/checks/threat-protection/enforcement.js'
import { threatProtection } from '../../../src/checks/threat-protection/mode.js'
import type { TrailRecord } from '../../../src/model/cloudtrail.js'
import type { Finding } from '../../../src/model/finding.js'
import { type AccountSnapshot, type AwsError, failedListing, loaded } from '../../../src/model/snapshot.js'
import type { Policy } from '../../../src/policy/types.js'
import { alarm, policy as alarmsPolicy, series, snap } from '../../support/alarms.js'
import { testPolicy } from '../../support/policy.js'
import { allowAllRisk, awsError, pool, snapshot } from '../../support/pools.js'

const deniedPools = awsError('ListUserPools')
const deniedClients = awsError('ListUserPoolClients', { resource: 'us-east-1_P' })
const cw = (action: string, resource?: string): AwsError => ({
  service: 'cloudwatch',
  action,
  code: 'AccessDeniedException',
  message: `not authorized to perform cloudwatch:${action}`,
  region: 'us-east-1',
  ...(resource ? { resource } : {}),
})

/** A region whose pools could not be listed, with its alarms and trails read (as a saved snapshot may hold). */
function unlisted(): AccountSnapshot {
  const s = snapshot({ 'us-east-1': { pools: failedListing(deniedPools), errors: [deniedPools] } })
  s.regions[0]!.alarms = {
    metricAlarms: loaded([]),
    compositeAlarms: loaded([]),
    cognitoMetrics: loaded([]),
    usageMetrics: loaded([]),
    errors: [],
  }
  s.regions[0]!.cloudtrail = { trails: loaded([]), otherRegionTrails: [], errors: [] }
  return s
}

const allAlarms = alarmsPolicy({ risk: { enabled: true }, throttles: { enabled: true }, usage: { enabled: true } })
const cloudtrailOn = testPolicy({ cloudtrail: cloudTrailSection.normalize({}, { regions: ['us-east-1'] }) })
const activityOn = (thresholds: Record<string, unknown>): Policy =>
  testPolicy({ activity: activitySection.normalize({ thresholds }, { regions: ['us-east-1'] }) })

function onlyError(findings: Finding[], permission: string): void {
  expect(findings.length).toBeGreaterThan(0)
  for (const f of findings) {
    expect(f.status).toBe('error')
    expect(f.message).toContain(permission)
  }
}

describe('a region whose pools could not be listed: every check is error there, naming the permission', () => {
  it('threat protection', () => {
    onlyError(runCheck(threatProtection, unlisted(), testPolicy()), 'cognito-idp:ListUserPools')
  })
  it('risk, throttle and usage alarms', () => {
    for (const check of [alarmsRisk, alarmsThrottles, alarmsUsage])
      onlyError(runCheck(check, unlisted(), allAlarms), 'cognito-idp:ListUserPools')
  })
  it('CloudTrail', () => {
    onlyError(runCheck(cloudTrailCapture, unlisted(), cloudtrailOn), 'cognito-idp:ListUserPools')
  })
  it('activity thresholds the policy sets', () => {
    const pol = activityOn({ 'max-sign-in-failure-rate': 5, 'max-throttles': 10, 'fail-on-high-risk': true })
    for (const check of [signInFailureRate, throttledRequests, highRiskDetections])
      onlyError(runCheck(check, unlisted(), pol), 'cognito-idp:ListUserPools')
    // A threshold the policy does not set owes nothing.
    expect(runCheck(throttledRequests, unlisted(), activityOn({ 'max-sign-in-failure-rate': 5 }))).toEqual([])
  })
  it('the audit is not "nothing audited" and never compliant', () => {
    // The listing error is the region's (pool-exists reports it), not an empty account.
    const noErrors = snapshot({ 'us-east-1': { pools: failedListing(deniedPools) } })
    expect(runCheck(poolExists, noErrors, testPolicy()).map((f) => f.evidence?.kind)).not.toContain('none')
    const all = evaluate(unlisted(), { ...allAlarms, cloudtrail: cloudtrailOn.cloudtrail }, '2026-12-07')
    expect(all.some((f) => f.status === 'pass')).toBe(false)
    expect(all.some((f) => f.status === 'error')).toBe(true)
  })
})

describe('a pool whose app clients could not be listed', () => {
  const p = () => pool({ id: 'us-east-1_P', clients: failedListing(deniedClients) })
  // An alarm on the pool's throttles without a client: it would cover "any app client (the pool has none)".
  const poolSeries = series('SignInThrottles', { UserPool: 'us-east-1_P' })
  const poolLevel = alarm('t-any', poolSeries)

  it('throttle alarms: error naming cognito-idp:ListUserPoolClients, not a pass for "the pool has none"', () => {
    const fs = runCheck(
      alarmsThrottles,
      snap([p()], { metricAlarms: [poolLevel], cognitoMetrics: [poolSeries] }),
      alarmsPolicy({ throttles: { enabled: true } }),
    )
    // The same alarm on a pool listed with no app client passes: the failed list made the difference.
    const none = pool({ id: 'us-east-1_P', clients: [] })
    expect(
      runCheck(
        alarmsThrottles,
        snap([none], { metricAlarms: [poolLevel], cognitoMetrics: [poolSeries] }),
        alarmsPolicy({ throttles: { enabled: true } }),
      ).map((f) => f.status),
    ).toContain('pass')
    onlyError(fs, 'cognito-idp:ListUserPoolClients')
    expect(fs.every((f) => f.poolId === 'us-east-1_P')).toBe(true)
  })

  it('throttle alarms for the app clients the policy names do not need the listing', () => {
    const named = alarm('t-web', series('SignInThrottles', { UserPool: 'us-east-1_P', UserPoolClient: 'web' }))
    const [f] = runCheck(
      alarmsThrottles,
      snap([p()], { metricAlarms: [named] }),
      alarmsPolicy({ throttles: { enabled: true, 'app-clients': ['web'], metrics: ['SignInThrottles'] } }),
    )
    expect(f?.status).toBe('pass')
  })

  it('enforcement: error naming the permission, and a pool level that does not block fails (any client may inherit it)', () => {
    const good = runCheck(threatProtectionEnforcement, snapshot({ 'us-east-1': [p()] }), testPolicy())
    expect(good.map((f) => f.status).sort()).toEqual(['error', 'pass'])
    expect(good.find((f) => f.status === 'error')?.message).toContain('cognito-idp:ListUserPoolClients')
    const bad = runCheck(
      threatProtectionEnforcement,
      snapshot({ 'us-east-1': [{ ...p(), riskConfiguration: allowAllRisk() }] }),
      testPolicy(),
    )
    expect(bad.find((f) => f.status === 'fail')?.message).toContain(
      'the app clients could not be listed (cognito-idp:ListUserPoolClients)',
    )
  })

  it('enforcement: client risk configurations that failed are an error too', () => {
    const q = pool({ clients: [{ id: 'c1', name: 'web' }], clientRiskConfigurations: failedListing(deniedClients) })
    const fs = runCheck(threatProtectionEnforcement, snapshot({ 'us-east-1': [q] }), testPolicy())
    expect(fs.map((f) => f.status)).toContain('error')
    expect(fs.find((f) => f.status === 'error')?.message).toContain('cognito-idp:ListUserPoolClients')
  })
})

describe('alarm and metric lists that failed', () => {
  const p = () => pool({ id: 'us-east-1_P', advancedSecurityMode: 'ENFORCED' })
  const risk = alarmsPolicy({ risk: { enabled: true }, throttles: { enabled: false }, usage: { enabled: false } })

  it('DescribeAlarms failed: every alarm requirement is error naming cloudwatch:DescribeAlarms', () => {
    const s = snap([p()], {
      metricAlarms: failedListing(cw('DescribeAlarms')),
      compositeAlarms: failedListing(cw('DescribeAlarms')),
    })
    for (const check of [alarmsRisk, alarmsThrottles, alarmsUsage])
      onlyError(runCheck(check, s, allAlarms), 'cloudwatch:DescribeAlarms')
  })

  it('ListMetrics failed for AWS/Usage: a covered usage alarm is error, not pass', () => {
    const usage = alarm(
      'usage',
      series(
        'ThrottleCount',
        { Service: 'Cognito user pool', Type: 'API', Resource: 'UserAuthentication', Class: 'None' },
        'AWS/Usage',
      ),
      { statistic: 'Sum' },
    )
    const s = snap([p()], { metricAlarms: [usage], usageMetrics: failedListing(cw('ListMetrics', 'AWS/Usage')) })
    const fs = runCheck(alarmsUsage, s, allAlarms)
    expect(fs.map((f) => f.status)).not.toContain('pass')
  })

  it('ListMetrics failed for AWS/Cognito: a covered risk alarm is error, not pass', () => {
    const ato = alarm(
      'ato',
      series('AccountTakeoverRisk', { UserPoolId: 'us-east-1_P', Operation: 'SignIn', RiskLevel: 'High' }),
    )
    const ok = runCheck(alarmsRisk, snap([p()], { metricAlarms: [ato] }), risk)
    const failed = runCheck(
      alarmsRisk,
      snap([p()], { metricAlarms: [ato], cognitoMetrics: failedListing(cw('ListMetrics', 'AWS/Cognito')) }),
      risk,
    )
    expect(failed.map((f) => f.status)).not.toContain('pass')
    expect(failed.length).toBe(ok.length)
  })
})

describe('trails that could not be described', () => {
  it('CloudTrail: error naming cloudtrail:DescribeTrails, whatever other trails say', () => {
    const describe: AwsError = {
      service: 'cloudtrail',
      action: 'DescribeTrails',
      code: 'AccessDeniedException',
      message: 'denied',
      region: 'us-east-1',
    }
    const s = snapshot({ 'us-east-1': [pool()] })
    s.regions[0]!.cloudtrail = { trails: failedListing(describe), otherRegionTrails: [], errors: [] }
    onlyError(runCheck(cloudTrailCapture, s, cloudtrailOn), 'cloudtrail:DescribeTrails')
    // A loaded empty list is a real "no trail": a violation.
    s.regions[0]!.cloudtrail = { trails: loaded([] as TrailRecord[]), otherRegionTrails: [], errors: [] }
    expect(runCheck(cloudTrailCapture, s, cloudtrailOn).map((f) => f.status)).toEqual(['fail'])
  })
})
