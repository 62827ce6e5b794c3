/**
 * The pipeline both the action and the CLI run:
 * policy → source (the live account, or a saved snapshot) → checks → findings → verdict.
 */
import type { Comparison } from './baseline/compare.js'
import { evaluate } from './checks/index.js'
import { formatDuration } from './deadline.js'
import type { Finding, Severity } from './model/finding.js'
import type { Logger } from './model/logger.js'
import type { RegionQuotaRates } from './model/quota-rates.js'
import { type AccountSnapshot, itemsRead } from './model/snapshot.js'
import type { Policy } from './policy/types.js'
import { writeSnapshot } from './sources/saved/snapshot-file.js'
import type { SnapshotSource } from './sources/source.js'

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

/** True when `s` is at least as severe as `min` (`fail-on-severity`). */
export function atOrAbove(s: Severity, min: Severity): boolean {
  return SEVERITY_RANK[s] <= SEVERITY_RANK[min]
}

export type FailOn = 'violation' | 'new-violation' | 'error' | 'never'
export const FAIL_ON_VALUES: readonly FailOn[] = ['violation', 'new-violation', 'error', 'never']

export interface AuditOptions {
  policy: Policy
  /** Where the snapshot comes from. */
  source: SnapshotSource
  /** Write the collected snapshot here. */
  saveSnapshotPath?: string
  log: Logger
  /** Plans only: findings already in the account (on live objects) fail the gate too. */
  failOnExisting?: boolean
}

/** What a plan's findings amount to, for the gate and the headline. */
export interface PlanCounts {
  format: string
  /** The plan was laid over the live account. */
  live: boolean
  /** Violations and undecidable requirements on objects the change creates or modifies. */
  introduced: { fail: number; error: number }
  /** The same on live objects the change does not touch. */
  existing: { fail: number; error: number }
  /** Requirements whose resources are not in the plan (no live account read). */
  notInPlan: number
  outsidePlan: 'error' | 'ignore'
  failOnExisting: boolean
}

export interface FindingCounts {
  pools: number
  regions: number
  pass: number
  fail: number
  warn: number
  error: number
  exempt: number
  /** Audited pools with at least one violation (region-level violations count for every pool of the region). */
  poolsFailing: number
  /** Pools the policy names that do not exist (each is also a violation). */
  missing: number
}

export interface AuditResult {
  policy: Policy
  snapshot: AccountSnapshot
  findings: Finding[]
  counts: FindingCounts
  /** True when nothing failed and nothing could not be verified. */
  compliant: boolean
  /** API attempts by `service:Operation` (empty for snapshot runs). */
  calls: Record<string, number>
  /** Set when the time limit stopped the collection: the run fails whatever the findings say. */
  timedOut?: { limitMs: number }
  /** The request rates a live read allowed itself, per region (absent for saved snapshots). */
  quotaRates?: RegionQuotaRates[]
  /** Set when the snapshot is a plan (template, cloud assembly, Terraform plan). */
  plan?: PlanCounts
  /** The comparison with a baseline (a previous report or a committed baseline file), when one was given. */
  baseline?: { comparison: Comparison; source: string }
}

export function planCounts(snapshot: AccountSnapshot, findings: Finding[], policy: Policy, failOnExisting: boolean) {
  if (snapshot.source?.kind !== 'planned') return undefined
  const n = (origin: 'introduced' | 'existing', s: 'fail' | 'error') =>
    findings.filter((f) => f.status === s && (f.origin ?? 'introduced') === origin).length
  const counts: PlanCounts = {
    format: snapshot.source.format,
    live: snapshot.source.live === true,
    introduced: { fail: n('introduced', 'fail'), error: n('introduced', 'error') },
    existing: { fail: n('existing', 'fail'), error: n('existing', 'error') },
    notInPlan: findings.filter((f) => f.status === 'not-in-plan').length,
    outsidePlan: policy.plan.outsidePlan,
    failOnExisting,
  }
  return counts
}

/** The violations and unverifiable requirements that count for the gate. */
export function gatingCounts(result: Pick<AuditResult, 'counts' | 'plan'>): { fail: number; error: number } {
  const p = result.plan
  if (!p) return { fail: result.counts.fail, error: result.counts.error }
  const existing = p.failOnExisting ? p.existing : { fail: 0, error: 0 }
  return {
    fail: p.introduced.fail + existing.fail,
    error: p.introduced.error + existing.error + (p.outsidePlan === 'error' ? p.notInPlan : 0),
  }
}

/** The violations that count for the gate (on a plan: those the change introduces, and with
 *  fail-on-existing those already in the account too). */
