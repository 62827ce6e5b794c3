/**
 * Terraform resource instances → planned snapshot objects.
 *
 * Values come from `change.after`; a leaf that `after_unknown` marks is unknown until apply, unless the
 * configuration shows it is a reference to a resource in the plan (then it is that resource's identity:
 * `user_pool_id = aws_cognito_user_pool.main.id`, `dimensions = { UserPoolId = … }`). Left-out
 * arguments take the provider's documented defaults: no `user_pool_add_ons` block = OFF, an unset
 * `user_pool_tier` = ESSENTIALS, `actions_enabled` true, `enable_logging` true, no selectors = all
 * management events; `aws_cognito_risk_configuration` without `client_id` is the pool default.
 */
import type {
  CompositeAlarmInfo,
  DimensionValue,
  ListedMetric,
  MetricAlarmInfo,
  MetricQuery,
} from '../../model/alarms.js'
import type { AdvancedEventSelector, BasicEventSelector, TrailRecord, TrailSelectors } from '../../model/cloudtrail.js'
import type { PlanChange, PlannedInfo, SourceLocation } from '../../model/plan.js'
import {
  type AdvancedSecurityMode,
  type EventAction,
  loaded,
  type RiskConfiguration,
  type UserPool,
} from '../../model/snapshot.js'
import type { PlanBuilder } from '../planned/builder.js'
import { FieldReader } from '../planned/fields.js'
import { settleSelectors } from '../planned/trail.js'
import { formatPath, type Path, Unknown } from '../planned/values.js'
import type { Instance, PlanIndex } from './references.js'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export const POOL = 'aws_cognito_user_pool'
export const CLIENT = 'aws_cognito_user_pool_client'
export const RISK = 'aws_cognito_risk_configuration'
export const ALARM = 'aws_cloudwatch_metric_alarm'
export const COMPOSITE = 'aws_cloudwatch_composite_alarm'
export const TRAIL = 'aws_cloudtrail'
export const READ_TYPES = new Set([POOL, CLIENT, RISK, ALARM, COMPOSITE, TRAIL])

const DELETION_KIND = {
  [POOL]: 'pool',
  [CLIENT]: 'client',
  [RISK]: 'risk-configuration',
  [ALARM]: 'metric-alarm',
  [COMPOSITE]: 'composite-alarm',
  [TRAIL]: 'trail',
} as const

export function changeOf(actions: string[]): PlanChange | 'delete' | 'read' {
  const a = actions.join(',')
  if (a === 'create') return 'create'
  if (a === 'update') return 'update'
  if (a === 'no-op') return 'no-op'
  if (a === 'delete') return 'delete'
  if (a === 'read') return 'read'
  if (actions.includes('delete') && actions.includes('create')) return 'replace'
  return 'update'
}

/** Values of one instance: `after` with unknown leaves as `Unknown`, references resolved to identities. */
class Values {
  constructor(
    readonly index: PlanIndex,
    readonly inst: Instance,
  ) {}

  get address(): string {
    return this.inst.rc.address
  }

  get(path: Path): unknown {
    let a: unknown = this.inst.rc.change.after
    let u: unknown = this.inst.rc.change.after_unknown
    for (const [i, seg] of path.entries()) {
      if (u === true) return this.unknownAt(path.slice(0, i))
      a = isObject(a) || Array.isArray(a) ? (a as Record<string | number, unknown>)[seg] : undefined
      u = isObject(u) || Array.isArray(u) ? (u as Record<string | number, unknown>)[seg] : undefined
    }
    if (u === true) return this.unknownAt(path)
    return merge(a, u, path, (p) => this.unknownAt(p))
  }

  /** An unknown leaf; one the configuration leaves out is the provider's default after apply (undefined here). */
  private unknownAt(path: Path): Unknown | undefined {
    if (this.inst.rc.change.actions.includes('create') && this.index.argumentState(this.inst, path) === 'unset') {
      return undefined
    }
    return new Unknown(formatPath([this.address, ...path]), 'known only after apply')
  }

