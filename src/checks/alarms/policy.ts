/**
 * Policy section `alarms`: which CloudWatch alarms every pool (and every
 * region, for the account-level quota metric) must have, and what makes an alarm good enough.
 *
 * ```yaml
 * alarms:
 *   enabled: true                  # false skips the whole section (no CloudWatch calls)
 *   risk:                          # threat-protection risk metrics, one alarm set per pool
 *     metrics: [AccountTakeoverRisk, CompromisedCredentialRisk]
 *     operations: [SignIn]         # Operation dimension values that must be covered
 *     risk-levels: [High]          # RiskLevel values that must be covered (case-insensitive)
 *     max-threshold: 1             # the alarm must fire at this many events or fewer
 *     max-datapoints-to-alarm: 1   # ... within this many breaching periods (M of N: DatapointsToAlarm)
 *     require-action: true         # enabled with an ALARM action (or feeding a composite alarm that has one)
 *     severity: high
 *     pools: ['*']                 # pool ids or name globs this requirement applies to
 *   throttles:                     # per-pool throttling metrics
 *     metrics: [SignInThrottles]   # add SignUpThrottles, TokenRefreshThrottles, FederationThrottles
 *     app-clients: []              # app client ids to cover; empty = every client of the pool
 *     max-threshold: 10
 *   usage:                         # AWS/Usage ThrottleCount, once per region
 *     resources: [UserAuthentication]
 *     service: Cognito user pool
 *     type: API
 *     # class: None                # only checked when given
 *     max-threshold: 10
 * ```
 * Each of `risk`, `throttles`, `usage` also takes `enabled: false` to drop that requirement.
 */
import type { Severity } from '../../model/finding.js'
import { type JsonSchema, PolicyIssue, type PolicySection } from '../../model/policy-section.js'

export const RISK_METRICS = ['AccountTakeoverRisk', 'CompromisedCredentialRisk'] as const
export type RiskMetric = (typeof RISK_METRICS)[number]
export const THROTTLE_METRICS = [
  'SignInThrottles',
  'SignUpThrottles',
  'TokenRefreshThrottles',
  'FederationThrottles',
] as const
export type ThrottleMetric = (typeof THROTTLE_METRICS)[number]

/** The other spellings AWS's own sources use; accepted in the policy and normalised to the canonical name. */
const RISK_METRIC_ALIASES: Record<string, RiskMetric> = {
  AccountTakeoverRisk: 'AccountTakeoverRisk',
  AccountTakeOverRisk: 'AccountTakeoverRisk',
  CompromisedCredentialRisk: 'CompromisedCredentialRisk',
  CompromisedCredentialsRisk: 'CompromisedCredentialRisk',
}

/** What every requirement has. */
export interface AlarmRequirementBase {
  enabled: boolean
  /** The alarm must be able to fire when the count reaches this (e.g. `>= 1` or `> 0` for 1). */
  maxThreshold: number
  /** The most breaching datapoints (M of `DatapointsToAlarm` M of N; N of N when it is absent) the alarm may
   *  need before it fires. Default 1: one period at `maxThreshold` fires it. */
  maxDatapointsToAlarm: number
  /** Require `ActionsEnabled` and at least one ALARM action (directly or through a composite alarm). */
  requireAction: boolean
  /** Severity of a failing finding. */
  severity: Severity
}

export interface RiskAlarmsPolicy extends AlarmRequirementBase {
  /** Canonical names; each spelling AWS uses is accepted on the alarm. */
  metrics: RiskMetric[]
  /** `Operation` dimension values to cover (`SignIn`, `SignUp`, `PasswordChange`). */
  operations: string[]
  /** `RiskLevel` values to cover, compared case-insensitively (`High`, `Medium`, `Low`). */
  riskLevels: string[]
  /** Pool ids or name globs the requirement applies to. */
  pools: string[]
}

export interface ThrottleAlarmsPolicy extends AlarmRequirementBase {
  metrics: ThrottleMetric[]
  /** App client ids to cover; empty = every app client of the pool. */
  appClients: string[]
  pools: string[]
}

export interface UsageAlarmPolicy extends AlarmRequirementBase {
  /** `Resource` dimension values (Cognito quota categories) that need a `ThrottleCount` alarm. */
  resources: string[]
  /** `Service` dimension value (compared case-insensitively with what ListMetrics shows). */
  service: string
  /** `Type` dimension value. */
  type: string
  /** `Class` dimension value; undefined = any value (or none) is accepted. */
  class?: string
}

