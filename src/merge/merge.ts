/**
 * Folds the report.json of many audits (one per account, or per account and region) into one merged
 * report and one verdict. Pure: no I/O. Fails closed: an account whose report is missing or unreadable
 * counts as not verified, so the merged verdict can never be "compliant" without every account's report.
 */
import type { FailOn } from '../audit.js'
import type { DeltaState, LastKnown, ReportScope } from '../baseline/compare.js'
import { recordedScope, shownScope } from '../baseline/file.js'
import { newViolationCount } from '../baseline/source.js'
import { excerpt, InputError } from '../errors.js'
import type { Finding } from '../model/finding.js'
import { assignIdentities } from '../model/identity.js'
import type { ActivityOverviewRegion } from '../report/activity-overview.js'
import { type JsonReport, REPORT_VERSION } from '../report/json.js'
import { TOOL_NAME, VERSION } from '../version.js'
import { compareMerged, findingKey, type MergedComparable, type MergedResolved, unitsOf } from './delta.js'

/** One file given to the merge: its report, or why it could not be used. */
export type MergeInput = { path: string; report: JsonReport } | { path: string; problem: string }

export interface MergeOptions {
  failOn: FailOn
  /** Account ids that must each have a report; one without is not verified (the verdict fails closed). */
  expectedAccounts?: string[]
  /** The previous merged report (`--baseline`): the merged report then says what is new, resolved and
   *  persisting, and `fail-on: new-violation` fails only on violations it does not hold. */
  baseline?: { report: MergedComparable; source: string }
}

export type AccountStatus = 'compliant' | 'violations' | 'not verified' | 'report missing' | 'report unreadable'

export interface MergedAccount {
  /** The 12-digit id; absent for a report that names no account and for an unreadable file. */
  accountId?: string
  /** What the tables show: the id, or the file for reports without one. */
  label: string
  status: AccountStatus
  regions: string[]
  pools: number
  violations: number
  /** Requirements that could not be verified (error findings), plus 1 for a missing or unreadable report. */
  errors: number
  /** Pools with at least one requirement that could not be verified. */
  poolsNotVerified: number
  warnings: number
  exempt: number
  passed: number
  poolsFailing: number
  /** The report files this account's numbers come from (several when regions were audited apart). */
  reports: Array<{
    path: string
    regions: string[]
    collectedAt?: string
    toolVersion?: string
    policySource?: string
    policyDigest?: string
    /** What the report's audit covered, so the next merge compares only on what both cover. */
    scope?: ReportScope
    problem?: string
  }>
}

export type MergedPool = JsonReport['pools'][number] & { account: string }
/** `id`: the finding identity with the report's account (`-` when the report names none), unique per report. */
export type MergedFinding = Finding & {
  account: string
  id: string
  /** With a baseline: the state against the previous merged report, as in an account's report.json. */
  delta?: DeltaState
  firstSeen?: string
  lastKnown?: LastKnown
}
export type MergedActivity = ActivityOverviewRegion & { account: string }

export interface MergedReport {
  reportVersion: typeof REPORT_VERSION
  kind: 'merged'
  tool: { name: string; version: string }
  /** The earliest collection time among the reports. */
  collectedAt: string
  collectedUntil: string
  policy: { failOn: FailOn }
  verdict: {
    compliant: boolean
    failed: boolean
    reason?: string
    /** Present when an account's audit stopped at its time limit (a merge of it must never close a tracker). */
    timeLimitReached?: true
    accounts: number
    accountsFailing: number
    /** Expected accounts without a report, and files that could not be read. */
    reportsMissing: number
    reportsUnreadable: number
    violations: number
    errors: number
    warnings: number
    exempt: number
    passed: number
    pools: number
    poolsFailing: number
    /** With a baseline: violations it does not hold (new, and outside what it covered). */
    newViolations?: number
    /** With a baseline: its violations that are resolved now. */
    resolved?: number
  }
  /** The comparison with the previous merged report (`--baseline`), when one was given. */
  baseline?: {
    source: string
    kind: 'merged'
    collectedAt: string
    counts: Record<DeltaState, number> & { outOfScope: number }
    notes: string[]
    /** The baseline's violations resolved since (they are no longer in `findings` as violations). */
    resolved: MergedResolved[]
  }
  accounts: MergedAccount[]
  /** Differences between the reports a reader should know about (tool versions, policies, …). */
  notes: string[]
  /** `account` is the account's label (its id, or the file for a report that names none). */
  pools: MergedPool[]
  findings: MergedFinding[]
  activity: MergedActivity[]
  apiCalls: Record<string, number>
}

