/**
 * CloudFormation resources → planned snapshot objects, one stack at a time.
 *
 * Read: `AWS::Cognito::UserPool`, `AWS::Cognito::UserPoolClient`,
 * `AWS::Cognito::UserPoolRiskConfigurationAttachment` (`ClientId: ALL` = the pool default; a client id
 * replaces it for that client), `AWS::CloudWatch::Alarm` (single metric and `Metrics[]` math),
 * `AWS::CloudWatch::CompositeAlarm`, `AWS::CloudTrail::Trail`. Every other resource only matters as
 * something a property refers to (a topic in `AlarmActions`, a bucket name).
 *
 * Defaults for left-out properties are the documented ones: no `UserPoolAddOns` = threat protection OFF,
 * no `UserPoolTier` = ESSENTIALS, `ActionsEnabled` true, a trail without selectors records all read and
 * write management events (an empty `EventSelectors` list, as CDK writes it, is the same).
 */
import type {
  CompositeAlarmInfo,
  DimensionValue,
  ListedMetric,
  MetricAlarmInfo,
  MetricQuery,
} from '../../model/alarms.js'
import type { AdvancedEventSelector, BasicEventSelector, TrailRecord, TrailSelectors } from '../../model/cloudtrail.js'
import type { PlannedInfo, SourceLocation } from '../../model/plan.js'
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
import { type Path, Unknown } from '../planned/values.js'
import type { Stack } from './intrinsics.js'

export const POOL = 'AWS::Cognito::UserPool'
export const CLIENT = 'AWS::Cognito::UserPoolClient'
export const RISK = 'AWS::Cognito::UserPoolRiskConfigurationAttachment'
export const ALARM = 'AWS::CloudWatch::Alarm'
export const COMPOSITE = 'AWS::CloudWatch::CompositeAlarm'
export const TRAIL = 'AWS::CloudTrail::Trail'
export const READ_TYPES = new Set([POOL, CLIENT, RISK, ALARM, COMPOSITE, TRAIL])

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export type Locate = (stack: Stack, logicalId: string) => SourceLocation

/** Adds the stack's planned objects to `builder`. `region` is the stack's (checked by the caller). */
export function readStack(stack: Stack, region: string, builder: PlanBuilder, locate: Locate): void {
  for (const [id, resource] of Object.entries(stack.resources)) {
    const type = resource.Type as string
    if (!READ_TYPES.has(type)) continue
    const plan: PlannedInfo = { location: locate(stack, id), change: 'declared' }
    const exists = stack.resourceExists(id)
    if (exists === false) continue
    const base = ['Resources', id, 'Properties']
    const f = new FieldReader(plan, base)
    if (exists instanceof Unknown) f.unknownAt('exists', `Resources.${id}.Condition`, exists.reason)
    const raw = resource.Properties
    const props = isObject(raw) ? (stack.resolve(raw, base) as Record<string, unknown>) : {}
    const ctx: Ctx = { stack, id, region, f, plan, props }
    switch (type) {
      case POOL:
        builder.pools.push(pool(ctx))
        break
      case CLIENT:
        client(ctx, builder)
        break
      case RISK:
        risk(ctx, builder)
        break
      case ALARM:
        builder.alarms.push({ region, alarm: metricAlarm(ctx) })
        break
      case COMPOSITE:
        builder.composites.push({ region, alarm: compositeAlarm(ctx) })
        break
      case TRAIL:
        builder.trails.push(trail(ctx))
        break
    }
  }
}

interface Ctx {
  stack: Stack
  id: string
  region: string
  f: FieldReader
  plan: PlannedInfo
  props: Record<string, unknown>
}

function identity(ctx: Ctx): { ref: string; arn?: string } {
  const id = ctx.stack.identity(ctx.id)
  if (id instanceof Unknown) {
    ctx.f.unknown('name', [], id)
    const name = ctx.stack.generatedName(ctx.id)
    return { ref: name }
  }
  return id
}