export interface AlarmsPolicy {
  enabled: boolean
  risk: RiskAlarmsPolicy
  throttles: ThrottleAlarmsPolicy
  usage: UsageAlarmPolicy
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low']

export const ALARMS_DEFAULTS: AlarmsPolicy = {
  enabled: true,
  risk: {
    enabled: true,
    metrics: [...RISK_METRICS],
    operations: ['SignIn'],
    riskLevels: ['High'],
    maxThreshold: 1,
    maxDatapointsToAlarm: 1,
    requireAction: true,
    severity: 'high',
    pools: ['*'],
  },
  throttles: {
    enabled: true,
    metrics: ['SignInThrottles'],
    appClients: [],
    maxThreshold: 10,
    maxDatapointsToAlarm: 1,
    requireAction: true,
    severity: 'medium',
    pools: ['*'],
  },
  usage: {
    enabled: true,
    resources: ['UserAuthentication'],
    service: 'Cognito user pool',
    type: 'API',
    maxThreshold: 10,
    maxDatapointsToAlarm: 1,
    requireAction: true,
    severity: 'medium',
  },
}

const stringList = (description: string, items: JsonSchema = { type: 'string', minLength: 1 }): JsonSchema => ({
  type: 'array',
  items,
  uniqueItems: true,
  description,
})

const baseProperties = (what: string, maxThreshold: number, severity: Severity): Record<string, JsonSchema> => ({
  enabled: { type: 'boolean', default: true, description: `Require ${what}. false drops this requirement.` },
  'max-threshold': {
    type: 'number',
    minimum: 1,
    default: maxThreshold,
    description:
      'Highest count at which the alarm must fire (at least 1: these metrics count events): `>= N` or ' +
      '`> N-1` with N at most this passes. An alarm that only fires above it is reported as too lax.',
  },
  'max-datapoints-to-alarm': {
    type: 'integer',
    minimum: 1,
    default: 1,
    description:
      'Most breaching datapoints the alarm may need before it fires: its DatapointsToAlarm (M of N), or its ' +
      'EvaluationPeriods when DatapointsToAlarm is absent. Default 1: a single period reaching max-threshold must ' +
      'fire it (an alarm needing 3 of 3 periods does not fire on one burst and is reported as too lax). Raise it ' +
      'to accept alarms that wait for a sustained problem.',
  },
  'require-action': {
    type: 'boolean',
    default: true,
    description:
      'The alarm must have actions enabled and at least one ALARM action (e.g. an SNS topic), or feed a composite ' +
      'alarm that does. false accepts an alarm that only changes state.',
  },
  severity: { enum: SEVERITIES, default: severity, description: 'Severity of a failing finding.' },
})

const poolsProperty: JsonSchema = stringList(
  'Pool ids or name globs (`*`, `?`) this requirement applies to. Default every audited pool.',
)

export const alarmsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Required CloudWatch alarms on Cognito metrics. An alarm counts only when it watches the right metric and ' +
    'pool, can fire on a count, and reaches someone.',
  properties: {
    enabled: {
      type: 'boolean',
      default: true,
      description: 'Check alarms at all. false skips every alarm requirement.',
    },
    risk: {
      type: 'object',
      additionalProperties: false,
      description:
        'Per pool: alarms on the threat-protection risk metrics in AWS/Cognito (dimensions UserPoolId, Operation, RiskLevel).',
      properties: {
        ...baseProperties('risk alarms', 1, 'high'),
        metrics: stringList(
          'Risk metrics that need an alarm. Both AWS spellings are accepted here and on the alarm ' +
            '(AccountTakeoverRisk/AccountTakeOverRisk, CompromisedCredentialRisk/CompromisedCredentialsRisk).',
          { enum: Object.keys(RISK_METRIC_ALIASES) },
        ),
        operations: stringList('Operation dimension values that must be covered. Default [SignIn].', {
          enum: ['SignIn', 'SignUp', 'PasswordChange'],
        }),
        'risk-levels': stringList('RiskLevel dimension values that must be covered (any casing). Default [High].', {
          enum: ['High', 'Medium', 'Low', 'high', 'medium', 'low'],
        }),
        pools: poolsProperty,
      },
    },
    throttles: {
      type: 'object',
      additionalProperties: false,
      description:
        'Per pool: alarms on the throttling metrics in AWS/Cognito (dimensions UserPool, UserPoolClient, and ' +
        'IdentityProvider for FederationThrottles).',
      properties: {
        ...baseProperties('throttle alarms', 10, 'medium'),
        metrics: stringList('Throttle metrics that need an alarm. Default [SignInThrottles].', {
          enum: [...THROTTLE_METRICS],
        }),
        'app-clients': stringList(
          'App client ids whose series must be covered. Default: every app client of the pool, plus every client ' +
            'series ListMetrics shows for it. An alarm on UserPool alone covers all clients only when the account ' +
            'emits such a series.',
        ),
        pools: poolsProperty,
      },
    },
    usage: {
      type: 'object',
      additionalProperties: false,
      description:
        'Once per region: an alarm on AWS/Usage ThrottleCount for Cognito user pools (account-level quota throttling).',
      properties: {
        ...baseProperties('the ThrottleCount alarm', 10, 'medium'),
        resources: stringList('Resource dimension values (quota categories) that need an alarm.', {
          type: 'string',
          minLength: 1,
        }),
        service: {
          type: 'string',
          minLength: 1,
          default: 'Cognito user pool',
          description: 'Service dimension value; the value ListMetrics shows wins when it differs only in case.',
        },
        type: { type: 'string', minLength: 1, default: 'API', description: 'Type dimension value.' },
        class: {
          type: 'string',
          minLength: 1,
          description: 'Class dimension value; when absent any value is accepted.',
        },
      },
    },
  },
}

