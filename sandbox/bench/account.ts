/**
 * The benchmark's account: a large, varied scenario generated in memory (see sandbox/README.md, "Benchmark").
 *
 * Per pool: a threat-protection mode cycling OFF / AUDIT / ENFORCED, one or two app clients (or a fixed
 * number: `clientsPerPool`), a risk configuration when ENFORCED (some with client-level overrides, or one
 * for every app client: `clientRiskConfigs`), and four alarms (or `alarmsPerPool`): AccountTakeoverRisk and
 * CompromisedCredentialRisk (High, SignIn), SignInThrottles on the first app client, and one on the same
 * metric name in an unrelated namespace; further alarms watch other throttle metrics of the app clients.
 * The defaults are the original bench account, so its numbers stay comparable. Per region: unrelated alarms, the AWS/Usage throttle alarm, hourly
 * sign-in metrics for a sample of pools and failed sign-ins in the event history. One multi-region trail
 * with event selectors lives in the first region.
 */
import type { AlarmSpec, EventSpec, MetricSpec, Mode, PoolSpec, RegionScenario, Scenario } from '../scenario.js'

export interface BenchAccountOptions {
  pools: number
  regions: string[]
  /** Unrelated alarms per region (default 100). */
  unrelatedAlarms?: number
  /** Share of pools with a day of hourly sign-in metrics (default 0.05, at least one per region). */
  metricShare?: number
  /** Failed sign-in events per region in the event history (default 120). */
  eventsPerRegion?: number
  /** App clients per pool; absent = the original shape (one client on even pools, two on odd ones). */
  clientsPerPool?: number
  /** Every app client of an ENFORCED pool has its own risk configuration (default: every fifth two-client
   *  ENFORCED pool overrides its second client). */
  clientRiskConfigs?: boolean
  /** Alarms per pool (default 4: the first four kinds described above, in that order). */
  alarmsPerPool?: number
}

/** The account shape the bench options describe, in one line (for its output). */
export function shapeLabel(o: Pick<BenchAccountOptions, 'clientsPerPool' | 'clientRiskConfigs' | 'alarmsPerPool'>) {
  const clients = o.clientsPerPool === undefined ? '1-2 clients per pool' : `${o.clientsPerPool} clients per pool`
  const risk = o.clientRiskConfigs ? 'client-level risk configurations' : 'few client-level risk configurations'
  return `${clients}, ${risk}, ${o.alarmsPerPool ?? 4} alarms per pool`
}

const CLIENT_NAMES = ['web', 'mobile', 'admin', 'partner', 'cli', 'tv', 'kiosk', 'batch']
const clientName = (k: number) => CLIENT_NAMES[k] ?? `client${k}`
/** Throttle metrics for the alarms beyond the first four, taken per app client in turn. */
const EXTRA_ALARM_METRICS = ['SignInThrottles', 'SignUpThrottles', 'TokenRefreshThrottles', 'FederationThrottles']

const MODES: Mode[] = ['OFF', 'AUDIT', 'ENFORCED']
const TOPIC = (region: string) => `arn:aws:sns:${region}:123456789012:security-alerts`

/** Pools of region `r` (0-based) when `total` pools are spread over `regionCount` regions. */
export function poolsInRegion(total: number, regionCount: number, r: number): number {
  return Math.floor(total / regionCount) + (r < total % regionCount ? 1 : 0)
}

