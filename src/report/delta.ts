/**
 * The delta against a baseline, as Markdown: a headline ("2 new, 1 resolved, 14 persisting since
 * 2026-12-06"), new findings first and marked, findings that could not be verified with their last
 * known state, resolved ones listed once, persisting ones collapsed with "first seen". Used by the
 * job summary and the tracking issue. Every name from AWS or the policy is escaped.
 */
import type { Comparison, DeltaEntry, TrackedFinding } from '../baseline/compare.js'
import { accountName, code, details, esc, table } from './markdown.js'

export function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : 'unknown'
}

/** Plain text: `2 new, 1 resolved, 14 persisting since 2026-12-06` (+ unverified / not compared). */
export function deltaHeadline(c: Comparison): string {
  const n = c.counts
  const what = c.baseline.kind === 'baseline' ? 'the committed baseline of' : ''
  const since = `since ${what ? `${what} ` : ''}${day(c.baseline.collectedAt)}`
  if (!c.comparable) return `Not compared: the baseline is from another account (${since})`
  const parts = [`${n.new} new`, `${n.resolved} resolved`, `${n.persisting} persisting ${since}`]
  if (n.unverified > 0) parts.push(`${n.unverified} could not be verified`)
  if (n.uncompared > 0) parts.push(`${n.uncompared} not compared`)
  return parts.join(', ')
}

/** Where a finding is: its pool (name and id) or region, and in a merged report its account. */
export function where(f: TrackedFinding): string {
  const pool = !f.poolId
    ? `${esc(f.region)} (region)`
    : f.poolName
      ? `${esc(f.poolName)} ${code(f.poolId)}`
      : code(f.poolId)
  // A merged report's finding names its account (an id, or the report file of one that names none).
  if (f.account === undefined) return pool
  return `${pool} in account ${accountName(f.account)}`
}

function subject(f: TrackedFinding): string {
  return f.resource ? `${esc(f.title)}: ${esc(f.resource)}` : esc(f.title)
}

function lastKnownText(e: DeltaEntry): string {
  const k = e.lastKnown
  if (!k || k.status === 'unknown') return 'not known'
  if (k.status === 'fail') return `failing (first seen ${day(k.firstSeen)})`
  return `passing (${day(k.at)})`
}

const RESOLVED_AS: Record<NonNullable<DeltaEntry['resolvedAs']>, string> = {
  pass: 'passes now',
  warn: 'only a warning now',
  exempt: 'exempted',
  gone: 'no longer reported',
}

/** The delta as Markdown. `maxRows` caps each table (the rest is counted, never hidden silently). */
export function renderDelta(c: Comparison, opts: { maxRows?: number } = {}): string {
  const max = opts.maxRows ?? 200
  const of = (state: DeltaEntry['state']) => c.entries.filter((e) => e.state === state)
  const capped = (rows: string[][], total: number) =>
    total > rows.length ? `\n\n…and ${total - rows.length} more (all of them are in report.json).` : ''
  const out: string[] = [`**${esc(deltaHeadline(c))}.**`]
  if (c.notes.length > 0) out.push(c.notes.map((n) => `> ${esc(n)}`).join('\n>\n'))

  const fresh = of('new')
  if (fresh.length > 0) {
    const rows = fresh
      .slice(0, max)
      .map((e) => [
        '**new**',
        esc(e.finding.severity),
        where(e.finding),
        subject(e.finding),
        esc(e.finding.message ?? ''),
      ])
    out.push(
      `#### New violations\n\n${table(['', 'Severity', 'Pool', 'Check', 'Finding'], rows)}${capped(rows, fresh.length)}`,
    )
  }
  const unverified = of('unverified')
  if (unverified.length > 0) {
    const rows = unverified
      .slice(0, max)
      .map((e) => [where(e.finding), subject(e.finding), lastKnownText(e), esc(e.finding.message ?? '')])
    out.push(
      `#### Could not be verified this run (neither new nor resolved)\n\n${table(['Pool', 'Check', 'Last known', 'Why'], rows)}${capped(rows, unverified.length)}`,
    )
  }
  const resolved = of('resolved')
  if (resolved.length > 0) {
    const lines = resolved
      .slice(0, max)
      .map(
        (e) =>
          `- ${where(e.finding)}: ${subject(e.finding)} — ${RESOLVED_AS[e.resolvedAs ?? 'pass']} (first seen ${day(e.firstSeen)})`,
      )
    out.push(
      `#### Resolved since ${esc(day(c.baseline.collectedAt))}\n\n${lines.join('\n')}${resolved.length > max ? `\n\n…and ${resolved.length - max} more.` : ''}`,
    )
  }
  const persisting = of('persisting')
  if (persisting.length > 0) {
    const rows = persisting
      .slice(0, max)
      .map((e) => [esc(e.finding.severity), where(e.finding), subject(e.finding), esc(day(e.firstSeen))])
    out.push(
      details(
        `${persisting.length} persisting violation${persisting.length === 1 ? '' : 's'}`,
        `${table(['Severity', 'Pool', 'Check', 'First seen'], rows)}${capped(rows, persisting.length)}`,
      ),
    )
  }
  const uncompared = of('uncompared')
  if (uncompared.length > 0) {
    const rows = uncompared.slice(0, max).map((e) => [esc(e.finding.severity), where(e.finding), subject(e.finding)])
    out.push(
      details(
        `${uncompared.length} violation${uncompared.length === 1 ? '' : 's'} outside what the baseline covered`,
        `${table(['Severity', 'Pool', 'Check'], rows)}${capped(rows, uncompared.length)}`,
      ),
    )
  }
  return out.join('\n\n')
}
