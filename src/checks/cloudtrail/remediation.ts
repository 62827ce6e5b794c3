/** Remediation texts for CloudTrail capture findings: `aws cloudtrail` commands and CloudFormation properties. */
import {
  type AdvancedEventSelector,
  type BasicEventSelector,
  COGNITO_EVENT_SOURCE as COGNITO,
  type TrailRecord,
} from '../../model/cloudtrail.js'
import { shellQuote as q } from '../../model/quote.js'

type TrailRef = Pick<TrailRecord, 'arn' | 'homeRegion'>

const ref = (t: TrailRef) => `--region ${q(t.homeRegion)}`

export function createTrail(region: string): string {
  return (
    `Create a multi-region trail and start it: aws cloudtrail create-trail --name cognito-audit-trail ` +
    `--s3-bucket-name <log-bucket> --is-multi-region-trail --enable-log-file-validation --region ${q(region)} && ` +
    `aws cloudtrail start-logging --name cognito-audit-trail --region ${q(region)}. CloudFormation: AWS::CloudTrail::Trail ` +
    `with IsLogging: true, IsMultiRegionTrail: true, S3BucketName, EnableLogFileValidation: true ` +
    `(the bucket policy must let cloudtrail.amazonaws.com write to it).`
  )
}

export function makeMultiRegion(t: TrailRef, region: string): string {
  return (
    `Make a trail record every region: aws cloudtrail update-trail --name ${q(t.arn)} --is-multi-region-trail ${ref(t)} ` +
    `(CloudFormation: IsMultiRegionTrail: true), or ${createTrail(region).replace(/^Create/, 'create')}`
  )
}

/** An organization trail is changed only from the account that owns it, not from a member account. */
const owner = (t: TrailRecord) =>
  t.isOrganization
    ? "This is an organization trail: run this from the organization's management account (or the delegated administrator account), not a member account. "
    : ''

export function startLogging(t: TrailRecord): string {
  return `${owner(t)}aws cloudtrail start-logging --name ${q(t.arn)} ${ref(t)} (CloudFormation: AWS::CloudTrail::Trail IsLogging: true).`
}

export function fixDelivery(t: TrailRecord): string {
  const bucket = t.s3BucketName ? `bucket ${t.s3BucketName}` : 'the log bucket'
  return (
    `Fix delivery to ${bucket}: its bucket policy must allow cloudtrail.amazonaws.com s3:PutObject (and the KMS key ` +
    `policy, if any, must let CloudTrail use the key); then check aws cloudtrail get-trail-status --name ${q(t.arn)} ${ref(t)}.`
  )
}

const shellJson = (v: unknown) => q(JSON.stringify(v))

/**
 * The trail's selectors with Cognito's management events recorded, everything else kept: put-event-selectors
 * replaces the whole set, so a command with only a management selector would silently drop the trail's
 * data-event selectors. Basic: each data-event selector stays as it is (without management events), and one
 * management selector records All, excluding what was excluded before except Cognito. Advanced: every
 * selector that is not about management events stays; the management ones become one that keeps their
 * `eventSource NotEquals` exclusions except Cognito.
 */
export function mergedSelectors(t: TrailRecord, advanced: boolean): unknown[] {
  if (advanced) {
    const current = t.selectors?.advancedEventSelectors ?? []
    const isManagement = (sel: AdvancedEventSelector) =>
      sel.FieldSelectors.some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management'))
    const excluded = [
      ...new Set(
        current
          .filter(isManagement)
          .flatMap((sel) =>
            sel.FieldSelectors.filter((f) => f.Field === 'eventSource').flatMap((f) => f.NotEquals ?? []),
          )
          .filter((src) => src !== COGNITO),
      ),
    ]
    const management: AdvancedEventSelector = {
      Name: 'Management events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        ...(excluded.length ? [{ Field: 'eventSource', NotEquals: excluded }] : []),
      ],
    }
    return [...current.filter((sel) => !isManagement(sel)), management]
  }
  const current = t.selectors?.eventSelectors ?? []
  const excluded = [
    ...new Set(
      current
        .filter((sel) => sel.IncludeManagementEvents !== false)
        .flatMap((sel) => sel.ExcludeManagementEventSources ?? [])
        .filter((src) => src !== COGNITO),
    ),
  ]
  const data = current
    .filter((sel) => (sel.DataResources ?? []).length > 0)
    .map(
      ({ ExcludeManagementEventSources: _dropped, ...sel }): BasicEventSelector => ({
        ...sel,
        IncludeManagementEvents: false,
      }),
    )
  return [
    ...data,
    {
      ReadWriteType: 'All',
      IncludeManagementEvents: true,
      ...(excluded.length ? { ExcludeManagementEventSources: excluded } : {}),
    },
  ]
}

export function recordAllManagementEvents(t: TrailRecord, advanced: boolean): string {
  const merged = mergedSelectors(t, advanced)
  const kept = merged.length - 1
  const keeps =
    kept > 0
      ? ` put-event-selectors replaces every selector of the trail; this list keeps its ${kept} other selector${kept === 1 ? '' : 's'} (data events) as they are.`
      : ' (put-event-selectors replaces every selector of the trail; it has no other selectors to keep.)'
  return advanced
    ? `${owner(t)}aws cloudtrail put-event-selectors --trail-name ${q(t.arn)} ${ref(t)} --advanced-event-selectors ${shellJson(merged)}.${keeps} ` +
        `(CloudFormation: AdvancedEventSelectors with FieldSelectors [{Field: eventCategory, Equals: [Management]}] and no ` +
        `eventSource, eventName or readOnly condition that excludes ${COGNITO}.)`
    : `${owner(t)}aws cloudtrail put-event-selectors --trail-name ${q(t.arn)} ${ref(t)} --event-selectors ${shellJson(merged)}.${keeps} ` +
        `(CloudFormation: EventSelectors with ReadWriteType: All, IncludeManagementEvents: true and without ` +
        `${COGNITO} in ExcludeManagementEventSources.)`
}

export function enableLogFileValidation(t: TrailRecord): string {
  return `aws cloudtrail update-trail --name ${q(t.arn)} --enable-log-file-validation ${ref(t)} (CloudFormation: EnableLogFileValidation: true).`
}

export function enableKms(t: TrailRecord): string {
  return `aws cloudtrail update-trail --name ${q(t.arn)} --kms-key-id <kms-key-arn> ${ref(t)} (CloudFormation: KMSKeyId; the key policy must allow CloudTrail).`
}

export function enableCloudWatchLogs(t: TrailRecord): string {
  return (
    `aws cloudtrail update-trail --name ${q(t.arn)} --cloud-watch-logs-log-group-arn <log-group-arn> ` +
    `--cloud-watch-logs-role-arn <role-arn> ${ref(t)} (CloudFormation: CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn).`
  )
}

export function fixCloudWatchLogsDelivery(t: TrailRecord): string {
  return `Let the trail's CloudWatchLogsRoleArn call logs:CreateLogStream and logs:PutLogEvents on the trail's log group, then check aws cloudtrail get-trail-status --name ${q(t.arn)} ${ref(t)}.`
}
