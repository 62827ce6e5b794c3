/**
 * Checks for required CloudWatch alarms.
 *
 *  - `alarms-risk`:      per pool × risk metric (AccountTakeoverRisk, CompromisedCredentialRisk)
 *  - `alarms-throttles`: per pool × throttle metric (SignInThrottles, …)
 *  - `alarms-usage`:     per region with audited pools: AWS/Usage ThrottleCount for Cognito
 *
 * Each finding is about one requirement; it passes only when every required series (operation ×
 * risk level, app client, quota resource) is covered by an alarm that passes every rule in
 * `alarms/matcher.ts`, and otherwise names the series, the closest alarm and the rule it failed.
 *
 * Required series:
 *  - risk: each policy `operations` × `risk-levels` value, with this pool's `UserPoolId`.
 *  - throttles: one series per app client: the policy's `app-clients`, or else every app client of the
 *    pool plus every `UserPoolClient` value ListMetrics shows for the pool (e.g. `Admin`; `Invalid`, which
 *    counts requests naming a non-existent client, is left out). `FederationThrottles` also needs an
 *    `IdentityProvider`: each provider ListMetrics shows for the client, or any provider when none is shown.
 *    An alarm on `UserPool` alone covers every client only when ListMetrics shows such a series.
 *    A pool with no app client and no series needs one alarm on any of its series.
 *  - usage: one series per policy `resources` value: the series ListMetrics shows (exact dimensions, Class
 *    included), or else Service/Type/Resource from the policy (and Class when the policy sets it).
 *
 * Errors: DescribeAlarms failing (or alarms missing from the snapshot) gives `error` findings. ListMetrics
 * failing keeps failures as failures (the alarm is wrong whatever the data), but turns would-be passes into
 * `error`: client coverage and "has data" could not be verified. A region whose pools could not be listed
 * gets one `error` per check; a pool whose app clients could not be listed gets `error` for the throttle
 * alarms (unless the policy names the app clients): the clients are the series that need alarms.
 */
import type { CompositeAlarmInfo, DimensionValue, ListedMetric, MetricAlarmInfo } from '../../model/alarms.js'
import type { Finding, Severity } from '../../model/finding.js'
import { formatOf } from '../../model/finding-location.js'
import { matchesPool } from '../../model/match.js'
import { shellQuote as q } from '../../model/quote.js'
import type { Check } from '../../model/requirement.js'
import type { AwsError, Listing, RegionSnapshot, UserPool } from '../../model/snapshot.js'
import { errorFinding, perListedPool, poolFinding, regionFinding } from '../finding.js'
import { knownNames, type MetricDef, metricDef } from './catalogue.js'
import {
  type Covered,
  coverTarget,
  emittedIndex,
  type NotCovered,
  type RequirementContext,
  type Target,
} from './matcher.js'
import type { AlarmsPolicy } from './policy.js'
import { type AlarmSpec, alarmName, plannedAlarmContext, remediationText } from './remediation.js'

interface TargetResult {
  target: Target
  covered?: Covered
  closest?: NotCovered
}

export const alarmsRisk: Check<AlarmsPolicy> = {
  id: 'alarms-risk',
  title: 'Risk alarms (account takeover, compromised credentials) would fire and notify',
  failTitle: 'No working risk alarm (account takeover, compromised credentials)',
  requirement: 'alarms',
  severity: 'high',
  run: (snapshot, alarms) =>
    alarms.enabled && alarms.risk.enabled
      ? snapshot.regions.flatMap((r) => perPool(alarmsRisk, r, alarms, alarms.risk.pools, riskFindings))
      : [],
  subjects: {
    per: 'pool',
    applies: (alarms, pool) => alarms.enabled && alarms.risk.enabled && selected(alarms.risk.pools, pool),
  },
}

export const alarmsThrottles: Check<AlarmsPolicy> = {
  id: 'alarms-throttles',
  title: 'Throttle alarms on each pool would fire and notify',
  failTitle: 'No working throttle alarm',
  requirement: 'alarms',
  severity: 'medium',
  run: (snapshot, alarms) =>
    alarms.enabled && alarms.throttles.enabled
      ? snapshot.regions.flatMap((r) => perPool(alarmsThrottles, r, alarms, alarms.throttles.pools, throttleFindings))
      : [],
  subjects: {
    per: 'pool',
    applies: (alarms, pool) => alarms.enabled && alarms.throttles.enabled && selected(alarms.throttles.pools, pool),
  },
}

