/**
 * CloudWatch alarms and metric discovery collector.
 *
 * Per region, whatever the number of pools:
 *  - ONE fully paginated `DescribeAlarms` sequence (`AlarmTypes` metric + composite, 100 per page);
 *  - ONE fully paginated `ListMetrics` sequence for `AWS/Cognito` (when a per-pool requirement is on), shared with
 *    the activity collector through listMetricsOnce;
 *  - ONE fully paginated `ListMetrics` sequence for `AWS/Usage` `ThrottleCount` (when the usage requirement is on).
 * The three run concurrently; matching alarms to pools happens later, in memory, in the checks.
 *
 * Design decisions:
 *  - Metric alarms are kept only when one of their metrics could concern Cognito (namespace mentions
 *    `cognito` or `usage`, or the metric name mentions `risk` or `throttle`, loosely, so that mis-spelled
 *    names still reach the typo diagnosis). Every composite alarm is kept: any of them may be the one that
 *    notifies for a Cognito alarm.
 *  - Paginators stop if a page repeats the previous token (a faulty endpoint cannot loop the audit forever).
 *  - No `RecentlyActive` filter on ListMetrics: series seen in the last 14 days are what we want to know about.
 *  - A region without audited pools is not read at all.
 *  - A failed call is recorded in `errors` and makes its list a `failed` listing, so checks report `error`;
 *    a list the policy does not need stays `undefined` (not collected).
 */
import {
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type Dimension,
  type MetricAlarm,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch'
import type {
  AlarmsRegion,
  CompositeAlarmInfo,
  DimensionValue,
  ListedMetric,
  MetricAlarmInfo,
  MetricQuery,
} from '../../../model/alarms.js'
import { type AwsError, failedListing, loaded, type UserPool } from '../../../model/snapshot.js'
import type { Policy } from '../../../policy/types.js'
import type { CollectContext } from '../context.js'
import { toAwsError } from '../errors.js'
import { paginate } from '../paginate.js'
import { listMetricsOnce } from './list-metrics.js'

export const COGNITO_NAMESPACE = 'AWS/Cognito'
export const USAGE_NAMESPACE = 'AWS/Usage'

export async function collectAlarms(
  ctx: CollectContext,
  region: string,
  pools: UserPool[] | Promise<UserPool[]>,
  policy: Policy,
): Promise<AlarmsRegion> {
  const out: AlarmsRegion = { errors: [] }
  // Nothing here depends on the pools (matching is the checks' job): the region's alarms and metric
  // lists are read while the pools are still being described, and kept only if there are pools.
  if (Array.isArray(pools) && pools.length === 0) return out
  const client = ctx.clients.cloudwatch(region)
  const perPool = policy.alarms.risk.enabled || policy.alarms.throttles.enabled

  const alarms = (async () => {
    try {
      const metricAlarms: MetricAlarmInfo[] = []
      const compositeAlarms: CompositeAlarmInfo[] = []
      const pages = paginate('DescribeAlarms', (NextToken) =>
        client.send(
          new DescribeAlarmsCommand({
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: 100,
            ...(NextToken ? { NextToken } : {}),
          }),
        ),
      )
      for await (const page of pages) {
        for (const a of page.MetricAlarms ?? []) {
          const info = toMetricAlarm(a)
          if (info && mayConcernCognito(info)) metricAlarms.push(info)
        }
        for (const c of page.CompositeAlarms ?? []) {
          const info = toCompositeAlarm(c)
          if (info) compositeAlarms.push(info)
        }
      }
      out.metricAlarms = loaded(metricAlarms)
      out.compositeAlarms = loaded(compositeAlarms)
      ctx.log.debug(
        `${region}: ${metricAlarms.length} candidate metric alarms, ${compositeAlarms.length} composite alarms`,
      )
    } catch (err) {
      const error = toAwsError(err, 'cloudwatch', 'DescribeAlarms', region)
      out.errors.push(error)
      out.metricAlarms = failedListing(error)
      out.compositeAlarms = failedListing(error)
    }
  })()

  const list = async (namespace: string, metricName?: string): Promise<ListedMetric[] | AwsError> => {
    try {
      const series: ListedMetric[] = []
      for (const m of await listMetricsOnce(client, namespace, metricName)) {
        if (!m.MetricName) continue
        series.push({ namespace: m.Namespace ?? namespace, metricName: m.MetricName, dimensions: dims(m.Dimensions) })
      }
      return series
    } catch (err) {
      const error = toAwsError(err, 'cloudwatch', 'ListMetrics', region, namespace)
      out.errors.push(error)
      return error
    }
  }

  const cognito = perPool
    ? list(COGNITO_NAMESPACE).then((s) => {
        out.cognitoMetrics = Array.isArray(s) ? loaded(s) : failedListing(s)
      })
    : undefined
  const usage = policy.alarms.usage.enabled
    ? list(USAGE_NAMESPACE, 'ThrottleCount').then((s) => {
        out.usageMetrics = Array.isArray(s) ? loaded(s.filter(isCognitoUsage)) : failedListing(s)
      })
    : undefined

  await Promise.all([alarms, cognito, usage])
  return (await pools).length === 0 ? { errors: [] } : out
}

/** `Service` dimension that names Cognito (AWS docs say `Cognito user pool`; spelling unverified, so loose). */
function isCognitoUsage(s: ListedMetric): boolean {
  return s.dimensions.some((d) => d.name === 'Service' && /cognito/i.test(d.value))
}

function dims(list: Dimension[] | undefined): DimensionValue[] {
  return (list ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' }))
}

function toSeries(
  m: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] } | undefined,
): ListedMetric | undefined {
  if (!m?.MetricName && !m?.Namespace) return undefined
  return { namespace: m.Namespace ?? '', metricName: m.MetricName ?? '', dimensions: dims(m.Dimensions) }
}

