/** Remediation texts for CloudTrail capture findings: `aws cloudtrail` commands and CloudFormation properties. */
import type { TrailRecord } from '../../model/cloudtrail.js'

const ALL_MANAGEMENT = `'[{"ReadWriteType":"All","IncludeManagementEvents":true}]'`
const ADVANCED_MANAGEMENT = `'[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]'`

type TrailRef = Pick<TrailRecord, 'arn' | 'homeRegion'>

const ref = (t: TrailRef) => `--region ${t.homeRegion}`

export function createTrail(region: string): string {
  return (
    `Create a multi-region trail and start it: aws cloudtrail create-trail --name cognito-audit-trail ` +
    `--s3-bucket-name <log-bucket> --is-multi-region-trail --enable-log-file-validation --region ${region} && ` +
    `aws cloudtrail start-logging --name cognito-audit-trail --region ${region}. CloudFormation: AWS::CloudTrail::Trail ` +
    `with IsLogging: true, IsMultiRegionTrail: true, S3BucketName, EnableLogFileValidation: true ` +
    `(the bucket policy must let cloudtrail.amazonaws.com write to it).`
  )
}

export function makeMultiRegion(t: TrailRef, region: string): string {
  return (
    `Make a trail record every region: aws cloudtrail update-trail --name ${t.arn} --is-multi-region-trail ${ref(t)} ` +
    `(CloudFormation: IsMultiRegionTrail: true), or ${createTrail(region).replace(/^Create/, 'create')}`
  )
}

export function startLogging(t: TrailRecord): string {
  return `aws cloudtrail start-logging --name ${t.arn} ${ref(t)} (CloudFormation: AWS::CloudTrail::Trail IsLogging: true).`
}

export function fixDelivery(t: TrailRecord): string {
  const bucket = t.s3BucketName ? `bucket ${t.s3BucketName}` : 'the log bucket'
  return (
    `Fix delivery to ${bucket}: its bucket policy must allow cloudtrail.amazonaws.com s3:PutObject (and the KMS key ` +
    `policy, if any, must let CloudTrail use the key); then check aws cloudtrail get-trail-status --name ${t.arn} ${ref(t)}.`
  )
}

export function recordAllManagementEvents(t: TrailRecord, advanced: boolean): string {
  return advanced
    ? `aws cloudtrail put-event-selectors --trail-name ${t.arn} ${ref(t)} --advanced-event-selectors ${ADVANCED_MANAGEMENT} ` +
        `(CloudFormation: AdvancedEventSelectors with FieldSelectors [{Field: eventCategory, Equals: [Management]}] and no ` +
        `eventSource, eventName or readOnly condition that excludes cognito-idp.amazonaws.com).`
    : `aws cloudtrail put-event-selectors --trail-name ${t.arn} ${ref(t)} --event-selectors ${ALL_MANAGEMENT} ` +
        `(CloudFormation: EventSelectors [{ReadWriteType: All, IncludeManagementEvents: true}] without ` +
        `cognito-idp.amazonaws.com in ExcludeManagementEventSources).`
}

export function enableLogFileValidation(t: TrailRecord): string {
  return `aws cloudtrail update-trail --name ${t.arn} --enable-log-file-validation ${ref(t)} (CloudFormation: EnableLogFileValidation: true).`
}

export function enableKms(t: TrailRecord): string {
  return `aws cloudtrail update-trail --name ${t.arn} --kms-key-id <kms-key-arn> ${ref(t)} (CloudFormation: KMSKeyId; the key policy must allow CloudTrail).`
}

export function enableCloudWatchLogs(t: TrailRecord): string {
  return (
    `aws cloudtrail update-trail --name ${t.arn} --cloud-watch-logs-log-group-arn <log-group-arn> ` +
    `--cloud-watch-logs-role-arn <role-arn> ${ref(t)} (CloudFormation: CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn).`
  )
}

export function fixCloudWatchLogsDelivery(t: TrailRecord): string {
  return `Let the trail's CloudWatchLogsRoleArn call logs:CreateLogStream and logs:PutLogEvents on the trail's log group, then check aws cloudtrail get-trail-status --name ${t.arn} ${ref(t)}.`
}
