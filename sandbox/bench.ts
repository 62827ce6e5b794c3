/**
 * `npm run bench [-- --pools N --regions R --latency MS]`
 *
 * Generates a large account (default 1,000 pools over 2 regions, 4 alarms per pool plus
 * unrelated ones, a multi-region trail, a day of sign-in metrics, failed sign-in events),
 * runs the audit (the CLI, as a user would) with AWS's default rate quotas and 20 ms latency
 * on every call, and prints the API calls per operation, the wall time, and the lower bound
 * the quotas allow for those calls. The last line is `wall time / lower bound`.
 */
import { spawn } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type Sandbox, startSandbox } from './index.js'
import { DEFAULT_RATE_QUOTAS } from './proxy.js'
import type { RegionScenario, Scenario } from './scenario.js'

const { values } = parseArgs({
  options: {
    pools: { type: 'string', default: '1000' },
    regions: { type: 'string', default: '2' },
    latency: { type: 'string', default: '20' },
    out: { type: 'string', default: '.audit-out/bench' },
  },
})
const POOLS = Number(values.pools)
const REGION_COUNT = Number(values.regions)
const LATENCY = Number(values.latency)
const ALL_REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1']

export function benchScenario(pools: number, regionCount: number): Scenario {
  const regions = ALL_REGIONS.slice(0, Math.max(1, Math.min(regionCount, ALL_REGIONS.length)))
  const scenario: Scenario = { regions: {} }
  regions.forEach((region, r) => {
    const spec: Required<Pick<RegionScenario, 'pools' | 'alarms' | 'metrics' | 'events'>> & RegionScenario = {
      pools: [],
      alarms: [],
      metrics: [],
      events: [],
    }
    for (let i = r; i < pools; i += regions.length) {
      const name = `bench-${String(i + 1).padStart(5, '0')}`
      const mode = (['ENFORCED', 'AUDIT', 'OFF'] as const)[i % 3]
      spec.pools.push({
        name,
        mode,
        clients: ['web'],
        ...(mode === 'ENFORCED'
          ? { risk: { 'compromised-credentials': { action: 'BLOCK' }, 'account-takeover': { high: 'BLOCK' } } }
          : {}),
      })
      const sns = [`arn:aws:sns:${region}:123456789012:alerts`]
      const risk = { Operation: 'SignIn', RiskLevel: 'High' }
      spec.alarms.push(
        { name: `${name}-ato`, metric: 'AccountTakeoverRisk', pool: name, dimensions: risk, actions: sns },
        { name: `${name}-cc`, metric: 'CompromisedCredentialRisk', pool: name, dimensions: risk, actions: sns },
        { name: `${name}-throttles`, metric: 'SignInThrottles', pool: name, client: 'web', threshold: 10, actions: sns },
        { name: `${name}-signups`, metric: 'SignUpThrottles', pool: name, client: 'web', threshold: 10, actions: sns },
      )
      spec.metrics.push({ pool: name, client: 'web', requests: 50 + (i % 7) * 10, 'failure-rate': (i % 10) / 100 })
      if (i % 10 === 0) spec.events.push({ pool: name, client: 'web', error: 'NotAuthorizedException', count: 3 })
    }
    for (let u = 0; u < 50; u++) {
      spec.alarms.push({
        name: `unrelated-ec2-${u}`,
        metric: 'CPUUtilization',
        namespace: 'AWS/EC2',
        dimensions: { InstanceId: `i-${u}` },
        statistic: 'Average',
        threshold: 90,
      })
    }
    spec.alarms.push({
      name: `cognito-usage-${region}`,
      namespace: 'AWS/Usage',
      metric: 'ThrottleCount',
      dimensions: { Service: 'Cognito user pool', Type: 'API', Resource: 'UserAuthentication', Class: 'None' },
      threshold: 10,
      actions: [`arn:aws:sns:${region}:123456789012:alerts`],
    })
    if (r === 0) (spec as RegionScenario).trails = [{ name: 'org-trail', 'multi-region': true }]
    scenario.regions[region] = spec
  })
  return scenario
}

