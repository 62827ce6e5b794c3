/**
 * ListMetrics, read once per run: the alarms collector and the activity collector both need
 * the region's `AWS/Cognito` metrics, so the fully paginated list is memoised per client
 * (there is one client per service and region per run) and shared.
 */
import { type CloudWatchClient, ListMetricsCommand, type Metric } from '@aws-sdk/client-cloudwatch'
import { paginate } from '../paginate.js'

const memo = new WeakMap<CloudWatchClient, Map<string, Promise<Metric[]>>>()

/** Every metric of `namespace` (only `metricName` when given), all pages. Rejects with the SDK error. */
export function listMetricsOnce(client: CloudWatchClient, namespace: string, metricName?: string): Promise<Metric[]> {
  let lists = memo.get(client)
  if (!lists) {
    lists = new Map()
    memo.set(client, lists)
  }
  const key = `${namespace}\u0000${metricName ?? ''}`
  let list = lists.get(key)
  if (!list) {
    list = (async () => {
      const out: Metric[] = []
      const input = metricName ? { Namespace: namespace, MetricName: metricName } : { Namespace: namespace }
      const pages = paginate('ListMetrics', (NextToken) =>
        client.send(new ListMetricsCommand({ ...input, ...(NextToken ? { NextToken } : {}) })),
      )
      for await (const page of pages) out.push(...(page.Metrics ?? []))
      return out
    })()
    lists.set(key, list)
  }
  return list
}
