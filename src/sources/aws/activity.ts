/** Activity collector: CloudWatch metrics plus the CloudTrail event-history breakdown, per region. */

import type { ActivityRegion } from '../../model/activity.js'
import { activityWindow } from '../../model/activity-window.js'
import type { UserPool } from '../../model/snapshot.js'
import type { Policy } from '../../policy/types.js'
import { collectFailureBreakdown } from './cloudtrail/events.js'
import { collectActivityMetrics } from './cloudwatch/metrics.js'
import type { CollectContext } from './context.js'

export async function collectActivity(
  ctx: CollectContext,
  region: string,
  pools: UserPool[] | Promise<UserPool[]>,
  policy: Policy,
): Promise<ActivityRegion> {
  const window = activityWindow(ctx.now, policy.activity.lookbackHours)
  if (Array.isArray(pools) && pools.length === 0) return { window, metrics: [], errors: [] }
  // ListMetrics and the event history start now; GetMetricData and the attribution wait for the pools.
  const [m, b] = await Promise.all([
    collectActivityMetrics(ctx.clients.cloudwatch(region), region, pools, window),
    policy.activity.eventPages > 0
      ? collectFailureBreakdown(
          ctx.clients.cloudtrail(region),
          region,
          pools,
          window,
          policy.activity.eventPages,
          policy.report.personalData,
        )
      : undefined,
  ])
  if ((await pools).length === 0) return { window, metrics: [], errors: [] }
  const out: ActivityRegion = { window, errors: [...m.errors, ...(b?.errors ?? [])] }
  if (m.metrics) out.metrics = m.metrics
  if (b?.breakdown) out.breakdown = b.breakdown
  for (const e of out.errors) ctx.log.warn(`activity: ${e.service}:${e.action} failed in ${region} (${e.code})`)
  if (out.breakdown?.partial) {
    ctx.log.info(`activity: CloudTrail breakdown in ${region} stopped after ${out.breakdown.pagesRead} pages`)
  }
  return out
}
