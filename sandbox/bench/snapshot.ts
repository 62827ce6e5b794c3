/**
 * The bench account as a saved snapshot, built in memory without the sandbox: the same scenario the live
 * bench seeds (bench/account.ts), turned into what the collectors would have read from it, with made-up
 * but well-formed ids. `npm run bench -- --snapshot-only` audits it, so the post-collection path can be
 * measured at any size in seconds, with no seeding.
 */
import type { ActivityRegion, PoolMetrics, SeriesData } from '../../src/model/activity.js'
import type { AlarmsRegion, ListedMetric, MetricAlarmInfo } from '../../src/model/alarms.js'
import type { CloudTrailRegion, TrailRecord } from '../../src/model/cloudtrail.js'
import {
  type AccountSnapshot,
  type AppClient,
  type ClientRiskConfiguration,
  loaded,
  type RegionSnapshot,
  type RiskConfiguration,
  SNAPSHOT_SCHEMA_VERSION,
  type UserPool,
} from '../../src/model/snapshot.js'
import { clientLevel, toRiskConfiguration } from '../../src/sources/aws/cognito.js'
import { riskInput, type Scenario } from '../scenario.js'

const ACCOUNT = '123456789012'
const RISK_METRIC = /Risk$|^OverrideBlock$/
const HOUR = 3_600_000

/** A 32-hex-digit id from a counter, so the snapshot is the same on every run. */
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

