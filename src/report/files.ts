/**
 * Writes the JSON report and the Markdown summary side by side, for artifacts and other tools; each
 * through a temporary file renamed into place, so no reader ever finds one half written.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AuditResult, FailOn } from '../audit.js'
import { writingTo } from '../errors.js'
import { writeFileAtomic } from '../write-file.js'
import { buildJsonReport, toJsonText } from './json.js'
import { renderSummary, type SummaryLevel } from './summary.js'

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
): Promise<WrittenReport> {
  const reportPath = join(dir, 'report.json')
  const summaryPath = join(dir, 'summary.md')
  const json = buildJsonReport(result, failOn, gateReason)
  const { markdown, level } = renderSummary(result, { failOn, reportPath })
  await writingTo('output directory', dir, async () => {
    await mkdir(dir, { recursive: true })
    await writeFileAtomic(reportPath, toJsonText(json))
    await writeFileAtomic(summaryPath, markdown)
  })
  return { reportPath, summaryPath, markdown, level }
}
