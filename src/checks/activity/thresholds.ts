/**
 * Activity thresholds: sign-in failure rate, throttled requests and high-risk detections over
 * the activity window. No threshold in the policy ⇒ no finding; metrics that could not be read while a
 * threshold depends on them ⇒ an `error` finding, never a pass.
 */

import type { ActivityRegion } from '../../model/activity.js'
import { activityWindow } from '../../model/activity-window.js'
import { NOT_COLLECTED } from '../../model/aws-error.js'
import type { Finding } from '../../model/finding.js'
import { errorsAbout, ofPool } from '../../model/group-by.js'
import { shellQuote as q } from '../../model/quote.js'
import type { Check } from '../../model/requirement.js'
import type { AccountSnapshot, AwsError, UserPool } from '../../model/snapshot.js'
import { errorFinding, poolFinding } from '../finding.js'
import { formatCount, formatRate } from './format.js'
import { type ActivityPolicy, type ActivityThresholds, activityThresholdsFor } from './policy.js'
import { kindOf, type PoolActivity, poolActivity } from './stats.js'

interface PoolContext {
  pool: UserPool
  activity: ActivityRegion
  thresholds: ActivityThresholds
  /** Undefined when the pool's metrics could not be read; then `error` says why. */
  stats?: PoolActivity
  error?: AwsError
}

/** Pools of every region with collected activity, with their thresholds and computed numbers. */
function poolContexts(snapshot: AccountSnapshot, policy: ActivityPolicy): PoolContext[] {
  if (!policy.enabled) return []
  const out: PoolContext[] = []
  for (const region of snapshot.regions) {
    // Not collected (a snapshot saved with activity off): every threshold of these pools is unverified.
    const activity: ActivityRegion = region.activity ?? {
      window: activityWindow(new Date(snapshot.collectedAt), policy.lookbackHours),
      errors: [],
    }
    // Pools that could not be listed: see `unlistedRegions`.
    if (region.cognito.pools.state === 'failed') continue
    for (const pool of region.cognito.pools.items) {
      const thresholds = activityThresholdsFor(policy, pool)
      const ctx: PoolContext = { pool, activity, thresholds }
      const metrics = activity.metrics ? ofPool(activity.metrics, pool.id)[0] : undefined
      const poolError = errorsAbout(activity.errors, pool.id).find((e) => e.service === 'cloudwatch')
      const regionError = errorsAbout(activity.errors, undefined).find((e) => e.service === 'cloudwatch')
      if (!activity.metrics || poolError) {
        ctx.error = poolError ??
          regionError ?? {
            service: 'cloudwatch',
            action: 'GetMetricData',
            code: NOT_COLLECTED,
            message: 'The activity metrics were not collected.',
            region: region.region,
          }
      } else {
        ctx.stats = poolActivity(activity.window, metrics, pool.id)
      }
      out.push(ctx)
    }
  }
  return out
}

/**
 * Regions whose pools could not be listed: a threshold the policy sets for any pool (its own or an
 * override's) cannot be judged there, so `check` has one `error` per such region, naming the failed call.
 */
function unlistedRegions(
  snapshot: AccountSnapshot,
  policy: ActivityPolicy,
  check: Check,
  applies: (t: ActivityThresholds) => boolean,
): Finding[] {
  if (!policy.enabled) return []
  const sets = [policy.thresholds, ...policy.overrides.map((o) => ({ ...policy.thresholds, ...o }))]
  if (!sets.some(applies)) return []
  return snapshot.regions.flatMap((r) =>
    r.cognito.pools.state === 'failed'
      ? [{ ...errorFinding(check, r.cognito.pools.error), severity: policy.thresholds.severity }]
      : [],
  )
}

function windowText(a: ActivityRegion): string {
  return `the last ${a.window.hours} h`
}

const tuneHint = (key: string) =>
  `If this is expected, raise activity.thresholds.${key} in the policy, or add an activity.overrides entry for this pool.`