function pool({ stack, id, region, f, plan, props }: Ctx): UserPool {
  const ident = stack.identity(id) as { ref: string; arn?: string }
  const addOnsRaw = props.UserPoolAddOns
  let mode: AdvancedSecurityMode = 'OFF'
  let customAuthMode: 'AUDIT' | 'ENFORCED' | undefined
  if (addOnsRaw === undefined) {
    f.defaulted('advancedSecurityMode', 'UserPoolAddOns left out: threat protection OFF')
  } else if (addOnsRaw instanceof Unknown) {
    f.unknown('advancedSecurityMode', ['UserPoolAddOns'], addOnsRaw)
    f.unknown('customAuthMode', ['UserPoolAddOns'], addOnsRaw)
  } else {
    const addOns = f.object('advancedSecurityMode', addOnsRaw, ['UserPoolAddOns']) ?? {}
    const m = f.oneOf(
      'advancedSecurityMode',
      addOns.AdvancedSecurityMode,
      ['UserPoolAddOns', 'AdvancedSecurityMode'],
      ['OFF', 'AUDIT', 'ENFORCED'] as const,
      'OFF',
    )
    if (m === undefined) f.defaulted('advancedSecurityMode', 'UserPoolAddOns.AdvancedSecurityMode left out: OFF')
    else mode = m
    const flows = addOns.AdvancedSecurityAdditionalFlows
    const flowsObj = f.object('customAuthMode', flows, ['UserPoolAddOns', 'AdvancedSecurityAdditionalFlows'])
    if (flowsObj) {
      customAuthMode = f.oneOf(
        'customAuthMode',
        flowsObj.CustomAuthMode,
        ['UserPoolAddOns', 'AdvancedSecurityAdditionalFlows', 'CustomAuthMode'],
        ['AUDIT', 'ENFORCED'] as const,
        'AUDIT',
      )
      if (plan.unknown?.customAuthMode) customAuthMode = undefined
    }
  }
  let tier = f.string('tier', props.UserPoolTier, ['UserPoolTier'])
  if (tier === undefined) {
    tier = 'ESSENTIALS'
    f.defaulted('tier', 'UserPoolTier left out: ESSENTIALS')
  }
  const name = f.string('name', props.UserPoolName, ['UserPoolName']) ?? id
  const out: UserPool = {
    id: ident.ref,
    name,
    region,
    tier,
    advancedSecurityMode: mode,
    clients: loaded([]),
    clientRiskConfigurations: loaded([]),
    errors: [],
    plan,
  }
  if (ident.arn) out.arn = ident.arn
  if (customAuthMode) out.customAuthMode = customAuthMode
  return out
}

function client({ stack, id, region, f, plan, props }: Ctx, builder: PlanBuilder): void {
  const ident = stack.identity(id) as { ref: string }
  const poolId = f.string('poolId', props.UserPoolId, ['UserPoolId']) ?? ''
  const name = f.string('name', props.ClientName, ['ClientName']) ?? id
  builder.clients.push({ region, poolId, client: { id: ident.ref, name, plan } })
}

