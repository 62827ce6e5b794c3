/**
 * Pure arithmetic over the raw hourly series in the snapshot (Cognito publishes each sign-in attempt as one datapoint of `<Kind>Successes`, 1 or 0): attempts are the
 * `SampleCount` of `<Kind>Successes`, successes its `Sum`, failures the difference (throttled attempts
 * emit 0 and so count as failures), summed over every dimension set (app clients, identity providers).
 * A rate over zero attempts is undefined — never NaN, never 0 %.
 */
import type { ActivityWindow, PoolMetrics, SeriesData } from '../../model/activity.js'
import { windowHours } from '../../model/activity-window.js'
import { ACTIVITY_KINDS, type ActivityKind, classifyMetric } from '../../model/metrics.js'

export interface AttemptCounts {
  attempts: number
  successes: number
  failures: number
  /** Failure rate in percent (0–100); undefined when there were no attempts. */
  rate?: number
}

export interface KindActivity {
  kind: ActivityKind
  current: AttemptCounts
  previous: AttemptCounts
  /** Change of the failure rate in percentage points; undefined unless both windows have a rate. */
  change?: number
  /** Throttled requests (`<Kind>Throttles` Sum); already included in the failures. */
  throttles: number
  previousThrottles: number
}

export type RiskLevel = 'High' | 'Medium' | 'Low' | 'Unspecified'
export const RISK_LEVELS: readonly RiskLevel[] = ['High', 'Medium', 'Low', 'Unspecified']

export interface RiskActivity {
  accountTakeover: Record<RiskLevel, number>
  compromisedCredentials: Record<RiskLevel, number>
  /** Requests marked risky (`Risk` metric). */
  risky: number
  /** High-level account-takeover plus compromised-credential detections. */
  high: number
}

export interface HourPoint {
  /** ISO start of the hour. */
  hour: string
  attempts: number
  failures: number
  rate?: number
}

export interface PoolActivity {
  poolId: string
  kinds: KindActivity[]
  throttles: number
  previousThrottles: number
  /** Risk detections in the current window; undefined when no risk metric was read for the pool. */
  risk?: RiskActivity
  /** Sign-in per hour of the current window, oldest first. */
  hourly: HourPoint[]
  /** Hours of one dimension set where only one of SampleCount/Sum came back; left out of the counts. */
  incompleteHours: number
  /** Series CloudWatch did not answer completely (`metric/stat: StatusCode`). */
  unreadable: string[]
}

export function failureRate(failures: number, attempts: number): number | undefined {
  return attempts > 0 ? (100 * failures) / attempts : undefined
}

function counts(attempts: number, successes: number): AttemptCounts {
  const failures = Math.max(0, attempts - successes)
  const c: AttemptCounts = { attempts, successes, failures }
  const r = failureRate(failures, attempts)
  if (r !== undefined) c.rate = r
  return c
}

function dimsKey(d: Record<string, string>): string {
  return Object.keys(d)
    .sort()
    .map((k) => `${k}=${d[k]}`)
    .join(',')
}

type Slot = 'previous' | 'current'

function slotOf(window: ActivityWindow, iso: string): Slot | undefined {
  const t = Date.parse(iso)
  const start = Date.parse(window.start)
  if (t >= start && t < Date.parse(window.end)) return 'current'
  if (t >= Date.parse(window.previousStart) && t < start) return 'previous'
  return undefined
}

function normaliseLevel(v: string | undefined): RiskLevel {
  const l = v?.toLowerCase()
  return l === 'high' ? 'High' : l === 'medium' ? 'Medium' : l === 'low' ? 'Low' : 'Unspecified'
}

const zeroLevels = (): Record<RiskLevel, number> => ({ High: 0, Medium: 0, Low: 0, Unspecified: 0 })

/** Per-hour attempts and successes of one kind, summed over dimension sets; hours with only one statistic are skipped. */
function attemptsByHour(series: SeriesData[]): {
  hours: Map<string, { attempts: number; successes: number }>
  incomplete: number
} {
  const sets = new Map<string, { sc?: Map<string, number>; sum?: Map<string, number> }>()
  for (const s of series) {
    const key = dimsKey(s.dimensions)
    const entry = sets.get(key) ?? {}
    const points = new Map(s.points)
    if (s.stat === 'SampleCount') entry.sc = points
    else entry.sum = points
    sets.set(key, entry)
  }
  const hours = new Map<string, { attempts: number; successes: number }>()
  let incomplete = 0
  for (const { sc = new Map(), sum = new Map() } of sets.values()) {
    for (const hour of new Set([...sc.keys(), ...sum.keys()])) {
      const a = sc.get(hour)
      const s = sum.get(hour)
      if (a === undefined || s === undefined) {
        incomplete++
        continue
      }
      const h = hours.get(hour) ?? { attempts: 0, successes: 0 }
      h.attempts += a
      h.successes += s
      hours.set(hour, h)
    }
  }
  return { hours, incomplete }
}

