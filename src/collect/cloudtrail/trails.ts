/** CloudTrail trails collector (issue 4): every region at once, so each trail is read once. */
import type { Policy } from '../../policy/types.js'
import type { CloudTrailRegion } from '../../model/cloudtrail.js'
import type { CollectContext } from '../context.js'

export async function collectCloudTrail(
  _ctx: CollectContext,
  _regions: string[],
  _policy: Policy,
): Promise<Record<string, CloudTrailRegion>> {
  throw new Error('not implemented')
}