type Raw = Record<string, unknown> | undefined

function base(raw: Raw, defaults: AlarmRequirementBase, key: string): AlarmRequirementBase {
  const datapoints = (raw?.['max-datapoints-to-alarm'] as number | undefined) ?? defaults.maxDatapointsToAlarm
  if (!Number.isInteger(datapoints) || datapoints < 1) {
    throw new PolicyIssue(['alarms', key, 'max-datapoints-to-alarm'], 'must be a whole number of at least 1')
  }
  return {
    enabled: (raw?.enabled as boolean | undefined) ?? defaults.enabled,
    maxThreshold: (raw?.['max-threshold'] as number | undefined) ?? defaults.maxThreshold,
    maxDatapointsToAlarm: datapoints,
    requireAction: (raw?.['require-action'] as boolean | undefined) ?? defaults.requireAction,
    severity: (raw?.severity as Severity | undefined) ?? defaults.severity,
  }
}

function nonEmpty<T>(list: T[] | undefined, fallback: T[], path: Array<string | number>, enabled: boolean): T[] {
  if (list === undefined) return [...fallback]
  if (list.length === 0 && enabled) throw new PolicyIssue(path, 'must list at least one value (or set enabled: false)')
  return list
}

/** Fills defaults. Exported for tests and for building policies in code. */
export function normalizeAlarms(input: unknown): AlarmsPolicy {
  const raw = (input ?? {}) as Record<string, unknown>
  const d = ALARMS_DEFAULTS
  const risk = raw.risk as Raw
  const throttles = raw.throttles as Raw
  const usage = raw.usage as Raw
  const riskBase = base(risk, d.risk, 'risk')
  const throttleBase = base(throttles, d.throttles, 'throttles')
  const usageBase = base(usage, d.usage, 'usage')
  const riskMetrics = nonEmpty(
    risk?.metrics as string[] | undefined,
    d.risk.metrics,
    ['alarms', 'risk', 'metrics'],
    riskBase.enabled,
  ).map((m, i) => {
    const canonical = RISK_METRIC_ALIASES[m]
    if (!canonical) throw new PolicyIssue(['alarms', 'risk', 'metrics', i], `unknown risk metric "${m}"`)
    return canonical
  })
  const out: AlarmsPolicy = {
    enabled: (raw.enabled as boolean | undefined) ?? d.enabled,
    risk: {
      ...riskBase,
      metrics: [...new Set(riskMetrics)],
      operations: nonEmpty(
        risk?.operations as string[] | undefined,
        d.risk.operations,
        ['alarms', 'risk', 'operations'],
        riskBase.enabled,
      ),
      riskLevels: nonEmpty(
        risk?.['risk-levels'] as string[] | undefined,
        d.risk.riskLevels,
        ['alarms', 'risk', 'risk-levels'],
        riskBase.enabled,
      ),
      pools: nonEmpty(risk?.pools as string[] | undefined, d.risk.pools, ['alarms', 'risk', 'pools'], riskBase.enabled),
    },
    throttles: {
      ...throttleBase,
      metrics: nonEmpty(
        throttles?.metrics as ThrottleMetric[] | undefined,
        d.throttles.metrics,
        ['alarms', 'throttles', 'metrics'],
        throttleBase.enabled,
      ),
      appClients: (throttles?.['app-clients'] as string[] | undefined) ?? [],
      pools: nonEmpty(
        throttles?.pools as string[] | undefined,
        d.throttles.pools,
        ['alarms', 'throttles', 'pools'],
        throttleBase.enabled,
      ),
    },
    usage: {
      ...usageBase,
      resources: nonEmpty(
        usage?.resources as string[] | undefined,
        d.usage.resources,
        ['alarms', 'usage', 'resources'],
        usageBase.enabled,
      ),
      service: (usage?.service as string | undefined) ?? d.usage.service,
      type: (usage?.type as string | undefined) ?? d.usage.type,
    },
  }
  const cls = usage?.class as string | undefined
  if (cls !== undefined) out.usage.class = cls
  return out
}

export const alarmsSection: PolicySection<AlarmsPolicy> = {
  key: 'alarms',
  description: 'Required CloudWatch alarms on Cognito risk and throttle metrics, and the AWS/Usage ThrottleCount.',
  schema: alarmsSchema,
  normalize: (raw) => normalizeAlarms(raw),
}
