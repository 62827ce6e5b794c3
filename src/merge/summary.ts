/**
 * The job summary of a merged report (pure: returns a string). Order: headline → notes on differing
 * reports → accounts table → pools × requirements grouped by account → activity overview per account and
 * region → what to fix → exemptions → collapsed "what was merged". Held under GitHub's 1 MiB step limit
 * by the same steps as one account's summary: full → compact (activity as one line per account and
 * region) → failures (failing pools only) → brief (one line per failure) → counts (the accounts table of
 * the accounts that are not compliant).
 */

import type { Comparison } from '../baseline/compare.js'
import { formatChange, formatCount, formatRate } from '../checks/activity/format.js'
import { REQUIREMENTS } from '../checks/index.js'
import type { Requirement } from '../model/finding.js'
import { riskDetections, windowLine } from '../report/activity.js'
import { accountName, code, details, esc, fenced, plural, table } from '../report/markdown.js'
import {
  Assembly,
  countsLine,
  deltaSection,
  emptyPoolsText,
  exemptionsSection,
  fitSummary,
  MATRIX_LEGEND,
  MAX_SUMMARY_BYTES,
  type PoolsTableRow,
  poolLabel,
  poolsTable,
  type SummaryLevel,
  shortenedNote,
} from '../report/summary.js'
import { findingsToFix, STATUS_ICON } from '../report/verdict.js'
import { mergedComparison } from './delta.js'
import type { AccountStatus, MergedAccount, MergedActivity, MergedFinding, MergedPool, MergedReport } from './merge.js'

export interface MergedSummaryOptions {
  /** Where the merged JSON report was written, to point readers at it when the summary is cut. */
  reportPath?: string
  maxBytes?: number
}

export function renderMergedSummary(
  merged: MergedReport,
  opts: MergedSummaryOptions = {},
): { markdown: string; level: SummaryLevel } {
  // Grouped once, not once per level.
  const view = viewOf(merged)
  return fitSummary((level) => render(merged, view, opts, level), opts.maxBytes ?? MAX_SUMMARY_BYTES)
}

interface View {
  poolsByAccount: Map<string, MergedPool[]>
  activityByAccount: Map<string, MergedActivity[]>
  requirements: Requirement[]
  failing: MergedFinding[]
  comparison: Comparison | undefined
}

function group<T extends { account: string }>(items: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const it of items) {
    const list = m.get(it.account)
    if (list) list.push(it)
    else m.set(it.account, [it])
  }
  return m
}

function viewOf(m: MergedReport): View {
  const used = new Set<string>()
  for (const p of m.pools) for (const [req, cell] of Object.entries(p.requirements)) if (cell !== 'none') used.add(req)
  return {
    poolsByAccount: group(m.pools),
    activityByAccount: group(m.activity),
    requirements: REQUIREMENTS.filter((r) => r === 'threat-protection' || used.has(r)),
    failing: findingsToFix(m.findings),
    comparison: mergedComparison(m),
  }
}

export function mergedHeadline(m: MergedReport): { icon: string; text: string } {
  const v = m.verdict
  const scope = `${plural(v.accounts, 'account')} (${plural(v.pools, 'user pool')})`
  const count = (s: AccountStatus) => m.accounts.filter((a) => a.status === s).length
  const gaps = [
    count('not verified') > 0 ? `${plural(count('not verified'), 'account')} not fully verified` : '',
    v.reportsMissing > 0 ? `${plural(v.reportsMissing, 'expected report')} missing` : '',
    v.reportsUnreadable > 0 ? `${plural(v.reportsUnreadable, 'report')} unreadable` : '',
  ].filter(Boolean)
  if (v.violations > 0) {
    return {
      icon: '❌',
      text: `${plural(v.violations, 'violation')} in ${count('violations')} of ${scope}${gaps.length ? `; ${gaps.join(', ')}` : ''}`,
    }
  }
  if (v.errors > 0) return { icon: '⚠️', text: `No violations found in ${scope}, but ${gaps.join(', ')}` }
  if (v.accounts === 0) return { icon: '⚠️', text: 'No reports were merged' }
  return { icon: '✅', text: `Compliant: ${scope} ${v.accounts === 1 ? 'meets' : 'meet'} the policy` }
}

