/**
 * The job summary, as GitHub-flavoured Markdown (pure: returns a string).
 * Order, by what a person needs: verdict → pools × requirements table → what to fix (grouped by
 * check and cause, root causes first, pool lists and remediation collapsed) → activity overview →
 * per-pool activity (collapsed) → exemptions → collapsed "what was checked and how". Stays under
 * GitHub's 1 MiB step limit by degrading: full → compact → failures only → brief → counts.
 */
import type { AuditResult, FailOn } from '../audit.js'
import { isNewAgainstBaseline } from '../baseline/source.js'
import { labelOf, methodLines } from '../checks/index.js'
import type { Finding, Requirement } from '../model/finding.js'
import { locationText, plannedName } from '../model/finding-location.js'
import { type PlanChange, type SourceLocation, UNKNOWN_PREFIX } from '../model/plan.js'
import { renderActivityMarkdown } from './activity.js'
import { deltaHeadline, renderDelta } from './delta.js'
import { type FixGroup, fixGroups, type GroupSubject, groupResource, groupSubjects } from './fix-groups.js'
import { accountName, code, details, esc, fenced, plural, table } from './markdown.js'
import { activeRequirements, buildMatrix, type CellStatus, cellOf, type MatrixRow, notJudged } from './matrix.js'
import { repoRelative } from './repo-path.js'
import { headline, STATUS_ICON } from './verdict.js'

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
  /** Where planned pools' files can be opened (the repository at the commit judged): their `file:line`
   *  becomes a link. Without it (the CLI) the `file:line` is shown as text. */
  sourceLinks?: SourceLinks
}

/** The repository at a commit, to link a planned object's `file:line` (see {@link sourceLinks}). */
export interface SourceLinks {
  /** `https://github.com/OWNER/REPO/blob/SHA` (no trailing slash). */
  blobUrl: string
  /** The checkout the plan's relative file paths start from. */
  root: string
}

/** Links into `owner/repo` at `sha` on `serverUrl`; undefined when any part is missing or the server is
 *  not an http(s) URL (nothing from the environment reaches an attribute unencoded). */
export function sourceLinks(
  serverUrl: string | undefined,
  owner: string | undefined,
  repo: string | undefined,
  sha: string | undefined,
  root: string,
): SourceLinks | undefined {
  if (!serverUrl || !owner || !repo || !sha) return undefined
  let server: URL
  try {
    server = new URL(serverUrl)
  } catch {
    return undefined
  }
  if (server.protocol !== 'https:' && server.protocol !== 'http:') return undefined
  const base = server.href.replace(/\/+$/, '')
  return { blobUrl: `${base}/${urlPart(owner)}/${urlPart(repo)}/blob/${urlPart(sha)}`, root }
}

export const SUMMARY_LEVELS: readonly SummaryLevel[] = ['full', 'compact', 'failures', 'brief', 'counts']

export function renderSummary(result: AuditResult, opts: SummaryOptions): { markdown: string; level: SummaryLevel } {
  const parts = summaryParts(result, opts.sourceLinks)
  const maxBytes = opts.maxBytes ?? MAX_SUMMARY_BYTES
  return fitSummary((level) => render(result, opts, level, parts, maxBytes), maxBytes)
}

/** The first level, from full to counts, whose Markdown stays under `maxBytes`; counts when none does.
 *  `render` may return undefined for a level it already knows to be too large (it stopped assembling it). */
export function fitSummary(
  render: (level: SummaryLevel) => string | undefined,
  maxBytes = MAX_SUMMARY_BYTES,
): { markdown: string; level: SummaryLevel } {
  for (const level of SUMMARY_LEVELS.slice(0, -1)) {
    const md = render(level)
    if (md !== undefined && Buffer.byteLength(md) <= maxBytes) return { markdown: md, level }
  }
  return { markdown: render('counts') ?? '', level: 'counts' }
}

/** Parts of a summary, assembled until they pass `maxBytes`: a string is never shorter in bytes than in
 *  UTF-16 units, so once the length passes the limit the level cannot fit and the rest is not joined.
 *  Every summary (an account's, a merged one) is assembled with it and fitted by `fitSummary`. */
