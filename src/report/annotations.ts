/**
 * Workflow annotations: GitHub shows at most 10 errors and 10 warnings per step, so the worst findings
 * get one each and a notice counts the rest. They follow the gate: a finding is an `::error` exactly
 * when findings of its kind fail the step under `fail-on` (so `fail-on: never` shows no error, and an
 * unverifiable requirement that fails the build is an error, not a warning); the rest are warnings.
 */
import type { FailOn } from '../audit.js'
import type { Finding, Severity } from '../model/finding.js'
import { visible } from '../model/quote.js'

export const MAX_PER_KIND = 10
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }
/** Violations before unverifiable requirements before advisories, then by severity. */
const STATUS_RANK: Partial<Record<Finding['status'], number>> = { fail: 0, error: 1, warn: 2 }

export interface Annotator {
  error(message: string, props: { title: string }): void
  warning(message: string, props: { title: string }): void
  notice(message: string, props: { title: string }): void
}

/** Whether findings of this status fail the step under `failOn` (mirrors `gate`); `isNew`: the violation
 *  is not in the baseline (with `new-violation` only those fail). */
export function failsTheStep(status: Finding['status'], failOn: FailOn, isNew = true): boolean {
  if (failOn === 'never') return false
  if (status === 'error') return true
  return status === 'fail' && (failOn === 'violation' || (failOn === 'new-violation' && isNew))
}

/** `isNew`: which violations the baseline does not hold (default: every one, as without a baseline). */
export function annotate(
  findings: Finding[],
  out: Annotator,
  failOn: FailOn = 'violation',
  isNew: (f: Finding) => boolean = () => true,
): void {
  const order = (a: Finding, b: Finding) =>
    (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
  const shown = findings.filter((f) => f.status in STATUS_RANK).sort(order)
  const errors = shown.filter((f) => failsTheStep(f.status, failOn, isNew(f)))
  const warnings = shown.filter((f) => !failsTheStep(f.status, failOn, isNew(f)))
  // Names in messages and titles are shown with hidden characters escaped: the log is a terminal too.
  const title = (f: Finding) => visible(`${f.checkId}: ${f.poolName ?? f.poolId ?? f.region}`)
  const text = (f: Finding) => visible(f.status === 'warn' ? `Advisory: ${f.message}` : f.message)
  for (const f of errors.slice(0, MAX_PER_KIND)) out.error(text(f), { title: title(f) })
  for (const f of warnings.slice(0, MAX_PER_KIND)) out.warning(text(f), { title: title(f) })
  const more = Math.max(0, errors.length - MAX_PER_KIND) + Math.max(0, warnings.length - MAX_PER_KIND)
  if (more > 0) {
    out.notice(`${more} more finding${more === 1 ? '' : 's'} are listed in the job summary and the JSON report.`, {
      title: 'Cognito compliance',
    })
  }
}