function render(m: MergedReport, view: View, opts: MergedSummaryOptions, level: SummaryLevel): string | undefined {
  const h = mergedHeadline(m)
  // Assembled as an account's summary is: a level stops as soon as it cannot fit.
  const out = new Assembly(level === 'counts' ? Number.POSITIVE_INFINITY : (opts.maxBytes ?? MAX_SUMMARY_BYTES))
  out.add('## Cognito compliance audit', `### ${h.icon} ${esc(h.text)}`)
  if (level !== 'full') out.add(shortenedNote(level, opts.reportPath))
  if (m.notes.length > 0) out.add(`> [!NOTE]\n${m.notes.map((n) => `> ${esc(n)}`).join('\n>\n')}`)
  const v = m.verdict
  out.add(countsLine({ fail: v.violations, error: v.errors, warn: v.warnings, exempt: v.exempt, pass: v.passed }))
  if (view.comparison && m.baseline) {
    if (!out.add(deltaSection({ comparison: view.comparison, source: m.baseline.source }, level))) return undefined
  }
  if (!out.add('### Accounts', accountsTable(m.accounts, level === 'counts'))) return undefined
  if (level === 'counts') return out.text()

  if (!out.add('### User pools', poolsSection(m, view, level))) return undefined
  if (m.activity.length > 0 && !out.add('### Activity', activitySection(m, view, level))) return undefined
  if (view.failing.length > 0) {
    const fix = level === 'brief' ? [view.failing.map(findingLine).join('\n')] : view.failing.map(findingDetails)
    if (!out.add('### What to fix', ...fix)) return undefined
  }
  const exempt = m.findings.filter((f) => f.status === 'exempt' || f.exemption?.expired)
  if (exempt.length > 0 && level === 'full' && !out.add(exemptionsSection(exempt, (f) => f.account))) return undefined
  if ((level === 'full' || level === 'compact') && !out.add(methodSection(m, opts))) return undefined
  return out.text()
}

const ACCOUNT_STATUS: Record<AccountStatus, string> = {
  compliant: `${STATUS_ICON.pass} compliant`,
  violations: `${STATUS_ICON.fail} violations`,
  'not verified': `${STATUS_ICON.error} not verified`,
  'report missing': `${STATUS_ICON.error} report missing`,
  'report unreadable': `${STATUS_ICON.error} report unreadable`,
}

function accountCell(a: MergedAccount): string {
  return accountName(a.label)
}

function accountsTable(accounts: MergedAccount[], onlyFailing: boolean): string {
  const shown = onlyFailing ? accounts.filter((a) => a.status !== 'compliant') : accounts
  const rows = shown.map((a) => {
    const problem = a.reports.find((r) => r.problem)?.problem
    return [
      accountCell(a),
      a.regions.map(code).join(' ') || '—',
      String(a.pools),
      String(a.violations),
      String(a.errors),
      String(a.poolsNotVerified),
      `${ACCOUNT_STATUS[a.status]}${problem ? `: ${esc(problem)}` : ''}`,
    ]
  })
  const rest = accounts.length - shown.length
  const tail = rest > 0 ? `\n\n_${plural(rest, 'more account')} ${rest === 1 ? 'is' : 'are'} compliant._` : ''
  if (rows.length === 0) return `_Every account is compliant._${tail}`
  return `${table(['Account', 'Regions', 'Pools', 'Violations', 'Errors', 'Pools not verified', 'Verdict'], rows, [
    'left',
    'left',
    'right',
    'right',
    'right',
    'right',
    'left',
  ])}${tail}`
}

function poolsSection(m: MergedReport, view: View, level: SummaryLevel): string {
  const reqs = view.requirements
  const onlyFailing = level === 'failures' || level === 'brief'
  const out: string[] = []
  for (const a of m.accounts) {
    const rows = (view.poolsByAccount.get(a.label) ?? []).map(
      (p): PoolsTableRow => ({
        region: p.region,
        label: () =>
          poolLabel({
            region: p.region,
            poolId: p.id,
            ...(p.name !== undefined ? { poolName: p.name } : {}),
            ...(p.tier !== undefined ? { tier: p.tier } : {}),
            ...(p.threatProtectionMode !== undefined ? { mode: p.threatProtectionMode } : {}),
            missing: p.found === false,
            ...(p.found === null ? { unverified: true } : {}),
          }),
        cell: (q) => p.requirements[q],
      }),
    )
    const table = poolsTable(rows, reqs, onlyFailing)
    if (table !== undefined) out.push(`#### Account ${accountCell(a)}`, table)
  }
  if (out.length === 0) return emptyPoolsText(level)
  return `${out.join('\n\n')}\n\n${MATRIX_LEGEND}`
}

