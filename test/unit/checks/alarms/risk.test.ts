import { describe, expect, it } from 'vitest'
import { alarmsRisk } from '../../../../src/checks/alarms/checks.js'
import { runCheck } from '../../../../src/checks/index.js'
import type { MetricAlarmInfo } from '../../../../src/model/alarms.js'
import type { Finding } from '../../../../src/model/finding.js'
import { failedListing, type UserPool } from '../../../../src/model/snapshot.js'
import { type AlarmsInput, alarm, composite, policy, riskAlarm, series, snap } from '../../../support/alarms.js'
import { pool } from '../../../support/pools.js'

const ONLY_ATO = { risk: { metrics: ['AccountTakeoverRisk'] } }

function run(p: UserPool, alarms: AlarmsInput, raw: Record<string, unknown> = ONLY_ATO): Finding[] {
  return runCheck(alarmsRisk, snap([p], alarms), policy(raw))
}

function one(
  p: UserPool,
  metricAlarms: MetricAlarmInfo[],
  extra: AlarmsInput = {},
  raw: Record<string, unknown> = ONLY_ATO,
): Finding {
  const f = run(p, { metricAlarms, ...extra }, raw)
  expect(f).toHaveLength(1)
  return f[0]!
}

const rule = (f: Finding) => (f.evidence as { failedRule?: string }).failedRule

