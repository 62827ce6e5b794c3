import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type FakeGitHub, startFakeGitHub } from '../../support/fake-github.js'

// @actions/artifact builds its own Octokit from GITHUB_API_URL when @actions/github loads: the module
// under test is imported only after the fake is listening and the variable points at it.
let gh: FakeGitHub
let find: typeof import('../../../src/baseline/previous-run.js').findPreviousReport
let dir: string

const WORKFLOW = 4242
const CURRENT = 900

beforeAll(async () => {
  gh = await startFakeGitHub()
  // @actions/core writes its progress lines straight to stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  vi.stubEnv('GITHUB_API_URL', gh.url)
  vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com')
  find = (await import('../../../src/baseline/previous-run.js')).findPreviousReport
  dir = await mkdtemp(join(tmpdir(), 'previous-run-'))
})
afterAll(async () => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  await gh.close()
  await rm(dir, { recursive: true, force: true })
})
beforeEach(() => {
  gh.fail.clear()
  gh.requests.length = 0
  gh.runs = [
    {
      id: CURRENT,
      workflow_id: WORKFLOW,
      head_branch: 'main',
      status: 'in_progress',
      conclusion: null,
      created_at: '2026-12-03T02:00:00Z',
    },
  ]
  gh.artifacts = []
})

function run(id: number, conclusion: 'success' | 'failure' | 'cancelled', day: string, branch = 'main') {
  gh.runs.push({
    id,
    workflow_id: WORKFLOW,
    head_branch: branch,
    status: 'completed',
    conclusion,
    created_at: `2026-12-${day}T02:00:00Z`,
  })
}
function artifact(id: number, runId: number, files: Record<string, string>, name = 'cognito-compliance') {
  gh.artifacts.push({ id, run_id: runId, name, created_at: '2026-12-01T02:10:00Z', files })
}
const query = () => ({
  token: 'test-token',
  owner: gh.owner,
  repo: gh.repo,
  runId: CURRENT,
  artifactName: 'cognito-compliance',
  downloadDir: join(dir, String(Math.random()).slice(2)),
})

describe("the previous run's report, through @actions/artifact against a local fake", () => {
  it('downloads report.json from the newest completed run of the same workflow on the default branch', async () => {
    run(801, 'success', '01')
    run(802, 'failure', '02') // a failed gate still wrote its report
    run(803, 'success', '02', 'feature') // another branch
    run(804, 'cancelled', '02')
    artifact(11, 801, { 'report.json': '{"run":801}' })
    artifact(12, 802, { 'report.json': '{"run":802}', 'summary.md': '# summary' })
    artifact(13, 803, { 'report.json': '{"run":803}' })
    const got = await find(query())
    expect(got).toMatchObject({ status: 'found', text: '{"run":802}', runId: 802, artifactId: 12 })
    // The zip was fetched through the 302 to the blob URL, as GitHub serves it.
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        `GET /repos/acme/infra/actions/runs/${CURRENT}`,
        'GET /repos/acme/infra',
        `GET /repos/acme/infra/actions/workflows/${WORKFLOW}/runs`,
        'GET /repos/acme/infra/actions/runs/802/artifacts',
        'GET /repos/acme/infra/actions/artifacts/12/zip',
        'GET /blob/12.zip',
      ]),
    )
    const runsQuery = gh.requests.find((r) => r.path.endsWith('/runs') && r.path.includes('workflows'))!.query
    expect(runsQuery).toMatchObject({ branch: 'main', status: 'completed' })
    // Every API call carried the token; none went to another host (the fake saw them all).
    expect(
      gh.requests.filter((r) => !r.path.startsWith('/blob')).every((r) => r.authorization === 'token test-token'),
    ).toBe(true)
  })

  it('passes over a run without the artifact, and finds report.json one folder down', async () => {
    run(801, 'success', '01')
    run(802, 'success', '02')
    artifact(11, 801, { 'cognito-compliance/report.json': '{"run":801}' })
    artifact(12, 802, { 'report.json': '{}' }, 'something-else')
    expect(await find(query())).toMatchObject({ status: 'found', text: '{"run":801}', runId: 801 })
  })

  it('no previous run is "none" with the reason, not an error', async () => {
    expect(await find(query())).toEqual({ status: 'none', reason: 'no earlier completed run of this workflow on main' })
    run(801, 'success', '01')
    expect(await find(query())).toEqual({
      status: 'none',
      reason:
        'no artifact "cognito-compliance" with a report.json in the last 1 completed run of this workflow on main',
    })
  })

  it('an expired artifact is "none" with the reason', async () => {
    run(801, 'success', '01')
    artifact(11, 801, { 'report.json': '{}' })
    gh.artifacts[0]!.expired = true
    expect(await find(query())).toEqual({
      status: 'none',
      reason: 'the report artifact of run 801 has expired (artifacts are kept 90 days by default)',
    })
  })

  it('403 (no actions: read) is thrown with its status, for the caller to warn about', async () => {
    run(801, 'success', '01')
    artifact(11, 801, { 'report.json': '{}' })
    gh.fail.set('GET /repos/acme/infra/actions/runs/:n/artifacts', 403)
    const err = await find(query()).catch((e: unknown) => e)
    expect((err as { status?: number }).status).toBe(403)
    gh.fail.clear()
    gh.fail.set('GET /repos/acme/infra/actions/runs/:n', 403)
    expect(((await find(query()).catch((e: unknown) => e)) as { status?: number }).status).toBe(403)
  })

  it('uses the branch it is given instead of the default branch', async () => {
    run(803, 'success', '02', 'release')
    artifact(13, 803, { 'report.json': '{"run":803}' })
    expect(await find({ ...query(), branch: 'release' })).toMatchObject({ status: 'found', runId: 803 })
    expect(gh.requests.some((r) => r.path === '/repos/acme/infra')).toBe(false)
  })
})
