/**
 * The CLI's readable report (pure: returns text). Colour only when asked. Every value from the account or
 * the policy is shown with hidden characters escaped (`visible`): only this renderer writes escape sequences.
 */
import type { AuditResult } from '../audit.js'
import { labelOf } from '../checks/index.js'
import type { Finding, Status } from '../model/finding.js'
import { visible, visibleLines } from '../model/quote.js'
import { renderActivityText } from './activity.js'
import { activeRequirements, buildMatrix, type CellStatus, cellOf, type MatrixRow } from './matrix.js'
import { findingsToFix, headline } from './verdict.js'

const MARK: Record<CellStatus, string> = {
  pass: 'ok',
  fail: 'FAIL',
  error: 'ERROR',
  warn: 'warn',
  exempt: 'exempt',
  none: '-',
}
const COLOUR: Record<CellStatus, number> = { pass: 32, fail: 31, error: 33, warn: 33, exempt: 36, none: 90 }

export function renderTerminal(result: AuditResult, opts: { color: boolean }): string {
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

  const rows = buildMatrix(result)
  const nameWidth = Math.min(96, Math.max(9, ...rows.map((r) => label(r).length)))
  const colWidth = Math.max(...reqs.map((q) => labelOf(q).length)) + 2
  out.push(
    ['User pool'.padEnd(nameWidth), 'Region'.padEnd(15), ...reqs.map((q) => labelOf(q).padEnd(colWidth))].join(' '),
  )
  for (const r of rows) {
    const cells = reqs.map((q) => paint(cellOf(r, q), MARK[cellOf(r, q)].padEnd(colWidth)))
    out.push([fitWidth(label(r), nameWidth), visible(r.region).padEnd(15), ...cells].join(' '))
  }

  if (result.policy.activity.enabled) {
    const activity = renderActivityText(result.snapshot, result.policy)
    if (activity.trim()) out.push('', bold('Activity'), visibleLines(activity.replace(/\n+$/, '')))
  }

  const failing = findingsToFix(result.findings)
  if (failing.length > 0) {
    out.push('', bold('What to fix'))
    for (const f of failing) {
      out.push('', `${paint(f.status, MARK[f.status])} [${f.checkId}] ${subject(f)}`)
      out.push(`  ${visible(f.message)}`)
      if (f.remediation) out.push(...f.remediation.split('\n').map((l) => `  | ${visible(l)}`))
    }
  }
  const exempt = result.findings.filter((f) => f.status === 'exempt')
  if (exempt.length > 0) {
    out.push('', bold('Exempt (accepted by the policy)'))
    for (const f of exempt) {
      const until = f.exemption?.expires ? `until ${f.exemption.expires}` : 'no expiry'
      out.push(`  [${f.checkId}] ${subject(f)}: ${visible(f.exemption?.reason ?? '')} (${visible(until)})`)
    }
  }
  const c = result.counts
  const h = headline(result)
  out.push(
    '',
    `${c.fail} violations · ${c.error} not verified · ${c.warn} advisory · ${c.exempt} exempt · ${c.pass} passed`,
    bold(`${h.icon} ${h.text}`),
  )
  return `${out.join('\n')}\n`
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