  /** A value that names another resource: known, else the identity of the one resource its expression refers to. */
  identity(path: Path, exprPath: Path, types: string[]): unknown {
    const v = this.get(path)
    if (!(v instanceof Unknown)) return v
    const targets = this.index
      .targets(this.inst, this.index.expression(this.inst, exprPath))
      .filter((t) => types.includes(t.target.rc.type))
    const values = new Set<string>()
    for (const { target, attr } of targets) {
      const id = this.index.identity(target)
      const value =
        attr === undefined || attr === 'id'
          ? id.id
          : attr === 'arn'
            ? id.arn
            : attr.endsWith('name')
              ? id.name
              : undefined
      if (value !== undefined) values.add(value)
    }
    if (values.size === 1) return [...values][0]
    if (values.size > 1) return new Unknown(v.path, `refers to ${values.size} resources: ${[...values].join(', ')}`)
    return v
  }
}

function merge(a: unknown, u: unknown, path: Path, unknownAt: (path: Path) => Unknown | undefined): unknown {
  if (u === true) return unknownAt(path)
  if (a === null) return undefined
  if (Array.isArray(u) || Array.isArray(a)) {
    const al = Array.isArray(a) ? a : []
    const ul = Array.isArray(u) ? u : []
    const n = Math.max(al.length, ul.length)
    const out: unknown[] = []
    for (let i = 0; i < n; i++) out.push(merge(al[i], ul[i], [...path, i], unknownAt))
    return out
  }
  if (isObject(u) || isObject(a)) {
    const ao = isObject(a) ? a : {}
    const uo = isObject(u) ? u : {}
    const out: Record<string, unknown> = {}
    for (const k of new Set([...Object.keys(ao), ...Object.keys(uo)])) {
      const v = merge(ao[k], uo[k], [...path, k], unknownAt)
      if (v !== undefined) out[k] = v
    }
    return out
  }
  return a
}

export type Locate = (inst: Instance) => SourceLocation

interface Ctx {
  v: Values
  f: FieldReader
  plan: PlannedInfo
  region: string
}

/** Adds one instance to `builder`; returns false when it is not something the checks read. */
export function readInstance(index: PlanIndex, inst: Instance, builder: PlanBuilder, locate: Locate): void {
  const { rc } = inst
  if (rc.mode !== 'managed' || !READ_TYPES.has(rc.type)) return
  const change = changeOf(rc.change.actions)
  const region = inst.region!
  const location = locate(inst)
  if (change === 'delete') {
    const id = index.identity(inst)
    builder.deleted.push({
      kind: DELETION_KIND[rc.type as keyof typeof DELETION_KIND],
      id: rc.type === TRAIL ? (id.arn ?? id.id) : id.id,
      region,
      location,
    })
    return
  }
  if (change === 'read') return
  const plan: PlannedInfo = { location, change }
  const ctx: Ctx = { v: new Values(index, inst), f: new FieldReader(plan, [rc.address]), plan, region }
  const id = index.identity(inst)
  switch (rc.type) {
    case POOL:
      builder.pools.push(pool(ctx, id))
      break
    case CLIENT: {
      const poolId = ctx.f.string('poolId', ctx.v.identity(['user_pool_id'], ['user_pool_id'], [POOL]), [
        'user_pool_id',
      ])
      const name = ctx.f.string('name', ctx.v.get(['name']), ['name']) ?? rc.name
      builder.clients.push({ region, poolId: poolId ?? '', client: { id: id.id, name, plan } })
      break
    }
    case RISK:
      risk(ctx, builder)
      break
    case ALARM:
      builder.alarms.push({ region, alarm: metricAlarm(ctx, id) })
      break
    case COMPOSITE:
      builder.composites.push({ region, alarm: compositeAlarm(ctx, id) })
      break
    case TRAIL:
      builder.trails.push(trail(ctx, id))
      break
  }
}

/** First element of a nested block list (`user_pool_add_ons { … }` is a list of at most one). */
function block(v: unknown): Record<string, unknown> | Unknown | undefined {
  if (v instanceof Unknown) return v
  if (Array.isArray(v)) return v[0] instanceof Unknown ? v[0] : isObject(v[0]) ? v[0] : undefined
  return isObject(v) ? v : undefined
}

