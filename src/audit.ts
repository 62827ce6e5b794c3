/**
 * The pipeline both the action and the CLI run:
 * policy → collect (or read a saved snapshot) → checks → findings → verdict.
 */
import { evaluate } from './checks/index.js'
import type { AwsClients } from './collect/clients.js'
import { createClients } from './collect/clients.js'
import type { Logger } from './collect/context.js'
import { collectAccount } from './collect/index.js'
import { readSnapshot, scopeSnapshot, writeSnapshot } from './collect/snapshot-file.js'
import { DEFAULT_TIMEOUT_MS, Deadline, formatDuration } from './deadline.js'
import type { Finding } from './model/finding.js'
import type { AccountSnapshot } from './model/snapshot.js'
import type { Policy } from './policy/types.js'
import { withCollectionGaps } from './sources/saved/gaps.js'

export type FailOn = 'violation' | 'error' | 'never'
export const FAIL_ON_VALUES: readonly FailOn[] = ['violation', 'error', 'never']

export interface AuditOptions {
  policy: Policy
  /** Audit this saved snapshot instead of calling AWS. */
  snapshotPath?: string
  /** Write the collected snapshot here. */
  saveSnapshotPath?: string
  /** Reference time (defaults to now; a saved snapshot uses its own collection time). */
  now?: Date
  clients?: AwsClients
  /** The whole audit's time limit in ms (default DEFAULT_TIMEOUT_MS); ignored for saved snapshots. */
  timeoutMs?: number
  log: Logger
}

export interface Counts {
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
  counts: Counts
  /** True when nothing failed and nothing could not be verified. */
  compliant: boolean
  /** API attempts by `service:Operation` (empty for snapshot runs). */
  calls: Record<string, number>
  /** Set when the time limit stopped the collection: the run fails whatever the findings say. */
  timedOut?: { limitMs: number }
}

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  let snapshot: AccountSnapshot
  let calls: Record<string, number> = {}
  let timedOut: AuditResult['timedOut']
  if (opts.snapshotPath) {
    snapshot = withCollectionGaps(scopeSnapshot(await readSnapshot(opts.snapshotPath), opts.policy), opts.policy)
    opts.log.info(`Auditing saved snapshot ${opts.snapshotPath} (collected ${snapshot.collectedAt}); no AWS calls.`)
  } else {
    const deadline = new Deadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    const clients = opts.clients ?? createClients({ signal: deadline.signal })
    try {
      snapshot = await collectAccount(opts.policy, { clients, now: opts.now ?? new Date(), log: opts.log })
    } finally {
      deadline.clear()
    }
    calls = Object.fromEntries([...clients.calls.entries()].sort(([a], [b]) => a.localeCompare(b)))
    if (deadline.expired) {
      timedOut = { limitMs: deadline.limitMs }
      opts.log.warn(
        `The audit reached its time limit (${formatDuration(deadline.limitMs)}): what was collected is judged, the rest is reported as not collected.`,
      )
    }
  }
  if (opts.saveSnapshotPath) {
    await writeSnapshot(opts.saveSnapshotPath, snapshot)
    opts.log.info(`Snapshot written to ${opts.saveSnapshotPath}.`)
  }
  const today = (opts.snapshotPath ? new Date() : (opts.now ?? new Date())).toISOString().slice(0, 10)
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
  }
}

export function countFindings(snapshot: AccountSnapshot, findings: Finding[]): Counts {
  const pools = snapshot.regions.flatMap((r) => r.cognito.pools)
  const known = new Set(pools.map((p) => p.id))
  const failing = new Set<string>()
  const missing = new Set<string>()
  for (const f of findings) {
    if (f.status !== 'fail') continue
    if (f.poolId && !known.has(f.poolId)) missing.add(f.poolId)
    else if (f.poolId) failing.add(f.poolId)
    else for (const p of pools.filter((p) => p.region === f.region)) failing.add(p.id)
  }
  const by = (s: Finding['status']) => findings.filter((f) => f.status === s).length
  return {
    pools: pools.length,
    regions: snapshot.regions.length,
    pass: by('pass'),
    fail: by('fail'),
    warn: by('warn'),
    error: by('error'),
    exempt: by('exempt'),
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
