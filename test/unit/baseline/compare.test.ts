import { describe, expect, it } from 'vitest'
import {
  type ComparableReport,
  compareReports,
  covers,
  type DeltaState,
  type TrackedFinding,
} from '../../../src/baseline/compare.js'
import { findingIdentity } from '../../../src/model/identity.js'

const ACCOUNT = '123456789012'
let serial = 0
const DAY1 = '2026-12-01T02:00:00.000Z'
const DAY2 = '2026-12-02T02:00:00.000Z'
const DAY3 = '2026-12-03T02:00:00.000Z'

/** A finding about `pool` (or the region), keyed as the report keys it. */
function tf(
  what: { checkId?: string; pool?: string; region?: string; resource?: string; poolName?: string },
  status: TrackedFinding['status'],
  extra: Partial<TrackedFinding> = {},
  account: string | undefined = ACCOUNT,
): TrackedFinding {
  const base = {
    checkId: what.checkId ?? 'threat-protection',
    region: what.region ?? 'us-east-1',
    ...(what.pool ? { poolId: what.pool } : {}),
    ...(what.resource ? { resource: what.resource } : {}),
  }
  return {
    ...base,
    id: findingIdentity(base, account),
    title: 'Threat protection on',
    status,
    severity: 'high',
    ...(what.poolName ? { poolName: what.poolName } : {}),
    message: `${status} (${++serial})`,
    ...extra,
  }
}

const SCOPE = { regions: ['us-east-1'], checks: ['threat-protection', 'cloudtrail-capture', 'alarms-risk'] }

function report(
  collectedAt: string,
  findings: TrackedFinding[],
  over: Partial<ComparableReport> = {},
): ComparableReport {
  return { kind: 'report', collectedAt, accountId: ACCOUNT, scope: SCOPE, findings, ...over }
}

const A = { pool: 'us-east-1_Aaaaaaaa1' }
const B = { pool: 'us-east-1_Bbbbbbbb1' }
const CT = { checkId: 'cloudtrail-capture' }

function states(prev: ComparableReport, cur: ComparableReport): Array<[DeltaState, string]> {
  return compareReports(prev, cur).entries.map((e) => [e.state, e.finding.id])
}