export function gatingViolations(result: Pick<AuditResult, 'findings' | 'plan'>): Finding[] {
  const p = result.plan
  return result.findings.filter(
    (f) => f.status === 'fail' && (!p || p.failOnExisting || (f.origin ?? 'introduced') === 'introduced'),
  )
}

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const { snapshot, calls, timedOut, quotaRates } = await opts.source.load(opts.policy, opts.log)
  if (opts.saveSnapshotPath) {
    await writeSnapshot(opts.saveSnapshotPath, snapshot)
    opts.log.info(`Snapshot written to ${opts.saveSnapshotPath}.`)
  }
  const today = opts.source.today(new Date())
  const findings = evaluate(snapshot, opts.policy, today)
  const counts = countFindings(snapshot, findings)
  const plan = planCounts(snapshot, findings, opts.policy, opts.failOnExisting ?? false)
  const gating = gatingCounts({ counts, ...(plan ? { plan } : {}) })
  return {
    policy: opts.policy,
    snapshot,
    findings,
    counts,
    compliant: gating.fail === 0 && gating.error === 0 && !timedOut,
    calls,
    ...(timedOut ? { timedOut } : {}),
    ...(quotaRates?.length ? { quotaRates } : {}),
    ...(plan ? { plan } : {}),
  }
}

export function countFindings(snapshot: AccountSnapshot, findings: Finding[]): FindingCounts {
  const pools = snapshot.regions.flatMap((r) => itemsRead(r.cognito.pools))
  const known = new Set(pools.map((p) => p.id))
  const failing = new Set<string>()
  const missing = new Set<string>()
  // A region-level violation counts for every pool of its region: each region once, however many.
  const failingRegions = new Set<string>()
  const by: Record<Finding['status'], number> = { pass: 0, fail: 0, warn: 0, error: 0, exempt: 0, 'not-in-plan': 0 }
  for (const f of findings) {
    by[f.status]++
    if (f.status !== 'fail') continue
    if (f.poolId && !known.has(f.poolId)) missing.add(f.poolId)
    else if (f.poolId) failing.add(f.poolId)
    else failingRegions.add(f.region)
  }
  if (failingRegions.size > 0) for (const p of pools) if (failingRegions.has(p.region)) failing.add(p.id)
  return {
    pools: pools.length,
    regions: snapshot.regions.length,
    pass: by.pass,
    fail: by.fail,
    warn: by.warn,
    error: by.error,
    exempt: by.exempt,
    poolsFailing: failing.size,
    missing: missing.size,
  }
}

/** The gate: `violation` fails on violations and on what could not be verified; `new-violation` on
 *  violations the baseline does not hold (every violation when there is no baseline) and on what could
 *  not be verified; `error` only on the latter; `never` only reports. Only violations of `minSeverity`
 *  or above count (`fail-on-severity`, default `low`: all); the others are reported, never hidden.
 *  Returns the reason to fail, or undefined to pass. */
export function gate(result: AuditResult, failOn: FailOn, minSeverity: Severity = 'low'): string | undefined {
  // An incomplete audit fails whatever `fail-on` says: its report cannot be relied on, not even to pass.
  if (result.timedOut)
    return `the audit did not finish within its time limit (${formatDuration(result.timedOut.limitMs)})`
  const { error } = gatingCounts(result)
  let violations: Array<{ severity: Severity }> = gatingViolations(result)
  let label = 'policy violation'
  if (failOn === 'new-violation' && result.baseline) {
    violations = result.baseline.comparison.entries
      .filter((e) => e.state === 'new' || e.state === 'uncompared')
      .map((e) => e.finding)
    label = 'new policy violation'
  }
  const fail = violations.filter((f) => atOrAbove(f.severity, minSeverity)).length
  const threshold = minSeverity === 'low' ? '' : ` of ${minSeverity} severity or above`
  const onViolations = failOn === 'violation' || failOn === 'new-violation'
  const v = `${fail} ${label}${fail === 1 ? '' : 's'}${threshold}`
  const e = `${error} requirement${error === 1 ? '' : 's'} could not be verified`
  if (failOn === 'never') return undefined
  if (onViolations && fail > 0 && error > 0) return `${v}; ${e}`
  if (onViolations && fail > 0) return v
  if (error > 0) {
    const outside = result.plan && result.plan.outsidePlan === 'error' ? result.plan.notInPlan : 0
    return outside > 0 ? `${e} (${outside} not in this plan; add --live or set plan.outside-plan: ignore)` : e
  }
  return undefined
}
