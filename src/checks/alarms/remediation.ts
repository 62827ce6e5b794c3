/**
 * Remediation builders: a ready-to-run `aws cloudwatch put-metric-alarm` command and the
 * equivalent CloudFormation `AWS::CloudWatch::Alarm` resource for one required series.
 *
 * The alarm they create is the one the checks accept without notes: statistic Sum over 5 minutes
 * (Cognito publishes at 5-minute granularity), one evaluation period, `>= threshold`,
 * missing data = not breaching (no data means nothing happened), and an SNS topic placeholder.
 */
import type { DimensionValue } from '../../model/alarms.js'
import { cfnLogicalId, shellQuote as q, visible, yamlQuote } from '../../model/quote.js'

export interface AlarmSpec {
  region: string
  alarmName: string
  namespace: string
  metricName: string
  dimensions: DimensionValue[]
  threshold: number
  description: string
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
  // The CLI's shorthand (Name=…,Value=…) would read a `,` or `=` in a value as its own syntax: JSON then.
  const shorthand = spec.dimensions.every((d) => /^[^,=[\]{}"'\\\p{Cc}\p{Cf}]*$/u.test(`${d.name}${d.value}`))
  const dims = shorthand
    ? spec.dimensions.map((d) => q(`Name=${d.name},Value=${d.value}`)).join(' ')
    : q(JSON.stringify(spec.dimensions.map((d) => ({ Name: d.name, Value: d.value }))))
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

export function cloudFormationSnippet(spec: AlarmSpec, logicalId: string): string {
  // every value is quoted for YAML, and the id sanitised: a name cannot add a key, a tag or a resource
  const lines = [
    `${cfnLogicalId([logicalId])}:`,
    '  Type: AWS::CloudWatch::Alarm',
    '  Properties:',
    `    AlarmName: ${yamlQuote(spec.alarmName)}`,
    `    AlarmDescription: ${yamlQuote(spec.description)}`,
    `    Namespace: ${yamlQuote(spec.namespace)}`,
    `    MetricName: ${yamlQuote(spec.metricName)}`,
    '    Dimensions:',
    ...spec.dimensions.flatMap((d) => [`      - Name: ${yamlQuote(d.name)}`, `        Value: ${yamlQuote(d.value)}`]),
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

/** The full remediation text: an optional targeted fix of an existing alarm, then both ways to create one. */
export function remediationText(specs: AlarmSpec[], fix?: { alarm: string; text: string }, note?: string): string {
  const parts: string[] = []
  if (fix) parts.push(`Fix alarm '${visible(fix.alarm)}': ${fix.text}. Or create the alarm:`)
  else parts.push('Create the alarm:')
  for (const spec of specs) parts.push(putMetricAlarmCommand(spec))
  parts.push('CloudFormation:')
  parts.push(specs.map((s) => cloudFormationSnippet(s, s.alarmName)).join('\n'))
  if (note) parts.push(note)
  return parts.join('\n')
}
