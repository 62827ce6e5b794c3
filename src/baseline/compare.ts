/**
 * Comparing two reports: what is new, what persists (and since when), what was resolved, and what
 * could not be verified this time. A pure function of two reports; no I/O. The scheduled audit
 * compares with the previous run or a committed baseline; the pre-deploy gate can compare a base
 * branch with the head.
 *
 * Rules:
 * - Findings are matched by identity (`src/model/identity.ts`), never by message.
 * - Only violations (`fail`) are tracked. A finding that is `error` now is `unverified`: its last
 *   known state is carried over, and it is never counted as new or as resolved (an unreadable pool
 *   is not a fixed pool).
 * - Two reports are compared only on what both cover (account, regions, checks, pools). A violation
 *   outside what the baseline covered is `uncompared` (neither new nor persisting); a baseline
 *   violation outside what this run covers is out of scope (not resolved). `notes` says which.
 */
import type { Finding, Severity, Status } from '../model/finding.js'
import { withoutAccount } from '../model/identity.js'
import { globToRegExp } from '../model/match.js'

/** What was audited. Absent on a committed baseline file, which stands for everything. */
export interface ReportScope {
  regions: string[]
  /** Check ids that ran. */
  checks: string[]
  /** The pool selection (ids, name globs, or every pool); absent = every pool of the regions. */
  selection?: { ids: string[]; names: string[]; all: boolean }
  /** Pools the run audited (any pool in this list is covered, whatever the selection). */
  poolIds?: string[]
}

/** A finding as compared: its key, its state, and what a reader needs to recognise it. */
export interface TrackedFinding
  extends Pick<Finding, 'checkId' | 'title' | 'status' | 'severity' | 'region' | 'poolId' | 'poolName' | 'resource'> {
  id: string
  message?: string
  /** In a merged report: the account the finding is in (its id, or the report file when it names none). */
  account?: string
  /** When it was first seen failing: the collection time of the first run that reported it. */
  firstSeen?: string
  /** On an `error` finding: the state last known before it could not be verified. */
  lastKnown?: LastKnown
}

/** A finding as the comparator, report.json and the tracking issue keep it: its identity and the fields
 *  that name it (and, in a merged report, its account). */
export function trackedFinding(
  f: Pick<
    Finding,
    'checkId' | 'title' | 'status' | 'severity' | 'region' | 'poolId' | 'poolName' | 'resource' | 'message'
  >,
  id: string,
  account?: string,
): TrackedFinding {
  return {
    id,
    checkId: f.checkId,
    title: f.title,
    status: f.status,
    severity: f.severity,
    region: f.region,
    ...(f.poolId ? { poolId: f.poolId } : {}),
    ...(f.poolName ? { poolName: f.poolName } : {}),
    ...(f.resource ? { resource: f.resource } : {}),
    message: f.message,
    ...(account !== undefined ? { account } : {}),
  }
}

export interface LastKnown {
  status: 'fail' | 'pass' | 'unknown'
  /** When the violation was first seen (status `fail` only). */
  firstSeen?: string
  /** The collection time of the report that last knew it. */
  at?: string
}

export interface ComparableReport {
  /** `report`: a previous run's report.json. `baseline`: a committed file of accepted violations. */
  kind: 'report' | 'baseline'
  collectedAt: string
  accountId?: string
  scope?: ReportScope
  findings: TrackedFinding[]
}

export type DeltaState = 'new' | 'persisting' | 'resolved' | 'unverified' | 'uncompared'

export interface DeltaEntry {
  state: DeltaState
  /** The current finding; for `resolved`, the baseline's. */
  finding: TrackedFinding
  /** new: this run; persisting: carried from the baseline; unverified: carried when last known failing. */
  firstSeen?: string
  /** unverified only. */
  lastKnown?: LastKnown
  /** resolved only: what it is now (`gone`: no longer reported, e.g. the pool or client was removed). */
  resolvedAs?: 'pass' | 'warn' | 'exempt' | 'gone'
}

export interface Comparison {
  baseline: { kind: ComparableReport['kind']; collectedAt: string; accountId?: string }
  /** new, unverified, persisting, resolved, uncompared; worst severity first within each. */
  entries: DeltaEntry[]
  counts: Record<DeltaState, number> & { outOfScope: number }
  /** One sentence per limit of the comparison (another account, regions or checks only one side has). */
  notes: string[]
  /** False when the accounts differ: nothing was compared. */
  comparable: boolean
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }
const STATE_ORDER: Record<DeltaState, number> = { new: 0, unverified: 1, persisting: 2, resolved: 3, uncompared: 4 }

/** Whether `scope` covers a finding (by region, check and pool). No scope covers everything. */
export function covers(
  scope: ReportScope | undefined,
  f: Pick<TrackedFinding, 'checkId' | 'region' | 'poolId' | 'poolName'>,
): boolean {
  if (!scope) return true
  if (!scope.regions.includes(f.region)) return false
  if (!scope.checks.includes(f.checkId)) return false
  if (f.poolId === undefined) return true
  const sel = scope.selection
  if (!sel || sel.all) return true
  if (scope.poolIds?.includes(f.poolId)) return true
  if (sel.ids.includes(f.poolId)) return true
  // pool-exists findings carry the policy's selector (an id or a glob) in poolId.
  if (sel.names.includes(f.poolId)) return true
  const name = f.poolName
  return name !== undefined && sel.names.some((g) => globToRegExp(g).test(name))
}

