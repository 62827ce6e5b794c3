/**
 * The activity overview as plain data, for the JSON report: per region the window and per pool the
 * numbers of the summary's overview table (sign-in requests, failures, failure rate and its change,
 * throttles, risk detections). Lets a later step (merging many accounts' reports) show activity
 * without the snapshot.
 */
import { poolActivity } from '../checks/activity/stats.js'
import { ofPool } from '../model/group-by.js'
import type { AccountSnapshot } from '../model/snapshot.js'

export interface ActivityOverviewRegion {
  region: string
  window: { start: string; end: string; hours: number }
  pools: ActivityOverviewPool[]
}

export interface ActivityOverviewPool {
  id: string
  name: string
  /** False when the pool's metrics could not be read: no numbers. */
  read: boolean
  signIn?: { requests: number; failures: number; failureRate?: number; change?: number }
  /** Throttled requests of every kind in the window. */
  throttles?: number
  /** Threat-protection detections in the window; `off` when threat protection is off. */
  risk?: { total: number; high: number } | 'off'
}

export function activityOverview(snapshot: AccountSnapshot): ActivityOverviewRegion[] {
  const out: ActivityOverviewRegion[] = []
  for (const r of snapshot.regions) {
    const a = r.activity
    if (!a || r.cognito.pools.state === 'failed' || r.cognito.pools.items.length === 0) continue
    const pools = r.cognito.pools.items.map((pool): ActivityOverviewPool => {
      const risk = pool.advancedSecurityMode === 'OFF' ? ('off' as const) : undefined
      if (!a.metrics) return { id: pool.id, name: pool.name, read: false, ...(risk ? { risk } : {}) }
      const stats = poolActivity(a.window, ofPool(a.metrics, pool.id)[0], pool.id)
      const s = stats.kinds.find((k) => k.kind === 'SignIn')
      const all = (x: { High: number; Medium: number; Low: number }) => x.High + x.Medium + x.Low
      const detections = stats.risk
        ? {
            total: all(stats.risk.accountTakeover) + all(stats.risk.compromisedCredentials),
            high: stats.risk.accountTakeover.High + stats.risk.compromisedCredentials.High,
          }
        : { total: 0, high: 0 }
      return {
        id: pool.id,
        name: pool.name,
        read: true,
        ...(s
          ? {
              signIn: {
                requests: s.current.attempts,
                failures: s.current.failures,
                ...(s.current.rate !== undefined ? { failureRate: s.current.rate } : {}),
                ...(s.change !== undefined ? { change: s.change } : {}),
              },
            }
          : {}),
        throttles: stats.throttles,
        risk: risk ?? detections,
      }
    })
    out.push({ region: r.region, window: { start: a.window.start, end: a.window.end, hours: a.window.hours }, pools })
  }
  return out
}