function risk({ region, f, plan, props }: Ctx, builder: PlanBuilder): void {
  const poolId = f.string('poolId', props.UserPoolId, ['UserPoolId']) ?? ''
  const clientRaw = f.string('clientId', props.ClientId, ['ClientId'])
  const configuration: RiskConfiguration = {}
  const cc = f.object('compromisedCredentials', props.CompromisedCredentialsRiskConfiguration, [
    'CompromisedCredentialsRiskConfiguration',
  ])
  if (cc) {
    const rel: Path = ['CompromisedCredentialsRiskConfiguration']
    const actions = f.object('compromisedCredentials.Actions', cc.Actions, [...rel, 'Actions']) ?? {}
    const action =
      f.oneOf(
        'compromisedCredentials.EventAction',
        actions.EventAction,
        [...rel, 'Actions', 'EventAction'],
        ['BLOCK', 'NO_ACTION'] as const,
        'NO_ACTION',
      ) ?? 'NO_ACTION'
    const c: NonNullable<RiskConfiguration['CompromisedCredentialsRiskConfiguration']> = {
      Actions: { EventAction: action },
    }
    const filter = f.strings('compromisedCredentials.EventFilter', cc.EventFilter, [...rel, 'EventFilter'])
    if (filter) c.EventFilter = filter
    configuration.CompromisedCredentialsRiskConfiguration = c
  }
  const ato = f.object('accountTakeover', props.AccountTakeoverRiskConfiguration, ['AccountTakeoverRiskConfiguration'])
  if (ato) {
    const rel: Path = ['AccountTakeoverRiskConfiguration', 'Actions']
    const actions = f.object('accountTakeover.Actions', ato.Actions, rel) ?? {}
    const out: NonNullable<RiskConfiguration['AccountTakeoverRiskConfiguration']>['Actions'] = {}
    for (const level of ['HighAction', 'MediumAction', 'LowAction'] as const) {
      const a = f.object(`accountTakeover.${level}`, actions[level], [...rel, level])
      if (!a) continue
      const eventAction =
        f.oneOf(
          `accountTakeover.${level}.EventAction`,
          a.EventAction,
          [...rel, level, 'EventAction'],
          ['BLOCK', 'MFA_IF_CONFIGURED', 'MFA_REQUIRED', 'NO_ACTION'] as const satisfies readonly EventAction[],
          'NO_ACTION',
        ) ?? 'NO_ACTION'
      const notify = f.boolean(`accountTakeover.${level}.Notify`, a.Notify, [...rel, level, 'Notify'], false) ?? false
      out[level] = { EventAction: eventAction, Notify: notify }
    }
    configuration.AccountTakeoverRiskConfiguration = { Actions: out }
  }
  const ex = f.object('riskException', props.RiskExceptionConfiguration, ['RiskExceptionConfiguration'])
  if (ex) {
    const rel: Path = ['RiskExceptionConfiguration']
    const e: NonNullable<RiskConfiguration['RiskExceptionConfiguration']> = {}
    const blocked = f.strings('riskException.BlockedIPRangeList', ex.BlockedIPRangeList, [...rel, 'BlockedIPRangeList'])
    if (blocked) e.BlockedIPRangeList = blocked
    const skipped = f.strings('riskException.SkippedIPRangeList', ex.SkippedIPRangeList, [...rel, 'SkippedIPRangeList'])
    if (skipped) e.SkippedIPRangeList = skipped
    if (plan.unknown?.['riskException.SkippedIPRangeList']) e.SkippedIPRangeList = ['0.0.0.0/0', '::/0']
    configuration.RiskExceptionConfiguration = e
  }
  const entry = { region, poolId, configuration, plan } as Parameters<PlanBuilder['risks']['push']>[0]
  if (clientRaw !== undefined && clientRaw !== 'ALL') entry.clientId = clientRaw
  builder.risks.push(entry)
}

function dimensions(f: FieldReader, field: string, value: unknown, rel: Path): DimensionValue[] {
  const out: DimensionValue[] = []
  for (const { item, rel: r } of f.list(field, value, rel) ?? []) {
    const name = f.string(`${field}.Name`, item.Name, [...r, 'Name']) ?? ''
    const v = f.string(`${field}[${name}]`, item.Value, [...r, 'Value']) ?? ''
    out.push({ name, value: v })
  }
  return out
}

function series(f: FieldReader, field: string, m: Record<string, unknown>, rel: Path): ListedMetric {
  return {
    namespace: f.string(`${field}.namespace`, m.Namespace, [...rel, 'Namespace']) ?? '',
    metricName: f.string(`${field}.metricName`, m.MetricName, [...rel, 'MetricName']) ?? '',
    dimensions: dimensions(f, `${field}.dimensions`, m.Dimensions, [...rel, 'Dimensions']),
  }
}

