/**
 * Reading a baseline, and writing the committed one.
 *
 * A baseline is either a previous run's `report.json` (any `reportVersion: 1`, including reports
 * written before findings carried an `id`: the identity is computed from the finding), or a
 * committed baseline file of accepted violations written by `cognito-compliance baseline --out`:
 *
 *   { "baselineVersion": 1, "createdAt": "…", "accountId": "…", "policy": "…",
 *     "violations": [ { "id": "…", "checkId": "…", "region": "…", "poolId": "…", "firstSeen": "…" } ] }
 *
 * A file that cannot be read or is not one of these is one clear `InputError` line (exit 2).
 */
import { InputError } from '../errors.js'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../input-file.js'
import type { Severity, Status } from '../model/finding.js'
import { assignIdentities } from '../model/identity.js'
import { TOOL_NAME, VERSION } from '../version.js'
import type { ComparableReport, LastKnown, ReportScope, TrackedFinding } from './compare.js'

export const BASELINE_VERSION = 1

export interface BaselineViolation {
  id: string
  checkId: string
  title: string
  severity: Severity
  region: string
  poolId?: string
  poolName?: string
  resource?: string
  firstSeen?: string
}

export interface BaselineFile {
  baselineVersion: typeof BASELINE_VERSION
  tool: { name: string; version: string }
  createdAt: string
  accountId?: string
  policy: string
  violations: BaselineViolation[]
}

/** The committed baseline for the current violations (status `fail`), sorted by id so diffs stay small. */
export function buildBaselineFile(run: {
  collectedAt: string
  accountId?: string
  policySource: string
  findings: readonly TrackedFinding[]
}): BaselineFile {
  const violations = run.findings
    .filter((f) => f.status === 'fail')
    .map(
      (f): BaselineViolation => ({
        id: f.id,
        checkId: f.checkId,
        title: f.title,
        severity: f.severity,
        region: f.region,
        ...(f.poolId ? { poolId: f.poolId } : {}),
        ...(f.poolName ? { poolName: f.poolName } : {}),
        ...(f.resource ? { resource: f.resource } : {}),
        firstSeen: f.firstSeen ?? run.collectedAt,
      }),
    )
    .sort((a, b) => a.id.localeCompare(b.id))
  return {
    baselineVersion: BASELINE_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    createdAt: run.collectedAt,
    ...(run.accountId ? { accountId: run.accountId } : {}),
    policy: run.policySource,
    violations,
  }
}

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const STATUSES: readonly Status[] = ['pass', 'fail', 'warn', 'error', 'exempt']
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low']

function bad(source: string, why: string): InputError {
  return new InputError(`Baseline ${source}: ${why}`)
}

function lastKnownOf(v: unknown): LastKnown | undefined {
  if (!isObj(v)) return undefined
  const status = v.status
  if (status !== 'fail' && status !== 'pass' && status !== 'unknown') return undefined
  return {
    status,
    ...(str(v.firstSeen) ? { firstSeen: str(v.firstSeen) } : {}),
    ...(str(v.at) ? { at: str(v.at) } : {}),
  }
}

/** One finding of either format; `where` names it in the error line. */
export function findingOf(
  v: unknown,
  where: string,
  source: string,
  fallbackStatus?: Status,
): TrackedFinding & { evidence?: Json } {
  if (!isObj(v)) throw bad(source, `${where} is not an object.`)
  const checkId = str(v.checkId)
  const region = str(v.region)
  if (!checkId) throw bad(source, `${where}.checkId is missing.`)
  if (!region) throw bad(source, `${where}.region is missing.`)
  const status = (str(v.status) ?? fallbackStatus) as Status | undefined
  if (!status || !STATUSES.includes(status)) throw bad(source, `${where}.status must be one of ${STATUSES.join(', ')}.`)
  const severity = (str(v.severity) ?? 'medium') as Severity
  if (!SEVERITIES.includes(severity)) throw bad(source, `${where}.severity must be one of ${SEVERITIES.join(', ')}.`)
  const lastKnown = lastKnownOf(v.lastKnown)
  return {
    id: str(v.id) ?? '',
    checkId,
    title: str(v.title) ?? checkId,
    status,
    severity,
    region,
    ...(str(v.poolId) ? { poolId: str(v.poolId) } : {}),
    ...(str(v.poolName) ? { poolName: str(v.poolName) } : {}),
    ...(str(v.resource) ? { resource: str(v.resource) } : {}),
    ...(str(v.message) ? { message: str(v.message) } : {}),
    ...(str(v.firstSeen) ? { firstSeen: str(v.firstSeen) } : {}),
    ...(lastKnown ? { lastKnown } : {}),
    ...(isObj(v.evidence) ? { evidence: v.evidence } : {}),
  }
}