function pool({ v, f, plan, region }: Ctx, id: { id: string; arn?: string; name?: string }): UserPool {
  let mode: AdvancedSecurityMode = 'OFF'
  let customAuthMode: 'AUDIT' | 'ENFORCED' | undefined
  const addOns = block(v.get(['user_pool_add_ons']))
  if (addOns === undefined) {
    f.defaulted('advancedSecurityMode', 'user_pool_add_ons left out: threat protection OFF')
  } else if (addOns instanceof Unknown) {
    f.unknown('advancedSecurityMode', ['user_pool_add_ons'], addOns)
  } else {
    mode =
      f.oneOf(
        'advancedSecurityMode',
        addOns.advanced_security_mode,
        ['user_pool_add_ons', 0, 'advanced_security_mode'],
        ['OFF', 'AUDIT', 'ENFORCED'] as const,
        'OFF',
      ) ?? 'OFF'
    const flows = block(addOns.advanced_security_additional_flows)
    if (flows instanceof Unknown)
      f.unknown('customAuthMode', ['user_pool_add_ons', 0, 'advanced_security_additional_flows'], flows)
    else if (flows) {
      customAuthMode = f.oneOf(
        'customAuthMode',
        flows.custom_auth_mode,
        ['user_pool_add_ons', 0, 'advanced_security_additional_flows', 0, 'custom_auth_mode'],
        ['AUDIT', 'ENFORCED'] as const,
        'AUDIT',
      )
      if (plan.unknown?.customAuthMode) customAuthMode = undefined
    }
  }
  // Optional + computed: unset on a new pool it is unknown in the plan and ESSENTIALS after apply.
  const tierRaw = v.get(['user_pool_tier'])
  const configured = v.index.expression(v.inst, ['user_pool_tier']) !== undefined
  let tier: string
  if (tierRaw === undefined || (tierRaw instanceof Unknown && !configured)) {
    tier = 'ESSENTIALS'
    f.defaulted('tier', 'user_pool_tier left out: ESSENTIALS')
  } else tier = f.string('tier', tierRaw, ['user_pool_tier'])!
  const out: UserPool = {
    id: id.id,
    name: f.string('name', v.get(['name']), ['name']) ?? v.inst.rc.name,
    region,
    tier,
    advancedSecurityMode: mode,
    clients: loaded([]),
    clientRiskConfigurations: loaded([]),
    errors: [],
    plan,
  }
  if (id.arn) out.arn = id.arn
  if (customAuthMode) out.customAuthMode = customAuthMode
  return out
}

function risk({ v, f, plan, region }: Ctx, builder: PlanBuilder): void {
  const poolId = f.string('poolId', v.identity(['user_pool_id'], ['user_pool_id'], [POOL]), ['user_pool_id']) ?? ''
  const clientId = f.string('clientId', v.identity(['client_id'], ['client_id'], [CLIENT]), ['client_id'])
  const configuration: RiskConfiguration = {}
  const cc = block(v.get(['compromised_credentials_risk_configuration']))
  const ccRel: Path = ['compromised_credentials_risk_configuration', 0]
  if (cc instanceof Unknown) f.unknown('compromisedCredentials', ccRel, cc)
  else if (cc) {
    const actions = block(cc.actions)
    const action =
      f.oneOf(
        'compromisedCredentials.EventAction',
        actions instanceof Unknown ? actions : actions?.event_action,
        [...ccRel, 'actions', 0, 'event_action'],
        ['BLOCK', 'NO_ACTION'] as const,
        'NO_ACTION',
      ) ?? 'NO_ACTION'
    const c: NonNullable<RiskConfiguration['CompromisedCredentialsRiskConfiguration']> = {
      Actions: { EventAction: action },
    }
    const filter = f.strings('compromisedCredentials.EventFilter', cc.event_filter, [...ccRel, 'event_filter'])
    if (filter && filter.length > 0) c.EventFilter = filter
    else if (plan.unknown?.['compromisedCredentials.EventFilter']) c.EventFilter = []
    configuration.CompromisedCredentialsRiskConfiguration = c
  }
  const ato = block(v.get(['account_takeover_risk_configuration']))
  const atoRel: Path = ['account_takeover_risk_configuration', 0, 'actions', 0]
  if (ato instanceof Unknown) f.unknown('accountTakeover', atoRel, ato)
  else if (ato) {
    const actions = block(ato.actions)
    const out: NonNullable<RiskConfiguration['AccountTakeoverRiskConfiguration']>['Actions'] = {}
    if (actions instanceof Unknown) f.unknown('accountTakeover.Actions', atoRel, actions)
    else if (actions) {
      for (const [level, key] of [
        ['HighAction', 'high_action'],
        ['MediumAction', 'medium_action'],
        ['LowAction', 'low_action'],
      ] as const) {
        const a = block(actions[key])
        if (a instanceof Unknown) {
          f.unknown(`accountTakeover.${level}`, [...atoRel, key], a)
          out[level] = { EventAction: 'NO_ACTION', Notify: false }
          continue
        }
        if (!a) continue
        const eventAction =
          f.oneOf(
            `accountTakeover.${level}.EventAction`,
            a.event_action,
            [...atoRel, key, 0, 'event_action'],
            ['BLOCK', 'MFA_IF_CONFIGURED', 'MFA_REQUIRED', 'NO_ACTION'] as const satisfies readonly EventAction[],
            'NO_ACTION',
          ) ?? 'NO_ACTION'
        const notify =
          f.boolean(`accountTakeover.${level}.Notify`, a.notify, [...atoRel, key, 0, 'notify'], false) ?? false
        out[level] = { EventAction: eventAction, Notify: notify }
      }
    }
    configuration.AccountTakeoverRiskConfiguration = { Actions: out }
  }
  const ex = block(v.get(['risk_exception_configuration']))
  const exRel: Path = ['risk_exception_configuration', 0]
  if (ex instanceof Unknown) {
    f.unknown('riskException.SkippedIPRangeList', exRel, ex)
    configuration.RiskExceptionConfiguration = { SkippedIPRangeList: ['0.0.0.0/0', '::/0'] }
  } else if (ex) {
    const e: NonNullable<RiskConfiguration['RiskExceptionConfiguration']> = {}
    const blocked = f.strings('riskException.BlockedIPRangeList', ex.blocked_ip_range_list, [
      ...exRel,
      'blocked_ip_range_list',
    ])
    if (blocked && blocked.length > 0) e.BlockedIPRangeList = blocked
    const skipped = f.strings('riskException.SkippedIPRangeList', ex.skipped_ip_range_list, [
      ...exRel,
      'skipped_ip_range_list',
    ])
    if (skipped && skipped.length > 0) e.SkippedIPRangeList = skipped
    if (plan.unknown?.['riskException.SkippedIPRangeList']) e.SkippedIPRangeList = ['0.0.0.0/0', '::/0']
    configuration.RiskExceptionConfiguration = e
  }
  const entry: Parameters<PlanBuilder['risks']['push']>[0] = { region, poolId, configuration, plan }
  if (clientId !== undefined) entry.clientId = clientId
  builder.risks.push(entry)
}

