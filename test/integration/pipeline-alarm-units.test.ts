/**
 * The alarm's Unit through the whole pipeline: DescribeAlarms returns it (single-metric alarms and the
 * MetricStat of metric-math alarms) and an alarm whose Unit is not the metric's is no alarm.
 */

import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/audit.js'
import { audit, finding, regionFindingOf, usePipelineSandbox } from './helpers/pipeline.js'
import { itemsOf } from '../support/pools.js'

const policy = `
version: 1
regions: [us-east-1, eu-west-1]
threat-protection:
  mode: AUDIT
  require-blocking: false
alarms:
  risk:
    metrics: [AccountTakeoverRisk]
cloudtrail:
  enabled: false
activity:
  enabled: false
`
const ATO = 'AccountTakeoverRisk'

describe('alarm units through the whole pipeline', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/alarm-units.yml')
  let result: AuditResult
  beforeAll(async () => {
    result = await audit(policy)
  })

  it('collects the Unit of each alarm', () => {
    const alarms = result.snapshot.regions.flatMap((r) => itemsOf(r.alarms?.metricAlarms))
    const unitOf = (name: string) => {
      const a = alarms.find((x) => x.name === name)
      return a?.unit ?? a?.queries?.find((q) => q.metric)?.unit
    }
    expect(unitOf('unit-none-set-ato')).toBeUndefined()
    expect(unitOf('unit-count-ato')).toBe('Count')
    expect(unitOf('unit-seconds-ato')).toBe('Seconds')
    expect(unitOf('unit-math-percent-ato')).toBe('Percent')
  })

  it('passes an alarm without a Unit and one in Count', () => {
    expect(finding(ctx, result, 'alarms-risk', 'unit-none-set', ATO).status).toBe('pass')
    expect(finding(ctx, result, 'alarms-risk', 'unit-count', ATO).status).toBe('pass')
  })

  it('fails an alarm in another unit: it can never fire', () => {
    const f = finding(ctx, result, 'alarms-risk', 'unit-seconds', ATO)
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(
      /alarm 'unit-seconds-ato' has Unit Seconds, but AccountTakeoverRisk is published in Count: .*INSUFFICIENT_DATA and can never fire \[rule: unit\]/,
    )
    const thr = finding(ctx, result, 'alarms-throttles', 'unit-seconds', 'SignInThrottles')
    expect(thr.status).toBe('fail')
    expect(thr.message).toContain("alarm 'unit-seconds-thr' has Unit Milliseconds")
  })

  it('fails a metric-math alarm whose query is in another unit', () => {
    const f = finding(ctx, result, 'alarms-risk', 'unit-math-percent', ATO)
    expect(f.status).toBe('fail')
    expect(f.message).toContain('has Unit Percent on query "m1"')
  })

  it('AWS/Usage ThrottleCount: Count fails (published without a unit), None passes', () => {
    const us = regionFindingOf(result, 'alarms-usage', 'us-east-1')
    expect(us.status).toBe('fail')
    expect(us.message).toContain("alarm 'usage-throttles-count' has Unit Count")
    expect(us.message).toContain('without a unit (None)')
    expect(regionFindingOf(result, 'alarms-usage', 'eu-west-1').status).toBe('pass')
  })
})
