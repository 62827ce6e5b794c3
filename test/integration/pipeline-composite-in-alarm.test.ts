/**
 * Composite alarms' StateValue through the whole pipeline: a pool whose alarm notifies only through a
 * composite already in ALARM gets an advisory on its alarm requirement, not a silent pass.
 */

import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/audit.js'
import { audit, finding, usePipelineSandbox } from './helpers/pipeline.js'
import { itemsOf } from '../support/pools.js'

const policy = `
version: 1
regions: [us-east-1]
threat-protection:
  mode: AUDIT
  require-blocking: false
alarms:
  risk:
    metrics: [AccountTakeoverRisk]
  throttles:
    enabled: false
  usage:
    enabled: false
cloudtrail:
  enabled: false
activity:
  enabled: false
`
const ATO = 'AccountTakeoverRisk'

describe('composite alarm already in ALARM through the whole pipeline', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/composite-in-alarm.yml')
  let result: AuditResult
  beforeAll(async () => {
    result = await audit(policy)
  })

  it('collects the composite alarms’ StateValue', () => {
    const composites = result.snapshot.regions[0]!.alarms!.compositeAlarms!
    expect(Object.fromEntries(itemsOf(composites).map((c) => [c.name, c.stateValue]))).toEqual({
      'ca-security-rollup': 'ALARM',
      'ca-quiet-rollup': 'OK',
    })
  })

  it('gives an advisory when the only composite that notifies is already in ALARM', () => {
    const f = finding(ctx, result, 'alarms-risk', 'ca-held', ATO)
    expect(f.status).toBe('warn')
    expect(f.message).toContain("by alarm 'ca-held-ato'")
    expect(f.message).toContain("composite alarm 'ca-security-rollup' is already in ALARM")
    expect(f.message).toContain('actions run only on the transition into ALARM')
  })

  it('passes when the composite is OK', () => {
    const f = finding(ctx, result, 'alarms-risk', 'ca-ok', ATO)
    expect(f.status).toBe('pass')
    expect(f.message).toContain("notifies through composite alarm 'ca-quiet-rollup'")
  })
})
