import { getOctokit } from '@actions/github'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type ComparableReport, compareReports, type TrackedFinding } from '../../../src/baseline/compare.js'
import { findingIdentity } from '../../../src/model/identity.js'
import {
  describeOutcome,
  syncTrackingIssue,
  type TrackerInput,
  trackerMarker,
} from '../../../src/report/tracking-issue.js'
import { type FakeGitHub, startFakeGitHub } from '../../support/fake-github.js'

const ACCOUNT = '123456789012'
const POLICY = '.github/cognito-compliance.yml'
let gh: FakeGitHub
let octokit: ReturnType<typeof getOctokit>

beforeAll(async () => {
  gh = await startFakeGitHub({
    tokens: {
      'test-token': { login: 'github-actions[bot]', type: 'Bot' },
      'someone-else': { login: 'mallory', type: 'User' },
    },
  })
  octokit = getOctokit('test-token', { baseUrl: gh.url })
})
afterAll(() => gh.close())
beforeEach(() => {
  gh.issues = []
  gh.comments = []
  gh.requests.length = 0
  gh.fail.clear()
})

function violation(pool: string, name = 'shop'): TrackedFinding {
  const base = { checkId: 'threat-protection', region: 'us-east-1', poolId: pool }
  return {
    ...base,
    id: findingIdentity(base, ACCOUNT),
    title: 'Threat protection on',
    status: 'fail',
    severity: 'high',
    poolName: name,
    message: 'Threat protection is off; the policy requires AUDIT.',
  }
}
const A = violation('us-east-1_Aaaaaaaa1', 'shop')
const B = violation('us-east-1_Bbbbbbbb1', 'billing <script>')

function rep(at: string, findings: TrackedFinding[]): ComparableReport {
  return { kind: 'report', collectedAt: at, accountId: ACCOUNT, findings }
}

/** The tracker input for a run with these violations, compared with the previous run's. */
function run(
  at: string,
  violations: TrackedFinding[],
  previous?: TrackedFinding[],
  over: Partial<TrackerInput> = {},
): TrackerInput {
  return {
    mode: 'on-new',
    owner: gh.owner,
    repo: gh.repo,
    policySource: POLICY,
    accountId: ACCOUNT,
    collectedAt: at,
    violations,
    counts: { fail: violations.length, error: 0, pass: 3 },
    ...(previous ? { comparison: compareReports(rep('2026-12-01T02:00:00Z', previous), rep(at, violations)) } : {}),
    runUrl: 'https://github.example/acme/infra/actions/runs/7',
    ...over,
  }
}