describe('comparing two reports', () => {
  // One row per transition of one finding between the baseline and this run.
  const table: Array<
    [string, TrackedFinding['status'] | undefined, TrackedFinding['status'] | undefined, DeltaState | undefined]
  > = [
    ['absent → fail is new', undefined, 'fail', 'new'],
    ['pass → fail is new', 'pass', 'fail', 'new'],
    ['warn → fail is new', 'warn', 'fail', 'new'],
    ['exempt (exemption expired) → fail is new', 'exempt', 'fail', 'new'],
    ['fail → fail persists', 'fail', 'fail', 'persisting'],
    ['fail → pass is resolved', 'fail', 'pass', 'resolved'],
    ['fail → exempt is resolved (accepted)', 'fail', 'exempt', 'resolved'],
    ['fail → absent is resolved (the pool is gone)', 'fail', undefined, 'resolved'],
    ['fail → error is unverified, not resolved', 'fail', 'error', 'unverified'],
    ['pass → error is unverified, not new', 'pass', 'error', 'unverified'],
    ['pass → pass is nothing', 'pass', 'pass', undefined],
    ['absent → pass is nothing', undefined, 'pass', undefined],
    ['pass → absent is nothing', 'pass', undefined, undefined],
  ]
  it.each(table)('%s', (_name, before, now, expected) => {
    const prev = report(DAY1, before ? [tf(A, before)] : [])
    const cur = report(DAY2, now ? [tf(A, now)] : [])
    const got = compareReports(prev, cur)
    expect(got.entries.map((e) => e.state)).toEqual(expected ? [expected] : [])
    const counts = { new: 0, persisting: 0, resolved: 0, unverified: 0, uncompared: 0 }
    if (expected) counts[expected] = 1
    expect(got.counts).toEqual({ ...counts, outOfScope: 0 })
  })

  it('matches by identity, not by message: a reworded violation persists', () => {
    const prev = report(DAY1, [tf(A, 'fail', { message: 'Threat protection is off.' })])
    const cur = report(DAY2, [tf(A, 'fail', { message: 'Threat protection: OFF; required AUDIT.' })])
    expect(states(prev, cur)).toEqual([['persisting', tf(A, 'fail').id]])
  })

  it('a new violation on another pool is new, even with the same check id as an old one', () => {
    const prev = report(DAY1, [tf(A, 'fail')])
    const cur = report(DAY2, [tf(A, 'fail'), tf(B, 'fail')])
    expect(states(prev, cur)).toEqual([
      ['new', tf(B, 'fail').id],
      ['persisting', tf(A, 'fail').id],
    ])
  })

  it('carries "first seen" from the older report across runs', () => {
    const d1 = report(DAY1, [tf(A, 'fail')])
    const d2 = compareReports(d1, report(DAY2, [tf(A, 'fail')]))
    expect(d2.entries[0]).toMatchObject({ state: 'persisting', firstSeen: DAY1 })
    // Run 3 compares with run 2's report, which recorded first seen = DAY1.
    const d3 = compareReports(report(DAY2, [tf(A, 'fail', { firstSeen: DAY1 })]), report(DAY3, [tf(A, 'fail')]))
    expect(d3.entries[0]).toMatchObject({ state: 'persisting', firstSeen: DAY1 })
    // A new violation is first seen now.
    const fresh = compareReports(report(DAY1, []), report(DAY2, [tf(A, 'fail')]))
    expect(fresh.entries[0]).toMatchObject({ state: 'new', firstSeen: DAY2 })
  })

  it('an error that hides a previously failing finding carries its last known state, then resumes it', () => {
    const d1 = report(DAY1, [tf(A, 'fail', { firstSeen: '2026-11-20T02:00:00.000Z' })])
    const d2 = compareReports(d1, report(DAY2, [tf(A, 'error')]))
    expect(d2.counts).toMatchObject({ new: 0, resolved: 0, unverified: 1 })
    expect(d2.entries[0]).toMatchObject({
      state: 'unverified',
      firstSeen: '2026-11-20T02:00:00.000Z',
      lastKnown: { status: 'fail', firstSeen: '2026-11-20T02:00:00.000Z', at: DAY1 },
    })
    // Run 3: readable again and still failing → persisting since the original date, not new.
    const lastKnown = d2.entries[0]!.lastKnown!
    const d3 = compareReports(report(DAY2, [tf(A, 'error', { lastKnown })]), report(DAY3, [tf(A, 'fail')]))
    expect(d3.entries[0]).toMatchObject({ state: 'persisting', firstSeen: '2026-11-20T02:00:00.000Z' })
    // Or fixed in the meantime → resolved.
    const d3b = compareReports(report(DAY2, [tf(A, 'error', { lastKnown })]), report(DAY3, [tf(A, 'pass')]))
    expect(d3b.entries[0]).toMatchObject({ state: 'resolved', resolvedAs: 'pass' })
    // An error carried over twice stays unverified with the same last known state.
    const d3c = compareReports(report(DAY2, [tf(A, 'error', { lastKnown })]), report(DAY3, [tf(A, 'error')]))
    expect(d3c.entries[0]).toMatchObject({ state: 'unverified', lastKnown })
  })

  it('a region-level finding is matched whichever trail decided it', () => {
    const prev = report(DAY1, [tf({ ...CT, resource: 'arn:…:trail/a' }, 'fail')])
    const cur = report(DAY2, [tf({ ...CT, resource: 'arn:…:trail/b' }, 'fail')])
    expect(compareReports(prev, cur).entries.map((e) => e.state)).toEqual(['persisting'])
  })

  it('orders new first, then unverified, persisting, resolved; worst severity first', () => {
    const C = { pool: 'us-east-1_Cccccccc1' }
    const D = { pool: 'us-east-1_Dddddddd1' }
    const prev = report(DAY1, [tf(A, 'fail'), tf(C, 'fail'), tf(D, 'fail')])
    const cur = report(DAY2, [
      tf(A, 'fail'),
      tf(B, 'fail', { severity: 'low' }),
      tf({ pool: 'us-east-1_Eeeeeeee1' }, 'fail', { severity: 'critical' }),
      tf(C, 'error'),
    ])
    expect(compareReports(prev, cur).entries.map((e) => [e.state, e.finding.poolId])).toEqual([
      ['new', 'us-east-1_Eeeeeeee1'],
      ['new', B.pool],
      ['unverified', C.pool],
      ['persisting', A.pool],
      ['resolved', D.pool],
    ])
  })
})