/** Seconds the quotas force at least: per region and quota category, calls beyond the burst at the category's rate. */
export function lowerBound(calls: { service: string; region: string; operation: string }[]): number {
  const perCategory = new Map<string, { count: number; rate: number }>()
  for (const c of calls) {
    const quota = DEFAULT_RATE_QUOTAS[`${c.service}:${c.operation}`]
    if (!quota) continue
    const key = `${c.region}/${c.service}:${quota.category}`
    const entry = perCategory.get(key) ?? { count: 0, rate: quota.rate }
    entry.count++
    perCategory.set(key, entry)
  }
  let bound = 0
  for (const { count, rate } of perCategory.values()) bound = Math.max(bound, Math.max(0, count - rate) / rate)
  return bound
}

async function main(): Promise<number> {
  const out = resolve(values.out!)
  await rm(out, { recursive: true, force: true })
  await mkdir(out, { recursive: true })
  const scenario = benchScenario(POOLS, REGION_COUNT)
  const regions = Object.keys(scenario.regions)
  console.log(`bench: ${POOLS} pools over ${regions.join(', ')}; starting the sandbox …`)
  let sandbox: Sandbox
  try {
    sandbox = await startSandbox({ region: regions[0] })
  } catch (err) {
    console.error(`bench: cannot run: ${(err as Error).message}`)
    return 2
  }
  try {
    const t0 = performance.now()
    await sandbox.seed(scenario)
    console.log(`bench: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const policy = join(out, 'policy.yml')
    await writeFile(
      policy,
      [
        'version: 1',
        `regions: [${regions.join(', ')}]`,
        'alarms:',
        '  throttles:',
        '    metrics: [SignInThrottles, SignUpThrottles]',
        'activity:',
        '  lookback: 24h',
        '',
      ].join('\n'),
    )
    sandbox.clearCalls()
    sandbox.quotas(true)
    sandbox.faults.set([{ kind: 'latency', latencyMs: LATENCY }])
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v
    Object.assign(env, sandbox.env, { GITHUB_STEP_SUMMARY: join(out, 'job-summary.md') })
    const args = ['--import', 'tsx', 'src/cli.ts', 'audit', '--policy', policy, '--out', out]
    console.log(`bench: auditing with AWS's default quotas and ${LATENCY} ms latency per call …`)
    const started = performance.now()
    const code = await new Promise<number | null>((r) => {
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] })
      child.once('exit', r)
    })
    const wall = (performance.now() - started) / 1000
    if (code !== 0 && code !== 1) {
      console.error(`bench: the audit could not run (CLI exit code ${code})`)
      return 2
    }
    const calls = sandbox.calls()
    const counts = Object.entries(sandbox.callCounts()).sort(([a], [b]) => a.localeCompare(b))
    const throttled = calls.filter((c) => c.fault === 'quota').length
    console.log(`bench: API calls (attempts, retries included): ${calls.length}, of which throttled by quota: ${throttled}`)
    for (const [op, n] of counts) console.log(`  ${op.padEnd(44)} ${String(n).padStart(6)}`)
    const bound = lowerBound(calls.filter((c) => c.fault !== 'quota'))
    console.log(`bench: wall time ${wall.toFixed(2)} s; lower bound from the quotas ${bound.toFixed(2)} s`)
    console.log(`bench: ratio wall/lower-bound ${bound > 0 ? (wall / bound).toFixed(2) : 'n/a (no quota-bound calls)'}`)
    return 0
  } finally {
    await sandbox.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('sandbox/bench.ts')) {
  main().then(
    (code) => {
      process.exitCode = code
    },
    (err) => {
      console.error(`bench: cannot run: ${(err as Error).stack ?? err}`)
      process.exitCode = 2
    },
  )
}