describe('alarms-risk: passes', () => {
  it('passes with a good alarm, naming the alarm, the spelling and that the account has no data yet', () => {
    const p = pool()
    const f = one(p, [riskAlarm('ato', p.id)])
    expect(f.status).toBe('pass')
    expect(f.resource).toBe('AccountTakeoverRisk')
    expect(f.message).toContain("alarm 'ato'")
    expect(f.message).toContain('spelled AccountTakeoverRisk as in the current AWS doc')
    expect(f.message).toContain('no data for this exact series')
    expect(f.severity).toBe('high')
  })

  it('accepts the other AWS spelling AccountTakeOverRisk and says so', () => {
    const p = pool()
    const f = one(p, [riskAlarm('ato', p.id, {}, 'AccountTakeOverRisk')])
    expect(f.status).toBe('pass')
    expect(f.message).toContain('spelled AccountTakeOverRisk, the other AWS spelling')
  })

  it('accepts both spellings of the compromised-credentials metric', () => {
    const p = pool()
    for (const name of ['CompromisedCredentialRisk', 'CompromisedCredentialsRisk']) {
      const f = one(p, [riskAlarm('cc', p.id, {}, name)], {}, { risk: { metrics: ['CompromisedCredentialRisk'] } })
      expect(f.status, name).toBe('pass')
      expect(f.resource).toBe('CompromisedCredentialRisk')
      expect((f.evidence as { series: Array<{ spelling: string }> }).series[0]!.spelling).toBe(name)
    }
  })

  it('emits one finding per required metric, failing the one without an alarm', () => {
    const p = pool()
    const f = run(p, { metricAlarms: [riskAlarm('ato', p.id)] }, {})
    expect(f.map((x) => [x.resource, x.status])).toEqual([
      ['AccountTakeoverRisk', 'pass'],
      ['CompromisedCredentialRisk', 'fail'],
    ])
    expect(f[1]!.message).toContain('no alarm watches CompromisedCredentialRisk')
    expect(rule(f[1]!)).toBe('no-alarm')
  })

  it('accepts RiskLevel in lower case and reports the casing used and whether ListMetrics has data for it', () => {
    const p = pool()
    const withData = [series('AccountTakeoverRisk', { UserPoolId: p.id, Operation: 'SignIn', RiskLevel: 'high' })]
    const a = riskAlarm('ato', p.id, {}, 'AccountTakeoverRisk', { Operation: 'SignIn', RiskLevel: 'high' })
    const f = one(p, [a], { cognitoMetrics: withData })
    expect(f.status).toBe('pass')
    expect(f.message).toContain('RiskLevel written "high"')
    expect(f.message).toContain('the account has data for this exact series')
    // Without data for the pool, either casing covers (AWS's sources disagree on it).
    const g = one(p, [riskAlarm('ato', p.id)], { cognitoMetrics: [] })
    expect(g.status).toBe('pass')
    expect(g.message).toContain('RiskLevel written "High"')
    expect(g.message).toContain('no data for this exact series')
  })

  it('the casing and spelling the account publishes settle it: the other one receives no data', () => {
    const p = pool()
    const lower = [series('AccountTakeoverRisk', { UserPoolId: p.id, Operation: 'SignIn', RiskLevel: 'high' })]
    const title = one(p, [riskAlarm('ato', p.id)], { cognitoMetrics: lower })
    expect(title.status).toBe('fail')
    expect(rule(title)).toBe('dimensions')
    expect(title.message).toContain('selects RiskLevel=High, but this account publishes RiskLevel=high')
    expect(title.remediation).toContain("Fix alarm 'ato': set the dimension RiskLevel=high")
    // Another pool's data settles the spelling for the whole region.
    const other = [
      series('AccountTakeoverRisk', { UserPoolId: 'us-east-1_Other', Operation: 'SignIn', RiskLevel: 'High' }),
    ]
    const spelled = one(p, [riskAlarm('ato', p.id, {}, 'AccountTakeOverRisk')], { cognitoMetrics: other })
    expect(spelled.status).toBe('fail')
    expect(rule(spelled)).toBe('metric')
    expect(spelled.message).toContain(
      'watches AccountTakeOverRisk, but this account publishes the metric as AccountTakeoverRisk',
    )
    expect(one(p, [riskAlarm('ato', p.id, {}, 'AccountTakeoverRisk')], { cognitoMetrics: other }).status).toBe('pass')
  })

  it('Maximum must fire at 1: each event is a datapoint of 1, so a period never has a larger maximum', () => {
    const p = pool()
    const f = one(p, [riskAlarm('ato', p.id, { statistic: 'Maximum', threshold: 2 })])
    expect(f.status).toBe('fail')
    expect(rule(f)).toBe('threshold')
    expect(f.message).toContain("a period's maximum is never above 1")
    expect(one(p, [riskAlarm('ato', p.id, { statistic: 'Maximum', threshold: 1 })]).status).toBe('pass')
    expect(one(p, [riskAlarm('ato', p.id, { statistic: 'Sum', threshold: 1 })]).status).toBe('pass')
  })

  it('accepts > 0 and Maximum/SampleCount statistics', () => {
    const p = pool()
    for (const o of [
      { comparisonOperator: 'GreaterThanThreshold', threshold: 0 },
      { statistic: 'Maximum' },
      { statistic: 'SampleCount' },
    ]) {
      expect(one(p, [riskAlarm('ato', p.id, o)]).status, JSON.stringify(o)).toBe('pass')
    }
  })

  it('covers every operation × risk level the policy lists, and names the uncovered one', () => {
    const p = pool()
    const raw = {
      risk: { metrics: ['AccountTakeoverRisk'], operations: ['SignIn', 'SignUp'], 'risk-levels': ['High'] },
    }
    const f = one(p, [riskAlarm('ato', p.id)], {}, raw)
    expect(f.status).toBe('fail')
    expect(f.message).toContain('Operation=SignUp, RiskLevel=High')
    expect(f.message).toContain('selects Operation=SignIn, but the requirement needs Operation=SignUp')
    const both = one(
      p,
      [
        riskAlarm('a1', p.id),
        riskAlarm('a2', p.id, {}, 'AccountTakeoverRisk', { Operation: 'SignUp', RiskLevel: 'High' }),
      ],
      {},
      raw,
    )
    expect(both.status).toBe('pass')
  })

  it('covers without an action when require-action is false', () => {
    const p = pool()
    const f = one(
      p,
      [riskAlarm('ato', p.id, { actionsEnabled: false, alarmActions: [] })],
      {},
      {
        risk: { metrics: ['AccountTakeoverRisk'], 'require-action': false },
      },
    )
    expect(f.status).toBe('pass')
    expect(f.message).toContain('no action required by the policy')
  })

  it('notes that threat protection is off (no metrics published)', () => {
    const p = pool({ advancedSecurityMode: 'OFF' })
    expect(one(p, [riskAlarm('ato', p.id)]).message).toContain('Threat protection is OFF')
  })

  it('only audits pools the requirement selects, with the policy severity', () => {
    const a = pool({ name: 'prod-web' })
    const b = pool({ name: 'test-web' })
    const f = runCheck(
      alarmsRisk,
      snap([a, b]),
      policy({ risk: { metrics: ['AccountTakeoverRisk'], pools: ['prod-*'], severity: 'critical' } }),
    )
    expect(f.map((x) => x.poolId)).toEqual([a.id])
    expect(f[0]!.severity).toBe('critical')
  })

  it('gives nothing when the requirement or the section is off', () => {
    const p = pool()
    expect(run(p, {}, { risk: { enabled: false } })).toEqual([])
    expect(run(p, {}, { enabled: false })).toEqual([])
  })
})

