/**
 * Assembles the planned objects of one or more stacks (or one Terraform plan) into an `AccountSnapshot`:
 * clients and risk configurations join their pools, trails apply to the regions they record, alarms sit
 * in their region. Objects whose pool is not in the plan (a client or risk configuration for a live pool)
 * are kept in `source.detached` so a live overlay can attach them.
 */
import type { CompositeAlarmInfo, MetricAlarmInfo } from '../../model/alarms.js'
import type { OtherRegionTrail, TrailRecord } from '../../model/cloudtrail.js'
import type {
  PlanFormat,
  PlannedClient,
  PlannedDeletion,
  PlannedRiskConfiguration,
  PlannedSourceInfo,
} from '../../model/plan.js'
import {
  type AccountSnapshot,
  type AppClient,
  loaded,
  type RegionSnapshot,
  SNAPSHOT_SCHEMA_VERSION,
  type UserPool,
} from '../../model/snapshot.js'

export class PlanBuilder {
  readonly pools: UserPool[] = []
  readonly clients: PlannedClient[] = []
  readonly risks: PlannedRiskConfiguration[] = []
  readonly alarms: Array<{ region: string; alarm: MetricAlarmInfo }> = []
  readonly composites: Array<{ region: string; alarm: CompositeAlarmInfo }> = []
  readonly trails: TrailRecord[] = []
  readonly deleted: PlannedDeletion[] = []
  readonly regions = new Set<string>()

  constructor(
    readonly format: PlanFormat,
    readonly inputs: string[],
    readonly stacks: PlannedSourceInfo['stacks'],
  ) {
    for (const s of stacks) this.regions.add(s.region)
  }

  build(now = new Date()): AccountSnapshot {
    const poolsById = new Map(this.pools.map((p) => [p.id, p]))
    const detachedClients: PlannedClient[] = []
    const detachedRisks: PlannedRiskConfiguration[] = []
    // A plan holds every client it writes: each planned pool's listing is loaded (possibly empty).
    const clientsOf = new Map<string, AppClient[]>(this.pools.map((p) => [p.id, []]))
    for (const c of this.clients) {
      const clients = clientsOf.get(c.poolId)
      if (clients) clients.push(c.client)
      else detachedClients.push(c)
    }
    for (const pool of this.pools) {
      const clients = clientsOf.get(pool.id) ?? []
      pool.clients = loaded(clients)
      const own = this.risks.filter((r) => r.poolId === pool.id)
      const poolLevel = own.find((r) => r.clientId === undefined)
      pool.riskConfiguration = poolLevel ? poolLevel.configuration : null
      if (poolLevel) pool.riskConfigurationPlan = poolLevel.plan
      else if (pool.plan) {
        pool.plan.defaulted = {
          ...pool.plan.defaulted,
          riskConfiguration: 'no risk configuration for the pool in the plan',
        }
      }
      pool.clientRiskConfigurations = loaded(
        clients.map((client) => {
          const r = own.find((x) => x.clientId === client.id)
          return r
            ? { clientId: client.id, configuration: r.configuration, plan: r.plan }
            : { clientId: client.id, configuration: null }
        }),
      )
      for (const r of own) {
        if (r.clientId !== undefined && !clients.some((c) => c.id === r.clientId)) detachedRisks.push(r)
      }
    }
    for (const r of this.risks) if (!poolsById.has(r.poolId)) detachedRisks.push(r)

    const regions: RegionSnapshot[] = [...this.regions].sort().map((region) => this.region(region))
    const source: PlannedSourceInfo = {
      kind: 'planned',
      format: this.format,
      inputs: this.inputs,
      stacks: this.stacks,
      deleted: this.deleted,
    }
    if (detachedClients.length > 0 || detachedRisks.length > 0) {
      source.detached = { clients: detachedClients, riskConfigurations: detachedRisks }
    }
    const accounts = new Set(this.stacks.map((s) => s.account).filter((a): a is string => a !== undefined))
    const snap: AccountSnapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: now.toISOString(),
      source,
      regions,
    }
    if (accounts.size === 1) snap.accountId = [...accounts][0]!
    return snap
  }

  private region(region: string): RegionSnapshot {
    const applies = (t: TrailRecord) => t.homeRegion === region || t.isMultiRegion
    const otherRegionTrails: OtherRegionTrail[] = this.trails
      .filter((t) => !t.isMultiRegion && t.homeRegion !== region)
      .map((t) => ({ name: t.name, arn: t.arn, homeRegion: t.homeRegion }))
    return {
      region,
      cognito: { pools: loaded(this.pools.filter((p) => p.region === region)), missing: [], errors: [] },
      alarms: {
        metricAlarms: loaded(this.alarms.filter((a) => a.region === region).map((a) => a.alarm)),
        compositeAlarms: loaded(this.composites.filter((a) => a.region === region).map((a) => a.alarm)),
        errors: [],
      },
      cloudtrail: { trails: loaded(this.trails.filter(applies)), otherRegionTrails, errors: [] },
    }
  }
}

/** Placeholder account in planned ARNs when the stack's account is not known. */
export const PLANNED_ACCOUNT = 'planned-account'
