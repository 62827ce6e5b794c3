/**
 * The action with memory, in-process: `baseline: previous-run` and the tracking issue against a local
 * fake of the GitHub API (through the real Octokit and @actions/artifact clients), on saved snapshots
 * (no AWS). Nightly runs in a row: the first has no previous run; the next compares with it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type FakeGitHub, startFakeGitHub } from '../../support/fake-github.js'

const SNAP = 'examples/snapshots/demo-account.json'
const POLICY = 'examples/policies/demo.yml'
const SHOP = 'us-east-1_27ff7a70c2e840af85b5c57390b12339'
const LEGACY = 'eu-west-1_9a8e04433a6c448a81f65009126421a4'
const RUN = 900

let gh: FakeGitHub
let dir: string
let day2: string
let run: () => Promise<void>
let stdout: string[]
const saved = { ...process.env }

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/
function nextDay(v: unknown): unknown {
  if (typeof v === 'string' && ISO.test(v)) return new Date(Date.parse(v) + 86_400_000).toISOString()
  if (Array.isArray(v)) return v.map(nextDay)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nextDay(x)]))
  return v
}

async function outputs(): Promise<Record<string, string>> {
  const text = await readFile(join(dir, 'github_output'), 'utf8')
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1] as string] = m[3] as string
  return out
}

/** One nightly run of the action on `snapshot`; returns its report. */
async function nightly(snapshot: string, inputs: Record<string, string> = {}) {
  await writeFile(join(dir, 'github_output'), '')
  await writeFile(join(dir, 'summary.md'), '')
  await rm(join(dir, 'out'), { recursive: true, force: true })
  const all = {
    policy: POLICY,
    snapshot,
    'output-dir': join(dir, 'out'),
    baseline: 'previous-run',
    'baseline-artifact': 'cognito-compliance-report',
    'fail-on': 'violation',
    issue: 'on-new',
    'github-token': 'test-token',
    ...inputs,
  }
  for (const [k, v] of Object.entries(all)) process.env[`INPUT_${k.toUpperCase()}`] = v
  stdout.length = 0
  process.exitCode = undefined
  await run()
  const report = await readFile(join(dir, 'out', 'report.json'), 'utf8')
  return {
    report: JSON.parse(report),
    text: report,
    out: await outputs(),
    exitCode: process.exitCode,
    log: stdout.join(''),
  }
}

