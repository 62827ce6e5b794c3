import { describe, expect, it } from 'vitest'
import { applyExemptions } from '../../../src/checks/exemptions.js'
import { finding } from '../../support/result.js'

const fail = finding({ status: 'fail', poolId: 'us-east-1_a', poolName: 'prod-users' })

describe('exemptions', () => {
  it('turns a covered failure into exempt, with the reason and expiry', () => {
    const [f] = applyExemptions(
      [fail],
      [{ pool: 'us-east-1_a', requirement: 'threat-protection', reason: 'migration', expires: '2026-12-31' }],
      '2026-11-22',
    )
    expect(f?.status).toBe('exempt')
    expect(f?.exemption).toEqual({ reason: 'migration', expires: '2026-12-31' })
  })

  it('is valid through its expiry date, inclusive', () => {
    const ex = [{ pool: 'us-east-1_a', requirement: 'threat-protection', reason: 'r', expires: '2026-11-22' }]
    expect(applyExemptions([fail], ex, '2026-11-22')[0]?.status).toBe('exempt')
    expect(applyExemptions([fail], ex, '2026-11-23')[0]?.status).toBe('fail')
  })

  it('an expired exemption no longer applies, and the finding says so', () => {
    const [f] = applyExemptions(
      [fail],
      [{ pool: 'us-east-1_a', requirement: 'threat-protection', reason: 'migration', expires: '2026-01-31' }],
      '2026-11-22',
    )
    expect(f?.status).toBe('fail')
    expect(f?.message).toContain('exemption expired on 2026-01-31: "migration"')
    expect(f?.exemption).toEqual({ reason: 'migration', expires: '2026-01-31', expired: true })
  })

  it('matches by check id, by name glob, and by `*`', () => {
    expect(
      applyExemptions([fail], [{ pool: 'prod-*', requirement: 'threat-protection', reason: 'r' }], '2026-11-22')[0]
        ?.status,
    ).toBe('exempt')
    expect(
      applyExemptions([fail], [{ pool: '*', requirement: 'threat-protection', reason: 'r' }], '2026-11-22')[0]?.status,
    ).toBe('exempt')
    expect(
      applyExemptions(
        [fail],
        [{ pool: 'us-east-1_a', requirement: 'threat-protection-enforcement', reason: 'r' }],
        '2026-11-22',
      )[0]?.status,
    ).toBe('fail')
    const byCheck = finding({ status: 'fail', poolId: 'us-east-1_a', checkId: 'threat-protection-enforcement' })
    expect(
      applyExemptions(
        [byCheck],
        [{ pool: 'us-east-1_a', requirement: 'threat-protection-enforcement', reason: 'r' }],
        '2026-11-22',
      )[0]?.status,
    ).toBe('exempt')
  })

  it('does not exempt another pool, another requirement, passes or errors', () => {
    const ex = [{ pool: 'us-east-1_a', requirement: 'threat-protection', reason: 'r' }]
    expect(applyExemptions([finding({ status: 'fail', poolId: 'us-east-1_b' })], ex, '2026-11-22')[0]?.status).toBe(
      'fail',
    )
    expect(
      applyExemptions(
        [finding({ status: 'fail', poolId: 'us-east-1_a', requirement: 'alarms', checkId: 'alarm-sign-in-throttles' })],
        ex,
        '2026-11-22',
      )[0]?.status,
    ).toBe('fail')
    expect(applyExemptions([finding({ status: 'error', poolId: 'us-east-1_a' })], ex, '2026-11-22')[0]?.status).toBe(
      'error',
    )
    expect(applyExemptions([finding({ status: 'pass', poolId: 'us-east-1_a' })], ex, '2026-11-22')[0]?.status).toBe(
      'pass',
    )
  })

  it('region-level findings are exempted only by `*` or the region name', () => {
    const regional = finding({ status: 'fail', requirement: 'cloudtrail', checkId: 'cloudtrail-capture' })
    expect(
      applyExemptions([regional], [{ pool: 'us-east-1_a', requirement: 'cloudtrail', reason: 'r' }], '2026-11-22')[0]
        ?.status,
    ).toBe('fail')
    expect(
      applyExemptions([regional], [{ pool: 'us-east-1', requirement: 'cloudtrail', reason: 'r' }], '2026-11-22')[0]
        ?.status,
    ).toBe('exempt')
  })
})
