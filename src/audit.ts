/**
 * The pipeline both the action and the CLI run:
 * policy → source (the live account, or a saved snapshot) → checks → findings → verdict.
 */
import { evaluate } from './checks/index.js'
import { formatDuration } from './deadline.js'
import type { Finding } from './model/finding.js'
import type { Logger } from './model/logger.js'
import type { RegionQuotaRates } from './model/quota-rates.js'
import type { AccountSnapshot } from './model/snapshot.js'
import type { Policy } from './policy/types.js'
import { writeSnapshot } from './sources/saved/snapshot-file.js'
import type { SnapshotSource } from './sources/source.js'

export type FailOn = 'violation' | 'error' | 'never'
export const FAIL_ON_VALUES: readonly FailOn[] = ['violation', 'error', 'never']

export interface AuditOptions {
  policy: Policy
  /** Where the snapshot comes from. */
  source: SnapshotSource
  /** Write the collected snapshot here. */
  saveSnapshotPath?: string
  log: Logger
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
  return {
    policy: opts.policy,
    snapshot,
    findings,
    counts,
    compliant: counts.fail === 0 && counts.error === 0 && !timedOut,
    calls,
    ...(timedOut ? { timedOut } : {}),
    ...(quotaRates?.length ? { quotaRates } : {}),
  }
}

export function countFindings(snapshot: AccountSnapshot, findings: Finding[]): FindingCounts {
  const pools = snapshot.regions.flatMap((r) => r.cognito.pools)
  const known = new Set(pools.map((p) => p.id))
  const failing = new Set<string>()
  const missing = new Set<string>()
  // A region-level violation counts for every pool of its region: each region once, however many.
  const failingRegions = new Set<string>()
  const by: Record<Finding['status'], number> = { pass: 0, fail: 0, warn: 0, error: 0, exempt: 0 }
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

/** The gate: `violation` fails on violations and on what could not be verified; `error` only on the
 *  latter; `never` only reports. Returns the reason to fail, or undefined to pass. */
export function gate(result: AuditResult, failOn: FailOn): string | undefined {
  // An incomplete audit fails whatever `fail-on` says: its report cannot be relied on, not even to pass.
  if (result.timedOut)
    return `the audit did not finish within its time limit (${formatDuration(result.timedOut.limitMs)})`
  const { fail, error } = result.counts
  const v = `${fail} policy violation${fail === 1 ? '' : 's'}`
  const e = `${error} requirement${error === 1 ? '' : 's'} could not be verified`
  if (failOn === 'never') return undefined
  if (failOn === 'violation' && fail > 0 && error > 0) return `${v}; ${e}`
  if (failOn === 'violation' && fail > 0) return v
  if (error > 0) return e
  return undefined
}
