/**
 * Collection: the only code that talks to AWS. Reads what the policy needs,
 * every region concurrently, into a plain-data AccountSnapshot.
 */
import type { Policy } from '../policy/types.js'
import { type AccountSnapshot, type RegionSnapshot, SNAPSHOT_SCHEMA_VERSION } from '../model/snapshot.js'
import { collectActivity } from './activity.js'
import { collectCloudTrail } from './cloudtrail/trails.js'
import { collectAlarms } from './cloudwatch/alarms.js'
import { collectCognito } from './cognito.js'
import type { CollectContext } from './context.js'

export async function collectAccount(policy: Policy, ctx: CollectContext): Promise<AccountSnapshot> {
  const collectedAt = ctx.now.toISOString()
  const trails = policy.cloudtrail.enabled ? collectCloudTrail(ctx, policy.regions, policy) : undefined
  const regions = await Promise.all(
    policy.regions.map(async (region): Promise<RegionSnapshot> => {
      const cognito = await collectCognito(ctx, region, policy)
      const [alarms, activity] = await Promise.all([
        policy.alarms.enabled ? collectAlarms(ctx, region, cognito.pools, policy) : undefined,
        policy.activity.enabled ? collectActivity(ctx, region, cognito.pools, policy) : undefined,
      ])
      const snap: RegionSnapshot = { region, cognito }
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
  const accountId = regions
    .flatMap((r) => r.cognito.pools)
    .map((p) => p.arn?.split(':')[4])
    .find((a) => a && /^\d{12}$/.test(a))
  const { ids, names, all } = policy.pools
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    ...(accountId ? { accountId } : {}),
    selection: { ids: [...ids], names: [...names], all },
    regions,
  }
}
