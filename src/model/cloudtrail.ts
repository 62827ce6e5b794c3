/** Snapshot section for issue 4 (CloudTrail capture). Owned by the CloudTrail collector. */
import type { AwsError } from './snapshot.js'

export interface CloudTrailRegion {
  errors: AwsError[]
}
