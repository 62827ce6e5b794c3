import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadBaseline } from '../../../src/baseline/source.js'
import { type FakeGitHub, startFakeGitHub } from '../../support/fake-github.js'

let gh: FakeGitHub
const logs: string[] = []
const log = { info: (m: string) => logs.push(`info: ${m}`), warn: (m: string) => logs.push(`warn: ${m}`) }
const report = JSON.stringify({
  reportVersion: 1,
  collectedAt: '2026-12-01T02:00:00.000Z',
  accountId: '123456789012',
  policy: { source: 'p.yml', regions: ['us-east-1'] },
  findings: [
    { checkId: 'threat-protection', region: 'us-east-1', poolId: 'us-east-1_A1', status: 'fail', severity: 'high' },
  ],
})

beforeAll(async () => {
  gh = await startFakeGitHub()
  vi.stubEnv('GITHUB_API_URL', gh.url)
  vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com')
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterAll(async () => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  await gh.close()
})
beforeEach(() => {
  logs.length = 0
  gh.fail.clear()
  gh.runs = [
    {
      id: 900,
      workflow_id: 7,
      head_branch: 'main',
      status: 'in_progress',
      conclusion: null,
      created_at: '2026-12-02T02:00:00Z',
    },
    {
      id: 801,
      workflow_id: 7,
      head_branch: 'main',
      status: 'completed',
      conclusion: 'failure',
      created_at: '2026-12-01T02:00:00Z',
    },
  ]
  gh.artifacts = [
    {
      id: 11,
      run_id: 801,
      name: 'cognito-compliance',
      created_at: '2026-12-01T02:10:00Z',
      files: { 'report.json': report },
    },
  ]
})

const github = () => ({
  token: 'test-token',
  owner: gh.owner,
  repo: gh.repo,
  runId: 900,
  artifactName: 'cognito-compliance',
})
const ctx = () => ({ log, github: github(), what: "Input 'baseline'" })

describe('loading the baseline', () => {
  it("previous-run: the last run's report, parsed", async () => {
    const got = await loadBaseline('previous-run', ctx())
    expect(got?.source).toBe('artifact "cognito-compliance" of run 801 (2026-12-01T02:00:00Z)')
    expect(got?.report.findings[0]?.id).toBe('threat-protection/123456789012/us-east-1/us-east-1_A1')
    expect(logs).toEqual([])
  })

  it('previous-run with no earlier run: a notice, no baseline', async () => {
    gh.runs = gh.runs.slice(0, 1)
    expect(await loadBaseline('previous-run', ctx())).toBeUndefined()
    expect(logs).toEqual([
      'info: baseline: previous-run: no previous report (no earlier completed run of this workflow on main); this run is the first baseline.',
    ])
  })

  it('previous-run refused (403): a warning naming the permission, no baseline', async () => {
    gh.fail.set('GET /repos/acme/infra/actions/runs/:n/artifacts', 403)
    expect(await loadBaseline('previous-run', ctx())).toBeUndefined()
    expect(logs).toEqual([
      "warn: baseline: previous-run: GitHub refused to list this workflow's runs or artifacts (HTTP 403): give the workflow 'permissions: actions: read'. Comparing with no baseline.",
    ])
  })

  it('previous-run whose artifact holds no valid report: a warning, no baseline', async () => {
    gh.artifacts[0]!.files = { 'report.json': '{"hello":1}' }
    expect(await loadBaseline('previous-run', ctx())).toBeUndefined()
    expect(logs[0]).toMatch(
      /^warn: baseline: previous-run: Baseline artifact "cognito-compliance" of run 801 .*: neither a report.json/,
    )
  })

  it('previous-run without a token: a warning; outside Actions: bad input', async () => {
    expect(await loadBaseline('previous-run', { ...ctx(), github: { ...github(), token: '' } })).toBeUndefined()
    expect(logs[0]).toBe(
      'warn: baseline: previous-run needs github-token (with actions: read); comparing with no baseline.',
    )
    await expect(loadBaseline('previous-run', { log, what: '--baseline' })).rejects.toThrow(
      "--baseline 'previous-run' works only inside a GitHub Actions run: pass the path of a previous report.json instead.",
    )
  })

  it('no baseline asked for: nothing; a missing file: bad input', async () => {
    expect(await loadBaseline('', ctx())).toBeUndefined()
    expect(await loadBaseline(undefined, ctx())).toBeUndefined()
    await expect(loadBaseline('/nonexistent/report.json', ctx())).rejects.toMatchObject({
      name: 'InputError',
      message: 'Baseline /nonexistent/report.json: cannot read it (ENOENT: no such file).',
    })
  })
})
