import { describe, expect, it } from 'vitest'
import { DEFAULT_QUOTAS, OPERATION_CATEGORY, QuotaLimiter, TokenBucket } from '../../../../src/sources/aws/quotas.js'

/** A clock that only moves when the bucket sleeps: every wait is accounted for exactly. */
function fakeClock() {
  let now = 0
  const sleeps: number[] = []
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      now += ms
    },
    sleeps,
    get elapsed() {
      return now
    },
  }
}

describe('token bucket', () => {
  it('lets the burst through at once, then one token per 1/rate seconds, in order', async () => {
    const c = fakeClock()
    const b = new TokenBucket(10, 5, c.now, c.sleep)
    const order: number[] = []
    await Promise.all(Array.from({ length: 25 }, (_, i) => b.take().then(() => order.push(i))))
    expect(order).toEqual(Array.from({ length: 25 }, (_, i) => i))
    // 5 from the burst, 20 more at 10/s = 2 s.
    expect(c.elapsed).toBe(2000)
    expect(c.sleeps.every((ms) => ms <= 100)).toBe(true)
  })

  it('refills while idle, never beyond the burst', async () => {
    const c = fakeClock()
    const b = new TokenBucket(2, 2, c.now, c.sleep)
    await b.take()
    await b.take()
    await c.sleep(10_000) // idle: refills to the burst of 2, not 20
    c.sleeps.length = 0
    const start = c.elapsed
    for (let i = 0; i < 4; i++) await b.take()
    expect(c.elapsed - start).toBe(1000)
  })

  it('rejects a rate that is not positive', () => {
    expect(() => new TokenBucket(0)).toThrow('token bucket rate must be positive')
  })
})

describe('quota limiter', () => {
  it('maps every operation the collectors call to a category with a default rate', () => {
    for (const op of [
      'ListUserPools',
      'DescribeUserPool',
      'DescribeRiskConfiguration',
      'ListUserPoolClients',
      'DescribeAlarms',
      'ListMetrics',
      'GetMetricData',
      'DescribeTrails',
      'GetTrailStatus',
      'GetEventSelectors',
      'LookupEvents',
    ]) {
      const category = OPERATION_CATEGORY[op]
      expect(category, op).toBeDefined()
      expect(DEFAULT_QUOTAS[category!], op).toBeGreaterThan(0)
    }
    expect(DEFAULT_QUOTAS['cognito:UserPoolRead']).toBe(15)
    expect(DEFAULT_QUOTAS['cloudtrail:LookupEvents']).toBe(2)
  })

  it('keeps one bucket per region and category; operations without a quota never wait', async () => {
    // A rate so low that a second token in the same bucket would take 1,000 s: each of these resolves only
    // because it draws on a bucket of its own (or on none), so a shared bucket would time the test out.
    const limiter = new QuotaLimiter({ 'cloudtrail:LookupEvents': 0.001, 'cloudwatch:ListMetrics': 0.001 })
    await Promise.all([
      ...Array.from({ length: 100 }, () => limiter.take('us-east-1', 'PutMetricData')),
      limiter.take('us-east-1', 'LookupEvents'),
      limiter.take('eu-west-1', 'LookupEvents'),
      limiter.take('us-east-1', 'ListMetrics'),
    ])
  })
})