export const alarmsUsage: Check<AlarmsPolicy> = {
  id: 'alarms-usage',
  title: 'AWS/Usage ThrottleCount alarm for Cognito quotas would fire and notify',
  failTitle: 'No working AWS/Usage ThrottleCount alarm for Cognito quotas',
  requirement: 'alarms',
  severity: 'medium',
  run: (snapshot, alarms) =>
    alarms.enabled && alarms.usage.enabled ? snapshot.regions.flatMap((r) => usageFindings(r, alarms)) : [],
  // Once per region with an audited pool, or whose pools could not be listed.
  subjects: {
    per: 'region',
    applies: (alarms, region) =>
      alarms.enabled &&
      alarms.usage.enabled &&
      (region.cognito.pools.state === 'failed' || region.cognito.pools.items.length > 0),
  },
}

const selected = (selectors: readonly string[], pool: UserPool) => selectors.some((s) => matchesPool(s, pool))

const dimValue = (s: ListedMetric, n: string) => s.dimensions.find((d) => d.name === n)?.value

/** A metric list's series when it was read; undefined when it failed or was not collected. */
function seriesOf(list: Listing<ListedMetric> | undefined): ListedMetric[] | undefined {
  return list?.state === 'loaded' ? list.items : undefined
}

/** The error of a metric list that failed; undefined when it was read or not collected. */
function listError(list: Listing<ListedMetric> | undefined): AwsError | undefined {
  return list?.state === 'failed' ? list.error : undefined
}

/**
 * Per region, made once and shared by its pools: the series ListMetrics shows for a metric (by the
 * function that selects them), and the known metric names. Keyed by the region's own list, so every pool
 * of a region gets the same array (and the matcher's index of it is built once).
 */
const perRegion = new WeakMap<ListedMetric[], { emitted: Map<string, ListedMetric[]>; known?: Set<string> }>()

function regionCache(metrics: ListedMetric[]) {
  let c = perRegion.get(metrics)
  if (!c) {
    c = { emitted: new Map() }
    perRegion.set(metrics, c)
  }
  return c
}

function emittedFor(
  metrics: ListedMetric[] | undefined,
  key: string,
  select: (s: ListedMetric) => boolean,
): ListedMetric[] | undefined {
  if (!metrics) return undefined
  const c = regionCache(metrics)
  let list = c.emitted.get(key)
  if (!list) {
    list = metrics.filter(select)
    c.emitted.set(key, list)
  }
  return list
}

function knownOf(metrics: ListedMetric[] | undefined): Set<string> {
  if (!metrics) return knownNames()
  const c = regionCache(metrics)
  if (!c.known) c.known = knownNames(metrics.map((s) => s.metricName))
  return c.known
}

type PoolRunner = (check: Check, region: RegionSnapshot, pool: UserPool, alarms: AlarmsPolicy) => Finding[]

function perPool(
  check: Check,
  region: RegionSnapshot,
  alarms: AlarmsPolicy,
  selectors: string[],
  run: PoolRunner,
): Finding[] {
  return perListedPool(check, region, (pool) => (selected(selectors, pool) ? run(check, region, pool, alarms) : []))
}

interface RegionAlarms {
  metricAlarms: MetricAlarmInfo[]
  compositeAlarms: CompositeAlarmInfo[]
}

/** The region's alarms, or the error that prevents a check of this region. */
function regionAlarms(region: RegionSnapshot): RegionAlarms | AwsError | 'not-collected' {
  const a = region.alarms
  if (!a) return 'not-collected'
  if (!a.metricAlarms || !a.compositeAlarms)
    return a.errors.find((e) => e.action === 'DescribeAlarms') ?? 'not-collected'
  if (a.metricAlarms.state === 'failed') return a.metricAlarms.error
  if (a.compositeAlarms.state === 'failed') return a.compositeAlarms.error
  return { metricAlarms: a.metricAlarms.items, compositeAlarms: a.compositeAlarms.items }
}

function notCollected(check: Check, region: string, pool: UserPool | undefined, resource: string): Finding {
  const msg = 'Could not verify: CloudWatch alarms were not collected for this region, so no alarm can be credited.'
  const extra = {
    resource,
    remediation: 'Re-run the audit with the alarms section enabled and cloudwatch:DescribeAlarms allowed.',
  }
  return pool ? poolFinding(check, pool, 'error', msg, extra) : regionFinding(check, region, 'error', msg, extra)
}

