/**
 * `npm run bench:merge [-- --accounts 200 --regions 2 --pools 100 --repeat 5] [--baseline]`
 *
 * Generates one report.json per account and region (default 200 accounts × 2 regions = 400 reports of
 * 100 pools each, see bench/reports.ts) in a temporary directory, then merges the first quarter and all
 * of them, each in a fresh child process: read and check every file, fold, render the summary, write the
 * merged report and summary. Prints per size the CPU and wall time, the peak resident memory, the merged
 * report's and summary's sizes and the summary level; the last line is `ratio: X.XX`, the CPU time per
 * report of the full merge over that of the quarter (1.00 = linear; the lowest of the runs of each size,
 * since other load on the machine only ever adds). The directory is removed at the end.
 *
 * `--baseline`: each merge also compares with the previous merged report of the same reports (written
 * once per size beforehand, another night's collection time), as `merge --baseline` does: reading and
 * checking it, the comparison per account and region, the delta in the summary and report.
 */
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadAndMerge, readMergedBaseline, writeMergeFiles } from '../src/merge/index.js'
import { toJsonText } from '../src/report/json.js'
import { accountIdOf, generateReport } from './bench/reports.js'

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1']

interface Measure {
  reports: number
  ms: number
  /** User + system CPU time of the merge. */
  cpuMs: number
  maxRssMiB: number
  mergedMiB: number
  summaryKiB: number
  level: string
  pools: number
  /** With --baseline: the new, resolved and persisting counts. */
  delta?: string
}

async function measure(dir: string, count: number, baseline?: string): Promise<void> {
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, count)
    .map((f) => join(dir, f))
  const out = await mkdtemp(join(tmpdir(), 'bench-merge-out-'))
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const base = baseline ? { report: await readMergedBaseline(baseline), source: baseline } : undefined
  const merged = await loadAndMerge(files, {
    failOn: 'violation',
    ...(base ? { baseline: base } : {}),
    warn: (w) => process.stderr.write(`${w}\n`),
  })
  const written = await writeMergeFiles(out, merged)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const m: Measure = {
    reports: files.length,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    mergedMiB: (await stat(written.reportPath)).size / 2 ** 20,
    summaryKiB: Buffer.byteLength(written.markdown) / 1024,
    level: written.level,
    pools: merged.verdict.pools,
    ...(merged.baseline
      ? {
          delta: `${merged.baseline.counts.new} new, ${merged.baseline.counts.resolved} resolved, ${merged.baseline.counts.persisting} persisting`,
        }
      : {}),
  }
  await rm(out, { recursive: true, force: true })
  process.stdout.write(`${JSON.stringify(m)}\n`)
}

/** The previous night's merged report of the first `count` reports: the same reports a day earlier, with
 *  every tenth account's violations fixed then broken again, so the comparison has work of every kind. */
async function writeBaseline(dir: string, count: number, out: string): Promise<void> {
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, count)
    .map((f) => join(dir, f))
  const merged = await loadAndMerge(files, { failOn: 'violation', warn: () => undefined })
  merged.collectedAt = '2026-11-21T04:30:00.000Z'
  for (const a of merged.accounts) for (const r of a.reports) r.collectedAt = merged.collectedAt
  // A third of tonight's findings were not there the night before (the violations among them are new),
  // and every seventh passing one was failing then (resolved).
  merged.findings = merged.findings
    .filter((_, i) => i % 3 !== 0)
    .map((f, i) => (f.status === 'pass' && i % 7 === 0 ? { ...f, status: 'fail' as const } : f))
  await writeFile(out, toJsonText(merged))
}

