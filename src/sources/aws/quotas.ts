/**
 * AWS's default request-rate quotas (per account and region) for the calls this action makes, and token
 * buckets that keep every attempt, retries included, under a share of them (`max-quota-share`, default
 * 50 %): the audit shares each quota with the applications that use the pools, so it never takes more
 * than that share. When Service Quotas can be read, the account's applied Cognito quotas replace the
 * defaults (service-quotas.ts); adaptive retry stays the safety net for what the apps use meanwhile.
 */

/** The share of each per-region quota an audit spends unless told otherwise. */
export const DEFAULT_QUOTA_SHARE = 0.5

/** Quota category of each operation. Operations not listed are not rate-limited by us. */
export const OPERATION_CATEGORY: Readonly<Record<string, string>> = {
  // Cognito user pools: categories are shared by all pools of the account and region.
  ListUserPools: 'cognito:UserPoolRead',
  DescribeUserPool: 'cognito:UserPoolRead',
  // DescribeRiskConfiguration's category is still unsettled. aws-facts.md §5.1 lists it under `UserPoolRead`
  // with a "(?)", the mapping "UNVERIFIED, from memory". Cognito's page "Quotas in Amazon Cognito", table
  // "Amazon Cognito user pools API operation categories and request rate quotas", describes the two
  // candidates: `UserPoolRead`, "Operations that read your user pools", 15 RPS, not adjustable; and
  // `UserPoolResourceRead`, "Operations that retrieve information about resources, such as groups or
  // resource servers, from a user pool", 20 RPS, not adjustable, and no single operation above 5 RPS for
  // one user pool. The copies of that page this was checked against leave out each category's list of
  // operations, so neither the page nor the fact file places DescribeRiskConfiguration. It stays in
  // UserPoolRead because that is the safe way to be wrong. If it is really a UserPoolResourceRead call,
  // sharing the smaller bucket only slows the audit. The other way round, with its own 20/s bucket, the
  // audit would spend up to 10/s more of the 15/s UserPoolRead quota that applications share. Once the
  // page's operation list settles it, moving it takes this line, `cognito:UserPoolResourceRead: 20` below
  // and a 5/s-per-pool cap for an ENFORCED pool's per-client reads.
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

/** The rate one bucket runs at, and what it was sized from. */
export interface QuotaRate {
  category: string
  /** The quota (requests per second): the account's applied value, or AWS's default. */
  quota: number
  source: 'applied' | 'default'
  /** What the audit spends: `quota × share`. */
  rate: number
}

/** One bucket per (region, category), created on first use, at `share` of the region's quota. */
export class QuotaLimiter {
  private readonly buckets = new Map<string, TokenBucket>()
  private readonly applied = new Map<string, Readonly<Record<string, number>>>()
  private readonly notes = new Map<string, string>()

  constructor(
    private readonly quotas: Readonly<Record<string, number>> = DEFAULT_QUOTAS,
    readonly share: number = DEFAULT_QUOTA_SHARE,
  ) {
    if (!(share > 0 && share <= 1)) throw new Error(`quota share must be in (0, 1], got ${share}`)
  }

  /** The account's applied quotas of `region` (by category), used instead of the defaults from now on. */
  setApplied(region: string, quotas: Readonly<Record<string, number>>): void {
    this.applied.set(region, quotas)
    for (const key of [...this.buckets.keys()]) if (key.startsWith(`${region}/`)) this.buckets.delete(key)
  }

  /** Why `region` runs on the default quotas (for the summary). */
  noteDefaults(region: string, why: string): void {
    this.notes.set(region, why)
  }

  defaultsNote(region: string): string | undefined {
    return this.notes.get(region)
  }

  /** The rate of every category in `region`, in the order of DEFAULT_QUOTAS. */
  rates(region: string): QuotaRate[] {
    return Object.keys(this.quotas).flatMap((category) => {
      const r = this.rateOf(region, category)
      return r ? [r] : []
    })
  }

  private rateOf(region: string, category: string): QuotaRate | undefined {
    const applied = this.applied.get(region)?.[category]
    const quota = applied ?? this.quotas[category]
    if (!quota || !(quota > 0)) return undefined
    return { category, quota, source: applied !== undefined ? 'applied' : 'default', rate: quota * this.share }
  }

  /** Waits for a token for `operation` in `region`; returns at once for operations without a quota. */
  async take(region: string, operation: string): Promise<void> {
    const category = OPERATION_CATEGORY[operation]
    if (!category) return
    const key = `${region}/${category}`
    let bucket = this.buckets.get(key)
    if (!bucket) {
      const r = this.rateOf(region, category)
      if (!r) return
      // A burst of half the rate (at least 1) keeps a fresh start from tripping AWS's own bucket.
      bucket = new TokenBucket(r.rate, Math.max(1, Math.floor(r.rate / 2)))
      this.buckets.set(key, bucket)
    }
    await bucket.take()
  }
}