describe('alarms-risk: each way of not covering', () => {
  const p = pool({ id: 'us-east-1_Mine' })
  const cases: Array<[string, MetricAlarmInfo, string, string]> = [
    [
      'another pool (an alarm named for this pool, copied from another one)',
      riskAlarm('us-east-1_Mine-ato', 'us-east-1_Other'),
      'pool',
      'watches pool us-east-1_Other, not this pool',
    ],
    [
      'missing pool dimension',
      alarm('x', series('AccountTakeoverRisk', { Operation: 'SignIn', RiskLevel: 'High' })),
      'pool',
      'has no UserPoolId dimension',
    ],
    [
      'throttle-family dimension name on a risk metric',
      alarm('x', series('AccountTakeoverRisk', { UserPool: 'us-east-1_Mine', Operation: 'SignIn', RiskLevel: 'High' })),
      'pool',
      'uses dimension UserPool, but AccountTakeoverRisk is published with UserPoolId',
    ],
    [
      'dimension the metric does not have',
      riskAlarm('x', 'us-east-1_Mine', {}, 'AccountTakeoverRisk', {
        Operation: 'SignIn',
        RiskLevel: 'High',
        UserPoolClient: 'c',
      }),
      'dimensions',
      'has dimension UserPoolClient, which AccountTakeoverRisk does not have',
    ],
    [
      'wrong dimension value',
      riskAlarm('x', 'us-east-1_Mine', {}, 'AccountTakeoverRisk', { Operation: 'SignIn', RiskLevel: 'Low' }),
      'dimensions',
      'selects RiskLevel=Low, but the requirement needs RiskLevel=High',
    ],
    [
      'missing RiskLevel dimension (no such series emitted)',
      riskAlarm('x', 'us-east-1_Mine', {}, 'AccountTakeoverRisk', { Operation: 'SignIn' }),
      'dimensions',
      'has no RiskLevel dimension; CloudWatch matches dimension sets exactly',
    ],
    [
      'actions disabled',
      riskAlarm('x', 'us-east-1_Mine', { actionsEnabled: false }),
      'action',
      'its actions are disabled',
    ],
    ['no action', riskAlarm('x', 'us-east-1_Mine', { alarmActions: [] }), 'action', 'it has no ALARM action'],
    [
      'LessThan comparison',
      riskAlarm('x', 'us-east-1_Mine', { comparisonOperator: 'LessThanThreshold' }),
      'threshold',
      'compares with LessThanThreshold, which never fires on a rise',
    ],
    [
      'threshold above the policy max',
      riskAlarm('x', 'us-east-1_Mine', { threshold: 1000, comparisonOperator: 'GreaterThanThreshold' }),
      'threshold',
      'fires only at a count of 1001 or more',
    ],
    [
      '> 1 when the max is 1',
      riskAlarm('x', 'us-east-1_Mine', { threshold: 1, comparisonOperator: 'GreaterThanThreshold' }),
      'threshold',
      'fires only at a count of 2 or more',
    ],
    [
      'Average statistic',
      riskAlarm('x', 'us-east-1_Mine', { statistic: 'Average' }),
      'statistic',
      'uses statistic Average',
    ],
    [
      'Minimum statistic',
      riskAlarm('x', 'us-east-1_Mine', { statistic: 'Minimum' }),
      'statistic',
      'uses statistic Minimum',
    ],
    [
      'percentile statistic',
      riskAlarm('x', 'us-east-1_Mine', { statistic: undefined, extendedStatistic: 'p99' }),
      'statistic',
      'uses statistic p99',
    ],
    [
      'missing data treated as breaching',
      riskAlarm('x', 'us-east-1_Mine', { treatMissingData: 'breaching' }),
      'missing',
      'treats missing data as breaching',
    ],
    [
      'typo in the metric name',
      riskAlarm('x', 'us-east-1_Mine', {}, 'AccountTakoverRisk'),
      'metric',
      'probable typo of "AccountTakeoverRisk"',
    ],
    [
      'metric name in the wrong case',
      riskAlarm('x', 'us-east-1_Mine', {}, 'accounttakeoverrisk'),
      'metric',
      'probable typo of "AccountTakeoverRisk"',
    ],
    [
      'wrong namespace',
      alarm(
        'x',
        series(
          'AccountTakeoverRisk',
          { UserPoolId: 'us-east-1_Mine', Operation: 'SignIn', RiskLevel: 'High' },
          'AWS/cognito',
        ),
      ),
      'metric',
      'in namespace "AWS/cognito" instead of AWS/Cognito (probable typo)',
    ],
  ]
  for (const [label, a, stage, text] of cases) {
    it(`fails: ${label}`, () => {
      const f = one(p, [a])
      expect(f.status).toBe('fail')
      expect(rule(f)).toBe(stage)
      expect(f.message).toContain(text)
      expect(f.message).toContain(`alarm '${a.name}'`)
      expect(f.remediation).toContain('aws cloudwatch put-metric-alarm')
    })
  }

  it('a missing dimension is fine when ListMetrics shows the account emits that aggregate series', () => {
    const a = riskAlarm('x', p.id, {}, 'AccountTakeoverRisk', { Operation: 'SignIn' })
    const f = one(p, [a], {
      cognitoMetrics: [series('AccountTakeoverRisk', { UserPoolId: p.id, Operation: 'SignIn' })],
    })
    expect(f.status).toBe('pass')
  })

  it('reports the alarm that came closest: same-pool Average beats another pool', () => {
    const f = one(p, [riskAlarm('a-other', 'us-east-1_Other'), riskAlarm('b-avg', p.id, { statistic: 'Average' })])
    expect(f.message).toContain("alarm 'b-avg' uses statistic Average")
    expect(rule(f)).toBe('statistic')
  })

  it('ignores unrelated alarms and known metric names (never a typo)', () => {
    const f = one(p, [
      alarm('cpu', series('CPUUtilization', {}, 'AWS/EC2')),
      alarm('risk', series('Risk', { UserPoolId: p.id })),
    ])
    expect(f.status).toBe('fail')
    expect(rule(f)).toBe('no-alarm')
  })

  it('a name ListMetrics shows is known, so not a typo', () => {
    const f = one(p, [riskAlarm('x', p.id, {}, 'AccountTakeoverRisks')], {
      cognitoMetrics: [series('AccountTakeoverRisks', { UserPoolId: p.id })],
    })
    expect(rule(f)).toBe('no-alarm')
  })
})

