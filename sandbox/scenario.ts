/**
 * Scenario files: a YAML description of an AWS account (documented in sandbox/README.md),
 * and the seeding step that creates it in the sandbox through the real SDK clients, plus
 * the proxy's own state for what moto lacks.
 */
import { readFile } from 'node:fs/promises'
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail'
import {
  CloudWatchClient,
  type MetricDatum,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch'
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetRiskConfigurationCommand,
  type SetRiskConfigurationRequest,
} from '@aws-sdk/client-cognito-identity-provider'
import pLimit from 'p-limit'
import { parse } from 'yaml'
import type { StateSeed, TrailEvent } from './state.js'
import { MOTO_ACCOUNT_HEADER } from './wire.js'

// ---------- the format ----------

export type Mode = 'OFF' | 'AUDIT' | 'ENFORCED'

export interface Scenario {
  /** Fixed "now" for relative times (ISO); default: the time of seeding. */
  now?: string
  regions: Record<string, RegionScenario>
}

export interface RegionScenario {
  pools?: PoolSpec[]
  alarms?: AlarmSpec[]
  trails?: TrailSpec[]
  metrics?: MetricSpec[]
  events?: EventSpec[]
}

export interface PoolSpec {
  name: string
  /** Threat protection for standard flows; omitted = no UserPoolAddOns at all (same as OFF). */
  mode?: Mode
  'custom-auth-mode'?: 'AUDIT' | 'ENFORCED'
  /** Feature plan; default PLUS when mode is AUDIT/ENFORCED, else ESSENTIALS. */
  tier?: 'LITE' | 'ESSENTIALS' | 'PLUS'
  mfa?: 'OFF' | 'ON' | 'OPTIONAL'
  'deletion-protection'?: 'ACTIVE' | 'INACTIVE'
  clients?: (string | ClientSpec)[]
  /** Pool-level risk configuration. */
  risk?: RiskSpec
  /** Create this many copies named `<name>-1` … `<name>-N` (each with the same settings). */
  count?: number
}

export interface ClientSpec {
  name: string
  /** Client-level risk configuration (overrides the pool level for this client). */
  risk?: RiskSpec
}

export type EventAction = 'BLOCK' | 'MFA_IF_CONFIGURED' | 'MFA_REQUIRED' | 'NO_ACTION'

export interface RiskSpec {
  'compromised-credentials'?: { action: 'BLOCK' | 'NO_ACTION'; events?: ('SIGN_IN' | 'PASSWORD_CHANGE' | 'SIGN_UP')[] }
  'account-takeover'?: {
    low?: EventAction
    medium?: EventAction
    high?: EventAction
    /** Notify the user (needs an SES identity in real AWS; default false). */
    notify?: boolean
  }
  'blocked-ip-ranges'?: string[]
  'skipped-ip-ranges'?: string[]
}

export interface AlarmSpec {
  name: string
  /** Composite alarm rule, e.g. `ALARM(a) OR ALARM(b)`; makes this a composite alarm. */
  rule?: string
  metric?: string
  namespace?: string
  /** Pool name: adds the pool-id dimension (`UserPoolId` for risk metrics, `UserPool` otherwise). */
  pool?: string
  'pool-dimension'?: string
  /** App client name of `pool`: adds `UserPoolClient`. */
  client?: string
  dimensions?: Record<string, string>
  /** Metric math: the alarm watches this expression over query `m1` (the metric above). */
  expression?: string
  statistic?: 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum'
  period?: number
  /** `Unit` of the alarm (or of its metric-math query `m1`); omitted = none. */
  unit?: string
  threshold?: number
  comparison?: string
  'evaluation-periods'?: number
  'datapoints-to-alarm'?: number
  'treat-missing-data'?: 'breaching' | 'notBreaching' | 'ignore' | 'missing'
  actions?: string[]
  'actions-enabled'?: boolean
  description?: string
  /** Set the alarm's state after creating it (SetAlarmState), e.g. a composite already in ALARM. */
  state?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'
}

export interface TrailSpec {
  name: string
  'multi-region'?: boolean
  /** Default true. */
  logging?: boolean
  /** S3 bucket (created if needed); default `<name>-logs-<region>`. */
  bucket?: string
  /** AWS `EventSelectors` (PascalCase, as the API takes them). */
  'event-selectors'?: Record<string, unknown>[]
  /** AWS `AdvancedEventSelectors` (PascalCase). */
  'advanced-event-selectors'?: Record<string, unknown>[]
}