/** The violation state a baseline knows for a finding: failing (since when), passing, or unknown. */
function knownState(prev: TrackedFinding | undefined, prevReport: ComparableReport): LastKnown {
  if (!prev) return { status: 'unknown' }
  if (prev.status === 'fail') {
    return { status: 'fail', firstSeen: prev.firstSeen ?? prevReport.collectedAt, at: prevReport.collectedAt }
  }
  if (prev.status === 'error') return prev.lastKnown ?? { status: 'unknown' }
  return { status: 'pass', at: prevReport.collectedAt }
}

/** The order of `Comparison.entries`: by state, then worst severity first. */
export function entryOrder(a: DeltaEntry, b: DeltaEntry): number {
  return (
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] ||
    (a.firstSeen ?? '').localeCompare(b.firstSeen ?? '') ||
    a.finding.id.localeCompare(b.finding.id)
  )
}

function list(items: string[]): string {
  return items.join(', ')
}

export function compareReports(previous: ComparableReport, current: ComparableReport): Comparison {
  const notes: string[] = []
  const counts = { new: 0, persisting: 0, resolved: 0, unverified: 0, uncompared: 0, outOfScope: 0 }
  const entries: DeltaEntry[] = []
  const baseline = {
    kind: previous.kind,
    collectedAt: previous.collectedAt,
    ...(previous.accountId ? { accountId: previous.accountId } : {}),
  }

  const accountsDiffer =
    previous.accountId !== undefined && current.accountId !== undefined && previous.accountId !== current.accountId
  if (accountsDiffer) {
    notes.push(
      `The baseline is from account ${previous.accountId}, this run audited ${current.accountId}: nothing was compared.`,
    )
  }
  // When either side does not know its account, match keys without the account part.
  const loose = previous.accountId === undefined || current.accountId === undefined
  const key = (id: string) => (loose ? withoutAccount(id) : id)
  const prevById = new Map(previous.findings.map((f) => [key(f.id), f]))
  const seen = new Set<string>()

  for (const f of current.findings) {
    const k = key(f.id)
    seen.add(k)
    const inBaseline = !accountsDiffer && covers(previous.scope, f)
    const prev = inBaseline ? prevById.get(k) : undefined
    const known = inBaseline ? knownState(prev, previous) : ({ status: 'unknown' } as LastKnown)
    if (f.status === 'error') {
      entries.push({
        state: 'unverified',
        finding: f,
        lastKnown: known,
        ...(known.status === 'fail' && known.firstSeen ? { firstSeen: known.firstSeen } : {}),
      })
    } else if (f.status === 'fail') {
      if (!inBaseline) entries.push({ state: 'uncompared', finding: f, firstSeen: current.collectedAt })
      else if (known.status === 'fail')
        entries.push({ state: 'persisting', finding: f, firstSeen: known.firstSeen ?? previous.collectedAt })
      else entries.push({ state: 'new', finding: f, firstSeen: current.collectedAt })
    } else if (inBaseline && prev && known.status === 'fail') {
      const resolvedAs = f.status as Exclude<Status, 'fail' | 'error' | 'not-in-plan'>
      entries.push({
        state: 'resolved',
        finding: prev,
        resolvedAs,
        ...(known.firstSeen ? { firstSeen: known.firstSeen } : {}),
      })
    }
  }

  if (!accountsDiffer) {
    for (const prev of previous.findings) {
      const k = key(prev.id)
      if (seen.has(k)) continue
      const known = knownState(prev, previous)
      if (known.status !== 'fail') continue
      if (covers(current.scope, prev)) {
        entries.push({
          state: 'resolved',
          finding: prev,
          resolvedAs: 'gone',
          ...(known.firstSeen ? { firstSeen: known.firstSeen } : {}),
        })
      } else {
        counts.outOfScope++
      }
    }
  }

  for (const e of entries) counts[e.state]++
  entries.sort(entryOrder)

  if (!accountsDiffer && previous.scope && current.scope) {
    const regionsOnlyNow = current.scope.regions.filter((r) => !previous.scope!.regions.includes(r))
    const regionsOnlyBefore = previous.scope.regions.filter((r) => !current.scope!.regions.includes(r))
    const checksOnlyNow = current.scope.checks.filter((c) => !previous.scope!.checks.includes(c))
    const checksOnlyBefore = previous.scope.checks.filter((c) => !current.scope!.checks.includes(c))
    if (regionsOnlyNow.length) notes.push(`The baseline did not audit ${list(regionsOnlyNow)}: not compared there.`)
    if (regionsOnlyBefore.length)
      notes.push(`This run did not audit ${list(regionsOnlyBefore)}, which the baseline did.`)
    if (checksOnlyNow.length) notes.push(`The baseline did not run ${list(checksOnlyNow)}: those are not compared.`)
    if (checksOnlyBefore.length) notes.push(`This run did not run ${list(checksOnlyBefore)}, which the baseline did.`)
  }
  if (counts.uncompared > 0 && !accountsDiffer) {
    notes.push(
      `${counts.uncompared} violation${counts.uncompared === 1 ? ' is' : 's are'} outside what the baseline covered: neither new nor persisting.`,
    )
  }
  if (counts.outOfScope > 0) {
    notes.push(
      `${counts.outOfScope} baseline violation${counts.outOfScope === 1 ? ' is' : 's are'} outside what this run covered: not counted as resolved.`,
    )
  }
  return { baseline, entries, counts, notes, comparable: !accountsDiffer }
}

/** The state of each current finding by id (resolved ones are not current). */
export function statesById(c: Comparison): Map<string, DeltaEntry> {
  return new Map(c.entries.filter((e) => e.state !== 'resolved').map((e) => [e.finding.id, e]))
}
