/**
 * An alarm whose Unit differs from the unit the metric is published in never receives a datapoint: it
 * stays in INSUFFICIENT_DATA for ever (PutMetricAlarm). Cognito publishes its metrics in Count; the
 * AWS/Usage metrics are published without a unit (None). A Unit left out matches any unit.
 */
import { describe, expect, it } from 'vitest'
import { alarmsRisk, alarmsThrottles, alarmsUsage } from '../../../../src/checks/alarms/checks.js'
import { runCheck } from '../../../../src/checks/index.js'
import type { MetricAlarmInfo, MetricQuery } from '../../../../src/model/alarms.js'
import { toMetricAlarm } from '../../../../src/sources/aws/cloudwatch/alarms.js'
import { snapshotProblem } from '../../../../src/sources/saved/validate.js'
import { alarm, policy, riskAlarm, series, snap, throttleAlarm } from '../../../support/alarms.js'
import { pool } from '../../../support/pools.js'

const ONLY_ATO = { risk: { metrics: ['AccountTakeoverRisk'] } }
const p = pool({ clients: [{ id: 'web', name: 'web' }] })
const risk = (a: MetricAlarmInfo) => runCheck(alarmsRisk, snap([p], { metricAlarms: [a] }), policy(ONLY_ATO))[0]!
const rule = (f: { evidence?: unknown }) => (f.evidence as { failedRule?: string }).failedRule

describe('alarm Unit: collected', () => {
  it('keeps the Unit of a single-metric alarm and of each MetricStat query', () => {
    const single = toMetricAlarm({
      AlarmName: 'a',
      Namespace: 'AWS/Cognito',
      MetricName: 'SignInThrottles',
      Statistic: 'Sum',
      Unit: 'Seconds',
    })
    expect(single?.unit).toBe('Seconds')
    const math = toMetricAlarm({
      AlarmName: 'b',
      Metrics: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: { Namespace: 'AWS/Cognito', MetricName: 'SignInThrottles' },
            Period: 300,
            Stat: 'Sum',
            Unit: 'Percent',
          },
          ReturnData: false,
        },
        { Id: 'e1', Expression: 'm1 * 2', ReturnData: true },
      ],
    })
    expect(math?.queries?.[0]?.unit).toBe('Percent')
    expect(toMetricAlarm({ AlarmName: 'c', Namespace: 'AWS/Cognito', MetricName: 'X' })).not.toHaveProperty('unit')
  })
})

describe('alarm Unit: saved snapshots', () => {
  const saved = (unit: unknown) => {
    const s = snap([p], { metricAlarms: [riskAlarm('ato', p.id, { unit: unit as string })] })
    return JSON.parse(JSON.stringify(s)) as unknown
  }
  it('accepts a saved alarm with a Unit and refuses one whose Unit is not a string', () => {
    expect(snapshotProblem(saved('Seconds'))).toBeUndefined()
    expect(snapshotProblem(saved(5))).toMatch(/metricAlarms\.items\[0\]\.unit must be a string/)
  })
  it('a saved alarm in another unit still fails', () => {
    const f = runCheck(alarmsRisk, saved('Seconds') as never, policy(ONLY_ATO))[0]!
    expect(f.status).toBe('fail')
    expect(rule(f)).toBe('unit')
  })
})

describe('alarm Unit: judged against the unit the metric is published in', () => {
  it('passes without a Unit and with Count (what Cognito publishes)', () => {
    expect(risk(riskAlarm('ato', p.id)).status).toBe('pass')
    expect(risk(riskAlarm('ato', p.id, { unit: 'Count' })).status).toBe('pass')
  })

  for (const unit of ['Seconds', 'None', 'Percent', 'Count/Second']) {
    it(`fails a risk alarm with Unit ${unit}, saying it can never fire`, () => {
      const f = risk(riskAlarm('ato', p.id, { unit }))
      expect(f.status).toBe('fail')
      expect(rule(f)).toBe('unit')
      expect(f.message).toContain(`alarm 'ato' has Unit ${unit}`)
      expect(f.message).toContain('AccountTakeoverRisk is published in Count')
      expect(f.message).toMatch(/INSUFFICIENT_DATA/)
      expect(f.message).toMatch(/can never fire/)
      expect(f.remediation).toMatch(/--unit Count|Unit/)
    })
  }

  it('fails a throttle alarm with the wrong Unit', () => {
    const f = runCheck(
      alarmsThrottles,
      snap([p], { metricAlarms: [throttleAlarm('thr', p.id, 'web', { unit: 'Milliseconds' })] }),
      policy(),
    )[0]!
    expect(f.status).toBe('fail')
    expect(f.message).toContain("alarm 'thr' has Unit Milliseconds")
  })

  it('judges the Unit of the MetricStat query a metric-math alarm watches', () => {
    const m1: MetricQuery = {
      id: 'm1',
      returnData: true,
      metric: series('AccountTakeoverRisk', { UserPoolId: p.id, Operation: 'SignIn', RiskLevel: 'High' }),
      stat: 'Sum',
      period: 300,
    }
    const good = alarm('math', m1.metric!, { queries: [m1] })
    delete good.metric
    delete good.statistic
    expect(risk(good).status).toBe('pass')
    const bad = { ...good, queries: [{ ...m1, unit: 'Bytes' }] }
    const f = risk(bad)
    expect(f.status).toBe('fail')
    expect(f.message).toContain('has Unit Bytes')
  })

  it('AWS/Usage ThrottleCount has no unit (None): None and absent pass, Count fails', () => {
    const usage = (unit?: string) =>
      runCheck(
        alarmsUsage,
        snap([p], {
          metricAlarms: [
            alarm(
              'usage',
              series(
                'ThrottleCount',
                { Service: 'Cognito user pool', Type: 'API', Resource: 'UserAuthentication', Class: 'None' },
                'AWS/Usage',
              ),
              { threshold: 1, ...(unit ? { unit } : {}) },
            ),
          ],
          usageMetrics: [
            series(
              'ThrottleCount',
              { Service: 'Cognito user pool', Type: 'API', Resource: 'UserAuthentication', Class: 'None' },
              'AWS/Usage',
            ),
          ],
        }),
        policy(),
      )[0]!
    expect(usage().status).toBe('pass')
    expect(usage('None').status).toBe('pass')
    const f = usage('Count')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('has Unit Count')
    expect(f.message).toContain('without a unit (None)')
  })
})