describe('alarms-risk: composite alarms', () => {
  const p = pool({ id: 'us-east-1_Comp' })
  const silent = riskAlarm('ato', 'us-east-1_Comp', { alarmActions: [] })

  it('covers when it feeds an enabled composite alarm with an action (by name)', () => {
    const f = one(p, [silent], { compositeAlarms: [composite('security', 'ALARM("ato") OR ALARM("other")')] })
    expect(f.status).toBe('pass')
    expect(f.message).toContain("notifies through composite alarm 'security'")
  })

  it('covers through the ARN and through a chain of composites', () => {
    const byArn = one(p, [silent], { compositeAlarms: [composite('c', `ALARM(${silent.arn})`)] })
    expect(byArn.status).toBe('pass')
    const chain = one(p, [silent], {
      compositeAlarms: [composite('inner', 'ALARM(ato)', { alarmActions: [] }), composite('outer', 'ALARM("inner")')],
    })
    expect(chain.status).toBe('pass')
    expect(chain.message).toContain("composite alarm 'outer'")
  })

  it('fails when the composite has no action, is disabled, or negates the alarm', () => {
    for (const c of [
      composite('security', 'ALARM("ato")', { alarmActions: [] }),
      composite('security', 'ALARM("ato")', { actionsEnabled: false }),
      composite('security', 'NOT ALARM("ato")'),
      composite('security', 'ALARM("ato-2")'),
    ]) {
      const f = one(p, [silent], { compositeAlarms: [c] })
      expect(f.status, c.alarmRule).toBe('fail')
      expect(rule(f)).toBe('action')
    }
    const f = one(p, [silent], { compositeAlarms: [composite('security', 'ALARM("ato")', { alarmActions: [] })] })
    expect(f.message).toContain('the composite alarm it feeds (security) has no enabled ALARM action')
  })
})

