/**
 * The pools × requirements matrix every reporter shows: for each audited pool and
 * requirement, the worst status among the pool's own findings and its region's
 * region-level findings.
 */
import type { AuditResult } from '../audit.js'
import { emptyCellOf, isEnabled, REQUIREMENTS } from '../checks/index.js'
import type { Finding, Requirement, Status } from '../model/finding.js'
import { matchesPool, regionOfPoolId } from '../model/match.js'
import type { PlanChange, SourceLocation } from '../model/plan.js'
import { itemsRead } from '../model/snapshot.js'

/** A cell's status, or `none` when no check of that requirement ran for the pool. */
export type CellStatus = Status | 'none'

/** Which status a cell shows when several findings meet in it: a violation beats "not verified". */
const CELL_RANK: Record<CellStatus, number> = {
  fail: 0,
  error: 1,
  'not-in-plan': 2,
  warn: 3,
  exempt: 4,
  pass: 5,
  none: 6,
}

export function worst(statuses: Iterable<CellStatus>): CellStatus {
  let w: CellStatus = 'none'
  for (const s of statuses) if (CELL_RANK[s] < CELL_RANK[w]) w = s
  return w
}

export interface MatrixRow {
  region: string
  poolId: string
  poolName?: string
  /** The pool's feature plan (`PLUS` …) and threat-protection mode, for audited pools. */
  tier?: string
  mode?: string
  /** True for a pool the policy names that does not exist. */
  missing: boolean
  /** True for a pool (or, with poolId `*`, every pool of a region) that could not be listed: its
   *  requirements could not be verified. */
  unverified?: boolean
  /** A pool the plan holds (alone or laid over the live account): where it is written and what the
   *  change does to it. Absent for live pools. */
  planned?: { location: SourceLocation; change: PlanChange }
  cells: Record<Requirement, CellStatus>
  findings: Finding[]
}

const matrixOf = new WeakMap<AuditResult, { findings: Finding[]; length: number; rows: MatrixRow[] }>()

/** The matrix of a result, built once: the JSON report, the summary and the terminal report all show
 *  it. The rows are shared: never change them. */
export function buildMatrix(result: AuditResult): MatrixRow[] {
  const seen = matrixOf.get(result)
  if (seen && seen.findings === result.findings && seen.length === result.findings.length) return seen.rows
  const rows = matrixRows(result)
  matrixOf.set(result, { findings: result.findings, length: result.findings.length, rows })
  return rows
}

function matrixRows(result: AuditResult): MatrixRow[] {
  // One pass over the findings: each pool's own and each region's region-level findings, by key, so the
  // matrix costs O(findings + pools) however large the account is.
  const byPool = new Map<string, Finding[]>()
  const regionLevel = new Map<string, Finding[]>()
  for (const f of result.findings) {
    if (f.poolId) push(byPool, f.poolId, f)
    else push(regionLevel, f.region, f)
  }
  const rows: MatrixRow[] = []
  const known = new Set<string>()
  for (const region of result.snapshot.regions) {
    for (const pool of itemsRead(region.cognito.pools)) {
      const own = byPool.get(pool.id) ?? []
      const shared = (regionLevel.get(pool.region) ?? []).filter((f) => concerns(f, pool))
      const all = shared.length === 0 ? [...own] : [...own, ...shared]
      known.add(pool.id)
      rows.push({
        region: pool.region,
        poolId: pool.id,
        poolName: pool.name,
        ...(pool.tier ? { tier: pool.tier } : {}),
        mode: pool.advancedSecurityMode,
        missing: false,
        ...(pool.plan ? { planned: { location: pool.plan.location, change: pool.plan.change } } : {}),
        cells: cellsOf(all),
        findings: all,
      })
    }
  }
  // Findings about pools the snapshot does not have (named but missing).
  for (const [poolId, fs] of byPool) {
    if (known.has(poolId)) continue
    // Verified missing (a violation), or only unverifiable (e.g. not in a saved snapshot).
    const missing = fs.some((f) => f.status === 'fail')
    known.add(poolId)
    rows.push({
      region: fs[0]?.region ?? '',
      poolId,
      missing,
      ...(missing ? {} : { unverified: true }),
      cells: cellsOf(fs),
      findings: fs,
    })
  }
  // Regions whose pools could not be listed: the pools the policy names there (or the region as a
  // whole) get a row too, so what could not be verified shows in the table instead of vanishing.
  for (const region of result.snapshot.regions) {
    if (region.cognito.errors.length === 0 && region.cognito.pools.state === 'loaded') continue
    const named = result.policy.pools.ids.filter((id) => regionOfPoolId(id) === region.region && !known.has(id))
    const ids = named.length > 0 ? named : itemsRead(region.cognito.pools).length === 0 ? ['*'] : []
    const shared = regionLevel.get(region.region) ?? []
    const cells = cellsOf(shared)
    for (const req of REQUIREMENTS) cells[req] = worst([cells[req] ?? 'none', 'error'])
    for (const poolId of ids) {
      rows.push({
        region: region.region,
        poolId,
        missing: false,
        unverified: true,
        cells: { ...cells },
        findings: shared,
      })
    }
  }
  return rows.sort(
    (a, b) => a.region.localeCompare(b.region) || (a.poolName ?? a.poolId).localeCompare(b.poolName ?? b.poolId),
  )
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Whether a region-level finding belongs in this pool's row. An error about one named pool or name
 *  pattern (e.g. "user pool X is not in the saved snapshot") concerns only the pools it names. */
function concerns(f: Finding, pool: { id: string; name: string }): boolean {
  const about = (f.evidence?.awsError as { resource?: string } | undefined)?.resource
  if (f.status !== 'error' || !about) return true
  return matchesPool(about, pool)
}

/** The worst status per requirement, in one pass over the findings (a pass that judged nothing is not shown). */
function cellsOf(findings: Finding[]): Record<Requirement, CellStatus> {
  const cells = Object.fromEntries(REQUIREMENTS.map((req) => [req, 'none'])) as Record<Requirement, CellStatus>
  for (const f of findings) {
    if (f.status === 'pass' && f.notJudged) continue
    const now = cells[f.requirement]
    if (now !== undefined && CELL_RANK[f.status] < CELL_RANK[now]) cells[f.requirement] = f.status
  }
  return cells
}

/** Requirements the policy turned on, in table order. */
export function activeRequirements(result: AuditResult): Requirement[] {
  return REQUIREMENTS.filter((r) => isEnabled(result.policy, r))
}

/** A row's status for a column (`none` when no check of it ran for the pool). */
export function cellOf(row: MatrixRow, requirement: Requirement): CellStatus {
  return row.cells[requirement] ?? 'none'
}

/** Whether a cell is empty because nothing was judged (activity without a threshold), not because
 *  no check ran: the table says "not judged" there instead of "not checked". */
export function notJudged(row: MatrixRow, requirement: Requirement): boolean {
  return cellOf(row, requirement) === 'none' && emptyCellOf(requirement) === 'not-judged'
}
