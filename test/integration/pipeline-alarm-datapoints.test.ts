/**
 * DatapointsToAlarm / EvaluationPeriods through the whole pipeline, judged against the policy: by default
 * the alarm must fire on a single breaching period; `max-datapoints-to-alarm` accepts slower alarms.
 */

import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/audit.js'
import { audit, finding, usePipelineSandbox } from './helpers/pipeline.js'

const policy = (extra = '') => `
version: 1
regions: [us-east-1]
threat-protection:
  mode: AUDIT
  require-blocking: false
alarms:
  risk:
    metrics: [AccountTakeoverRisk]
    max-threshold: 1
${extra}  throttles:
    enabled: false
  usage:
    enabled: false
cloudtrail:
  enabled: false
activity:
  enabled: false
`
const ATO = 'AccountTakeoverRisk'

describe('M of N datapoints through the whole pipeline', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/alarm-datapoints.yml')
  let result: AuditResult
  beforeAll(async () => {
    result = await audit(policy())
  })

  it('passes alarms that fire on one breaching period', () => {
    expect(finding(ctx, result, 'alarms-risk', 'dp-one-of-one', ATO).status).toBe('pass')
    expect(finding(ctx, result, 'alarms-risk', 'dp-one-of-three', ATO).status).toBe('pass')
  })

  it('fails 3 of 3 under max-threshold 1, saying why', () => {
    const f = finding(ctx, result, 'alarms-risk', 'dp-three-of-three', ATO)
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(
      /alarm 'dp-three-of-three-ato' needs 3 breaching datapoints \(DatapointsToAlarm 3 of EvaluationPeriods 3\) before it fires: a count of 1 in one period does not fire it.*\[rule: datapoints\]/,
    )
    expect(f.remediation).toContain('--datapoints-to-alarm 1')
  })

  it('fails N of N when DatapointsToAlarm is absent', () => {
    const f = finding(ctx, result, 'alarms-risk', 'dp-two-periods', ATO)
    expect(f.status).toBe('fail')
    expect(f.message).toContain('EvaluationPeriods 2, no DatapointsToAlarm')
  })

  describe('with max-datapoints-to-alarm: 3', () => {
    let lenient: AuditResult
    beforeAll(async () => {
      lenient = await audit(policy('    max-datapoints-to-alarm: 3\n'))
    })
    it('accepts the slower alarms, with a note', () => {
      const f = finding(ctx, lenient, 'alarms-risk', 'dp-three-of-three', ATO)
      expect(f.status).toBe('pass')
      expect(f.message).toContain('needs breaching data in 3 of 3 periods')
      expect(finding(ctx, lenient, 'alarms-risk', 'dp-two-periods', ATO).status).toBe('pass')
    })
  })
})
