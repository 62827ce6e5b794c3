/**
 * What the proxy answers itself (moto lacks it) and what it corrects in moto's answers.
 * Each handler returns the wire response, or undefined to let the request go to moto.
 */
import { evaluate, type Series } from './metric-math.js'
import { ProxyState, type RiskConfiguration } from './state.js'
import { errorResponse, jsonResponse, type RequestInfo, toEpochSeconds, type WireError } from './wire.js'

export interface MotoAnswer {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: moto's JSON answers are inspected loosely
  json: any
  raw: Buffer
  headers: Record<string, string>
}

/** Sends a JSON request to moto as `region` (used for look-ups the proxy needs). */
export type MotoCall = (info: RequestInfo, operation: string, body: unknown) => Promise<MotoAnswer>

// biome-ignore lint/suspicious/noExplicitAny: request bodies are untyped JSON
type Json = any

const RISK_SECTIONS = [
  'CompromisedCredentialsRiskConfiguration',
  'AccountTakeoverRiskConfiguration',
  'RiskExceptionConfiguration',
] as const

/** Requests the proxy answers itself (JSON protocols only). */
export async function answerLocally(
  info: RequestInfo,
  body: Json,
  state: ProxyState,
  moto: MotoCall,
): Promise<WireError | undefined> {
  if (info.protocol !== 'json') return undefined
  const key = `${info.service}:${info.operation}`
  switch (key) {
    case 'cognito-idp:DescribeRiskConfiguration':
    case 'cognito-idp:SetRiskConfiguration':
      return riskConfiguration(info, body, state, moto)
    case 'cloudtrail:LookupEvents':
      return lookupEvents(info, body, state)
    case 'cloudwatch:PutCompositeAlarm':
      if (typeof body.AlarmName !== 'string' || typeof body.AlarmRule !== 'string') {
        return errorResponse(info, 'ValidationError', 'AlarmName and AlarmRule are required')
      }
      state.putComposite(info.region, {
        AlarmName: body.AlarmName,
        AlarmRule: body.AlarmRule,
        AlarmDescription: body.AlarmDescription,
        ActionsEnabled: body.ActionsEnabled ?? true,
        AlarmActions: body.AlarmActions ?? [],
        OKActions: body.OKActions ?? [],
        InsufficientDataActions: body.InsufficientDataActions ?? [],
      })
      return jsonResponse('cloudwatch', {})
    case 'cloudwatch:DescribeAlarms':
      return describeAlarms(info, body, state, moto)
    case 'cloudwatch:SetAlarmState': {
      // Composite alarms live here; metric alarms go to moto.
      const composite = state.composites.get(info.region)?.get(String(body.AlarmName))
      if (!composite) return undefined
      if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(body.StateValue)) {
        return errorResponse(info, 'ValidationError', 'StateValue must be OK, ALARM or INSUFFICIENT_DATA')
      }
      composite.StateValue = body.StateValue
      composite.StateReason = String(body.StateReason ?? '')
      composite.StateUpdatedTimestamp = Date.now() / 1000
      return jsonResponse('cloudwatch', {})
    }
    case 'cloudwatch:DeleteAlarms': {
      const names: string[] = body.AlarmNames ?? []
      const composites = state.composites.get(info.region)
      const rest = names.filter((n) => !composites?.delete(n))
      if (rest.length === 0) return jsonResponse('cloudwatch', {})
      const answer = await moto(info, 'DeleteAlarms', { AlarmNames: rest })
      return passThrough(answer)
    }
    case 'cloudwatch:GetMetricData':
      return getMetricData(info, body, moto, state)
    default:
      return undefined
  }
}

