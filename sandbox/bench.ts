/**
 * `npm run bench [-- --pools N --regions R --latency MS --timeout MIN --seed-parts K]`
 * `             [--clients-per-pool C] [--client-risk-configs] [--alarms-per-pool A]`
 * `npm run bench -- --snapshot-only [--pools N[,N...]] [--regions R] [--runs K] [shape options]`
 * `npm run bench -- --accounts N [--pools P --regions R --latency MS]`
 *
 * `--accounts N` (1–16) seeds N accounts of P pools each in one sandbox (each a 12-digit access key id,
 * which the proxy passes to moto as the account to serve, and which has its own quota buckets in the
 * proxy) and audits them concurrently in this one process, each with its own clients and client-side
 * buckets. Prints per account the wall time, the quota lower bound of its own calls and their ratio,
 * then the total wall time, the peak resident memory during the audits, and `ratio: X.XX` (total wall
 * time / the largest account's lower bound: 1.0 would be every account at its own quota bound at once).
 *
 * Account shape (both modes): `--clients-per-pool C` app clients per pool (default: the original 1-2),
 * `--client-risk-configs` gives every app client of an ENFORCED pool its own risk configuration,
 * `--alarms-per-pool A` (default 4). Without them the account is the original bench account.
 *
 * `--snapshot-only` needs no sandbox: it builds the account as a saved snapshot in a temporary directory
 * (bench/snapshot.ts) and audits it K times (default 3), each in a fresh process, printing per size the
 * median wall time, peak memory, the time of JSON.parse of the snapshot alone and the ratio of the two.
 * A comma-separated `--pools` list draws the curve in one run. It then audits the same snapshot with the
 * bundled CLI (`dist/cli/index.js audit --snapshot … --out …`, the code users run, as committed) and prints
 * its wall and CPU time and the ratio of its CPU time to the parse time; the harness above runs the sources
 * through tsx, which costs about a second of transpiling and slower code, but gives the per-stage split.
 *
 * Generates a large account in the sandbox (default 1,000 pools over 2 regions, see bench/account.ts),
 * seeds it with quotas and faults off, then turns on AWS's default rate quotas and a per-call latency
 * in the proxy and runs the audit in-process with the real SDK clients pointed at the sandbox. Prints
 * API calls per operation (proxy log and SDK attempts), throttled answers, the audit's wall time, the
 * lower bound the quotas allow for those calls, and the verdict counts. The last line is
 * `ratio: X.XX` (wall time / lower bound).
 *
 * Bounded: a hard overall timeout (default 15 min); the sandbox is always stopped; exit code 0 when the
 * benchmark ran, 1 when it failed, 2 on bad options, 124 on timeout.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { runAudit } from '../src/audit.js'
import type { Logger } from '../src/model/logger.js'
import { parsePolicy } from '../src/policy/load.js'
import { createClients } from '../src/sources/aws/clients.js'
import { liveSource } from '../src/sources/aws/source.js'
import { type BenchAccountOptions, benchScenario, shapeLabel, splitScenario } from './bench/account.js'
import { scenarioSnapshot } from './bench/snapshot.js'
import { type LowerBound, lowerBound, type OperationRow, operationRows } from './bench/stats.js'
import { type CallRecord, type Sandbox, startSandbox } from './index.js'
import { DEFAULT_RATE_QUOTAS } from './proxy.js'

const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'us-west-2',
  'eu-central-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ca-central-1',
  'sa-east-1',
]

type Shape = Pick<BenchAccountOptions, 'clientsPerPool' | 'clientRiskConfigs' | 'alarmsPerPool'>

interface Options {
  pools: number
  /** Snapshot-only mode: the sizes of the curve (`--pools 100,300,1000`). */
  poolSizes: number[]
  snapshotOnly: boolean
  runs: number
  shape: Shape
  regions: string[]
  latencyMs: number
  timeoutMs: number
  seedParts: number
  /** Write the audit's call log here (JSON), for a closer look. */
  callsFile?: string
  /** Save the collected snapshot here (adds the write to the audit's wall time; for profiling the checks). */
  snapshotFile?: string
  /** Accounts audited concurrently (`--accounts`); undefined: the one-account bench. */
  accounts?: number
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      pools: { type: 'string' },
      regions: { type: 'string' },
      'snapshot-only': { type: 'boolean' },
      runs: { type: 'string', default: '3' },
      'clients-per-pool': { type: 'string' },
      'client-risk-configs': { type: 'boolean' },
      'alarms-per-pool': { type: 'string' },
      latency: { type: 'string', default: '20' },
      timeout: { type: 'string', default: '15' },
      'seed-parts': { type: 'string', default: '4' },
      calls: { type: 'string' },
      snapshot: { type: 'string' },
      accounts: { type: 'string' },
    },
  })
  const int = (name: string, text: string | undefined, min: number, max: number) => {
    const n = Number(text)
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`--${name} must be an integer from ${min} to ${max}`)
    }
    return n
  }
  const snapshotOnly = values['snapshot-only'] === true
  // A saved snapshot of one region is the issue's measurement; the live bench keeps its two regions.
  const regionCount = int('regions', values.regions ?? (snapshotOnly ? '1' : '2'), 1, REGIONS.length)
  const poolSizes = (values.pools ?? '1000').split(',').map((p) => int('pools', p.trim(), 1, 20_000))
  if (!snapshotOnly && poolSizes.length > 1) throw new UsageError('a list of --pools needs --snapshot-only')
  const accounts = values.accounts !== undefined ? int('accounts', values.accounts, 1, 16) : undefined
  if (accounts !== undefined && snapshotOnly) throw new UsageError('--accounts audits live: not with --snapshot-only')
  const shape: Shape = {
    ...(values['clients-per-pool'] !== undefined
      ? { clientsPerPool: int('clients-per-pool', values['clients-per-pool'], 1, 8) }
      : {}),
    ...(values['client-risk-configs'] ? { clientRiskConfigs: true } : {}),
    ...(values['alarms-per-pool'] !== undefined
      ? { alarmsPerPool: int('alarms-per-pool', values['alarms-per-pool'], 0, 40) }
      : {}),
  }
  return {
    pools: poolSizes[0]!,
    poolSizes,
    snapshotOnly,
    runs: int('runs', values.runs, 1, 9),
    shape,
    regions: REGIONS.slice(0, regionCount),
    latencyMs: int('latency', values.latency, 0, 10_000),
    timeoutMs: int('timeout', values.timeout, 1, 120) * 60_000,
    seedParts: int('seed-parts', values['seed-parts'], 1, 32),
    ...(values.calls ? { callsFile: values.calls } : {}),
    ...(values.snapshot ? { snapshotFile: values.snapshot } : {}),
    ...(accounts !== undefined ? { accounts } : {}),
  }
}

