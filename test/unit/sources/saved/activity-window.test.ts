/**
 * A saved snapshot's activity window against the policy's lookback (issue 16, item 5): the activity
 * thresholds are judged only over the window the policy asks for; a snapshot holding another is an
 * `error` naming both, and the summary's method line states the window the snapshot holds.
 */
import { describe, expect, it } from 'vitest'
import { activityRequirement } from '../../../../src/checks/activity/index.js'
import { activitySection } from '../../../../src/checks/activity/policy.js'
import { evaluate } from '../../../../src/checks/index.js'
import { activityWindow, heldActivityHours } from '../../../../src/model/activity-window.js'
import type { AccountSnapshot } from '../../../../src/model/snapshot.js'
import { withCollectionGaps } from '../../../../src/sources/saved/gaps.js'
import { NOW, successes } from '../../../support/activity.js'
import { testPolicy } from '../../../support/policy.js'
import { pool, snapshot } from '../../../support/pools.js'

const p = pool({ id: 'us-east-1_Win1', name: 'win' })

/** A snapshot collected with `hours` of activity (and the record saying `recorded`, when given). */
function saved(hours: number, recorded?: number | null): AccountSnapshot {
  const s = snapshot({ 'us-east-1': [p] })
  s.collectedAt = NOW.toISOString()
  s.source = { kind: 'saved', path: 'snap.json' }
  const window = activityWindow(NOW, hours)
  s.regions[0]!.activity = {
    window,
    metrics: [{ poolId: p.id, series: successes('SignIn', p.id, 'c1', { 0: 50 }, { 0: 10 }) }],
    errors: [],
  }
  if (recorded !== null)
    s.collected = {
      cloudtrail: false,
      activity: { lookbackHours: recorded ?? hours, eventPages: 0, personalData: false },
    }
  return s
}

function policyWith(lookback: string) {
  return testPolicy({
    activity: activitySection.normalize(
      { lookback, 'event-pages': 0, thresholds: { 'max-sign-in-failure-rate': 10, 'max-throttles': 0 } },
      { regions: ['us-east-1'] },
    ),
  })
}

function auditSaved(s: AccountSnapshot, lookback: string) {
  const policy = policyWith(lookback)
  const gapped = withCollectionGaps(s, policy)
  const activity = evaluate(gapped, policy, '2026-11-22').filter((f) => f.requirement === 'activity')
  const method = activityRequirement.method!(policy.activity, gapped)
    .map((x) => (typeof x === 'string' ? x : x.code))
    .join('')
  return { activity, method }
}

describe('a saved snapshot audited with another activity window than it holds', () => {
  it('the window it holds: judged (a failure rate of 80% fails), and the method line is the usual one', () => {
    const r = auditSaved(saved(24), '24h')
    expect(r.activity.map((f) => [f.checkId, f.status])).toEqual(
      expect.arrayContaining([
        ['activity-sign-in-failure-rate', 'fail'],
        ['activity-throttles', 'pass'],
      ]),
    )
    expect(r.method).toMatch(
      /^CloudWatch AWS\/Cognito metrics over the last 24 h ending at the last whole hour \(hourly;/,
    )
    expect(r.method).not.toContain('policy asks')
  })

  it('24 h held, 72 h asked: every threshold is an error naming both, never the 24 h verdict', () => {
    const r = auditSaved(saved(24), '72h')
    expect(r.activity).toHaveLength(2)
    for (const f of r.activity) {
      expect(f.status).toBe('error')
      expect(f.message).toContain('The saved snapshot holds 24 h of activity; the policy asks for 72 h.')
      expect(f.message).toContain('activity.lookback 24h')
    }
    expect(r.method).toContain('metrics over the last 24 h ending at the last whole hour')
    expect(r.method).toContain('compared with the 24 h before')
    expect(r.method).toContain(
      'The snapshot holds 24 h of activity; the policy asks for 72 h, so no activity threshold is judged',
    )
    expect(r.method).not.toContain('last 72 h')
  })

  it('72 h held, 24 h asked: an error too (its counts are not the policy’s window, and its breakdown cannot be cut)', () => {
    const r = auditSaved(saved(72), '24h')
    for (const f of r.activity) {
      expect(f.status).toBe('error')
      expect(f.message).toContain('The saved snapshot holds 72 h of activity; the policy asks for 24 h.')
    }
  })

  it('the record says less than the window: the record counts (the shorter)', () => {
    const s = saved(72, 24)
    expect(heldActivityHours(s, s.regions[0]!)).toBe(24)
    for (const f of auditSaved(s, '72h').activity)
      expect(f.message).toContain('The saved snapshot holds 24 h of activity; the policy asks for 72 h.')
  })

  it('without the record (snapshots written before it): the window the data covers decides', () => {
    const s = saved(24, null)
    expect(s.collected).toBeUndefined()
    expect(heldActivityHours(s, s.regions[0]!)).toBe(24)
    expect(auditSaved(s, '72h').activity.every((f) => f.status === 'error')).toBe(true)
    expect(auditSaved(s, '24h').activity.some((f) => f.status === 'fail')).toBe(true)
  })

  it('without any activity data: no window is claimed, and the thresholds are errors', () => {
    const s = saved(24)
    delete s.regions[0]!.activity
    delete s.collected
    const r = auditSaved(s, '72h')
    expect(r.method).toBe('none: the saved snapshot holds no activity data, so no activity threshold is judged')
    expect(r.activity.length).toBeGreaterThan(0)
    expect(r.activity.every((f) => f.status === 'error')).toBe(true)
  })
})