/** Corrections applied to moto's successful JSON answers. */
export function correctAnswer(info: RequestInfo, _request: Json, answer: Json, state: ProxyState): Json | undefined {
  if (info.protocol !== 'json') return undefined
  switch (`${info.service}:${info.operation}`) {
    case 'cognito-idp:DescribeUserPool': {
      const pool = answer?.UserPool
      if (!pool) return undefined
      // moto keeps UserPoolTier only when it was given at creation; AWS always returns it (default ESSENTIALS).
      pool.UserPoolTier = state.tiers.get(pool.Id) ?? pool.UserPoolTier ?? 'ESSENTIALS'
      return answer
    }
    case 'cloudtrail:PutEventSelectors': {
      const arn: string | undefined = answer?.TrailARN
      if (arn) state.customSelectors.add(trailKey(arn))
      return undefined
    }
    case 'cloudtrail:GetEventSelectors': {
      // AWS returns either basic or advanced selectors, and the default basic selector for a fresh trail;
      // moto returns both lists, empty when nothing was set.
      const basic = answer?.EventSelectors ?? []
      const advanced = answer?.AdvancedEventSelectors ?? []
      if (advanced.length > 0) delete answer.EventSelectors
      else {
        delete answer.AdvancedEventSelectors
        if (basic.length === 0) {
          answer.EventSelectors = [
            {
              ReadWriteType: 'All',
              IncludeManagementEvents: true,
              DataResources: [],
              ExcludeManagementEventSources: [],
            },
          ]
        }
      }
      return answer
    }
    case 'cloudtrail:DescribeTrails': {
      // moto never sets HasCustomEventSelectors.
      for (const trail of answer?.trailList ?? []) {
        if (trail.TrailARN && state.customSelectors.has(trailKey(trail.TrailARN))) trail.HasCustomEventSelectors = true
      }
      return answer
    }
    default:
      return undefined
  }
}

function trailKey(arn: string): string {
  // arn:aws:cloudtrail:eu-west-1:123456789012:trail/name
  const parts = arn.split(':')
  return `${parts[3]}/${(parts[5] ?? '').replace(/^trail\//, '')}`
}

function passThrough(answer: MotoAnswer): WireError {
  return { status: answer.status, headers: answer.headers, body: answer.raw.toString('utf8') }
}

async function riskConfiguration(info: RequestInfo, body: Json, state: ProxyState, moto: MotoCall) {
  const poolId = body.UserPoolId
  if (typeof poolId !== 'string' || !poolId) {
    return errorResponse(info, 'InvalidParameterException', '1 validation error detected: UserPoolId is required')
  }
  const pool = await moto(info, 'DescribeUserPool', { UserPoolId: poolId })
  if (pool.status !== 200) return passThrough(pool)
  const clientId: string | undefined = body.ClientId || undefined
  if (clientId) {
    const client = await moto(info, 'DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId })
    if (client.status !== 200) return passThrough(client)
  }
  const mode = pool.json?.UserPool?.UserPoolAddOns?.AdvancedSecurityMode ?? 'OFF'
  if (mode === 'OFF') {
    return errorResponse(info, 'UserPoolAddOnNotEnabledException', 'The user pool add-on is not enabled.')
  }
  if (info.operation === 'SetRiskConfiguration') {
    const config: RiskConfiguration = { UserPoolId: poolId, ...(clientId ? { ClientId: clientId } : {}) }
    for (const section of RISK_SECTIONS) if (body[section]) config[section] = body[section]
    state.setRisk(config)
    return jsonResponse('cognito-idp', { RiskConfiguration: state.risk.get(ProxyState.riskKey(poolId, clientId)) })
  }
  const stored = state.risk.get(ProxyState.riskKey(poolId, clientId))
  // Nothing set (for the pool, or for this client): only the ids, no sections.
  return jsonResponse('cognito-idp', {
    RiskConfiguration: stored ?? { UserPoolId: poolId, ...(clientId ? { ClientId: clientId } : {}) },
  })
}

const LOOKUP_KEYS: Record<string, (e: import('./state.js').TrailEvent) => string[]> = {
  EventId: (e) => [e.EventId],
  EventName: (e) => [e.EventName],
  ReadOnly: (e) => [e.ReadOnly],
  Username: (e) => (e.Username ? [e.Username] : []),
  ResourceType: (e) => (e.Resources ?? []).map((r) => r.ResourceType ?? ''),
  ResourceName: (e) => (e.Resources ?? []).map((r) => r.ResourceName ?? ''),
  EventSource: (e) => [e.EventSource],
  AccessKeyId: (e) => (e.AccessKeyId ? [e.AccessKeyId] : []),
}

function lookupEvents(info: RequestInfo, body: Json, state: ProxyState): WireError {
  const attrs: Json[] = body.LookupAttributes ?? []
  if (attrs.length > 1) {
    return errorResponse(info, 'InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.')
  }
  const attr = attrs[0]
  if (attr && (!LOOKUP_KEYS[attr.AttributeKey] || typeof attr.AttributeValue !== 'string')) {
    return errorResponse(info, 'InvalidLookupAttributesException', `Invalid lookup attribute: ${JSON.stringify(attr)}`)
  }
  if (body.EventCategory !== undefined && body.EventCategory !== 'insight') {
    return errorResponse(info, 'InvalidEventCategoryException', 'Event category must be insight.')
  }
  const start = toEpochSeconds(body.StartTime)
  const end = toEpochSeconds(body.EndTime)
  if (start !== undefined && end !== undefined && start > end) {
    return errorResponse(info, 'InvalidTimeRangeException', 'Start time must be before end time.')
  }
  const max = body.MaxResults ?? 50
  if (!Number.isInteger(max) || max < 1 || max > 50) {
    return errorResponse(info, 'InvalidMaxResultsException', 'MaxResults must be between 1 and 50.')
  }
  const fingerprint = JSON.stringify([attr ?? null, start ?? null, end ?? null, body.EventCategory ?? null])
  let offset = 0
  if (body.NextToken !== undefined) {
    try {
      const token = JSON.parse(Buffer.from(String(body.NextToken), 'base64').toString('utf8'))
      if (token.f !== fingerprint || !Number.isInteger(token.o) || token.o < 0) throw new Error('mismatch')
      offset = token.o
    } catch {
      return errorResponse(info, 'InvalidNextTokenException', 'Invalid NextToken.')
    }
  }
  // Insight events are not emulated: the management-event history only.
  const all =
    body.EventCategory === 'insight'
      ? []
      : state.eventsOf(info.region).filter((e) => {
          if (start !== undefined && e.EventTime < start) return false
          if (end !== undefined && e.EventTime > end) return false
          if (attr && !LOOKUP_KEYS[attr.AttributeKey]!(e).includes(attr.AttributeValue)) return false
          return true
        })
  const page = all.slice(offset, offset + max)
  const next = offset + max < all.length ? { NextToken: tokenOf({ f: fingerprint, o: offset + max }) } : {}
  return jsonResponse('cloudtrail', { Events: page, ...next })
}

function tokenOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64')
}

