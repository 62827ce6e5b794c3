/**
 * Snapshot section for CloudTrail capture. Owned by the CloudTrail collector.
 *
 * Per audited region: the trails that apply to it (homed there, or multi-region /
 * organization trails homed elsewhere), each with its status and event selectors as
 * read once from the trail's home region. A trail applying to several audited regions
 * appears in each of them with the same data.
 */
import type { PlannedInfo } from './plan.js'
import type { AwsError, Listing } from './snapshot.js'

export interface CloudTrailRegion {
  /** Trails that apply to this region: loaded and empty when none does, `failed` when DescribeTrails failed. */
  trails: Listing<TrailRecord>
  /** Single-region trails homed in other audited regions: they do not record this region's events. */
  otherRegionTrails: OtherRegionTrail[]
  /** Region-level failures (DescribeTrails). Trail-level failures are in each trail's `errors`. */
  errors: AwsError[]
}

export interface OtherRegionTrail {
  name: string
  arn: string
  homeRegion: string
}

export interface TrailRecord {
  name: string
  /** Trail ARN; the key trails are deduplicated by. */
  arn: string
  homeRegion: string
  isMultiRegion: boolean
  isOrganization: boolean
  logFileValidation: boolean
  /** SSE-KMS key, when set. */
  kmsKeyId?: string
  /** CloudWatch Logs delivery, when set. */
  cloudWatchLogsLogGroupArn?: string
  s3BucketName?: string
  hasCustomEventSelectors?: boolean
  /** From GetTrailStatus; undefined = could not be read (see `errors`). */
  status?: TrailStatus
  /** From GetEventSelectors; undefined = could not be read (see `errors`). */
  selectors?: TrailSelectors
  /** GetTrailStatus / GetEventSelectors failures for this trail (resource = the trail ARN). */
  errors: AwsError[]
  /** Planned trails only. */
  plan?: PlannedInfo
}

/** GetTrailStatus, dates as ISO strings. */
export interface TrailStatus {
  isLogging: boolean
  latestDeliveryTime?: string
  latestDeliveryError?: string
  startLoggingTime?: string
  stopLoggingTime?: string
  latestCloudWatchLogsDeliveryTime?: string
  latestCloudWatchLogsDeliveryError?: string
  latestDigestDeliveryTime?: string
  latestDigestDeliveryError?: string
}

/** GetEventSelectors in AWS's own shape: a trail has basic or advanced selectors, never both. */
export interface TrailSelectors {
  eventSelectors?: BasicEventSelector[]
  advancedEventSelectors?: AdvancedEventSelector[]
}

export type ReadWriteType = 'All' | 'ReadOnly' | 'WriteOnly'

export interface BasicEventSelector {
  /** Default `All`. */
  ReadWriteType?: ReadWriteType
  /** Default true. */
  IncludeManagementEvents?: boolean
  ExcludeManagementEventSources?: string[]
  DataResources?: Array<{ Type?: string; Values?: string[] }>
}

export interface AdvancedEventSelector {
  Name?: string
  FieldSelectors: AdvancedFieldSelector[]
}

export interface AdvancedFieldSelector {
  Field: string
  Equals?: string[]
  StartsWith?: string[]
  EndsWith?: string[]
  NotEquals?: string[]
  NotStartsWith?: string[]
  NotEndsWith?: string[]
}

/** The event source of every Cognito user pools API call in CloudTrail. */
export const COGNITO_EVENT_SOURCE = 'cognito-idp.amazonaws.com'