export interface MetricSpec {
  pool: string
  client?: string
  /** Default `SignInSuccesses`. */
  metric?: string
  namespace?: string
  'pool-dimension'?: string
  dimensions?: Record<string, string>
  /** Relative start (default `-24h`) and end (default `0h`) of the series; one datapoint per `every` (default `1h`). */
  from?: string
  to?: string
  every?: string
  /** Requests per datapoint (SampleCount). */
  requests?: number
  /** Share of requests that failed (0–1): Sum = requests × (1 − rate) for a `*Successes` metric. */
  'failure-rate'?: number
  /** Override single datapoints of the series. */
  spikes?: { at: string; requests?: number; 'failure-rate'?: number }[]
  /** Explicit datapoints (StatisticValues), instead of or in addition to the series. */
  datapoints?: { at: string; 'sample-count': number; sum: number }[]
}

export interface EventSpec {
  /** EventName; default `InitiateAuth`. */
  event?: string
  /** Relative time of the newest event (default `-1h`). */
  at?: string
  /** Generate this many events (default 1), `spacing` apart going back in time (default `1m`). */
  count?: number
  spacing?: string
  /** errorCode, e.g. NotAuthorizedException; omitted = a successful call. */
  error?: string
  message?: string
  pool?: string
  client?: string
  'auth-flow'?: string
  source?: string
  'read-only'?: boolean
  ip?: string
  sub?: string
  username?: string
}

export interface SeedResult {
  /** Pool name → id; also `<region>/<name>` → id (needed when a name repeats across regions). */
  pools: Record<string, string>
  /** `<pool name>/<client name>` → client id; also with a `<region>/` prefix. */
  clients: Record<string, string>
  /** Trail name → ARN. */
  trails: Record<string, string>
  /** The instant relative times were resolved against. */
  now: string
}

// ---------- loading ----------

export async function loadScenario(path: string): Promise<Scenario> {
  return parseScenario(await readFile(path, 'utf8'), path)
}

export function parseScenario(text: string, source = 'scenario'): Scenario {
  const data = parse(text) as Scenario | null
  if (!data || typeof data !== 'object' || !data.regions || typeof data.regions !== 'object') {
    throw new Error(`${source}: a scenario needs a top-level "regions" map`)
  }
  for (const [region, r] of Object.entries(data.regions)) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`${source}: "${region}" is not a region name`)
    for (const p of r?.pools ?? []) if (!p?.name) throw new Error(`${source}: ${region}: every pool needs a name`)
    for (const a of r?.alarms ?? []) {
      if (!a?.name) throw new Error(`${source}: ${region}: every alarm needs a name`)
      if (!a.rule && !a.metric) throw new Error(`${source}: ${region}: alarm ${a.name} needs a metric or a rule`)
    }
  }
  return data
}

/** `-3h`, `-30m`, `-2d`, `-4h30m`, `0h`, `now` or an ISO time → epoch ms. */
export function resolveTime(value: string | undefined, now: number, fallback = 0): number {
  if (value === undefined) return now + fallback
  const text = String(value).trim()
  if (text === 'now') return now
  const m = /^([-+]?)((?:\d+(?:\.\d+)?[smhd])+)$/.exec(text)
  if (m) return now + (m[1] === '-' ? -1 : 1) * sumUnits(m[2]!)
  const t = Date.parse(text)
  if (!Number.isFinite(t)) throw new Error(`cannot read time "${value}" (use -3h, -30m, -2d, -4h30m or an ISO time)`)
  return t
}

/** `1h`, `5m`, `1d`, `1h30m` → ms. */
export function durationMs(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const text = String(value).trim()
  if (!/^(?:\d+(?:\.\d+)?[smhd])+$/.test(text))
    throw new Error(`cannot read duration "${value}" (use 1h, 5m, 1d, 1h30m)`)
  return sumUnits(text)
}

function sumUnits(text: string): number {
  let total = 0
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) total += Number(n) * UNIT[unit!]!
  return total
}

const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

// ---------- seeding ----------

export interface SeedTarget {
  /** The proxy endpoint the SDK clients talk to. */
  endpoint: string
  /** moto's endpoint (for S3 buckets of trails). */
  motoEndpoint: string
  /** Applies state moto cannot hold (risk configurations of OFF pools, events, tiers). */
  seedState(seed: StateSeed): Promise<void> | void
  /** Seed this sandbox account (a 12-digit id, used as the access key id) instead of moto's default. */
  accountId?: string
}
const RISK_METRIC = /Risk$|^OverrideBlock$/