/** Computed once per pool's metrics and window: the check, the summary (full and compact) and the JSON
 *  overview all ask for the same pool. Results are never changed by their readers. */
const computed = new WeakMap<PoolMetrics, { window: ActivityWindow; poolId: string; value: PoolActivity }>()

/** Every aggregate the checks and the report show for one pool. `metrics` undefined ⇒ all zero. */
export function poolActivity(window: ActivityWindow, metrics: PoolMetrics | undefined, poolId: string): PoolActivity {
  if (!metrics) return computePoolActivity(window, undefined, poolId)
  const hit = computed.get(metrics)
  if (hit && hit.window === window && hit.poolId === poolId) return hit.value
  const value = computePoolActivity(window, metrics, poolId)
  computed.set(metrics, { window, poolId, value })
  return value
}

function computePoolActivity(window: ActivityWindow, metrics: PoolMetrics | undefined, poolId: string): PoolActivity {
  const series = metrics?.series ?? []
  const unreadable = series.filter((s) => s.status).map((s) => `${s.metric}/${s.stat}: ${s.status}`)
  let incompleteHours = 0
  let signInHours = new Map<string, { attempts: number; successes: number }>()

  const kinds: KindActivity[] = ACTIVITY_KINDS.map((kind) => {
    const { hours, incomplete } = attemptsByHour(series.filter((s) => s.metric === `${kind}Successes`))
    incompleteHours += incomplete
    if (kind === 'SignIn') signInHours = hours
    const tot = { previous: { a: 0, s: 0 }, current: { a: 0, s: 0 } }
    for (const [hour, v] of hours) {
      const slot = slotOf(window, hour)
      if (!slot) continue
      tot[slot].a += v.attempts
      tot[slot].s += v.successes
    }
    const thr = { previous: 0, current: 0 }
    for (const s of series.filter((x) => x.metric === `${kind}Throttles` && x.stat === 'Sum')) {
      for (const [hour, v] of s.points) {
        const slot = slotOf(window, hour)
        if (slot) thr[slot] += v
      }
    }
    const current = counts(tot.current.a, tot.current.s)
    const previous = counts(tot.previous.a, tot.previous.s)
    const k: KindActivity = { kind, current, previous, throttles: thr.current, previousThrottles: thr.previous }
    if (current.rate !== undefined && previous.rate !== undefined) k.change = current.rate - previous.rate
    return k
  })

  let risk: RiskActivity | undefined
  for (const s of series) {
    const role = classifyMetric(s.metric)
    if (role?.role !== 'risk' || s.stat !== 'Sum') continue
    risk ??= { accountTakeover: zeroLevels(), compromisedCredentials: zeroLevels(), risky: 0, high: 0 }
    const n = s.points.reduce((acc, [hour, v]) => acc + (slotOf(window, hour) === 'current' ? v : 0), 0)
    if (role.family === 'risk') risk.risky += n
    else {
      const level = normaliseLevel(s.dimensions.RiskLevel)
      risk[role.family][level] += n
      if (level === 'High') risk.high += n
    }
  }

  const hourly = windowHours(window).map((hour): HourPoint => {
    const v = signInHours.get(hour)
    const c = counts(v?.attempts ?? 0, v?.successes ?? 0)
    const p: HourPoint = { hour, attempts: c.attempts, failures: c.failures }
    if (c.rate !== undefined) p.rate = c.rate
    return p
  })

  const out: PoolActivity = {
    poolId,
    kinds,
    throttles: kinds.reduce((a, k) => a + k.throttles, 0),
    previousThrottles: kinds.reduce((a, k) => a + k.previousThrottles, 0),
    hourly,
    incompleteHours,
    unreadable,
  }
  if (risk) out.risk = risk
  return out
}

export function kindOf(activity: PoolActivity, kind: ActivityKind): KindActivity {
  return activity.kinds.find((k) => k.kind === kind)!
}