describe('the tracking issue, against a local fake of the GitHub API', () => {
  it('is created once with the marker and the label, and its body is the current table', async () => {
    const out = await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A, B], []))
    expect(out).toEqual({ action: 'created', issue: 1, ignored: [] })
    expect(gh.issues).toHaveLength(1)
    const issue = gh.issues[0]!
    expect(issue.labels).toEqual(['cognito-compliance'])
    expect(issue.body.startsWith(trackerMarker(POLICY, ACCOUNT))).toBe(true)
    expect(issue.body).toContain('**2 new, 0 resolved, 0 persisting since 2026-12-01.**')
    expect(issue.body).toContain('billing &lt;script&gt; <code>us-east-1_Bbbbbbbb1</code>')
    expect(issue.body).not.toContain('<script>')
    expect(issue.title).toBe(`Cognito compliance: open violations in account ${ACCOUNT} (${POLICY})`)
    // Found through the REST label listing, never through the search API.
    expect(gh.requests.some((r) => r.path.startsWith('/search'))).toBe(false)
    expect(gh.requests.find((r) => r.path.endsWith('/issues') && r.method === 'GET')?.query).toMatchObject({
      labels: 'cognito-compliance',
      state: 'open',
    })
  })

  it('two runs in a row with no change write no new comment (and no update)', async () => {
    await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], []))
    // A committed baseline keeps the same "new" set run after run.
    const accepted: TrackedFinding[] = []
    await syncTrackingIssue(octokit, run('2026-12-03T02:00:00Z', [A], accepted))
    const afterFirst = gh.writes()
    const second = await syncTrackingIssue(octokit, run('2026-12-03T02:00:00Z', [A], accepted))
    expect(second.action).toBe('none')
    expect(gh.writes()).toEqual(afterFirst)
    expect(gh.comments).toHaveLength(0)
    // Persisting only (compared with the previous run): no comment either.
    const third = await syncTrackingIssue(octokit, run('2026-12-04T02:00:00Z', [A], [A]))
    expect(third.action).toBe('updated')
    expect(gh.comments).toHaveLength(0)
  })

  it('comments when the set of new violations changes', async () => {
    await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], []))
    const out = await syncTrackingIssue(octokit, run('2026-12-03T02:00:00Z', [A, B], [A]))
    expect(out).toMatchObject({ action: 'commented', issue: 1 })
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]!.body).toContain('1 new, 0 resolved, 1 persisting since 2026-12-01.')
    expect(gh.comments[0]!.body).toContain('**new** high: billing &lt;script&gt; <code>us-east-1_Bbbbbbbb1</code>')
    expect(gh.issues[0]!.body).toContain('1 persisting violation')
  })

  it('closes with a comment on a clean verified run', async () => {
    await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], []))
    const out = await syncTrackingIssue(octokit, run('2026-12-03T02:00:00Z', [], [A]))
    expect(out).toMatchObject({ action: 'closed', issue: 1 })
    expect(gh.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect(gh.comments[0]!.body).toMatch(/^Every violation is resolved/)
  })

  it('never closes on a run with errors, or one that verified nothing', async () => {
    await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], []))
    const withErrors = await syncTrackingIssue(
      octokit,
      run('2026-12-03T02:00:00Z', [], [A], { counts: { fail: 0, error: 4, pass: 2 } }),
    )
    expect(withErrors.action).not.toBe('closed')
    const nothing = await syncTrackingIssue(
      octokit,
      run('2026-12-03T02:00:00Z', [], [A], { counts: { fail: 0, error: 0, pass: 0 } }),
    )
    expect(nothing.action).not.toBe('closed')
    expect(gh.issues[0]!.state).toBe('open')
    expect(gh.requests.some((r) => r.method === 'PATCH' && (r.body as { state?: string }).state === 'closed')).toBe(
      false,
    )
  })

  it('does not reopen a closed tracker: a new one links it', async () => {
    await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], []))
    await syncTrackingIssue(octokit, run('2026-12-03T02:00:00Z', [], [A]))
    const out = await syncTrackingIssue(octokit, run('2026-12-04T02:00:00Z', [B], []))
    expect(out).toMatchObject({ action: 'created', issue: 2 })
    expect(gh.issues[0]!.state).toBe('closed')
    expect(gh.issues[1]!.body).toContain('Follows #1 (closed).')
  })

  it('never writes into an issue it did not create, even one with the marker and label', async () => {
    const forged = run('2026-12-02T02:00:00Z', [A], [])
    await syncTrackingIssue(getOctokit('someone-else', { baseUrl: gh.url }), forged)
    expect(gh.issues[0]!.user.login).toBe('mallory')
    const out = await syncTrackingIssue(octokit, run('2026-12-03T02:00:00Z', [], [A]))
    // Clean run, and the only marked issue is someone else's: nothing is closed or written.
    expect(out).toEqual({ action: 'none', reason: 'no violations and no open tracking issue', ignored: [1] })
    expect(gh.issues[0]!.state).toBe('open')
    expect(describeOutcome(out)).toContain('Ignored #1: it carries the marker but was not written by this token.')
    // With violations it opens its own tracker beside it.
    const own = await syncTrackingIssue(octokit, run('2026-12-04T02:00:00Z', [A], []))
    expect(own).toMatchObject({ action: 'created', issue: 2, ignored: [1] })
  })

  it('keeps one tracker per policy file and account', async () => {
    await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], []))
    const other = await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], [], { accountId: '210987654321' }))
    expect(other).toMatchObject({ action: 'created', issue: 2 })
    const otherPolicy = await syncTrackingIssue(
      octokit,
      run('2026-12-02T02:00:00Z', [A], [], { policySource: 'prod.yml' }),
    )
    expect(otherPolicy).toMatchObject({ action: 'created', issue: 3 })
  })

  it('on-new opens nothing for persisting violations; always does', async () => {
    const onNew = await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], [A]))
    expect(onNew).toMatchObject({ action: 'none', reason: 'issue: on-new and no new violations' })
    const always = await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], [A], { mode: 'always' }))
    expect(always).toMatchObject({ action: 'created' })
    expect(await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], [], { mode: 'never' }))).toMatchObject({
      action: 'none',
    })
    expect(gh.issues).toHaveLength(1)
  })

  it('a 403 surfaces as an error with its status, for the caller to turn into a warning', async () => {
    gh.fail.set(`POST /repos/${gh.owner}/${gh.repo}/issues`, 403)
    const err = await syncTrackingIssue(octokit, run('2026-12-02T02:00:00Z', [A], [])).catch((e: unknown) => e)
    expect((err as { status?: number }).status).toBe(403)
    expect(gh.issues).toHaveLength(0)
  })
})