function withResource(f: Finding, resource: string, severity?: Severity): Finding {
  return { ...f, resource, ...(severity ? { severity } : {}) }
}

function riskFindings(check: Check, region: RegionSnapshot, pool: UserPool, alarms: AlarmsPolicy): Finding[] {
  const p = alarms.risk
  return p.metrics.map((metric) => {
    const def = metricDef(metric)
    const targets: Target[] = p.operations.flatMap((op) =>
      p.riskLevels.map(
        (level): Target => ({
          label: `Operation=${op}, RiskLevel=${level}`,
          dims: { UserPoolId: pool.id, Operation: op, RiskLevel: level },
          caseInsensitive: ['RiskLevel'],
        }),
      ),
    )
    const emitted = emittedFor(seriesOf(region.alarms?.cognitoMetrics), `risk\u0000${def.canonical}`, (s) =>
      def.spellings.includes(s.metricName),
    )
    const tpOff =
      pool.advancedSecurityMode === 'OFF'
        ? ' Threat protection is OFF on this pool, so Cognito publishes no risk metrics for it.'
        : ''
    const found = judgePool(
      check,
      region,
      pool,
      def,
      targets,
      emitted,
      p.maxThreshold,
      p.maxDatapointsToAlarm,
      p.requireAction,
      p.severity,
      {
        tail: tpOff,
        specFor: (t) => {
          // Prefer the spelling and RiskLevel casing this account emits; otherwise the current doc's spelling.
          const index = emitted ? emittedIndex(emitted) : undefined
          const seen = index?.byPool
            .get(pool.id)
            ?.find((s) => s.dimensions.some((d) => d.name === 'UserPoolId' && d.value === pool.id))
          const name = seen?.metricName ?? emitted?.[0]?.metricName ?? def.spellings[0]!
          const level = t.dims.RiskLevel!
          const seenLevel = [...(index?.values.get('RiskLevel') ?? [])].find(
            (v) => v.toLowerCase() === level.toLowerCase(),
          )
          return {
            metricName: name,
            dimensions: [
              { name: 'UserPoolId', value: pool.id },
              { name: 'Operation', value: t.dims.Operation! },
              { name: 'RiskLevel', value: seenLevel ?? level },
            ],
            nameParts: [t.dims.Operation!, seenLevel ?? level],
          }
        },
        note: emitted?.length
          ? undefined
          : `Note: AWS's sources disagree on the spelling (${def.spellings.join(' / ')}) and on the RiskLevel casing ` +
            '(High / high), and this account shows no data yet. Once the pool has risky traffic, run ' +
            `aws cloudwatch list-metrics --namespace AWS/Cognito --region ${q(pool.region)} and match the names it lists.`,
      },
    )
    // Without threat protection the alarm has nothing to watch: its root cause is the threat-protection finding.
    if (!tpOff || found.status === 'pass') return found
    const follows =
      ' This follows from threat protection being off on this pool: Cognito publishes no risk metrics without it, so turn it on first.'
    return { ...found, message: found.message.replace(tpOff, follows), followsFrom: 'threat-protection' }
  })
}

