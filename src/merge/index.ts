/**
 * Merging many accounts' reports: read each report.json (a bad one is one clear line and counts as not
 * verified), fold them, write the merged report.json and summary.md.
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { FailOn } from '../audit.js'
import { type GitHubRun, loadBaselineWith } from '../baseline/source.js'
import { excerpt, InputError, writingTo } from '../errors.js'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../input-file.js'
import { toJsonText } from '../report/json.js'
import type { SummaryLevel } from '../report/summary.js'
import { writeFileAtomic } from '../write-file.js'
import { type MergedComparable, parseMergedBaseline } from './delta.js'
import { type MergedReport, type MergeInput, mergeReports } from './merge.js'
import { ReportFileError, readReport } from './read.js'
import { renderMergedSummary } from './summary.js'

export { type MergedReport, mergeReports } from './merge.js'
export { ReportFileError, readReport, reportProblem } from './read.js'
export { renderMergedSummary } from './summary.js'

export interface RunMergeOptions {
  failOn: FailOn
  expectedAccounts?: string[]
  /** The previous merged report (read with `loadMergedBaseline`). */
  baseline?: { report: MergedComparable; source: string }
  /** Receives one line per report that could not be used. */
  warn: (message: string) => void
}

/** Reads every report (each file once, however often it was named) and merges them. */
export async function loadAndMerge(paths: string[], opts: RunMergeOptions): Promise<MergedReport> {
  if (paths.length === 0 && !opts.expectedAccounts?.length) {
    throw new InputError('no report to merge: name at least one report.json')
  }
  const seen = new Set<string>()
  const unique = paths.filter((p) => {
    const abs = resolve(p)
    if (seen.has(abs)) return false
    seen.add(abs)
    return true
  })
  const inputs = await Promise.all(
    unique.map(async (path): Promise<MergeInput> => {
      try {
        return { path, report: await readReport(path) }
      } catch (err) {
        if (!(err instanceof ReportFileError)) throw err
        opts.warn(err.message)
        return { path, problem: err.problem }
      }
    }),
  )
  return mergeReports(inputs, {
    failOn: opts.failOn,
    ...(opts.expectedAccounts ? { expectedAccounts: opts.expectedAccounts } : {}),
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
  })
}

/** Reads a previous merged report; one that cannot be read is one clear line (bad input). */
export async function readMergedBaseline(path: string): Promise<MergedComparable> {
  let text: string
  try {
    text = await readInputFile(path, INPUT_LIMITS.mergedReport)
  } catch (err) {
    if (err instanceof InputFileError) throw new InputError(`Baseline ${path}: ${err.reason}.`)
    throw err
  }
  return parseMergedBaseline(text, path)
}

/** The merge's baseline: a path to a previous merged report, or (in the action) `previous-run`. */
export function loadMergedBaseline(
  spec: string | undefined,
  ctx: { log: { info(m: string): void; warn(m: string): void }; github?: GitHubRun | undefined; what: string },
): Promise<{ report: MergedComparable; source: string } | undefined> {
  return loadBaselineWith(spec, ctx, readMergedBaseline, parseMergedBaseline)
}

export interface WrittenMerge {
  reportPath: string
  summaryPath: string
  markdown: string
  level: SummaryLevel
}

export async function writeMergeFiles(dir: string, merged: MergedReport): Promise<WrittenMerge> {
  const reportPath = join(dir, 'report.json')
  const summaryPath = join(dir, 'summary.md')
  const { markdown, level } = renderMergedSummary(merged, { reportPath })
  await writingTo('output directory', dir, async () => {
    await mkdir(dir, { recursive: true })
    await writeFileAtomic(reportPath, toJsonText(merged))
    await writeFileAtomic(summaryPath, markdown)
  })
  return { reportPath, summaryPath, markdown, level }
}

/**
 * The accounts that must each have a report: the matrix JSON `accounts` printed (`{"include": [{"account":
 * "…"}]}`, as text or in a file), or account ids separated by commas, spaces or newlines.
 */
export async function readExpectedAccounts(value: string, what: string): Promise<string[]> {
  let text = value.trim()
  if (text && !/^[[{]/.test(text) && !/^\d{12}([\s,]+\d{12})*$/.test(text)) {
    try {
      text = (await readInputFile(text, INPUT_LIMITS.policy)).trim()
    } catch (err) {
      if (err instanceof InputFileError) throw new InputError(`${what}: ${err.message}`)
      throw err
    }
  }
  if (/^[[{]/.test(text)) {
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (err) {
      throw new InputError(`${what}: not valid JSON (${(err as Error).message})`)
    }
    const include = Array.isArray(data) ? data : (data as { include?: unknown })?.include
    if (!Array.isArray(include)) throw new InputError(`${what}: expected {"include": [{"account": "…"}, …]}`)
    return include.map((e, i) => {
      const id = typeof e === 'string' ? e : (e as { account?: unknown })?.account
      if (typeof id !== 'string' || !/^\d{12}$/.test(id)) {
        throw new InputError(`${what}: include[${i}].account is missing or not a 12-digit account id`)
      }
      return id
    })
  }
  const ids = text.split(/[\s,]+/).filter(Boolean)
  const bad = ids.find((id) => !/^\d{12}$/.test(id))
  if (bad) throw new InputError(`${what}: ${excerpt(bad)} is not a 12-digit account id`)
  return ids
}
