/**
 * Remediation builders: a ready-to-run `aws cloudwatch put-metric-alarm` command and the
 * equivalent CloudFormation `AWS::CloudWatch::Alarm` resource for one required series.
 *
 * The alarm they create is the one the checks accept without notes: statistic Sum over 5 minutes
 * (Cognito publishes at 5-minute granularity), one evaluation period, `>= threshold`,
 * missing data = not breaching (no data means nothing happened), and an SNS topic placeholder.
 */
import type { DimensionValue } from '../../model/alarms.js'

export interface AlarmSpec {
  region: string
  alarmName: string
  namespace: string
  metricName: string
  dimensions: DimensionValue[]
  threshold: number
  description: string
}

/** Shell-quotes a value for POSIX shells. */
function q(value: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`
}

/** An SNS topic ARN placeholder in the alarm's region. */
export function topicPlaceholder(region: string): string {
  return `arn:aws:sns:${region}:<ACCOUNT_ID>:<ALERT_TOPIC>`
}

/** Alarm names are limited to 255 characters and must be unique per region. */
export function alarmName(parts: string[]): string {
  return parts
    .join('-')
    .replace(/[^A-Za-z0-9_.:/+=@-]/g, '-')
    .slice(0, 255)
}

export function putMetricAlarmCommand(spec: AlarmSpec): string {
  const dims = spec.dimensions.map((d) => q(`Name=${d.name},Value=${d.value}`)).join(' ')
  return [
    'aws cloudwatch put-metric-alarm',
    `  --region ${q(spec.region)}`,
    `  --alarm-name ${q(spec.alarmName)}`,
    `  --alarm-description ${q(spec.description)}`,
    `  --namespace ${q(spec.namespace)} --metric-name ${q(spec.metricName)}`,
    `  --dimensions ${dims}`,
    '  --statistic Sum --period 300 --evaluation-periods 1 --datapoints-to-alarm 1',
    `  --threshold ${spec.threshold} --comparison-operator GreaterThanOrEqualToThreshold`,
    '  --treat-missing-data notBreaching',
    `  --alarm-actions ${q(topicPlaceholder(spec.region))}`,
  ].join(' \\\n')
}

function yamlString(value: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(value) && !/^\d/.test(value) ? value : JSON.stringify(value)
}

export function cloudFormationSnippet(spec: AlarmSpec, logicalId: string): string {
  const lines = [
    `${logicalId}:`,
    '  Type: AWS::CloudWatch::Alarm',
    '  Properties:',
    `    AlarmName: ${yamlString(spec.alarmName)}`,
    `    AlarmDescription: ${yamlString(spec.description)}`,
    `    Namespace: ${spec.namespace}`,
    `    MetricName: ${spec.metricName}`,
    '    Dimensions:',
    ...spec.dimensions.flatMap((d) => [`      - Name: ${d.name}`, `        Value: ${yamlString(d.value)}`]),
    '    Statistic: Sum',
    '    Period: 300',
    '    EvaluationPeriods: 1',
    '    DatapointsToAlarm: 1',
    `    Threshold: ${spec.threshold}`,
    '    ComparisonOperator: GreaterThanOrEqualToThreshold',
    '    TreatMissingData: notBreaching',
    '    AlarmActions:',
    '      - !Ref AlertTopic   # your AWS::SNS::Topic',
  ]
  return lines.join('\n')
}

/** CloudFormation logical ids are alphanumeric. */
export function logicalId(parts: string[]): string {
  return parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')
    .slice(0, 255)
}

/** The full remediation text: an optional targeted fix of an existing alarm, then both ways to create one. */
export function remediationText(specs: AlarmSpec[], fix?: { alarm: string; text: string }, note?: string): string {
  const parts: string[] = []
  if (fix) parts.push(`Fix alarm '${fix.alarm}': ${fix.text}. Or create the alarm:`)
  else parts.push('Create the alarm:')
  for (const spec of specs) parts.push(putMetricAlarmCommand(spec))
  parts.push('CloudFormation:')
  parts.push(specs.map((s) => cloudFormationSnippet(s, logicalId([s.alarmName]))).join('\n'))
  if (note) parts.push(note)
  return parts.join('\n')
}
