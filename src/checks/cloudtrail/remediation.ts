/** Remediation texts for CloudTrail capture findings: `aws cloudtrail` commands and CloudFormation properties for
 *  live trails; for planned trails, the properties in the trail's own language (template, CDK, Terraform). */

import {
  type AdvancedEventSelector,
  type BasicEventSelector,
  COGNITO_EVENT_SOURCE as COGNITO,
  type TrailRecord,
} from '../../model/cloudtrail.js'
import { formatOf } from '../../model/finding-location.js'
import { addResource, type SnippetValue, setProperties, tsEnum, tsExpression } from '../../model/iac-snippet.js'
import type { SourceLocation } from '../../model/plan.js'
import { shellQuote as q } from '../../model/quote.js'

type TrailRef = Pick<TrailRecord, 'arn' | 'homeRegion'>

/** A planned object to write a remediation beside (a pool, when the plan has no trail). */
export interface PlannedNear {
  location: SourceLocation
}

type Props = { [key: string]: SnippetValue }

/** The properties to set on a planned trail, in its own language. */
function onPlanned(t: TrailRecord, props: { cloudformation: Props; cdk: Props; terraform: Props }, cdkNote?: string) {
  const location = t.plan!.location
  const format = formatOf(location)
  if (format === 'cdk' && cdkNote && Object.keys(props.cdk).length === 0) return `CDK: ${cdkNote}`
  const text = setProperties(location, format, props)
  return format === 'cdk' && cdkNote ? `${text}\n${cdkNote}` : text
}

/** Terraform block names of CloudTrail's selector lists (singular, one block per item). */
const TF_BLOCK: Record<string, string> = {
  EventSelectors: 'event_selector',
  AdvancedEventSelectors: 'advanced_event_selector',
  DataResources: 'data_resource',
  FieldSelectors: 'field_selector',
}

const snake = (k: string) => TF_BLOCK[k] ?? k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
const camel = (k: string) => k[0]!.toLowerCase() + k.slice(1)

/** AWS-shaped selectors (plain JSON) with keys renamed for Terraform or CDK. */
function renamed(v: unknown, rename: (k: string) => string): SnippetValue {
  if (Array.isArray(v)) return v.map((x) => renamed(x, rename))
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [rename(k), renamed(x, rename)]))
  }
  return v as SnippetValue
}

const ref = (t: TrailRef) => `--region ${q(t.homeRegion)}`

export function createTrail(region: string, near?: PlannedNear): string {
  if (near) {
    return addResource(near.location, formatOf(near.location), {
      cloudformation: {
        id: ['Cognito audit trail'],
        type: 'AWS::CloudTrail::Trail',
        properties: {
          IsLogging: true,
          IsMultiRegionTrail: true,
          EnableLogFileValidation: true,
          S3BucketName: '<log-bucket>',
        },
      },
      cdk: {
        construct: 'cloudtrail.Trail',
        id: 'CognitoAuditTrail',
        props: { isMultiRegionTrail: true, enableFileValidation: true },
      },
      terraform: {
        type: 'aws_cloudtrail',
        name: ['cognito_audit'],
        body: {
          name: 'cognito-audit-trail',
          s3_bucket_name: '<log-bucket>',
          is_multi_region_trail: true,
          enable_log_file_validation: true,
          enable_logging: true,
        },
      },
      note: 'the bucket policy must let cloudtrail.amazonaws.com write to the log bucket (CDK creates one)',
    })
  }
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
  if (t.plan) {
    return onPlanned(
      t,
      { cloudformation: { IsLogging: true }, cdk: {}, terraform: { enable_logging: true } },
      'a Trail logs unless an override sets IsLogging to false (addPropertyOverride, or the CfnTrail isLogging): remove it.',
    )
  }
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
  if (t.plan) {
    const key = advanced ? 'AdvancedEventSelectors' : 'EventSelectors'
    const selectors = merged as SnippetValue[]
    return onPlanned(
      t,
      {
        cloudformation: { [key]: selectors },
        cdk: advanced ? {} : { managementEvents: tsEnum('cloudtrail.ReadWriteType.ALL') },
        terraform: { [snake(key)]: renamed(merged, snake) },
      },
      advanced
        ? `set the CfnTrail's advancedEventSelectors (trail.node.defaultChild) to: ${tsExpression(renamed(merged, camel))}`
        : undefined,
    )
  }
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
  if (t.plan) {
    return onPlanned(t, {
      cloudformation: { EnableLogFileValidation: true },
      cdk: { enableFileValidation: true },
      terraform: { enable_log_file_validation: true },
    })
  }
  return `aws cloudtrail update-trail --name ${q(t.arn)} --enable-log-file-validation ${ref(t)} (CloudFormation: EnableLogFileValidation: true).`
}

export function enableKms(t: TrailRecord): string {
  if (t.plan) {
    const key: SnippetValue = {
      kind: 'ref',
      logicalId: 'TrailKey',
      terraform: 'aws_kms_key.trail.arn',
      cdk: 'trailKey',
    }
    return `${onPlanned(t, { cloudformation: { KMSKeyId: key }, cdk: { encryptionKey: key }, terraform: { kms_key_id: key } })}\nThe key policy must allow CloudTrail to use the key.`
  }
  return `aws cloudtrail update-trail --name ${q(t.arn)} --kms-key-id <kms-key-arn> ${ref(t)} (CloudFormation: KMSKeyId; the key policy must allow CloudTrail).`
}

export function enableCloudWatchLogs(t: TrailRecord): string {
  if (t.plan) {
    return onPlanned(t, {
      cloudformation: { CloudWatchLogsLogGroupArn: '<log-group-arn>', CloudWatchLogsRoleArn: '<role-arn>' },
      cdk: { sendToCloudWatchLogs: true },
      terraform: { cloud_watch_logs_group_arn: '<log-group-arn:*>', cloud_watch_logs_role_arn: '<role-arn>' },
    })
  }
  return (
    `aws cloudtrail update-trail --name ${q(t.arn)} --cloud-watch-logs-log-group-arn <log-group-arn> ` +
    `--cloud-watch-logs-role-arn <role-arn> ${ref(t)} (CloudFormation: CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn).`
  )
}

export function fixCloudWatchLogsDelivery(t: TrailRecord): string {
  return `Let the trail's CloudWatchLogsRoleArn call logs:CreateLogStream and logs:PutLogEvents on the trail's log group, then check aws cloudtrail get-trail-status --name ${q(t.arn)} ${ref(t)}.`
}