/** A recorded scope (`scope` of a report.json), or undefined when `s` is not one. */
export function recordedScope(s: unknown): ReportScope | undefined {
  if (isObj(s) && Array.isArray(s.regions) && Array.isArray(s.checks)) {
    const sel = s.selection
    return {
      regions: s.regions.filter((r): r is string => typeof r === 'string'),
      checks: s.checks.filter((c): c is string => typeof c === 'string'),
      ...(isObj(sel) && Array.isArray(sel.ids) && Array.isArray(sel.names)
        ? {
            selection: {
              ids: sel.ids.filter((x): x is string => typeof x === 'string'),
              names: sel.names.filter((x): x is string => typeof x === 'string'),
              all: sel.all === true,
            },
          }
        : {}),
      ...(Array.isArray(s.poolIds) ? { poolIds: s.poolIds.filter((x): x is string => typeof x === 'string') } : {}),
    }
  }
  return undefined
}

/** The scope of a report written before it recorded one: what it shows is what it covered. Its checks
 *  are those with a finding, its pools those it listed (a pool created since is not compared). */
export function shownScope(
  regions: string[],
  findings: ReadonlyArray<Pick<TrackedFinding, 'checkId'>>,
  poolIds: string[],
): ReportScope {
  return {
    regions,
    checks: [...new Set(findings.map((f) => f.checkId))],
    selection: { ids: poolIds, names: [], all: false },
    poolIds,
  }
}

function scopeOf(doc: Json, findings: TrackedFinding[]): ReportScope {
  const recorded = recordedScope(doc.scope)
  if (recorded) return recorded
  const policy = isObj(doc.policy) ? doc.policy : {}
  const pools = Array.isArray(doc.pools) ? doc.pools.filter(isObj) : []
  const poolIds = pools.map((p) => str(p.id)).filter((x): x is string => x !== undefined)
  return shownScope(
    Array.isArray(policy.regions)
      ? policy.regions.filter((r): r is string => typeof r === 'string')
      : [...new Set(findings.map((f) => f.region))],
    findings,
    poolIds,
  )
}

/** Parses a baseline (report.json or committed baseline file). `source` names it in errors. */
export function parseBaseline(text: string, source: string): ComparableReport {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw bad(source, `not valid JSON (${(err as Error).message}).`)
  }
  if (!isObj(doc)) throw bad(source, 'not a JSON object.')
  const accountId = str(doc.accountId)
  if (doc.baselineVersion !== undefined) {
    if (doc.baselineVersion !== BASELINE_VERSION) {
      throw bad(
        source,
        `baselineVersion ${String(doc.baselineVersion)} is not supported (this version reads ${BASELINE_VERSION}).`,
      )
    }
    const createdAt = str(doc.createdAt)
    if (!createdAt) throw bad(source, 'createdAt is missing.')
    if (!Array.isArray(doc.violations)) throw bad(source, 'violations must be a list.')
    const raw = doc.violations.map((v, i) => findingOf(v, `violations[${i}]`, source, 'fail'))
    const findings = raw.map((f, i) => {
      if (!f.id) throw bad(source, `violations[${i}].id is missing.`)
      return { ...f, status: 'fail' as const }
    })
    return { kind: 'baseline', collectedAt: createdAt, ...(accountId ? { accountId } : {}), findings }
  }
  if (doc.kind === 'merged') {
    // Its findings span many accounts: compared as one account's, different accounts' pools would meet.
    throw bad(source, 'a merged report: compare merged reports with merge --baseline.')
  }
  if (doc.reportVersion !== undefined) {
    if (doc.reportVersion !== 1) {
      throw bad(source, `reportVersion ${String(doc.reportVersion)} is not supported (this version reads 1).`)
    }
    const collectedAt = str(doc.collectedAt)
    if (!collectedAt) throw bad(source, 'collectedAt is missing.')
    if (!Array.isArray(doc.findings)) throw bad(source, 'findings must be a list.')
    const raw = doc.findings.map((v, i) => findingOf(v, `findings[${i}]`, source))
    // Reports written before findings carried an id: compute it as the report would have.
    const computed = assignIdentities(raw, accountId)
    const findings = raw.map(({ evidence: _e, ...f }, i) => ({ ...f, id: f.id || computed[i]!.id }))
    return {
      kind: 'report',
      collectedAt,
      ...(accountId ? { accountId } : {}),
      scope: scopeOf(doc, findings),
      findings,
    }
  }
  throw bad(source, 'neither a report.json (reportVersion) nor a baseline file (baselineVersion).')
}

/** Reads a baseline file (a regular file, at most the size of a saved snapshot); a missing or
 *  unreadable one is one clear line. */
export async function readBaseline(path: string): Promise<ComparableReport> {
  let text: string
  try {
    text = await readInputFile(path, INPUT_LIMITS.snapshot)
  } catch (err) {
    if (err instanceof InputFileError) throw bad(path, `${err.reason}.`)
    throw err
  }
  return parseBaseline(text, path)
}