/** Which resource a dimension's value names when it is a reference. */
function dimensionTypes(name: string): string[] {
  if (name === 'UserPoolClient' || name === 'ClientId') return [CLIENT]
  return [POOL]
}

function dimensions(ctx: Ctx, field: string, path: Path): DimensionValue[] {
  const { v, f } = ctx
  const raw = v.get(path)
  if (raw instanceof Unknown) {
    f.unknown(`${field}`, path, raw)
    return []
  }
  if (!isObject(raw)) return []
  return Object.keys(raw).map((name) => {
    const value = v.identity([...path, name], path, dimensionTypes(name))
    return { name, value: f.string(`${field}[${name}]`, value, [...path, name]) ?? '' }
  })
}

const optString = (f: FieldReader, field: string, value: unknown, rel: Path): string | undefined => {
  const s = f.string(field, value, rel)
  return s === '' ? undefined : s
}

const optNumber = (f: FieldReader, field: string, value: unknown, rel: Path): number | undefined => {
  const n = f.number(field, value, rel)
  return n === 0 ? undefined : n
}

function series(ctx: Ctx, field: string, path: Path, m: Record<string, unknown>): ListedMetric {
  return {
    namespace: ctx.f.string(`${field}.namespace`, m.namespace, [...path, 'namespace']) ?? '',
    metricName: ctx.f.string(`${field}.metricName`, m.metric_name, [...path, 'metric_name']) ?? '',
    dimensions: dimensions(ctx, `${field}.dimensions`, [...path, 'dimensions']),
  }
}

function actions({ v, f }: Ctx): { actionsEnabled: boolean; alarmActions: string[] } {
  let actionsEnabled = f.boolean('actionsEnabled', v.get(['actions_enabled']), ['actions_enabled'], false)
  if (actionsEnabled === undefined) {
    actionsEnabled = true
    f.defaulted('actionsEnabled', 'actions_enabled left out: true')
  }
  const raw = v.get(['alarm_actions'])
  // An action whose ARN is known only after apply (a topic created with the alarm) is still an action.
  const resolved = Array.isArray(raw)
    ? raw.map((x, i) =>
        x instanceof Unknown
          ? v.identity(['alarm_actions', i], ['alarm_actions'], ['aws_sns_topic', 'aws_lambda_function'])
          : x,
      )
    : raw
  const alarmActions = f.strings('alarmActions', resolved, ['alarm_actions']) ?? []
  return { actionsEnabled, alarmActions }
}