export function benchScenario(options: BenchAccountOptions): Scenario {
  const regions: Record<string, RegionScenario> = {}
  options.regions.forEach((region, r) => {
    const count = poolsInRegion(options.pools, options.regions.length, r)
    const pools: PoolSpec[] = []
    const alarms: AlarmSpec[] = []
    const metrics: MetricSpec[] = []
    for (let i = 0; i < count; i++) {
      const name = `bench-${r}-${String(i).padStart(4, '0')}`
      const mode = MODES[i % 3]!
      const clientCount = options.clientsPerPool ?? (i % 2 === 0 ? 1 : 2)
      const clients = Array.from({ length: clientCount }, (_, k) => clientName(k))
      const pool: PoolSpec = { name, mode, clients }
      if (mode === 'ENFORCED') {
        // Every fourth ENFORCED pool lets high-risk sign-ins through (a violation under require-blocking).
        const high = i % 4 === 2 ? 'MFA_IF_CONFIGURED' : 'BLOCK'
        pool.risk = {
          'compromised-credentials': { action: 'BLOCK', events: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'] },
          'account-takeover': { low: 'NO_ACTION', medium: 'MFA_IF_CONFIGURED', high },
        }
        if (options.clientRiskConfigs) {
          // Each client blocks compromised credentials itself; every third one lets high risk through.
          pool.clients = clients.map((c, k) => ({
            name: c,
            risk: {
              'compromised-credentials': { action: 'BLOCK' as const },
              'account-takeover': { high: (k + i) % 3 === 1 ? 'NO_ACTION' : 'BLOCK' },
            },
          }))
        } else if (options.clientsPerPool === undefined && clients.length === 2 && i % 5 === 0) {
          pool.clients = ['web', { name: 'mobile', risk: { 'compromised-credentials': { action: 'BLOCK' } } }]
        }
      }
      pools.push(pool)
      const actions = [TOPIC(region)]
      const poolAlarms: AlarmSpec[] = []
      for (const metric of ['AccountTakeoverRisk', 'CompromisedCredentialRisk']) {
        poolAlarms.push({
          name: `${name}-${metric}-high`,
          metric,
          pool: name,
          dimensions: { Operation: 'SignIn', RiskLevel: 'High' },
          // Every seventh pool's alarms fire too late (threshold above the policy's maximum).
          threshold: i % 7 === 3 ? 5 : 1,
          actions,
        })
      }
      poolAlarms.push({
        name: `${name}-web-SignInThrottles`,
        metric: 'SignInThrottles',
        pool: name,
        client: 'web',
        threshold: 10,
        actions,
      })
      poolAlarms.push({
        name: `${name}-app-throttles`,
        namespace: 'MyApp/Auth',
        metric: 'SignInThrottles',
        pool: name,
        threshold: 10,
        actions,
      })
      const wanted = options.alarmsPerPool ?? 4
      for (let k = 0; poolAlarms.length < wanted; k++) {
        // Client k+1 first (client 0 has its SignInThrottles alarm), then the next metric for every client.
        const client = clients[(k + 1) % clients.length]!
        const metric = EXTRA_ALARM_METRICS[Math.floor((k + 1) / clients.length) % EXTRA_ALARM_METRICS.length]!
        poolAlarms.push({
          name: `${name}-${client}-${metric}-${k}`,
          metric,
          pool: name,
          client,
          threshold: 10,
          actions,
        })
      }
      alarms.push(...poolAlarms.slice(0, wanted))
    }
    for (let k = 0; k < (options.unrelatedAlarms ?? 100); k++) {
      alarms.push({
        name: `ec2-cpu-${r}-${k}`,
        namespace: 'AWS/EC2',
        metric: 'CPUUtilization',
        dimensions: { InstanceId: `i-${(r * 100_000 + k).toString(16).padStart(17, '0')}` },
        statistic: 'Average',
        threshold: 80,
        comparison: 'GreaterThanThreshold',
      })
    }
    alarms.push({
      name: `cognito-user-authentication-throttles-${region}`,
      namespace: 'AWS/Usage',
      metric: 'ThrottleCount',
      dimensions: { Service: 'Cognito user pool', Type: 'API', Resource: 'UserAuthentication', Class: 'None' },
      threshold: 10,
      actions: [TOPIC(region)],
    })

    const every = Math.max(1, Math.round(1 / (options.metricShare ?? 0.05)))
    for (let i = 0; i < count; i += every) {
      const name = pools[i]!.name
      // Every third sampled pool had a credential-stuffing burst four hours ago.
      const spikes = (i / every) % 3 === 0 ? [{ at: '-4h', requests: 1200, 'failure-rate': 0.6 }] : undefined
      metrics.push({
        pool: name,
        client: 'web',
        from: '-24h',
        requests: 120,
        'failure-rate': 0.05,
        ...(spikes ? { spikes } : {}),
      })
    }

    const events: EventSpec[] = []
    const perRegion = options.eventsPerRegion ?? 120
    const sampled = Math.max(1, Math.min(count, 6))
    for (let s = 0; s < sampled && count > 0; s++) {
      const n = Math.floor(perRegion / sampled) + (s < perRegion % sampled ? 1 : 0)
      if (n === 0) continue
      const error = s % 2 === 0 ? 'NotAuthorizedException' : 'UserNotFoundException'
      events.push({ pool: pools[s]!.name, client: 'web', error, count: n, at: `-${s + 1}h`, spacing: '20s' })
    }

    regions[region] = { pools, alarms, metrics, events }
  })
  const first = options.regions[0]
  if (first) {
    regions[first]!.trails = [
      {
        name: 'bench-org-trail',
        'multi-region': true,
        logging: true,
        'event-selectors': [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }],
      },
    ]
  }
  return { now: new Date().toISOString(), regions }
}

/**
 * Splits a scenario into `parts` scenarios with disjoint pools (each with its own alarms, metrics and events),
 * so they can be seeded concurrently. Region-wide items (trails, unrelated alarms) go to the first part.
 */
export function splitScenario(scenario: Scenario, parts: number): Scenario[] {
  const out: Scenario[] = Array.from({ length: Math.max(1, parts) }, () => ({ now: scenario.now, regions: {} }))
  for (const [region, spec] of Object.entries(scenario.regions)) {
    const pools = spec.pools ?? []
    const partOf = new Map<string, number>()
    // Event ids are numbered per seeding call, so a region's events (and the pools they name) stay in part 0.
    const named = new Set((spec.events ?? []).map((e) => e.pool))
    pools.forEach((p, i) => {
      partOf.set(p.name, named.has(p.name) ? 0 : i % out.length)
    })
    out.forEach((s, k) => {
      s.regions[region] = {
        pools: pools.filter((p) => partOf.get(p.name) === k),
        alarms: (spec.alarms ?? []).filter((a) => (a.pool ? partOf.get(a.pool) : 0) === k),
        metrics: (spec.metrics ?? []).filter((m) => partOf.get(m.pool) === k),
        events: k === 0 ? (spec.events ?? []) : [],
        ...(k === 0 && spec.trails ? { trails: spec.trails } : {}),
      }
    })
  }
  return out
}
