/**
 * Activity per pool for the job summary (Markdown) and the terminal (plain text): requests, failures,
 * failure rate and its change against the previous window, throttles, risk detections, an hourly
 * sign-in failure-rate chart (Mermaid plus a sparkline that reads without Mermaid), and the CloudTrail
 * breakdown of failed calls. Pure and deterministic: every time comes from the snapshot.
 */
import { formatChange, formatCount, formatRate } from '../checks/activity/format.js'
import { type HourPoint, type PoolActivity, poolActivity, type RiskActivity } from '../checks/activity/stats.js'
import {
  type ActivityRegion,
  type ActivityWindow,
  type EventBreakdown,
  type FailureCount,
  type PersonalCounts,
  UNATTRIBUTED,
} from '../model/activity.js'
import { explainAwsError } from '../model/aws-error.js'
import { errorsAbout, ofPool } from '../model/group-by.js'
import { KIND_LABELS } from '../model/metrics.js'
import type { AccountSnapshot, UserPool } from '../model/snapshot.js'
import type { Policy } from '../policy/types.js'
import { esc } from './markdown.js'

/** At most this many points in the chart and the sparkline; longer windows are grouped into buckets. */
export const MAX_CHART_POINTS = 48
const SPARK = '▁▂▃▄▅▆▇█'
const NO_DATA = '·'

/** Text inside Markdown (tables included): the one report escaper. */
export function escapeMarkdown(text: string): string {
  return esc(text)
}

/** `2026-11-22 04:00 UTC` */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

/** `last 24 h, … → …, compared with the 24 h before` */
export function windowLine(w: Pick<ActivityWindow, 'start' | 'end' | 'hours'>): string {
  return `last ${w.hours} h, ${utc(w.start)} → ${utc(w.end)}, compared with the ${w.hours} h before`
}

/** Groups the hours into at most `max` buckets (rates recomputed from the summed counts). */
export function bucketHours(hours: HourPoint[], max = MAX_CHART_POINTS): HourPoint[] {
  const size = Math.max(1, Math.ceil(hours.length / max))
  if (size === 1) return hours
  const out: HourPoint[] = []
  for (let i = 0; i < hours.length; i += size) {
    const group = hours.slice(i, i + size)
    const attempts = group.reduce((a, h) => a + h.attempts, 0)
    const failures = group.reduce((a, h) => a + h.failures, 0)
    const p: HourPoint = { hour: group[0]!.hour, attempts, failures }
    if (attempts > 0) p.rate = (100 * failures) / attempts
    out.push(p)
  }
  return out
}

/** `▁▂▅█·` scaled from 0 to the highest rate; `·` marks hours without sign-in attempts. */
/** The top of the failure-rate scale: the next multiple of 10 % above the highest rate (at least 10 %),
 *  so a steady low rate draws low bars instead of filling the chart. */
function scaleTop(points: HourPoint[]): number {
  const max = rateRange(points)?.max ?? 0
  // Strictly above the peak (a line on the chart's top edge is invisible), at most 100 %.
  return max <= 0 ? 10 : Math.min(100, Math.max(10, (Math.floor(max / 10) + 1) * 10))
}

export function sparkline(points: HourPoint[]): string {
  const top = scaleTop(points)
  return points
    .map((p) => {
      if (p.rate === undefined) return NO_DATA
      return SPARK[Math.min(SPARK.length - 1, Math.floor((p.rate / top) * (SPARK.length - 1) + 0.5))]
    })
    .join('')
}

function rateRange(points: HourPoint[]): { min: number; max: number } | undefined {
  const rates = points.map((p) => p.rate).filter((r): r is number => r !== undefined)
  if (rates.length === 0) return undefined
  return { min: Math.min(...rates), max: Math.max(...rates) }
}

function sparklineText(points: HourPoint[], bucketHoursCount: number): string {
  const range = rateRange(points)
  const unit = bucketHoursCount === 1 ? 'hour' : `${bucketHoursCount} h`
  const extent = range ? `min ${formatRate(range.min)}, max ${formatRate(range.max)}` : 'no sign-in attempts'
  return `${sparkline(points)} (per ${unit}, scale 0–${scaleTop(points)}%, ${extent}; ${NO_DATA} = no sign-ins)`
}

