/**
 * Drift across a merge: the merged report compared with the previous merged report (`merge --baseline`),
 * with the comparison single-account runs use (`compareReports`), one account and region at a time.
 *
 * - The unit is an account and a region: each has exactly one report in a merge (duplicates are
 *   rejected), so each unit keeps the scope its own audit recorded (its checks, its pool selection).
 *   A union of scopes would let one region's checks cover another's and count a violation that was
 *   simply not checked as resolved.
 * - Finding identity includes the account, and units are matched by account: two accounts' pools with
 *   the same id never meet. A report that names no account is matched by its file.
 * - A unit only this merge has (an account added to the matrix): its violations are `uncompared`, so
 *   `fail-on: new-violation` still fails on them. A unit only the baseline has (an account whose report
 *   is missing now): its violations are out of scope, never resolved.
 *
 * Pure: no I/O.
 */
import {
  type ComparableReport,
  type Comparison,
  compareReports,
  type DeltaEntry,
  type DeltaState,
  entryOrder,
  type LastKnown,
  type ReportScope,
  type TrackedFinding,
} from '../baseline/compare.js'
import { findingOf, recordedScope, shownScope } from '../baseline/file.js'
import { InputError } from '../errors.js'

/** One account and region, as compared. */
export interface MergeUnit {
  /** The account's label in the merged report (its id, or the file for a report that names none). */
  account: string
  accountId?: string
  region: string
  collectedAt: string
  scope: ReportScope
  findings: TrackedFinding[]
}

/** A merged report as the comparison sees it: its units by `unitKey`. */
export interface MergedComparable {
  collectedAt: string
  units: Map<string, MergeUnit>
}

export interface MergedDelta {
  comparison: Comparison
  /** Per current finding (`findingKey(account, id)`): its state, first seen and last known state. */
  fields: Map<string, { delta: DeltaState; firstSeen?: string; lastKnown?: LastKnown }>
}

export const unitKey = (account: string, region: string) => `${account}\u0000${region}`
export const findingKey = (account: string, id: string) => `${account}\u0000${id}`

/** What `unitsOf` reads: the shape of a merged report, in memory or parsed from a file. */
export interface MergedShape {
  collectedAt: string
  accounts: ReadonlyArray<{
    label: string
    accountId?: string
    reports: ReadonlyArray<{ regions: string[]; collectedAt?: string; scope?: ReportScope; problem?: string }>
  }>
  findings: ReadonlyArray<TrackedFinding & { account: string }>
  pools: ReadonlyArray<{ account: string; region: string; id: string }>
}

/** The units of a merged report: one per account and region of each report that could be read. */
export function unitsOf(m: MergedShape): MergedComparable {
  const units = new Map<string, MergeUnit>()
  const findings = new Map<string, TrackedFinding[]>()
  for (const f of m.findings) {
    const k = unitKey(f.account, f.region)
    const list = findings.get(k)
    if (list) list.push(f)
    else findings.set(k, [f])
  }
  const pools = new Map<string, string[]>()
  for (const p of m.pools) {
    const k = unitKey(p.account, p.region)
    const list = pools.get(k)
    if (list) list.push(p.id)
    else pools.set(k, [p.id])
  }
  for (const a of m.accounts) {
    for (const r of a.reports) {
      if (r.problem !== undefined) continue
      for (const region of r.regions) {
        const k = unitKey(a.label, region)
        const own = findings.get(k) ?? []
        // A report written before reports recorded their scope covers what it shows.
        const scope = r.scope ?? shownScope([region], own, pools.get(k) ?? [])
        units.set(k, {
          account: a.label,
          ...(a.accountId ? { accountId: a.accountId } : {}),
          region,
          collectedAt: r.collectedAt ?? m.collectedAt,
          scope: { ...scope, regions: [region] },
          findings: own,
        })
      }
    }
  }
  return { collectedAt: m.collectedAt, units }
}

const NOTHING: ReportScope = { regions: [], checks: [] }