export class Assembly {
  private readonly parts: string[] = []
  private length = 0
  constructor(private readonly maxBytes: number) {}
  /** False once the parts are known to be too large. */
  add(...parts: string[]): boolean {
    for (const p of parts) {
      this.length += p.length + 2
      if (this.length > this.maxBytes + 2) return false
      this.parts.push(p)
    }
    return true
  }
  text(): string {
    return `${this.parts.join('\n\n')}\n`
  }
}

/**
 * What several levels share, each built at most once per summary: trying the next level after one that
 * was too large only joins strings again, so fitting the summary stays linear in the size of the account.
 */
interface SummaryParts {
  /** The pools table: every pool, or only pools with something to fix. */
  table(failingOnly: boolean): string
  activity(compact: boolean): string
  groups(): FixGroup[]
  details(): string[]
  lines(): string
}

function summaryParts(result: AuditResult, links: SourceLinks | undefined): SummaryParts {
  const once = <T>(make: () => T): (() => T) => {
    let value: { v: T } | undefined
    return () => {
      if (!value) value = { v: make() }
      return value.v
    }
  }
  const matrix = once(() => buildMatrix(result))
  const tables = {
    all: once(() => matrixTable(result, 'full', matrix(), links)),
    failing: once(() => matrixTable(result, 'failures', matrix(), links)),
  }
  const activity = {
    full: once(() => renderActivityMarkdown(result.snapshot, result.policy, false)),
    compact: once(() => renderActivityMarkdown(result.snapshot, result.policy, true)),
  }
  const groups = once(() => fixGroups(result.findings))
  // Marked new only when there is a baseline to be new against.
  const isNew = result.baseline ? isNewAgainstBaseline(result) : () => false
  return {
    table: (failingOnly) => (failingOnly ? tables.failing() : tables.all()),
    activity: (compact) => (compact ? activity.compact() : activity.full()),
    groups,
    details: once(() => groups().map((g) => groupDetails(g, isNew))),
    lines: once(() =>
      groups()
        .map((g) => groupLine(g, isNew))
        .join('\n'),
    ),
  }
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

function render(
  result: AuditResult,
  opts: SummaryOptions,
  level: SummaryLevel,
  shared: SummaryParts,
  maxBytes: number,
): string | undefined {
  const h = headline(result)
  const out = new Assembly(level === 'counts' ? Number.POSITIVE_INFINITY : maxBytes)
  out.add('## Cognito compliance audit', `### ${h.icon} ${esc(h.text)}`)
  if (level !== 'full') out.add(shortenedNote(level, opts.reportPath))
  out.add(countsLine(result.counts))
  if (result.baseline && !out.add(deltaSection(result.baseline, level))) return undefined
  if (level === 'counts') return out.text()

  if (!out.add(shared.table(level === 'failures' || level === 'brief'))) return undefined
  if (shared.groups().length > 0) {
    if (!out.add('### What to fix', ...(level === 'brief' ? [shared.lines()] : shared.details()))) return undefined
  }
  if (result.policy.activity.enabled) {
    const activity = shared.activity(level !== 'full')
    if (activity.trim() && !out.add('### Activity', activity.trimEnd())) return undefined
  }
  const exempt = result.findings.filter((f) => f.status === 'exempt' || f.exemption?.expired)
  if (exempt.length > 0 && level === 'full' && !out.add(exemptionsSection(exempt))) return undefined
  if ((level === 'full' || level === 'compact') && !out.add(methodSection(result, opts))) return undefined
  return out.text()
}

/** The delta against the baseline: headline, new first, unverified, resolved once, persisting collapsed. */
export function deltaSection(baseline: NonNullable<AuditResult['baseline']>, level: SummaryLevel): string {
  const head = `### Since the baseline\n\n<sub>Baseline: ${esc(baseline.source)}</sub>`
  if (level === 'counts') return `${head}\n\n**${esc(deltaHeadline(baseline.comparison))}.**`
  const maxRows = level === 'full' || level === 'compact' ? 200 : 20
  return `${head}\n\n${renderDelta(baseline.comparison, { maxRows })}`
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

/**
 * A row's first cell. A planned pool shows its name in the plan (CloudFormation/CDK `stack/logicalId`,
 * Terraform address) and where it is written (`file:line`, a link with `links`) instead of the placeholder
 * id it has before deploy; in a plan run, a pool that is not in the plan is marked live.
 */
export function poolLabel(row: Omit<MatrixRow, 'cells' | 'findings'>, links?: SourceLinks, inPlanRun = false): string {
  if (row.missing) return `${code(row.poolId)} (not found)`
  if (row.unverified) return row.poolId === '*' ? 'every pool (not verified)' : `${code(row.poolId)} (not verified)`
  const plan = [
    row.planned ? PLANNED[row.planned.change] : inPlanRun ? 'live' : '',
    row.tier ? `${row.tier[0]}${row.tier.slice(1).toLowerCase()} plan` : '',
    row.mode ? `threat protection ${row.mode}` : '',
  ]
    .filter(Boolean)
    .join(' · ')
  const sub = plan ? `<br><sub>${esc(plan)}</sub>` : ''
  if (!row.planned) return `${esc(row.poolName ?? row.poolId)}<br>${code(row.poolId)}${sub}`
  const { location } = row.planned
  // A pool the plan updates keeps its live id; a new one has only a placeholder until deploy.
  const placeholder = row.poolId.startsWith(PLANNED_ID) || row.poolId.startsWith(UNKNOWN_PREFIX)
  const id = placeholder ? '' : ` · ${code(row.poolId)}`
  return `${esc(row.poolName ?? plannedName(location))}<br>${code(plannedName(location))}${id}<br>${sourceText(location, links)}${sub}`
}

/** What the change does to a planned pool, in the row's sub line. */
const PLANNED: Record<PlanChange, string> = {
  create: 'planned: created',
  update: 'planned: updated',
  replace: 'planned: replaced',
  'no-op': 'planned: unchanged',
  declared: 'planned',
}

/** The id a planned object has before deploy (`planned:<stack>/<logicalId>`, `planned:<address>`). */
const PLANNED_ID = 'planned:'

/** A path segment or a URL part inside a Markdown link: nothing in it can end the link or the table cell. */
const urlPart = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** `file:line` of a planned object: a link to that line when the file is inside the checkout and links are given. */
export function sourceText(location: SourceLocation, links: SourceLinks | undefined): string {
  const text = code(locationText(location))
  const rel = links ? repoRelative(links.root, location.file) : undefined
  if (!links || rel === undefined) return text
  const anchor = location.line !== undefined ? `#L${location.line}` : ''
  return `<a href="${links.blobUrl}/${rel.split('/').map(urlPart).join('/')}${anchor}">${text}</a>`
}

function matrixTable(result: AuditResult, level: SummaryLevel, matrix: MatrixRow[], links?: SourceLinks): string {
  const table = poolsTable(
    matrix.map((r) => ({
      region: r.region,
      label: () => poolLabel(r, links, result.plan !== undefined),
      cell: (q) => cellOf(r, q),
      notJudged: (q) => notJudged(r, q),
    })),
    activeRequirements(result),
    level === 'failures' || level === 'brief',
  )
  if (table === undefined) return emptyPoolsText(level)
  return `${table}\n\n${MATRIX_LEGEND}`
}

/** What the pools section says when no row is left at `level`. */
export function emptyPoolsText(level: SummaryLevel): string {
  return level === 'full' || level === 'compact'
    ? '_No user pools were audited._'
    : '_Every audited pool passes every requirement._'
}

/** One row of a pools × requirements table. */
export interface PoolsTableRow {
  region: string
  /** The pool cell (`poolLabel`), rendered only for the rows shown. */
  label(): string
  /** undefined: the report has no cell for it (shown as not checked). */
  cell(requirement: Requirement): CellStatus | undefined
  notJudged?(requirement: Requirement): boolean
}

/** The pools × requirements table (an account's, or one account's part of a merged report), without the
 *  legend; `failingOnly` keeps the pools with something other than pass; undefined when no row is left. */
export function poolsTable(rows: PoolsTableRow[], reqs: Requirement[], failingOnly: boolean): string | undefined {
  const shown = failingOnly
    ? rows.filter((r) =>
        reqs.some((q) => {
          const c = r.cell(q)
          return c !== 'pass' && c !== 'none'
        }),
      )
    : rows
  if (shown.length === 0) return undefined
  return table(
    ['User pool', 'Region', ...reqs.map((r) => labelOf(r))],
    shown.map((r) => [
      r.label(),
      code(r.region),
      ...reqs.map((q) => (r.notJudged?.(q) ? '— not judged' : STATUS_ICON[r.cell(q) ?? 'none'])),
    ]),
    ['left', 'left', ...reqs.map(() => 'center' as const)],
  )
}

export const MATRIX_LEGEND = `<sub>${STATUS_ICON.pass} pass · ${STATUS_ICON.fail} violation · ${STATUS_ICON.error} could not be verified · ${STATUS_ICON.warn} advisory · ${STATUS_ICON.exempt} exempt · ${STATUS_ICON.none} not checked (activity without a threshold: not judged)</sub>`

function subject(f: { poolId?: string; poolName?: string; region: string }): string {
  if (f.poolId) return `${f.poolName ? `${esc(f.poolName)} ` : ''}${code(f.poolId)}`
  return `every pool in ${code(f.region)}`
}

/** "legacy-admin `eu-west-1_…`" for one pool, "598 pools" (or "3 regions") for more. */
function groupWho(g: FixGroup): string {
  const subjects = groupSubjects(g)
  if (subjects.length === 1) return subjectWithResource(subjects[0]!)
  const pools = new Set(subjects.filter((x) => x.poolId).map((x) => x.poolId)).size
  const poolLevel = subjects.every((x) => x.poolId)
  if (poolLevel && pools < subjects.length) return `${plural(subjects.length, 'resource')} in ${plural(pools, 'pool')}`
  return poolLevel ? plural(pools, 'pool') : plural(subjects.length, 'pool or region', 'pools or regions')
}

function subjectWithResource(x: GroupSubject): string {
  return `${subject(x)}${x.resource ? ` · ${code(x.resource)}` : ''}`
}

function subjectList(g: FixGroup): string {
  const subjects = groupSubjects(g)
  const items = subjects.map((x) => `- ${subjectWithResource(x)}${x.poolId ? ` (${code(x.region)})` : ''}`).join('\n')
  return details(`${groupWho(g)} with this problem`, items)
}

/** The group's message: the same for every member, or the first one's as an example. */
function groupMessage(g: FixGroup): string {
  const first = g.findings[0]!
  const same = g.findings.every((f) => f.message === first.message)
  return same || groupSubjects(g).length === 1 ? esc(first.message) : `For ${subject(first)}: ${esc(first.message)}`
}

function remediationBlock(g: FixGroup): string | undefined {
  const first = g.findings[0]!
  if (!first.remediation) return undefined
  const many = groupSubjects(g).length > 1
  const label = many
    ? `Remediation (shown for ${first.poolName ? esc(first.poolName) : code(first.poolId ?? first.region)}; each pool's own commands are in the JSON report)`
    : 'Remediation'
  return details(label, fenced(first.remediation))
}

/** `**new** ` when every finding of the group is new against the baseline, `**2 new** ` when some are. */
function newMark(g: FixGroup, isNew: (f: Finding) => boolean): string {
  const n = g.findings.filter(isNew).length
  if (n === 0) return ''
  return n === g.findings.length ? '**new** ' : `**${n} new** `
}

function groupDetails(g: FixGroup, isNew: (f: Finding) => boolean = () => false): string {
  const first = g.findings[0]!
  const single = groupSubjects(g).length === 1
  const head = `#### ${STATUS_ICON[g.status]} ${newMark(g, isNew)}${esc(g.title)}: ${groupWho(g)}`
  const where = single ? ` · ${code(first.region)}` : ''
  const resource = groupResource(g)
  const meta = `<sub>check ${code(g.checkId)} · severity ${g.severity}${where}${resource ? ` · ${code(resource)}` : ''}</sub>`
  const body = [head, meta, groupMessage(g)]
  if (!single) body.push(subjectList(g))
  const fix = remediationBlock(g)
  if (fix) body.push(fix)
  if (g.consequences.length > 0) {
    const n = g.consequences.reduce((a, c) => a + c.findings.length, 0)
    body.push(
      `**${plural(n, 'finding follows', 'findings follow')} from this**: fix it first; these are then worth fixing too.`,
      g.consequences.map(consequenceItem).join('\n\n'),
    )
  }
  return body.join('\n\n')
}

function consequenceItem(c: FixGroup): string {
  const resource = groupResource(c)
  const lines = [
    `- ${STATUS_ICON[c.status]} **${esc(c.title)}**${resource ? ` (${code(resource)})` : ''}: ${groupWho(c)}. ${groupMessage(c)}`,
  ]
  const fix = remediationBlock(c)
  if (fix) lines.push(fix.replace(/^/gm, '  '))
  return lines.join('\n\n')
}

function groupLine(g: FixGroup, isNew: (f: Finding) => boolean = () => false): string {
  const resource = groupResource(g)
  const follow = g.consequences.reduce((a, c) => a + c.findings.length, 0)
  const tail = follow > 0 ? ` (${plural(follow, 'finding follows', 'findings follow')} from it)` : ''
  return `- ${STATUS_ICON[g.status]} ${newMark(g, isNew)}${esc(g.title)}: ${groupWho(g)}${resource ? ` (${code(resource)})` : ''}${tail}. ${groupMessage(g)}`
}

/** The collapsed table of exempt (and expired-exemption) findings; `account` adds an Account column
 *  (a merged report). */
export function exemptionsSection<F extends Finding>(fs: F[], account?: (f: F) => string): string {
  const rows = fs.map((f) => [
    f.exemption?.expired ? `${STATUS_ICON.fail} expired` : STATUS_ICON.exempt,
    ...(account ? [accountName(account(f))] : []),
    f.poolId ? code(f.poolId) : code(f.region),
    `${code(f.checkId)}${f.resource ? ` ${code(f.resource)}` : ''}`,
    esc(f.exemption?.reason ?? ''),
    esc(f.exemption?.expires ?? 'never'),
  ])
  return details(
    `Findings covered by an exemption (${fs.length})`,
    table(['', ...(account ? ['Account'] : []), 'Pool', 'Check', 'Reason', 'Expires'], rows),
  )
}

const perSecond = (n: number) => `${Number(n.toFixed(2))}/s`

/** The request rates the audit allowed itself: the share, then per region each bucket's rate and quota. */
function rateLines(result: AuditResult): string[] {
  const all = result.quotaRates ?? []
  if (all.length === 0) return []
  const share = all[0]!.share
  const out = [
    `- Request rates: at most ${Number((share * 100).toFixed(2))} % of each per-region quota (${code('max-quota-share')}); adaptive retry on throttling.`,
  ]
  for (const r of all) {
    const buckets = r.rates.map(
      (q) =>
        `${esc(q.category)} ${perSecond(q.rate)} of ${perSecond(q.quota)}${q.source === 'applied' ? ' applied' : ''}`,
    )
    out.push(`  - ${code(r.region)}: ${buckets.join(', ')}${r.note ? ` (${esc(r.note)})` : ''}.`)
  }
  return out
}

/** Where the snapshot came from: the live account, a saved snapshot, or a plan (alone or over the live account). */
function snapshotLine(result: AuditResult, calls: Array<[string, number]>): string {
  const apiCalls = calls.length
    ? ` with ${calls.reduce((n, [, c]) => n + c, 0)} read-only API calls (${calls.map(([k, v]) => `${esc(k)} ×${v}`).join(', ')})`
    : ''
  const source = result.snapshot.source
  if (source?.kind === 'planned') {
    const read = `- Plan: ${esc(source.format)} ${source.inputs.map(code).join(', ')}`
    return source.live
      ? `${read}, laid over the live account collected ${code(result.snapshot.collectedAt)}${apiCalls}.`
      : `${read} (the live account was not read: no AWS calls).`
  }
  return `- Snapshot collected ${code(result.snapshot.collectedAt)}${apiCalls || ' (saved snapshot: no AWS calls)'}.`
}

function methodSection(result: AuditResult, opts: SummaryOptions): string {
  const p = result.policy
  const calls = Object.entries(result.calls)
  const lines = [
    `- Policy: ${code(p.source)}; regions ${p.regions.map(code).join(', ') || '—'}; gate ${code(`fail-on: ${opts.failOn}`)}.`,
    `- Pools: ${p.pools.all ? 'every pool in the listed regions' : [...p.pools.ids.map(code), ...p.pools.names.map((n) => `name ${code(n)}`)].join(', ')}.`,
    snapshotLine(result, calls),
  ]
  for (const line of rateLines(result)) lines.push(line)
  for (const m of methodLines(p, result.snapshot)) {
    lines.push(`- ${m.label}: ${m.parts.map((x) => (typeof x === 'string' ? esc(x) : code(x.code))).join('')}.`)
  }
  if (opts.reportPath) lines.push(`- Full results: ${code(opts.reportPath)}.`)
  return details('What was checked and how', lines.join('\n'))
}