function metricAlarm(ctx: Ctx, id: { id: string; arn?: string }): MetricAlarmInfo {
  const { v, f } = ctx
  const out: MetricAlarmInfo = { name: id.id, ...actions(ctx), plan: ctx.plan }
  if (id.arn) out.arn = id.arn
  const after = v.get([])
  const a = isObject(after) ? after : {}
  const set = <K extends keyof MetricAlarmInfo>(key: K, value: MetricAlarmInfo[K] | undefined) => {
    if (value !== undefined) out[key] = value
  }
  if (
    optString(f, 'metric.metricName', a.metric_name, ['metric_name']) !== undefined ||
    optString(f, 'metric.namespace', a.namespace, ['namespace']) !== undefined
  ) {
    out.metric = series(ctx, 'metric', [], a)
  }
  set('statistic', optString(f, 'statistic', a.statistic, ['statistic']))
  set('extendedStatistic', optString(f, 'extendedStatistic', a.extended_statistic, ['extended_statistic']))
  set('period', optNumber(f, 'period', a.period, ['period']))
  const queries = a.metric_query
  if (queries instanceof Unknown) {
    f.unknown('queries', ['metric_query'], queries)
    out.queries = []
  } else if (Array.isArray(queries) && queries.length > 0) {
    out.queries = queries.map((q, i): MetricQuery => {
      const rel: Path = ['metric_query', i]
      const item = isObject(q) ? q : {}
      const qid = f.string('queries.id', item.id, [...rel, 'id']) ?? ''
      const field = `queries[${qid}]`
      const query: MetricQuery = {
        id: qid,
        returnData: f.boolean(`${field}.returnData`, item.return_data, [...rel, 'return_data'], false) ?? false,
      }
      const expr = optString(f, `${field}.expression`, item.expression, [...rel, 'expression'])
      if (expr !== undefined) query.expression = expr
      const metric = block(item.metric)
      if (metric instanceof Unknown) f.unknown(`${field}.metric`, [...rel, 'metric'], metric)
      else if (metric) {
        query.metric = series(ctx, `${field}.metric`, [...rel, 'metric', 0], metric)
        const stat = optString(f, `${field}.stat`, metric.stat, [...rel, 'metric', 0, 'stat'])
        if (stat !== undefined) query.stat = stat
        const period = optNumber(f, `${field}.period`, metric.period, [...rel, 'metric', 0, 'period'])
        if (period !== undefined) query.period = period
      }
      if (query.period === undefined) {
        const p = optNumber(f, `${field}.period`, item.period, [...rel, 'period'])
        if (p !== undefined) query.period = p
      }
      return query
    })
    // A single query is the alarm's result whether or not `return_data` is set.
    if (out.queries.length === 1 && !ctx.plan.unknown?.[`queries[${out.queries[0]!.id}].returnData`]) {
      out.queries[0]!.returnData = true
    }
  }
  set('evaluationPeriods', optNumber(f, 'evaluationPeriods', a.evaluation_periods, ['evaluation_periods']))
  set('datapointsToAlarm', optNumber(f, 'datapointsToAlarm', a.datapoints_to_alarm, ['datapoints_to_alarm']))
  set('threshold', f.number('threshold', a.threshold, ['threshold']))
  set('thresholdMetricId', optString(f, 'thresholdMetricId', a.threshold_metric_id, ['threshold_metric_id']))
  set('comparisonOperator', optString(f, 'comparisonOperator', a.comparison_operator, ['comparison_operator']))
  const tmd = optString(f, 'treatMissingData', a.treat_missing_data, ['treat_missing_data'])
  if (tmd !== undefined) out.treatMissingData = tmd
  else f.defaulted('treatMissingData', 'treat_missing_data left out: missing')
  return out
}

function compositeAlarm(ctx: Ctx, id: { id: string; arn?: string }): CompositeAlarmInfo {
  const rule = ctx.f.string('alarmRule', ctx.v.get(['alarm_rule']), ['alarm_rule']) ?? ''
  const out: CompositeAlarmInfo = { name: id.id, ...actions(ctx), alarmRule: rule, plan: ctx.plan }
  if (id.arn) out.arn = id.arn
  return out
}