function axisLabel(iso: string, longWindow: boolean): string {
  return longWindow ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}h` : `${iso.slice(11, 13)}h`
}

/** Points of the sparkline in the overview table (the fallback where Mermaid does not render). */
export const SPARKLINE_POINTS = 24
/** At most this many pools per region get their own (collapsed) activity details in the summary. */
export const MAX_POOL_DETAILS = 20

/** At most this many x-axis labels (and points) in a chart, whatever the lookback. */
export const MAX_CHART_LABELS = 12
/** At most this many pools (lines) in a region's chart: the ones with the most sign-ins. */
export const MAX_CHART_LINES = 8
/** Line colours of the region chart, matching the legend's squares (Twemoji's colours). */
const LINE_COLOURS = ['#55ACEE', '#DD2E44', '#78B159', '#F4900C', '#AA8ED6', '#C1694F', '#FDCB58', '#31373D']
const LINE_SQUARES = ['🟦', '🟥', '🟩', '🟧', '🟪', '🟫', '🟨', '⬛']

/** One chart per region: one line per pool with sign-ins (the busiest {@link MAX_CHART_LINES}), at most
 *  {@link MAX_CHART_LABELS} points, and a legend, since Mermaid's xychart draws none. */
function regionChart(pools: PoolView[], window: ActivityWindow): string[] {
  const withSignIns = pools
    .filter((v) => v.stats?.hourly.some((h) => h.attempts > 0))
    .map((v) => ({ v, attempts: v.stats!.hourly.reduce((a, h) => a + h.attempts, 0) }))
    .sort((a, b) => b.attempts - a.attempts)
  if (withSignIns.length === 0) return []
  const shown = withSignIns.slice(0, MAX_CHART_LINES)
  const series = shown.map(({ v }) => bucketHours(v.stats!.hourly, MAX_CHART_LABELS))
  const top = scaleTop(series.flat())
  const longWindow = window.hours > 24
  const labels = series[0]!.map((p) => `"${axisLabel(p.hour, longWindow)}"`).join(', ')
  const per = Math.max(1, Math.ceil(shown[0]!.v.stats!.hourly.length / MAX_CHART_LABELS))
  const palette = LINE_COLOURS.slice(0, shown.length).join(', ')
  const lines = series.map(
    (pts) =>
      `  line [${pts.map((p) => (p.rate === undefined ? '0' : String(Math.round(p.rate * 10) / 10))).join(', ')}]`,
  )
  const legend = shown.map(({ v }, i) => `${LINE_SQUARES[i]} ${escapeMarkdown(v.pool.name)}`).join(' · ')
  const more =
    withSignIns.length > shown.length
      ? ` · and ${withSignIns.length - shown.length} more pools with sign-ins (see the table)`
      : ''
  return [
    `**Sign-in failure rate over time** (per ${per === 1 ? 'hour' : `${per} h`}, UTC; periods without sign-ins are drawn as 0)`,
    '',
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  x-axis [${labels}]`,
    `  y-axis "Failure rate (%)" 0 --> ${top}`,
    ...lines,
    '```',
    '',
    `${legend}${more}`,
    '',
  ]
}

function riskText(pool: UserPool, risk: RiskActivity | undefined): string {
  if (pool.advancedSecurityMode === 'OFF') return 'threat protection is off (no risk detections are made)'
  if (!risk) return 'none'
  const levels = (r: RiskActivity['accountTakeover']) =>
    `high ${formatCount(r.High)}, medium ${formatCount(r.Medium)}, low ${formatCount(r.Low)}`
  return `account takeover ${levels(risk.accountTakeover)}; compromised credentials ${levels(risk.compromisedCredentials)}; risky requests ${formatCount(risk.risky)}`
}

/** Kinds with any request or throttle in either window; sign-in whenever any kind has some. */
function shownKinds(stats: PoolActivity): PoolActivity['kinds'] {
  const active = (k: PoolActivity['kinds'][number]) =>
    k.current.attempts + k.previous.attempts + k.throttles + k.previousThrottles > 0
  if (!stats.kinds.some(active)) return []
  return stats.kinds.filter((k) => k.kind === 'SignIn' || active(k))
}

function coverageNote(b: EventBreakdown, w: ActivityWindow): string | undefined {
  if (!b.partial) return undefined
  const from = b.coveredFrom ?? w.end
  const hours = Math.floor((Date.parse(w.end) - Date.parse(from)) / 360_000) / 10
  return `The CloudTrail breakdown covers only the events since ${utc(from)} (about ${hours} h of the ${w.hours} h window): ${b.pagesRead} of ${b.pageBudget} pages (${formatCount(b.eventsRead)} events) were read before the page budget or an error stopped the lookup. Raise \`activity.event-pages\` to read further.`
}