class UsageError extends Error {}

function benchPolicy(regions: string[]): string {
  return `version: 1
regions: [${regions.join(', ')}]
threat-protection:
  mode: AUDIT
  require-blocking: true
alarms:
  risk:
    metrics: [AccountTakeoverRisk, CompromisedCredentialRisk]
    operations: [SignIn]
    risk-levels: [High]
    max-threshold: 1
    require-action: true
  throttles:
    metrics: [SignInThrottles]
    max-threshold: 10
  usage:
    resources: [UserAuthentication]
    max-threshold: 10
cloudtrail:
  enabled: true
activity:
  lookback: 24h
  thresholds:
    max-sign-in-failure-rate: 25
    min-sign-in-attempts: 20
`
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const say = (line = '') => process.stdout.write(`${line}\n`)

async function main(): Promise<number> {
  const options = readOptions()
  if (options.snapshotOnly) return snapshotOnly(options)
  if (options.accounts !== undefined) return manyAccounts(options, options.accounts)
  const header =
    `bench: ${options.pools} pools over ${options.regions.length} region(s) (${options.regions.join(', ')}), ` +
    `${shapeLabel(options.shape)}, ${options.latencyMs} ms latency per call, AWS default rate quotas`
  return withSandbox(options, header, async (sandbox) => {
    // ---- seeding: no quotas, no faults, several seeding runs at once ----
    const scenario = benchScenario({ pools: options.pools, regions: options.regions, ...options.shape })
    let t = performance.now()
    const seeded = await Promise.all(splitScenario(scenario, options.seedParts).map((part) => sandbox.seed(part)))
    const seedMs = performance.now() - t
    const poolCount = seeded.reduce((n, s) => n + Object.keys(s.pools).filter((k) => k.includes('/')).length, 0)
    const alarmCount = Object.values(scenario.regions).reduce((n, r) => n + (r.alarms?.length ?? 0), 0)
    say(
      `bench: seeded ${poolCount} pools, ${alarmCount} alarms, 1 trail, metrics and events in ${seconds(seedMs)} ` +
        `(${sandbox.calls().length} calls, ${options.seedParts} concurrent seeding runs)`,
    )
    if (poolCount !== options.pools) throw new Error(`seeding created ${poolCount} pools, expected ${options.pools}`)

    // ---- the audit: default quotas and latency, a fresh call log ----
    const { policy, warnings, log } = auditPhase(sandbox, options)
    const clients = createClients()
    say('bench: auditing …')
    const auditStart = Date.now()
    t = performance.now()
    const result = await runAudit({
      policy,
      source: liveSource({ clients, now: new Date() }),
      log,
      ...(options.snapshotFile ? { saveSnapshotPath: options.snapshotFile } : {}),
    })
    const wallMs = performance.now() - t
    const calls = sandbox.calls()
    await sandbox.stop()

    if (options.callsFile) await writeFile(options.callsFile, `${JSON.stringify({ auditStart, calls }, null, 1)}\n`)
    const rows = operationRows(calls, clients.calls)
    const bound = lowerBound(calls, DEFAULT_RATE_QUOTAS, options.latencyMs)
    printCalls(rows)
    printLoads(bound, calls, auditStart)
    for (const w of warnings.slice(0, 10)) say(`bench: audit warning: ${w}`)
    if (warnings.length > 10) say(`bench: … ${warnings.length - 10} more audit warnings`)
    const c = result.counts
    say(
      `verdicts: ${c.pools} pools in ${c.regions} regions, ${c.poolsFailing} failing; findings: pass ${c.pass}, ` +
        `fail ${c.fail}, warn ${c.warn}, error ${c.error}, exempt ${c.exempt}`,
    )
    say(`seeding time: ${seconds(seedMs)}`)
    const lastAnswer = Math.max(0, ...calls.map((x) => Date.parse(x.time) + x.latencyMs - auditStart))
    say(
      `audit wall time: ${seconds(wallMs)} (last API answer at ${seconds(lastAnswer)}; ` +
        `${seconds(Math.max(0, wallMs - lastAnswer))} of in-process work after it)`,
    )
    const b = bound.bottleneck
    say(
      `lower bound: ${seconds(bound.seconds * 1000)}` +
        (b
          ? ` (${b.region} ${b.category}: ${b.calls} calls, the first ${b.rate} from the full bucket, the rest at ${b.rate} per s, + ${options.latencyMs} ms latency)`
          : ''),
    )
    if (b) {
      const mine = calls.filter((x) => !isThrottledCall(x) && bucketOf(x) === `${b.region}/${b.category}`)
      const first = Math.min(...mine.map((x) => Date.parse(x.time) - auditStart))
      const last = Math.max(...mine.map((x) => Date.parse(x.time) - auditStart))
      say(
        `where the time went: ${seconds(first)} before the bottleneck's first call; its ${b.calls} calls spanned ` +
          `${seconds(last - first)} (${(((b.calls / Math.max(0.001, (last - first) / 1000)) * 100) / b.rate).toFixed(0)}% of ` +
          `its ${b.rate}/s quota); ${seconds(wallMs - last)} from its last call to the end (later calls, checks)`,
      )
    }
    if (c.pools !== options.pools) throw new Error(`the audit saw ${c.pools} pools, expected ${options.pools}`)
    say(`ratio: ${(wallMs / 1000 / bound.seconds).toFixed(2)}`)
    return 0
  })
}

/**
 * Runs `body` against a started sandbox, under the bench's overall time limit, and always stops it. No
 * real AWS configuration may reach the audit: every AWS_* variable is dropped before the sandbox sets its
 * own endpoint and region. The sandbox starts with quotas and faults off, for seeding.
 */
async function withSandbox(options: Options, header: string, body: (sandbox: Sandbox) => Promise<number>) {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k]
  let sandbox: Sandbox | undefined
  const timer = setTimeout(() => {
    process.stderr.write(`bench: timed out after ${options.timeoutMs / 60_000} min; stopping the sandbox\n`)
    const stop = sandbox?.stop() ?? Promise.resolve()
    const force = new Promise((r) => setTimeout(r, 5000))
    void Promise.race([stop, force]).finally(() => process.exit(124))
  }, options.timeoutMs)
  try {
    say(header)
    const t = performance.now()
    sandbox = await startSandbox({ region: options.regions[0] })
    Object.assign(process.env, sandbox.env)
    say(`bench: sandbox started in ${seconds(performance.now() - t)} (${sandbox.endpoint})`)
    sandbox.quotas(false)
    sandbox.faults.clear()
    return await body(sandbox)
  } finally {
    clearTimeout(timer)
    await sandbox?.stop()
  }
}

