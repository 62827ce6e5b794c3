/**
 * The CLI's readable report (pure: returns text). Colour only when asked. Every value from the account or
 * the policy is shown with hidden characters escaped (`visible`): only this renderer writes escape sequences.
 */
import type { AuditResult } from '../audit.js'
import type { Comparison, TrackedFinding } from '../baseline/compare.js'
import { labelOf } from '../checks/index.js'
import type { Finding, Status } from '../model/finding.js'
import { visible, visibleLines } from '../model/quote.js'
import { renderActivityText } from './activity.js'
import { day, deltaHeadline } from './delta.js'
import { type FixGroup, fixGroups, problemTitle } from './fix-groups.js'
import { activeRequirements, buildMatrix, type CellStatus, cellOf, type MatrixRow, notJudged } from './matrix.js'
import { headline } from './verdict.js'

const MARK: Record<CellStatus, string> = {
  pass: 'ok',
  fail: 'FAIL',
  error: 'ERROR',
  warn: 'warn',
  exempt: 'exempt',
  'not-in-plan': 'NOT IN PLAN',
  none: '-',
}
const COLOUR: Record<CellStatus, number> = {
  pass: 32,
  fail: 31,
  error: 33,
  warn: 33,
  exempt: 36,
  'not-in-plan': 35,
  none: 90,
}

export interface TerminalOptions {
  color: boolean
  /** Full remediation per finding (CLI, CloudFormation, CDK); otherwise one fix command each. */
  details?: boolean
}

export function renderTerminal(result: AuditResult, opts: TerminalOptions): string {
  const paint = (s: CellStatus | Status, text: string) => (opts.color ? `\x1b[${COLOUR[s]}m${text}\x1b[0m` : text)
  const bold = (text: string) => (opts.color ? `\x1b[1m${text}\x1b[0m` : text)
  const out: string[] = []
  const reqs = activeRequirements(result)
  out.push(
    bold(
      `Cognito compliance audit (policy ${visible(result.policy.source)}, collected ${visible(result.snapshot.collectedAt)})`,
    ),
    '',
  )
  const c = result.counts
  const h = headline(result)
  out.push(
    bold(`${h.icon} ${h.text}`),
    `${c.fail} violations · ${c.error} not verified · ${c.warn} advisory · ${c.exempt} exempt · ${c.pass} passed`,
    '',
  )

  const rows = buildMatrix(result)
  const nameWidth = Math.min(96, Math.max(9, ...rows.map((r) => label(r).length)))
  const colWidth = Math.max(...reqs.map((q) => labelOf(q).length)) + 2
  out.push(
    ['User pool'.padEnd(nameWidth), 'Region'.padEnd(15), ...reqs.map((q) => labelOf(q).padEnd(colWidth))].join(' '),
  )
  for (const r of rows) {
    const mark = (q: (typeof reqs)[number]) => (notJudged(r, q) ? 'not judged' : MARK[cellOf(r, q)])
    const cells = reqs.map((q) => paint(cellOf(r, q), mark(q).padEnd(colWidth)))
    out.push([fitWidth(label(r), nameWidth), visible(r.region).padEnd(15), ...cells].join(' '))
  }

  // Root causes first, each followed by what follows from it (the summary's grouping, one line each).
  const flatten = (gs: FixGroup[]): Finding[] => gs.flatMap((g) => [...g.findings, ...flatten(g.consequences)])
  const failing = flatten(fixGroups(result.findings))
  const notes: string[] = []
  if (failing.length > 0) {
    out.push('', bold('What to fix'))
    for (const f of failing) {
      const follows = f.followsFrom ? ` (follows from ${f.followsFrom})` : ''
      out.push(
        `${paint(f.status, MARK[f.status])} [${f.checkId}] ${subject(f)}: ${visible(problemTitle(f))}${follows}. ${visible(f.message)}`,
      )
      const { steps, notes: own } = splitRemediation(f.remediation)
      for (const n of own) if (!notes.includes(n)) notes.push(n)
      if (opts.details) out.push(...steps.map((l) => `  | ${visible(l)}`))
      else {
        const fix = fixCommand(steps)
        if (fix) out.push(`  fix: ${visible(fix)}`)
      }
    }
    if (!opts.details && failing.some((f) => f.remediation)) {
      out.push('', 'Run with --details for the full remediation (CLI, CloudFormation, CDK) of each finding.')
    }
    if (notes.length > 0) {
      out.push('', bold('Notes'))
      for (const n of notes) out.push(`- ${visible(n)}`)
    }
  }

  if (result.policy.activity.enabled) {
    const activity = renderActivityText(result.snapshot, result.policy)
    if (activity.trim()) out.push('', bold('Activity'), visibleLines(activity.replace(/\n+$/, '')))
  }

  const exempt = result.findings.filter((f) => f.status === 'exempt')
  if (exempt.length > 0) {
    out.push('', bold('Exempt (accepted by the policy)'))
    for (const f of exempt) {
      const until = f.exemption?.expires ? `until ${f.exemption.expires}` : 'no expiry'
      out.push(`  [${f.checkId}] ${subject(f)}: ${visible(f.exemption?.reason ?? '')} (${visible(until)})`)
    }
  }
  if (result.baseline) out.push('', ...deltaLines(result.baseline.comparison, result.baseline.source, paint, bold))
  return `${out.join('\n')}\n`
}

