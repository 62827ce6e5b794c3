/**
 * The sticky pull-request comment: the job summary, shortened to fit a comment, posted once per
 * pull request and policy file and updated in place on every run (found by a hidden marker).
 * Needs `pull-requests: write`; GitHub-side failures (a fork's read-only token, a missing
 * permission) are the caller's to turn into warnings: they never change the audit's verdict.
 */
import type { AuditResult, FailOn } from '../audit.js'
import { renderSummary } from './summary.js'

/** GitHub rejects comment bodies over 65,536 characters; keep a margin for the marker and footer. */
export const MAX_COMMENT_BYTES = 60_000

export type PrCommentMode = 'never' | 'always' | 'on-failure'
export const PR_COMMENT_MODES: readonly PrCommentMode[] = ['never', 'always', 'on-failure']

/** The few GitHub calls the comment needs (an adapter over Octokit, or a fake in tests). */
export interface CommentApi {
  list(): Promise<Array<{ id: number; body?: string | null }>>
  create(body: string): Promise<void>
  update(id: number, body: string): Promise<void>
}

export function marker(policySource: string): string {
  return `<!-- cognito-compliance-action: ${policySource.replaceAll('--', '-')} -->`
}

export function commentBody(result: AuditResult, failOn: FailOn, runUrl?: string): string {
  const { markdown } = renderSummary(result, { failOn, maxBytes: MAX_COMMENT_BYTES })
  const footer = runUrl ? `\n<sub>From [this workflow run](${runUrl}).</sub>\n` : ''
  return `${marker(result.policy.source)}\n${markdown}${footer}`
}

/**
 * Creates or updates the comment. `failed` is whether the gate failed the step. With `on-failure`, a
 * passing run updates an earlier comment (so it does not keep showing a stale failure) but creates none.
 * Returns what it did.
 */
export async function upsertComment(
  api: CommentApi,
  mode: PrCommentMode,
  result: AuditResult,
  failOn: FailOn,
  failed: boolean,
  runUrl?: string,
): Promise<'created' | 'updated' | 'skipped'> {
  if (mode === 'never') return 'skipped'
  const mark = marker(result.policy.source)
  const existing = (await api.list()).find((c) => c.body?.startsWith(mark))
  const body = commentBody(result, failOn, runUrl)
  if (existing) {
    await api.update(existing.id, body)
    return 'updated'
  }
  if (mode === 'on-failure' && !failed) return 'skipped'
  await api.create(body)
  return 'created'
}
