/**
 *   cognito-compliance merge REPORT... [--expect FILE|IDS] [--out DIR] [--json] [--fail-on LEVEL]
 *
 * Folds the report.json of many audits into one verdict. Exit codes as the audit's: 0 passed, 1 the
 * gate failed (a missing or unreadable report counts as not verified), 2 bad input.
 */
import { appendFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { FAIL_ON_VALUES, type FailOn } from '../audit.js'
import type { CliIo } from '../cli.js'
import { InputError } from '../errors.js'
import { visible } from '../model/quote.js'
import { toJsonText } from '../report/json.js'
import { loadAndMerge, loadMergedBaseline, readExpectedAccounts, writeMergeFiles } from './index.js'
import { renderMergedTerminal } from './terminal.js'

export const MERGE_USAGE = `Usage: cognito-compliance merge REPORT... [options]

Folds the report.json files of many audits (one per account, or per account and region) into one
report, one job summary and one verdict.

Options:
  --expect FILE|IDS      accounts that must each have a report: the JSON matrix "accounts" printed
                         (a file, or the text), or account ids separated by commas; an expected account
                         without a report is not verified, so the merge cannot pass
  --out DIR              write the merged report.json and summary.md to DIR
  --baseline FILE        compare with the report.json of a previous merge: what is new, resolved
                         and persisting, per account and region, in the summary, the text and the
                         merged report.json
  --json                 print the merged JSON report instead of the text
  --fail-on LEVEL        violation (default), new-violation (only violations the --baseline does
                         not hold, and what could not be verified), error, never: as for audit`

export async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      expect: { type: 'string' },
      baseline: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'fail-on': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout(`${MERGE_USAGE}\n`)
    return 0
  }
  const failOn = (values['fail-on'] ?? 'violation') as FailOn
  if (!FAIL_ON_VALUES.includes(failOn)) {
    throw new InputError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${failOn}")`)
  }
  if (positionals.length === 0) throw new InputError('merge: name at least one report.json')
  const expectedAccounts =
    values.expect !== undefined ? await readExpectedAccounts(values.expect, '--expect') : undefined
  const warn = (m: string) => io.stderr(`warning: ${visible(m)}\n`)
  // Read before the reports: an unreadable baseline is bad input.
  const baseline = await loadMergedBaseline(values.baseline, {
    log: { info: (m) => io.stderr(`${visible(m)}\n`), warn },
    what: '--baseline',
  })
  const merged = await loadAndMerge(positionals, {
    failOn,
    ...(expectedAccounts ? { expectedAccounts } : {}),
    ...(baseline ? { baseline } : {}),
    warn,
  })
  if (values.out) {
    const written = await writeMergeFiles(values.out, merged)
    io.stderr(`Wrote ${visible(written.reportPath)} and ${visible(written.summaryPath)}.\n`)
    if (io.env.GITHUB_STEP_SUMMARY) await appendFile(io.env.GITHUB_STEP_SUMMARY, written.markdown)
  }
  io.stdout(values.json ? toJsonText(merged) : renderMergedTerminal(merged))
  if (merged.verdict.reason) {
    io.stderr(`Gate failed (fail-on: ${failOn}): ${visible(merged.verdict.reason)}.\n`)
    return 1
  }
  return 0
}