const ACCOUNT_ID = /^\d{12}$/

export function mergeReports(inputs: MergeInput[], opts: MergeOptions): MergedReport {
  const readable = inputs.filter((i): i is { path: string; report: JsonReport } => 'report' in i)
  const unreadable = inputs.filter((i): i is { path: string; problem: string } => 'problem' in i)
  rejectDuplicates(readable)

  const accounts = new Map<string, MergedAccount>()
  const pools: MergedPool[] = []
  const findings: MergedFinding[] = []
  const activity: MergedActivity[] = []
  const apiCalls: Record<string, number> = {}
  for (const { path, report } of readable) {
    const label = report.accountId ?? `unknown account (${path})`
    const a = accounts.get(label) ?? emptyAccount(label, report.accountId)
    accounts.set(label, a)
    const v = report.verdict
    a.regions = [...new Set([...a.regions, ...report.policy.regions])].sort()
    a.pools += v.pools
    a.violations += v.violations
    a.errors += v.errors
    a.warnings += v.warnings
    a.exempt += v.exempt
    a.passed += v.passed
    a.poolsFailing += v.poolsFailing
    a.poolsNotVerified += report.pools.filter((p) => Object.values(p.requirements).includes('error')).length
    a.reports.push({
      path,
      regions: report.policy.regions,
      collectedAt: report.collectedAt,
      toolVersion: report.tool.version,
      policySource: report.policy.source,
      ...(report.policy.digest ? { policyDigest: report.policy.digest } : {}),
      scope:
        recordedScope(report.scope) ??
        shownScope(
          report.policy.regions,
          report.findings,
          report.pools.map((p) => p.id),
        ),
    })
    for (const p of report.pools) pools.push({ ...p, account: label })
    for (const f of assignIdentities(report.findings, report.accountId)) findings.push({ ...f, account: label })
    for (const r of report.activity ?? []) activity.push({ ...r, account: label })
    for (const [k, n] of Object.entries(report.apiCalls)) apiCalls[k] = (apiCalls[k] ?? 0) + n
  }
  for (const { path, problem } of unreadable) {
    const a = emptyAccount(`unreadable report (${path})`, undefined)
    a.status = 'report unreadable'
    a.errors = 1
    a.reports.push({ path, regions: [], problem })
    accounts.set(a.label, a)
  }
  const notes: string[] = []
  const expected = [...new Set(opts.expectedAccounts ?? [])]
  for (const id of expected) {
    if (!ACCOUNT_ID.test(id)) throw new InputError(`expected account ${excerpt(id)} is not a 12-digit account id`)
    if (accounts.has(id)) continue
    const a = emptyAccount(id, id)
    a.status = 'report missing'
    a.errors = 1
    accounts.set(id, a)
  }
  for (const a of accounts.values()) {
    if (a.status === 'report missing' || a.status === 'report unreadable') continue
    a.status = a.violations > 0 ? 'violations' : a.errors > 0 ? 'not verified' : 'compliant'
  }
  const sorted = [...accounts.values()].sort(
    (x, y) => Number(!x.accountId) - Number(!y.accountId) || x.label.localeCompare(y.label),
  )
  notes.push(...differenceNotes(readable, expected))

  const sum = (k: keyof MergedAccount) => sorted.reduce((n, a) => n + (a[k] as number), 0)
  const reportsMissing = sorted.filter((a) => a.status === 'report missing').length
  const reportsUnreadable = unreadable.length
  const violations = sum('violations')
  const errors = sum('errors')
  const times = readable.map((r) => r.report.collectedAt).sort()
  const collectedAt = times[0] ?? ''
  const drift = opts.baseline
    ? compareMerged(opts.baseline.report, unitsOf({ collectedAt, accounts: sorted, findings, pools }))
    : undefined
  const comparison = drift?.comparison
  if (drift) {
    // The states against the previous merged report replace those an account's own audit recorded.
    for (const [i, f] of findings.entries()) {
      const { delta: _d, firstSeen: _f, lastKnown: _l, ...rest } = f
      findings[i] = { ...rest, ...drift.fields.get(findingKey(f.account, f.id)) }
    }
  }
  const reason = mergeGate(
    violations,
    errors,
    opts.failOn,
    comparison && opts.failOn === 'new-violation' ? newViolationCount(comparison) : undefined,
  )
  return {
    reportVersion: REPORT_VERSION,
    kind: 'merged',
    tool: { name: TOOL_NAME, version: VERSION },
    collectedAt,
    collectedUntil: times.at(-1) ?? '',
    policy: { failOn: opts.failOn },
    verdict: {
      compliant: violations === 0 && errors === 0 && readable.length > 0,
      failed: reason !== undefined,
      ...(reason ? { reason } : {}),
      ...(readable.some((r) => r.report.verdict.timeLimitReached) ? { timeLimitReached: true as const } : {}),
      accounts: sorted.length,
      accountsFailing: sorted.filter((a) => a.status !== 'compliant').length,
      reportsMissing,
      reportsUnreadable,
      violations,
      errors,
      warnings: sum('warnings'),
      exempt: sum('exempt'),
      passed: sum('passed'),
      pools: sum('pools'),
      poolsFailing: sum('poolsFailing'),
      ...(comparison ? { newViolations: newViolationCount(comparison), resolved: comparison.counts.resolved } : {}),
    },
    ...(opts.baseline && comparison
      ? {
          baseline: {
            source: opts.baseline.source,
            kind: 'merged' as const,
            collectedAt: comparison.baseline.collectedAt,
            counts: comparison.counts,
            notes: comparison.notes,
            resolved: comparison.entries
              .filter((e) => e.state === 'resolved')
              .map((e) => ({
                account: e.finding.account ?? '',
                id: e.finding.id,
                checkId: e.finding.checkId,
                title: e.finding.title,
                severity: e.finding.severity,
                region: e.finding.region,
                ...(e.finding.poolId ? { poolId: e.finding.poolId } : {}),
                ...(e.finding.poolName ? { poolName: e.finding.poolName } : {}),
                ...(e.finding.resource ? { resource: e.finding.resource } : {}),
                ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}),
                now: e.resolvedAs ?? 'pass',
              })),
          },
        }
      : {}),
    accounts: sorted,
    notes,
    pools,
    findings,
    activity,
    apiCalls: Object.fromEntries(Object.entries(apiCalls).sort(([x], [y]) => x.localeCompare(y))),
  }
}