function comparable(u: MergeUnit): ComparableReport {
  return {
    kind: 'report',
    collectedAt: u.collectedAt,
    ...(u.accountId ? { accountId: u.accountId } : {}),
    scope: u.scope,
    findings: u.findings,
  }
}

/** An empty side: a unit the other report does not have (its scope covers nothing). */
function absent(other: MergeUnit, collectedAt: string): ComparableReport {
  return {
    kind: 'report',
    collectedAt,
    ...(other.accountId ? { accountId: other.accountId } : {}),
    scope: NOTHING,
    findings: [],
  }
}

function unitName(u: MergeUnit): string {
  return `${u.account} ${u.region}`
}

/** At most three names, then "and N more". */
function some(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
}

export function compareMerged(previous: MergedComparable, current: MergedComparable): MergedDelta {
  const counts = { new: 0, persisting: 0, resolved: 0, unverified: 0, uncompared: 0, outOfScope: 0 }
  const entries: DeltaEntry[] = []
  const fields: MergedDelta['fields'] = new Map()
  // The same note from many units is written once, naming them.
  const notes = new Map<string, string[]>()
  const onlyNow: string[] = []
  const onlyBefore: string[] = []
  const keys = new Set([...current.units.keys(), ...previous.units.keys()])
  for (const k of keys) {
    const cur = current.units.get(k)
    const prev = previous.units.get(k)
    const unit = (cur ?? prev)!
    if (!prev) onlyNow.push(unitName(unit))
    if (!cur) onlyBefore.push(unitName(unit))
    const c = compareReports(
      prev ? comparable(prev) : absent(unit, previous.collectedAt),
      cur ? comparable(cur) : absent(unit, current.collectedAt),
    )
    if (prev && cur) {
      for (const n of c.notes) {
        const list = notes.get(n)
        if (list) list.push(unitName(unit))
        else notes.set(n, [unitName(unit)])
      }
    }
    for (const [state, n] of Object.entries(c.counts)) counts[state as keyof typeof counts] += n
    for (const e of c.entries) {
      const finding = { ...e.finding, account: unit.account }
      entries.push({ ...e, finding })
      if (e.state === 'resolved') continue
      fields.set(findingKey(unit.account, e.finding.id), {
        delta: e.state,
        ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}),
        ...(e.lastKnown ? { lastKnown: e.lastKnown } : {}),
      })
    }
  }
  entries.sort(entryOrder)
  const out: string[] = []
  if (onlyNow.length > 0) {
    out.push(
      `${onlyNow.length} account and region pair${onlyNow.length === 1 ? ' is' : 's are'} not in the baseline (${some(onlyNow)}): ${onlyNow.length === 1 ? 'its' : 'their'} violations are not compared, and fail-on new-violation counts them.`,
    )
  }
  if (onlyBefore.length > 0) {
    out.push(
      `${onlyBefore.length} account and region pair${onlyBefore.length === 1 ? ' of the baseline is' : 's of the baseline are'} not in this merge (${some(onlyBefore)}): ${onlyBefore.length === 1 ? 'its' : 'their'} violations are not counted as resolved.`,
    )
  }
  for (const [n, units] of notes) out.push(units.length === keys.size ? n : `${some(units)}: ${n}`)
  return {
    comparison: {
      baseline: { kind: 'report', collectedAt: previous.collectedAt },
      entries,
      counts,
      notes: out,
      comparable: true,
    },
    fields,
  }
}

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined

