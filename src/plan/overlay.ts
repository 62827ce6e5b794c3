/**
 * Planned plus live: the plan laid over a snapshot of the live account. Created and updated objects
 * replace their live counterpart (same pool id, client id, alarm name, trail ARN) or join the live ones;
 * Terraform deletions disappear; everything else stays live. The result is a planned snapshot marked
 * `live: true`, so the checks judge "the account after this change is deployed".
 */
import type { PlannedSourceInfo } from '../model/plan.js'
import type { AccountSnapshot, RegionSnapshot, UserPool } from '../model/snapshot.js'

function byKey<T>(live: T[], planned: T[], key: (t: T) => string): T[] {
  const keys = new Set(planned.map(key))
  return [...live.filter((t) => !keys.has(key(t))), ...planned]
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
    const livePools = new Map(l.cognito.pools.map((x) => [x.id, x]))
    const plannedIds = new Set(p.cognito.pools.map((x) => x.id))
    l.cognito.pools = [
      ...l.cognito.pools.filter((x) => !plannedIds.has(x.id)),
      ...p.cognito.pools.map((x) => mergePool(livePools.get(x.id), x)),
    ]
    l.cognito.missing = l.cognito.missing.filter((m) => !(m.kind === 'id' && plannedIds.has(m.selector)))
    if (p.alarms) {
      l.alarms ??= { metricAlarms: [], compositeAlarms: [], errors: [] }
      if (l.alarms.metricAlarms)
        l.alarms.metricAlarms = byKey(l.alarms.metricAlarms, p.alarms.metricAlarms ?? [], (a) => a.name)
      if (l.alarms.compositeAlarms)
        l.alarms.compositeAlarms = byKey(l.alarms.compositeAlarms, p.alarms.compositeAlarms ?? [], (a) => a.name)
    }
    if (p.cloudtrail && l.cloudtrail) {
      l.cloudtrail.trails = byKey(l.cloudtrail.trails, p.cloudtrail.trails, (t) => t.arn)
    }
  }
  // Clients and risk configurations the plan adds to live pools.
  for (const c of source.detached?.clients ?? []) {
    const pool = regions.get(c.region)?.cognito.pools.find((x) => x.id === c.poolId)
    if (!pool) continue
    pool.clients = byKey(pool.clients, [c.client], (x) => x.id)
    if (!pool.clientRiskConfigurations.some((r) => r.clientId === c.client.id))
      pool.clientRiskConfigurations.push({ clientId: c.client.id, configuration: null })
  }
  for (const r of source.detached?.riskConfigurations ?? []) {
    const pool = regions.get(r.region)?.cognito.pools.find((x) => x.id === r.poolId)
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
      if (d.kind === 'pool') r.cognito.pools = r.cognito.pools.filter((x) => x.id !== d.id)
      if (d.kind === 'client')
        for (const p of r.cognito.pools) {
          p.clients = p.clients.filter((c) => c.id !== d.id)
          p.clientRiskConfigurations = p.clientRiskConfigurations.filter((c) => c.clientId !== d.id)
        }
      if (d.kind === 'metric-alarm' && r.alarms?.metricAlarms)
        r.alarms.metricAlarms = r.alarms.metricAlarms.filter((a) => a.name !== d.id)
      if (d.kind === 'composite-alarm' && r.alarms?.compositeAlarms)
        r.alarms.compositeAlarms = r.alarms.compositeAlarms.filter((a) => a.name !== d.id)
      if (d.kind === 'trail' && r.cloudtrail)
        r.cloudtrail.trails = r.cloudtrail.trails.filter((t) => t.arn !== d.id && t.name !== d.id)
    }
  }
  const out: AccountSnapshot = {
    ...live,
    regions: [...regions.values()].sort((a, b) => a.region.localeCompare(b.region)),
    source: { ...source, live: true },
  }
  return out
}