export async function seedScenario(target: SeedTarget, scenario: Scenario): Promise<SeedResult> {
  const now = scenario.now ? Date.parse(scenario.now) : Date.now()
  const result: SeedResult = { pools: {}, clients: {}, trails: {}, now: new Date(now).toISOString() }
  const state: Required<Pick<StateSeed, 'riskConfigurations' | 'events'>> = { riskConfigurations: [], events: {} }
  const limit = pLimit(8)
  const credentials = { accessKeyId: target.accountId ?? 'testing', secretAccessKey: 'testing' }
  const cfg = (region: string) => ({ region, endpoint: target.endpoint, credentials, maxAttempts: 5 })

  await Promise.all(
    Object.entries(scenario.regions).map(async ([region, spec]) => {
      const cognito = new CognitoIdentityProviderClient(cfg(region))
      const cloudwatch = new CloudWatchClient(cfg(region))
      const cloudtrail = new CloudTrailClient(cfg(region))
      try {
        // Pools and clients first: alarms, metrics and events refer to their ids.
        const pools = (spec?.pools ?? []).flatMap((p) =>
          p.count ? Array.from({ length: p.count }, (_, i) => ({ ...p, name: `${p.name}-${i + 1}` })) : [p],
        )
        await Promise.all(pools.map((p) => limit(() => createPool(cognito, region, p, result, state))))
        await seedTrails(cloudtrail, target.motoEndpoint, region, spec?.trails ?? [], result, target.accountId)
        await seedAlarms(cloudwatch, region, spec?.alarms ?? [], result, limit)
        await seedMetrics(cloudwatch, region, spec?.metrics ?? [], result, now)
        state.events[region] = buildEvents(region, spec?.events ?? [], result, now)
      } finally {
        cognito.destroy()
        cloudwatch.destroy()
        cloudtrail.destroy()
      }
    }),
  )
  await target.seedState(state)
  return result
}

function lookup(map: Record<string, string>, region: string, key: string, what: string): string {
  const id = map[`${region}/${key}`]
  if (!id) throw new Error(`scenario refers to unknown ${what} "${key}" in ${region}`)
  return id
}

async function createPool(
  cognito: CognitoIdentityProviderClient,
  region: string,
  p: PoolSpec,
  result: SeedResult,
  state: { riskConfigurations: NonNullable<StateSeed['riskConfigurations']> },
) {
  const addOns =
    p.mode || p['custom-auth-mode']
      ? {
          AdvancedSecurityMode: p.mode ?? 'OFF',
          ...(p['custom-auth-mode']
            ? { AdvancedSecurityAdditionalFlows: { CustomAuthMode: p['custom-auth-mode'] } }
            : {}),
        }
      : undefined
  const tier = p.tier ?? (p.mode === 'AUDIT' || p.mode === 'ENFORCED' ? 'PLUS' : 'ESSENTIALS')
  const created = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: p.name,
      UserPoolTier: tier,
      ...(addOns ? { UserPoolAddOns: addOns } : {}),
      ...(p.mfa ? { MfaConfiguration: p.mfa } : {}),
      ...(p['deletion-protection'] ? { DeletionProtection: p['deletion-protection'] } : {}),
    }),
  )
  const poolId = created.UserPool!.Id!
  result.pools[p.name] = poolId
  result.pools[`${region}/${p.name}`] = poolId
  const enabled = p.mode === 'AUDIT' || p.mode === 'ENFORCED'
  const setRisk = async (clientId: string | undefined, risk: RiskSpec) => {
    const input = riskInput(poolId, clientId, risk)
    if (enabled) await cognito.send(new SetRiskConfigurationCommand(input))
    // AWS refuses SetRiskConfiguration while the add-on is off; a leftover configuration is seeded directly.
    else state.riskConfigurations.push(input as never)
  }
  if (p.risk) await setRisk(undefined, p.risk)
  for (const c of p.clients ?? []) {
    const spec = typeof c === 'string' ? { name: c } : c
    const client = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: spec.name }))
    const clientId = client.UserPoolClient!.ClientId!
    result.clients[`${p.name}/${spec.name}`] = clientId
    result.clients[`${region}/${p.name}/${spec.name}`] = clientId
    if (spec.risk) await setRisk(clientId, spec.risk)
  }
}

