/**
 * The action's tracking-issue step, through the real Octokit client against the local fake GitHub API:
 * a timed-out run never closes the issue, a clean one does, and a refusal is one warning.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TrackedFinding } from '../../../src/baseline/compare.js'
import type { Logger } from '../../../src/model/logger.js'
import { findingIdentity } from '../../../src/model/identity.js'
import { runTrackingStep, type TrackingStep } from '../../../src/report/tracking-step.js'
import { type FakeGitHub, startFakeGitHub } from '../../support/fake-github.js'

const ACCOUNT = '123456789012'
let gh: FakeGitHub
const lines: { info: string[]; warn: string[] } = { info: [], warn: [] }
const log: Logger = {
  info: (m) => lines.info.push(m),
  warn: (m) => lines.warn.push(m),
  debug: () => undefined,
}

beforeAll(async () => {
  gh = await startFakeGitHub({ tokens: { 'test-token': { login: 'github-actions[bot]', type: 'Bot' } } })
})
afterAll(() => gh.close())
beforeEach(() => {
  gh.issues = []
  gh.comments = []
  gh.fail.clear()
  gh.requests.length = 0
  lines.info = []
  lines.warn = []
})

const base = { checkId: 'threat-protection', region: 'us-east-1', poolId: 'us-east-1_Aaaaaaaa1' }
const A: TrackedFinding = {
  ...base,
  id: findingIdentity(base, ACCOUNT),
  title: 'Threat protection on',
  status: 'fail',
  severity: 'high',
}

function step(at: string, findings: TrackedFinding[], over: Partial<TrackingStep> = {}): TrackingStep {
  const fail = findings.filter((f) => f.status === 'fail').length
  return {
    mode: 'always',
    label: 'cognito-compliance',
    token: 'test-token',
    owner: gh.owner,
    repo: gh.repo,
    policySource: '.github/cognito-compliance.yml',
    accountId: ACCOUNT,
    collectedAt: at,
    findings,
    counts: { fail, error: 0, pass: 3 },
    timedOut: false,
    apiUrl: gh.url,
    ...over,
  }
}

// Each step is several HTTP round trips through Octokit: seconds on a busy machine.
describe('the tracking-issue step', { timeout: 30_000 }, () => {
  it('a run cut short by its time limit never closes the issue; the next clean run does', async () => {
    expect(await runTrackingStep(step('2026-12-02T02:00:00Z', [A]), log)).toMatchObject({ action: 'created' })
    const cut = await runTrackingStep(step('2026-12-03T02:00:00Z', [], { timedOut: true }), log)
    expect(cut?.action).not.toBe('closed')
    expect(gh.issues[0]!.state).toBe('open')
    expect(await runTrackingStep(step('2026-12-04T02:00:00Z', []), log)).toMatchObject({ action: 'closed' })
    expect(gh.issues[0]!.state).toBe('closed')
    expect(lines.warn).toEqual([])
  })

  it('a 403 is one warning naming the permission, and nothing is thrown', async () => {
    gh.fail.set('POST /repos/acme/infra/issues', 403)
    expect(await runTrackingStep(step('2026-12-02T02:00:00Z', [A]), log)).toBeUndefined()
    expect(lines.warn).toEqual([
      "Could not update the tracking issue (HTTP 403): give the workflow 'permissions: issues: write'.",
    ])
  })

  it('never does nothing, without a call; no token is one warning', async () => {
    expect(await runTrackingStep(step('2026-12-02T02:00:00Z', [A], { mode: 'never' }), log)).toBeUndefined()
    expect(await runTrackingStep(step('2026-12-02T02:00:00Z', [A], { token: '' }), log)).toBeUndefined()
    expect(gh.requests).toHaveLength(0)
    expect(lines.warn).toHaveLength(1)
  })
})
