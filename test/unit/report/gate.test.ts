import { describe, expect, it } from 'vitest'
import { gate } from '../../../src/audit.js'
import { finding, pool, resultOf, snapshotOf } from '../../support/result.js'

const snap = snapshotOf([pool('us-east-1_a', 'a'), pool('us-east-1_b', 'b')])

describe('gate (fail-on)', () => {
  const violating = resultOf(snap, [finding({ status: 'fail', poolId: 'us-east-1_a' })])
  const unverified = resultOf(snap, [finding({ status: 'error', poolId: 'us-east-1_a' })])
  const both = resultOf(snap, [
    finding({ status: 'fail', poolId: 'us-east-1_a' }),
    finding({ status: 'error', poolId: 'us-east-1_b' }),
  ])
  const clean = resultOf(snap, [
    finding({ status: 'pass', poolId: 'us-east-1_a' }),
    finding({ status: 'warn', poolId: 'us-east-1_b' }),
    finding({ status: 'exempt', poolId: 'us-east-1_b' }),
  ])

  it('violation (default) fails on violations and on what could not be verified', () => {
    expect(gate(violating, 'violation')).toBe('1 policy violation')
    expect(gate(unverified, 'violation')).toBe('1 requirement could not be verified')
    expect(gate(both, 'violation')).toBe('1 policy violation; 1 requirement could not be verified')
    expect(gate(clean, 'violation')).toBeUndefined()
  })

  it('error fails only when something could not be verified', () => {
    expect(gate(violating, 'error')).toBeUndefined()
    expect(gate(unverified, 'error')).toBe('1 requirement could not be verified')
    expect(gate(both, 'error')).toBe('1 requirement could not be verified')
  })

  it('never only reports', () => {
    expect(gate(both, 'never')).toBeUndefined()
  })

  it('warnings and exemptions never fail and keep the account compliant', () => {
    expect(clean.compliant).toBe(true)
    expect(clean.counts).toMatchObject({ pass: 1, warn: 1, exempt: 1, fail: 0, error: 0, poolsFailing: 0 })
  })

  it('counts a region-level violation against every pool of its region only', () => {
    const s = snapshotOf([pool('us-east-1_a', 'a'), pool('us-east-1_b', 'b'), pool('eu-west-1_c', 'c')])
    const r = resultOf(s, [finding({ status: 'fail', requirement: 'cloudtrail', checkId: 'cloudtrail-capture' })])
    expect(r.counts.poolsFailing).toBe(2)
    expect(r.counts.pools).toBe(3)
  })

  it('counts a named pool that does not exist separately from the audited pools', () => {
    const r = resultOf(snap, [
      finding({ status: 'fail', poolId: 'us-east-1_gone', checkId: 'pool-exists' }),
      finding({ status: 'fail', poolId: 'us-east-1_a' }),
    ])
    expect(r.counts).toMatchObject({ fail: 2, poolsFailing: 1, missing: 1, pools: 2 })
  })
})
