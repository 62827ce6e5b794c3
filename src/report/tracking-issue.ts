/**
 * The tracking issue of a scheduled audit: one open issue per policy file and account, whose body
 * is the current table of violations.
 *
 * - Found by a hidden marker in its body **and** a label **and** its author being this token's own
 *   identity (GraphQL `viewer`): never by title search, and never an issue someone else wrote, even
 *   one that carries the marker (such an issue is reported in `ignored` and left untouched).
 * - A comment only when the set of new violations changes (the set's digest is kept in the body);
 *   two runs with the same result write no comment.
 * - Closed, with a comment, only on a clean verified run: no violation, no error, and at least one
 *   requirement verified. A run with errors or that verified nothing never closes it (an empty result
 *   from a broken run must not close the backlog).
 * - A closed tracker is not reopened: a new one is opened and links the old one.
 * - Modes: `never` does nothing; `on-new` opens an issue only when there are new violations;
 *   `always` opens one whenever there are violations. An existing tracker is kept current in both.
 *
 * Needs `issues: write`. GitHub errors are thrown for the caller to turn into a warning: the
 * tracking issue never changes the audit's verdict.
 */
import { createHash } from 'node:crypto'
import type { Comparison, TrackedFinding } from '../baseline/compare.js'
import { deltaHeadline, renderDelta, where } from './delta.js'
import { ownLogin, sameUser } from './github-identity.js'
import { code, esc, table } from './markdown.js'
import type { Octokit } from './octokit.js'

export type IssueMode = 'never' | 'on-new' | 'always'
export const ISSUE_MODES: readonly IssueMode[] = ['never', 'on-new', 'always']
export const DEFAULT_ISSUE_LABEL = 'cognito-compliance'

/** GitHub rejects issue bodies over 65,536 characters; keep a margin. */
export const MAX_ISSUE_BODY = 60_000

export interface TrackerInput {
  mode: IssueMode
  owner: string
  repo: string
  label?: string
  policySource: string
  accountId?: string
  collectedAt: string
  /** Current violations (status `fail`), with their identity. */
  violations: TrackedFinding[]
  counts: { fail: number; error: number; pass: number }
  /** The comparison with the baseline, when there was one. Without it every violation counts as new. */
  comparison?: Comparison
  runUrl?: string
  /** A merged report's tracker: one for the whole merge (its marker names no account), over this many
   *  accounts; each violation names its account. */
  merged?: { accounts: number }
}

export interface TrackerOutcome {
  action: 'none' | 'created' | 'updated' | 'commented' | 'closed'
  issue?: number
  /** Why nothing (or only an update) was done, for the log. */
  reason?: string
  /** Issues that carry the marker and label but were not written by this token: left untouched. */
  ignored: number[]
}

/** The hidden marker: the policy file and account (`merged` for a merged report's tracker),
 *  percent-encoded so no name can end the comment. */
export function trackerMarker(policySource: string, accountId: string | undefined, merged = false): string {
  const enc = (s: string) => encodeURIComponent(s).replaceAll('-', '%2D')
  const account = merged ? 'merged' : enc(accountId ?? 'unknown')
  return `<!-- cognito-compliance-tracker: ${enc(policySource)} account=${account} -->`
}

const STATE_PREFIX = '<!-- cognito-compliance-new: '

function stateLine(digest: string): string {
  return `${STATE_PREFIX}${digest} -->`
}

function storedDigest(body: string): string | undefined {
  const i = body.indexOf(STATE_PREFIX)
  if (i < 0) return undefined
  return body.slice(i + STATE_PREFIX.length).split(' ')[0]
}

/** The new violations: the comparison's `new` (and `uncompared`, which no baseline accepted), or all. */
export function newViolations(input: Pick<TrackerInput, 'violations' | 'comparison'>): TrackedFinding[] {
  if (!input.comparison) return input.violations
  return input.comparison.entries.filter((e) => e.state === 'new' || e.state === 'uncompared').map((e) => e.finding)
}

export function digestOf(ids: string[]): string {
  if (ids.length === 0) return 'none'
  return createHash('sha256')
    .update([...ids].sort().join('\n'))
    .digest('hex')
    .slice(0, 16)
}

/** A clean verified run: nothing fails, nothing unverified, and something was verified. */
export function isCleanVerified(counts: TrackerInput['counts']): boolean {
  return counts.fail === 0 && counts.error === 0 && counts.pass > 0
}

export function trackerTitle(input: Pick<TrackerInput, 'policySource' | 'accountId' | 'merged'>): string {
  const where = input.merged
    ? `${input.merged.accounts} account${input.merged.accounts === 1 ? '' : 's'}`
    : `account ${input.accountId ?? '(unknown)'}`
  return `Cognito compliance: open violations in ${where} (${input.policySource})`
}

