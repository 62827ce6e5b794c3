/**
 * AWS's default request-rate quotas (per account and region) for the calls this
 * action makes, and a token bucket that keeps every attempt, retries included,
 * under them. The numbers are AWS's documented default rate quotas per account and region.
 */

/** Quota category of each operation. Operations not listed are not rate-limited by us. */
export const OPERATION_CATEGORY: Readonly<Record<string, string>> = {
  // Cognito user pools: categories are shared by all pools of the account and region.
  ListUserPools: 'cognito:UserPoolRead',
  DescribeUserPool: 'cognito:UserPoolRead',
  DescribeRiskConfiguration: 'cognito:UserPoolRead',
  ListUserPoolClients: 'cognito:UserPoolClientRead',
  DescribeUserPoolClient: 'cognito:UserPoolClientRead',
  // CloudWatch
  DescribeAlarms: 'cloudwatch:DescribeAlarms',
  ListMetrics: 'cloudwatch:ListMetrics',
  GetMetricData: 'cloudwatch:GetMetricData',
  // CloudTrail: each read API has its own 10 TPS; LookupEvents 2 TPS.
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetTrailStatus: 'cloudtrail:GetTrailStatus',
  GetEventSelectors: 'cloudtrail:GetEventSelectors',
  ListTrails: 'cloudtrail:ListTrails',
  LookupEvents: 'cloudtrail:LookupEvents',
}

/** Requests per second per account and region (AWS defaults). */
export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  'cognito:UserPoolRead': 15,
  'cognito:UserPoolClientRead': 15,
  'cloudwatch:DescribeAlarms': 9,
  'cloudwatch:ListMetrics': 25,
  'cloudwatch:GetMetricData': 50,
  'cloudtrail:DescribeTrails': 10,
  'cloudtrail:GetTrailStatus': 10,
  'cloudtrail:GetEventSelectors': 10,
  'cloudtrail:ListTrails': 10,
  'cloudtrail:LookupEvents': 2,
}

/**
 * A token bucket: `rate` tokens per second, holding at most `burst`.
 * `take()` resolves when a token is available; callers queue in order.
 */
export class TokenBucket {
  private tokens: number
  private last: number
  private queue: Promise<void> = Promise.resolve()

  constructor(
    readonly rate: number,
    readonly burst: number = rate,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(rate > 0)) throw new Error(`token bucket rate must be positive, got ${rate}`)
    this.tokens = burst
    this.last = this.now()
  }

  take(): Promise<void> {
    const next = this.queue.then(() => this.acquire())
    this.queue = next.catch(() => undefined)
    return next
  }

  private async acquire(): Promise<void> {
    for (;;) {
      const t = this.now()
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate)
      this.last = t
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.rate) * 1000))
    }
  }
}

/** One bucket per (region, category), created on first use. */
export class QuotaLimiter {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(private readonly quotas: Readonly<Record<string, number>> = DEFAULT_QUOTAS) {}

  /** Waits for a token for `operation` in `region`; returns at once for operations without a quota. */
  async take(region: string, operation: string): Promise<void> {
    const category = OPERATION_CATEGORY[operation]
    const rate = category ? this.quotas[category] : undefined
    if (!category || !rate) return
    const key = `${region}/${category}`
    let bucket = this.buckets.get(key)
    if (!bucket) {
      // A burst of half the rate (at least 1) keeps a fresh start from tripping AWS's own bucket.
      bucket = new TokenBucket(rate, Math.max(1, Math.floor(rate / 2)))
      this.buckets.set(key, bucket)
    }
    await bucket.take()
  }
}