function throttleFindings(check: Check, region: RegionSnapshot, pool: UserPool, alarms: AlarmsPolicy): Finding[] {
  const p = alarms.throttles
  return p.metrics.map((metric) => {
    const def = metricDef(metric)
    const emitted = emittedFor(
      seriesOf(region.alarms?.cognitoMetrics),
      `throttle\u0000${def.canonical}`,
      (s) => s.metricName === def.canonical,
    )
    const forPool = ((emitted && emittedIndex(emitted).byPool.get(pool.id)) ?? []).filter((s) =>
      s.dimensions.some((d) => d.name === 'UserPool' && d.value === pool.id),
    )
    let clients: string[]
    if (p.appClients.length) clients = [...p.appClients]
    else if (pool.clients.state === 'failed') {
      // The app clients are the series that need alarms: not listed, none of them can be credited.
      const f = withResource(errorFinding(check, pool.clients.error, pool), def.canonical, p.severity)
      return { ...f, message: `${f.message} (the app clients whose ${def.canonical} need alarms are unknown)` }
    } else {
      const seen = forPool.map((s) => dimValue(s, 'UserPoolClient')).filter((c): c is string => !!c && c !== 'Invalid')
      clients = [...new Set([...pool.clients.items.map((c) => c.id), ...seen])]
    }
    const federation = def.dimensions.includes('IdentityProvider')
    const targets: Target[] = []
    for (const client of clients) {
      const dims = { UserPool: pool.id, UserPoolClient: client }
      if (!federation) {
        targets.push({ label: `app client ${client}`, dims })
        continue
      }
      const idps = [
        ...new Set(
          forPool
            .filter((s) => dimValue(s, 'UserPoolClient') === client)
            .map((s) => dimValue(s, 'IdentityProvider'))
            .filter((v): v is string => !!v),
        ),
      ]
      if (idps.length === 0)
        targets.push({
          label: `app client ${client}, any identity provider`,
          dims: { ...dims, IdentityProvider: null },
        })
      for (const idp of idps)
        targets.push({
          label: `app client ${client}, identity provider ${idp}`,
          dims: { ...dims, IdentityProvider: idp },
        })
    }
    if (targets.length === 0) {
      targets.push({
        label: 'any app client (the pool has none)',
        dims: { UserPool: pool.id, UserPoolClient: null, ...(federation ? { IdentityProvider: null } : {}) },
      })
    }
    return judgePool(
      check,
      region,
      pool,
      def,
      targets,
      emitted,
      p.maxThreshold,
      p.maxDatapointsToAlarm,
      p.requireAction,
      p.severity,
      {
        tail: '',
        specFor: (t) => {
          const client = t.dims.UserPoolClient ?? '<APP_CLIENT_ID>'
          const dimensions: DimensionValue[] = [
            { name: 'UserPool', value: pool.id },
            { name: 'UserPoolClient', value: client },
          ]
          if (federation)
            dimensions.push({ name: 'IdentityProvider', value: t.dims.IdentityProvider ?? '<IDENTITY_PROVIDER>' })
          return {
            metricName: def.canonical,
            dimensions,
            nameParts: [client, ...(federation ? [t.dims.IdentityProvider ?? 'idp'] : [])],
          }
        },
      },
    )
  })
}

interface SpecHelper {
  tail: string
  specFor(t: Target): { metricName: string; dimensions: DimensionValue[]; nameParts: string[] }
  note?: string
}

function judgePool(
  check: Check,
  region: RegionSnapshot,
  pool: UserPool,
  def: MetricDef,
  targets: Target[],
  emitted: ListedMetric[] | undefined,
  maxThreshold: number,
  maxDatapointsToAlarm: number,
  requireAction: boolean,
  severity: Severity,
  helper: SpecHelper,
): Finding {
  const resource = def.canonical
  const alarms = regionAlarms(region)
  if (alarms === 'not-collected')
    return withResource(notCollected(check, region.region, pool, resource), resource, severity)
  if ('code' in alarms) return withResource(errorFinding(check, alarms, pool), resource, severity)
  const cognitoMetrics = region.alarms?.cognitoMetrics
  const req: RequirementContext = {
    def,
    poolId: pool.id,
    poolName: pool.name,
    maxThreshold,
    maxDatapointsToAlarm,
    requireAction,
    known: knownOf(seriesOf(cognitoMetrics)),
    composites: alarms.compositeAlarms,
  }
  if (emitted) req.emitted = emitted
  const results: TargetResult[] = targets.map((target) => ({
    target,
    ...coverTarget(alarms.metricAlarms, req, target),
  }))
  const planned = plannedAlarmContext(pool, formatOf)
  const specs = (rs: TargetResult[]): AlarmSpec[] =>
    rs.map((r) => {
      const s = helper.specFor(r.target)
      return {
        region: region.region,
        alarmName: alarmName(['cognito', pool.id, s.metricName, ...s.nameParts]),
        namespace: def.namespace,
        metricName: s.metricName,
        dimensions: s.dimensions,
        threshold: Math.floor(maxThreshold),
        description: `${s.metricName} for Cognito user pool ${pool.name} (${pool.id})`,
        ...(planned ? { planned } : {}),
      }
    })
  const listMetricsError = listError(cognitoMetrics)
  return finish(
    (status, message, extra) => withResource(poolFinding(check, pool, status, message, extra), resource, severity),
    def,
    results,
    specs,
    helper.tail,
    helper.note,
    listMetricsError,
    (e) => withResource(errorFinding(check, e, pool), resource, severity),
  )
}

