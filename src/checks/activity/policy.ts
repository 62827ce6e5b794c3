/**
 * Policy section `activity`: the activity window shown in the summary, how much
 * CloudTrail event history to read, and optional thresholds that turn activity into findings.
 *
 * ```yaml
 * activity:
 *   lookback: 24h            # or 2d; at most 336h (14 days)
 *   event-pages: 40          # LookupEvents pages per region (50 events each)
 *   thresholds:              # default for every pool; all optional
 *     max-sign-in-failure-rate: 25   # percent
 *     min-sign-in-attempts: 20
 *     max-throttles: 0
 *     fail-on-high-risk: true
 *     severity: high
 *   overrides:               # first match wins; fields not given fall back to `thresholds`
 *     - pool: 'batch-*'
 *       max-sign-in-failure-rate: 60
 * ```
 */
import type { Severity } from '../../model/finding.js'
import { matchesPool } from '../../model/match.js'
import { type JsonSchema, PolicyIssue, type PolicySection } from '../../model/policy-section.js'

export interface ActivityThresholds {
  /** Fail when the sign-in failure rate (percent, 0–100) is above this. Undefined = no threshold. */
  maxSignInFailureRate?: number
  /** Below this many sign-in attempts the failure rate is not judged. Default 20. */
  minSignInAttempts: number
  /** Fail when throttled requests (all kinds) in the window exceed this. Undefined = no threshold. */
  maxThrottles?: number
  /** Fail on any high-risk detection. Default false. */
  failOnHighRisk: boolean
  /** Severity of activity findings. Default `medium`. */
  severity: Severity
}

export interface ActivityOverride extends Partial<ActivityThresholds> {
  /** Pool id or name glob. */
  pool: string
}

export interface ActivityPolicy {
  enabled: boolean
  /** Lookback window in hours. Default 24, at most MAX_LOOKBACK_HOURS. */
  lookbackHours: number
  /** LookupEvents pages (50 events each) read per region. Default 40. 0 = skip the breakdown. */
  eventPages: number
  thresholds: ActivityThresholds
  /** Per-pool thresholds, first match wins. */
  overrides: ActivityOverride[]
}

/** 14 days: the range the summary's hourly series is meant for (1-hour GetMetricData data). */
export const MAX_LOOKBACK_HOURS = 336
export const DEFAULT_LOOKBACK_HOURS = 24
export const DEFAULT_EVENT_PAGES = 40
export const DEFAULT_MIN_SIGN_IN_ATTEMPTS = 20

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low']

const thresholdProperties: Record<string, JsonSchema> = {
  'max-sign-in-failure-rate': {
    type: 'number',
    minimum: 0,
    maximum: 100,
    description: 'Fail when the sign-in failure rate (percent of attempts, throttled ones included) is above this.',
  },
  'min-sign-in-attempts': {
    type: 'integer',
    minimum: 0,
    default: DEFAULT_MIN_SIGN_IN_ATTEMPTS,
    description: 'Do not judge the failure rate of a pool with fewer sign-in attempts than this in the window.',
  },
  'max-throttles': {
    type: 'integer',
    minimum: 0,
    description: 'Fail when the throttled requests (sign-in, sign-up, token refresh, federation) exceed this.',
  },
  'fail-on-high-risk': {
    type: 'boolean',
    default: false,
    description: 'Fail on any high-risk detection (account takeover or compromised credentials).',
  },
  severity: { enum: SEVERITIES, default: 'medium', description: 'Severity of an activity violation.' },
}

type RawThresholds = {
  'max-sign-in-failure-rate'?: number
  'min-sign-in-attempts'?: number
  'max-throttles'?: number
  'fail-on-high-risk'?: boolean
  severity?: Severity
}

type RawActivity = {
  enabled?: boolean
  lookback?: string
  'event-pages'?: number
  thresholds?: RawThresholds
  overrides?: Array<RawThresholds & { pool: string }>
}

