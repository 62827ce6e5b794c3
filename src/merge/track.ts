/**
 * A merged report through the same GitHub outputs as one account's audit: the tracking issue
 * (`runTrackingStep`, one tracker for the whole merge) and the sticky pull-request comment (the merged
 * summary, shortened to fit a comment). Pure: the caller sends them.
 */
import { trackedFinding } from '../baseline/compare.js'
import { MAX_COMMENT_BYTES, marker } from '../report/pr-comment.js'
import type { TrackingStep } from '../report/tracking-step.js'
import { mergedComparison } from './delta.js'
import type { MergedReport } from './merge.js'
import { renderMergedSummary } from './summary.js'

/** The policy files the merged reports were audited under, for the tracker's marker and title. */
export function mergedPolicySource(m: MergedReport): string {
  const sources = [
    ...new Set(m.accounts.flatMap((a) => a.reports.map((r) => r.policySource).filter((s): s is string => !!s))),
  ].sort()
  return sources.length > 0 ? sources.join(', ') : 'merged reports'
}

/** What the tracking step needs from a merged report. */
export function mergedTrackingFacts(
  m: MergedReport,
): Pick<TrackingStep, 'policySource' | 'collectedAt' | 'findings' | 'counts' | 'timedOut' | 'comparison' | 'merged'> {
  const comparison = mergedComparison(m)
  const findings = m.findings.map((f) => trackedFinding(f, f.id, f.account))
  const v = m.verdict
  return {
    policySource: mergedPolicySource(m),
    collectedAt: m.collectedAt,
    findings,
    // A missing or unreadable report is an error: such a merge never closes the tracker.
    counts: { fail: v.violations, error: v.errors, pass: v.passed },
    timedOut: v.timeLimitReached === true,
    ...(comparison ? { comparison } : {}),
    merged: { accounts: v.accounts },
  }
}

/** The default `comment-header` of a merged report's comment: apart from each account's own. */
export function mergedCommentHeader(m: MergedReport): string {
  return `merged ${mergedPolicySource(m)}`
}

export function mergedCommentBody(m: MergedReport, header: string, runUrl?: string): string {
  const { markdown } = renderMergedSummary(m, { maxBytes: MAX_COMMENT_BYTES })
  const footer = runUrl ? `\n<sub>From [this workflow run](${runUrl}).</sub>\n` : ''
  return `${marker(header)}\n${markdown}${footer}`
}