function actions(ctx: Ctx): { actionsEnabled: boolean; alarmActions: string[] } {
  const { f, props } = ctx
  let actionsEnabled = f.boolean('actionsEnabled', props.ActionsEnabled, ['ActionsEnabled'], false)
  if (actionsEnabled === undefined) {
    actionsEnabled = true
    f.defaulted('actionsEnabled', 'ActionsEnabled left out: true')
  }
  const alarmActions = f.strings('alarmActions', props.AlarmActions, ['AlarmActions']) ?? []
  return { actionsEnabled, alarmActions }
}

function metricAlarm(ctx: Ctx): MetricAlarmInfo {
  const { f, props } = ctx
  const ident = identity(ctx)
  const out: MetricAlarmInfo = { name: ident.ref, ...actions(ctx), plan: ctx.plan }
  if (ident.arn) out.arn = ident.arn
  if (props.MetricName !== undefined || props.Namespace !== undefined) out.metric = series(f, 'metric', props, [])
  const set = <K extends keyof MetricAlarmInfo>(key: K, v: MetricAlarmInfo[K] | undefined) => {
    if (v !== undefined) out[key] = v
  }
  set('statistic', f.string('statistic', props.Statistic, ['Statistic']))
  set('extendedStatistic', f.string('extendedStatistic', props.ExtendedStatistic, ['ExtendedStatistic']))
  set('period', f.number('period', props.Period, ['Period']))
  const metrics = f.list('queries', props.Metrics, ['Metrics'])
  if (metrics && (metrics.length > 0 || ctx.plan.unknown?.queries)) {
    out.queries = metrics.map(({ item, rel }): MetricQuery => {
      const qid = f.string('queries.id', item.Id, [...rel, 'Id']) ?? ''
      const field = `queries[${qid}]`
      const q: MetricQuery = {
        id: qid,
        returnData: f.boolean(`${field}.returnData`, item.ReturnData, [...rel, 'ReturnData'], false) ?? true,
      }
      const expr = f.string(`${field}.expression`, item.Expression, [...rel, 'Expression'])
      if (expr !== undefined) q.expression = expr
      const stat = f.object(`${field}.metric`, item.MetricStat, [...rel, 'MetricStat'])
      if (stat) {
        const metric = f.object(`${field}.metric`, stat.Metric, [...rel, 'MetricStat', 'Metric'])
        if (metric) q.metric = series(f, `${field}.metric`, metric, [...rel, 'MetricStat', 'Metric'])
        const s = f.string(`${field}.stat`, stat.Stat, [...rel, 'MetricStat', 'Stat'])
        if (s !== undefined) q.stat = s
      }
      const inStat = stat?.Period !== undefined
      const period = f.number(
        `${field}.period`,
        inStat ? stat?.Period : item.Period,
        inStat ? [...rel, 'MetricStat', 'Period'] : [...rel, 'Period'],
      )
      if (period !== undefined) q.period = period
      return q
    })
  }
  set('evaluationPeriods', f.number('evaluationPeriods', props.EvaluationPeriods, ['EvaluationPeriods']))
  set('datapointsToAlarm', f.number('datapointsToAlarm', props.DatapointsToAlarm, ['DatapointsToAlarm']))
  set('threshold', f.number('threshold', props.Threshold, ['Threshold']))
  set('thresholdMetricId', f.string('thresholdMetricId', props.ThresholdMetricId, ['ThresholdMetricId']))
  set('comparisonOperator', f.string('comparisonOperator', props.ComparisonOperator, ['ComparisonOperator']))
  set('treatMissingData', f.string('treatMissingData', props.TreatMissingData, ['TreatMissingData']))
  if (props.TreatMissingData === undefined) f.defaulted('treatMissingData', 'TreatMissingData left out: missing')
  return out
}

function compositeAlarm(ctx: Ctx): CompositeAlarmInfo {
  const ident = identity(ctx)
  const rule = ctx.f.string('alarmRule', ctx.props.AlarmRule, ['AlarmRule']) ?? ''
  const out: CompositeAlarmInfo = { name: ident.ref, ...actions(ctx), alarmRule: rule, plan: ctx.plan }
  if (ident.arn) out.arn = ident.arn
  return out
}

