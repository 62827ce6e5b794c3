/** Snapshot section for issue 5 (activity). Owned by the activity collectors. */
import type { AwsError } from './snapshot.js'

export interface ActivityRegion {
  errors: AwsError[]
}