describe('comparing only what both reports cover', () => {
  it('another account: nothing is compared, and the notes say so', () => {
    const prev = report(DAY1, [tf(A, 'fail', {}, '210987654321')], { accountId: '210987654321' })
    const cur = report(DAY2, [tf(A, 'fail'), tf(B, 'pass')])
    const got = compareReports(prev, cur)
    expect(got.comparable).toBe(false)
    expect(got.counts).toMatchObject({ new: 0, persisting: 0, resolved: 0, uncompared: 1 })
    expect(got.notes[0]).toBe(
      'The baseline is from account 210987654321, this run audited 123456789012: nothing was compared.',
    )
  })

  it('an unknown account on one side compares keys without the account', () => {
    const prev = report(DAY1, [tf(A, 'fail', {}, undefined)], { accountId: undefined })
    const cur = report(DAY2, [tf(A, 'fail')])
    expect(compareReports(prev, cur).entries.map((e) => e.state)).toEqual(['persisting'])
  })

  it('a changed policy: a check the baseline did not run is not new; one this run dropped is not resolved', () => {
    const prev = report(
      DAY1,
      [tf(A, 'fail'), tf({ ...A, checkId: 'alarms-risk', resource: 'AccountTakeoverRisk' }, 'fail')],
      {
        scope: { regions: ['us-east-1'], checks: ['threat-protection', 'alarms-risk'] },
      },
    )
    const cur = report(DAY2, [tf(A, 'fail'), tf(CT, 'fail')], {
      scope: { regions: ['us-east-1'], checks: ['threat-protection', 'cloudtrail-capture'] },
    })
    const got = compareReports(prev, cur)
    expect(got.entries.map((e) => [e.state, e.finding.checkId])).toEqual([
      ['persisting', 'threat-protection'],
      ['uncompared', 'cloudtrail-capture'],
    ])
    expect(got.counts).toMatchObject({ new: 0, resolved: 0, uncompared: 1, outOfScope: 1 })
    expect(got.notes).toEqual([
      'The baseline did not run cloudtrail-capture: those are not compared.',
      'This run did not run alarms-risk, which the baseline did.',
      '1 violation is outside what the baseline covered: neither new nor persisting.',
      '1 baseline violation is outside what this run covered: not counted as resolved.',
    ])
  })

  it('a region added or removed: not new there, not resolved there', () => {
    const eu = { ...A, region: 'eu-west-1', pool: 'eu-west-1_Aaaaaaaa1' }
    const prev = report(DAY1, [tf(eu, 'fail')], { scope: { ...SCOPE, regions: ['eu-west-1'] } })
    const cur = report(DAY2, [tf(A, 'fail')], { scope: { ...SCOPE, regions: ['us-east-1'] } })
    const got = compareReports(prev, cur)
    expect(got.counts).toMatchObject({ new: 0, resolved: 0, uncompared: 1, outOfScope: 1 })
    expect(got.notes.slice(0, 2)).toEqual([
      'The baseline did not audit us-east-1: not compared there.',
      'This run did not audit eu-west-1, which the baseline did.',
    ])
  })

  it('a pool the baseline selected by name glob is covered; one outside its selection is not', () => {
    const scope = { ...SCOPE, selection: { ids: [], names: ['shop-*'], all: false }, poolIds: [A.pool] }
    expect(covers(scope, { checkId: 'threat-protection', region: 'us-east-1', poolId: A.pool })).toBe(true)
    expect(
      covers(scope, { checkId: 'threat-protection', region: 'us-east-1', poolId: B.pool, poolName: 'shop-eu' }),
    ).toBe(true)
    expect(
      covers(scope, { checkId: 'threat-protection', region: 'us-east-1', poolId: B.pool, poolName: 'billing' }),
    ).toBe(false)
    // A pool created since the baseline, inside its selection, is compared: its violation is new.
    const prev = report(DAY1, [tf(A, 'fail')], { scope })
    const cur = report(DAY2, [tf(A, 'fail'), tf({ ...B, poolName: 'shop-eu' }, 'fail')])
    expect(compareReports(prev, cur).entries.map((e) => e.state)).toEqual(['new', 'persisting'])
    // One outside it is not compared.
    const other = report(DAY2, [tf(A, 'fail'), tf({ ...B, poolName: 'billing' }, 'fail')])
    expect(compareReports(prev, other).entries.map((e) => e.state)).toEqual(['persisting', 'uncompared'])
  })

  it('a committed baseline (no scope) covers everything: anything not in it is new', () => {
    const accepted = report(DAY1, [tf(A, 'fail')], { kind: 'baseline', scope: undefined })
    const cur = report(DAY2, [tf(A, 'fail'), tf(B, 'fail'), tf(CT, 'fail')], { scope: SCOPE })
    expect(compareReports(accepted, cur).counts).toMatchObject({ new: 2, persisting: 1, uncompared: 0 })
  })
})
