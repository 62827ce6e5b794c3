/**
 * The GetMetricData query plan for the activity summary, built from what ListMetrics found: one query per
 * pool and metric series, at most MAX_QUERIES_PER_CALL per call.
 */
import type { MetricStatistic } from '../../../model/activity.js'
import { classifyMetric, poolDimension } from '../../../model/metrics.js'
import type { AdvancedSecurityMode } from '../../../model/snapshot.js'

export const MAX_QUERIES_PER_CALL = 500

export interface DiscoveredMetric {
  MetricName?: string | undefined
  Dimensions?: Array<{ Name?: string | undefined; Value?: string | undefined }> | undefined
}

export interface PlannedQuery {
  /** GetMetricData query id: `q<n>` (must start with a lower-case letter). */
  id: string
  poolId: string
  metric: string
  stat: MetricStatistic
  dimensions: Record<string, string>
}

interface PoolInfo {
  id: string
  advancedSecurityMode: AdvancedSecurityMode
}

function dimsKey(d: Record<string, string>): string {
  return Object.keys(d)
    .sort()
    .map((k) => `${k}=${d[k]}`)
    .join(',')
}

/**
 * One query per statistic the summary needs, for every metric ListMetrics found for an audited pool:
 * `*Successes` → SampleCount (attempts) and Sum (successes); `*Throttles` → Sum; risk metrics → Sum,
 * only for pools with threat protection on. Several dimension sets of one metric (app clients, identity
 * providers, `Admin`/`Invalid` clients) are all queried and summed later — except that a set naming only
 * the pool, when one exists, is already the pool's total and is used alone so nothing is counted twice.
 */
export function planMetricQueries(metrics: DiscoveredMetric[], pools: PoolInfo[]): PlannedQuery[] {
  const byId = new Map(pools.map((p) => [p.id, p]))
  // pool → metric → dims key → dims
  const found = new Map<string, Map<string, Map<string, Record<string, string>>>>()
  for (const m of metrics) {
    const name = m.MetricName
    const role = name ? classifyMetric(name) : undefined
    if (!name || !role) continue
    const dims: Record<string, string> = {}
    for (const d of m.Dimensions ?? []) if (d.Name && d.Value !== undefined) dims[d.Name] = d.Value
    const poolId = dims[poolDimension(role)]
    const pool = poolId ? byId.get(poolId) : undefined
    if (!pool) continue
    if (role.role === 'risk' && pool.advancedSecurityMode === 'OFF') continue
    let perMetric = found.get(pool.id)
    if (!perMetric) {
      perMetric = new Map()
      found.set(pool.id, perMetric)
    }
    let sets = perMetric.get(name)
    if (!sets) {
      sets = new Map()
      perMetric.set(name, sets)
    }
    sets.set(dimsKey(dims), dims)
  }
  const out: PlannedQuery[] = []
  for (const poolId of [...found.keys()].sort()) {
    const perMetric = found.get(poolId)!
    for (const metric of [...perMetric.keys()].sort()) {
      const role = classifyMetric(metric)!
      const sets = perMetric.get(metric)!
      let keys = [...sets.keys()].sort()
      if (role.role !== 'risk') {
        const total = keys.find((k) => Object.keys(sets.get(k)!).length === 1)
        if (total !== undefined) keys = [total]
      }
      const stats: MetricStatistic[] = role.role === 'successes' ? ['SampleCount', 'Sum'] : ['Sum']
      for (const k of keys) {
        for (const stat of stats) {
          out.push({ id: `q${out.length}`, poolId, metric, stat, dimensions: sets.get(k)! })
        }
      }
    }
  }
  return out
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