/** Parses the report.json a previous merge wrote; `source` names it in the one-line error. */
export function parseMergedBaseline(text: string, source: string): MergedComparable {
  const bad = (why: string) => new InputError(`Baseline ${source}: ${why}`)
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw bad(`not valid JSON (${(err as Error).message}).`)
  }
  if (!isObj(doc)) throw bad('not a JSON object.')
  if (doc.reportVersion !== 1) throw bad('not a report.json of this tool (reportVersion 1).')
  if (doc.kind !== 'merged') {
    throw bad(
      'not a merged report: merge --baseline takes the report.json a previous merge wrote (one account compares with its own report through audit --baseline).',
    )
  }
  if (typeof doc.collectedAt !== 'string') throw bad('collectedAt is missing.')
  if (!Array.isArray(doc.accounts)) throw bad('accounts must be a list.')
  if (!Array.isArray(doc.findings)) throw bad('findings must be a list.')
  const accounts = doc.accounts.map((a, i) => {
    if (!isObj(a) || typeof a.label !== 'string') throw bad(`accounts[${i}].label is missing.`)
    if (!Array.isArray(a.reports)) throw bad(`accounts[${i}].reports must be a list.`)
    return {
      label: a.label,
      ...(typeof a.accountId === 'string' ? { accountId: a.accountId } : {}),
      reports: a.reports.map((r, j) => {
        const regions = isObj(r) ? strings(r.regions) : undefined
        if (!isObj(r) || !regions) throw bad(`accounts[${i}].reports[${j}].regions must be a list of regions.`)
        const scope = recordedScope(r.scope)
        return {
          regions,
          ...(typeof r.collectedAt === 'string' ? { collectedAt: r.collectedAt } : {}),
          ...(scope ? { scope } : {}),
          ...(typeof r.problem === 'string' ? { problem: r.problem } : {}),
        }
      }),
    }
  })
  const findings = doc.findings.map((v, i) => {
    const f = findingOf(v, `findings[${i}]`, source)
    const account = (v as Json).account
    if (typeof account !== 'string') throw bad(`findings[${i}].account is missing.`)
    if (!f.id) throw bad(`findings[${i}].id is missing.`)
    const { evidence: _e, ...rest } = f
    return { ...rest, account }
  })
  const pools = (Array.isArray(doc.pools) ? doc.pools : []).flatMap((p) =>
    isObj(p) && typeof p.account === 'string' && typeof p.region === 'string' && typeof p.id === 'string'
      ? [{ account: p.account, region: p.region, id: p.id }]
      : [],
  )
  return unitsOf({ collectedAt: doc.collectedAt, accounts, findings, pools })
}

/** A violation of the previous merged report that is resolved now, as the merged report.json lists it. */
export type MergedResolved = Omit<TrackedFinding, 'status' | 'message'> & {
  account: string
  firstSeen?: string
  /** What it is now: `pass`, `warn`, `exempt`, or `gone` (no longer reported). */
  now: string
}

/** What `mergedComparison` reads of a merged report (its delta states and its `baseline` section). */
export interface MergedDeltaShape {
  findings: ReadonlyArray<
    TrackedFinding & { account: string; delta?: DeltaState; firstSeen?: string; lastKnown?: LastKnown }
  >
  baseline?: {
    collectedAt: string
    counts: Comparison['counts']
    notes: string[]
    resolved: ReadonlyArray<MergedResolved>
  }
}

/** The comparison a merged report records, for the summary, the terminal and the tracking issue: the
 *  report.json says everything (each finding's state, the resolved ones), so it can be rendered again. */
export function mergedComparison(m: MergedDeltaShape): Comparison | undefined {
  const b = m.baseline
  if (!b) return undefined
  const entries: DeltaEntry[] = []
  for (const f of m.findings) {
    if (!f.delta) continue
    entries.push({
      state: f.delta,
      finding: f,
      ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}),
      ...(f.lastKnown ? { lastKnown: f.lastKnown } : {}),
    })
  }
  for (const r of b.resolved) {
    const { now, ...finding } = r
    entries.push({
      state: 'resolved',
      finding: { ...finding, status: 'fail' },
      resolvedAs: now as NonNullable<DeltaEntry['resolvedAs']>,
      ...(r.firstSeen ? { firstSeen: r.firstSeen } : {}),
    })
  }
  entries.sort(entryOrder)
  return {
    baseline: { kind: 'report', collectedAt: b.collectedAt },
    entries,
    counts: b.counts,
    notes: b.notes,
    comparable: true,
  }
}
