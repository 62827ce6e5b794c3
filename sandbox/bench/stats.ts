/**
 * The benchmark's arithmetic: calls per operation from the proxy's call log, and the lower bound
 * AWS's rate quotas allow for them. Quota categories are independent token buckets per region, so
 * they all drain in parallel: the bound is the slowest (region, category), calls / rate, plus one
 * call's latency for the last request.
 */
import type { CallRecord } from '../proxy.js'

export interface OperationRow {
  /** `service:Operation` */
  operation: string
  /** Every call the proxy saw, throttled ones included. */
  proxyCalls: number
  /** Answered with a throttling error (quota bucket empty, or an injected throttle). */
  throttled: number
  /** Attempts the SDK clients counted (the audit's own view). */
  clientAttempts: number
  /** Mean and largest time the proxy took to answer (ms), injected latency included. */
  meanLatencyMs: number
  maxLatencyMs: number
}

export interface BucketLoad {
  region: string
  category: string
  rate: number
  /** Calls that used a token (not throttled). */
  calls: number
  seconds: number
}

export interface LowerBound {
  seconds: number
  /** The (region, category) that sets the bound; undefined when no quota-limited call was made. */
  bottleneck?: BucketLoad
  loads: BucketLoad[]
}

const isThrottled = (c: CallRecord) => c.fault === 'quota' || c.fault === 'throttle'

export function operationRows(calls: readonly CallRecord[], clientCalls: ReadonlyMap<string, number>): OperationRow[] {
  const rows = new Map<string, OperationRow>()
  const row = (operation: string) => {
    let r = rows.get(operation)
    if (!r) {
      r = { operation, proxyCalls: 0, throttled: 0, clientAttempts: 0, meanLatencyMs: 0, maxLatencyMs: 0 }
      rows.set(operation, r)
    }
    return r
  }
  for (const c of calls) {
    const r = row(`${c.service}:${c.operation}`)
    r.meanLatencyMs = (r.meanLatencyMs * r.proxyCalls + c.latencyMs) / (r.proxyCalls + 1)
    r.maxLatencyMs = Math.max(r.maxLatencyMs, c.latencyMs)
    r.proxyCalls++
    if (isThrottled(c)) r.throttled++
  }
  for (const [op, n] of clientCalls) row(op).clientAttempts += n
  return [...rows.values()].sort((a, b) => a.operation.localeCompare(b.operation))
}

export function lowerBound(
  calls: readonly CallRecord[],
  quotas: Readonly<Record<string, { category: string; rate: number }>>,
  latencyMs: number,
): LowerBound {
  const loads = new Map<string, BucketLoad>()
  for (const c of calls) {
    if (isThrottled(c)) continue
    const quota = quotas[`${c.service}:${c.operation}`]
    if (!quota) continue
    const key = `${c.region}/${c.service}:${quota.category}`
    const load = loads.get(key) ?? {
      region: c.region,
      category: `${c.service}:${quota.category}`,
      rate: quota.rate,
      calls: 0,
      seconds: 0,
    }
    load.calls++
    // The quota bucket starts full (one second of calls, as the proxy's and AWS's do), so the first
    // `rate` calls need no wait: the rest drain at `rate` per second.
    load.seconds = Math.max(0, load.calls - load.rate) / load.rate
    loads.set(key, load)
  }
  const sorted = [...loads.values()].sort((a, b) => b.seconds - a.seconds || a.region.localeCompare(b.region))
  const bottleneck = sorted[0]
  return {
    seconds: (bottleneck?.seconds ?? 0) + latencyMs / 1000,
    ...(bottleneck ? { bottleneck } : {}),
    loads: sorted,
  }
}

/** Calls per second over the audit, per (region, category), in 1 s buckets: shows idle stretches. */
export function timeline(calls: readonly CallRecord[], start: number, key: (c: CallRecord) => string | undefined) {
  const series = new Map<string, number[]>()
  for (const c of calls) {
    const k = key(c)
    if (!k) continue
    const second = Math.floor((Date.parse(c.time) - start) / 1000)
    if (second < 0) continue
    const s = series.get(k) ?? []
    while (s.length <= second) s.push(0)
    s[second]!++
    series.set(k, s)
  }
  return series
}
