/**
 * Writes the JSON report and the Markdown summary side by side, for artifacts and other tools; each
 * through a temporary file renamed into place, so no reader ever finds one half written.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AuditResult, FailOn } from '../audit.js'
import { writingTo } from '../errors.js'
import { writeFileAtomic } from '../write-file.js'
import { buildJsonReport, toJsonText } from './json.js'
import { renderSarif } from './sarif.js'
import { renderSummary, type SourceLinks, type SummaryLevel } from './summary.js'

export interface WrittenReport {
  reportPath: string
  summaryPath: string
  markdown: string
  level: SummaryLevel
}

export async function writeReportFiles(
  dir: string,
  result: AuditResult,
  failOn: FailOn,
  gateReason: string | undefined,
  sourceLinks?: SourceLinks,
): Promise<WrittenReport> {
  const reportPath = join(dir, 'report.json')
  const summaryPath = join(dir, 'summary.md')
  const json = buildJsonReport(result, failOn, gateReason)
  const { markdown, level } = renderSummary(result, { failOn, reportPath, ...(sourceLinks ? { sourceLinks } : {}) })
  await writingTo('output directory', dir, async () => {
    await mkdir(dir, { recursive: true })
    await writeFileAtomic(reportPath, toJsonText(json))
    await writeFileAtomic(summaryPath, markdown)
  })
  return { reportPath, summaryPath, markdown, level }
}

export interface WrittenSarif {
  path: string
  results: number
  /** Why some findings are not in the file (code scanning's limits, no file to point at), for the log. */
  notes: string[]
}

/**
 * Writes the SARIF 2.1.0 log (`sarif` input, `--sarif FILE`) for code scanning; paths in it are relative
 * to `root`, the repository checkout. Its parent directory is created; written like the reports, whole
 * or not at all.
 */
export async function writeSarifFile(path: string, result: AuditResult, root: string): Promise<WrittenSarif> {
  const out = renderSarif(result, { root })
  await writingTo('sarif file', path, async () => {
    await mkdir(dirname(path), { recursive: true })
    // Compact, as its size was measured against the limit.
    await writeFileAtomic(path, JSON.stringify(out.log))
  })
  const notes = (out.log.runs[0]?.invocations ?? []).flatMap((i) =>
    (i.toolExecutionNotifications ?? []).map((n) => n.message.text ?? ''),
  )
  return { path, results: out.results, notes: notes.filter(Boolean) }
}
