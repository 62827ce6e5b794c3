import { describe, expect, it } from 'vitest'
import { alarmsThrottles, alarmsUsage } from '../../../../src/checks/alarms/checks.js'
import { alarmsRequirement } from '../../../../src/checks/alarms/index.js'
import { CHECKS, runCheck } from '../../../../src/checks/index.js'
import type { MetricAlarmInfo } from '../../../../src/model/alarms.js'
import type { Finding } from '../../../../src/model/finding.js'
import type { UserPool } from '../../../../src/model/snapshot.js'
import { type AlarmsInput, alarm, composite, policy, series, snap, throttleAlarm } from '../../../support/alarms.js'
import { pool } from '../../../support/pools.js'

const rule = (f: Finding) => (f.evidence as { failedRule?: string }).failedRule

function throttles(p: UserPool, alarms: AlarmsInput, raw: Record<string, unknown> = {}): Finding[] {
  return runCheck(alarmsThrottles, snap([p], alarms), policy(raw))
}

describe('alarms-throttles', () => {
  const p = pool({
    id: 'us-east-1_Thr',
    clients: [
      { id: 'web', name: 'web' },
      { id: 'mobile', name: 'mobile' },
    ],
  })

  it('passes when every app client has a good SignInThrottles alarm', () => {
    const f = throttles(p, {
      metricAlarms: [throttleAlarm('t-web', p.id, 'web'), throttleAlarm('t-mob', p.id, 'mobile')],
    })
    expect(f).toHaveLength(1)
    expect(f[0]!.status).toBe('pass')
    expect(f[0]!.resource).toBe('SignInThrottles')
    expect(f[0]!.message).toContain("app client web by alarm 't-web'")
    expect(f[0]!.message).toContain("app client mobile by alarm 't-mob'")
  })

  it('fails naming the app client that has no alarm', () => {
    const [f] = throttles(p, { metricAlarms: [throttleAlarm('t-web', p.id, 'web')] })
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain("app client mobile: alarm 't-web' selects UserPoolClient=web")
    expect(f!.remediation).toContain('Name=UserPool,Value=us-east-1_Thr Name=UserPoolClient,Value=mobile')
    expect(f!.remediation).not.toContain('UserPoolClient,Value=web')
  })

  it('a pool-level alarm (UserPool only) covers every client only when ListMetrics shows that series', () => {
    const poolOnly = alarm('t-pool', series('SignInThrottles', { UserPool: p.id }))
    const [without] = throttles(p, { metricAlarms: [poolOnly] })
    expect(without!.status).toBe('fail')
    expect(without!.message).toContain('has no UserPoolClient dimension')
    const [withSeries] = throttles(p, {
      metricAlarms: [poolOnly],
      cognitoMetrics: [series('SignInThrottles', { UserPool: p.id })],
    })
    expect(withSeries!.status).toBe('pass')
    expect(withSeries!.message).toContain('the account has data for this exact series')
    // A pool-only series of ANOTHER pool does not count.
    const [other] = throttles(p, {
      metricAlarms: [poolOnly],
      cognitoMetrics: [series('SignInThrottles', { UserPool: 'us-east-1_Else' })],
    })
    expect(other!.status).toBe('fail')
  })

  it('risk-family dimension name UserPoolId on a throttle metric does not cover', () => {
    const a = alarm('t', series('SignInThrottles', { UserPoolId: p.id, UserPoolClient: 'web' }))
    const [f] = throttles(p, { metricAlarms: [a] }, { throttles: { 'app-clients': ['web'] } })
    expect(f!.status).toBe('fail')
    expect(rule(f!)).toBe('pool')
    expect(f!.message).toContain('uses dimension UserPoolId, but SignInThrottles is published with UserPool')
  })

  it('SigninThrottles is a probable typo of SignInThrottles', () => {
    const [f] = throttles(
      p,
      { metricAlarms: [throttleAlarm('t', p.id, 'web', {}, 'SigninThrottles')] },
      {
        throttles: { 'app-clients': ['web'] },
      },
    )
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain(
      '"SigninThrottles", which no AWS source or this account\'s metrics know: probable typo of "SignInThrottles"',
    )
    expect(f!.remediation).toContain("Fix alarm 't': rename the metric to SignInThrottles")
  })

  it('SignUpThrottles is a known metric, never a typo of SignInThrottles', () => {
    const [f] = throttles(
      p,
      { metricAlarms: [throttleAlarm('t', p.id, 'web', {}, 'SignUpThrottles')] },
      {
        throttles: { 'app-clients': ['web'] },
      },
    )
    expect(rule(f!)).toBe('no-alarm')
  })

  it('app-clients in the policy narrows the required clients', () => {
    const [f] = throttles(
      p,
      { metricAlarms: [throttleAlarm('t-web', p.id, 'web')] },
      { throttles: { 'app-clients': ['web'] } },
    )
    expect(f!.status).toBe('pass')
  })

  it('adds client series ListMetrics shows (Admin), but not Invalid', () => {
    const solo = pool({ id: 'us-east-1_Solo', clients: [{ id: 'web', name: 'web' }] })
    const metrics = [
      series('SignInThrottles', { UserPool: solo.id, UserPoolClient: 'Admin' }),
      series('SignInThrottles', { UserPool: solo.id, UserPoolClient: 'Invalid' }),
    ]
    const [f] = throttles(solo, { metricAlarms: [throttleAlarm('t-web', solo.id, 'web')], cognitoMetrics: metrics })
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain('app client Admin')
    expect(f!.message).not.toContain('Invalid')
    const [g] = throttles(solo, {
      metricAlarms: [throttleAlarm('t-web', solo.id, 'web'), throttleAlarm('t-admin', solo.id, 'Admin')],
      cognitoMetrics: metrics,
    })
    expect(g!.status).toBe('pass')
  })

  it('a pool without app clients or series is covered by any good alarm on its series, not by none', () => {
    const bare = pool({ id: 'us-east-1_Bare', clients: [] })
    expect(throttles(bare, { metricAlarms: [throttleAlarm('t', bare.id, 'whatever')] })[0]!.status).toBe('pass')
    const [f] = throttles(bare, { metricAlarms: [] })
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain('any app client (the pool has none)')
  })

  it('one finding per metric the policy adds; FederationThrottles needs an IdentityProvider', () => {
    const solo = pool({ id: 'us-east-1_Fed', clients: [{ id: 'web', name: 'web' }] })
    const raw = { throttles: { metrics: ['SignInThrottles', 'FederationThrottles'] } }
    const fedAlarm = alarm(
      'fed',
      series('FederationThrottles', { UserPool: solo.id, UserPoolClient: 'web', IdentityProvider: 'Google' }),
    )
    const noIdp = throttleAlarm('fed-noidp', solo.id, 'web', {}, 'FederationThrottles')
    const f = throttles(solo, { metricAlarms: [throttleAlarm('t', solo.id, 'web'), noIdp] }, raw)
    expect(f.map((x) => [x.resource, x.status])).toEqual([
      ['SignInThrottles', 'pass'],
      ['FederationThrottles', 'fail'],
    ])
    expect(f[1]!.message).toContain('has no IdentityProvider dimension')
    expect(f[1]!.remediation).toContain('Name=IdentityProvider,Value=<IDENTITY_PROVIDER>')
    expect(throttles(solo, { metricAlarms: [fedAlarm] }, raw)[1]!.status).toBe('pass')
    // With ListMetrics showing two providers, each needs coverage.
    const two = throttles(
      solo,
      {
        metricAlarms: [fedAlarm],
        cognitoMetrics: ['Google', 'SAML1'].map((idp) =>
          series('FederationThrottles', { UserPool: solo.id, UserPoolClient: 'web', IdentityProvider: idp }),
        ),
      },
      raw,
    )[1]!
    expect(two.status).toBe('fail')
    expect(two.message).toContain('identity provider SAML1')
  })

  it('threshold max defaults to 10 for throttles', () => {
    const solo = pool({ id: 'us-east-1_T10', clients: [{ id: 'web', name: 'web' }] })
    expect(throttles(solo, { metricAlarms: [throttleAlarm('t', solo.id, 'web', { threshold: 10 })] })[0]!.status).toBe(
      'pass',
    )
    const [f] = throttles(solo, { metricAlarms: [throttleAlarm('t', solo.id, 'web', { threshold: 11 })] })
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain('fires only at a count of 11 or more')
  })

  it('DescribeAlarms denied ⇒ error per pool and metric', () => {
    const err = {
      service: 'cloudwatch' as const,
      action: 'DescribeAlarms',
      code: 'AccessDenied',
      message: 'no',
      region: 'us-east-1',
    }
    const f = throttles(p, { metricAlarms: undefined, compositeAlarms: undefined, errors: [err] })
    expect(f.map((x) => [x.status, x.resource])).toEqual([['error', 'SignInThrottles']])
  })
})

