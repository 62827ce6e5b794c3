/**
 * Workflow annotations: GitHub shows at most 10 errors and 10 warnings per step,
 * so the worst findings get one each and a notice counts the rest.
 */
import type { Finding, Severity } from '../model/finding.js'
import { visible } from '../model/quote.js'

export const MAX_PER_KIND = 10
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

export interface Annotator {
  error(message: string, props: { title: string }): void
  warning(message: string, props: { title: string }): void
  notice(message: string, props: { title: string }): void
}

export function annotate(findings: Finding[], out: Annotator): void {
  const bySeverity = (a: Finding, b: Finding) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
  const errors = findings.filter((f) => f.status === 'fail').sort(bySeverity)
  const warnings = findings.filter((f) => f.status === 'error' || f.status === 'warn').sort(bySeverity)
  // Names in messages and titles are shown with hidden characters escaped: the log is a terminal too.
  const title = (f: Finding) => visible(`${f.checkId}: ${f.poolName ?? f.poolId ?? f.region}`)
  for (const f of errors.slice(0, MAX_PER_KIND)) out.error(visible(f.message), { title: title(f) })
  for (const f of warnings.slice(0, MAX_PER_KIND)) {
    out.warning(visible(f.status === 'error' ? f.message : `Advisory: ${f.message}`), { title: title(f) })
  }
  const more = Math.max(0, errors.length - MAX_PER_KIND) + Math.max(0, warnings.length - MAX_PER_KIND)
  if (more > 0) {
    out.notice(`${more} more finding${more === 1 ? '' : 's'} are listed in the job summary and the JSON report.`, {
      title: 'Cognito compliance',
    })
  }
}
