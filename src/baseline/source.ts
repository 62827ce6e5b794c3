/**
 * Where the baseline comes from, and turning an audit result into something comparable.
 *
 * - `baseline: <path>` / `--baseline FILE`: a previous report.json or a committed baseline file.
 *   A file that cannot be read is bad input (one line, exit 2).
 * - `baseline: previous-run` (the action only): the last completed run of this workflow on the default
 *   branch, from its artifact. Nothing found is a notice; a GitHub refusal (no `actions: read`) or an
 *   unreadable artifact is a warning; the audit runs on without a baseline either way, and its verdict
 *   is the same as without one.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REGISTRY } from '../checks/index.js'
import { errorMessage, InputError } from '../errors.js'
import type { Finding } from '../model/finding.js'
import { assignIdentities } from '../model/identity.js'
import { itemsRead, type Listing } from '../model/snapshot.js'
import {
  type ComparableReport,
  type Comparison,
  type DeltaEntry,
  type LastKnown,
  type ReportScope,
  type TrackedFinding,
  trackedFinding,
} from './compare.js'
import { parseBaseline, readBaseline } from './file.js'

export const PREVIOUS_RUN = 'previous-run'
export const DEFAULT_BASELINE_ARTIFACT = 'cognito-compliance-report'

interface AnyDescriptor {
  field: string
  enabled(options: unknown): boolean
  checks: ReadonlyArray<{ id: string }>
}

/** The checks a policy runs: every check of each requirement it turns on (a policy without a
 *  requirement's options counts it as on, as its defaults do). */
function checksThatRan(policy: AuditFacts['policy']): string[] {
  const options = policy as unknown as Record<string, unknown>
  return (REGISTRY as unknown as readonly AnyDescriptor[]).flatMap((d) => {
    const o = options[d.field]
    return o === undefined || d.enabled(o) ? d.checks.map((c) => c.id) : []
  })
}

interface Log {
  info(message: string): void
  warn(message: string): void
}

/** What the comparison needs from an audit (a structural subset of `AuditResult`). */
export interface AuditFacts {
  policy: {
    source: string
    regions: string[]
    pools: { ids: string[]; names: string[]; all: boolean }
    alarms?: { enabled: boolean }
    cloudtrail?: { enabled: boolean }
    activity?: { enabled: boolean }
  }
  snapshot: { collectedAt: string; accountId?: string; regions: Array<{ cognito: { pools: Listing<{ id: string }> } }> }
  findings: Finding[]
}

export interface LoadedBaseline {
  report: ComparableReport
  /** Where it came from, for the summary: a path, or "artifact … of run …". */
  source: string
}

/** The run's findings with their identity, as the comparator and report.json see them. */
export function trackedFindings(result: AuditFacts): TrackedFinding[] {
  return assignIdentities(result.findings, result.snapshot.accountId).map((f) => trackedFinding(f, f.id))
}

/** What the run covered: its regions, the checks that ran (every check of an enabled requirement, even
 *  one that had nothing to report, such as the enforcement check when no pool is ENFORCED), its pool
 *  selection and the pools it audited. */
export function scopeOf(result: AuditFacts): ReportScope {
  const ran = checksThatRan(result.policy)
  const checks = [...new Set([...ran, ...result.findings.map((f) => f.checkId)])].sort()
  return {
    regions: [...result.policy.regions],
    checks,
    selection: {
      ids: [...result.policy.pools.ids],
      names: [...result.policy.pools.names],
      all: result.policy.pools.all,
    },
    poolIds: result.snapshot.regions.flatMap((r) => itemsRead(r.cognito.pools).map((p) => p.id)).sort(),
  }
}

export function comparableOf(result: AuditFacts): ComparableReport {
  return {
    kind: 'report',
    collectedAt: result.snapshot.collectedAt,
    ...(result.snapshot.accountId ? { accountId: result.snapshot.accountId } : {}),
    scope: scopeOf(result),
    findings: trackedFindings(result),
  }
}

