/**
 * Does an alarm cover a required metric series? Pure functions over snapshot data.
 *
 * The rules run in a fixed order and the first one that fails is the reason reported, so a
 * finding always says which rule failed. Stages (a higher stage = the alarm came closer):
 *  1 metric      namespace + name is the required metric (any AWS spelling, unless ListMetrics shows which
 *                one the account emits); a mis-spelled name ("probable typo of X") or namespace fails here.
 *  2 math        metric-math alarms: the query that watches the metric must feed the returned
 *                expression (ids referenced in `Expression`, transitively; `METRICS()` uses every query).
 *  3 pool        the pool dimension is present, spelled for this metric family (`UserPoolId` for risk,
 *                `UserPool` for throttles) and names this pool.
 *  4 dimensions  no dimension the metric lacks; values match the required series (`RiskLevel` in any case,
 *                unless ListMetrics shows the account publishes it in another casing);
 *                a dimension left out (an aggregate alarm) only counts when ListMetrics shows the account
 *                emits a series with exactly the alarm's dimension names, because CloudWatch matches
 *                dimension sets exactly.
 *  5 unit        `Unit`, when set, is the unit the metric is published in (`Count` for Cognito's metrics; the
 *                AWS/Usage metrics have no unit, `None`): CloudWatch selects datapoints by unit, so an alarm with
 *                another unit receives none, stays in INSUFFICIENT_DATA and can never fire. No unit is fine.
 *  6 statistic   `Sum`, `SampleCount` or `Maximum` (a count; `Average`/`Minimum`/percentiles hide counts).
 *  7 threshold   a `GreaterThan…` comparison that fires at a count <= the policy's max threshold; for math
 *                alarms, the count at which the returned expression breaches with this metric alone rising
 *                (`expression.ts`); an expression that cannot be evaluated does not cover. `Maximum` on a Cognito metric (one datapoint
 *                of 1 per event) must fire at 1.
 *  8 missing     `TreatMissingData` is not `breaching`: these metrics are only published when something
 *                happens, so `breaching` keeps the alarm in ALARM whenever nothing happens and it gets ignored.
 *                Missing data means "no event", so `notBreaching`, `missing` and `ignore` are fine.
 *  9 action      `ActionsEnabled` and >= 1 ALARM action, or the alarm feeds a composite alarm that, itself or
 *                through further composites, is enabled with an action. "Feeds" means the alarm going into
 *                ALARM on its own makes the composite's rule fire (`alarm-rule.ts`): not under NOT, not ANDed
 *                with another alarm's ALARM state. Skipped when the policy sets `require-action: false`.
 *                When the only way it notifies runs through a composite already in ALARM (StateValue), the
 *                alarm covers, but the finding is an advisory (`warn`): actions run on the transition into
 *                ALARM, so this alarm firing now notifies nobody until that composite returns to OK.
 * 8 datapoints  (between threshold and missing) the breaching datapoints the alarm needs before it fires
 *                (`DatapointsToAlarm` M of N; N of N when it is absent) are at most the policy's
 *                `max-datapoints-to-alarm` (default 1): with max-threshold 1 ("must fire at a count of 1") an alarm
 *                needing 3 of 3 periods does not fire on one risky sign-in, so it is too lax. A policy that raises
 *                the limit accepts such alarms, with a note.
 */
import type {
  CompositeAlarmInfo,
  DimensionValue,
  ListedMetric,
  MetricAlarmInfo,
  MetricQuery,
} from '../../model/alarms.js'
import { shellQuote, visible } from '../../model/quote.js'
import { parseAlarmRule, type RuleNode, ruleFiresOn } from './alarm-rule.js'
import { isSpellingOf, looksLikeNamespace, type MetricDef, typoOf } from './catalogue.js'
import { expressionFiresAt } from './expression.js'

export type Stage =
  | 'metric'
  | 'math'
  | 'pool'
  | 'dimensions'
  | 'unit'
  | 'statistic'
  | 'threshold'
  | 'datapoints'
  | 'missing'
  | 'action'
export const STAGES: readonly Stage[] = [
  'metric',
  'math',
  'pool',
  'dimensions',
  'unit',
  'statistic',
  'threshold',
  'datapoints',
  'missing',
  'action',
]

/** One required series: the dimension values an alarm must select. */
export interface Target {
  /** Human label, e.g. `Operation=SignIn, RiskLevel=High`. */
  label: string
  /** Required dimension values; `null` = any value. */
  dims: Record<string, string | null>
  /** Dimensions compared case-insensitively. */
  caseInsensitive?: string[]
  /** Dimensions an alarm may leave out. */
  optional?: string[]
}