function emptyAccount(label: string, accountId: string | undefined): MergedAccount {
  return {
    ...(accountId ? { accountId } : {}),
    label,
    status: 'compliant',
    regions: [],
    pools: 0,
    violations: 0,
    errors: 0,
    poolsNotVerified: 0,
    warnings: 0,
    exempt: 0,
    passed: 0,
    poolsFailing: 0,
    reports: [],
  }
}

/** Two reports of one account and region would count its pools twice: an error naming both files. */
function rejectDuplicates(readable: Array<{ path: string; report: JsonReport }>): void {
  const seen = new Map<string, string>()
  for (const { path, report } of readable) {
    if (!report.accountId) continue
    for (const region of report.policy.regions) {
      const key = `${report.accountId}/${region}`
      const other = seen.get(key)
      if (other !== undefined) {
        throw new InputError(
          `account ${report.accountId} region ${region} is in two reports: ${other} and ${path} (merge each account and region once)`,
        )
      }
      seen.set(key, path)
    }
  }
}

/** The gate of the audit, over the merged counts (a missing or unreadable report counts as an error).
 *  `newViolations`: with `fail-on: new-violation` and a baseline, the violations the baseline does not
 *  hold; without a baseline every violation counts as new (fails closed). */
export function mergeGate(
  violations: number,
  errors: number,
  failOn: FailOn,
  newViolations?: number,
): string | undefined {
  const counted = newViolations ?? violations
  const v = `${counted} ${newViolations === undefined ? '' : 'new '}policy violation${counted === 1 ? '' : 's'}`
  const e = `${errors} requirement${errors === 1 ? '' : 's'} or report${errors === 1 ? '' : 's'} could not be verified`
  if (failOn === 'never') return undefined
  if ((failOn === 'violation' || failOn === 'new-violation') && counted > 0) return errors > 0 ? `${v}; ${e}` : v
  if (errors > 0) return e
  return undefined
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const it of items) {
    const k = key(it)
    const list = m.get(k)
    if (list) list.push(it)
    else m.set(k, [it])
  }
  return m
}

