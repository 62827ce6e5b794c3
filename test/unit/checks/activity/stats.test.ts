import { describe, expect, it } from 'vitest'
import { failureRate, kindOf, poolActivity } from '../../../../src/checks/activity/stats.js'
import { activityWindow, windowHours } from '../../../../src/model/activity-window.js'
import { series, successes, WINDOW } from '../../../support/activity.js'

const P = 'us-east-1_Pool'

describe('activityWindow', () => {
  it('ends at the last whole hour and has a previous window of equal length', () => {
    const w = activityWindow(new Date('2026-11-22T04:59:59.999Z'), 6)
    expect(w).toEqual({
      previousStart: '2026-11-21T16:00:00.000Z',
      start: '2026-11-21T22:00:00.000Z',
      end: '2026-11-22T04:00:00.000Z',
      hours: 6,
      periodSeconds: 3600,
    })
    expect(windowHours(w)).toHaveLength(6)
    expect(windowHours(w)[5]).toBe('2026-11-22T03:00:00.000Z')
  })
})

describe('failureRate', () => {
  it('is undefined for zero attempts, not NaN and not 0%', () => {
    expect(failureRate(0, 0)).toBeUndefined()
    expect(failureRate(1, 4)).toBe(25)
  })
})

describe('poolActivity', () => {
  it('computes failures as SampleCount − Sum and the rate in percent', () => {
    const a = poolActivity(WINDOW, { poolId: P, series: successes('SignIn', P, 'c1', { 0: 100 }, { 0: 75 }) }, P)
    expect(kindOf(a, 'SignIn').current).toEqual({ attempts: 100, successes: 75, failures: 25, rate: 25 })
  })

  it('leaves the rate undefined when there were no attempts at all', () => {
    const a = poolActivity(WINDOW, { poolId: P, series: [] }, P)
    for (const k of a.kinds) {
      expect(k.current).toEqual({ attempts: 0, successes: 0, failures: 0 })
      expect(k.current.rate).toBeUndefined()
      expect(k.change).toBeUndefined()
    }
    expect(a.hourly.every((h) => h.rate === undefined && h.attempts === 0)).toBe(true)
    expect(a.risk).toBeUndefined()
  })

  it('sums several app clients (and identity providers for federation)', () => {
    const a = poolActivity(
      WINDOW,
      {
        poolId: P,
        series: [
          ...successes('SignIn', P, 'c1', { 0: 10, 1: 10 }, { 0: 10, 1: 5 }),
          ...successes('SignIn', P, 'c2', { 1: 30 }, { 1: 15 }),
          ...successes('Federation', P, 'c1', { 2: 4 }, { 2: 4 }).map((s) => ({
            ...s,
            dimensions: { ...s.dimensions, IdentityProvider: 'Google' },
          })),
          ...successes('Federation', P, 'c1', { 2: 6 }, { 2: 3 }).map((s) => ({
            ...s,
            dimensions: { ...s.dimensions, IdentityProvider: 'Okta' },
          })),
        ],
      },
      P,
    )
    expect(kindOf(a, 'SignIn').current).toEqual({ attempts: 50, successes: 30, failures: 20, rate: 40 })
    expect(kindOf(a, 'Federation').current).toEqual({ attempts: 10, successes: 7, failures: 3, rate: 30 })
    expect(a.hourly[0]).toEqual({ hour: WINDOW.start, attempts: 10, failures: 0, rate: 0 })
    expect(a.hourly[1]!.attempts).toBe(40)
    expect(a.hourly[1]!.failures).toBe(20)
    expect(a.hourly[1]!.rate).toBe(50)
  })

  it('treats missing hours as no attempts, and skips an hour where only one statistic came back', () => {
    const a = poolActivity(
      WINDOW,
      { poolId: P, series: successes('SignIn', P, 'c1', { 0: 10, 5: 20, 7: 8 }, { 0: 9, 5: 10 }) },
      P,
    )
    // hour 7 has a SampleCount but no Sum: counting it would turn 8 unknown outcomes into failures
    expect(kindOf(a, 'SignIn').current).toEqual({ attempts: 30, successes: 19, failures: 11, rate: (100 * 11) / 30 })
    expect(a.incompleteHours).toBe(1)
    expect(a.hourly[3]).toEqual({ hour: a.hourly[3]!.hour, attempts: 0, failures: 0 })
    expect(a.hourly[7]!.attempts).toBe(0)
  })

  it('counts throttled attempts as failures (they are in SampleCount with value 0) and reports throttles separately', () => {
    // 10 attempts: 6 succeeded, 4 throttled (emitted as 0 in SignInSuccesses)
    const a = poolActivity(
      WINDOW,
      {
        poolId: P,
        series: [
          ...successes('SignIn', P, 'c1', { 0: 10 }, { 0: 6 }),
          series('SignInThrottles', 'Sum', { 0: 4 }, { UserPool: P, UserPoolClient: 'c1' }),
          series('TokenRefreshThrottles', 'Sum', { 3: 2, [-3]: 9 }, { UserPool: P, UserPoolClient: 'c1' }),
        ],
      },
      P,
    )
    const signIn = kindOf(a, 'SignIn')
    expect(signIn.current.failures).toBe(4) // not 8: throttles are not added on top
    expect(signIn.throttles).toBe(4)
    expect(kindOf(a, 'TokenRefresh').throttles).toBe(2)
    expect(a.throttles).toBe(6)
    expect(a.previousThrottles).toBe(9)
  })

  it('compares with the previous window of equal length, in percentage points', () => {
    const a = poolActivity(
      WINDOW,
      {
        poolId: P,
        series: successes('SignIn', P, 'c1', { [-24]: 100, [-1]: 100, 0: 100 }, { [-24]: 95, [-1]: 95, 0: 70 }),
      },
      P,
    )
    const s = kindOf(a, 'SignIn')
    expect(s.previous).toEqual({ attempts: 200, successes: 190, failures: 10, rate: 5 })
    expect(s.current.rate).toBe(30)
    expect(s.change).toBe(25)
  })

  it('ignores datapoints outside both windows', () => {
    const a = poolActivity(
      WINDOW,
      { poolId: P, series: successes('SignIn', P, 'c1', { [-25]: 50, 24: 50 }, { [-25]: 0, 24: 0 }) },
      P,
    )
    expect(kindOf(a, 'SignIn').current.attempts).toBe(0)
    expect(kindOf(a, 'SignIn').previous.attempts).toBe(0)
  })

  it('has no change when the previous window had no attempts', () => {
    const a = poolActivity(WINDOW, { poolId: P, series: successes('SignIn', P, 'c1', { 0: 10 }, { 0: 5 }) }, P)
    expect(kindOf(a, 'SignIn').change).toBeUndefined()
  })

  it('sums risk detections by level across operations and both metric spellings', () => {
    const d = (op: string, level: string) => ({ UserPoolId: P, Operation: op, RiskLevel: level })
    const a = poolActivity(
      WINDOW,
      {
        poolId: P,
        series: [
          series('AccountTakeoverRisk', 'Sum', { 0: 2, [-2]: 50 }, d('SignIn', 'High')),
          series('AccountTakeOverRisk', 'Sum', { 1: 1 }, d('SignIn', 'high')),
          series('AccountTakeoverRisk', 'Sum', { 1: 3 }, d('SignIn', 'Low')),
          series('CompromisedCredentialsRisk', 'Sum', { 4: 5 }, d('SignUp', 'High')),
          series('Risk', 'Sum', { 4: 7 }, { UserPoolId: P, Operation: 'SignIn' }),
        ],
      },
      P,
    )
    expect(a.risk).toEqual({
      accountTakeover: { High: 3, Medium: 0, Low: 3, Unspecified: 0 },
      compromisedCredentials: { High: 5, Medium: 0, Low: 0, Unspecified: 0 },
      risky: 7,
      high: 8,
    })
  })

  it('lists series CloudWatch did not answer completely', () => {
    const s = series('SignInSuccesses', 'Sum', {}, { UserPool: P })
    s.status = 'Forbidden'
    expect(poolActivity(WINDOW, { poolId: P, series: [s] }, P).unreadable).toEqual(['SignInSuccesses/Sum: Forbidden'])
  })
})
