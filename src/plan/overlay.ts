/**
 * Planned plus live: the plan laid over a snapshot of the live account. Created and updated objects
 * replace their live counterpart (same pool id, client id, alarm name, trail ARN) or join the live ones;
 * Terraform deletions disappear; everything else stays live. The result is a planned snapshot marked
 * `live: true`, so the checks judge "the account after this change is deployed".
 */
import type { PlannedSourceInfo } from '../model/plan.js'
import {
  type AccountSnapshot,
  itemsRead,
  type Listing,
  loaded,
  type RegionSnapshot,
  type UserPool,
} from '../model/snapshot.js'

/** The live items with the planned ones laid over them (by key). A live list that failed to load stays
 *  failed: whatever the plan adds, the live items it does not replace are unknown. */
function byKey<T>(live: Listing<T>, planned: Listing<T> | T[], key: (t: T) => string): Listing<T> {
  const add = Array.isArray(planned) ? planned : planned.state === 'loaded' ? planned.items : undefined
  if (live.state === 'failed') return live
  if (add === undefined) return planned as Listing<T>
  const keys = new Set(add.map(key))
  return loaded([...live.items.filter((t) => !keys.has(key(t))), ...add])
}

/** The items of a live list kept by `keep`; a failed list stays failed. */
function keep<T>(list: Listing<T>, keepIt: (t: T) => boolean): Listing<T> {
  return list.state === 'loaded' ? loaded(list.items.filter(keepIt)) : list
}

function mergePool(live: UserPool | undefined, planned: UserPool): UserPool {
  if (!live) return planned
  const clients = byKey(live.clients, planned.clients, (c) => c.id)
  const risks = byKey(live.clientRiskConfigurations, planned.clientRiskConfigurations, (c) => c.clientId)
  const merged: UserPool = { ...planned, clients, clientRiskConfigurations: risks }
  // The plan holds no risk configuration for the pool: the live one stays.
  if (!planned.riskConfigurationPlan && live.riskConfiguration !== undefined)
    merged.riskConfiguration = live.riskConfiguration
  return merged
}

export function overlayPlan(live: AccountSnapshot, planned: AccountSnapshot): AccountSnapshot {
  const source = planned.source as PlannedSourceInfo
  const regions = new Map<string, RegionSnapshot>(live.regions.map((r) => [r.region, structuredClone(r)]))
  for (const p of planned.regions) {
    const l = regions.get(p.region)
    if (!l) {
      regions.set(p.region, p)
      continue
    }
    const livePools = new Map(itemsRead(l.cognito.pools).map((x) => [x.id, x]))
    const plannedPools = itemsRead(p.cognito.pools)
    const plannedIds = new Set(plannedPools.map((x) => x.id))
    l.cognito.pools = byKey(
      l.cognito.pools,
      plannedPools.map((x) => mergePool(livePools.get(x.id), x)),
      (x) => x.id,
    )
    l.cognito.missing = l.cognito.missing.filter((m) => !(m.kind === 'id' && plannedIds.has(m.selector)))
    if (p.alarms) {
      l.alarms ??= { metricAlarms: loaded([]), compositeAlarms: loaded([]), errors: [] }
      const alarms = l.alarms
      if (alarms.metricAlarms)
        alarms.metricAlarms = byKey(alarms.metricAlarms, p.alarms.metricAlarms ?? [], (a) => a.name)
      if (alarms.compositeAlarms)
        alarms.compositeAlarms = byKey(alarms.compositeAlarms, p.alarms.compositeAlarms ?? [], (a) => a.name)
    }
    if (p.cloudtrail && l.cloudtrail) {
      l.cloudtrail.trails = byKey(l.cloudtrail.trails, p.cloudtrail.trails, (t) => t.arn)
    }
  }
  // Clients and risk configurations the plan adds to live pools.
  for (const c of source.detached?.clients ?? []) {
    const region = regions.get(c.region)
    const pool = region ? itemsRead(region.cognito.pools).find((x) => x.id === c.poolId) : undefined
    if (!pool) continue
    pool.clients = byKey(pool.clients, [c.client], (x) => x.id)
    const risks = pool.clientRiskConfigurations
    if (risks.state === 'loaded' && !risks.items.some((r) => r.clientId === c.client.id))
      risks.items.push({ clientId: c.client.id, configuration: null })
  }
  for (const r of source.detached?.riskConfigurations ?? []) {
    const region = regions.get(r.region)
    const pool = region ? itemsRead(region.cognito.pools).find((x) => x.id === r.poolId) : undefined
    if (!pool) continue
    if (r.clientId === undefined) {
      pool.riskConfiguration = r.configuration
      pool.riskConfigurationPlan = r.plan
    } else {
      pool.clientRiskConfigurations = byKey(
        pool.clientRiskConfigurations,
        [{ clientId: r.clientId, configuration: r.configuration, plan: r.plan }],
        (x) => x.clientId,
      )
    }
  }
  // Deletions.
  for (const d of source.deleted) {
    for (const r of regions.values()) {
      if (d.region && d.region !== r.region) continue
      if (d.kind === 'pool') r.cognito.pools = keep(r.cognito.pools, (x) => x.id !== d.id)
      if (d.kind === 'client')
        for (const p of itemsRead(r.cognito.pools)) {
          p.clients = keep(p.clients, (c) => c.id !== d.id)
          p.clientRiskConfigurations = keep(p.clientRiskConfigurations, (c) => c.clientId !== d.id)
        }
      if (d.kind === 'metric-alarm' && r.alarms?.metricAlarms)
        r.alarms.metricAlarms = keep(r.alarms.metricAlarms, (a) => a.name !== d.id)
      if (d.kind === 'composite-alarm' && r.alarms?.compositeAlarms)
        r.alarms.compositeAlarms = keep(r.alarms.compositeAlarms, (a) => a.name !== d.id)
      if (d.kind === 'trail' && r.cloudtrail)
        r.cloudtrail.trails = keep(r.cloudtrail.trails, (t) => t.arn !== d.id && t.name !== d.id)
    }
  }
  const out: AccountSnapshot = {
    ...live,
    regions: [...regions.values()].sort((a, b) => a.region.localeCompare(b.region)),
    source: { ...source, live: true },
  }
  return out
}