/** `24h` → 24, `2d` → 48. Undefined for anything else. */
export function parseLookback(text: string): number | undefined {
  const m = /^([1-9][0-9]*)([hd])$/.exec(text.trim())
  if (!m) return undefined
  return Number.parseInt(m[1]!, 10) * (m[2] === 'd' ? 24 : 1)
}

function partialThresholds(raw: RawThresholds): Partial<ActivityThresholds> {
  const out: Partial<ActivityThresholds> = {}
  if (raw['max-sign-in-failure-rate'] !== undefined) out.maxSignInFailureRate = raw['max-sign-in-failure-rate']
  if (raw['min-sign-in-attempts'] !== undefined) out.minSignInAttempts = raw['min-sign-in-attempts']
  if (raw['max-throttles'] !== undefined) out.maxThrottles = raw['max-throttles']
  if (raw['fail-on-high-risk'] !== undefined) out.failOnHighRisk = raw['fail-on-high-risk']
  if (raw.severity !== undefined) out.severity = raw.severity
  return out
}

export const activitySection: PolicySection<ActivityPolicy> = {
  key: 'activity',
  description:
    'Recent sign-in, sign-up, token-refresh and federation activity in the job summary, with optional thresholds.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean', default: true, description: 'Collect and show activity. Default true.' },
      lookback: {
        type: 'string',
        pattern: '^[1-9][0-9]*[hd]$',
        examples: ['24h', '7d'],
        default: `${DEFAULT_LOOKBACK_HOURS}h`,
        description: `Activity window ending at the last whole hour, in hours (24h) or days (2d); at most ${MAX_LOOKBACK_HOURS}h. The previous window of equal length is shown for comparison.`,
      },
      'event-pages': {
        type: 'integer',
        minimum: 0,
        maximum: 1000,
        default: DEFAULT_EVENT_PAGES,
        description:
          'CloudTrail LookupEvents pages (50 events each, 2 requests/s) read per region for the failure breakdown; 0 skips it.',
      },
      thresholds: {
        type: 'object',
        additionalProperties: false,
        description: 'Thresholds for every pool. Without any, activity is reported but never fails the build.',
        properties: thresholdProperties,
      },
      overrides: {
        type: 'array',
        description:
          'Per-pool thresholds; the first entry whose pool matches wins, unset fields fall back to thresholds.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['pool'],
          properties: {
            pool: { type: 'string', minLength: 1, description: 'Pool id or name glob (* and ?).' },
            ...thresholdProperties,
          },
        },
      },
    },
  },
  normalize: (raw) => {
    const r = (raw ?? {}) as RawActivity
    let lookbackHours = DEFAULT_LOOKBACK_HOURS
    if (r.lookback !== undefined) {
      const h = parseLookback(r.lookback)
      if (h === undefined)
        throw new PolicyIssue(['activity', 'lookback'], `"${r.lookback}" is not a duration like 24h or 2d.`)
      if (h > MAX_LOOKBACK_HOURS) {
        throw new PolicyIssue(
          ['activity', 'lookback'],
          `${r.lookback} is longer than ${MAX_LOOKBACK_HOURS}h (14 days), the longest window the activity summary supports.`,
        )
      }
      lookbackHours = h
    }
    const base = partialThresholds(r.thresholds ?? {})
    const thresholds: ActivityThresholds = {
      minSignInAttempts: DEFAULT_MIN_SIGN_IN_ATTEMPTS,
      failOnHighRisk: false,
      severity: 'medium',
      ...base,
    }
    return {
      enabled: r.enabled ?? true,
      lookbackHours,
      eventPages: r['event-pages'] ?? DEFAULT_EVENT_PAGES,
      thresholds,
      overrides: (r.overrides ?? []).map((o) => ({ pool: o.pool, ...partialThresholds(o) })),
    }
  },
}

/** The thresholds that apply to a pool: the first matching override over the defaults. */
export function activityThresholdsFor(policy: ActivityPolicy, pool: { id: string; name: string }): ActivityThresholds {
  const o = policy.overrides.find((x) => matchesPool(x.pool, pool))
  if (!o) return policy.thresholds
  const { pool: _pool, ...rest } = o
  return { ...policy.thresholds, ...rest }
}