type Make = (status: Finding['status'], message: string, extra: Partial<Finding>) => Finding

/** Turns per-series results into one finding. */
function finish(
  make: Make,
  def: MetricDef,
  results: TargetResult[],
  specs: (rs: TargetResult[]) => AlarmSpec[],
  tail: string,
  note: string | undefined,
  listMetricsError: AwsError | undefined,
  errorOf: (e: AwsError) => Finding,
): Finding {
  const evidence = {
    metric: def.canonical,
    series: results.map((r) => ({
      series: r.target.label,
      covered: !!r.covered,
      ...(r.covered
        ? {
            alarm: r.covered.alarm,
            spelling: r.covered.spelling,
            dimensions: r.covered.dimensions,
            via: r.covered.via,
            dataSeen: r.covered.dataSeen ?? 'unknown',
            notes: r.covered.notes,
            ...(r.covered.heldInAlarm ? { compositeAlreadyInAlarm: r.covered.heldInAlarm } : {}),
          }
        : r.closest
          ? { closestAlarm: r.closest.alarm, failedRule: r.closest.stage, reason: r.closest.reason }
          : { failedRule: 'no-alarm' }),
    })),
  }
  const missing = results.filter((r) => !r.covered)
  if (missing.length === 0) {
    if (listMetricsError) {
      const f = errorOf(listMetricsError)
      return {
        ...f,
        message: `${f.message} (${def.canonical} alarms were found, but ListMetrics is needed to confirm the covered series and their data)`,
        evidence: { ...evidence, awsError: listMetricsError },
      }
    }
    const parts = results.map((r) => describeCovered(def, r.target, r.covered!))
    const held = [...new Set(results.map((r) => r.covered!.heldInAlarm).filter((h): h is string => !!h))]
    if (held.length > 0) {
      // Covered, but nobody would hear of it now: an advisory, never a silent pass.
      const names = held.map((h) => `'${h}'`).join(', ')
      return make(
        'warn',
        `${def.canonical} covered: ${[...new Set(parts)].join('; ')}; but composite alarm${held.length > 1 ? 's' : ''} ${names} ${held.length > 1 ? 'are' : 'is'} already in ALARM (held there by another child alarm), and actions run only on the transition into ALARM: this pool's alarm firing now notifies nobody until ${held.length > 1 ? 'they return' : 'it returns'} to OK.${tail}`,
        {
          evidence: { ...evidence, compositeAlreadyInAlarm: held },
          remediation: `Find out why ${names} ${held.length > 1 ? 'are' : 'is'} in ALARM and resolve it (aws cloudwatch describe-alarms --alarm-names ${held.map((h) => `'${h}'`).join(' ')} --alarm-types CompositeAlarm), or give this pool's alarm an ALARM action of its own.`,
        },
      )
    }
    return make('pass', `${def.canonical} covered: ${[...new Set(parts)].join('; ')}.${tail}`, { evidence })
  }
  const reasons = missing.map((r) =>
    r.closest
      ? `${r.target.label}: alarm '${r.closest.alarm}' ${r.closest.reason} [rule: ${r.closest.stage}]`
      : `${r.target.label}: no alarm watches ${def.canonical} for it`,
  )
  const fix = missing.find((r) => r.closest?.fix)?.closest
  const message = `No working ${def.canonical} alarm — ${reasons.join('; ')}.${tail}`
  const remediation = remediationText(specs(missing), fix?.fix ? { alarm: fix.alarm, text: fix.fix } : undefined, note)
  return make('fail', message, {
    evidence: { ...evidence, failedRule: missing[0]!.closest?.stage ?? 'no-alarm' },
    remediation,
  })
}

function describeCovered(def: MetricDef, target: Target, c: Covered): string {
  const bits: string[] = []
  if (def.spellings.length > 1) {
    bits.push(
      c.spelling === def.spellings[0]
        ? `spelled ${c.spelling} as in the current AWS doc`
        : `spelled ${c.spelling}, the other AWS spelling`,
    )
  }
  const level = c.dimensions.find((d) => d.name === 'RiskLevel')
  if (level) bits.push(`RiskLevel written "${level.value}"`)
  if (c.dataSeen === true) bits.push('the account has data for this exact series')
  else if (c.dataSeen === false) bits.push('no data for this exact series in the last 14 days')
  if (c.via.startsWith('composite:'))
    bits.push(`notifies through composite alarm '${c.via.slice('composite:'.length)}'`)
  if (c.via === 'not-required') bits.push('no action required by the policy')
  bits.push(...c.notes)
  return `${target.label} by alarm '${c.alarm}'${bits.length ? ` (${bits.join(', ')})` : ''}`
}

