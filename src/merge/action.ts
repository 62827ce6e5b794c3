/**
 * The action's merge mode (input `merge`): the report.json files its glob patterns match are folded
 * into one report, one job summary and one verdict, with the same outputs as an audit.
 */
import * as core from '@actions/core'
import * as glob from '@actions/glob'
import type { FailOn } from '../audit.js'
import type { GitHubRun } from '../baseline/source.js'
import { errorMessage, InputError } from '../errors.js'
import { visible } from '../model/quote.js'
import { deltaHeadline } from '../report/delta.js'
import { mergedComparison } from './delta.js'
import { loadAndMerge, loadMergedBaseline, readExpectedAccounts, writeMergeFiles } from './index.js'
import type { MergedReport } from './merge.js'

export interface MergeActionInputs {
  /** Glob patterns, one a line (as `actions/download-artifact` laid the reports out). */
  patterns: string
  /** The matrix JSON of the discovery step, or account ids; empty = none expected. */
  expectedAccounts: string
  failOn: FailOn
  outputDir: string
  jobSummary: boolean
  /** The previous merged report: a path, or `previous-run` (the merge job's artifact of the last run). */
  baseline?: string
  /** This workflow run, for `previous-run`. */
  github?: GitHubRun
  /** Called with the merged report once it is written, before the outputs and the verdict: the
   *  tracking issue and the pull-request comment. */
  after?: (merged: MergedReport) => Promise<void>
}

const log = {
  info: (m: string) => core.info(visible(m)),
  warn: (m: string) => core.warning(visible(m)),
}

/** The files the patterns match, sorted; directories are skipped. */
export async function matchReports(patterns: string): Promise<string[]> {
  const globber = await glob.create(patterns, { matchDirectories: false, implicitDescendants: false })
  return (await globber.glob()).sort()
}

export async function runMergeAction(inputs: MergeActionInputs): Promise<MergedReport> {
  const files = await matchReports(inputs.patterns)
  const expectedAccounts = inputs.expectedAccounts.trim()
    ? await readExpectedAccounts(inputs.expectedAccounts, "Input 'expected-accounts'")
    : undefined
  if (files.length === 0 && !expectedAccounts?.length) {
    throw new InputError(`Input 'merge': no file matches ${JSON.stringify(inputs.patterns.trim())}.`)
  }
  // Read before the reports: an unreadable baseline file is bad input.
  const baseline = await loadMergedBaseline(inputs.baseline, {
    log,
    github: inputs.github,
    what: "Input 'baseline'",
  })
  core.info(
    `Merging ${files.length} report(s)${expectedAccounts ? ` for ${expectedAccounts.length} expected account(s)` : ''}.`,
  )
  const merged = await loadAndMerge(files, {
    failOn: inputs.failOn,
    ...(expectedAccounts ? { expectedAccounts } : {}),
    ...(baseline ? { baseline } : {}),
    warn: (m) => core.warning(m, { title: 'Cognito compliance: report not merged' }),
  })
  const written = await writeMergeFiles(inputs.outputDir, merged)
  if (inputs.jobSummary) {
    if (process.env.GITHUB_STEP_SUMMARY) {
      try {
        await core.summary.addRaw(written.markdown).write()
      } catch (err) {
        core.warning(`Could not write the job summary: ${errorMessage(err)}`)
      }
    } else {
      core.info('GITHUB_STEP_SUMMARY is not set: no job summary written (the Markdown is in the output directory).')
    }
  }
  if (inputs.after) await inputs.after(merged)
  for (const n of merged.notes) core.notice(n, { title: 'Cognito compliance: merged reports differ' })
  const v = merged.verdict
  core.setOutput('compliant', String(v.compliant))
  core.setOutput('violations', String(v.violations))
  core.setOutput('errors', String(v.errors))
  // Without a baseline every violation is new.
  core.setOutput('new-violations', String(v.newViolations ?? v.violations))
  core.setOutput('resolved', String(v.resolved ?? 0))
  core.setOutput('report-path', written.reportPath)
  core.setOutput('summary-path', written.summaryPath)
  core.info(
    `Cognito compliance (${v.accounts} accounts): ${v.compliant ? 'compliant' : `${v.violations} violation(s), ${v.errors} error(s)`}. Report: ${written.reportPath}`,
  )
  if (merged.baseline) {
    core.info(visible(`Since the baseline (${merged.baseline.source}): ${deltaHeadline(mergedComparison(merged)!)}.`))
  }
  if (v.reason) core.setFailed(`Cognito compliance: ${v.reason}. See the job summary for what to fix.`)
  return merged
}
