/**
 * Assessing trails for one region: each trail gets a verdict with its problems, and the best
 * trail decides the region (pass > warn > error > fail). Pure.
 */
import { explainAwsError, isAccessDenied, isBadCredentials, NOT_COLLECTED } from '../../model/aws-error.js'
import type { TrailRecord, TrailStatus } from '../../model/cloudtrail.js'
import { COGNITO_EVENT_SOURCE as COGNITO } from '../../model/cloudtrail.js'
import type { AwsError } from '../../model/snapshot.js'
import type { CloudTrailPolicy, TrailSettingLevel } from './policy.js'
import * as fix from './remediation.js'
import { COGNITO_EVENTS, type CaptureResult, type Coverage, type EventVerdict, evaluateSelectors } from './selectors.js'

export type TrailVerdict = 'pass' | 'warn' | 'error' | 'fail'

export type ProblemKind =
  | 'unverified'
  | 'stopped'
  | 'delivery-error'
  | 'stale-delivery'
  | 'no-delivery'
  | 'drops-write-events'
  | 'drops-read-only-events'
  | 'unverified-selectors'
  | 'log-file-validation'
  | 'kms-encryption'
  | 'cloudwatch-logs'

export interface Problem {
  kind: ProblemKind
  /** `fail`: the trail does not meet the policy; `warn`: advisory; `error`: could not be verified. */
  status: Exclude<TrailVerdict, 'pass'>
  /** A predicate about the trail, e.g. `is not logging`. */
  message: string
  remediation: string
  /** True for the optional settings (validation, KMS, CloudWatch Logs): lower severity. */
  setting?: boolean
  awsError?: AwsError
}

export interface TrailAssessment {
  trail: TrailRecord
  verdict: TrailVerdict
  problems: Problem[]
  /** Undefined when the selectors could not be read. */
  capture?: CaptureResult
}

/** Within one trail a verified failure outweighs an unverifiable part: it cannot capture either way. */
const WITHIN_TRAIL: Record<TrailVerdict, number> = { fail: 0, error: 1, warn: 2, pass: 3 }
/** Across trails the best wins; an unverifiable trail might capture, so it beats a verified failure. */
const ACROSS_TRAILS: Record<TrailVerdict, number> = { pass: 0, warn: 1, error: 2, fail: 3 }

const HOUR = 3_600_000

export function describeTrail(t: TrailRecord): string {
  const kind = [t.isOrganization ? 'organization' : '', t.isMultiRegion ? 'multi-region' : 'single-region']
    .filter(Boolean)
    .join(', ')
  return `"${t.name}" (${kind}, home region ${t.homeRegion})`
}

export function assessTrail(trail: TrailRecord, policy: CloudTrailPolicy, now: Date): TrailAssessment {
  const problems: Problem[] = []
  const unverified = (action: string) => {
    const e = trail.errors.find((x) => x.action === action)
    const awsError: AwsError = e ?? {
      service: 'cloudtrail',
      action,
      code: NOT_COLLECTED,
      message: `${action} was not read`,
      region: trail.homeRegion,
      resource: trail.arn,
    }
    problems.push({
      kind: 'unverified',
      status: 'error',
      message: `could not be verified: ${explainAwsError(awsError)}`,
      remediation: unverifiedRemediation(trail, awsError),
      awsError,
    })
  }

  const status = trail.status
  if (!status) unverified('GetTrailStatus')
  else problems.push(...statusProblems(trail, status, policy, now))

  let capture: CaptureResult | undefined
  if (!trail.selectors) unverified('GetEventSelectors')
  else {
    capture = evaluateSelectors(trail.selectors)
    problems.push(...selectorProblems(capture, trail, policy))
  }

  setting(
    problems,
    policy.logFileValidation,
    trail.logFileValidation,
    'log-file-validation',
    'has no log file validation',
    () => fix.enableLogFileValidation(trail),
  )
  setting(
    problems,
    policy.kmsEncryption,
    trail.kmsKeyId !== undefined,
    'kms-encryption',
    'is not encrypted with a KMS key',
    () => fix.enableKms(trail),
  )
  setting(
    problems,
    policy.cloudWatchLogs,
    trail.cloudWatchLogsLogGroupArn !== undefined,
    'cloudwatch-logs',
    'does not deliver to CloudWatch Logs',
    () => fix.enableCloudWatchLogs(trail),
  )
  if (policy.cloudWatchLogs !== 'off' && trail.cloudWatchLogsLogGroupArn && status?.latestCloudWatchLogsDeliveryError) {
    problems.push({
      kind: 'cloudwatch-logs',
      status: policy.cloudWatchLogs === 'require' ? 'fail' : 'warn',
      message: `fails to deliver to CloudWatch Logs (${status.latestCloudWatchLogsDeliveryError})`,
      remediation: fix.fixCloudWatchLogsDelivery(trail),
      setting: true,
    })
  }

  const verdict = problems.reduce<TrailVerdict>(
    (worst, p) => (WITHIN_TRAIL[p.status] < WITHIN_TRAIL[worst] ? p.status : worst),
    'pass',
  )
  const out: TrailAssessment = { trail, verdict, problems }
  if (capture) out.capture = capture
  return out
}