/** After seeding: AWS's default quotas and the per-call latency on, a fresh call log; the bench policy
 *  and a logger that keeps the audit's warnings. */
function auditPhase(sandbox: Sandbox, options: Options) {
  const policy = parsePolicy(benchPolicy(options.regions), 'bench policy')
  sandbox.quotas(true)
  sandbox.faults.set(options.latencyMs > 0 ? [{ kind: 'latency', latencyMs: options.latencyMs }] : [])
  sandbox.clearCalls()
  const warnings: string[] = []
  const log: Logger = { info() {}, debug() {}, warn: (m) => void warnings.push(m) }
  return { policy, warnings, log }
}

/** A 12-digit account id per bench account (used as its access key id). */
const benchAccount = (i: number) => String(210000000000 + i + 1)

/** `--accounts N`: N accounts in one sandbox, audited concurrently in this process. */
async function manyAccounts(options: Options, n: number): Promise<number> {
  const ids = Array.from({ length: n }, (_, i) => benchAccount(i))
  const header =
    `bench --accounts ${n}: ${options.pools} pools each over ${options.regions.length} region(s) (${options.regions.join(', ')}), ` +
    `${shapeLabel(options.shape)}, ${options.latencyMs} ms latency per call, AWS default rate quotas per account and region`
  // The sandbox's endpoint and region; each account's clients bring their own credentials.
  return withSandbox(options, header, async (sandbox) => {
    const scenario = benchScenario({ pools: options.pools, regions: options.regions, ...options.shape })
    const t = performance.now()
    for (const id of ids) {
      const parts = splitScenario(scenario, options.seedParts)
      await Promise.all(parts.map((part) => sandbox.seed(part, { accountId: id })))
    }
    say(`bench: seeded ${n} account(s) in ${seconds(performance.now() - t)}`)

    const { policy, warnings, log } = auditPhase(sandbox, options)
    const rssBefore = process.memoryUsage().rss
    let peakRss = rssBefore
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }, 50)
    say(`bench: auditing ${n} account(s) concurrently …`)
    const start = performance.now()
    const runs = await Promise.all(
      ids.map(async (id) => {
        const clients = createClients({ credentials: { accessKeyId: id, secretAccessKey: 'testing' } })
        const t0 = performance.now()
        const result = await runAudit({ policy, source: liveSource({ clients, now: new Date() }), log })
        return { id, result, wallMs: performance.now() - t0 }
      }),
    )
    const wallMs = performance.now() - start
    clearInterval(sampler)
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    const calls = sandbox.calls()
    await sandbox.stop()

    let worstBound = 0
    for (const r of runs) {
      const mine = calls.filter((c) => c.account === r.id)
      const bound = lowerBound(mine, DEFAULT_RATE_QUOTAS, options.latencyMs)
      worstBound = Math.max(worstBound, bound.seconds)
      const c = r.result.counts
      const b = bound.bottleneck
      say(
        `  account ${r.id}: ${c.pools} pools, fail ${c.fail}, error ${c.error}; ${mine.length} calls ` +
          `(${mine.filter(isThrottledCall).length} throttled); wall ${seconds(r.wallMs)}; lower bound ${seconds(bound.seconds * 1000)}` +
          `${b ? ` (${b.region} ${b.category})` : ''}; ratio ${(r.wallMs / 1000 / bound.seconds).toFixed(2)}`,
      )
      if (r.result.snapshot.accountId !== r.id) {
        throw new Error(`the audit of ${r.id} reported account ${r.result.snapshot.accountId ?? 'none'}`)
      }
      if (c.pools !== options.pools)
        throw new Error(`the audit of ${r.id} saw ${c.pools} pools, expected ${options.pools}`)
    }
    const foreign = calls.filter((c) => c.service !== 'other' && !ids.includes(c.account ?? '')).length
    if (foreign > 0) throw new Error(`${foreign} audited calls did not name one of the bench accounts`)
    for (const w of warnings.slice(0, 10)) say(`bench: audit warning: ${w}`)
    say(
      `accounts: ${n}; total wall time ${seconds(wallMs)}; peak RSS during the audits ${(peakRss / 2 ** 20).toFixed(0)} MiB ` +
        `(${(rssBefore / 2 ** 20).toFixed(0)} MiB before them; the in-process sandbox proxy included); ` +
        `largest lower bound ${seconds(worstBound * 1000)}`,
    )
    say(`ratio: ${(wallMs / 1000 / worstBound).toFixed(2)}`)
    return 0
  })
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

