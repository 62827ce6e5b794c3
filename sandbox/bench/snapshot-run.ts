/**
 * One snapshot-only audit, in a process of its own so its peak memory is its own:
 * `tsx sandbox/bench/snapshot-run.ts SNAPSHOT POLICY OUTDIR`.
 *
 * Runs what the action and the CLI do after collection: read and check the saved snapshot, the checks,
 * the gate, report.json and summary.md (with the summary's size limit), the JSON report and the terminal
 * report as printed, and the annotations. Prints one JSON line: wall time (ms) from reading the snapshot
 * to the last output, peak RSS (KiB) and the largest heap seen between the stages (bytes).
 */
import { gate, runAudit } from '../../src/audit.js'
import type { Logger } from '../../src/model/logger.js'
import { annotate } from '../../src/report/annotations.js'
import { writeReportFiles } from '../../src/report/files.js'
import { buildJsonReport } from '../../src/report/json.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { CLI_DIALECT, prepareRun } from '../../src/run-options.js'

async function main(): Promise<void> {
  const [snapshot, policyPath, outDir] = process.argv.slice(2)
  if (!snapshot || !policyPath || !outDir) throw new Error('usage: snapshot-run.ts SNAPSHOT POLICY OUTDIR')
  const log: Logger = { info() {}, debug() {}, warn() {} }
  let heap = 0
  const sample = () => {
    heap = Math.max(heap, process.memoryUsage().heapUsed)
  }
  const stages: Record<string, number> = {}
  let t = performance.now()
  const stage = (name: string) => {
    const now = performance.now()
    stages[name] = Math.round(now - t)
    t = now
    sample()
  }
  const start = performance.now()
  const { policy, source, failOn } = await prepareRun(
    { policyPath, snapshot, userPoolIds: [], regions: [] },
    CLI_DIALECT,
  )
  const loaded = await source.load(policy, log)
  stage('read')
  const result = await runAudit({ policy, source: { ...source, load: async () => loaded }, log })
  stage('checks')
  const reason = gate(result, failOn)
  await writeReportFiles(outDir, result, failOn, reason)
  stage('files')
  let bytes = JSON.stringify(buildJsonReport(result, failOn, reason), null, 2).length
  bytes += renderTerminal(result, { color: false }).length
  stage('json+terminal')
  let annotations = 0
  const count = () => void annotations++
  annotate(result.findings, { error: count, warning: count, notice: count } as never)
  stage('annotations')
  const wallMs = performance.now() - start
  process.stdout.write(
    `${JSON.stringify({
      wallMs,
      maxRssKiB: process.resourceUsage().maxRSS,
      heapBytes: heap,
      stages,
      findings: result.findings.length,
      outputChars: bytes,
      annotations,
    })}\n`,
  )
}

main().catch((err) => {
  process.stderr.write(`snapshot-run: ${(err as Error).stack ?? err}\n`)
  process.exit(1)
})