function toQuery(q: MetricDataQuery): MetricQuery {
  const out: MetricQuery = { id: q.Id ?? '', returnData: q.ReturnData ?? true }
  if (q.Expression !== undefined) out.expression = q.Expression
  const metric = toSeries(q.MetricStat?.Metric)
  if (metric) out.metric = metric
  if (q.MetricStat?.Stat !== undefined) out.stat = q.MetricStat.Stat
  if (q.MetricStat?.Unit) out.unit = q.MetricStat.Unit
  const period = q.MetricStat?.Period ?? q.Period
  if (period !== undefined) out.period = period
  return out
}

/** Plain data, only the fields the checks read. Exported for tests. */
export function toMetricAlarm(a: MetricAlarm): MetricAlarmInfo | undefined {
  if (!a.AlarmName) return undefined
  const out: MetricAlarmInfo = {
    name: a.AlarmName,
    actionsEnabled: a.ActionsEnabled ?? true,
    alarmActions: a.AlarmActions ?? [],
  }
  if (a.AlarmArn) out.arn = a.AlarmArn
  const metric = toSeries(a)
  if (metric) out.metric = metric
  if (a.Statistic) out.statistic = a.Statistic
  if (a.ExtendedStatistic) out.extendedStatistic = a.ExtendedStatistic
  if (a.Period !== undefined) out.period = a.Period
  if (a.Unit) out.unit = a.Unit
  if (a.Metrics?.length) out.queries = a.Metrics.map(toQuery)
  if (a.EvaluationPeriods !== undefined) out.evaluationPeriods = a.EvaluationPeriods
  if (a.DatapointsToAlarm !== undefined) out.datapointsToAlarm = a.DatapointsToAlarm
  if (a.Threshold !== undefined) out.threshold = a.Threshold
  if (a.ThresholdMetricId) out.thresholdMetricId = a.ThresholdMetricId
  if (a.ComparisonOperator) out.comparisonOperator = a.ComparisonOperator
  if (a.TreatMissingData) out.treatMissingData = a.TreatMissingData
  return out
}

export function toCompositeAlarm(c: CompositeAlarm): CompositeAlarmInfo | undefined {
  if (!c.AlarmName) return undefined
  const out: CompositeAlarmInfo = {
    name: c.AlarmName,
    actionsEnabled: c.ActionsEnabled ?? true,
    alarmActions: c.AlarmActions ?? [],
    alarmRule: c.AlarmRule ?? '',
  }
  if (c.AlarmArn) out.arn = c.AlarmArn
  if (c.StateValue) out.stateValue = c.StateValue
  return out
}

/** Loose on purpose: a mis-spelled name or namespace must still reach the checks' typo diagnosis. */
export function mayConcernCognito(a: MetricAlarmInfo): boolean {
  const metrics = [a.metric, ...(a.queries ?? []).map((q) => q.metric)].filter((m): m is ListedMetric => !!m)
  return metrics.some((m) => {
    const ns = m.namespace.toLowerCase().replace(/[^a-z]/g, '')
    const name = m.metricName.toLowerCase()
    return ns.includes('cognito') || ns.includes('usage') || /risk|thr?ott?l|throtle|trottl/.test(name)
  })
}
