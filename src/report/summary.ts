/**
 * The job summary, as GitHub-flavoured Markdown (pure: returns a string).
 * Order: headline → pools × requirements table → activity → failing findings with
 * remediation → collapsed "what was checked and how". Stays under GitHub's 1 MiB step
 * limit by degrading: full → failures only → counts.
 */
import type { AuditResult, FailOn } from '../audit.js'
import { labelOf, methodLines } from '../checks/index.js'
import type { Finding } from '../model/finding.js'
import { renderActivityMarkdown } from './activity.js'
import { code, details, esc, fenced, plural, table } from './markdown.js'
import { activeRequirements, buildMatrix, cellOf, type MatrixRow } from './matrix.js'
import { findingsToFix, headline, STATUS_ICON } from './verdict.js'

/** GitHub drops step summaries over 1 MiB; keep a margin for what other steps append. */
export const MAX_SUMMARY_BYTES = 1024 * 1024 - 16 * 1024

/** Each level drops more, to stay under the limit: full (everything) → compact (activity as one overview
 *  table per region; the method section stays) → failures (failing pools only, activity overview, every
 *  failing finding with its remediation) → brief (the same, each finding one line; remediation in the JSON
 *  report) → counts (the verdict and counts). */
export type SummaryLevel = 'full' | 'compact' | 'failures' | 'brief' | 'counts'

export interface SummaryOptions {
  failOn: FailOn
  /** Where the JSON report was written, to point readers at it when the summary is cut. */
  reportPath?: string
  maxBytes?: number
}

export const SUMMARY_LEVELS: readonly SummaryLevel[] = ['full', 'compact', 'failures', 'brief', 'counts']

export function renderSummary(result: AuditResult, opts: SummaryOptions): { markdown: string; level: SummaryLevel } {
  return fitSummary((level) => render(result, opts, level), opts.maxBytes)
}

/** The first level, from full to counts, whose Markdown stays under `maxBytes`; counts when none does. */
export function fitSummary(
  render: (level: SummaryLevel) => string,
  maxBytes = MAX_SUMMARY_BYTES,
): { markdown: string; level: SummaryLevel } {
  for (const level of SUMMARY_LEVELS.slice(0, -1)) {
    const md = render(level)
    if (Buffer.byteLength(md) <= maxBytes) return { markdown: md, level }
  }
  return { markdown: render('counts'), level: 'counts' }
}

/** The note a shortened summary starts with. */
export function shortenedNote(level: Exclude<SummaryLevel, 'full'>, reportPath: string | undefined): string {
  const where = reportPath ? ` See the JSON report (${code(reportPath)}) for everything.` : ''
  const to = {
    compact: 'an activity overview',
    failures: 'failures only',
    brief: 'one line per failure',
    counts: 'counts',
  }[level]
  return `> [!NOTE]\n> This summary was shortened to ${to} to stay under GitHub's 1 MiB limit.${where}`
}

function render(result: AuditResult, opts: SummaryOptions, level: SummaryLevel): string {
  const h = headline(result)
  const parts: string[] = ['## Cognito compliance audit', `### ${h.icon} ${esc(h.text)}`]
  if (level !== 'full') parts.push(shortenedNote(level, opts.reportPath))
  parts.push(countsLine(result.counts))
  if (level === 'counts') return `${parts.join('\n\n')}\n`

  parts.push(matrixTable(result, level))
  if (result.policy.activity.enabled) {
    const activity = renderActivityMarkdown(result.snapshot, result.policy, level !== 'full')
    if (activity.trim()) parts.push('### Activity', activity.trimEnd())
  }
  const failing = findingsToFix(result.findings)
  if (failing.length > 0) {
    parts.push(
      '### What to fix',
      ...(level === 'brief' ? [failing.map(findingLine).join('\n')] : failing.map(findingDetails)),
    )
  }
  const exempt = result.findings.filter((f) => f.status === 'exempt' || f.exemption?.expired)
  if (exempt.length > 0 && level === 'full') parts.push(exemptionsSection(exempt))
  if (level === 'full' || level === 'compact') parts.push(methodSection(result, opts))
  return `${parts.join('\n\n')}\n`
}

/** `❌ 2 violations · ⚠️ 1 not verified · …` */
export function countsLine(c: Pick<AuditResult['counts'], 'fail' | 'error' | 'warn' | 'exempt' | 'pass'>): string {
  return [
    `${STATUS_ICON.fail} ${plural(c.fail, 'violation')}`,
    `${STATUS_ICON.error} ${c.error} not verified`,
    `${STATUS_ICON.warn} ${c.warn} advisory`,
    `${STATUS_ICON.exempt} ${c.exempt} exempt`,
    `${STATUS_ICON.pass} ${c.pass} passed`,
  ].join(' · ')
}