/** What a requirement needs to judge alarms, for one pool (or one region for account-level metrics). */
export interface RequirementContext {
  def: MetricDef
  poolId?: string
  /** The pool's name: another pool's alarm explains a gap only when its name mentions this pool. */
  poolName?: string
  maxThreshold: number
  /** The most breaching datapoints (M of N) the alarm may need; undefined = 1. */
  maxDatapointsToAlarm?: number
  requireAction: boolean
  /** Known metric names: catalogue plus ListMetrics (a known name is never a typo). */
  known: Set<string>
  /** Series ListMetrics shows for this metric (any spelling); undefined = ListMetrics not available. */
  emitted?: ListedMetric[]
  composites: CompositeAlarmInfo[]
}

/** One metric an alarm watches: the alarm's own metric, or one MetricStat query of a math alarm. */
export interface AlarmView {
  alarm: MetricAlarmInfo
  metric: ListedMetric
  stat?: string
  /** The alarm's `Unit` (single-metric) or the query's `MetricStat.Unit` (math); absent = any unit. */
  unit?: string
  /** Math alarms: the query id and whether the returned expression uses it. */
  queryId?: string
  usedByReturn?: boolean
  /** Math alarms: the returned expression, when it is not the bare query, and its query. */
  transform?: string
  returned?: MetricQuery
}

export interface Covered {
  ok: true
  alarm: string
  spelling: string
  dimensions: DimensionValue[]
  /** How the alarm reaches someone: `direct`, `composite:<name>`, or `not-required`. */
  via: string
  /** The composite alarm on that path that is already in ALARM: its actions ran when it went into ALARM,
   *  so this alarm firing now notifies nobody until it returns to OK (an advisory). */
  heldInAlarm?: string
  /** ListMetrics has a series with exactly this name and dimensions; undefined = ListMetrics unavailable. */
  dataSeen?: boolean
  notes: string[]
}

export interface NotCovered {
  ok: false
  alarm: string
  stage: Stage
  reason: string
  /** A one-line targeted fix for this alarm. */
  fix?: string
}

export type CoverageVerdict = Covered | NotCovered

/** The metrics an alarm watches, with math dependence resolved. */
export function viewsOf(alarm: MetricAlarmInfo): AlarmView[] {
  if (alarm.metric && !alarm.queries) {
    const stat = alarm.statistic ?? alarm.extendedStatistic
    return [{ alarm, metric: alarm.metric, ...(stat ? { stat } : {}), ...(alarm.unit ? { unit: alarm.unit } : {}) }]
  }
  const queries = alarm.queries ?? []
  const returned = queries.filter((q) => q.returnData)
  const used = new Set<string>()
  for (const r of returned) for (const id of dependencies(r, queries)) used.add(id)
  const ret = returned[0]
  const transform = ret?.expression && ret.expression.trim() !== '' ? ret.expression.trim() : undefined
  return queries
    .filter((q): q is MetricQuery & { metric: ListedMetric } => !!q.metric)
    .map((q) => {
      const view: AlarmView = { alarm, metric: q.metric, queryId: q.id, usedByReturn: used.has(q.id) }
      if (q.stat) view.stat = q.stat
      if (q.unit) view.unit = q.unit
      const bare = transform === undefined || transform === q.id
      if (!bare) {
        view.transform = transform
        view.returned = ret
      }
      return view
    })
}