describe('alarms-risk: metric math', () => {
  const p = pool({ id: 'us-east-1_Math' })
  const metric = series('AccountTakeOverRisk', { UserPoolId: 'us-east-1_Math', Operation: 'SignIn', RiskLevel: 'High' })
  const math = (expression: string, extra: MetricAlarmInfo['queries'] = []): MetricAlarmInfo => ({
    ...alarm('math', metric),
    metric: undefined,
    statistic: undefined,
    queries: [
      { id: 'm1', returnData: false, metric, stat: 'Sum', period: 300 },
      {
        id: 'm2',
        returnData: false,
        metric: series('Risk', { UserPoolId: 'us-east-1_Math', Operation: 'SignIn' }),
        stat: 'Sum',
      },
      ...extra,
      { id: 'e1', returnData: true, expression },
    ],
  })

  it('covers when the returned expression uses the metric query', () => {
    const f = one(p, [math('m1')])
    expect(f.status).toBe('pass')
    expect(f.message).toContain('spelled AccountTakeOverRisk')
  })

  it('covers through nested expressions, and says at which count the expression breaches', () => {
    const f = one(p, [math('e0 * 2', [{ id: 'e0', returnData: false, expression: 'FILL(m1, 0) + m2' }])])
    expect(f.status).toBe('pass')
    expect(f.message).toContain('the expression "e0 * 2" breaches at a AccountTakeOverRisk count of 1')
    const sum = one(p, [math('SUM([m1, m2]) / 2')])
    expect(sum.status).toBe('fail') // breaches at 2 > max-threshold 1
    expect(sum.message).toContain(
      'stays below GreaterThanOrEqualToThreshold 1 for every AccountTakeOverRisk count up to 1',
    )
  })

  it('an expression that falls, divides by another metric or uses other functions does not cover', () => {
    for (const [expression, text] of [
      ['-1 * m1', 'stays below'],
      ['m2 - m1', 'stays below'],
      ['100 * m1 / m2', 'stays below'], // the other metric at 0: no datapoint
      ['RATE(m1)', 'function RATE() is not understood'],
      ['IF(m1 > 0, 1, 0)', 'function IF() is not understood'],
    ] as const) {
      const f = one(p, [math(expression)])
      expect(f.status, expression).toBe('fail')
      expect(rule(f), expression).toBe('threshold')
      expect(f.message, expression).toContain(text)
    }
  })

  it('fails when the returned expression ignores the metric query', () => {
    const f = one(p, [math('m2 * 1')])
    expect(f.status).toBe('fail')
    expect(rule(f)).toBe('math')
    expect(f.message).toContain('query "m1" watches AccountTakeOverRisk, but the returned expression does not use it')
  })

  it('a query id inside a string literal is not a reference', () => {
    expect(one(p, [math('FILL(m2, "m1")')]).status).toBe('fail')
  })

  it('still applies the statistic rule to the metric query', () => {
    const a = math('m1')
    a.queries![0]!.stat = 'Average'
    expect(rule(one(p, [a]))).toBe('statistic')
  })
})

describe('alarms-risk: errors are never a pass', () => {
  const p = pool()
  const denied = {
    service: 'cloudwatch' as const,
    action: 'DescribeAlarms',
    code: 'AccessDenied',
    message: 'not authorized',
    region: 'us-east-1',
  }

  it('DescribeAlarms denied ⇒ error naming the permission', () => {
    const f = run(p, { metricAlarms: undefined, compositeAlarms: undefined, errors: [denied] })
    expect(f).toHaveLength(1)
    expect(f[0]!.status).toBe('error')
    expect(f[0]!.message).toContain('cloudwatch:DescribeAlarms')
    expect(f[0]!.resource).toBe('AccountTakeoverRisk')
  })

  it('alarms section missing from the snapshot ⇒ error', () => {
    const s = snap([p])
    delete s.regions[0]!.alarms
    const f = runCheck(alarmsRisk, s, policy(ONLY_ATO))
    expect(f.map((x) => x.status)).toEqual(['error'])
  })

  it('ListMetrics denied: a would-be pass becomes error, a failure stays a failure', () => {
    const lm = { ...denied, action: 'ListMetrics' }
    const pass = one(p, [riskAlarm('ato', p.id)], { cognitoMetrics: failedListing(lm), errors: [lm] })
    expect(pass.status).toBe('error')
    expect(pass.message).toContain('cloudwatch:ListMetrics')
    const fail = one(p, [riskAlarm('ato', p.id, { statistic: 'Average' })], {
      cognitoMetrics: failedListing(lm),
      errors: [lm],
    })
    expect(fail.status).toBe('fail')
  })
})