export const signInFailureRate: Check<ActivityPolicy> = {
  id: 'activity-sign-in-failure-rate',
  title: 'Sign-in failure rate within the limit',
  failTitle: 'Sign-in failure rate above the limit',
  requirement: 'activity',
  severity: 'medium',
  subjects: {
    per: 'pool',
    applies: (a, pool) => a.enabled && activityThresholdsFor(a, pool).maxSignInFailureRate !== undefined,
  },
  run(snapshot, activity) {
    const out: Finding[] = unlistedRegions(
      snapshot,
      activity,
      signInFailureRate,
      (t) => t.maxSignInFailureRate !== undefined,
    )
    for (const c of poolContexts(snapshot, activity)) {
      const max = c.thresholds.maxSignInFailureRate
      if (max === undefined) continue
      const severity = c.thresholds.severity
      if (!c.stats) {
        out.push({ ...errorFinding(signInFailureRate, c.error!, c.pool), severity })
        continue
      }
      const s = kindOf(c.stats, 'SignIn').current
      const evidence = {
        attempts: s.attempts,
        failures: s.failures,
        failureRate: s.rate ?? null,
        maxSignInFailureRate: max,
        minSignInAttempts: c.thresholds.minSignInAttempts,
        window: c.activity.window,
      }
      const share = `${formatCount(s.failures)} of ${formatCount(s.attempts)} attempts`
      if (s.attempts < c.thresholds.minSignInAttempts || s.rate === undefined) {
        out.push(
          poolFinding(
            signInFailureRate,
            c.pool,
            'pass',
            `${formatCount(s.attempts)} sign-in attempts in ${windowText(c.activity)}: fewer than the ${c.thresholds.minSignInAttempts} needed to judge the failure rate.`,
            { severity, evidence, notJudged: true },
          ),
        )
      } else if (s.rate > max) {
        out.push(
          poolFinding(
            signInFailureRate,
            c.pool,
            'fail',
            `Sign-in failure rate ${formatRate(s.rate)} (${share}) in ${windowText(c.activity)} is above the ${max}% limit.`,
            {
              severity,
              evidence,
              remediation: `Find the failing calls and error codes in the activity breakdown, or run: aws cloudtrail lookup-events --region ${q(c.pool.region)} --lookup-attributes AttributeKey=EventSource,AttributeValue=cognito-idp.amazonaws.com. ${tuneHint('max-sign-in-failure-rate')}`,
            },
          ),
        )
      } else {
        out.push(
          poolFinding(
            signInFailureRate,
            c.pool,
            'pass',
            `Sign-in failure rate ${formatRate(s.rate)} (${share}) in ${windowText(c.activity)} is within the ${max}% limit.`,
            { severity, evidence },
          ),
        )
      }
    }
    return out
  },
}

export const throttledRequests: Check<ActivityPolicy> = {
  id: 'activity-throttles',
  title: 'Throttled requests within the limit',
  failTitle: 'Too many throttled requests',
  requirement: 'activity',
  severity: 'medium',
  subjects: {
    per: 'pool',
    applies: (a, pool) => a.enabled && activityThresholdsFor(a, pool).maxThrottles !== undefined,
  },
  run(snapshot, activity) {
    const out: Finding[] = unlistedRegions(snapshot, activity, throttledRequests, (t) => t.maxThrottles !== undefined)
    for (const c of poolContexts(snapshot, activity)) {
      const max = c.thresholds.maxThrottles
      if (max === undefined) continue
      const severity = c.thresholds.severity
      if (!c.stats) {
        out.push({ ...errorFinding(throttledRequests, c.error!, c.pool), severity })
        continue
      }
      const n = c.stats.throttles
      const byKind = Object.fromEntries(c.stats.kinds.map((k) => [k.kind, k.throttles]))
      const evidence = { throttles: n, byKind, maxThrottles: max, window: c.activity.window }
      if (n > max) {
        out.push(
          poolFinding(
            throttledRequests,
            c.pool,
            'fail',
            `${formatCount(n)} throttled requests in ${windowText(c.activity)}, above the limit of ${formatCount(max)}.`,
            {
              severity,
              evidence,
              remediation: `Cognito throttles per account and region by quota category (UserAuthentication, UserCreation, UserFederation, UserToken). Check usage with aws service-quotas list-service-quotas --service-code cognito-idp --region ${q(c.pool.region)}, request an increase where adjustable, and make clients retry with backoff. ${tuneHint('max-throttles')}`,
            },
          ),
        )
      } else {
        out.push(
          poolFinding(
            throttledRequests,
            c.pool,
            'pass',
            `${formatCount(n)} throttled requests in ${windowText(c.activity)} (limit ${formatCount(max)}).`,
            {
              severity,
              evidence,
            },
          ),
        )
      }
    }
    return out
  },
}