export function riskInput(poolId: string, clientId: string | undefined, risk: RiskSpec): SetRiskConfigurationRequest {
  const input: SetRiskConfigurationRequest = { UserPoolId: poolId, ...(clientId ? { ClientId: clientId } : {}) }
  const cc = risk['compromised-credentials']
  if (cc) {
    input.CompromisedCredentialsRiskConfiguration = {
      ...(cc.events ? { EventFilter: cc.events } : {}),
      Actions: { EventAction: cc.action },
    }
  }
  const ato = risk['account-takeover']
  if (ato) {
    const level = (action: EventAction | undefined) =>
      action ? { Notify: ato.notify ?? false, EventAction: action } : undefined
    input.AccountTakeoverRiskConfiguration = {
      Actions: {
        ...(ato.low ? { LowAction: level(ato.low) } : {}),
        ...(ato.medium ? { MediumAction: level(ato.medium) } : {}),
        ...(ato.high ? { HighAction: level(ato.high) } : {}),
      },
    }
  }
  if (risk['blocked-ip-ranges'] || risk['skipped-ip-ranges']) {
    input.RiskExceptionConfiguration = {
      ...(risk['blocked-ip-ranges'] ? { BlockedIPRangeList: risk['blocked-ip-ranges'] } : {}),
      ...(risk['skipped-ip-ranges'] ? { SkippedIPRangeList: risk['skipped-ip-ranges'] } : {}),
    }
  }
  return input
}

async function seedTrails(
  cloudtrail: CloudTrailClient,
  motoEndpoint: string,
  region: string,
  trails: TrailSpec[],
  result: SeedResult,
  accountId?: string,
) {
  for (const t of trails) {
    // Bucket names are global in S3 (and in moto): another account's trail gets its own.
    const name = t.bucket ?? `${t.name}-logs-${region}${accountId ? `-${accountId}` : ''}`
    const bucket = name.toLowerCase().slice(0, 63)
    await createBucket(motoEndpoint, bucket, region, accountId)
    const created = await cloudtrail.send(
      new CreateTrailCommand({ Name: t.name, S3BucketName: bucket, IsMultiRegionTrail: t['multi-region'] ?? false }),
    )
    result.trails[t.name] = created.TrailARN!
    if (t.logging ?? true) await cloudtrail.send(new StartLoggingCommand({ Name: t.name }))
    if (t['event-selectors'] || t['advanced-event-selectors']) {
      await cloudtrail.send(
        new PutEventSelectorsCommand({
          TrailName: t.name,
          ...(t['event-selectors'] ? { EventSelectors: t['event-selectors'] as never } : {}),
          ...(t['advanced-event-selectors'] ? { AdvancedEventSelectors: t['advanced-event-selectors'] as never } : {}),
        }),
      )
    }
  }
}

