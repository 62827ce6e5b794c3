/**
 * "What to fix", grouped by cause: findings of one check with the same problem (the same message once
 * the pool's own id, name and app-client ids are set aside) form one group with the list of pools, so an
 * account with 1,800 failures from three causes reads as three groups. Root causes come first: a
 * finding that follows from another check's failure on the same pool (a risk alarm on a pool without
 * threat protection) is listed under that failure's group instead of on its own.
 */
import type { Finding, Severity } from '../model/finding.js'

export type FixStatus = 'fail' | 'error' | 'warn'

export interface FixGroup {
  status: FixStatus
  checkId: string
  /** The problem ("Threat protection is off"). */
  title: string
  severity: Severity
  /** The members, in report order; the first one stands for the group (message, remediation). */
  findings: Finding[]
  /** Findings that follow from this group's findings, grouped the same way. */
  consequences: FixGroup[]
}

const STATUS_ORDER: Record<FixStatus, number> = { fail: 0, error: 1, warn: 2 }
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

/** The heading of a finding that does not pass: the problem, not the pass condition. */
export function problemTitle(f: Finding): string {
  const problem = f.failTitle ?? f.title
  return f.status === 'error' ? `Could not verify: ${f.title}` : problem
}

/** Cognito app-client ids: 26 lower-case letters and digits. */
const CLIENT_ID = /\b[a-z0-9]{26}\b/g

/** What makes two findings "the same cause": check, status, resource and the message with the pool's
 *  own identifiers replaced. */
export function causeKey(f: Finding): string {
  const general = (text: string) => {
    let out = text.replace(CLIENT_ID, '<client>')
    if (f.poolId) out = out.replaceAll(f.poolId, '<pool-id>')
    if (f.poolName) out = out.replaceAll(f.poolName, '<pool>')
    return out
  }
  // The resource too: "admin (<client id>)" of 200 pools is one cause, not 200.
  return [f.status, f.checkId, problemTitle(f), general(f.resource ?? ''), general(f.message)].join('\u0000')
}

/** The resource every member of the group names, if they all name the same one. */
export function groupResource(g: FixGroup): string | undefined {
  const first = g.findings[0]?.resource
  return g.findings.every((f) => f.resource === first) ? first : undefined
}

function group(findings: Finding[]): FixGroup[] {
  const byKey = new Map<string, FixGroup>()
  for (const f of findings) {
    if (!(f.status in STATUS_ORDER)) continue
    const key = causeKey(f)
    const g = byKey.get(key)
    if (g) g.findings.push(f)
    else
      byKey.set(key, {
        status: f.status as FixStatus,
        checkId: f.checkId,
        title: problemTitle(f),
        severity: f.severity,
        findings: [f],
        consequences: [],
      })
  }
  return [...byKey.values()].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      b.findings.length - a.findings.length,
  )
}

const groupsOf = new WeakMap<readonly Finding[], { length: number; groups: FixGroup[] }>()

/** `groupFindings`, once per list of findings: the summary and the terminal report group the same
 *  list, and grouping thousands of findings is not free. The groups are shared: never change them. */
export function fixGroups(findings: Finding[]): FixGroup[] {
  const seen = groupsOf.get(findings)
  if (seen && seen.length === findings.length) return seen.groups
  const groups = groupFindings(findings)
  groupsOf.set(findings, { length: findings.length, groups })
  return groups
}

/** The findings a reader must act on, grouped by cause, root causes first with their consequences.
 *  Linear in the findings: roots are looked up by check and pool, consequences bucketed by root group. */
function groupFindings(findings: Finding[]): FixGroup[] {
  const actionable = findings.filter((f) => f.status in STATUS_ORDER)
  const rootKey = (checkId: string, poolId: string) => `${checkId}\u0000${poolId}`
  // The first failing finding of each check and pool, as a scan in report order would find it.
  const roots = new Map<string, Finding>()
  for (const r of actionable) {
    if (r.status !== 'fail' || !r.poolId) continue
    const key = rootKey(r.checkId, r.poolId)
    if (!roots.has(key)) roots.set(key, r)
  }
  const following = new Map<Finding, Finding>()
  for (const f of actionable) {
    const root = f.followsFrom && f.poolId ? roots.get(rootKey(f.followsFrom, f.poolId)) : undefined
    if (root) following.set(f, root)
  }
  const groups = group(actionable.filter((f) => !following.has(f)))
  const groupOf = new Map<Finding, FixGroup>()
  for (const g of groups) for (const f of g.findings) groupOf.set(f, g)
  const consequences = new Map<FixGroup, Finding[]>()
  for (const f of actionable) {
    const root = following.get(f)
    const g = root && groupOf.get(root)
    if (!g) continue
    const list = consequences.get(g)
    if (list) list.push(f)
    else consequences.set(g, [f])
  }
  for (const g of groups) g.consequences = group(consequences.get(g) ?? [])
  return groups
}

export interface GroupSubject {
  poolId?: string
  poolName?: string
  region: string
  /** Set when the group's members name different resources (each pool's own app client). */
  resource?: string
}

const subjectsOf = new WeakMap<FixGroup, GroupSubject[]>()

/** The pools (or regions, for region-level findings) a group is about, in order, without repeats; with
 *  the resource of each when the members' resources differ. Computed once per group (the summary asks for
 *  it several times per group: heading, list, message, remediation label). */
export function groupSubjects(g: FixGroup): GroupSubject[] {
  let subjects = subjectsOf.get(g)
  if (!subjects) {
    subjects = collectSubjects(g)
    subjectsOf.set(g, subjects)
  }
  return subjects
}

function collectSubjects(g: FixGroup): GroupSubject[] {
  const perResource = groupResource(g) === undefined
  const seen = new Set<string>()
  const out: GroupSubject[] = []
  for (const f of g.findings) {
    const where = f.poolId ?? `region:${f.region}`
    const key = perResource ? `${where}\u0000${f.resource ?? ''}` : where
    if (seen.has(key)) continue
    seen.add(key)
    out.push({
      ...(f.poolId ? { poolId: f.poolId } : {}),
      ...(f.poolName ? { poolName: f.poolName } : {}),
      region: f.region,
      ...(perResource && f.resource ? { resource: f.resource } : {}),
    })
  }
  return out
}