/** The delta against a baseline as text lines: a heading, the headline, notes, then each new, resolved and
 *  still-failing unverified finding (the account too, in a merged report). Persisting ones are counted only. */
export function deltaLines(
  cmp: Comparison,
  source: string,
  paint: (s: Status, text: string) => string = (_s, t) => t,
  bold: (text: string) => string = (t) => t,
  /** At most this many finding lines; the rest are counted. */
  max = Number.POSITIVE_INFINITY,
): string[] {
  const out = [bold(`Since the baseline (${visible(source)})`), `  ${visible(deltaHeadline(cmp))}`]
  for (const n of cmp.notes) out.push(`  note: ${visible(n)}`)
  const what = (f: TrackedFinding) =>
    visible(
      `[${f.checkId}] ${f.account !== undefined ? `${f.account}: ` : ''}${f.poolId ? `${f.poolName ?? ''} ${f.poolId}`.trim() : `every pool in ${f.region}`}${f.resource ? ` (${f.resource})` : ''}`,
    )
  let shown = 0
  let more = 0
  for (const e of cmp.entries) {
    const listed =
      e.state === 'new' || e.state === 'resolved' || (e.state === 'unverified' && e.lastKnown?.status === 'fail')
    if (!listed) continue
    if (shown++ >= max) {
      more++
      continue
    }
    if (e.state === 'new') out.push(`  ${paint('fail', 'NEW')}       ${what(e.finding)}`)
    else if (e.state === 'resolved')
      out.push(`  ${paint('pass', 'RESOLVED')}  ${what(e.finding)} (first seen ${day(e.firstSeen)})`)
    else out.push(`  ${paint('error', 'UNVERIFIED')} ${what(e.finding)} (failing since ${day(e.firstSeen)})`)
  }
  if (more > 0) out.push(`  … and ${more} more (see the JSON report)`)
  return out
}

/** What a finding is about: the pool (or every pool of the region) and the narrower resource. */
function subject(f: Finding): string {
  const who = f.poolId ? `${f.poolName ?? ''} ${f.poolId}`.trim() : `every pool in ${f.region}`
  return visible(`${who}${f.resource ? ` (${f.resource})` : ''}`)
}

/** Pads to `width`; a longer label loses the end of the pool name, never the id. */
function fitWidth(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width)
  const id = text.slice(text.lastIndexOf(' ('))
  return `${text.slice(0, Math.max(1, width - id.length - 1))}…${id}`.slice(0, width).padEnd(width)
}

function label(r: MatrixRow): string {
  const id = visible(r.poolId)
  if (r.unverified) return r.poolId === '*' ? 'every pool (not verified)' : `${id} (not verified)`
  return r.missing ? `${id} (not found)` : `${visible(r.poolName ?? '')} (${id})`
}

/** A remediation's steps, and its explanatory notes ("Note: …", "Warning: …"), which a run prints once. */
export function splitRemediation(remediation: string | undefined): { steps: string[]; notes: string[] } {
  const steps: string[] = []
  const notes: string[] = []
  for (const line of (remediation ?? '').split('\n')) {
    if (/^(Note|Warning):\s/.test(line)) notes.push(line)
    else if (line.trim()) steps.push(line)
  }
  return { steps, notes }
}

/** The first AWS CLI command of a remediation, on one line (continuation backslashes joined). */
export function fixCommand(steps: string[]): string | undefined {
  const start = steps.findIndex((l) => /^(CLI:\s*)?aws\s/.test(l.trim()))
  if (start < 0) return steps[0]
  const parts: string[] = []
  for (let i = start; i < steps.length; i++) {
    const line = steps[i]!.trim().replace(/^CLI:\s*/, '')
    const more = line.endsWith('\\')
    parts.push(more ? line.slice(0, -1).trim() : line)
    if (!more) break
  }
  return parts.join(' ')
}
