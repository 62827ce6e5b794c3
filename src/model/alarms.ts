/** Snapshot section for issue 3 (required alarms). Owned by the alarms collector. */
import type { AwsError } from './snapshot.js'

export interface AlarmsRegion {
  errors: AwsError[]
}
