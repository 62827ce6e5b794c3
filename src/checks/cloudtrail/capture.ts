/**
 * Check `cloudtrail-capture`: in every region with an audited pool, an active trail
 * records Cognito's (`cognito-idp.amazonaws.com`) management events. One region-level finding
 * per region; the best trail decides it, the others' problems are evidence. When no single trail
 * records everything, the region's logging trails are judged together: each delivers what its own
 * selectors match (reads by one trail, writes by another = all recorded), and the finding names them.
 * Whether a trail is logging and delivering, and what it records, is still judged per trail.
 */
import type { TrailRecord } from '../../model/cloudtrail.js'
import type { Finding, Severity } from '../../model/finding.js'
import type { Check } from '../../model/requirement.js'
import { type AccountSnapshot, itemsRead, type RegionSnapshot } from '../../model/snapshot.js'
import { errorFinding, regionFinding } from '../finding.js'
import {
  assessRegion,
  assessTogether,
  betterThan,
  type CombinedAssessment,
  describeTrail,
  type Problem,
  type TrailAssessment,
} from './assess.js'
import type { CloudTrailPolicy } from './policy.js'
import * as fix from './remediation.js'

export const cloudTrailCapture: Check<CloudTrailPolicy> = {
  id: 'cloudtrail-capture',
  title: 'CloudTrail records Cognito events',
  failTitle: 'CloudTrail does not record Cognito events',
  requirement: 'cloudtrail',
  severity: 'high',
  run: (snapshot, cloudtrail) =>
    cloudtrail.enabled ? snapshot.regions.flatMap((r) => regionFindings(r, snapshot, cloudtrail)) : [],
  // Once per region with an audited pool, or a pool the policy names that is missing there, or pools
  // that could not be listed.
  subjects: {
    per: 'region',
    applies: (cloudtrail, r) =>
      cloudtrail.enabled &&
      (r.cognito.pools.state === 'failed' || r.cognito.pools.items.length > 0 || r.cognito.missing.length > 0),
  },
}

const check = cloudTrailCapture

function regionFindings(r: RegionSnapshot, snapshot: AccountSnapshot, cloudtrail: CloudTrailPolicy): Finding[] {
  const region = r.region
  // Pools that could not be listed may be there: the region's logging cannot be waived.
  if (r.cognito.pools.state === 'failed') return [errorFinding(check, r.cognito.pools.error)]
  if (r.cognito.pools.items.length === 0 && r.cognito.missing.length === 0) return []
  const ct = r.cloudtrail
  if (!ct) {
    return [
      regionFinding(check, region, 'error', `Could not verify: CloudTrail trails were not collected for ${region}.`, {
        remediation:
          'Re-run the audit with the cloudtrail requirement enabled (and cloudtrail:DescribeTrails allowed).',
      }),
    ]
  }
  // Trails that could not be described: none can be credited, and none can be blamed.
  if (ct.trails.state === 'failed') {
    const e = ct.trails.error
    return [{ ...errorFinding(check, e), evidence: { trails: [], awsError: e } }]
  }
  const now = new Date(snapshot.collectedAt)
  const { verdict, trails } = assessRegion(ct.trails.items, cloudtrail, now)
  const best = trails[0]
  const evidence = {
    trails: trails.map(summary),
    ...(ct.otherRegionTrails.length > 0 ? { otherRegionTrails: ct.otherRegionTrails } : {}),
  }

  // Several logging trails together may record what no single one does (reads by one, writes by another).
  const together = best && verdict !== 'pass' ? assessTogether(trails, cloudtrail) : undefined
  // Both fail: together they still win when all they lack is a setting the policy requires.
  const capturesTogether =
    together?.verdict === 'fail' &&
    together.problems.filter(isFailure).every((p) => p.setting) &&
    !best?.problems.filter(isFailure).every((p) => p.setting)
  if (together && (betterThan(together.verdict, verdict) || capturesTogether)) {
    return [togetherFinding(region, together, { ...evidence, together: together.trails.map((a) => a.trail.name) })]
  }

  if (best && (verdict === 'pass' || verdict === 'warn')) {
    const what = `Trail ${describeTrail(best.trail)} is logging and records Cognito events`
    if (verdict === 'pass')
      return [regionFinding(check, region, 'pass', `${what}.`, { resource: best.trail.arn, evidence })]
    return [
      regionFinding(check, region, 'warn', `${what}, but it ${joinProblems(best.problems)}.`, {
        resource: best.trail.arn,
        severity: severityOf(best.problems),
        remediation: remediationOf(best.problems),
        evidence,
      }),
    ]
  }
  const regionError = ct.errors[0]
  if (regionError) return [{ ...errorFinding(check, regionError), evidence: { ...evidence, awsError: regionError } }]
  if (best && verdict === 'error') {
    const unverified = best.problems.filter((p) => p.status === 'error')
    const others = trails.slice(1).map((a) => `${quote(a.trail)} ${joinProblems(a.problems)}`)
    return [
      regionFinding(
        check,
        region,
        'error',
        `Could not verify trail ${describeTrail(best.trail)}: it ${joinProblems(unverified)}` +
          (others.length > 0 ? `. Other trails: ${others.join('; ')}.` : '.'),
        {
          resource: best.trail.arn,
          remediation: remediationOf(unverified),
          evidence: { ...evidence, awsError: unverified[0]?.awsError },
        },
      ),
    ]
  }
  if (!best) {
    const other = ct.otherRegionTrails[0]
    if (other) {
      const names = ct.otherRegionTrails.map((t) => `"${t.name}" (${t.homeRegion})`).join(', ')
      return [
        regionFinding(
          check,
          region,
          'fail',
          `No trail records Cognito events in ${region}: only single-region trails homed in other regions exist (${names}).`,
          {
            resource: other.arn,
            remediation: fix.makeMultiRegion(other, region),
            evidence,
          },
        ),
      ]
    }
    return [
      regionFinding(check, region, 'fail', `No CloudTrail trail records events in ${region}.`, {
        remediation: fix.createTrail(region, plannedNear(r)),
        evidence,
      }),
    ]
  }
  const bestFailures = best.problems.filter(isFailure)
  if (bestFailures.every((p) => p.setting)) {
    // It captures; only settings the policy raised to `require` are missing.
    return [
      regionFinding(
        check,
        region,
        'fail',
        `Trail ${describeTrail(best.trail)} records Cognito events, but the policy requires more: it ${joinProblems(bestFailures)}.`,
        {
          resource: best.trail.arn,
          severity: severityOf(bestFailures),
          remediation: remediationOf(bestFailures),
          evidence,
        },
      ),
    ]
  }
  const name = (t: TrailRecord) => (trails.length === 1 ? describeTrail(t) : quote(t))
  const failing = trails.map((a) => `trail ${name(a.trail)} ${joinProblems(a.problems.filter(isFailure))}`)
  return [
    regionFinding(
      check,
      region,
      'fail',
      `No trail captures Cognito events as required in ${region}: ${failing.join('; ')}.`,
      {
        resource: best.trail.arn,
        severity: severityOf(best.problems.filter(isFailure)),
        remediation: remediationOf(best.problems.filter(isFailure)),
        evidence,
      },
    ),
  ]
}