/** What the workflow's upload step does: the run's report becomes its artifact, and the run completes. */
function upload(runId: number, report: string, day: string, conclusion: 'success' | 'failure') {
  gh.runs.push({
    id: runId,
    workflow_id: 77,
    head_branch: 'main',
    status: 'completed',
    conclusion,
    created_at: `${day}T03:17:00Z`,
  })
  gh.artifacts.push({
    id: runId + 5000,
    run_id: runId,
    name: 'cognito-compliance-report',
    created_at: `${day}T03:20:00Z`,
    files: { 'report.json': report },
  })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'action-delta-'))
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
  const snap = nextDay(JSON.parse(await readFile(SNAP, 'utf8'))) as {
    regions: Array<{ cognito: { pools: Array<{ id: string; advancedSecurityMode: string }> } }>
  }
  for (const p of snap.regions.flatMap((r) => r.cognito.pools)) {
    if (p.id === LEGACY) p.advancedSecurityMode = 'AUDIT'
    if (p.id === SHOP) p.advancedSecurityMode = 'OFF'
  }
  day2 = join(dir, 'day2.json')
  await writeFile(day2, JSON.stringify(snap))
})
afterAll(async () => {
  vi.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
  await gh.close()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => {
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
  gh.fail.clear()
  gh.requests.length = 0
})

// Each night runs the whole action (the artifact and Octokit clients included): seconds on a busy machine.
describe('the nightly audit with memory', { timeout: 60_000 }, () => {
  it('first run: no previous run is a notice; every violation is new; the tracking issue is opened', async () => {
    const r = await nightly(SNAP)
    expect(r.log).toContain(
      'baseline: previous-run: no previous report (no earlier completed run of this workflow on main); this run is the first baseline.',
    )
    expect(r.log).not.toContain('::warning::')
    expect(r.out).toMatchObject({ violations: '6', 'new-violations': '6', resolved: '0' })
    expect(r.report.baseline).toBeUndefined()
    expect(gh.issues).toHaveLength(1)
    expect(gh.issues[0]).toMatchObject({ state: 'open', labels: ['cognito-compliance'] })
    expect(r.log).toContain('Tracking issue #1: created.')
    expect(r.exitCode).toBe(1)
  })

  it('two runs in a row: the second compares with the first, comments once; a third without change is silent', async () => {
    const first = await nightly(SNAP)
    upload(801, first.text, '2026-12-01', 'failure') // a red run's report still counts
    const second = await nightly(day2)
    expect(second.out).toMatchObject({ violations: '6', 'new-violations': '1', resolved: '1' })
    expect(second.report.baseline).toMatchObject({
      source: 'artifact "cognito-compliance-report" of run 801 (2026-12-01T03:17:00Z)',
      counts: { new: 1, resolved: 1, persisting: 5 },
    })
    expect(second.log).toContain('1 new, 1 resolved, 5 persisting since 2026-12-01')
    const summary = await readFile(join(dir, 'summary.md'), 'utf8')
    expect(summary).toContain('**1 new, 1 resolved, 5 persisting since 2026-12-01.**')
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]!.body).toContain(`**new** high: shop-customers <code>${SHOP}</code>`)

    upload(802, second.text, '2026-12-02', 'failure')
    const before = gh.writes().length
    const third = await nightly(day2)
    expect(third.report.baseline.counts).toMatchObject({ new: 0, persisting: 6, resolved: 0 })
    expect(gh.comments).toHaveLength(1) // no new comment
    expect(gh.writes().length - before).toBe(1) // only the body (the date) was updated
    expect(
      third.report.findings.find((f: { id: string }) => f.id.endsWith(SHOP) && f.id.startsWith('threat-protection/'))
        .firstSeen,
    ).toBe(second.report.collectedAt)
  })

  it('403 on the artifacts and on the issue: warnings, and the verdict of a run without them', async () => {
    const first = await nightly(SNAP, { issue: 'never' })
    upload(801, first.text, '2026-12-01', 'success')
    gh.fail.set('GET /repos/acme/infra/actions/runs/:n/artifacts', 403)
    gh.fail.set('POST /repos/acme/infra/issues', 403)
    const r = await nightly(day2)
    expect(r.log).toContain(
      "::warning::baseline: previous-run: GitHub refused to list this workflow's runs or artifacts (HTTP 403): give the workflow 'permissions: actions: read'. Comparing with no baseline.",
    )
    expect(r.log).toContain(
      "::warning::Could not update the tracking issue (HTTP 403): give the workflow 'permissions: issues: write'.",
    )
    const plain = await nightly(day2, { baseline: '', issue: 'never' })
    expect(r.exitCode).toBe(plain.exitCode)
    expect(r.out).toEqual(plain.out)
    expect(r.report.verdict).toEqual(plain.report.verdict)
  })

  it('fail-on: new-violation passes a night with only old violations and fails the one with a new one', async () => {
    const first = await nightly(SNAP, { 'fail-on': 'new-violation', issue: 'never' })
    expect(first.exitCode).toBe(1) // no baseline yet: every violation is new
    upload(801, first.text, '2026-12-01', 'failure')
    const same = await nightly(SNAP, { 'fail-on': 'new-violation', issue: 'never' })
    expect(same.exitCode).toBeUndefined()
    expect(same.report.verdict).toMatchObject({ failed: false, violations: 6, newViolations: 0 })
    upload(802, same.text, '2026-12-02', 'success')
    const worse = await nightly(day2, { 'fail-on': 'new-violation', issue: 'never' })
    expect(worse.exitCode).toBe(1)
    expect(worse.report.verdict.reason).toBe('1 new policy violation')
  })

  it('a bad issue mode is bad input (exit 2)', async () => {
    await expect(nightly(SNAP, { issue: 'sometimes' })).rejects.toThrow() // no report written
    expect(stdout.join('')).toContain('Input \'issue\' must be one of never, on-new, always (got "sometimes").')
    expect(process.exitCode).toBe(2)
  })
})