describe('alarms-usage (AWS/Usage ThrottleCount, once per region)', () => {
  const usageAlarm = (d: Record<string, string>, o: Partial<MetricAlarmInfo> = {}) =>
    alarm('usage', series('ThrottleCount', d, 'AWS/Usage'), o)
  const base = { Service: 'Cognito user pool', Type: 'API', Resource: 'UserAuthentication' }
  const pools = [pool(), pool()]

  it('one region finding, not one per pool; passes with a good alarm', () => {
    const f = runCheck(alarmsUsage, snap(pools, { metricAlarms: [usageAlarm(base)] }), policy())
    expect(f).toHaveLength(1)
    expect(f[0]!.poolId).toBeUndefined()
    expect(f[0]!.region).toBe('us-east-1')
    expect(f[0]!.status).toBe('pass')
    expect(f[0]!.resource).toBe('ThrottleCount')
  })

  it('fails when missing, with a remediation on AWS/Usage', () => {
    const [f] = runCheck(alarmsUsage, snap(pools, { metricAlarms: [] }), policy())
    expect(f!.status).toBe('fail')
    expect(f!.remediation).toContain('--namespace AWS/Usage --metric-name ThrottleCount')
    expect(f!.remediation).toContain(
      "'Name=Service,Value=Cognito user pool' Name=Type,Value=API Name=Resource,Value=UserAuthentication",
    )
    expect(f!.remediation).toContain('list-metrics --namespace AWS/Usage')
  })

  it('when ListMetrics shows the series, the alarm must use its exact dimensions (Class included)', () => {
    const seen = series('ThrottleCount', { ...base, Class: 'None' }, 'AWS/Usage')
    const [f] = runCheck(alarmsUsage, snap(pools, { metricAlarms: [usageAlarm(base)], usageMetrics: [seen] }), policy())
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain('has no Class dimension')
    const [g] = runCheck(
      alarmsUsage,
      snap(pools, { metricAlarms: [usageAlarm({ ...base, Class: 'None' })], usageMetrics: [seen] }),
      policy(),
    )
    expect(g!.status).toBe('pass')
    expect(g!.message).toContain('the account has data for this exact series')
  })

  it('an extra Class dimension the emitted series lacks does not cover', () => {
    const seen = series('ThrottleCount', base, 'AWS/Usage')
    const [f] = runCheck(
      alarmsUsage,
      snap(pools, { metricAlarms: [usageAlarm({ ...base, Class: 'None' })], usageMetrics: [seen] }),
      policy(),
    )
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain('selects Class=None, but the series this account emits has no Class dimension')
  })

  it('wrong resource, LessThan, or no action do not cover; a composite with an action does', () => {
    const other = runCheck(
      alarmsUsage,
      snap(pools, { metricAlarms: [usageAlarm({ ...base, Resource: 'UserCreation' })] }),
      policy(),
    )[0]!
    expect(other.message).toContain('selects Resource=UserCreation')
    const less = runCheck(
      alarmsUsage,
      snap(pools, { metricAlarms: [usageAlarm(base, { comparisonOperator: 'LessThanOrEqualToThreshold' })] }),
      policy(),
    )[0]!
    expect(rule(less)).toBe('threshold')
    const silent = usageAlarm(base, { alarmActions: [] })
    expect(rule(runCheck(alarmsUsage, snap(pools, { metricAlarms: [silent] }), policy())[0]!)).toBe('action')
    const viaComposite = runCheck(
      alarmsUsage,
      snap(pools, { metricAlarms: [silent], compositeAlarms: [composite('ops', 'ALARM("usage") OR ALARM("x")')] }),
      policy(),
    )[0]!
    expect(viaComposite.status).toBe('pass')
    // ANDed with another alarm's ALARM state, the usage alarm alone never makes the composite fire.
    const needsBoth = runCheck(
      alarmsUsage,
      snap(pools, { metricAlarms: [silent], compositeAlarms: [composite('ops', 'ALARM("usage") AND ALARM("x")')] }),
      policy(),
    )[0]!
    expect(rule(needsBoth)).toBe('action')
  })

  it('policy can require more resources and a Class value', () => {
    const raw = { usage: { resources: ['UserAuthentication', 'UserCreation'], class: 'None' } }
    const [f] = runCheck(
      alarmsUsage,
      snap(pools, { metricAlarms: [usageAlarm({ ...base, Class: 'None' })] }),
      policy(raw),
    )
    expect(f!.status).toBe('fail')
    expect(f!.message).toContain('Resource=UserCreation')
    expect(f!.message).not.toContain('Resource=UserAuthentication:')
  })

  it('no finding in a region without audited pools; error when DescribeAlarms was denied', () => {
    expect(runCheck(alarmsUsage, snap([], {}), policy())).toEqual([])
    const err = {
      service: 'cloudwatch' as const,
      action: 'DescribeAlarms',
      code: 'AccessDenied',
      message: 'no',
      region: 'us-east-1',
    }
    const [f] = runCheck(alarmsUsage, snap(pools, { metricAlarms: undefined, errors: [err] }), policy())
    expect(f!.status).toBe('error')
    expect(f!.poolId).toBeUndefined()
  })

  it('usage: enabled false drops the finding', () => {
    expect(runCheck(alarmsUsage, snap(pools, {}), policy({ usage: { enabled: false } }))).toEqual([])
  })
})

describe('registry', () => {
  it('registers the three alarm checks under the alarms requirement', () => {
    expect(alarmsRequirement.checks.map((c) => c.id)).toEqual(['alarms-risk', 'alarms-throttles', 'alarms-usage'])
    for (const c of alarmsRequirement.checks) {
      expect(CHECKS).toContain(c)
      expect(c.requirement).toBe('alarms')
    }
  })
})