/** Ids a query depends on (itself included), following expressions transitively. */
export function dependencies(query: MetricQuery, queries: MetricQuery[]): Set<string> {
  const byId = new Map(queries.map((q) => [q.id, q]))
  const out = new Set<string>()
  const visit = (q: MetricQuery) => {
    if (out.has(q.id)) return
    out.add(q.id)
    if (!q.expression) return
    if (/\bMETRICS\s*\(/i.test(q.expression)) {
      for (const other of queries) if (other.id !== q.id) visit(other)
      return
    }
    const withoutStrings = q.expression.replace(/"[^"]*"|'[^']*'/g, ' ')
    for (const token of withoutStrings.match(/\b[a-z][A-Za-z0-9_]*\b/g) ?? []) {
      const dep = byId.get(token)
      if (dep) visit(dep)
    }
  }
  visit(query)
  return out
}

const COUNT_STATS = new Set(['Sum', 'SampleCount', 'Maximum'])

/** The smallest count at which `op threshold` is true; undefined when the comparison cannot fire on a rise. */
export function firesAt(op: string | undefined, threshold: number | undefined): number | undefined {
  if (threshold === undefined) return undefined
  if (op === 'GreaterThanOrEqualToThreshold') return Math.max(0, Math.ceil(threshold))
  if (op === 'GreaterThanThreshold')
    return Math.max(0, Number.isInteger(threshold) ? threshold + 1 : Math.ceil(threshold))
  return undefined
}

function valueMatches(target: Target, name: string, value: string): boolean {
  const want = target.dims[name]
  if (want === null || want === undefined) return want === null
  return target.caseInsensitive?.includes(name) ? want.toLowerCase() === value.toLowerCase() : want === value
}

/**
 * For a dimension compared case-insensitively (RiskLevel): the casing the account's metrics use when they
 * show this value only in another casing; undefined when they agree or show nothing.
 */
function emittedCasing(req: RequirementContext, target: Target, d: DimensionValue): string | undefined {
  if (!target.caseInsensitive?.includes(d.name)) return undefined
  const values = emittedIndex(req.emitted ?? []).values.get(d.name)
  if (!values || values.has(d.value)) return undefined
  return [...values].find((v) => v.toLowerCase() === d.value.toLowerCase())
}

/**
 * What the checks look up in a list of ListMetrics series, indexed once per list (the list of a region
 * and metric is shared by every pool of the region), so a pool's lookups cost its own series, not every
 * series of the account.
 */
export interface EmittedIndex {
  /** Metric names, each once, in the order first seen. */
  names: string[]
  /** Per dimension name, its values, each once, in the order first seen. */
  values: Map<string, Set<string>>
  /** `metric name + dimension set` of every series. */
  series: Set<string>
  /** The dimension set of every series, whatever its metric. */
  dimensionSets: Set<string>
  /** Series by the pool they name (`UserPool` or `UserPoolId`). */
  byPool: Map<string, ListedMetric[]>
}

const emittedCache = new WeakMap<readonly ListedMetric[], EmittedIndex>()

/** A dimension set as one string, independent of order (CloudWatch dimension names are unique per series). */
export const dimensionKey = (dims: readonly DimensionValue[]) =>
  dims
    .map((d) => `${d.name}\u0001${d.value}`)
    .sort()
    .join('\u0000')

export function emittedIndex(emitted: readonly ListedMetric[]): EmittedIndex {
  const cached = emittedCache.get(emitted)
  if (cached) return cached
  const names = new Set<string>()
  const values = new Map<string, Set<string>>()
  const series = new Set<string>()
  const dimensionSets = new Set<string>()
  const byPool = new Map<string, ListedMetric[]>()
  for (const s of emitted) {
    names.add(s.metricName)
    const key = dimensionKey(s.dimensions)
    series.add(`${s.metricName}\u0002${key}`)
    dimensionSets.add(key)
    const pools = new Set<string>()
    for (const d of s.dimensions) {
      let set = values.get(d.name)
      if (!set) {
        set = new Set()
        values.set(d.name, set)
      }
      set.add(d.value)
      if (d.name === 'UserPool' || d.name === 'UserPoolId') pools.add(d.value)
    }
    for (const p of pools) {
      const list = byPool.get(p)
      if (list) list.push(s)
      else byPool.set(p, [s])
    }
  }
  const index: EmittedIndex = { names: [...names], values, series, dimensionSets, byPool }
  emittedCache.set(emitted, index)
  return index
}

/** True when the names are unique, so a dimension set can be compared by its key. */
const uniqueNames = (dims: readonly DimensionValue[]) => new Set(dims.map((d) => d.name)).size === dims.length

const sameNames = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0')

/** Stage 1–4: does this view watch the required metric and select the target series? */
function matchMetric(view: AlarmView, req: RequirementContext, target: Target): NotCovered | undefined {
  const name = view.alarm.name
  const fail = (stage: Stage, reason: string, fix?: string): NotCovered => ({
    ok: false,
    alarm: name,
    stage,
    reason,
    ...(fix ? { fix } : {}),
  })
  const { def } = req
  const m = view.metric
  const spelled = isSpellingOf(m.metricName, def)
  const typo = spelled ? undefined : typoOf(m.metricName, def, req.known)
  const nsOk = m.namespace === def.namespace
  if (!spelled && !typo) return fail('metric', `watches ${m.namespace}/${m.metricName}`)
  if (!spelled) {
    return fail(
      'metric',
      `watches metric "${m.metricName}", which no AWS source or this account's metrics know: probable typo of "${typo}"`,
      `rename the metric to ${typo} (metric names are case-sensitive)`,
    )
  }
  if (!nsOk) {
    const probable = looksLikeNamespace(m.namespace, def.namespace)
    return fail(
      'metric',
      `watches ${m.metricName} in namespace "${m.namespace}" instead of ${def.namespace}${probable ? ' (probable typo)' : ''}`,
      `set the namespace to ${def.namespace}`,
    )
  }
  // The account's own metrics settle which AWS spelling the service emits: an alarm on the other one
  // receives no data (CloudWatch names are case-sensitive).
  const emittedNames = emittedIndex(req.emitted ?? []).names
  if (def.spellings.length > 1 && emittedNames.length > 0 && !emittedNames.includes(m.metricName)) {
    return fail(
      'metric',
      `watches ${m.metricName}, but this account publishes the metric as ${emittedNames.join(' / ')} (metric names are case-sensitive), so the alarm receives no data`,
      `rename the metric to ${emittedNames[0]}`,
    )
  }
  if (view.queryId !== undefined && !view.usedByReturn) {
    return fail(
      'math',
      `metric-math query "${view.queryId}" watches ${m.metricName}, but the returned expression does not use it`,
      `make the returned expression depend on ${view.queryId}`,
    )
  }
  const names = m.dimensions.map((d) => d.name)
  if (def.poolDimension && req.poolId) {
    const poolDim = m.dimensions.find((d) => d.name === def.poolDimension)
    if (!poolDim) {
      const wrong = ['UserPool', 'UserPoolId'].find((n) => n !== def.poolDimension && names.includes(n))
      if (wrong) {
        return fail(
          'pool',
          `uses dimension ${wrong}, but ${def.canonical} is published with ${def.poolDimension} (the ${def.family} metrics' name), so the alarm never receives data`,
          `rename the dimension ${wrong} to ${def.poolDimension}`,
        )
      }
      return fail(
        'pool',
        `has no ${def.poolDimension} dimension, so it does not select this pool`,
        `add the dimension ${def.poolDimension}=${req.poolId}`,
      )
    }
    if (poolDim.value !== req.poolId) {
      return fail('pool', `watches pool ${poolDim.value}, not this pool`)
    }
  }
  const unknown = names.filter((n) => !def.dimensions.includes(n))
  if (unknown.length) {
    return fail(
      'dimensions',
      `has dimension ${unknown.join(', ')}, which ${def.canonical} does not have (it has ${def.dimensions.join(', ')}), so the alarm never receives data`,
      `remove the dimension ${unknown.join(', ')}`,
    )
  }
  for (const d of m.dimensions) {
    if (d.name === def.poolDimension) continue
    const casing = emittedCasing(req, target, d)
    if (casing) {
      return fail(
        'dimensions',
        `selects ${d.name}=${d.value}, but this account publishes ${d.name}=${casing} (dimension values are case-sensitive), so the alarm receives no data`,
        `set the dimension ${d.name}=${casing}`,
      )
    }
    if (!valueMatches(target, d.name, d.value)) {
      const want = target.dims[d.name]
      if (want === undefined) {
        return fail(
          'dimensions',
          `selects ${d.name}=${d.value}, but the series this account emits has no ${d.name} dimension, so the alarm receives no data`,
          `remove the dimension ${d.name}`,
        )
      }
      return fail(
        'dimensions',
        `selects ${d.name}=${d.value}, but the requirement needs ${d.name}=${want ?? 'any'}`,
        `add an alarm for ${d.name}=${want}`,
      )
    }
  }
  const required = Object.keys(target.dims).filter((n) => !target.optional?.includes(n))
  const missing = required.filter((n) => !names.includes(n))
  if (missing.length) {
    const aggregateEmitted =
      req.emitted &&
      (uniqueNames(m.dimensions)
        ? emittedIndex(req.emitted).dimensionSets.has(dimensionKey(m.dimensions))
        : req.emitted.some(
            (s) =>
              sameNames(
                s.dimensions.map((d) => d.name),
                names,
              ) && m.dimensions.every((d) => s.dimensions.some((e) => e.name === d.name && e.value === d.value)),
          ))
    if (!aggregateEmitted) {
      return fail(
        'dimensions',
        `has no ${missing.join(', ')} dimension; CloudWatch matches dimension sets exactly and ` +
          `${req.emitted ? 'ListMetrics shows no series without it' : 'ListMetrics could not confirm a series without it'}, so the alarm receives no data`,
        `add the dimension ${missing.map((n) => `${n}=${target.dims[n] ?? '<value>'}`).join(', ')}`,
      )
    }
  }
  return undefined
}

/** Composite alarms that this alarm going into ALARM makes fire (see `firesOn`). */
export function parentsOf(
  name: string,
  arn: string | undefined,
  composites: CompositeAlarmInfo[],
): CompositeAlarmInfo[] {
  const isSelf = (ref: string) => ref.trim() === name || (arn !== undefined && ref.trim() === arn)
  // Only a composite whose rule names the alarm (by name or ARN) can fire on it: look those up.
  const { byRef, rules } = mentionIndex(composites)
  const candidates = new Set([...(byRef.get(name) ?? []), ...(arn !== undefined ? (byRef.get(arn) ?? []) : [])])
  return composites.filter((c) => candidates.has(c) && ruleFiresOn(rules.get(c)!, isSelf))
}

interface MentionIndex {
  /** Composite alarms by each alarm name or ARN their rule names (trimmed). */
  byRef: Map<string, CompositeAlarmInfo[]>
  /** Each composite's parsed rule (the ones that parse). */
  rules: Map<CompositeAlarmInfo, RuleNode>
}

const mentionCache = new WeakMap<readonly CompositeAlarmInfo[], MentionIndex>()

/** Composite alarms by each alarm name or ARN their rule names, and their rules parsed, built once per
 *  list. A rule that does not parse names nothing (it feeds nothing, see `firesOn`). */
function mentionIndex(composites: readonly CompositeAlarmInfo[]): MentionIndex {
  const cached = mentionCache.get(composites)
  if (cached) return cached
  const byRef = new Map<string, CompositeAlarmInfo[]>()
  const rules = new Map<CompositeAlarmInfo, RuleNode>()
  for (const c of composites) {
    let node: RuleNode
    try {
      node = parseAlarmRule(c.alarmRule)
    } catch {
      continue
    }
    rules.set(c, node)
    for (const ref of new Set(refsOf(node).map((r) => r.trim()))) {
      const list = byRef.get(ref)
      if (list) list.push(c)
      else byRef.set(ref, [c])
    }
  }
  const index = { byRef, rules }
  mentionCache.set(composites, index)
  return index
}

function refsOf(node: RuleNode): string[] {
  switch (node.kind) {
    case 'const':
      return []
    case 'state':
      return [node.ref]
    case 'not':
      return refsOf(node.arg)
    case 'and':
    case 'or':
      return node.args.flatMap(refsOf)
    case 'atLeast':
      return node.refs
  }
}

/** The composite on a path that is already in ALARM: the one before, or this one. */
function heldBy(c: CompositeAlarmInfo, before: string | undefined): string | undefined {
  return before ?? (c.stateValue === 'ALARM' ? c.name : undefined)
}

/** How the alarm reaches someone, or why it does not. `heldInAlarm`: the only way it notifies runs
 *  through this composite, which is already in ALARM, so the alarm firing now notifies nobody. */
export function reachability(
  alarm: { name: string; arn?: string; actionsEnabled: boolean; alarmActions: string[] },
  composites: CompositeAlarmInfo[],
): { ok: true; via: string; heldInAlarm?: string } | { ok: false; reason: string; fix: string } {
  if (alarm.actionsEnabled && alarm.alarmActions.length > 0) return { ok: true, via: 'direct' }
  const seen = new Set<string>([alarm.name])
  // Each queued composite with the first composite on its path that is already in ALARM: actions run on
  // the transition into ALARM, so a path through a composite already there notifies nobody now.
  const queue = parentsOf(alarm.name, alarm.arn, composites).map((c) => ({ c, held: heldBy(c, undefined) }))
  const fed: string[] = []
  let held: { via: string; heldInAlarm: string } | undefined
  while (queue.length) {
    const { c, held: heldOnPath } = queue.shift()!
    if (seen.has(c.name)) continue
    seen.add(c.name)
    fed.push(c.name)
    if (c.actionsEnabled && c.alarmActions.length > 0) {
      if (!heldOnPath) return { ok: true, via: `composite:${c.name}` }
      held ??= { via: `composite:${c.name}`, heldInAlarm: heldOnPath }
    }
    queue.push(...parentsOf(c.name, c.arn, composites).map((p) => ({ c: p, held: heldBy(p, heldOnPath) })))
  }
  if (held) return { ok: true, ...held }
  const own = !alarm.actionsEnabled ? 'its actions are disabled (ActionsEnabled is false)' : 'it has no ALARM action'
  const viaComposite = fed.length
    ? ` and the composite alarm${fed.length > 1 ? 's' : ''} it feeds (${fed.join(', ')}) ${fed.length > 1 ? 'have' : 'has'} no enabled ALARM action`
    : ''
  const hidden =
    composites.length === 0
      ? ' (if it notifies through a composite alarm: DescribeAlarms lists composite alarms only when cloudwatch:DescribeAlarms is allowed on resource *)'
      : ''
  const fix = !alarm.actionsEnabled
    ? `aws cloudwatch enable-alarm-actions --alarm-names ${shellQuote(alarm.name)}${regionArg(alarm.arn)} (and make sure it has an ALARM action)`
    : `add an ALARM action (e.g. an SNS topic) to '${visible(fed[0] ?? alarm.name)}'${hidden}`
  return { ok: false, reason: `notifies nobody: ${own}${viaComposite}`, fix }
}

/** `--region R` from an alarm ARN (`arn:aws:cloudwatch:R:…`), so the command acts where the alarm is. */
function regionArg(arn: string | undefined): string {
  const region = arn?.split(':')[3]
  return region ? ` --region ${shellQuote(region)}` : ''
}

/** Every rule for one view against one target. */
export function judge(view: AlarmView, req: RequirementContext, target: Target): CoverageVerdict {
  const a = view.alarm
  const fail = (stage: Stage, reason: string, fix?: string): NotCovered => ({
    ok: false,
    alarm: a.name,
    stage,
    reason,
    ...(fix ? { fix } : {}),
  })
  const metricFail = matchMetric(view, req, target)
  if (metricFail) return metricFail
  const notes: string[] = []

  // A Unit other than the one the metric is published in selects no datapoint at all.
  if (view.unit !== undefined && view.unit !== req.def.unit) {
    const published =
      req.def.unit === 'None'
        ? `${req.def.namespace} metrics are published without a unit (None)`
        : `${view.metric.metricName} is published in ${req.def.unit}`
    return fail(
      'unit',
      `has Unit ${view.unit}${view.queryId !== undefined ? ` on query "${view.queryId}"` : ''}, but ${published}: the alarm never receives a datapoint, stays in INSUFFICIENT_DATA and can never fire`,
      req.def.unit === 'None'
        ? 'remove the Unit (or set --unit None)'
        : `set --unit ${req.def.unit} (or leave the unit out)`,
    )
  }

  const stat = view.stat
  if (!stat || !COUNT_STATS.has(stat)) {
    return fail(
      'statistic',
      stat
        ? `uses statistic ${stat}, which does not count events (use Sum, SampleCount or Maximum)`
        : 'has no statistic',
      'set the statistic to Sum',
    )
  }

  const op = a.comparisonOperator
  if (a.thresholdMetricId) {
    if (op !== 'GreaterThanUpperThreshold' && op !== 'LessThanLowerOrGreaterThanUpperThreshold') {
      return fail(
        'threshold',
        `anomaly-detection comparison ${op ?? '(none)'} never fires on a rise in the count`,
        'use GreaterThanUpperThreshold',
      )
    }
    notes.push('anomaly-detection band: fires on an unusual rise rather than a fixed count')
  } else {
    const at = firesAt(op, a.threshold)
    if (at === undefined) {
      return fail(
        'threshold',
        `compares with ${op ?? '(no operator)'}, which never fires on a rise in the count`,
        'use GreaterThanOrEqualToThreshold with threshold 1',
      )
    }
    let count = at
    if (view.transform && view.returned) {
      const metric = view.metric.metricName
      const r = expressionFiresAt(a.queries ?? [], view.returned, view.queryId!, op, a.threshold!, req.maxThreshold)
      if (!r.ok) {
        return fail(
          'threshold',
          r.kind === 'unsupported'
            ? `alarms on the expression "${view.transform}", which could not be verified to breach ${op} ${a.threshold} when ${metric} rises (${r.why})`
            : `alarms on the expression "${view.transform}", which stays below ${op} ${a.threshold} for every ${metric} count up to ${req.maxThreshold} (the alarm's other metrics at 0)`,
          `alarm on ${view.queryId} directly, or on an expression that rises with it (FILL, SUM, +)`,
        )
      }
      count = r.count
      notes.push(`the expression "${view.transform}" breaches at a ${metric} count of ${count}`)
    }
    if (stat === 'Maximum' && req.def.family !== 'usage' && count > 1) {
      return fail(
        'threshold',
        `uses statistic Maximum with ${op} ${a.threshold}: Cognito publishes a datapoint of 1 per event, so a period's maximum is never above 1 and the alarm cannot fire`,
        'set the statistic to Sum',
      )
    }
    if (count > req.maxThreshold) {
      return fail(
        'threshold',
        `fires only at a count of ${count} or more (${op} ${a.threshold}${view.transform ? ` on "${view.transform}"` : ''}); the policy requires firing at ${req.maxThreshold} or fewer`,
        `set --threshold ${req.maxThreshold} --comparison-operator GreaterThanOrEqualToThreshold`,
      )
    }
  }

  // M of N: an alarm that needs several breaching periods does not fire on one burst at the threshold.
  const dta = a.datapointsToAlarm ?? a.evaluationPeriods
  const maxDatapoints = req.maxDatapointsToAlarm ?? 1
  if (dta !== undefined && dta > maxDatapoints) {
    const how =
      a.datapointsToAlarm !== undefined
        ? `DatapointsToAlarm ${a.datapointsToAlarm} of EvaluationPeriods ${a.evaluationPeriods ?? a.datapointsToAlarm}`
        : `EvaluationPeriods ${dta}, no DatapointsToAlarm`
    return fail(
      'datapoints',
      `needs ${dta} breaching datapoints (${how}) before it fires: a count of ${req.maxThreshold} in one period does not fire it; the policy requires firing on ${maxDatapoints === 1 ? 'a single breaching period' : `${maxDatapoints} breaching periods or fewer`} (max-datapoints-to-alarm ${maxDatapoints})`,
      `set --datapoints-to-alarm ${maxDatapoints} (and --evaluation-periods ${maxDatapoints} or more)`,
    )
  }
  if (dta !== undefined && dta > 1) {
    notes.push(
      `needs breaching data in ${dta} of ${a.evaluationPeriods ?? dta} periods: a single burst will not fire it (accepted by max-datapoints-to-alarm ${maxDatapoints})`,
    )
  }

  if (a.treatMissingData === 'breaching') {
    return fail(
      'missing',
      'treats missing data as breaching: the metric is only published when something happens, so the alarm sits in ALARM whenever nothing does, and a real alert is lost in the noise',
      'set --treat-missing-data notBreaching',
    )
  }

  let via = 'not-required'
  let heldInAlarm: string | undefined
  if (req.requireAction) {
    const r = reachability(a, req.composites)
    if (!r.ok) return fail('action', r.reason, r.fix)
    via = r.via
    heldInAlarm = r.heldInAlarm
  }
  const out: Covered = {
    ok: true,
    alarm: a.name,
    spelling: view.metric.metricName,
    dimensions: view.metric.dimensions,
    via,
    notes,
    ...(heldInAlarm ? { heldInAlarm } : {}),
  }
  if (req.emitted) {
    const vm = view.metric
    out.dataSeen = uniqueNames(vm.dimensions)
      ? emittedIndex(req.emitted).series.has(`${vm.metricName}\u0002${dimensionKey(vm.dimensions)}`)
      : req.emitted.some(
          (s) =>
            s.metricName === vm.metricName &&
            s.dimensions.length === vm.dimensions.length &&
            vm.dimensions.every((d) => s.dimensions.some((e) => e.name === d.name && e.value === d.value)),
        )
  }
  return out
}

/**
 * The views of a region's alarms that can say anything about `def` (right metric in some spelling, or a
 * probable typo of it), sorted by alarm name, and grouped by the dimension values they carry. Built once
 * per region and metric, so matching a pool costs its own alarms, not every alarm of the account.
 */
interface CandidateIndex {
  byValue: Map<string, AlarmView[]>
  noPool: AlarmView[]
  others: AlarmView[]
  all: AlarmView[]
  /** The lower-cased alarm names of `others`, joined by NUL, and where each starts (made when first asked). */
  otherNames?: { joined: string; starts: number[] }
}

/**
 * The views of `index.others` whose lower-cased alarm name contains `needle` (lower-case), in order: one
 * search of all the names joined instead of one per name, so asking it for every pool of an account costs
 * one pass over the names per pool. A match cannot span two names, as the needle holds no NUL; a needle
 * that does is compared name by name.
 */
function othersNamed(index: CandidateIndex, needle: string): number[] {
  if (needle.includes('\u0000')) {
    return index.others.flatMap((v, k) => (v.alarm.name.toLowerCase().includes(needle) ? [k] : []))
  }
  if (!index.otherNames) {
    const starts: number[] = []
    let at = 0
    const names = index.others.map((v) => {
      const n = v.alarm.name.toLowerCase()
      starts.push(at)
      at += n.length + 1
      return n
    })
    index.otherNames = { joined: names.join('\u0000'), starts }
  }
  const { joined, starts } = index.otherNames
  const out: number[] = []
  let k = 0
  for (let pos = joined.indexOf(needle); pos >= 0; ) {
    // The name the match lies in: the last start at or before it (starts ascend; k only moves forward).
    while (k + 1 < starts.length && starts[k + 1]! <= pos) k++
    out.push(k)
    if (k + 1 >= starts.length) break
    pos = joined.indexOf(needle, starts[k + 1]!)
  }
  return out
}

/** Two ascending lists of indices as one, ascending, without repeats. */
function union(a: number[], b: number[]): number[] {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!
    if (out[out.length - 1] !== x) out.push(x)
  }
  return out
}

