/**
 * Snapshot section for the required alarms. Owned by the alarms collector.
 *
 * Only the alarm fields the checks read are kept, as plain JSON-safe data. Each
 * list is `undefined` when it was not collected (not needed by the policy), a
 * `failed` listing when its call failed (also in `errors`), and `loaded`
 * otherwise; a loaded empty list means AWS returned nothing.
 */
import type { PlannedInfo } from './plan.js'
import type { AwsError, Listing } from './snapshot.js'

export interface AlarmsRegion {
  /** Metric alarms (single-metric and metric-math) that might watch a Cognito or AWS/Usage metric. */
  metricAlarms?: Listing<MetricAlarmInfo>
  /** Every composite alarm of the region (needed to follow an alarm into the composite that notifies). */
  compositeAlarms?: Listing<CompositeAlarmInfo>
  /** `ListMetrics` for `AWS/Cognito`: the series this account emits (none older than 14 days are listed). */
  cognitoMetrics?: Listing<ListedMetric>
  /** `ListMetrics` for `AWS/Usage` `ThrottleCount`, only series whose `Service` dimension names Cognito. */
  usageMetrics?: Listing<ListedMetric>
  errors: AwsError[]
}

export interface DimensionValue {
  name: string
  value: string
}

/** One metric: what `ListMetrics` returns and what an alarm watches. */
export interface ListedMetric {
  namespace: string
  metricName: string
  dimensions: DimensionValue[]
}

/** A `MetricStat` query of a metric-math alarm. */
export interface MetricQuery {
  id: string
  /** True when this query's result is what the alarm compares (AWS allows exactly one). */
  returnData: boolean
  /** Math expression (`m1 + m2`, `SUM([m1,m2])`, `SEARCH(...)`) when this query is an expression. */
  expression?: string
  /** The metric, when this query is a `MetricStat`. */
  metric?: ListedMetric
  stat?: string
  period?: number
  /** `MetricStat.Unit`; absent = any unit. */
  unit?: string
}

export interface MetricAlarmInfo {
  name: string
  arn?: string
  /** `ActionsEnabled`; AWS defaults it to true when the alarm is created without it. */
  actionsEnabled: boolean
  alarmActions: string[]
  /** Single-metric alarms: the metric, statistic and period. Absent for metric-math alarms. */
  metric?: ListedMetric
  statistic?: string
  extendedStatistic?: string
  period?: number
  /** Single-metric alarms: `Unit`. Absent = any unit; a unit other than the one the metric is published in
   *  means the alarm never receives a datapoint. */
  unit?: string
  /** Metric-math alarms: the `Metrics[]` queries. */
  queries?: MetricQuery[]
  evaluationPeriods?: number
  datapointsToAlarm?: number
  threshold?: number
  /** Set on anomaly-detection alarms instead of `threshold`. */
  thresholdMetricId?: string
  comparisonOperator?: string
  /** `breaching` | `notBreaching` | `ignore` | `missing`; absent means `missing`. */
  treatMissingData?: string
  /** Planned alarms only. */
  plan?: PlannedInfo
}

export interface CompositeAlarmInfo {
  name: string
  arn?: string
  actionsEnabled: boolean
  alarmActions: string[]
  alarmRule: string
  /** Planned alarms only. */
  plan?: PlannedInfo
  /** `StateValue` when read: a composite already in `ALARM` runs no action when one more child fires
   *  (actions run on the transition into ALARM). */
  stateValue?: string
}