function failuresTable(rows: FailureCount[]): string {
  return [
    '| Call | Error | Count |',
    '|---|---|--:|',
    ...rows.map((r) => `| ${escapeMarkdown(r.eventName)} | ${escapeMarkdown(r.errorCode)} | ${formatCount(r.count)} |`),
  ].join('\n')
}

function personalLines(p: PersonalCounts | undefined): string[] {
  if (!p) return []
  const top = (xs: PersonalCounts['topSubs']) =>
    xs.length ? xs.map((x) => `${x.value} (${formatCount(x.count)})`).join(', ') : 'none'
  return [
    `Users (sub) with failures: ${formatCount(p.distinctSubs)} distinct; top: ${top(p.topSubs)}`,
    `Source IP addresses with failures: ${formatCount(p.distinctSourceIps)} distinct; top: ${top(p.topSourceIps)}`,
  ]
}

interface PoolView {
  pool: UserPool
  activity: ActivityRegion
  stats?: PoolActivity
  failures: FailureCount[]
  personal?: PersonalCounts
}

interface RegionView {
  region: string
  activity: ActivityRegion
  pools: PoolView[]
  unattributed: FailureCount[]
  unattributedPersonal?: PersonalCounts
}

function views(snapshot: AccountSnapshot, policy: Policy): RegionView[] {
  const out: RegionView[] = []
  for (const r of snapshot.regions) {
    const activity = r.activity
    if (!activity || r.cognito.pools.state === 'failed' || r.cognito.pools.items.length === 0) continue
    const b = activity.breakdown
    const personal = policy.report.personalData ? b?.personal : undefined
    const pools = r.cognito.pools.items.map((pool): PoolView => {
      const v: PoolView = { pool, activity, failures: [...ofPool(b?.failures ?? [], pool.id)] }
      if (activity.metrics) v.stats = poolActivity(activity.window, ofPool(activity.metrics, pool.id)[0], pool.id)
      const p = personal ? ofPool(personal, pool.id)[0] : undefined
      if (p) v.personal = p
      return v
    })
    const rv: RegionView = {
      region: r.region,
      activity,
      pools,
      unattributed: [...ofPool(b?.failures ?? [], UNATTRIBUTED)],
    }
    const up = personal ? ofPool(personal, UNATTRIBUTED)[0] : undefined
    if (up) rv.unattributedPersonal = up
    out.push(rv)
  }
  return out
}

function poolMarkdown(v: PoolView): string[] {
  const { pool, activity, stats } = v
  const w = activity.window
  const lines = [
    `#### ${escapeMarkdown(pool.name)} (\`${escapeMarkdown(pool.id)}\`, ${escapeMarkdown(pool.region)})`,
    '',
  ]
  if (!stats) {
    lines.push('Metrics could not be read, so no numbers are shown for this pool.', '')
  } else {
    const poolErrors = errorsAbout(activity.errors, pool.id)
    for (const e of poolErrors) lines.push(`> ⚠️ ${escapeMarkdown(explainAwsError(e))}`, '')
    const rows = shownKinds(stats)
    if (rows.length === 0) {
      lines.push(
        `No sign-in, sign-up, token-refresh or federation requests in this window or the ${w.hours} h before.`,
        '',
      )
    } else {
      lines.push(
        `| Activity | Requests | Failures | Failure rate | Change vs previous ${w.hours} h | Throttled |`,
        '|---|--:|--:|--:|--:|--:|',
      )
      for (const k of rows) {
        lines.push(
          `| ${KIND_LABELS[k.kind]} | ${formatCount(k.current.attempts)} | ${formatCount(k.current.failures)} | ${formatRate(k.current.rate)} | ${formatChange(k.change)} | ${formatCount(k.throttles)} |`,
        )
      }
      const prev = stats.kinds[0]!.previous
      lines.push(
        '',
        `Failures include throttled requests. Previous ${w.hours} h: ${formatCount(prev.attempts)} sign-in attempts, failure rate ${formatRate(prev.rate)}.`,
        '',
      )
    }
    lines.push(`Risk detections: ${riskText(pool, stats.risk)}.`, '')
    if (stats.incompleteHours > 0) {
      lines.push(`Note: ${stats.incompleteHours} hourly values came back incomplete and were left out.`, '')
    }
    if (!stats.hourly.some((h) => h.attempts > 0) && rows.length > 0) {
      lines.push('No sign-in attempts in the window.', '')
    }
  }
  lines.push(...breakdownMarkdown(v.failures, activity, 'Failed calls (CloudTrail event history)', v.personal))
  return lines
}