function activitySection(m: MergedReport, view: View, level: SummaryLevel): string {
  if (level !== 'full') {
    // One line per account and region.
    const rows: string[][] = []
    for (const a of m.accounts) {
      for (const r of view.activityByAccount.get(a.label) ?? []) {
        const read = r.pools.filter((p) => p.read)
        const requests = read.reduce((n, p) => n + (p.signIn?.requests ?? 0), 0)
        const failures = read.reduce((n, p) => n + (p.signIn?.failures ?? 0), 0)
        const risk = read.reduce(
          (acc, p) =>
            p.risk && p.risk !== 'off' ? { total: acc.total + p.risk.total, high: acc.high + p.risk.high } : acc,
          { total: 0, high: 0 },
        )
        rows.push([
          accountCell(a),
          code(r.region),
          `${r.pools.length}${read.length < r.pools.length ? ` (${r.pools.length - read.length} not read)` : ''}`,
          formatCount(requests),
          formatRate(requests > 0 ? (100 * failures) / requests : undefined),
          formatCount(read.reduce((n, p) => n + (p.throttles ?? 0), 0)),
          riskDetections(risk),
        ])
      }
    }
    return table(
      ['Account', 'Region', 'Pools', 'Sign-in requests', 'Failure rate', 'Throttled', 'Risk detections'],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    )
  }
  const out: string[] = []
  for (const a of m.accounts) {
    for (const r of view.activityByAccount.get(a.label) ?? []) {
      out.push(
        `#### Account ${accountCell(a)} · ${code(r.region)}`,
        `${capitalised(windowLine(r.window))}.`,
        table(
          [
            'Pool',
            'Sign-in requests',
            'Failure rate',
            `Change vs previous ${r.window.hours} h`,
            'Throttled',
            'Risk detections',
          ],
          r.pools.map((p) => {
            const name = `${esc(p.name)} (${code(p.id)})`
            if (!p.read) return [name, '⚠️ not read', '', '', '', '']
            return [
              name,
              formatCount(p.signIn?.requests ?? 0),
              formatRate(p.signIn?.failureRate),
              formatChange(p.signIn?.change),
              formatCount(p.throttles ?? 0),
              riskDetections(p.risk),
            ]
          }),
          ['left', 'right', 'right', 'right', 'right', 'right'],
        ),
      )
    }
  }
  return out.join('\n\n')
}

function subject(f: MergedFinding): string {
  const where = f.poolId
    ? `${f.poolName ? `${esc(f.poolName)} ` : ''}${code(f.poolId)}`
    : `every pool in ${code(f.region)}`
  return `${where} in account ${accountName(f.account)}`
}

function findingDetails(f: MergedFinding): string {
  const head = `#### ${STATUS_ICON[f.status]} ${esc(f.title)}: ${subject(f)}`
  const meta = `<sub>check ${code(f.checkId)} · severity ${esc(f.severity)} · ${code(f.region)}${f.resource ? ` · ${code(f.resource)}` : ''}</sub>`
  const body = [head, meta, esc(f.message)]
  if (f.remediation) body.push(details('Remediation', fenced(f.remediation)))
  return body.join('\n\n')
}

function findingLine(f: MergedFinding): string {
  return `- ${STATUS_ICON[f.status]} ${code(f.checkId)} ${subject(f)}: ${esc(f.message)}`
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`

function methodSection(m: MergedReport, opts: MergedSummaryOptions): string {
  const calls = Object.values(m.apiCalls).reduce((n, c) => n + c, 0)
  const files = m.accounts.flatMap((a) =>
    a.reports.map(
      (r) =>
        `- ${accountCell(a)}: ${code(r.path)}${r.problem ? ` (${esc(r.problem)})` : `, ${r.regions.map(code).join(' ') || 'no region'}, collected ${code(r.collectedAt ?? '')}, tool ${code(r.toolVersion ?? '')}, policy ${code(r.policySource ?? '')}`}`,
    ),
  )
  const lines = [
    `- ${plural(files.length, 'report file')} merged; collected between ${code(m.collectedAt)} and ${code(m.collectedUntil)} with ${calls} read-only API calls in all.`,
    `- Gate ${code(`fail-on: ${m.policy.failOn}`)}; an expected account without a report, or a report that could not be read, counts as not verified.`,
    ...(opts.reportPath ? [`- Full results: ${code(opts.reportPath)}.`] : []),
    ...files,
  ]
  return details('What was merged', lines.join('\n'))
}
