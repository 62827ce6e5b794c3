/** CloudWatch alarms and metric discovery collector (issue 3). */
import type { Policy } from '../../policy/types.js'
import type { UserPool } from '../../model/snapshot.js'
import type { AlarmsRegion } from '../../model/alarms.js'
import type { CollectContext } from '../context.js'

export async function collectAlarms(
  _ctx: CollectContext,
  _region: string,
  _pools: UserPool[],
  _policy: Policy,
): Promise<AlarmsRegion> {
  throw new Error('not implemented')
}