export const highRiskDetections: Check<ActivityPolicy> = {
  id: 'activity-high-risk',
  title: 'No high-risk sign-in detections',
  failTitle: 'High-risk sign-ins detected',
  requirement: 'activity',
  severity: 'high',
  subjects: { per: 'pool', applies: (a, pool) => a.enabled && activityThresholdsFor(a, pool).failOnHighRisk === true },
  run(snapshot, activity) {
    const out: Finding[] = unlistedRegions(snapshot, activity, highRiskDetections, (t) => t.failOnHighRisk)
    for (const c of poolContexts(snapshot, activity)) {
      if (!c.thresholds.failOnHighRisk) continue
      const severity = c.thresholds.severity
      if (c.pool.advancedSecurityMode === 'OFF') {
        out.push(
          poolFinding(
            highRiskDetections,
            c.pool,
            'warn',
            'Threat protection is off, so Cognito makes no risk detections to check.',
            {
              severity,
              remediation:
                'Turn on threat protection (Plus feature plan): CloudFormation UserPoolAddOns.AdvancedSecurityMode AUDIT or ENFORCED (CDK: featurePlan PLUS, standardThreatProtectionMode), or aws cognito-idp update-user-pool --user-pool-add-ons AdvancedSecurityMode=AUDIT (update-user-pool resets settings you do not pass).',
            },
          ),
        )
        continue
      }
      if (!c.stats) {
        out.push({ ...errorFinding(highRiskDetections, c.error!, c.pool), severity })
        continue
      }
      const r = c.stats.risk
      const high = r?.high ?? 0
      const evidence = {
        highRiskDetections: high,
        accountTakeoverHigh: r?.accountTakeover.High ?? 0,
        compromisedCredentialsHigh: r?.compromisedCredentials.High ?? 0,
        window: c.activity.window,
      }
      if (high > 0) {
        out.push(
          poolFinding(
            highRiskDetections,
            c.pool,
            'fail',
            `${high} high-risk detections in ${windowText(c.activity)} (account takeover ${evidence.accountTakeoverHigh}, compromised credentials ${evidence.compromisedCredentialsHigh}).`,
            {
              severity,
              evidence,
              remediation: `Review the affected users' risk history (aws cognito-idp admin-list-user-auth-events --user-pool-id ${q(c.pool.id)} --region ${q(c.pool.region)} --username <user>) and make sure high risk is blocked or challenged: aws cognito-idp set-risk-configuration --user-pool-id ${q(c.pool.id)} --region ${q(c.pool.region)} with AccountTakeoverRiskConfiguration HighAction BLOCK or MFA_REQUIRED (CloudFormation AWS::Cognito::UserPoolRiskConfigurationAttachment).`,
            },
          ),
        )
      } else {
        out.push(
          poolFinding(highRiskDetections, c.pool, 'pass', `No high-risk detections in ${windowText(c.activity)}.`, {
            severity,
            evidence,
          }),
        )
      }
    }
    return out
  },
}