/** Per finding id: its delta state, first seen and last known state, for report.json. */
export function deltaFields(
  comparison: Comparison | undefined,
): Map<string, { delta: DeltaEntry['state']; firstSeen?: string; lastKnown?: LastKnown }> {
  const out = new Map<string, { delta: DeltaEntry['state']; firstSeen?: string; lastKnown?: LastKnown }>()
  for (const e of comparison?.entries ?? []) {
    if (e.state === 'resolved') continue
    out.set(e.finding.id, {
      delta: e.state,
      ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}),
      ...(e.lastKnown ? { lastKnown: e.lastKnown } : {}),
    })
  }
  return out
}

/** Which of the run's findings are new against its baseline: violations it does not hold (`new`, and
 *  `uncompared`: outside what it covered). Without a baseline every violation is new. */
export function isNewAgainstBaseline(
  result: AuditFacts & { baseline?: { comparison: Comparison } },
): (f: Finding) => boolean {
  const comparison = result.baseline?.comparison
  if (!comparison) return (f) => f.status === 'fail'
  const fields = deltaFields(comparison)
  const tracked = trackedFindings(result)
  const ids = new Map(result.findings.map((f, i) => [f, tracked[i]?.id]))
  return (f) => {
    const id = ids.get(f)
    const delta = id === undefined ? undefined : fields.get(id)?.delta
    return f.status === 'fail' && (delta === 'new' || delta === 'uncompared')
  }
}

/** Violations no baseline accepted: `new`, and `uncompared` (outside what the baseline covered). */
export function newViolationCount(c: Comparison): number {
  return c.counts.new + c.counts.uncompared
}

export interface GitHubRun {
  token: string
  owner: string
  repo: string
  runId: number
  artifactName: string
  apiUrl?: string
}

/** Loads the baseline named by `spec` (a path or `previous-run`); undefined when there is none. */
export async function loadBaseline(
  spec: string | undefined,
  ctx: { log: Log; github?: GitHubRun | undefined; what: string },
): Promise<LoadedBaseline | undefined> {
  return loadBaselineWith(spec, ctx, readBaseline, parseBaseline)
}

/** `loadBaseline` with its own reader and parser (the merge reads a previous merged report). */
export async function loadBaselineWith<T>(
  spec: string | undefined,
  ctx: { log: Log; github?: GitHubRun | undefined; what: string },
  read: (path: string) => Promise<T>,
  parse: (text: string, source: string) => T,
): Promise<{ report: T; source: string } | undefined> {
  const s = spec?.trim()
  if (!s) return undefined
  if (s !== PREVIOUS_RUN) return { report: await read(s), source: s }
  const gh = ctx.github
  if (!gh) {
    throw new InputError(
      `${ctx.what} '${PREVIOUS_RUN}' works only inside a GitHub Actions run: pass the path of a previous report.json instead.`,
    )
  }
  if (!gh.token) {
    ctx.log.warn('baseline: previous-run needs github-token (with actions: read); comparing with no baseline.')
    return undefined
  }
  const dir = await mkdtemp(join(tmpdir(), 'cognito-compliance-baseline-'))
  try {
    const { findPreviousReport } = await import('./previous-run.js')
    const found = await findPreviousReport({ ...gh, downloadDir: dir })
    if (found.status === 'none') {
      ctx.log.info(`baseline: previous-run: no previous report (${found.reason}); this run is the first baseline.`)
      return undefined
    }
    try {
      return { report: parse(found.text, found.source), source: found.source }
    } catch (err) {
      ctx.log.warn(`baseline: previous-run: ${errorMessage(err)} Comparing with no baseline.`)
      return undefined
    }
  } catch (err) {
    const status = (err as { status?: number }).status
    ctx.log.warn(
      status === 403 || status === 404
        ? `baseline: previous-run: GitHub refused to list this workflow's runs or artifacts (HTTP ${status}): give the workflow 'permissions: actions: read'. Comparing with no baseline.`
        : `baseline: previous-run: could not fetch the previous report: ${errorMessage(err)} Comparing with no baseline.`,
    )
    return undefined
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
