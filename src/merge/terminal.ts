/**
 * The CLI's readable text of a merged report (pure): the accounts, then what to fix, then the verdict.
 * Every value from a report is shown with hidden characters escaped (`visible`).
 */
import { visible } from '../model/quote.js'
import { deltaLines } from '../report/terminal.js'
import { findingsToFix } from '../report/verdict.js'
import { mergedComparison } from './delta.js'
import type { MergedReport } from './merge.js'
import { mergedHeadline } from './summary.js'

/** At most this many findings to fix are listed; the JSON report has all of them. */
const MAX_LINES = 50

export function renderMergedTerminal(m: MergedReport): string {
  const out = [`Cognito compliance audit: ${m.accounts.length} accounts merged`, '']
  for (const n of m.notes) out.push(`Note: ${visible(n)}`, '')
  const labels = new Map(m.accounts.map((a) => [a, visible(a.label)]))
  const width = Math.max(7, ...[...labels.values()].map((l) => l.length))
  out.push(`${'Account'.padEnd(width)}  Pools  Violations  Errors  Verdict`)
  for (const a of m.accounts) {
    const problem = a.reports.find((r) => r.problem)?.problem
    out.push(
      `${labels.get(a)!.padEnd(width)}  ${String(a.pools).padStart(5)}  ${String(a.violations).padStart(10)}  ${String(a.errors).padStart(6)}  ${a.status}${problem ? `: ${visible(problem)}` : ''}`,
    )
  }
  const failing = findingsToFix(m.findings)
  if (failing.length > 0) {
    out.push('', 'What to fix')
    for (const f of failing.slice(0, MAX_LINES)) {
      const who = f.poolId ? `${f.poolName ?? ''} ${f.poolId}`.trim() : `every pool in ${f.region}`
      out.push(
        `  ${f.status.toUpperCase()} [${visible(f.checkId)}] ${visible(f.account)}: ${visible(who)}: ${visible(f.message)}`,
      )
    }
    if (failing.length > MAX_LINES) out.push(`  … and ${failing.length - MAX_LINES} more (see the JSON report)`)
  }
  const comparison = mergedComparison(m)
  if (comparison && m.baseline)
    out.push('', ...deltaLines(comparison, m.baseline.source, undefined, undefined, MAX_LINES))
  const v = m.verdict
  const h = mergedHeadline(m)
  out.push(
    '',
    `${v.violations} violations · ${v.errors} not verified · ${v.warnings} advisory · ${v.exempt} exempt · ${v.passed} passed`,
    `${h.icon} ${visible(h.text)}`,
  )
  return `${out.join('\n')}\n`
}