interface SnapshotRun {
  wallMs: number
  maxRssKiB: number
  heapBytes: number
  stages: Record<string, number>
  findings: number
}

interface CliRun {
  wallMs: number
  cpuMs: number
  maxRssKiB: number
  code: number | null
}

/** One audit of the snapshot by the bundled CLI in a fresh process (terminal report discarded); its own CPU
 *  time and peak memory come from a preloaded module that writes them on exit. */
async function bundledCli(dir: string, snapshot: string, policy: string, timeoutMs: number): Promise<CliRun> {
  const cli = join(import.meta.dirname, '..', 'dist', 'cli', 'index.js')
  if (!existsSync(cli)) throw new UsageError(`${cli} is missing: run npm run package first`)
  const usageFile = join(dir, 'cli-usage.json')
  const out = join(dir, 'cli-out')
  const preload = pathToFileURL(join(import.meta.dirname, 'bench', 'cli-usage.mjs')).href
  const args = ['--import', preload, cli, 'audit', '--policy', policy, '--snapshot', snapshot, '--out', out]
  const start = performance.now()
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: 'ignore',
      timeout: timeoutMs,
      env: { ...process.env, BENCH_USAGE_OUT: usageFile, AWS_EC2_METADATA_DISABLED: 'true' },
    })
    child.on('error', reject)
    child.on('close', resolve)
  })
  const wallMs = performance.now() - start
  // Exit 1 is the gate failing on the bench account's violations; anything else is a broken run.
  if (code !== 0 && code !== 1) throw new Error(`the bundled CLI exited with ${code} on ${snapshot}`)
  const usage = JSON.parse(await readFile(usageFile, 'utf8')) as Omit<CliRun, 'wallMs' | 'code'>
  await rm(out, { recursive: true, force: true })
  return { wallMs, code, ...usage }
}