function breakdownMarkdown(
  failures: FailureCount[],
  activity: ActivityRegion,
  heading: string,
  personal: PersonalCounts | undefined,
): string[] {
  const b = activity.breakdown
  if (!b) {
    const e = activity.errors.find((x) => x.service === 'cloudtrail')
    return e ? [`**${heading}**: not available. ${escapeMarkdown(explainAwsError(e))}`, ''] : []
  }
  const lines = [`**${heading}**`, '']
  if (failures.length === 0) lines.push('No failed authentication calls recorded.', '')
  else lines.push(failuresTable(failures), '')
  for (const l of personalLines(personal)) lines.push(`- ${escapeMarkdown(l)}`)
  if (personal) lines.push('')
  return lines
}

/** The activity section of the job summary (without its own top heading); empty when nothing was collected. */
/** Risk detections in one cell: high-risk counts first, since those are what a reader acts on. */
function riskCell(pool: UserPool, risk: RiskActivity | undefined): string {
  if (pool.advancedSecurityMode === 'OFF') return 'off'
  if (!risk) return '0'
  const all = (r: RiskActivity['accountTakeover']) => r.High + r.Medium + r.Low
  return riskDetections({
    total: all(risk.accountTakeover) + all(risk.compromisedCredentials),
    high: risk.accountTakeover.High + risk.compromisedCredentials.High,
  })
}

/** Risk detections as an overview cell (also from report.json's activity overview, in a merged report). */
export function riskDetections(risk: { total: number; high: number } | 'off' | undefined): string {
  if (risk === 'off') return 'off'
  if (!risk || risk.total === 0) return '0'
  return `${formatCount(risk.total)} (${formatCount(risk.high)} high)`
}

/** One row per pool: sign-in requests, failure rate and its change, throttles, risk detections. */
function overviewTable(r: RegionView): string[] {
  const rows = r.pools.map((v) => {
    const name = `${escapeMarkdown(v.pool.name)} (\`${escapeMarkdown(v.pool.id)}\`)`
    if (!v.stats) return `| ${name} | ⚠️ not read | | | | | |`
    const signIn = v.stats.kinds.find((k) => k.kind === 'SignIn')!
    const trend = v.stats.hourly.some((h) => h.attempts > 0)
      ? `\`${sparkline(bucketHours(v.stats.hourly, SPARKLINE_POINTS))}\``
      : '—'
    return `| ${name} | ${formatCount(signIn.current.attempts)} | ${formatRate(signIn.current.rate)} | ${formatChange(signIn.change)} | ${trend} | ${formatCount(v.stats.throttles)} | ${riskCell(v.pool, v.stats.risk)} |`
  })
  return [
    `| Pool | Sign-in requests | Failure rate | Change vs previous ${r.activity.window.hours} h | Failure rate over time | Throttled | Risk detections |`,
    '|---|--:|--:|--:|:--|--:|--:|',
    ...rows,
    '',
  ]
}

/**
 * The activity section of the job summary: per region the window, an overview table of every pool, then
 * (unless `compact`) each pool's details: all request kinds, risk by level, the hourly chart and the
 * CloudTrail error breakdown. `compact` is for large accounts, where the details would not fit.
 */
