/**
 * The sticky pull-request comment: the job summary, shortened to fit a comment, posted once per
 * pull request and header (by default the policy file and the account) and updated in place on every
 * run. It is found by a hidden marker **and** the token's own identity: a comment someone else wrote
 * that starts with the marker is never overwritten. Needs `pull-requests: write`; GitHub-side
 * failures (a missing permission) are the caller's to turn into warnings: they never change the
 * audit's verdict.
 */
import type { AuditResult, FailOn } from '../audit.js'
import { sameUser } from './github-identity.js'
import { renderSummary, type SourceLinks } from './summary.js'

/** GitHub rejects comment bodies over 65,536 characters; keep a margin for the marker and footer. */
export const MAX_COMMENT_BYTES = 60_000

export type PrCommentMode = 'never' | 'always' | 'on-failure'
export const PR_COMMENT_MODES: readonly PrCommentMode[] = ['never', 'always', 'on-failure']

export interface PrComment {
  id: number
  body?: string | null
  user?: { login?: string | null } | null
}

/** The few GitHub calls the comment needs (an adapter over Octokit, or a fake in tests). */
export interface CommentApi {
  list(): Promise<PrComment[]>
  /** The token's own login (`github-actions` for GITHUB_TOKEN). */
  self(): Promise<string>
  create(body: string): Promise<void>
  update(id: number, body: string): Promise<void>
}

/** What tells this comment apart from the others on the pull request, unless the workflow sets
 *  `comment-header`: the policy file and the audited account, so matrix jobs over several accounts
 *  (or policies) each keep their own comment. */
export function defaultCommentHeader(result: AuditResult): string {
  return [result.policy.source, result.snapshot.accountId].filter(Boolean).join(' ')
}

export function marker(header: string): string {
  // `--` would end the HTML comment early.
  return `<!-- cognito-compliance-action: ${header.replaceAll('--', '-').replaceAll('\n', ' ')} -->`
}

export function commentBody(
  result: AuditResult,
  failOn: FailOn,
  runUrl?: string,
  header?: string,
  sourceLinks?: SourceLinks,
): string {
  const { markdown } = renderSummary(result, {
    failOn,
    maxBytes: MAX_COMMENT_BYTES,
    ...(sourceLinks ? { sourceLinks } : {}),
  })
  const footer = runUrl ? `\n<sub>From [this workflow run](${runUrl}).</sub>\n` : ''
  return `${marker(header ?? defaultCommentHeader(result))}\n${markdown}${footer}`
}

export interface UpsertOptions {
  mode: PrCommentMode
  result: AuditResult
  failOn: FailOn
  /** Whether the gate failed the step. */
  failed: boolean
  runUrl?: string
  /** The `comment-header` input; empty or absent: {@link defaultCommentHeader}. */
  header?: string
  /** Links for planned pools' `file:line`, as in the job summary. */
  sourceLinks?: SourceLinks
}

export interface UpsertOutcome {
  action: 'created' | 'updated' | 'skipped'
  /** Ids of comments that carry the marker but were written by someone else: left alone. */
  ignored: number[]
}

/**
 * Creates or updates the comment. With `on-failure`, a passing run updates an earlier comment (so it
 * does not keep showing a stale failure) but creates none.
 */
export async function upsertComment(api: CommentApi, o: UpsertOptions): Promise<UpsertOutcome> {
  if (o.mode === 'never') return { action: 'skipped', ignored: [] }
  const header = o.header?.trim() || defaultCommentHeader(o.result)
  return upsertMarkedComment(api, {
    mode: o.mode,
    failed: o.failed,
    header,
    body: () => commentBody(o.result, o.failOn, o.runUrl, header, o.sourceLinks),
  })
}

/** What {@link upsertMarkedComment} needs: the header its marker is made of, and the body (which starts
 *  with that marker), rendered only when it is written. */
export interface MarkedCommentOptions {
  mode: PrCommentMode
  failed: boolean
  header: string
  body: () => string
}

/** The sticky comment of any report (an account's, or a merged one): found by its marker and the
 *  token's own identity, updated in place, created unless `on-failure` and the gate passed. */
export async function upsertMarkedComment(api: CommentApi, o: MarkedCommentOptions): Promise<UpsertOutcome> {
  if (o.mode === 'never') return { action: 'skipped', ignored: [] }
  const mark = marker(o.header)
  const [comments, me] = await Promise.all([api.list(), api.self()])
  const marked = comments.filter((c) => c.body?.startsWith(mark))
  const ours = marked.filter((c) => sameUser(c.user?.login, me))
  const ignored = marked.filter((c) => !ours.includes(c)).map((c) => c.id)
  const existing = ours[0]
  if (existing) {
    await api.update(existing.id, o.body())
    return { action: 'updated', ignored }
  }
  if (o.mode === 'on-failure' && !o.failed) return { action: 'skipped', ignored }
  await api.create(o.body())
  return { action: 'created', ignored }
}