const SELECTOR_OPS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const

function trail(ctx: Ctx): TrailRecord {
  const { f, props, region } = ctx
  const ident = identity(ctx)
  const flag = (field: string, prop: string, dflt: boolean) => {
    const v = f.boolean(field, props[prop], [prop], false)
    if (v !== undefined) return v
    f.defaulted(field, `${prop} left out: ${dflt}`)
    return dflt
  }
  const isLogging = f.boolean('status.isLogging', props.IsLogging, ['IsLogging'], false) ?? false
  const rec: TrailRecord = {
    name: ident.ref,
    arn: ident.arn ?? ident.ref,
    homeRegion: region,
    isMultiRegion: flag('isMultiRegion', 'IsMultiRegionTrail', false),
    isOrganization: flag('isOrganization', 'IsOrganizationTrail', false),
    logFileValidation: flag('logFileValidation', 'EnableLogFileValidation', false),
    status: { isLogging },
    errors: [],
    plan: ctx.plan,
  }
  const opt = (key: 'kmsKeyId' | 'cloudWatchLogsLogGroupArn' | 's3BucketName', prop: string) => {
    const v = f.string(key, props[prop], [prop])
    if (v !== undefined) rec[key] = v
  }
  opt('kmsKeyId', 'KMSKeyId')
  opt('cloudWatchLogsLogGroupArn', 'CloudWatchLogsLogGroupArn')
  opt('s3BucketName', 'S3BucketName')

  const selectors: TrailSelectors = {}
  const basic = f.list('selectors', props.EventSelectors, ['EventSelectors']) ?? []
  const advanced = f.list('selectors', props.AdvancedEventSelectors, ['AdvancedEventSelectors']) ?? []
  if (advanced.length > 0) {
    selectors.advancedEventSelectors = advanced.map(({ item, rel }): AdvancedEventSelector => {
      const sel: AdvancedEventSelector = {
        FieldSelectors: (f.list('selectors', item.FieldSelectors, [...rel, 'FieldSelectors']) ?? []).map(
          ({ item: fs, rel: r }) => {
            const out: AdvancedEventSelector['FieldSelectors'][number] = {
              Field: f.string('selectors', fs.Field, [...r, 'Field']) ?? '',
            }
            for (const op of SELECTOR_OPS) {
              const v = f.strings('selectors', fs[op], [...r, op])
              if (v) out[op] = v
            }
            return out
          },
        ),
      }
      const name = f.string('selectors', item.Name, [...rel, 'Name'])
      if (name !== undefined) sel.Name = name
      return sel
    })
  } else if (basic.length > 0) {
    selectors.eventSelectors = basic.map(({ item, rel }): BasicEventSelector => {
      const sel: BasicEventSelector = {}
      const rw = f.oneOf(
        'selectors',
        item.ReadWriteType,
        [...rel, 'ReadWriteType'],
        ['All', 'ReadOnly', 'WriteOnly'] as const,
        'ReadOnly',
      )
      if (rw !== undefined) sel.ReadWriteType = rw
      const mgmt = f.boolean('selectors', item.IncludeManagementEvents, [...rel, 'IncludeManagementEvents'], false)
      if (mgmt !== undefined) sel.IncludeManagementEvents = mgmt
      const ex = f.strings('selectors', item.ExcludeManagementEventSources, [...rel, 'ExcludeManagementEventSources'])
      if (ex) sel.ExcludeManagementEventSources = ex
      const data = f.list('selectors', item.DataResources, [...rel, 'DataResources'])
      if (data) {
        sel.DataResources = data.map(({ item: d, rel: r }) => {
          const out: { Type?: string; Values?: string[] } = {}
          const t = f.string('selectors', d.Type, [...r, 'Type'])
          if (t !== undefined) out.Type = t
          const v = f.strings('selectors', d.Values, [...r, 'Values'])
          if (v) out.Values = v
          return out
        })
      }
      return sel
    })
  }
  return settleSelectors(rec, selectors, f, 'no event selectors')
}
