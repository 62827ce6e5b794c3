/**
 * Snapshot section for activity: raw hourly CloudWatch values and the
 * CloudTrail failure breakdown of one region. Only raw values are stored here;
 * every aggregate (totals, failure rates, changes) is computed by src/checks/activity/stats.ts,
 * so a saved snapshot can be re-evaluated offline under a different policy.
 */
import type { AwsError } from './snapshot.js'

export interface ActivityRegion {
  /** The windows every number in this section covers. */
  window: ActivityWindow
  /** Metric series per audited pool. Undefined = metrics could not be read (see `errors`). */
  metrics?: PoolMetrics[]
  /** Failed authentication calls from CloudTrail event history. Undefined = not read (see `errors`). */
  breakdown?: EventBreakdown
  errors: AwsError[]
}

/**
 * The current window is [start, end); the previous window, of equal length, is [previousStart, start).
 * `end` is the last whole hour at or before the audit time, so every hour is complete.
 */
export interface ActivityWindow {
  previousStart: string
  start: string
  end: string
  hours: number
  /** GetMetricData period (3600). */
  periodSeconds: number
}

export interface PoolMetrics {
  poolId: string
  series: SeriesData[]
}

export type MetricStatistic = 'SampleCount' | 'Sum'

/** One statistic of one CloudWatch metric (one dimension set), over both windows. */
export interface SeriesData {
  /** e.g. `SignInSuccesses`, `SignInThrottles`, `AccountTakeoverRisk` (spelled as ListMetrics returned it). */
  metric: string
  stat: MetricStatistic
  /** The exact dimension set, e.g. `{ UserPool, UserPoolClient }`. */
  dimensions: Record<string, string>
  /** Hourly datapoints `[ISO hour start, value]`, oldest first; hours without a datapoint are absent. */
  points: Array<[string, number]>
  /** CloudWatch's StatusCode when it was not `Complete` (e.g. `Forbidden`, `InternalError`). */
  status?: string
}

/** A pool id, or this marker for failures no audited pool could be identified for. */
export const UNATTRIBUTED = 'unattributed'

export interface EventBreakdown {
  /** LookupEvents pages read and the policy's budget (`activity.event-pages`). */
  pagesRead: number
  pageBudget: number
  /** Cognito events read (all, not only failures). */
  eventsRead: number
  /** True when the budget ran out (or a page failed) before the window start was reached. */
  partial: boolean
  /** When partial: the oldest event time read, so the breakdown covers only [coveredFrom, window end). */
  coveredFrom?: string
  /** Counts of failed authentication calls, sorted by pool, event name, error code. */
  failures: FailureCount[]
  /** Distinct-value counts per pool. Present only when the policy allows personal data. */
  personal?: PersonalCounts[]
}

export interface FailureCount {
  /** Pool id, or `unattributed`. */
  poolId: string
  eventName: string
  errorCode: string
  count: number
}

export interface PersonalCounts {
  /** Pool id, or `unattributed`. */
  poolId: string
  distinctSubs: number
  distinctSourceIps: number
  /** Top 5 by count, ties by value. */
  topSubs: ValueCount[]
  topSourceIps: ValueCount[]
}

export interface ValueCount {
  value: string
  count: number
}