describe('alarms-risk: remediation', () => {
  it('gives a put-metric-alarm command and a CloudFormation resource with this pool dimensions and a topic placeholder', () => {
    const p = pool({ id: 'us-east-1_Rem' })
    const f = one(p, [])
    expect(f.remediation).toContain('--namespace AWS/Cognito --metric-name AccountTakeoverRisk')
    expect(f.remediation).toContain(
      'Name=UserPoolId,Value=us-east-1_Rem Name=Operation,Value=SignIn Name=RiskLevel,Value=High',
    )
    expect(f.remediation).toContain('--threshold 1 --comparison-operator GreaterThanOrEqualToThreshold')
    expect(f.remediation).toContain('--treat-missing-data notBreaching')
    expect(f.remediation).toContain('arn:aws:sns:us-east-1:<ACCOUNT_ID>:<ALERT_TOPIC>')
    expect(f.remediation).toContain('Type: AWS::CloudWatch::Alarm')
    expect(f.remediation).toContain('- Name: UserPoolId\n        Value: us-east-1_Rem')
    expect(f.remediation).toContain('sources disagree on the spelling')
  })

  it('uses the spelling and casing this account emits, and leads with a targeted fix', () => {
    const p = pool({ id: 'us-east-1_Rem2' })
    const f = one(p, [riskAlarm('ato', p.id, { actionsEnabled: false })], {
      cognitoMetrics: [series('AccountTakeOverRisk', { UserPoolId: p.id, Operation: 'SignIn', RiskLevel: 'high' })],
    })
    // The account publishes the other spelling, so that is the first thing to fix on this alarm.
    expect(f.remediation).toMatch(/^Fix alarm 'ato': rename the metric to AccountTakeOverRisk/)
    expect(f.remediation).toContain('--metric-name AccountTakeOverRisk')
    expect(f.remediation).toContain('Name=RiskLevel,Value=high')
    expect(f.remediation).not.toContain('sources disagree')
  })
})

describe('alarms-risk: which failing alarm the finding explains', () => {
  // Found by the sandbox integration tests: with other pools' alarms on the same metric in the
  // account, the finding blamed one of them instead of this pool's own, misconfigured alarm.
  const p = pool()
  const others = [riskAlarm('a-other-1', 'us-east-1_Other1'), riskAlarm('a-other-2', 'us-east-1_Other2')]

  it("names the pool's own alarm with the wrong dimension name, not another pool's alarm", () => {
    const own = alarm(
      'z-own-wrong-dim',
      series('AccountTakeoverRisk', { UserPool: p.id, Operation: 'SignIn', RiskLevel: 'High' }),
    )
    const f = one(p, [...others, own])
    expect(f.status).toBe('fail')
    expect(f.message).toContain("alarm 'z-own-wrong-dim'")
    expect(f.message).toContain('uses dimension UserPool, but AccountTakeoverRisk is published with UserPoolId')
    expect(f.message).not.toContain('a-other')
  })

  it("names the pool's own alarm on a misspelled metric as a probable typo, not another pool's alarm", () => {
    const own = alarm(
      'z-own-typo',
      series('AccountTakoverRisk', { UserPoolId: p.id, Operation: 'SignIn', RiskLevel: 'High' }),
    )
    const f = one(p, [...others, own])
    expect(f.status).toBe('fail')
    expect(f.message).toContain("alarm 'z-own-typo'")
    expect(f.message).toContain('probable typo of "AccountTakeoverRisk"')
  })

  it("falls back to another pool's alarm only when its name mentions this pool", () => {
    const f = one(p, others)
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/no alarm watches AccountTakeoverRisk for it/)
    expect(f.message).not.toContain('a-other-')
    const copied = one(p, [...others, riskAlarm(`${p.name}-account-takeover`, 'us-east-1_Other3')])
    expect(copied.message).toMatch(/alarm '.*-account-takeover' watches pool us-east-1_Other3, not this pool/)
  })
})
