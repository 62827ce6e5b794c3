/**
 * Collection: the only code that talks to AWS. Reads what the policy needs,
 * every region concurrently, into a plain-data AccountSnapshot.
 */

import type { CloudTrailRegion } from '../../model/cloudtrail.js'
import { type AccountSnapshot, itemsRead, type RegionSnapshot, SNAPSHOT_SCHEMA_VERSION } from '../../model/snapshot.js'
import type { Policy } from '../../policy/types.js'
import { collectActivity } from './activity.js'
import { collectCloudTrail } from './cloudtrail/trails.js'
import { collectAlarms } from './cloudwatch/alarms.js'
import { startCognito } from './cognito.js'
import type { CollectContext } from './context.js'
import { accountIdOf, callerAccount } from './identity.js'

export async function collectAccount(policy: Policy, ctx: CollectContext): Promise<AccountSnapshot> {
  const collectedAt = ctx.now.toISOString()
  // Which account this is, alongside the collection (it never waits for it).
  const stsRegion = policy.regions[0] ?? 'us-east-1'
  const caller = callerAccount(ctx, stsRegion)
  // Per region: once ListUserPools has said whether there is anything to audit, the region-wide reads
  // (alarms, metric lists, event history) run alongside the pool descriptions, which dominate the time.
  const started = policy.regions.map((region) => ({ region, cognito: startCognito(ctx, region, policy) }))
  // Trails are read for every region with a selected or named-but-missing pool, all regions at once so
  // a multi-region trail is described once.
  const trails = policy.cloudtrail.enabled
    ? Promise.all(started.map((s) => s.cognito.selection)).then((sel) => {
        const regions = started.filter((_, i) => sel[i]!.selected + sel[i]!.missing > 0).map((s) => s.region)
        return regions.length > 0 ? collectCloudTrail(ctx, regions, policy) : ({} as Record<string, CloudTrailRegion>)
      })
    : undefined
  const regions = await Promise.all(
    started.map(async ({ region, cognito }): Promise<RegionSnapshot> => {
      // With no pool selected (or none listed) the collectors get an empty list and return their empty
      // sections at once; a selection means the listing succeeded.
      const { selected } = await cognito.selection
      const pools = selected > 0 ? cognito.region.then((c) => itemsRead(c.pools)) : []
      const [c, alarms, activity] = await Promise.all([
        cognito.region,
        policy.alarms.enabled ? collectAlarms(ctx, region, pools, policy) : undefined,
        policy.activity.enabled ? collectActivity(ctx, region, pools, policy) : undefined,
      ])
      const snap: RegionSnapshot = { region, cognito: c }
      if (alarms) snap.alarms = alarms
      if (activity) snap.activity = activity
      return snap
    }),
  )
  if (trails) {
    const byRegion = await trails
    for (const r of regions) {
      const ct = byRegion[r.region]
      if (ct) r.cloudtrail = ct
    }
  }
  const accountId = accountIdOf(
    await caller,
    regions.flatMap((r) => itemsRead(r.cognito.pools)),
    ctx,
    stsRegion,
  )
  const { ids, names, all } = policy.pools
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    ...(accountId ? { accountId } : {}),
    selection: { ids: [...ids], names: [...names], all },
    collected: {
      ...(policy.alarms.enabled
        ? {
            alarms: {
              risk: policy.alarms.risk.enabled,
              throttles: policy.alarms.throttles.enabled,
              usage: policy.alarms.usage.enabled,
            },
          }
        : {}),
      cloudtrail: policy.cloudtrail.enabled,
      ...(policy.activity.enabled
        ? {
            activity: {
              lookbackHours: policy.activity.lookbackHours,
              eventPages: policy.activity.eventPages,
              personalData: policy.report.personalData,
            },
          }
        : {}),
    },
    regions,
  }
}