/**
 * DescribeAlarms over moto's metric alarms (moto ignores MaxRecords and never pages) and the
 * proxy's composite alarms, paginated like AWS.
 */
async function describeAlarms(info: RequestInfo, body: Json, state: ProxyState, moto: MotoCall) {
  const max = body.MaxRecords ?? 50
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    return errorResponse(info, 'ValidationError', 'MaxRecords must be between 1 and 100.')
  }
  if (body.AlarmNames && body.AlarmNamePrefix) {
    return errorResponse(info, 'InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be combined.')
  }
  const types: string[] = body.AlarmTypes ?? ['MetricAlarm']
  const fingerprint = JSON.stringify([
    body.AlarmNames ?? null,
    body.AlarmNamePrefix ?? null,
    types,
    body.StateValue ?? null,
    body.ActionPrefix ?? null,
  ])
  let offset = 0
  if (body.NextToken !== undefined) {
    try {
      const token = JSON.parse(Buffer.from(String(body.NextToken), 'base64').toString('utf8'))
      if (token.f !== fingerprint || !Number.isInteger(token.o)) throw new Error('mismatch')
      offset = token.o
    } catch {
      return errorResponse(info, 'InvalidNextToken', 'The service returned an invalid next token.')
    }
  }
  let metric: Json[] = []
  if (types.includes('MetricAlarm')) {
    const filters: Json = {}
    for (const k of ['AlarmNames', 'AlarmNamePrefix', 'StateValue', 'ActionPrefix']) if (body[k]) filters[k] = body[k]
    const answer = await moto(info, 'DescribeAlarms', filters)
    if (answer.status !== 200) return passThrough(answer)
    metric = answer.json?.MetricAlarms ?? []
    // moto does not filter by ActionPrefix.
    if (body.ActionPrefix) {
      metric = metric.filter((a: Json) => (a.AlarmActions ?? []).some((x: string) => x.startsWith(body.ActionPrefix)))
    }
    metric.sort((a: Json, b: Json) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0))
  }
  let composite: Json[] = []
  if (types.includes('CompositeAlarm')) {
    composite = [...(state.composites.get(info.region)?.values() ?? [])]
      .filter((a) => !body.AlarmNames || body.AlarmNames.includes(a.AlarmName))
      .filter((a) => !body.AlarmNamePrefix || a.AlarmName.startsWith(body.AlarmNamePrefix))
      .filter((a) => !body.StateValue || a.StateValue === body.StateValue)
      .filter((a) => !body.ActionPrefix || a.AlarmActions.some((x) => x.startsWith(body.ActionPrefix)))
      .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0))
  }
  const all = [...metric.map((a) => ['m', a] as const), ...composite.map((a) => ['c', a] as const)]
  const page = all.slice(offset, offset + max)
  const out: Json = {
    MetricAlarms: page.filter(([k]) => k === 'm').map(([, a]) => a),
    CompositeAlarms: page.filter(([k]) => k === 'c').map(([, a]) => a),
  }
  if (offset + max < all.length) out.NextToken = tokenOf({ f: fingerprint, o: offset + max })
  return jsonResponse('cloudwatch', out)
}

