/**
 * Workflow annotations: GitHub shows at most 10 errors and 10 warnings per step, so the worst findings
 * get one each and a notice counts the rest. They follow the gate: a finding is an `::error` exactly
 * when findings of its kind fail the step under `fail-on` (so `fail-on: never` shows no error, and an
 * unverifiable requirement that fails the build is an error, not a warning); the rest are warnings.
 * On a plan they follow the plan gate too: what is already in the account is an error only with
 * `fail-on-existing`, a requirement not in the plan only under `plan.outside-plan: error`.
 *
 * A planned finding (pre-deploy gate) is pinned to the file and line of its object, the template
 * resource, the CDK source line or the `.tf` block, so the pull request's "Files changed" tab shows it
 * there. A planned object without a line (a Terraform plan without its `.tf` files) names its address
 * in the message instead. These stay within GitHub's limits: 10 errors, 10 warnings and 10 notices per
 * step (this writes at most 10 + 10 + 1), 50 per job.
 */
import type { FailOn, PlanCounts } from '../audit.js'
import type { Finding, Severity } from '../model/finding.js'
import { findingTarget, locationText } from '../model/finding-location.js'
import { visible } from '../model/quote.js'
import type { AccountSnapshot } from '../model/snapshot.js'
import { repoRelative } from './repo-path.js'

export const MAX_PER_KIND = 10
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }
/** Violations before unverifiable requirements before requirements outside the plan before advisories, then by severity. */
const STATUS_RANK: Partial<Record<Finding['status'], number>> = { fail: 0, error: 1, 'not-in-plan': 2, warn: 3 }

/** What an annotation says about where it belongs (as `@actions/core` takes it). */
export interface AnnotationProps {
  title: string
  /** Repository-relative path. */
  file?: string
  startLine?: number
  startColumn?: number
}

export interface Annotator {
  error(message: string, props: AnnotationProps): void
  warning(message: string, props: AnnotationProps): void
  notice(message: string, props: AnnotationProps): void
}

/** Where planned findings point: the snapshot judged and the repository root paths are relative to. */
export interface AnnotationPlace {
  snapshot: AccountSnapshot
  root: string
  /** The plan's gate settings, so annotations follow the plan gate (`AuditResult.plan`). */
  plan?: AnnotationGate
}

/** The plan's gate settings (`AuditResult.plan`), when the run judged a plan. */
export type AnnotationGate = Pick<PlanCounts, 'outsidePlan' | 'failOnExisting'>

/** Whether this finding fails the step under `failOn` (mirrors `gate` and `gatingCounts`); `isNew`: the
 *  violation is not in the baseline (with `new-violation` only those fail); violations below
 *  `minSeverity` (`fail-on-severity`) never do. */
export function failsTheStep(
  f: Pick<Finding, 'status' | 'origin'> & Partial<Pick<Finding, 'severity'>>,
  failOn: FailOn,
  isNew = true,
  plan?: AnnotationGate,
  minSeverity: Severity = 'low',
): boolean {
  if (failOn === 'never') return false
  // On a plan, what is already in the account fails only with fail-on-existing; requirements outside
  // the plan only with plan.outside-plan: error.
  if (f.status === 'not-in-plan') return plan?.outsidePlan !== 'ignore'
  if (plan && f.origin === 'existing' && !plan.failOnExisting) return false
  if (f.status === 'error') return true
  if (f.status === 'fail' && f.severity && SEVERITY_RANK[f.severity] > SEVERITY_RANK[minSeverity]) return false
  return f.status === 'fail' && (failOn === 'violation' || (failOn === 'new-violation' && isNew))
}

/** `isNew`: which violations the baseline does not hold (default: every one, as without a baseline).
 *  `place`: where planned findings point (pre-deploy gate). `minSeverity` (`fail-on-severity`):
 *  violations below it are annotated as warnings, never dropped. */
export function annotate(
  findings: Finding[],
  out: Annotator,
  failOn: FailOn = 'violation',
  isNew: (f: Finding) => boolean = () => true,
  place?: AnnotationPlace,
  minSeverity: Severity = 'low',
): void {
  const order = (a: Finding, b: Finding) =>
    (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
  const shown = findings.filter((f) => f.status in STATUS_RANK).sort(order)
  const fails = (f: Finding) => failsTheStep(f, failOn, isNew(f), place?.plan, minSeverity)
  const errors = shown.filter(fails)
  const warnings = shown.filter((f) => !fails(f))
  // Names in messages and titles are shown with hidden characters escaped: the log is a terminal too.
  const title = (f: Finding) => visible(`${f.checkId}: ${f.poolName ?? f.poolId ?? f.region}`)
  const below = (f: Finding) => f.status === 'fail' && SEVERITY_RANK[f.severity] > SEVERITY_RANK[minSeverity]
  const text = (f: Finding) =>
    f.status === 'warn'
      ? `Advisory: ${f.message}`
      : below(f)
        ? `Violation below fail-on-severity ${minSeverity} (${f.severity}): ${f.message}`
        : f.message
  const emit = (f: Finding, write: Annotator['error']) => {
    const props: AnnotationProps = { title: title(f) }
    let message = text(f)
    const at = place ? findingTarget(f, place.snapshot).located?.location : undefined
    const file = place && at?.line !== undefined ? repoRelative(place.root, at.file) : undefined
    if (at && file !== undefined) {
      props.file = file
      props.startLine = at.line
      if (at.column !== undefined) props.startColumn = at.column
    } else if (at) {
      // No line to pin it to (a plan without its .tf files, a file outside the repository): say where.
      message = `${message} (planned: ${locationText(at)})`
    }
    write(visible(message), props)
  }
  for (const f of errors.slice(0, MAX_PER_KIND)) emit(f, out.error.bind(out))
  for (const f of warnings.slice(0, MAX_PER_KIND)) emit(f, out.warning.bind(out))
  const more = Math.max(0, errors.length - MAX_PER_KIND) + Math.max(0, warnings.length - MAX_PER_KIND)
  if (more > 0) {
    out.notice(`${more} more finding${more === 1 ? '' : 's'} are listed in the job summary and the JSON report.`, {
      title: 'Cognito compliance',
    })
  }
}