function usageFindings(region: RegionSnapshot, policy: AlarmsPolicy): Finding[] {
  const check = alarmsUsage
  const p = policy.usage
  const def = metricDef('ThrottleCount')
  const resource = 'ThrottleCount'
  // A region with pools needs the alarm; one whose pools could not be listed may have some.
  const pools = region.cognito.pools
  if (pools.state === 'failed') return [withResource(errorFinding(check, pools.error), resource, p.severity)]
  if (pools.items.length === 0) return []
  const alarms = regionAlarms(region)
  if (alarms === 'not-collected')
    return [withResource(notCollected(check, region.region, undefined, resource), resource, p.severity)]
  if ('code' in alarms) return [withResource(errorFinding(check, alarms), resource, p.severity)]
  const usageMetrics = region.alarms?.usageMetrics
  const emitted = seriesOf(usageMetrics)
  const ci = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase()
  let unseen = 0
  const targets: Target[] = p.resources.map((res) => {
    const seen = emitted?.find(
      (s) =>
        ci(dimValue(s, 'Service'), p.service) &&
        ci(dimValue(s, 'Type'), p.type) &&
        dimValue(s, 'Resource') === res &&
        (p.class === undefined || dimValue(s, 'Class') === p.class),
    )
    if (seen) {
      return {
        label: `Resource=${res}`,
        dims: Object.fromEntries(seen.dimensions.map((d) => [d.name, d.value])),
      }
    }
    unseen++
    return {
      label: `Resource=${res}`,
      dims: { Service: p.service, Type: p.type, Resource: res, Class: p.class ?? null },
      caseInsensitive: ['Service', 'Type'],
      ...(p.class === undefined ? { optional: ['Class'] } : {}),
    }
  })
  const req: RequirementContext = {
    def,
    maxThreshold: p.maxThreshold,
    maxDatapointsToAlarm: p.maxDatapointsToAlarm,
    requireAction: p.requireAction,
    known: knownNames(),
    composites: alarms.compositeAlarms,
  }
  if (emitted) req.emitted = emitted
  const results = targets.map((target) => ({ target, ...coverTarget(alarms.metricAlarms, req, target) }))
  // A planned region: the alarm goes beside its first planned pool, in that pool's language.
  const planned = plannedAlarmContext(
    pools.items.find((x) => x.plan),
    formatOf,
  )
  const specs = (rs: TargetResult[]): AlarmSpec[] =>
    rs.map((r) => ({
      region: region.region,
      alarmName: alarmName(['cognito', region.region, 'ThrottleCount', String(r.target.dims.Resource)]),
      namespace: def.namespace,
      metricName: 'ThrottleCount',
      dimensions: ['Service', 'Type', 'Resource', 'Class']
        .filter((n) => r.target.dims[n] !== undefined && r.target.dims[n] !== null)
        .map((n) => ({ name: n, value: r.target.dims[n]! })),
      threshold: Math.floor(p.maxThreshold),
      description: `Cognito user pool ${String(r.target.dims.Resource)} requests throttled in ${region.region}`,
      ...(planned ? { planned } : {}),
    }))
  const listMetricsError = listError(usageMetrics)
  const noData = emitted !== undefined && unseen > 0
  const note = noData
    ? `Note: this account shows no matching ThrottleCount series for Cognito in ${region.region}; the Service value ` +
      `"${p.service}" is from AWS's docs (unverified), and CloudWatch matches dimension sets exactly, so whether the series ` +
      `has a Class dimension (usage metrics often carry Class=None) matters too. Check with aws cloudwatch list-metrics ` +
      `--namespace AWS/Usage --metric-name ThrottleCount --region ${q(region.region)} and copy its dimensions.`
    : undefined
  return [
    finish(
      (status, message, extra) =>
        withResource(regionFinding(check, region.region, status, message, extra), resource, p.severity),
      def,
      results,
      specs,
      '',
      note,
      listMetricsError,
      (e) => withResource(errorFinding(check, e), resource, p.severity),
    ),
  ]
}
