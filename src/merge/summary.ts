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
import { labelOf, REQUIREMENTS } from '../checks/index.js'
import type { Requirement } from '../model/finding.js'
import { code, details, esc, fenced, plural, table } from '../report/markdown.js'
import {
  countsLine,
  deltaSection,
  fitSummary,
  MATRIX_LEGEND,
  poolLabel,
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
  return fitSummary((level) => render(merged, view, opts, level), opts.maxBytes)
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

function render(m: MergedReport, view: View, opts: MergedSummaryOptions, level: SummaryLevel): string {
  const h = mergedHeadline(m)
  const parts = ['## Cognito compliance audit', `### ${h.icon} ${esc(h.text)}`]
  if (level !== 'full') parts.push(shortenedNote(level, opts.reportPath))
  if (m.notes.length > 0) parts.push(`> [!NOTE]\n${m.notes.map((n) => `> ${esc(n)}`).join('\n>\n')}`)
  const v = m.verdict
  parts.push(countsLine({ fail: v.violations, error: v.errors, warn: v.warnings, exempt: v.exempt, pass: v.passed }))
  if (view.comparison && m.baseline)
    parts.push(deltaSection({ comparison: view.comparison, source: m.baseline.source }, level))
  parts.push('### Accounts', accountsTable(m.accounts, level === 'counts'))
  if (level === 'counts') return `${parts.join('\n\n')}\n`

  parts.push('### User pools', poolsSection(m, view, level))
  if (m.activity.length > 0) parts.push('### Activity', activitySection(m, view, level))
  if (view.failing.length > 0) {
    parts.push(
      '### What to fix',
      ...(level === 'brief' ? [view.failing.map(findingLine).join('\n')] : view.failing.map(findingDetails)),
    )
  }
  const exempt = m.findings.filter((f) => f.status === 'exempt' || f.exemption?.expired)
  if (exempt.length > 0 && level === 'full') parts.push(exemptionsSection(exempt))
  if (level === 'full' || level === 'compact') parts.push(methodSection(m, opts))
  return `${parts.join('\n\n')}\n`
}

const ACCOUNT_STATUS: Record<AccountStatus, string> = {
  compliant: `${STATUS_ICON.pass} compliant`,
  violations: `${STATUS_ICON.fail} violations`,
  'not verified': `${STATUS_ICON.error} not verified`,
  'report missing': `${STATUS_ICON.error} report missing`,
  'report unreadable': `${STATUS_ICON.error} report unreadable`,
}

function accountCell(a: MergedAccount): string {
  return a.accountId ? code(a.accountId) : esc(a.label)
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
    let rows = view.poolsByAccount.get(a.label) ?? []
    if (onlyFailing)
      rows = rows.filter((p) => reqs.some((q) => p.requirements[q] !== 'pass' && p.requirements[q] !== 'none'))
    if (rows.length === 0) continue
    out.push(
      `#### Account ${accountCell(a)}`,
      table(
        ['User pool', 'Region', ...reqs.map((r) => labelOf(r))],
        rows.map((p) => [
          poolLabel({
            region: p.region,
            poolId: p.id,
            ...(p.name !== undefined ? { poolName: p.name } : {}),
            ...(p.tier !== undefined ? { tier: p.tier } : {}),
            ...(p.threatProtectionMode !== undefined ? { mode: p.threatProtectionMode } : {}),
            missing: p.found === false,
            ...(p.found === null ? { unverified: true } : {}),
          }),
          code(p.region),
          ...reqs.map((q) => STATUS_ICON[p.requirements[q] ?? 'none']),
        ]),
        ['left', 'left', ...reqs.map(() => 'center' as const)],
      ),
    )
  }
  if (out.length === 0) {
    return onlyFailing ? '_Every audited pool passes every requirement._' : '_No user pools were audited._'
  }
  return `${out.join('\n\n')}\n\n${MATRIX_LEGEND}`
}

function riskCell(risk: MergedActivity['pools'][number]['risk']): string {
  if (risk === 'off') return 'off'
  if (!risk || risk.total === 0) return '0'
  return `${formatCount(risk.total)} (${formatCount(risk.high)} high)`
}

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
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
          riskCell(risk),
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
        `Last ${r.window.hours} h, ${utc(r.window.start)} → ${utc(r.window.end)}, compared with the ${r.window.hours} h before.`,
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
              riskCell(p.risk),
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
  return `${where} in account ${/^\d{12}$/.test(f.account) ? code(f.account) : esc(f.account)}`
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

function exemptionsSection(fs: MergedFinding[]): string {
  const rows = fs.map((f) => [
    f.exemption?.expired ? `${STATUS_ICON.fail} expired` : STATUS_ICON.exempt,
    /^\d{12}$/.test(f.account) ? code(f.account) : esc(f.account),
    f.poolId ? code(f.poolId) : code(f.region),
    `${code(f.checkId)}${f.resource ? ` ${code(f.resource)}` : ''}`,
    esc(f.exemption?.reason ?? ''),
    esc(f.exemption?.expires ?? 'never'),
  ])
  return details(
    `Findings covered by an exemption (${fs.length})`,
    table(['', 'Account', 'Pool', 'Check', 'Reason', 'Expires'], rows),
  )
}

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