/** CreateBucket over plain HTTP (moto does not check signatures); an existing bucket is fine. */
async function createBucket(motoEndpoint: string, bucket: string, region: string, accountId?: string) {
  const body =
    region === 'us-east-1'
      ? ''
      : `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`
  const res = await fetch(`${motoEndpoint}/${bucket}`, {
    method: 'PUT',
    body,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${accountId ?? 'testing'}/20240101/${region}/s3/aws4_request, SignedHeaders=host, Signature=0`,
      ...(accountId ? { [MOTO_ACCOUNT_HEADER]: accountId } : {}),
    },
  })
  const text = await res.text()
  if (!res.ok && !/BucketAlready/.test(text)) throw new Error(`CreateBucket ${bucket} failed: ${res.status} ${text}`)
}

async function seedAlarms(
  cloudwatch: CloudWatchClient,
  region: string,
  alarms: AlarmSpec[],
  result: SeedResult,
  limit: ReturnType<typeof pLimit>,
) {
  const metricAlarms = alarms.filter((a) => !a.rule)
  await Promise.all(
    metricAlarms.map((a) =>
      limit(async () => {
        const metric = a.metric!
        const dimensions: { Name: string; Value: string }[] = []
        if (a.pool) {
          const poolDim = a['pool-dimension'] ?? (RISK_METRIC.test(metric) ? 'UserPoolId' : 'UserPool')
          dimensions.push({ Name: poolDim, Value: lookup(result.pools, region, a.pool, 'pool') })
          if (a.client) {
            dimensions.push({
              Name: 'UserPoolClient',
              Value: lookup(result.clients, region, `${a.pool}/${a.client}`, 'app client'),
            })
          }
        }
        for (const [Name, Value] of Object.entries(a.dimensions ?? {})) dimensions.push({ Name, Value: String(Value) })
        const namespace = a.namespace ?? 'AWS/Cognito'
        const watched = a.expression
          ? {
              Metrics: [
                {
                  Id: 'm1',
                  MetricStat: {
                    Metric: { Namespace: namespace, MetricName: metric, Dimensions: dimensions },
                    Period: a.period ?? 300,
                    Stat: a.statistic ?? 'Sum',
                    ...(a.unit ? { Unit: a.unit as never } : {}),
                  },
                  ReturnData: false,
                },
                { Id: 'e1', Expression: a.expression, Label: a.expression, ReturnData: true },
              ],
            }
          : {
              Namespace: namespace,
              MetricName: metric,
              Dimensions: dimensions,
              Statistic: a.statistic ?? 'Sum',
              Period: a.period ?? 300,
              ...(a.unit ? { Unit: a.unit as never } : {}),
            }
        await cloudwatch.send(
          new PutMetricAlarmCommand({
            AlarmName: a.name,
            AlarmDescription: a.description,
            ...watched,
            Threshold: a.threshold ?? 1,
            ComparisonOperator: (a.comparison ?? 'GreaterThanOrEqualToThreshold') as never,
            EvaluationPeriods: a['evaluation-periods'] ?? 1,
            ...(a['datapoints-to-alarm'] ? { DatapointsToAlarm: a['datapoints-to-alarm'] } : {}),
            TreatMissingData: a['treat-missing-data'] ?? 'notBreaching',
            ActionsEnabled: a['actions-enabled'] ?? true,
            AlarmActions: a.actions ?? [],
          }),
        )
      }),
    ),
  )
  for (const a of alarms.filter((x) => x.rule)) {
    await cloudwatch.send(
      new PutCompositeAlarmCommand({
        AlarmName: a.name,
        AlarmRule: a.rule!,
        AlarmDescription: a.description,
        ActionsEnabled: a['actions-enabled'] ?? true,
        AlarmActions: a.actions ?? [],
      }),
    )
  }
  for (const a of alarms.filter((x) => x.state)) {
    await cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: a.name, StateValue: a.state!, StateReason: 'Set by the scenario' }),
    )
  }
}

async function seedMetrics(
  cloudwatch: CloudWatchClient,
  region: string,
  metrics: MetricSpec[],
  result: SeedResult,
  now: number,
) {
  const data: (MetricDatum & { ns: string })[] = []
  for (const m of metrics) {
    const metric = m.metric ?? 'SignInSuccesses'
    const poolId = lookup(result.pools, region, m.pool, 'pool')
    const poolDim = m['pool-dimension'] ?? (RISK_METRIC.test(metric) ? 'UserPoolId' : 'UserPool')
    const dims = [{ Name: poolDim, Value: poolId }]
    if (m.client) {
      dims.push({
        Name: 'UserPoolClient',
        Value: lookup(result.clients, region, `${m.pool}/${m.client}`, 'app client'),
      })
    }
    for (const [Name, Value] of Object.entries(m.dimensions ?? {})) dims.push({ Name, Value: String(Value) })
    const points = new Map<number, { sampleCount: number; sum: number }>()
    const every = durationMs(m.every, 3_600_000)
    const successMetric = /Successes$/.test(metric)
    const pointOf = (requests: number, rate: number) => ({
      sampleCount: requests,
      // For *Successes every request emits 1 on success and 0 on failure; other metrics count failures.
      sum: Math.round(successMetric ? requests * (1 - rate) : requests * rate),
    })
    if (m.requests !== undefined) {
      const from = Math.floor(resolveTime(m.from ?? '-24h', now) / every) * every
      const to = resolveTime(m.to ?? '0h', now)
      for (let t = from; t < to; t += every) points.set(t, pointOf(m.requests, m['failure-rate'] ?? 0))
    }
    for (const s of m.spikes ?? []) {
      const t = Math.floor(resolveTime(s.at, now) / every) * every
      points.set(t, pointOf(s.requests ?? m.requests ?? 0, s['failure-rate'] ?? m['failure-rate'] ?? 0))
    }
    for (const d of m.datapoints ?? []) {
      points.set(resolveTime(d.at, now), { sampleCount: d['sample-count'], sum: d.sum })
    }
    for (const [t, v] of points) {
      if (v.sampleCount <= 0 || t > now) continue
      data.push({
        ns: m.namespace ?? 'AWS/Cognito',
        MetricName: metric,
        Dimensions: dims,
        Timestamp: new Date(t),
        Unit: 'Count',
        StatisticValues: {
          SampleCount: v.sampleCount,
          Sum: v.sum,
          Minimum: v.sum === v.sampleCount ? 1 : 0,
          Maximum: v.sum > 0 ? 1 : 0,
        },
      })
    }
  }
  const byNamespace = new Map<string, MetricDatum[]>()
  for (const { ns, ...d } of data) byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), d])
  for (const [Namespace, list] of byNamespace) {
    for (let i = 0; i < list.length; i += 500) {
      await cloudwatch.send(new PutMetricDataCommand({ Namespace, MetricData: list.slice(i, i + 500) }))
    }
  }
}

const ERROR_MESSAGES: Record<string, string> = {
  NotAuthorizedException: 'Incorrect username or password.',
  UserNotFoundException: 'User does not exist.',
  TooManyRequestsException: 'Rate exceeded',
  PasswordResetRequiredException: 'Password reset required for the user',
  UserNotConfirmedException: 'User is not confirmed.',
}

function buildEvents(
  region: string,
  events: EventSpec[],
  result: SeedResult,
  now: number,
): (Omit<TrailEvent, 'CloudTrailEvent'> & { CloudTrailEvent: object })[] {
  const out: (Omit<TrailEvent, 'CloudTrailEvent'> & { CloudTrailEvent: object })[] = []
  let serial = 0
  for (const e of events) {
    const name = e.event ?? 'InitiateAuth'
    const source = e.source ?? 'cognito-idp.amazonaws.com'
    const newest = resolveTime(e.at ?? '-1h', now)
    const spacing = durationMs(e.spacing, 60_000)
    const poolId = e.pool ? lookup(result.pools, region, e.pool, 'pool') : undefined
    const clientId =
      e.pool && e.client ? lookup(result.clients, region, `${e.pool}/${e.client}`, 'app client') : undefined
    const readOnly = e['read-only'] ?? false
    for (let i = 0; i < (e.count ?? 1); i++) {
      const time = newest - i * spacing
      const id = deterministicUuid(region, ++serial)
      const requestParameters: Record<string, unknown> = {}
      if (/Auth$/.test(name) || name === 'RespondToAuthChallenge') {
        requestParameters.authFlow = e['auth-flow'] ?? 'USER_PASSWORD_AUTH'
        requestParameters.authParameters = 'HIDDEN_DUE_TO_SECURITY_REASONS'
      }
      if (clientId) requestParameters.clientId = clientId
      if (poolId && (!clientId || name.startsWith('Admin'))) requestParameters.userPoolId = poolId
      const record = {
        eventVersion: '1.08',
        userIdentity: { type: 'Unknown', principalId: 'Anonymous' },
        eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        eventSource: source,
        eventName: name,
        awsRegion: region,
        sourceIPAddress: e.ip ?? `198.51.100.${(serial % 250) + 1}`,
        userAgent: 'Mozilla/5.0 (sandbox)',
        ...(e.error ? { errorCode: e.error, errorMessage: e.message ?? ERROR_MESSAGES[e.error] ?? e.error } : {}),
        requestParameters,
        responseElements: null,
        additionalEventData: e.sub ? { sub: e.sub } : {},
        requestID: deterministicUuid(`${region}-req`, serial),
        eventID: id,
        readOnly,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: '123456789012',
        eventCategory: 'Management',
      }
      out.push({
        EventId: id,
        EventName: name,
        EventTime: Math.floor(time / 1000),
        EventSource: source,
        ReadOnly: readOnly ? 'true' : 'false',
        ...(e.username ? { Username: e.username } : {}),
        Resources:
          poolId && name.startsWith('Admin') ? [{ ResourceType: 'AWS::Cognito::UserPool', ResourceName: poolId }] : [],
        CloudTrailEvent: record,
      })
    }
  }
  return out
}

function deterministicUuid(seed: string, n: number): string {
  let h = 2166136261
  for (const c of `${seed}:${n}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  const hex = (h.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0')).slice(0, 32)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
