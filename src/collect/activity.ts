/** Activity collector (issue 5): CloudWatch metrics plus the CloudTrail event-history breakdown. */
import type { Policy } from '../policy/types.js'
import type { UserPool } from '../model/snapshot.js'
import type { ActivityRegion } from '../model/activity.js'
import type { CollectContext } from './context.js'

export async function collectActivity(
  _ctx: CollectContext,
  _region: string,
  _pools: UserPool[],
  _policy: Policy,
): Promise<ActivityRegion> {
  throw new Error('not implemented')
}