/** The snapshot-only curve: per size, build the snapshot, time JSON.parse, audit it in fresh processes. */
async function snapshotOnly(options: Options): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'cognito-bench-'))
  const run = promisify(execFile)
  const child = join(import.meta.dirname, 'bench', 'snapshot-run.ts')
  say(
    `bench --snapshot-only: ${options.regions.length} region(s), ${shapeLabel(options.shape)}; ` +
      `median of ${options.runs} runs, each in a fresh process (snapshots in ${dir}, removed afterwards)`,
  )
  say(
    `  ${'pools'.padStart(6)} ${'snapshot'.padStart(9)} ${'parse'.padStart(8)} ${'wall'.padStart(9)} ${'ratio'.padStart(7)} ` +
      `${'peak RSS'.padStart(9)} ${'heap'.padStart(8)}  stages (median ms)`,
  )
  try {
    const policyPath = join(dir, 'policy.yml')
    await writeFile(policyPath, benchPolicy(options.regions))
    for (const pools of options.poolSizes) {
      const path = join(dir, `snapshot-${pools}.json`)
      const scenario = benchScenario({ pools, regions: options.regions, ...options.shape })
      // Written as --save-snapshot writes it.
      await writeFile(
        path,
        `${JSON.stringify(scenarioSnapshot(scenario), null, 2)}
`,
      )
      const text = await readFile(path, 'utf8')
      const parses: number[] = []
      for (let k = 0; k < 3; k++) {
        const t = performance.now()
        JSON.parse(text)
        parses.push(performance.now() - t)
      }
      const runs: SnapshotRun[] = []
      for (let k = 0; k < options.runs; k++) {
        const out = join(dir, `out-${pools}-${k}`)
        const { stdout } = await run(process.execPath, ['--import', 'tsx', child, path, policyPath, out], {
          timeout: options.timeoutMs,
          maxBuffer: 1 << 20,
        })
        runs.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as SnapshotRun)
        await rm(out, { recursive: true, force: true })
      }
      const cli: CliRun[] = []
      for (let k = 0; k < options.runs; k++) cli.push(await bundledCli(dir, path, policyPath, options.timeoutMs))
      const parse = median(parses)
      const wall = median(runs.map((r) => r.wallMs))
      const stages = Object.keys(runs[0]!.stages)
        .map((s) => `${s} ${median(runs.map((r) => r.stages[s] ?? 0)).toFixed(0)}`)
        .join(', ')
      say(
        `  ${String(pools).padStart(6)} ${`${(text.length / 2 ** 20).toFixed(1)} MiB`.padStart(9)} ` +
          `${`${parse.toFixed(0)} ms`.padStart(8)} ${seconds(wall).padStart(9)} ${(wall / parse).toFixed(1).padStart(7)} ` +
          `${`${(median(runs.map((r) => r.maxRssKiB)) / 1024).toFixed(0)} MiB`.padStart(9)} ` +
          `${`${(median(runs.map((r) => r.heapBytes)) / 2 ** 20).toFixed(0)} MiB`.padStart(8)}  ${stages}; ${runs[0]!.findings} findings`,
      )
      const cliCpu = median(cli.map((r) => r.cpuMs))
      say(
        `  ${''.padStart(6)} bundled CLI: wall ${seconds(median(cli.map((r) => r.wallMs)))}, CPU ${seconds(cliCpu)} ` +
          `(${(cliCpu / parse).toFixed(1)} × parse), peak RSS ${(median(cli.map((r) => r.maxRssKiB)) / 1024).toFixed(0)} MiB, ` +
          `exit ${cli[0]!.code}`,
      )
      await rm(path, { force: true })
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return 0
}

