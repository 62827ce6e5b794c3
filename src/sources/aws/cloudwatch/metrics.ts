/**
 * Cognito activity metrics from CloudWatch (namespace AWS/Cognito, hourly; GetMetricData takes at most 500 queries a call), for all pools of a region at once:
 * ListMetrics once (fully paginated) to learn the dimension sets that exist, then GetMetricData with up to
 * 500 queries per call packed across pools, paginated by NextToken and merged per query id.
 *
 * Note: the alarms collector lists AWS/Cognito metrics as well; the two reads are separate for now.
 */
import { type CloudWatchClient, GetMetricDataCommand, type Metric } from '@aws-sdk/client-cloudwatch'
import type { ActivityWindow, PoolMetrics, SeriesData } from '../../../model/activity.js'
import { NAMESPACE } from '../../../model/metrics.js'
import type { AwsError, UserPool } from '../../../model/snapshot.js'
import { toAwsError } from '../errors.js'
import { paginate } from '../paginate.js'
import { listMetricsOnce } from './list-metrics.js'
import { chunk, MAX_QUERIES_PER_CALL, type PlannedQuery, planMetricQueries } from './metric-queries.js'

/** Every metric of the AWS/Cognito namespace in the region (all pages; read once per run, shared with the alarms collector). */
export function listCognitoMetrics(client: CloudWatchClient): Promise<Metric[]> {
  return listMetricsOnce(client, NAMESPACE)
}

export interface SeriesResult {
  points: Array<[string, number]>
  status?: string
}

/**
 * Runs the queries in calls of at most 500, each paginated by NextToken; the datapoints of one id that
 * arrive over several pages are concatenated and returned oldest first.
 */
export async function fetchSeries(
  client: CloudWatchClient,
  queries: PlannedQuery[],
  start: Date,
  end: Date,
  periodSeconds: number,
): Promise<Map<string, SeriesResult>> {
  const results = new Map<string, SeriesResult>()
  await Promise.all(
    chunk(queries, MAX_QUERIES_PER_CALL).map(async (batch) => {
      const MetricDataQueries = batch.map((q) => ({
        Id: q.id,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: NAMESPACE,
            MetricName: q.metric,
            Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
          },
          Period: periodSeconds,
          Stat: q.stat,
        },
      }))
      const pages = paginate('GetMetricData', (NextToken) =>
        client.send(
          new GetMetricDataCommand({
            MetricDataQueries,
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampAscending',
            ...(NextToken ? { NextToken } : {}),
          }),
        ),
      )
      for await (const page of pages) {
        for (const r of page.MetricDataResults ?? []) {
          if (!r.Id) continue
          const acc = results.get(r.Id) ?? { points: [] }
          const ts = r.Timestamps ?? []
          const vs = r.Values ?? []
          for (let i = 0; i < Math.min(ts.length, vs.length); i++) {
            acc.points.push([new Date(ts[i]!).toISOString(), vs[i]!])
          }
          // PartialData only means "more on the next page"; keep the worst final status otherwise.
          if (r.StatusCode && r.StatusCode !== 'Complete' && r.StatusCode !== 'PartialData') acc.status = r.StatusCode
          results.set(r.Id, acc)
        }
      }
    }),
  )
  for (const r of results.values()) r.points.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return results
}

export interface MetricsResult {
  /** Undefined when the metrics could not be read. */
  metrics?: PoolMetrics[]
  errors: AwsError[]
}

/** Raw hourly series of every audited pool of the region, over the previous and current windows. */
export async function collectActivityMetrics(
  client: CloudWatchClient,
  region: string,
  poolsToRead: UserPool[] | Promise<UserPool[]>,
  window: ActivityWindow,
): Promise<MetricsResult> {
  let listed: Metric[]
  try {
    listed = await listCognitoMetrics(client)
  } catch (err) {
    return { errors: [toAwsError(err, 'cloudwatch', 'ListMetrics', region)] }
  }
  const pools = await poolsToRead
  const queries = planMetricQueries(listed, pools)
  let results: Map<string, SeriesResult>
  try {
    results =
      queries.length === 0
        ? new Map()
        : await fetchSeries(client, queries, new Date(window.previousStart), new Date(window.end), window.periodSeconds)
  } catch (err) {
    return { errors: [toAwsError(err, 'cloudwatch', 'GetMetricData', region)] }
  }
  const errors: AwsError[] = []
  const metrics: PoolMetrics[] = pools.map((p) => ({
    poolId: p.id,
    series: queries
      .filter((q) => q.poolId === p.id)
      .map((q): SeriesData => {
        const r = results.get(q.id)
        const s: SeriesData = { metric: q.metric, stat: q.stat, dimensions: q.dimensions, points: r?.points ?? [] }
        if (r?.status) {
          s.status = r.status
          errors.push({
            service: 'cloudwatch',
            action: 'GetMetricData',
            code: r.status,
            message: `CloudWatch answered ${r.status} for ${q.metric} (${q.stat}).`,
            region,
            resource: p.id,
          })
        }
        return s
      }),
  }))
  return { metrics, errors }
}