const candidateCache = new WeakMap<MetricAlarmInfo[], Map<string, CandidateIndex>>()

const sortedCache = new WeakMap<MetricAlarmInfo[], MetricAlarmInfo[]>()

/** The alarms by name (as `localeCompare` orders them), sorted once per list and shared by every metric. */
function byName(alarms: MetricAlarmInfo[]): MetricAlarmInfo[] {
  let sorted = sortedCache.get(alarms)
  if (!sorted) {
    // A collator compares as localeCompare does (it is what localeCompare uses), without making one per call.
    const compare = new Intl.Collator().compare
    sorted = [...alarms].sort((x, y) => compare(x.name, y.name))
    sortedCache.set(alarms, sorted)
  }
  return sorted
}

const namesPool = (view: AlarmView) =>
  view.metric.dimensions.some((d) => d.name === 'UserPool' || d.name === 'UserPoolId')

function candidates(alarms: MetricAlarmInfo[], req: RequirementContext): CandidateIndex {
  let perDef = candidateCache.get(alarms)
  if (!perDef) {
    perDef = new Map()
    candidateCache.set(alarms, perDef)
  }
  const cached = perDef.get(req.def.canonical)
  if (cached) return cached
  const all: AlarmView[] = []
  for (const alarm of byName(alarms)) {
    for (const view of viewsOf(alarm)) {
      const name = view.metric.metricName
      if (isSpellingOf(name, req.def) || typoOf(name, req.def, req.known)) all.push(view)
    }
  }
  const byValue = new Map<string, AlarmView[]>()
  for (const view of all) {
    for (const v of new Set(view.metric.dimensions.map((d) => d.value))) {
      const list = byValue.get(v)
      if (list) list.push(view)
      else byValue.set(v, [view])
    }
  }
  const index: CandidateIndex = {
    byValue,
    noPool: all.filter((v) => !namesPool(v)),
    others: all.filter(namesPool),
    all,
  }
  perDef.set(req.def.canonical, index)
  return index
}