/** How to make an unreadable trail verifiable. */
function unverifiedRemediation(trail: TrailRecord, e: AwsError): string {
  if (isAccessDenied(e.code) || isBadCredentials(e.code)) {
    return `Allow cloudtrail:${e.action} on ${trail.arn} for the role the audit runs as, then re-run.`
  }
  if (e.code === 'TrailNotFoundException' || trail.isOrganization) {
    return (
      `The trail cannot be read from this account (an organization trail seen from a member account?): verify it ` +
      `from the organization's management or delegated administrator account, or add a trail in this account. ` +
      fix.createTrail(trail.homeRegion)
    )
  }
  return `Re-run the audit; if cloudtrail:${e.action} keeps failing for ${trail.arn}, check the trail in its home region ${trail.homeRegion}.`
}

/** Logging and delivery, from GetTrailStatus: stopped, delivery error, stale or missing delivery. */
function statusProblems(trail: TrailRecord, status: TrailStatus, policy: CloudTrailPolicy, now: Date): Problem[] {
  if (!status.isLogging) {
    return [
      {
        kind: 'stopped',
        status: 'fail',
        message: `is not logging${status.stopLoggingTime ? ` (stopped ${status.stopLoggingTime})` : ''}`,
        remediation: fix.startLogging(trail),
      },
    ]
  }
  // A trail from a plan has no delivery history: only its settings are judged before deploy.
  if (trail.plan) return []
  const maxAge = policy.maxDeliveryAgeHours
  const age = (iso: string | undefined) => (iso ? (now.getTime() - Date.parse(iso)) / HOUR : undefined)
  const deliveryAge = age(status.latestDeliveryTime)
  const startAge = age(status.startLoggingTime)
  const remediation = fix.fixDelivery(trail)
  if (status.latestDeliveryError) {
    return [
      {
        kind: 'delivery-error',
        status: 'fail',
        message: `fails to deliver log files (${status.latestDeliveryError})`,
        remediation,
      },
    ]
  }
  if (deliveryAge !== undefined && deliveryAge > maxAge) {
    const message =
      `last delivered log files ${Math.floor(deliveryAge)} h ago (${status.latestDeliveryTime}), ` +
      `more than the ${maxAge} h the policy allows`
    return [{ kind: 'stale-delivery', status: 'fail', message, remediation }]
  }
  // A trail started within the allowed age may not have delivered yet.
  if (deliveryAge === undefined && !(startAge !== undefined && startAge <= maxAge)) {
    return [{ kind: 'no-delivery', status: 'fail', message: 'has no recorded log file delivery', remediation }]
  }
  return []
}

/** What the selectors drop, as problems: write events always fail; read-only events per accept-write-only. */
function selectorProblems(capture: CaptureResult, trail: TrailRecord, policy: CloudTrailPolicy): Problem[] {
  const remediation = fix.recordAllManagementEvents(trail, capture.mode === 'advanced')
  // Events the selectors may or may not record (a condition on a field the audit cannot evaluate):
  // not verifiable, so an `error`, never a pass and never a verified violation.
  const unknown = capture.events.filter((e) => !e.recorded && e.unknown)
  const problems: Problem[] = []
  if (unknown.length > 0) {
    problems.push({
      kind: 'unverified-selectors',
      status: 'error',
      message: `could not be verified to record Cognito's ${unknown.map((e) => e.eventName).join(', ')} events: ${[
        ...new Set(unknown.map((e) => e.reason)),
      ].join('; ')}`,
      remediation: `Check that the conditions keep every ${COGNITO} management event, or exempt the requirement with a reason. ${remediation}`,
    })
  }
  const missed = (readOnly: boolean) =>
    capture.events.filter((e) => !e.recorded && !e.unknown && e.readOnly === readOnly)
  const all = (readOnly: boolean) => capture.events.filter((e) => e.readOnly === readOnly)
  const names = (readOnly: boolean) =>
    missed(readOnly)
      .map((e) => e.eventName)
      .join(', ')
  const reasons = (readOnly: boolean) => [...new Set(missed(readOnly).map((e) => e.reason))].join('; ')

  if (missed(false).length === all(false).length && missed(true).length === all(true).length) {
    return [
      {
        kind: 'drops-write-events',
        status: 'fail',
        message: `records no Cognito events: ${reasons(false)}`,
        remediation,
      },
    ]
  }
  if (missed(false).length > 0) {
    problems.push({
      kind: 'drops-write-events',
      status: 'fail',
      message: `does not record Cognito's ${names(false)} events: ${reasons(false)}`,
      remediation,
    })
  }
  if (missed(true).length > 0) {
    const accepted = policy.acceptWriteOnly && capture.write === 'all'
    problems.push({
      kind: 'drops-read-only-events',
      status: accepted ? 'warn' : 'fail',
      message:
        `does not record Cognito's read-only ${names(true)} events (managed-login pages, reads): ${reasons(true)}` +
        (accepted ? ' (accepted by accept-write-only)' : ''),
      remediation,
    })
  }
  return problems
}