function runChild(dir: string, count: number, baseline?: string): Measure {
  const script = fileURLToPath(import.meta.url)
  const extra = baseline ? ['--baseline-file', baseline] : []
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--measure', String(count), '--dir', dir, ...extra],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 2 ** 20,
    },
  )
  if (r.status !== 0) throw new Error(`merge of ${count} reports failed:\n${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Measure
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const fmt = (ms: number) => (ms / 1000).toFixed(2)

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '200' },
      regions: { type: 'string', default: '2' },
      pools: { type: 'string', default: '100' },
      repeat: { type: 'string', default: '5' },
      measure: { type: 'string' },
      dir: { type: 'string' },
      baseline: { type: 'boolean' },
      'baseline-file': { type: 'string' },
      'write-baseline': { type: 'string' },
    },
  })
  if (values['write-baseline'] && values.dir && values.measure) {
    await writeBaseline(values.dir, Number(values.measure), values['write-baseline'])
    return 0
  }
  if (values.measure && values.dir) {
    await measure(values.dir, Number(values.measure), values['baseline-file'])
    return 0
  }
  const int = (name: string, v: string | undefined, max: number) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < 1 || n > max) throw new RangeError(`--${name} must be an integer from 1 to ${max}`)
    return n
  }
  const accounts = int('accounts', values.accounts, 2000)
  const regions = REGIONS.slice(0, int('regions', values.regions, REGIONS.length))
  const pools = int('pools', values.pools, 1000)
  const repeat = int('repeat', values.repeat, 9)
  const dir = await mkdtemp(join(tmpdir(), 'bench-merge-'))
  try {
    await mkdir(dir, { recursive: true })
    const t0 = performance.now()
    let n = 0
    for (let a = 0; a < accounts; a++) {
      for (const region of regions) {
        const report = generateReport({ accountId: accountIdOf(a), regions: [region], pools, violations: a % 10 === 0 })
        await writeFile(join(dir, `${String(n++).padStart(5, '0')}.json`), `${JSON.stringify(report, null, 2)}\n`)
      }
    }
    console.log(
      `generated ${n} reports (${accounts} accounts × ${regions.length} regions, ${pools} pools each) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    )
    const quarter = Math.max(1, Math.floor(n / 4))
    const baselines: Record<number, string | undefined> = {}
    for (const count of [quarter, n]) {
      if (!values.baseline) continue
      const path = join(dir, 'baselines', `${count}.json`)
      await mkdir(join(dir, 'baselines'), { recursive: true })
      const script = fileURLToPath(import.meta.url)
      const w = spawnSync(
        process.execPath,
        ['--import', 'tsx', script, '--measure', String(count), '--dir', dir, '--write-baseline', path],
        { encoding: 'utf8' },
      )
      if (w.status !== 0) throw new Error(`writing the baseline of ${count} reports failed:\n${w.stderr}`)
      baselines[count] = path
      console.log(`baseline of ${count} reports: ${((await stat(path)).size / 2 ** 20).toFixed(1)} MiB`)
    }
    const results: Record<number, Measure[]> = { [quarter]: [], [n]: [] }
    for (let i = 0; i < repeat; i++) {
      for (const count of [quarter, n]) results[count]!.push(runChild(dir, count, baselines[count]))
    }
    // On a shared machine wall time swings with the other load; CPU time much less, and the fastest of
    // several runs is the least disturbed one. The ratio uses the lowest CPU time of each size.
    const perReport: Record<number, number> = {}
    for (const count of [quarter, n]) {
      const runs = results[count]!
      const cpu = Math.min(...runs.map((r) => r.cpuMs))
      const last = runs.at(-1)!
      perReport[count] = cpu / count
      console.log(
        `${String(count).padStart(5)} reports (${last.pools} pools): CPU ${fmt(cpu)} s lowest of ${runs.length} (${runs.map((r) => fmt(r.cpuMs)).join(', ')}), ${(cpu / count).toFixed(1)} ms/report; wall ${fmt(median(runs.map((r) => r.ms)))} s median (${runs.map((r) => fmt(r.ms)).join(', ')}); peak RSS ${median(runs.map((r) => r.maxRssMiB)).toFixed(0)} MiB; merged report ${last.mergedMiB.toFixed(1)} MiB; summary ${last.summaryKiB.toFixed(0)} KiB (level ${last.level})${last.delta ? `; delta: ${last.delta}` : ''}`,
      )
    }
    console.log(`ratio: ${(perReport[n]! / perReport[quarter]!).toFixed(2)}`)
    return 0
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    console.error(`bench:merge: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = err instanceof RangeError ? 2 : 1
  },
)
