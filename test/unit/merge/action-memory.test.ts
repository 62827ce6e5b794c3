/**
 * The action's merge mode with memory, in-process through `run()`: `baseline: previous-run` finds the
 * last run's merged report artifact, and `issue` keeps one tracking issue for the whole merge, against
 * the local fake of the GitHub API through the real Octokit and @actions/artifact clients.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { accountIdOf, generateReport } from '../../../sandbox/bench/reports.js'
import { type FakeGitHub, startFakeGitHub } from '../../support/fake-github.js'

const A = accountIdOf(1)
const B = accountIdOf(2)
const RUN = 900
const ARTIFACT = 'cognito-compliance-merged'

let gh: FakeGitHub
let dir: string
let run: () => Promise<void>
let stdout: string[]
const saved = { ...process.env }

async function outputs(): Promise<Record<string, string>> {
  const text = await readFile(join(dir, 'github_output'), 'utf8')
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1] as string] = m[3] as string
  return out
}

/** Night `n`: each account's report (the same pool ids in both), `failing` ones with violations, then
 *  the merge job. Returns the merged report, the outputs and the log. */
async function night(n: number, failing: string[], accounts = [A, B], inputs: Record<string, string> = {}) {
  const reports = join(dir, `night-${n}`)
  for (const account of accounts) {
    const r = generateReport({
      accountId: account,
      regions: ['us-east-1'],
      pools: 3,
      violations: failing.includes(account),
    })
    r.collectedAt = `2026-12-0${n}T03:00:00.000Z`
    await mkdir(join(reports, `cognito-compliance-${account}`), { recursive: true })
    await writeFile(join(reports, `cognito-compliance-${account}`, 'report.json'), JSON.stringify(r))
  }
  await writeFile(join(dir, 'github_output'), '')
  await writeFile(join(dir, 'summary.md'), '')
  const out = join(dir, `merged-${n}`)
  const all = {
    merge: `${reports}/*/report.json`,
    'expected-accounts': `${A},${B}`,
    'output-dir': out,
    baseline: 'previous-run',
    'baseline-artifact': ARTIFACT,
    'fail-on': 'new-violation',
    issue: 'on-new',
    'github-token': 'test-token',
    ...inputs,
  }
  for (const [k, v] of Object.entries(all)) process.env[`INPUT_${k.toUpperCase()}`] = v
  stdout.length = 0
  process.exitCode = undefined
  await run()
  const text = await readFile(join(out, 'report.json'), 'utf8')
  // What the workflow's upload step does: the merged report becomes this run's artifact.
  gh.runs.push({
    id: RUN - 10 + n,
    workflow_id: 77,
    head_branch: 'main',
    status: 'completed',
    conclusion: process.exitCode ? 'failure' : 'success',
    created_at: `2026-12-0${n}T03:17:00Z`,
  })
  gh.artifacts.push({
    id: RUN + 5000 + n,
    run_id: RUN - 10 + n,
    name: ARTIFACT,
    created_at: `2026-12-0${n}T03:20:00Z`,
    files: { 'report.json': text },
  })
  return { report: JSON.parse(text), out: await outputs(), exitCode: process.exitCode, log: stdout.join('') }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-memory-'))
  gh = await startFakeGitHub()
  Object.assign(process.env, {
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_RUN_ID: String(RUN),
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'github_output'),
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  stdout = []
  vi.spyOn(process.stdout, 'write').mockImplementation((t) => {
    stdout.push(String(t))
    return true
  })
  // @actions/github reads the API URL and the run id when it loads.
  run = (await import('../../../src/main.js')).run
  gh.runs = [
    {
      id: RUN,
      workflow_id: 77,
      head_branch: 'main',
      status: 'in_progress',
      conclusion: null,
      created_at: '2026-12-09T03:17:00Z',
    },
  ]
  gh.artifacts = []
  gh.issues = []
  gh.comments = []
})
afterAll(async () => {
  vi.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
  await gh.close()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => {
  gh.fail.clear()
  gh.requests.length = 0
})

// The nights build on each other (each merge's artifact is the next one's baseline).
describe('nightly merges with memory', { timeout: 60_000 }, () => {
  let violations = 0

  it('night 1: no previous run is a notice; every violation is new; one tracker for the merge is opened', async () => {
    const r = await night(1, [A])
    violations = r.report.verdict.violations
    expect(violations).toBeGreaterThan(0)
    expect(r.log).toContain('baseline: previous-run: no previous report')
    expect(r.report.baseline).toBeUndefined()
    expect(r.out).toMatchObject({ 'new-violations': String(violations), resolved: '0' })
    expect(r.exitCode).toBe(1)
    expect(gh.issues).toHaveLength(1)
    const issue = gh.issues[0]!
    expect(issue.title).toBe('Cognito compliance: open violations in 2 accounts (policy.yml)')
    expect(issue.body).toContain('<!-- cognito-compliance-tracker: policy.yml account=merged -->')
    expect(issue.body).toContain(`in account <code>${A}</code>`)
    expect(r.log).toContain('Tracking issue #1: created.')
  })

  it('night 2: A fixed, B broke on pools with the same ids: new and resolved per account, one comment', async () => {
    const r = await night(2, [B])
    expect(r.report.baseline).toMatchObject({ kind: 'merged', collectedAt: '2026-12-01T03:00:00.000Z' })
    expect(r.report.baseline.source).toContain(`artifact "${ARTIFACT}" of run ${RUN - 9}`)
    expect(r.out).toMatchObject({ 'new-violations': String(violations), resolved: String(violations) })
    expect(r.exitCode).toBe(1)
    expect(r.log).toContain(`${violations} new, ${violations} resolved, 0 persisting since 2026-12-01`)
    expect(gh.issues).toHaveLength(1)
    expect(gh.issues[0]!.body).toContain(`in account <code>${B}</code>`)
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]!.body).toContain(`${violations} new violation`)
  })

  it('night 3: nothing changed: persisting only, new-violation passes, no new comment', async () => {
    const r = await night(3, [B])
    expect(r.report.baseline.counts).toMatchObject({ new: 0, resolved: 0, persisting: violations })
    expect(r.out).toMatchObject({ 'new-violations': '0', resolved: '0' })
    expect(r.exitCode).toBeUndefined()
    expect(gh.comments).toHaveLength(1)
    expect(gh.issues[0]!.state).toBe('open')
  })

  it('night 4: clean, but an expected account has no report: the tracker stays open', async () => {
    const r = await night(4, [], [A])
    expect(r.report.verdict.reportsMissing).toBe(1)
    expect(r.exitCode).toBe(1)
    expect(gh.issues[0]!.state).toBe('open')
  })

  it('night 5: every account clean and verified: the tracker is closed with a comment', async () => {
    const r = await night(5, [])
    expect(r.exitCode).toBeUndefined()
    expect(gh.issues[0]!.state).toBe('closed')
    expect(gh.comments.at(-1)!.body).toContain('Every violation is resolved')
  })
})