const isThrottledCall = (c: CallRecord) => c.fault === 'quota' || c.fault === 'throttle'
const bucketOf = (c: CallRecord) => {
  const quota = DEFAULT_RATE_QUOTAS[`${c.service}:${c.operation}`]
  return quota ? `${c.region}/${c.service}:${quota.category}` : undefined
}

function printCalls(rows: OperationRow[]): void {
  const total = (f: (r: OperationRow) => number) => rows.reduce((n, r) => n + f(r), 0)
  say('API calls per operation (proxy: every call it saw; throttled: answered with a throttling error;')
  say("                         sdk: attempts the audit's clients counted, retries included):")
  say(
    `  ${'operation'.padEnd(42)} ${'proxy'.padStart(7)} ${'throttled'.padStart(9)} ${'sdk'.padStart(7)}   latency ms mean/max`,
  )
  for (const r of rows) {
    say(
      `  ${r.operation.padEnd(42)} ${String(r.proxyCalls).padStart(7)} ${String(r.throttled).padStart(9)} ${String(r.clientAttempts).padStart(7)}   ${r.meanLatencyMs.toFixed(0).padStart(6)} / ${r.maxLatencyMs.toFixed(0)}`,
    )
  }
  say(
    `  ${'total'.padEnd(42)} ${String(total((r) => r.proxyCalls)).padStart(7)} ${String(total((r) => r.throttled)).padStart(9)} ${String(total((r) => r.clientAttempts)).padStart(7)}`,
  )
}

/** Per (region, quota category): calls, the time the quota needs for them, and when they actually ran. */
function printLoads(bound: LowerBound, calls: CallRecord[], auditStart: number): void {
  say(
    'Quota buckets (region, category): accepted calls, (calls - burst) / rate = seconds needed; first..last call after audit start:',
  )
  for (const l of bound.loads) {
    const mine = calls.filter(
      (c) =>
        c.region === l.region &&
        `${c.service}:${DEFAULT_RATE_QUOTAS[`${c.service}:${c.operation}`]?.category}` === l.category,
    )
    const times = mine.map((c) => Date.parse(c.time) - auditStart)
    const first = Math.min(...times)
    const last = Math.max(...times)
    say(
      `  ${l.region.padEnd(15)} ${l.category.padEnd(34)} (${String(l.calls).padStart(5)} - ${String(l.rate).padStart(2)}) / ${String(l.rate).padStart(2)}/s = ${l.seconds.toFixed(2).padStart(7)} s   ran ${(first / 1000).toFixed(1)}..${(last / 1000).toFixed(1)} s`,
    )
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`bench: ${(err as Error).message}\n`)
      process.exit(2)
    }
    process.stderr.write(`bench: failed: ${(err as Error).stack ?? err}\n`)
    process.exit(1)
  },
)