const FIELD_OPS = [
  ['Equals', 'equals'],
  ['StartsWith', 'starts_with'],
  ['EndsWith', 'ends_with'],
  ['NotEquals', 'not_equals'],
  ['NotStartsWith', 'not_starts_with'],
  ['NotEndsWith', 'not_ends_with'],
] as const

function trail(ctx: Ctx, id: { id: string; arn?: string; name?: string }): TrailRecord {
  const { v, f, region } = ctx
  const flag = (field: string, key: string, dflt: boolean) => {
    const b = f.boolean(field, v.get([key]), [key], false)
    if (b !== undefined) return b
    f.defaulted(field, `${key} left out: ${dflt}`)
    return dflt
  }
  const rec: TrailRecord = {
    name: id.name ?? id.id,
    arn: id.arn ?? id.id,
    homeRegion: region,
    isMultiRegion: flag('isMultiRegion', 'is_multi_region_trail', false),
    isOrganization: flag('isOrganization', 'is_organization_trail', false),
    logFileValidation: flag('logFileValidation', 'enable_log_file_validation', false),
    status: { isLogging: flag('status.isLogging', 'enable_logging', true) },
    errors: [],
    plan: ctx.plan,
  }
  const opt = (key: 'kmsKeyId' | 'cloudWatchLogsLogGroupArn' | 's3BucketName', attr: string) => {
    const s = optString(f, key, v.get([attr]), [attr])
    if (s !== undefined) rec[key] = s
  }
  opt('kmsKeyId', 'kms_key_id')
  opt('cloudWatchLogsLogGroupArn', 'cloud_watch_logs_group_arn')
  opt('s3BucketName', 's3_bucket_name')

  const selectors: TrailSelectors = {}
  const basic = f.list('selectors', v.get(['event_selector']), ['event_selector']) ?? []
  const advanced = f.list('selectors', v.get(['advanced_event_selector']), ['advanced_event_selector']) ?? []
  if (advanced.length > 0) {
    selectors.advancedEventSelectors = advanced.map(({ item: sel, rel }): AdvancedEventSelector => {
      const out: AdvancedEventSelector = {
        FieldSelectors: (f.list('selectors', sel.field_selector, [...rel, 'field_selector']) ?? []).map(
          ({ item: fs, rel: r }) => {
            const o: AdvancedEventSelector['FieldSelectors'][number] = {
              Field: f.string('selectors', fs.field, [...r, 'field']) ?? '',
            }
            for (const [op, key] of FIELD_OPS) {
              const list = f.strings('selectors', fs[key], [...r, key])
              if (list && list.length > 0) o[op] = list
            }
            return o
          },
        ),
      }
      const name = optString(f, 'selectors', sel.name, [...rel, 'name'])
      if (name !== undefined) out.Name = name
      return out
    })
  } else if (basic.length > 0) {
    selectors.eventSelectors = basic.map(({ item: sel, rel }): BasicEventSelector => {
      const out: BasicEventSelector = {}
      const rw = f.oneOf(
        'selectors',
        sel.read_write_type,
        [...rel, 'read_write_type'],
        ['All', 'ReadOnly', 'WriteOnly'] as const,
        'ReadOnly',
      )
      if (rw !== undefined) out.ReadWriteType = rw
      const mgmt = f.boolean('selectors', sel.include_management_events, [...rel, 'include_management_events'], false)
      if (mgmt !== undefined) out.IncludeManagementEvents = mgmt
      const ex = f.strings('selectors', sel.exclude_management_event_sources, [
        ...rel,
        'exclude_management_event_sources',
      ])
      if (ex && ex.length > 0) out.ExcludeManagementEventSources = ex
      const data = f.list('selectors', sel.data_resource, [...rel, 'data_resource'])
      if (data && data.length > 0) {
        out.DataResources = data.map(({ item: d, rel: r }) => {
          const o: { Type?: string; Values?: string[] } = {}
          const t = f.string('selectors', d.type, [...r, 'type'])
          if (t !== undefined) o.Type = t
          const vals = f.strings('selectors', d.values, [...r, 'values'])
          if (vals) o.Values = vals
          return o
        })
      }
      return out
    })
  }
  return settleSelectors(rec, selectors, f, 'no event_selector or advanced_event_selector')
}