export function poolLabel(row: Omit<MatrixRow, 'cells' | 'findings'>): string {
  if (row.missing) return `${code(row.poolId)} (not found)`
  if (row.unverified) return row.poolId === '*' ? 'every pool (not verified)' : `${code(row.poolId)} (not verified)`
  const plan = [
    row.tier ? `${row.tier[0]}${row.tier.slice(1).toLowerCase()} plan` : '',
    row.mode ? `threat protection ${row.mode}` : '',
  ]
    .filter(Boolean)
    .join(' · ')
  return `${esc(row.poolName ?? row.poolId)}<br>${code(row.poolId)}${plan ? `<br><sub>${esc(plan)}</sub>` : ''}`
}

function matrixTable(result: AuditResult, level: SummaryLevel): string {
  const reqs = activeRequirements(result)
  let rows = buildMatrix(result)
  if (level === 'failures' || level === 'brief')
    rows = rows.filter((r) => reqs.some((q) => cellOf(r, q) !== 'pass' && cellOf(r, q) !== 'none'))
  if (rows.length === 0) {
    return level === 'full' || level === 'compact'
      ? '_No user pools were audited._'
      : '_Every audited pool passes every requirement._'
  }
  return `${table(
    ['User pool', 'Region', ...reqs.map((r) => labelOf(r))],
    rows.map((r) => [poolLabel(r), code(r.region), ...reqs.map((q) => STATUS_ICON[cellOf(r, q)])]),
    ['left', 'left', ...reqs.map(() => 'center' as const)],
  )}\n\n${MATRIX_LEGEND}`
}

export const MATRIX_LEGEND = `<sub>${STATUS_ICON.pass} pass · ${STATUS_ICON.fail} violation · ${STATUS_ICON.error} could not be verified · ${STATUS_ICON.warn} advisory · ${STATUS_ICON.exempt} exempt · ${STATUS_ICON.none} not checked</sub>`

function subject(f: Finding): string {
  if (f.poolId) return `${f.poolName ? `${esc(f.poolName)} ` : ''}${code(f.poolId)}`
  return `every pool in ${code(f.region)}`
}

function findingDetails(f: Finding): string {
  const icon = STATUS_ICON[f.status]
  const head = `#### ${icon} ${esc(f.title)}: ${subject(f)}`
  const meta = `<sub>check ${code(f.checkId)} · severity ${f.severity} · ${code(f.region)}${f.resource ? ` · ${code(f.resource)}` : ''}</sub>`
  const body = [head, meta, esc(f.message)]
  if (f.remediation) body.push(details('Remediation', fenced(f.remediation)))
  return body.join('\n\n')
}

function findingLine(f: Finding): string {
  return `- ${STATUS_ICON[f.status]} ${code(f.checkId)} ${subject(f)}: ${esc(f.message)}`
}

function exemptionsSection(fs: Finding[]): string {
  const rows = fs.map((f) => [
    f.exemption?.expired ? `${STATUS_ICON.fail} expired` : STATUS_ICON.exempt,
    f.poolId ? code(f.poolId) : code(f.region),
    `${code(f.checkId)}${f.resource ? ` ${code(f.resource)}` : ''}`,
    esc(f.exemption?.reason ?? ''),
    esc(f.exemption?.expires ?? 'never'),
  ])
  return details(
    `Findings covered by an exemption (${fs.length})`,
    table(['', 'Pool', 'Check', 'Reason', 'Expires'], rows),
  )
}

function methodSection(result: AuditResult, opts: SummaryOptions): string {
  const p = result.policy
  const calls = Object.entries(result.calls)
  const lines = [
    `- Policy: ${code(p.source)}; regions ${p.regions.map(code).join(', ') || '—'}; gate ${code(`fail-on: ${opts.failOn}`)}.`,
    `- Pools: ${p.pools.all ? 'every pool in the listed regions' : [...p.pools.ids.map(code), ...p.pools.names.map((n) => `name ${code(n)}`)].join(', ')}.`,
    `- Snapshot collected ${code(result.snapshot.collectedAt)}${calls.length ? ` with ${calls.reduce((n, [, c]) => n + c, 0)} read-only API calls (${calls.map(([k, v]) => `${esc(k)} ×${v}`).join(', ')})` : ' (saved snapshot: no AWS calls)'}.`,
  ]
  for (const m of methodLines(p)) {
    lines.push(`- ${m.label}: ${m.parts.map((x) => (typeof x === 'string' ? esc(x) : code(x.code))).join('')}.`)
  }
  if (opts.reportPath) lines.push(`- Full results: ${code(opts.reportPath)}.`)
  return details('What was checked and how', lines.join('\n'))
}
