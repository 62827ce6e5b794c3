/**
 * A composite alarm already in ALARM (held there by another child) runs no action when this pool's alarm
 * fires: actions run on the transition into ALARM. Covered, but an advisory, not a silent pass.
 */
import { describe, expect, it } from 'vitest'
import { alarmsRisk } from '../../../../src/checks/alarms/checks.js'
import { reachability } from '../../../../src/checks/alarms/matcher.js'
import { runCheck } from '../../../../src/checks/index.js'
import type { CompositeAlarmInfo, MetricAlarmInfo } from '../../../../src/model/alarms.js'
import { toCompositeAlarm } from '../../../../src/sources/aws/cloudwatch/alarms.js'
import { composite, policy, riskAlarm, snap } from '../../../support/alarms.js'
import { pool } from '../../../support/pools.js'

const p = pool()
const silent = (): MetricAlarmInfo => riskAlarm('ato', p.id, { alarmActions: [] })
const run = (metricAlarms: MetricAlarmInfo[], compositeAlarms: CompositeAlarmInfo[]) =>
  runCheck(
    alarmsRisk,
    snap([p], { metricAlarms, compositeAlarms }),
    policy({ risk: { metrics: ['AccountTakeoverRisk'] } }),
  )[0]!

describe('composite alarms already in ALARM', () => {
  it('collects the StateValue of composite alarms', () => {
    expect(toCompositeAlarm({ AlarmName: 'c', AlarmRule: 'ALARM(a)', StateValue: 'ALARM' })?.stateValue).toBe('ALARM')
    expect(toCompositeAlarm({ AlarmName: 'c', AlarmRule: 'ALARM(a)' })).not.toHaveProperty('stateValue')
  })

  it('passes when the composite is OK or has no data', () => {
    for (const stateValue of ['OK', 'INSUFFICIENT_DATA', undefined]) {
      const c = composite('any-risk', 'ALARM(ato) OR ALARM(other)', stateValue ? { stateValue } : {})
      expect(run([silent()], [c]).status, String(stateValue)).toBe('pass')
    }
  })

  it('warns (an advisory) when the only composite that notifies is already in ALARM, naming it', () => {
    const f = run([silent()], [composite('any-risk', 'ALARM(ato) OR ALARM(other)', { stateValue: 'ALARM' })])
    expect(f.status).toBe('warn')
    expect(f.message).toContain("composite alarm 'any-risk' is already in ALARM")
    expect(f.message).toContain('actions run only on the transition into ALARM')
    expect(f.message).toContain('notifies nobody until it returns to OK')
    expect(f.remediation).toContain('any-risk')
    expect(f.evidence).toMatchObject({ compositeAlreadyInAlarm: ['any-risk'] })
  })

  it('warns when a composite in between is already in ALARM', () => {
    const f = run(
      [silent()],
      [
        composite('middle', 'ALARM(ato) OR ALARM(other)', { alarmActions: [], stateValue: 'ALARM' }),
        composite('top', 'ALARM(middle)', { stateValue: 'ALARM' }),
      ],
    )
    expect(f.status).toBe('warn')
    expect(f.message).toContain("'middle' is already in ALARM")
  })

  it('passes when another path notifies now (the alarm’s own action, or a composite not in ALARM)', () => {
    const held = composite('held', 'ALARM(ato) OR ALARM(other)', { stateValue: 'ALARM' })
    expect(run([riskAlarm('ato', p.id)], [held]).status).toBe('pass')
    const free = composite('free', 'ALARM(ato)', { stateValue: 'OK' })
    const f = run([silent()], [held, free])
    expect(f.status).toBe('pass')
    expect(f.message).toContain("through composite alarm 'free'")
    expect(reachability({ name: 'ato', actionsEnabled: true, alarmActions: [] }, [held, free])).toEqual({
      ok: true,
      via: 'composite:free',
    })
  })

  it('prefers an alarm that notifies now over one whose composite is held', () => {
    const held = composite('held', 'ALARM(a-first)', { stateValue: 'ALARM' })
    const f = run([riskAlarm('a-first', p.id, { alarmActions: [] }), riskAlarm('b-second', p.id)], [held])
    expect(f.status).toBe('pass')
    expect(f.message).toContain("by alarm 'b-second'")
  })
})