export function renderActivityMarkdown(snapshot: AccountSnapshot, policy: Policy, compact = false): string {
  const regions = views(snapshot, policy)
  if (regions.length === 0) return ''
  const lines: string[] = []
  for (const r of regions) {
    lines.push(`Region ${escapeMarkdown(r.region)}: ${windowLine(r.activity.window)}.`, '')
    const regionErrors = r.activity.errors.filter((e) => e.resource === undefined && e.service === 'cloudwatch')
    for (const e of regionErrors) lines.push(`> ⚠️ ${escapeMarkdown(explainAwsError(e))}`, '')
    const note = r.activity.breakdown && coverageNote(r.activity.breakdown, r.activity.window)
    if (note) lines.push(`_${note}_`, '')
    lines.push(...overviewTable(r))
    if (r.pools.some((v) => v.stats?.hourly.some((h) => h.attempts > 0))) {
      lines.push(
        `<sub>Failure rate over time: scale 0 to the pool's peak rounded up to 10 %; ${NO_DATA} = no sign-ins.</sub>`,
        '',
      )
    }
    if (compact) continue
    lines.push(...regionChart(r.pools, r.activity.window))
    // Per-pool details, collapsed: the busiest pools (most sign-in failures) first, at most MAX_POOL_DETAILS.
    const failuresOf = (v: PoolView) => v.stats?.kinds.find((k) => k.kind === 'SignIn')?.current.failures ?? 0
    const detailed = [...r.pools]
      .sort((a, b) => failuresOf(b) - failuresOf(a) || b.failures.length - a.failures.length)
      .slice(0, MAX_POOL_DETAILS)
    const inner: string[] = []
    for (const p of r.pools.filter((v) => detailed.includes(v))) inner.push(...poolMarkdown(p))
    if (r.pools.length > detailed.length) {
      inner.push(
        `${r.pools.length - detailed.length} more pools are not detailed here: their numbers are in the table above and in the JSON report.`,
        '',
      )
    }
    if (r.unattributed.length > 0) {
      inner.push(
        `#### Not attributable to an audited pool (${escapeMarkdown(r.region)})`,
        '',
        ...breakdownMarkdown(
          r.unattributed,
          r.activity,
          'Failed calls (CloudTrail event history)',
          r.unattributedPersonal,
        ),
      )
    }
    lines.push(
      `<details><summary>Activity per pool in ${escapeMarkdown(r.region)} (${r.pools.length} pool${r.pools.length === 1 ? '' : 's'})</summary>`,
      '',
      ...inner,
      '</details>',
      '',
    )
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}

/** The activity section for the terminal: a few aligned lines per pool. */
export function renderActivityText(snapshot: AccountSnapshot, policy: Policy): string {
  const regions = views(snapshot, policy)
  if (regions.length === 0) return ''
  const out: string[] = []
  for (const r of regions) {
    const w = r.activity.window
    for (const e of r.activity.errors.filter((x) => x.resource === undefined)) out.push(`! ${explainAwsError(e)}`)
    const note = r.activity.breakdown && coverageNote(r.activity.breakdown, w)
    if (note) out.push(`Note: ${note}`)
    for (const v of r.pools) {
      out.push(`${v.pool.name} (${v.pool.id}) — ${windowLine(w)}`)
      if (!v.stats) {
        out.push('  metrics could not be read')
      } else {
        const rows = shownKinds(v.stats)
        if (rows.length === 0) out.push('  no requests in this window or the one before')
        for (const k of rows) {
          out.push(
            `  ${KIND_LABELS[k.kind].padEnd(14)}${formatCount(k.current.attempts).padStart(9)} requests${formatCount(k.current.failures).padStart(9)} failed${formatRate(k.current.rate).padStart(8)}  ${formatChange(k.change).padEnd(10)}${formatCount(k.throttles).padStart(6)} throttled`,
          )
        }
        out.push(`  Risk: ${riskText(v.pool, v.stats.risk)}`)
        if (v.stats.hourly.some((h) => h.attempts > 0)) {
          const points = bucketHours(v.stats.hourly)
          const per = Math.max(1, Math.ceil(v.stats.hourly.length / MAX_CHART_POINTS))
          out.push(`  Sign-in failure rate: ${sparklineText(points, per)}`)
        }
      }
      out.push(...breakdownText(v.failures, r.activity, v.personal))
    }
    if (r.unattributed.length > 0) {
      out.push(`Not attributable to an audited pool (${r.region})`)
      out.push(...breakdownText(r.unattributed, r.activity, r.unattributedPersonal))
    }
  }
  return `${out.join('\n')}\n`
}

function breakdownText(failures: FailureCount[], activity: ActivityRegion, personal?: PersonalCounts): string[] {
  const b = activity.breakdown
  if (!b) return []
  const out: string[] = []
  out.push(
    failures.length === 0
      ? '  Failed calls: none recorded'
      : `  Failed calls: ${failures.map((f) => `${f.eventName} ${f.errorCode} ×${formatCount(f.count)}`).join(', ')}`,
  )
  for (const l of personalLines(personal)) out.push(`  ${l}`)
  return out
}
