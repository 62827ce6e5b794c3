/**
 * An alarm that needs M of N breaching datapoints (DatapointsToAlarm, or EvaluationPeriods when it is
 * absent) does not fire on one risky sign-in: with max-threshold 1 ("must fire at a count of 1") and the
 * default max-datapoints-to-alarm 1 it is too lax, a failure, not a pass with a note.
 */
import { describe, expect, it } from 'vitest'
import { alarmsRisk, alarmsThrottles, alarmsUsage } from '../../../../src/checks/alarms/checks.js'
import { normalizeAlarms } from '../../../../src/checks/alarms/policy.js'
import { runCheck } from '../../../../src/checks/index.js'
import type { MetricAlarmInfo } from '../../../../src/model/alarms.js'
import { PolicyIssue } from '../../../../src/model/policy-section.js'
import { alarm, policy, riskAlarm, series, snap, throttleAlarm } from '../../../support/alarms.js'
import { pool } from '../../../support/pools.js'

const ONLY_ATO = { metrics: ['AccountTakeoverRisk'] }
const p = pool({ clients: [{ id: 'web', name: 'web' }] })
const risk = (a: MetricAlarmInfo, extra: Record<string, unknown> = {}) =>
  runCheck(alarmsRisk, snap([p], { metricAlarms: [a] }), policy({ risk: { ...ONLY_ATO, ...extra } }))[0]!
const rule = (f: { evidence?: unknown }) => (f.evidence as { failedRule?: string }).failedRule

describe('M of N datapoints against the policy', () => {
  it('passes an alarm that fires on one breaching period (1 of 1, 1 of 3)', () => {
    expect(risk(riskAlarm('a', p.id, { evaluationPeriods: 1 })).status).toBe('pass')
    expect(risk(riskAlarm('a', p.id, { evaluationPeriods: 3, datapointsToAlarm: 1 })).status).toBe('pass')
  })

  it('fails 3 of 3 under max-threshold 1: a single risky sign-in does not fire it', () => {
    const f = risk(riskAlarm('a', p.id, { evaluationPeriods: 3, datapointsToAlarm: 3 }))
    expect(f.status).toBe('fail')
    expect(rule(f)).toBe('datapoints')
    expect(f.message).toContain("alarm 'a' needs 3 breaching datapoints (DatapointsToAlarm 3 of EvaluationPeriods 3)")
    expect(f.message).toContain('a count of 1 in one period does not fire it')
    expect(f.message).toContain('[rule: datapoints]')
    expect(f.remediation).toContain('--datapoints-to-alarm 1')
  })

  it('takes EvaluationPeriods as M when DatapointsToAlarm is absent (N of N)', () => {
    const f = risk(riskAlarm('a', p.id, { evaluationPeriods: 2 }))
    expect(f.status).toBe('fail')
    expect(f.message).toContain('needs 2 breaching datapoints (EvaluationPeriods 2, no DatapointsToAlarm)')
  })

  it('fails 2 of 5 too', () => {
    expect(risk(riskAlarm('a', p.id, { evaluationPeriods: 5, datapointsToAlarm: 2 })).status).toBe('fail')
  })

  it('the policy can accept alarms that wait for several breaching periods, with a note', () => {
    const f = risk(riskAlarm('a', p.id, { evaluationPeriods: 3, datapointsToAlarm: 3 }), {
      'max-datapoints-to-alarm': 3,
    })
    expect(f.status).toBe('pass')
    expect(f.message).toContain('needs breaching data in 3 of 3 periods')
    expect(
      risk(riskAlarm('a', p.id, { evaluationPeriods: 4, datapointsToAlarm: 4 }), {
        'max-datapoints-to-alarm': 3,
      }).status,
    ).toBe('fail')
  })

  it('applies to the throttle and usage requirements as well', () => {
    const thr = runCheck(
      alarmsThrottles,
      snap([p], { metricAlarms: [throttleAlarm('t', p.id, 'web', { evaluationPeriods: 2, datapointsToAlarm: 2 })] }),
      policy(),
    )[0]!
    expect(thr.status).toBe('fail')
    expect(thr.message).toContain('a count of 10 in one period does not fire it')
    const dims = { Service: 'Cognito user pool', Type: 'API', Resource: 'UserAuthentication', Class: 'None' }
    const usage = runCheck(
      alarmsUsage,
      snap([p], {
        metricAlarms: [
          alarm('u', series('ThrottleCount', dims, 'AWS/Usage'), { evaluationPeriods: 3, datapointsToAlarm: 2 }),
        ],
        usageMetrics: [series('ThrottleCount', dims, 'AWS/Usage')],
      }),
      policy(),
    )[0]!
    expect(usage.status).toBe('fail')
    expect(rule(usage)).toBe('datapoints')
  })
})

describe('alarms policy: max-datapoints-to-alarm', () => {
  it('defaults to 1 for every requirement', () => {
    const a = normalizeAlarms({})
    expect([a.risk.maxDatapointsToAlarm, a.throttles.maxDatapointsToAlarm, a.usage.maxDatapointsToAlarm]).toEqual([
      1, 1, 1,
    ])
    expect(normalizeAlarms({ throttles: { 'max-datapoints-to-alarm': 5 } }).throttles.maxDatapointsToAlarm).toBe(5)
  })

  it('refuses a value below 1 or not whole', () => {
    expect(() => normalizeAlarms({ risk: { 'max-datapoints-to-alarm': 0 } })).toThrow(PolicyIssue)
    expect(() => normalizeAlarms({ risk: { 'max-datapoints-to-alarm': 1.5 } })).toThrow(PolicyIssue)
  })
})