/** At most three file names, then "and N more". */
function some(paths: string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`
}

function differenceNotes(readable: Array<{ path: string; report: JsonReport }>, expected: string[]): string[] {
  const notes: string[] = []
  const versions = countBy(readable, (r) => r.report.tool.version)
  if (versions.size > 1) {
    const parts = [...versions].map(
      ([v, rs]) => `${v} (${rs.length} report${rs.length === 1 ? '' : 's'}: ${some(rs.map((r) => r.path))})`,
    )
    notes.push(`The reports were written by different versions of the tool: ${parts.join('; ')}.`)
  }
  const policies = countBy(readable, (r) => r.report.policy.digest ?? `${r.report.policy.source} (no digest)`)
  if (policies.size > 1) {
    const parts = [...policies].map(([, rs]) => {
      const sources = [...new Set(rs.map((r) => r.report.policy.source))].join(', ')
      const digest = rs[0]?.report.policy.digest
      return `${sources}${digest ? ` [${digest}]` : ' [older report: no policy digest]'} (${rs.length} report${rs.length === 1 ? '' : 's'}: ${some(rs.map((r) => r.path))})`
    })
    notes.push(
      `The reports were audited under ${policies.size} different policies, so their requirements may differ: ${parts.join('; ')}.`,
    )
  }
  const stopped = readable.filter((r) => r.report.verdict.timeLimitReached)
  if (stopped.length > 0) {
    notes.push(
      `${stopped.length} audit${stopped.length === 1 ? '' : 's'} reached ${stopped.length === 1 ? 'its' : 'their'} time limit (${some(stopped.map((r) => r.path))}): what ${stopped.length === 1 ? 'it' : 'they'} could not collect counts as not verified.`,
    )
  }
  const unnamed = readable.filter((r) => !r.report.accountId)
  if (unnamed.length > 0) {
    notes.push(
      `${unnamed.length} report${unnamed.length === 1 ? ' names' : 's name'} no account (${some(unnamed.map((r) => r.path))}): each is shown on its own, and a second report of the same account and region cannot be detected.`,
    )
  }
  if (expected.length > 0) {
    const want = new Set(expected)
    const extra = [...new Set(readable.map((r) => r.report.accountId).filter((a): a is string => !!a && !want.has(a)))]
    if (extra.length > 0) {
      notes.push(`${extra.length} account${extra.length === 1 ? ' was' : 's were'} not expected: ${some(extra)}.`)
    }
  }
  return notes
}