function setting(
  problems: Problem[],
  level: TrailSettingLevel,
  ok: boolean,
  kind: ProblemKind,
  message: string,
  remediation: () => string,
): void {
  if (level === 'off' || ok) return
  problems.push({
    kind,
    status: level === 'require' ? 'fail' : 'warn',
    message,
    remediation: remediation(),
    setting: true,
  })
}

export interface RegionAssessment {
  verdict: TrailVerdict
  /** Best first. */
  trails: TrailAssessment[]
}

/** Every trail applying to the region (as read: DescribeTrails succeeded), assessed and ranked best first (verdict, then fewest problems). */
export function assessRegion(applying: TrailRecord[], policy: CloudTrailPolicy, now: Date): RegionAssessment {
  const trails = applying
    .map((t) => assessTrail(t, policy, now))
    .sort(
      (a, b) =>
        ACROSS_TRAILS[a.verdict] - ACROSS_TRAILS[b.verdict] ||
        a.problems.length - b.problems.length ||
        a.trail.name.localeCompare(b.trail.name),
    )
  const verdict: TrailVerdict = trails[0]?.verdict ?? 'fail'
  return { verdict, trails }
}

/** What several logging trails record together: each delivers what its own selectors match. */
export interface CombinedAssessment {
  /** The trails that contribute (logging, delivering, recording some Cognito event), by name. */
  trails: TrailAssessment[]
  verdict: TrailVerdict
  problems: Problem[]
  capture: CaptureResult
}

/** Problems that keep a trail from delivering anything: it contributes nothing to the region. */
const NOT_DELIVERING: ReadonlySet<ProblemKind> = new Set([
  'unverified',
  'stopped',
  'delivery-error',
  'stale-delivery',
  'no-delivery',
])

/**
 * The region's logging trails judged together, or undefined when fewer than two of them record a Cognito
 * event (then the best single trail says it all). A trail counts only when it is logging and delivering
 * (judged per trail, from its own status) and its selectors were read; an event is recorded when one of
 * them records it (each trail's own management-event and event-source semantics decide).
 */
export function assessTogether(assessed: TrailAssessment[], policy: CloudTrailPolicy): CombinedAssessment | undefined {
  const delivering = assessed.filter(
    (a): a is TrailAssessment & { capture: CaptureResult } =>
      a.capture !== undefined && !a.problems.some((p) => NOT_DELIVERING.has(p.kind) && p.status !== 'warn'),
  )
  const contributing = delivering
    .filter((a) => a.capture.events.some((e) => e.recorded))
    .sort((x, y) => x.trail.name.localeCompare(y.trail.name))
  if (contributing.length < 2) return undefined
  const events: EventVerdict[] = COGNITO_EVENTS.map((e) => {
    const per = contributing.map((a) => ({ a, v: a.capture.events.find((x) => x.eventName === e.eventName) }))
    if (per.some((x) => x.v?.recorded)) return { eventName: e.eventName, readOnly: e.readOnly, recorded: true }
    const unknown = per.some((x) => x.v?.unknown)
    return {
      eventName: e.eventName,
      readOnly: e.readOnly,
      recorded: false,
      reason: per.map((x) => `"${x.a.trail.name}" ${x.v?.reason ?? 'does not record it'}`).join('; '),
      ...(unknown ? { unknown: true } : {}),
    }
  })
  const coverage = (ro: boolean): Coverage => {
    const of = events.filter((v) => v.readOnly === ro)
    const n = of.filter((v) => v.recorded).length
    return n === of.length ? 'all' : n === 0 ? 'none' : 'partial'
  }
  const capture: CaptureResult = {
    mode: contributing.some((a) => a.capture.mode === 'advanced') ? 'advanced' : 'basic',
    write: coverage(false),
    readOnly: coverage(true),
    recorded: events.filter((v) => v.recorded).map((v) => v.eventName),
    dropped: events.filter((v) => !v.recorded).map((v) => v.eventName),
    events,
  }
  const first = contributing[0]!
  const problems: Problem[] = [
    ...selectorProblems(capture, first.trail, policy).map((p) => ({
      ...p,
      message: `together ${p.message.replace(/^records /, 'record ').replace(/^does not record /, 'do not record ')}`,
    })),
    // Settings (validation, KMS, CloudWatch Logs) and other advisories stay per trail.
    ...contributing.flatMap((a) =>
      a.problems
        .filter((p) => p.setting || (p.status === 'warn' && !p.kind.startsWith('drops-')))
        .map((p) => ({ ...p, message: `"${a.trail.name}" ${p.message}` })),
    ),
  ]
  const verdict = problems.reduce<TrailVerdict>(
    (worst, p) => (WITHIN_TRAIL[p.status] < WITHIN_TRAIL[worst] ? p.status : worst),
    'pass',
  )
  return { trails: contributing, verdict, problems, capture }
}

/** Better than the best single trail? (pass > warn > error > fail) */
export function betterThan(a: TrailVerdict, b: TrailVerdict): boolean {
  return ACROSS_TRAILS[a] < ACROSS_TRAILS[b]
}