const isFailure = (p: Problem) => p.status === 'fail'

/** In a planned region without a trail, the trail goes beside the first planned pool. */
function plannedNear(r: RegionSnapshot): fix.PlannedNear | undefined {
  const plan = itemsRead(r.cognito.pools).find((p) => p.plan)?.plan
  return plan ? { location: plan.location } : undefined
}

/** What one trail contributes, e.g. `"writes" records Cognito's write events`. */
function contribution(a: TrailAssessment): string {
  const c = a.capture!
  const parts: string[] = []
  const kinds = (ro: boolean) => c.events.filter((e) => e.readOnly === ro)
  for (const ro of [false, true]) {
    const label = ro ? 'read-only' : 'write'
    const cov = ro ? c.readOnly : c.write
    if (cov === 'all') parts.push(`Cognito's ${label} events`)
    else if (cov === 'partial')
      parts.push(
        `Cognito's ${label} ${kinds(ro)
          .filter((e) => e.recorded)
          .map((e) => e.eventName)
          .join(', ')} events`,
      )
  }
  return `${quote(a.trail)} records ${parts.join(' and ')}`
}

function togetherFinding(region: string, t: CombinedAssessment, evidence: Record<string, unknown>): Finding {
  const names = t.trails.map((a) => quote(a.trail))
  const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
  const each = t.trails.map(contribution).join('; ')
  const resource = t.trails[0]!.trail.arn
  const base = `Trails ${list} are logging and together record Cognito events (each delivers what its own selectors match: ${each})`
  if (t.verdict === 'pass') return regionFinding(check, region, 'pass', `${base}.`, { resource, evidence })
  if (t.verdict === 'warn')
    return regionFinding(check, region, 'warn', `${base}, but ${joinProblems(t.problems)}.`, {
      resource,
      severity: severityOf(t.problems),
      remediation: remediationOf(t.problems),
      evidence,
    })
  if (t.verdict === 'error') {
    const unverified = t.problems.filter((p) => p.status === 'error')
    return regionFinding(
      check,
      region,
      'error',
      `Could not verify that trails ${list} together record Cognito events (${each}): they ${joinProblems(unverified)}.`,
      { resource, remediation: remediationOf(unverified), evidence },
    )
  }
  const failures = t.problems.filter(isFailure)
  const capture = failures.every((p) => p.setting)
  return regionFinding(
    check,
    region,
    'fail',
    capture
      ? `Trails ${list} together record Cognito events (${each}), but the policy requires more: ${joinProblems(failures)}.`
      : `Trails ${list} ${joinProblems(failures)}.`,
    { resource, severity: severityOf(failures), remediation: remediationOf(failures), evidence },
  )
}

const quote = (t: TrailRecord) => `"${t.name}"`

function joinProblems(problems: Problem[]): string {
  return problems.map((p) => p.message).join(', and ')
}

function remediationOf(problems: Problem[]): string {
  return [...new Set(problems.map((p) => p.remediation))].join(' ')
}

/** Only the optional settings (validation, KMS, CloudWatch Logs) or accepted gaps (warnings) ⇒ medium;
 *  a capture failure ⇒ high. */
function severityOf(problems: Problem[]): Severity {
  return problems.every((p) => p.setting || p.status === 'warn') ? 'medium' : check.severity
}

function summary(a: TrailAssessment): Record<string, unknown> {
  return {
    name: a.trail.name,
    arn: a.trail.arn,
    homeRegion: a.trail.homeRegion,
    multiRegion: a.trail.isMultiRegion,
    organization: a.trail.isOrganization,
    verdict: a.verdict,
    problems: a.problems.map((p) => ({ kind: p.kind, status: p.status, message: p.message })),
    ...(a.capture ? { selectors: a.capture.mode, recorded: a.capture.recorded, dropped: a.capture.dropped } : {}),
  }
}