/** The best verdict of every alarm for one target: a covering alarm, or the one that came closest. */
export function coverTarget(
  alarms: MetricAlarmInfo[],
  req: RequirementContext,
  target: Target,
): { covered?: Covered; closest?: NotCovered } {
  const idx = candidates(alarms, req)
  /** The first covering view, else the one that came closest (highest stage, first by alarm name). */
  const scan = (views: AlarmView[], stopAt?: Stage): { covered?: Covered; closest?: NotCovered } => {
    let closest: NotCovered | undefined
    let held: Covered | undefined
    for (const view of views) {
      const v = judge(view, req, target)
      // An alarm that notifies only through a composite already in ALARM covers, but another that notifies
      // now is better.
      if (v.ok && !v.heldInAlarm) return { covered: v }
      if (v.ok) {
        held ??= v
        continue
      }
      if (v.stage === 'metric' && !v.fix) continue
      if (!closest || STAGES.indexOf(v.stage) > STAGES.indexOf(closest.stage)) closest = v
      if (stopAt && v.stage === stopAt) break
    }
    if (held) return { covered: held }
    return closest ? { closest } : {}
  }
  if (!req.poolId) return scan(idx.all)
  // Only an alarm naming this pool (in some dimension) can cover it, and the pool's own alarm explains a
  // gap best, whatever stage it reached; then an alarm naming no pool. Another pool's alarm explains it
  // only when its name mentions this pool (a copied alarm still pointing at the pool it was copied from);
  // otherwise it is just another pool's alarm. It cannot get past the pool rule, so the first will do.
  const poolId = req.poolId
  const own = idx.byValue.get(poolId) ?? []
  const mine = scan(own)
  if (mine.covered || mine.closest) return mine
  const unscoped = scan(idx.noPool.filter((v) => !own.includes(v)))
  if (unscoped.closest) return unscoped
  const byId = othersNamed(idx, poolId.toLowerCase())
  const named = req.poolName ? union(byId, othersNamed(idx, req.poolName.toLowerCase())) : byId
  return scan(
    named.map((k) => idx.others[k]!).filter((v) => !own.includes(v)),
    'pool',
  )
}