export function scenarioSnapshot(
  scenario: Scenario,
  nowIso = scenario.now ?? new Date().toISOString(),
): AccountSnapshot {
  const now = Date.parse(nowIso)
  const end = Math.floor(now / HOUR) * HOUR
  const window = {
    previousStart: new Date(end - 48 * HOUR).toISOString(),
    start: new Date(end - 24 * HOUR).toISOString(),
    end: new Date(end).toISOString(),
    hours: 24,
    periodSeconds: 3600,
  }
  let counter = 0
  const trailRegion = Object.entries(scenario.regions).find(([, r]) => r.trails?.length)
  const trails: TrailRecord[] = (trailRegion?.[1].trails ?? []).map((t) => ({
    name: t.name,
    arn: `arn:aws:cloudtrail:${trailRegion![0]}:${ACCOUNT}:trail/${t.name}`,
    homeRegion: trailRegion![0],
    isMultiRegion: t['multi-region'] ?? false,
    isOrganization: false,
    logFileValidation: false,
    errors: [],
    s3BucketName: `${t.name}-logs-${trailRegion![0]}`,
    hasCustomEventSelectors: Boolean(t['event-selectors'] || t['advanced-event-selectors']),
    status: { isLogging: t.logging ?? true, latestDeliveryTime: nowIso, startLoggingTime: nowIso },
    selectors: {
      ...(t['event-selectors'] ? { eventSelectors: t['event-selectors'] as never } : {}),
      ...(t['advanced-event-selectors'] ? { advancedEventSelectors: t['advanced-event-selectors'] as never } : {}),
    },
  }))

  const regions = Object.entries(scenario.regions).map(([region, spec]): RegionSnapshot => {
    const poolIds = new Map<string, string>()
    const clientIds = new Map<string, string>()
    const pools = (spec.pools ?? []).map((p): UserPool => {
      const id = `${region}_${hex(++counter, 32)}`
      poolIds.set(p.name, id)
      const enforced = p.mode === 'ENFORCED'
      const clients: AppClient[] = []
      const clientRisk: ClientRiskConfiguration[] = []
      for (const c of p.clients ?? []) {
        const cs = typeof c === 'string' ? { name: c } : c
        const clientId = hex(++counter, 26)
        clientIds.set(`${p.name}/${cs.name}`, clientId)
        clients.push({ id: clientId, name: cs.name })
        if (enforced) {
          const rc = cs.risk ? riskInput(id, clientId, cs.risk) : undefined
          clientRisk.push({ clientId, configuration: rc ? clientLevel(rc as never) : null })
        }
      }
      const tier = p.tier ?? (p.mode === 'AUDIT' || p.mode === 'ENFORCED' ? 'PLUS' : 'ESSENTIALS')
      const pool: UserPool = {
        id,
        name: p.name,
        region,
        advancedSecurityMode: p.mode ?? 'OFF',
        clients: loaded(clients),
        clientRiskConfigurations: loaded(clientRisk),
        errors: [],
        arn: `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${id}`,
        tier,
      }
      if (enforced) {
        pool.riskConfiguration = p.risk
          ? (toRiskConfiguration(riskInput(id, undefined, p.risk) as never) as RiskConfiguration | null)
          : null
      }
      return pool
    })

    const dims = (metric: string, pool?: string, client?: string, extra?: Record<string, string>) => {
      const out: ListedMetric['dimensions'] = []
      if (pool) {
        out.push({ name: RISK_METRIC.test(metric) ? 'UserPoolId' : 'UserPool', value: poolIds.get(pool)! })
        if (client) out.push({ name: 'UserPoolClient', value: clientIds.get(`${pool}/${client}`)! })
      }
      for (const [name, value] of Object.entries(extra ?? {})) out.push({ name, value })
      return out
    }
    const metricAlarms = (spec.alarms ?? [])
      .filter((a) => !a.rule)
      .map(
        (a): MetricAlarmInfo => ({
          name: a.name,
          actionsEnabled: a['actions-enabled'] ?? true,
          alarmActions: a.actions ?? [],
          arn: `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${a.name}`,
          metric: {
            namespace: a.namespace ?? 'AWS/Cognito',
            metricName: a.metric!,
            dimensions: dims(a.metric!, a.pool, a.client, a.dimensions),
          },
          statistic: a.statistic ?? 'Sum',
          period: a.period ?? 300,
          evaluationPeriods: a['evaluation-periods'] ?? 1,
          threshold: a.threshold ?? 1,
          comparisonOperator: a.comparison ?? 'GreaterThanOrEqualToThreshold',
          treatMissingData: a['treat-missing-data'] ?? 'notBreaching',
        }),
      )
    const cognitoMetrics: ListedMetric[] = (spec.metrics ?? []).map((m) => ({
      namespace: 'AWS/Cognito',
      metricName: m.metric ?? 'SignInSuccesses',
      dimensions: dims(m.metric ?? 'SignInSuccesses', m.pool, m.client),
    }))
    const alarms: AlarmsRegion = {
      metricAlarms: loaded(metricAlarms),
      compositeAlarms: loaded([]),
      cognitoMetrics: loaded(cognitoMetrics),
      usageMetrics: loaded([]),
      errors: [],
    }

    // Hourly series over the current window (the bench metrics start 24 hours back), one entry per pool.
    const seriesOf = new Map<string, SeriesData[]>()
    for (const m of spec.metrics ?? []) {
      const metric = m.metric ?? 'SignInSuccesses'
      const d = Object.fromEntries(dims(metric, m.pool, m.client).map((x) => [x.name, x.value]))
      const rate = m['failure-rate'] ?? 0
      const count: Array<[string, number]> = []
      const sum: Array<[string, number]> = []
      for (let t = end - 24 * HOUR; t < end; t += HOUR) {
        const spike = (m.spikes ?? []).find((s) => Math.floor((now + relHours(s.at) * HOUR) / HOUR) * HOUR === t)
        const requests = spike?.requests ?? m.requests ?? 0
        const r = spike?.['failure-rate'] ?? rate
        const at = new Date(t).toISOString()
        count.push([at, requests])
        sum.push([at, Math.round(requests * (1 - r))])
      }
      const list = seriesOf.get(poolIds.get(m.pool)!) ?? []
      list.push(
        { metric, stat: 'SampleCount', dimensions: d, points: count },
        { metric, stat: 'Sum', dimensions: d, points: sum },
      )
      seriesOf.set(poolIds.get(m.pool)!, list)
    }
    const metrics: PoolMetrics[] = pools.map((p) => ({ poolId: p.id, series: seriesOf.get(p.id) ?? [] }))
    const failures = (spec.events ?? [])
      .filter((e) => e.error && e.pool)
      .map((e) => ({
        poolId: poolIds.get(e.pool!)!,
        eventName: e.event ?? 'InitiateAuth',
        errorCode: e.error!,
        count: e.count ?? 1,
      }))
      .sort((a, b) => a.poolId.localeCompare(b.poolId) || a.errorCode.localeCompare(b.errorCode))
    const eventsRead = failures.reduce((n, f) => n + f.count, 0)
    const activity: ActivityRegion = {
      window,
      metrics,
      breakdown: {
        pagesRead: Math.max(1, Math.ceil(eventsRead / 50)),
        pageBudget: 40,
        eventsRead,
        partial: false,
        failures,
      },
      errors: [],
    }
    const cloudtrail: CloudTrailRegion = {
      trails: loaded(trails.filter((t) => t.isMultiRegion || t.homeRegion === region)),
      otherRegionTrails: [],
      errors: [],
    }
    return { region, cognito: { pools: loaded(pools), missing: [], errors: [] }, alarms, cloudtrail, activity }
  })

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: nowIso,
    accountId: ACCOUNT,
    selection: { ids: [], names: [], all: true },
    collected: {
      alarms: { risk: true, throttles: true, usage: true },
      cloudtrail: true,
      activity: { lookbackHours: 24, eventPages: 40, personalData: false },
    },
    regions,
  }
}

/** `-4h` → -4 (the bench account's spikes use hours only). */
function relHours(at: string): number {
  const m = /^(-?\d+)h$/.exec(at)
  return m ? Number(m[1]) : 0
}
