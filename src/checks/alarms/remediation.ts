/**
 * Remediation builders: a ready-to-run `aws cloudwatch put-metric-alarm` command and the
 * equivalent CloudFormation `AWS::CloudWatch::Alarm` resource for one required series.
 *
 * The alarm they create is the one the checks accept without notes: statistic Sum over 5 minutes
 * (Cognito publishes at 5-minute granularity), one evaluation period, `>= threshold`,
 * missing data = not breaching (no data means nothing happened), and an SNS topic placeholder.
 */
import type { DimensionValue } from '../../model/alarms.js'
import {
  addResource,
  asMap,
  type Reference,
  referenceTo,
  type SnippetValue,
  tsEnum,
  tsNew,
} from '../../model/iac-snippet.js'
import type { PlanFormat, SourceLocation } from '../../model/plan.js'
import { cfnLogicalId, shellQuote as q, visible, yamlQuote } from '../../model/quote.js'
import { itemsRead, type UserPool } from '../../model/snapshot.js'

export interface AlarmSpec {
  region: string
  alarmName: string
  namespace: string
  metricName: string
  dimensions: DimensionValue[]
  threshold: number
  description: string
  /** Set when the alarm is for a planned pool: the remediation is written in the pool's language. */
  planned?: PlannedAlarmContext
}

/** Where a planned alarm goes and how its dimension values name planned objects. */
export interface PlannedAlarmContext {
  /** The object the alarm goes beside (the pool it watches). */
  location: SourceLocation
  format: PlanFormat
  /** A dimension value as a reference when it is a planned pool's or client's id, else the value itself. */
  value(v: string): SnippetValue
  /** Text with planned ids (`planned:stack/Pool`) replaced by the objects' names in the plan. */
  readable(text: string): string
}

/** The planned context of alarms for `pool`, when it is planned: its id and its clients' ids become references. */
export function plannedAlarmContext(pool: UserPool | undefined, format: (l: SourceLocation) => PlanFormat) {
  const plan = pool?.plan
  if (!pool || !plan) return undefined
  const refs = new Map<string, Reference>([[pool.id, referenceTo(plan.location, 'id', 'userPool.userPoolId')]])
  const names = new Map<string, string>([[pool.id, plannedLabel(plan.location)]])
  for (const c of itemsRead(pool.clients)) {
    if (!c.plan) continue
    refs.set(c.id, referenceTo(c.plan.location, 'id', 'userPoolClient.userPoolClientId'))
    names.set(c.id, plannedLabel(c.plan.location))
  }
  const ctx: PlannedAlarmContext = {
    location: plan.location,
    format: format(plan.location),
    value: (v) => refs.get(v) ?? v,
    readable: (text) => [...names].reduce((t, [id, name]) => t.replaceAll(id, name), text),
  }
  return ctx
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

/** An object's name in the plan: its logical id, or its Terraform resource name (with its index). */
function plannedLabel(location: SourceLocation): string {
  if (location.address !== undefined) return location.address.split('.').slice(-1)[0]!
  return location.logicalId ?? location.file
}

/** The topic an alarm notifies: a placeholder each language names its way. */
const ALERT_TOPIC: Reference = {
  kind: 'ref',
  logicalId: 'AlertTopic',
  terraform: 'aws_sns_topic.alerts.arn',
  cdk: 'new cloudwatchActions.SnsAction(alertTopic)',
}

/** The alarm resource for a planned pool, in the pool's language. */
export function plannedAlarmSnippet(alarm: AlarmSpec, planned: PlannedAlarmContext): string {
  const spec = {
    ...alarm,
    alarmName: alarmName([planned.readable(alarm.alarmName)]),
    description: planned.readable(alarm.description),
  }
  const dims = (f: (name: string, value: SnippetValue) => [string, SnippetValue]) =>
    spec.dimensions.map((d) => f(d.name, planned.value(d.value)))
  return addResource(planned.location, planned.format, {
    cloudformation: {
      id: [spec.alarmName],
      type: 'AWS::CloudWatch::Alarm',
      properties: {
        AlarmName: spec.alarmName,
        AlarmDescription: spec.description,
        Namespace: spec.namespace,
        MetricName: spec.metricName,
        Dimensions: dims((n, v) => [n, v]).map(([Name, Value]) => ({ Name, Value })),
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: spec.threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [ALERT_TOPIC],
      },
    },
    cdk: {
      construct: 'cloudwatch.Alarm',
      id: cfnLogicalId([spec.alarmName]),
      props: {
        alarmName: spec.alarmName,
        alarmDescription: spec.description,
        metric: tsNew('cloudwatch.Metric', {
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensionsMap: asMap(Object.fromEntries(dims((n, v) => [n, v]))),
          statistic: 'Sum',
          period: tsEnum('Duration.minutes(5)'),
        }),
        threshold: spec.threshold,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: tsEnum('cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD'),
        treatMissingData: tsEnum('cloudwatch.TreatMissingData.NOT_BREACHING'),
      },
      after: '.addAlarmAction(new cloudwatchActions.SnsAction(alertTopic))',
    },
    terraform: {
      type: 'aws_cloudwatch_metric_alarm',
      name: [spec.alarmName],
      body: {
        alarm_name: spec.alarmName,
        alarm_description: spec.description,
        namespace: spec.namespace,
        metric_name: spec.metricName,
        dimensions: asMap(Object.fromEntries(dims((n, v) => [n, v]))),
        statistic: 'Sum',
        period: 300,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        threshold: spec.threshold,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        treat_missing_data: 'notBreaching',
        alarm_actions: [ALERT_TOPIC],
      },
    },
    note: 'AlertTopic / aws_sns_topic.alerts / alertTopic: your SNS topic for alerts',
  })
}

/** The full remediation text: an optional targeted fix of an existing alarm, then the ways to create one
 *  (for a planned pool, the resource in its own language instead of the CLI command). */
export function remediationText(specs: AlarmSpec[], fix?: { alarm: string; text: string }, note?: string): string {
  const planned = specs.filter((s) => s.planned)
  if (planned.length > 0 && planned.length === specs.length) {
    const parts = [fix ? `Fix alarm '${fix.alarm}': ${fix.text}. Or add the alarm:` : 'Add the alarm:']
    for (const spec of specs) parts.push(plannedAlarmSnippet(spec, spec.planned!))
    if (note) parts.push(note)
    return parts.join('\n')
  }
  const parts: string[] = []
  if (fix) parts.push(`Fix alarm '${visible(fix.alarm)}': ${fix.text}. Or create the alarm:`)
  else parts.push('Create the alarm:')
  for (const spec of specs) parts.push(putMetricAlarmCommand(spec))
  parts.push('CloudFormation:')
  parts.push(specs.map((s) => cloudFormationSnippet(s, s.alarmName)).join('\n'))
  if (note) parts.push(note)
  return parts.join('\n')
}