export function trackerBody(input: TrackerInput, previous?: number): string {
  const fresh = newViolations(input)
  const head = [
    trackerMarker(input.policySource, input.accountId, input.merged !== undefined),
    stateLine(digestOf(fresh.map((f) => f.id))),
    `## Cognito compliance: ${input.counts.fail} open violation${input.counts.fail === 1 ? '' : 's'}`,
    '',
    `${input.merged ? `Merged report of ${input.merged.accounts} account${input.merged.accounts === 1 ? '' : 's'}` : `Account ${esc(input.accountId ?? 'unknown')}`}, policy ${code(input.policySource)}, audited ${esc(input.collectedAt)}.` +
      (input.counts.error > 0
        ? ` ${input.counts.error} requirement${input.counts.error === 1 ? '' : 's'} could not be verified.`
        : ''),
    ...(previous ? ['', `Follows #${previous} (closed).`] : []),
    '',
  ].join('\n')
  const footer = `\n\n<sub>Kept current by the scheduled audit${input.runUrl ? ` ([latest run](${input.runUrl}))` : ''}. Closed automatically when a run verifies every requirement with no violation.</sub>\n`
  let main: string
  if (input.comparison) {
    main = renderDelta(input.comparison)
  } else {
    const rows = input.violations.map((f) => [
      esc(f.severity),
      where(f),
      esc(f.resource ? `${f.title}: ${f.resource}` : f.title),
      esc(f.message ?? ''),
    ])
    main = rows.length > 0 ? table(['Severity', 'Pool', 'Check', 'Finding'], rows) : 'No violations.'
  }
  let body = `${head}${main}${footer}`
  if (body.length > MAX_ISSUE_BODY) {
    body = `${head}${main.slice(0, MAX_ISSUE_BODY - head.length - footer.length - 200)}\n\n…cut to fit an issue: the full list is in the run's report.json.${footer}`
  }
  return body
}

function commentOnNew(input: TrackerInput, fresh: TrackedFinding[]): string {
  const lines = fresh
    .slice(0, 50)
    .map(
      (f) => `- **new** ${esc(f.severity)}: ${where(f)}: ${esc(f.title)}${f.resource ? ` (${esc(f.resource)})` : ''}`,
    )
  const more = fresh.length > 50 ? `\n- …and ${fresh.length - 50} more` : ''
  const delta = input.comparison ? `${esc(deltaHeadline(input.comparison))}.\n\n` : ''
  return `${delta}${fresh.length} new violation${fresh.length === 1 ? '' : 's'} in the audit of ${esc(input.collectedAt)}:\n\n${lines.join('\n')}${more}${input.runUrl ? `\n\n[Workflow run](${input.runUrl})` : ''}\n`
}

export async function syncTrackingIssue(octokit: Octokit, input: TrackerInput): Promise<TrackerOutcome> {
  if (input.mode === 'never') return { action: 'none', reason: 'issue: never', ignored: [] }
  const label = input.label ?? DEFAULT_ISSUE_LABEL
  const mark = trackerMarker(input.policySource, input.accountId, input.merged !== undefined)
  const repo = { owner: input.owner, repo: input.repo }
  const me = await ownLogin(octokit)

  const list = async (state: 'open' | 'closed') =>
    (await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state, labels: label, per_page: 100 })).filter(
      (i) => !i.pull_request && (i.body ?? '').includes(mark),
    )
  const marked = await list('open')
  const ignored = marked.filter((i) => !sameUser(i.user?.login, me)).map((i) => i.number)
  const open = marked.filter((i) => sameUser(i.user?.login, me)).sort((a, b) => a.number - b.number)[0]

  const fresh = newViolations(input)
  const digest = digestOf(fresh.map((f) => f.id))
  const clean = isCleanVerified(input.counts)

  if (open) {
    const number = open.number
    if (clean) {
      await octokit.rest.issues.createComment({
        ...repo,
        issue_number: number,
        body: `Every violation is resolved: the audit of ${esc(input.collectedAt)} verified every requirement with no violation and no error.${input.runUrl ? ` [Workflow run](${input.runUrl})` : ''}\n`,
      })
      await octokit.rest.issues.update({
        ...repo,
        issue_number: number,
        body: trackerBody(input),
        state: 'closed',
        state_reason: 'completed',
      })
      return { action: 'closed', issue: number, ignored }
    }
    const before = storedDigest(open.body ?? '')
    const body = trackerBody(input)
    if (body !== open.body) await octokit.rest.issues.update({ ...repo, issue_number: number, body })
    if (fresh.length > 0 && digest !== before) {
      await octokit.rest.issues.createComment({ ...repo, issue_number: number, body: commentOnNew(input, fresh) })
      return { action: 'commented', issue: number, ignored }
    }
    return {
      action: body !== open.body ? 'updated' : 'none',
      issue: number,
      reason: input.counts.fail === 0 ? 'not a clean verified run: the issue stays open' : 'no new violations',
      ignored,
    }
  }

  if (input.counts.fail === 0) {
    return { action: 'none', reason: 'no violations and no open tracking issue', ignored }
  }
  if (input.mode === 'on-new' && fresh.length === 0) {
    return { action: 'none', reason: 'issue: on-new and no new violations', ignored }
  }
  const closed = (await list('closed'))
    .filter((i) => sameUser(i.user?.login, me))
    .sort((a, b) => b.number - a.number)[0]
  const created = await octokit.rest.issues.create({
    ...repo,
    title: trackerTitle(input),
    body: trackerBody(input, closed?.number),
    labels: [label],
  })
  return { action: 'created', issue: created.data.number, ignored }
}

/** The one line to log for an outcome. */
export function describeOutcome(o: TrackerOutcome): string {
  const n = o.issue !== undefined ? ` #${o.issue}` : ''
  const base =
    o.action === 'none' ? `Tracking issue${n}: nothing to do (${o.reason ?? ''}).` : `Tracking issue${n}: ${o.action}.`
  const ign =
    o.ignored.length > 0
      ? ` Ignored ${o.ignored.map((i) => `#${i}`).join(', ')}: it carries the marker but was not written by this token.`
      : ''
  return `${base}${ign}`
}
