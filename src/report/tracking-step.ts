/**
 * The action's tracking-issue step: one call per report (an account's audit, or a merged report),
 * with GitHub-side problems turned into one warning. It never changes the verdict: the caller has
 * already decided it, and nothing here throws.
 *
 * The issue logic itself (marker + label + author, comment on a new set, close only on a clean verified
 * run, a new issue linking a closed one) is `syncTrackingIssue` in tracking-issue.ts.
 */
import type { Comparison, TrackedFinding } from '../baseline/compare.js'
import { errorMessage } from '../errors.js'
import type { Logger } from '../model/logger.js'
import { githubClient } from './octokit.js'
import { describeOutcome, type IssueMode, syncTrackingIssue, type TrackerOutcome } from './tracking-issue.js'

export interface TrackingStep {
  mode: IssueMode
  label: string
  /** The workflow's token; needs `issues: write`. */
  token: string
  owner: string
  repo: string
  policySource: string
  accountId?: string
  collectedAt: string
  /** Every finding with its identity; only violations (`fail`) are listed in the issue. */
  findings: readonly TrackedFinding[]
  counts: { fail: number; error: number; pass: number }
  /** The run stopped at its time limit: it verified nothing for certain and must never close the issue. */
  timedOut: boolean
  comparison?: Comparison
  runUrl?: string
  /** The REST API root (GitHub Enterprise, or a test's fake); default: the workflow's GITHUB_API_URL. */
  apiUrl?: string
  /** A merged report: one tracker for the whole merge. */
  merged?: { accounts: number }
}

/** Creates, updates, comments on or closes the tracking issue; returns the outcome, or undefined when
 *  nothing was attempted or GitHub refused (logged as one warning). */
export async function runTrackingStep(step: TrackingStep, log: Logger): Promise<TrackerOutcome | undefined> {
  if (step.mode === 'never') return undefined
  if (!step.token) {
    log.warn(`issue: ${step.mode} is set but no github-token was given; no tracking issue written.`)
    return undefined
  }
  try {
    const outcome = await syncTrackingIssue(
      githubClient(step.token, (m) => log.info(m), step.apiUrl),
      {
        mode: step.mode,
        owner: step.owner,
        repo: step.repo,
        label: step.label,
        policySource: step.policySource,
        ...(step.accountId ? { accountId: step.accountId } : {}),
        collectedAt: step.collectedAt,
        violations: step.findings.filter((f) => f.status === 'fail'),
        // A run cut short by its time limit must never close the tracker: count it as not verified.
        counts: step.timedOut ? { ...step.counts, error: Math.max(1, step.counts.error) } : step.counts,
        ...(step.comparison ? { comparison: step.comparison } : {}),
        ...(step.runUrl ? { runUrl: step.runUrl } : {}),
        ...(step.merged ? { merged: step.merged } : {}),
      },
    )
    log.info(describeOutcome(outcome))
    return outcome
  } catch (err) {
    const status = (err as { status?: number }).status
    log.warn(
      status === 403 || status === 404
        ? `Could not update the tracking issue (HTTP ${status}): give the workflow 'permissions: issues: write'.`
        : `Could not update the tracking issue: ${errorMessage(err)}`,
    )
    return undefined
  }
}
