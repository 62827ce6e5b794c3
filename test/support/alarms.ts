/** Builders for alarm tests: well-formed alarms that pass every rule, to be broken one field at a time. */

import { normalizeAlarms } from '../../src/checks/alarms/policy.js'
import type {
  AlarmsRegion,
  CompositeAlarmInfo,
  DimensionValue,
  ListedMetric,
  MetricAlarmInfo,
} from '../../src/model/alarms.js'
import type { AccountSnapshot, AwsError, UserPool } from '../../src/model/snapshot.js'
import type { Policy } from '../../src/policy/types.js'
import { testPolicy } from './policy.js'
import { asListing, type ListInput, snapshot } from './pools.js'

export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts'

export const dims = (d: Record<string, string>): DimensionValue[] =>
  Object.entries(d).map(([name, value]) => ({ name, value }))

export const series = (metricName: string, d: Record<string, string>, namespace = 'AWS/Cognito'): ListedMetric => ({
  namespace,
  metricName,
  dimensions: dims(d),
})

/** A single-metric alarm that passes every rule: Sum, >= 1, notBreaching, enabled, one SNS action. */
export function alarm(name: string, metric: ListedMetric, overrides: Partial<MetricAlarmInfo> = {}): MetricAlarmInfo {
  return {
    name,
    arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
    actionsEnabled: true,
    alarmActions: [TOPIC],
    metric,
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    ...overrides,
  }
}

export function riskAlarm(
  name: string,
  poolId: string,
  overrides: Partial<MetricAlarmInfo> = {},
  metricName = 'AccountTakeoverRisk',
  extra: Record<string, string> = { Operation: 'SignIn', RiskLevel: 'High' },
): MetricAlarmInfo {
  return alarm(name, series(metricName, { UserPoolId: poolId, ...extra }), overrides)
}

export function throttleAlarm(
  name: string,
  poolId: string,
  client: string,
  overrides: Partial<MetricAlarmInfo> = {},
  metricName = 'SignInThrottles',
): MetricAlarmInfo {
  return alarm(name, series(metricName, { UserPool: poolId, UserPoolClient: client }), overrides)
}

export function composite(name: string, rule: string, overrides: Partial<CompositeAlarmInfo> = {}): CompositeAlarmInfo {
  return { name, actionsEnabled: true, alarmActions: [TOPIC], alarmRule: rule, ...overrides }
}

/** An alarms section as tests write it: each list may be a plain array (read as loaded). */
export interface AlarmsInput {
  metricAlarms?: ListInput<MetricAlarmInfo>
  compositeAlarms?: ListInput<CompositeAlarmInfo>
  cognitoMetrics?: ListInput<ListedMetric>
  usageMetrics?: ListInput<ListedMetric>
  errors?: AwsError[]
}

/** An alarms section from test input; a list given as `undefined` stays absent (not collected). */
export function alarmsSection(alarms: AlarmsInput = {}): AlarmsRegion {
  const out: AlarmsRegion = { errors: alarms.errors ?? [] }
  for (const k of ['metricAlarms', 'compositeAlarms', 'cognitoMetrics', 'usageMetrics'] as const) {
    const v = k in alarms ? alarms[k] : []
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = asListing(v as ListInput<unknown>)
  }
  return out
}

/** A us-east-1 snapshot with these pools and this alarms section (lists default to empty). */
export function snap(pools: UserPool[], alarms: AlarmsInput = {}): AccountSnapshot {
  const s = snapshot({ 'us-east-1': pools })
  s.regions[0]!.alarms = alarmsSection(alarms)
  return s
}

/** The alarms policy from raw (kebab-case) YAML values, everything else defaulted. */
export function policy(raw: Record<string, unknown> = {}): Policy {
  return testPolicy({ alarms: normalizeAlarms(raw) })
}