/** AWS's limits on one GetMetricData call (facts §3.4). */
export const MAX_METRIC_DATA_QUERIES = 500
export const DEFAULT_MAX_DATAPOINTS = 100_800

/**
 * GetMetricData as AWS answers it, which moto does not: at most 500 queries, arithmetic metric math
 * (moto returns no values for expressions), and datapoints paged by `MaxDatapoints` (default 100,800,
 * or the sandbox's smaller cap) with a `NextToken`; a result cut by a page says `PartialData` and
 * continues on the next page under the same Id.
 */
async function getMetricData(
  info: RequestInfo,
  body: Json,
  moto: MotoCall,
  state: ProxyState,
): Promise<WireError | undefined> {
  const queries: Json[] = body.MetricDataQueries ?? []
  if (queries.length > MAX_METRIC_DATA_QUERIES) {
    return errorResponse(
      info,
      'ValidationError',
      `The collection MetricDataQueries must not have a size greater than ${MAX_METRIC_DATA_QUERIES}.`,
    )
  }
  const requested = body.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS
  if (!Number.isInteger(requested) || requested < 1) {
    return errorResponse(info, 'ValidationError', 'MaxDatapoints must be a positive integer.')
  }
  let offset = 0
  if (body.NextToken !== undefined) {
    offset = Number.parseInt(String(Buffer.from(String(body.NextToken), 'base64url')), 10)
    if (!Number.isInteger(offset) || offset < 0) return errorResponse(info, 'InvalidNextToken', 'The token is invalid.')
  }
  const stats = queries.filter((q) => !q.Expression).map((q) => ({ ...q, ReturnData: true }))
  const series = new Map<string, Series>()
  // biome-ignore lint/suspicious/noExplicitAny: moto result rows
  let fetched: any[] = []
  if (stats.length > 0) {
    const { NextToken: _token, MaxDatapoints: _max, ...rest } = body
    const answer = await moto(info, 'GetMetricData', { ...rest, MetricDataQueries: stats })
    if (answer.status !== 200) return passThrough(answer)
    fetched = answer.json?.MetricDataResults ?? []
    for (const r of fetched) series.set(r.Id, { timestamps: r.Timestamps ?? [], values: r.Values ?? [] })
  }
  try {
    for (const q of queries) {
      if (q.Expression) series.set(q.Id, evaluate(q.Expression, series))
    }
  } catch (err) {
    return errorResponse(info, 'ValidationError', (err as Error).message)
  }
  const descending = (body.ScanBy ?? 'TimestampDescending') === 'TimestampDescending'
  const full = queries
    .filter((q) => q.ReturnData !== false)
    .map((q) => {
      const s = series.get(q.Id) ?? { timestamps: [], values: [] }
      const order = s.timestamps.map((_, i) => i).sort((x, y) => s.timestamps[x]! - s.timestamps[y]!)
      if (descending) order.reverse()
      return {
        Id: q.Id,
        Label: q.Label ?? fetched.find((r) => r.Id === q.Id)?.Label ?? q.Id,
        Timestamps: order.map((i) => s.timestamps[i]!),
        Values: order.map((i) => s.values[i]!),
      }
    })
  // Page the datapoints of every result, in query order, from `offset` on.
  const pageSize = Math.min(requested, state.metricDataPageLimit ?? requested)
  const results: Json[] = []
  let skipped = 0
  let taken = 0
  for (const r of full) {
    const n = r.Timestamps.length
    const from = Math.max(0, offset - skipped)
    skipped += n
    if (from >= n && !(n === 0 && offset === 0)) continue
    const room = pageSize - taken
    if (room <= 0 && n > 0) break
    const to = Math.min(n, from + room)
    taken += to - from
    results.push({
      ...r,
      Timestamps: r.Timestamps.slice(from, to),
      Values: r.Values.slice(from, to),
      StatusCode: to < n ? 'PartialData' : 'Complete',
    })
  }
  const total = full.reduce((sum, r) => sum + r.Timestamps.length, 0)
  const next = offset + taken
  return jsonResponse('cloudwatch', {
    MetricDataResults: results,
    Messages: [],
    ...(next < total ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
  })
}
