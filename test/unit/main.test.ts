/**
 * The action end to end in-process: inputs from the environment, a temporary
 * GITHUB_STEP_SUMMARY and GITHUB_OUTPUT, and the three AWS clients mocked.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail'
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch'
import {
  CognitoIdentityProviderClient,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { forkOf, run } from '../../src/main.js'

const cognito = mockClient(CognitoIdentityProviderClient)
const cloudwatch = mockClient(CloudWatchClient)
const cloudtrail = mockClient(CloudTrailClient)

const GOOD = 'us-east-1_Good1'
const OFF = 'us-east-1_Off2'
const TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org'

function mockAccount() {
  cognito.on(ListUserPoolsCommand).resolves({
    UserPools: [
      { Id: GOOD, Name: 'prod-users' },
      { Id: OFF, Name: 'legacy | users' },
    ],
  })
  cognito.on(DescribeUserPoolCommand, { UserPoolId: GOOD }).resolves({
    UserPool: {
      Id: GOOD,
      Name: 'prod-users',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    },
  })
  cognito.on(DescribeUserPoolCommand, { UserPoolId: OFF }).resolves({
    UserPool: { Id: OFF, Name: 'legacy | users', UserPoolTier: 'ESSENTIALS' },
  })
  cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })
  cognito.on(DescribeRiskConfigurationCommand).resolves({
    RiskConfiguration: {
      UserPoolId: GOOD,
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          HighAction: { Notify: true, EventAction: 'BLOCK' },
          MediumAction: { Notify: true, EventAction: 'MFA_REQUIRED' },
        },
      },
    },
  })
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] })
  cloudwatch.on(ListMetricsCommand).resolves({ Metrics: [] })
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] })
  cloudtrail.on(DescribeTrailsCommand).resolves({
    trailList: [{ Name: 'org', TrailARN: TRAIL, HomeRegion: 'us-east-1', IsMultiRegionTrail: true }],
  })
  cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true, LatestDeliveryTime: new Date() })
  cloudtrail.on(GetEventSelectorsCommand).resolves({
    TrailARN: TRAIL,
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
  })
  cloudtrail.on(LookupEventsCommand).resolves({ Events: [] })
}

/** Everything the action writes to stdout (logs, workflow commands) from now on in this test. */
function captureStdout(): string[] {
  const lines: string[] = []
  vi.spyOn(process.stdout, 'write').mockImplementation((t) => {
    lines.push(String(t))
    return true
  })
  return lines
}

let dir: string
const saved = { ...process.env }

function setInputs(inputs: Record<string, string>) {
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v
}

async function outputs(): Promise<Record<string, string>> {
  const text = await readFile(join(dir, 'github_output'), 'utf8')
  const out: Record<string, string> = {}
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string
  return out
}

// @actions/core caches the GITHUB_STEP_SUMMARY path on first use (one process per step in
// production), so every test shares one directory and truncates the files.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cca-main-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  await rm(join(dir, 'out'), { recursive: true, force: true })
  await writeFile(join(dir, 'summary.md'), '')
  await writeFile(join(dir, 'github_output'), '')
  Object.assign(process.env, {
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'github_output'),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  setInputs({ 'output-dir': join(dir, 'out'), policy: join(dir, 'none.yml') })
  process.exitCode = undefined
  cognito.reset()
  cloudwatch.reset()
  cloudtrail.reset()
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(async () => {
  vi.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
})

describe('the action', () => {
  it('audits the named pools, writes the summary and report, sets outputs, and fails on violations', async () => {
    mockAccount()
    setInputs({ policy: '', 'user-pool-ids': `${GOOD}, ${OFF}` })
    await run()

    expect(process.exitCode).toBe(1)
    const summary = await readFile(join(dir, 'summary.md'), 'utf8')
    expect(summary).toMatch(/^## Cognito compliance audit\n\n### ❌ \d+ violations? in \d of 2 user pools in 1 region/)
    expect(summary).toContain('legacy &#124; users')
    expect(summary).toContain('Threat protection')

    const out = await outputs()
    expect(out.compliant).toBe('false')
    expect(Number(out.violations)).toBeGreaterThanOrEqual(1)
    expect(out.errors).toBe('0')
    expect(out['report-path']).toBe(join(dir, 'out', 'report.json'))
    const report = JSON.parse(await readFile(out['report-path'] as string, 'utf8'))
    expect(report.reportVersion).toBe(1)
    const off = report.pools.find((p: { id: string }) => p.id === OFF)
    expect(off.requirements['threat-protection']).toBe('fail')
    const good = report.pools.find((p: { id: string }) => p.id === GOOD)
    expect(good.requirements['threat-protection']).toBe('pass')
    expect(good.threatProtectionMode).toBe('ENFORCED')
    // The summary's markdown file and the job summary carry the same content.
    expect(await readFile(out['summary-path'] as string, 'utf8')).toBe(summary)
  })

  it('fail-on: error passes the step on violations alone, and fails it on what could not be verified', async () => {
    mockAccount()
    setInputs({ policy: '', 'user-pool-ids': OFF, 'fail-on': 'error' })
    await run()
    expect(process.exitCode).toBeUndefined()
    expect(Number((await outputs()).violations)).toBeGreaterThanOrEqual(1)

    await writeFile(join(dir, 'github_output'), '')
    cognito
      .on(DescribeUserPoolCommand, { UserPoolId: OFF })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    await run()
    expect(process.exitCode).toBe(1)
    expect(Number((await outputs()).errors)).toBeGreaterThanOrEqual(1)
  })

  it('job-summary: false writes no job summary, annotations: false no annotation; the report is still written', async () => {
    mockAccount()
    const lines = captureStdout()
    setInputs({ policy: '', 'user-pool-ids': OFF, 'job-summary': 'false', annotations: 'false' })
    await run()
    expect(process.exitCode).toBe(1)
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toBe('')
    expect(lines.join('')).not.toMatch(/^::(error|warning|notice) title=/m)
    expect((await outputs())['report-path']).toBe(join(dir, 'out', 'report.json'))

    lines.length = 0
    setInputs({ 'job-summary': 'true', annotations: 'true' })
    await run()
    expect(lines.join('')).toMatch(/^::error title=threat-protection/m)
  })

  it('save-snapshot then snapshot: the saved state is audited again without any AWS call, with the same verdict', async () => {
    mockAccount()
    const file = join(dir, 'snap', 'account.json')
    setInputs({ policy: '', 'user-pool-ids': `${GOOD}, ${OFF}`, 'save-snapshot': file })
    await run()
    const first = await outputs()
    expect(JSON.parse(await readFile(file, 'utf8')).selection.ids).toEqual([GOOD, OFF])

    cognito.reset()
    cloudwatch.reset()
    cloudtrail.reset()
    await writeFile(join(dir, 'github_output'), '')
    setInputs({ 'save-snapshot': '', snapshot: file })
    await run()
    const second = await outputs()
    expect(cognito.calls()).toHaveLength(0)
    expect(cloudwatch.calls()).toHaveLength(0)
    expect(cloudtrail.calls()).toHaveLength(0)
    expect([second.compliant, second.violations, second.errors]).toEqual([
      first.compliant,
      first.violations,
      first.errors,
    ])
  })

  it('an output directory that cannot be written is bad input (exit 2), not a crash', async () => {
    mockAccount()
    const lines = captureStdout()
    await writeFile(join(dir, 'a-file'), '')
    setInputs({ policy: '', 'user-pool-ids': GOOD, 'output-dir': join(dir, 'a-file', 'out') })
    await run()
    expect(process.exitCode).toBe(2)
    expect(lines.join('')).toContain(
      `output directory ${join(dir, 'a-file', 'out')}: cannot write it (ENOTDIR: a part of the path is a file, not a directory)`,
    )
    expect(lines.join('')).not.toMatch(/\n\s+at /)
  })

  it('pr-comment outside a pull request only says so; a bad pr-comment value is bad input', async () => {
    mockAccount()
    const lines = captureStdout()
    setInputs({ policy: '', 'user-pool-ids': GOOD, 'pr-comment': 'always', 'github-token': 'x' })
    await run()
    expect(lines.join('')).toContain('pr-comment: always, but this run is not for a pull request')
    setInputs({ 'pr-comment': 'sometimes' })
    await run()
    expect(process.exitCode).toBe(2)
    expect(lines.join('')).toContain(`Input 'pr-comment' must be one of never, always, on-failure (got "sometimes")`)
  })

  it('lookback replaces the activity window; a bad one is bad input before any AWS call', async () => {
    mockAccount()
    const lines = captureStdout()
    setInputs({ policy: '', 'user-pool-ids': GOOD, lookback: '7d' })
    await run()
    const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'))
    expect(report.findings.length).toBeGreaterThan(0)
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('over the last 168 h')
    cognito.reset()
    setInputs({ lookback: '3 weeks' })
    await run()
    expect(process.exitCode).toBe(2)
    expect(lines.join('')).toContain(`Input 'lookback' must be a duration like 24h or 2d, at most 336h (got "3 weeks")`)
    expect(cognito.calls()).toHaveLength(0)
  })

  it('fail-on: never reports violations but passes the step', async () => {
    mockAccount()
    setInputs({ policy: '', 'user-pool-ids': OFF, 'fail-on': 'never' })
    await run()
    expect(process.exitCode).toBeUndefined()
    expect((await outputs()).compliant).toBe('false')
  })

  it('a denied permission is an error naming the permission, and fails closed', async () => {
    mockAccount()
    cognito.on(DescribeRiskConfigurationCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cognito-idp:DescribeRiskConfiguration'), {
        name: 'AccessDeniedException',
      }),
    )
    setInputs({ policy: '', 'user-pool-ids': GOOD })
    await run()
    expect(process.exitCode).toBe(1)
    const summary = await readFile(join(dir, 'summary.md'), 'utf8')
    expect(summary).toContain('cognito-idp:DescribeRiskConfiguration')
    expect(summary).not.toContain('### ✅')
    expect(Number((await outputs()).errors)).toBeGreaterThanOrEqual(1)
  })

  it('bad input exits 2 with one clear line and makes no AWS call', async () => {
    mockAccount()
    const lines = captureStdout()
    setInputs({ policy: '', 'user-pool-ids': GOOD, 'fail-on': 'sometimes' })
    await run()
    expect(process.exitCode).toBe(2)
    expect(lines.join('')).toContain(
      'Input \'fail-on\' must be one of violation, new-violation, error, never (got "sometimes")',
    )
    expect(lines.join('')).not.toMatch(/\n\s+at /)
    expect(cognito.calls()).toHaveLength(0)
  })

  it('a malformed policy file exits 2 naming the file and line, before any AWS call', async () => {
    mockAccount()
    const lines = captureStdout()
    const policy = join(dir, 'policy.yml')
    await writeFile(policy, 'version: 1\nregions: [us-east-1]\nthreat-protection:\n  mode: ENFORCE\n')
    setInputs({ policy })
    await run()
    expect(process.exitCode).toBe(2)
    const text = lines.join('')
    expect(text).toContain(`${policy}:4`)
    expect(text).toContain('threat-protection.mode')
    // Pinned to the file and line, so GitHub shows it on the policy file.
    expect(text).toContain(`::error title=Cognito compliance%3A invalid policy,file=${policy},line=4,col=`)
    expect(cognito.calls()).toHaveLength(0)
  })

  it('pre-deploy gate: annotations at the .tf file and line, the SARIF file written and named in sarif-path, no AWS call', async () => {
    mockAccount()
    const lines = captureStdout()
    const sarif = join(dir, 'out', 'code-scanning', 'gate.sarif')
    setInputs({ policy: '', 'terraform-plan': 'test/fixtures/plan/terraform/plan.json', sarif })
    await run()
    expect(process.exitCode).toBe(1)
    const text = lines.join('')
    expect(text).toMatch(/^::error title=[^,\n]+,file=test\/fixtures\/plan\/terraform\/[^,\n]+\.tf,line=\d+::/m)
    const out = await outputs()
    expect(out['sarif-path']).toBe(sarif)
    const log = JSON.parse(await readFile(sarif, 'utf8'))
    expect(log.version).toBe('2.1.0')
    expect(log.runs[0].results.length).toBeGreaterThan(0)
    expect(text).toMatch(new RegExp(`SARIF: ${sarif.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ results?\\)\\.`))
    expect(cognito.calls()).toHaveLength(0)
    // Without the input: no SARIF output.
    await writeFile(join(dir, 'github_output'), '')
    setInputs({ sarif: '' })
    await run()
    expect((await outputs())['sarif-path']).toBeUndefined()
  }, 60_000)

  it('pre-deploy gate: template globs and parameters inputs; the job summary lists the planned pool at its file:line', async () => {
    mockAccount()
    const lines = captureStdout()
    const undecided = /cannot be decided before deploy: [^\n]*AlertTopicArn/i
    setInputs({ policy: '', regions: 'us-east-1', template: 'test/fixtures/plan/cloudformation/short-*.yml' })
    await run()
    const summary = await readFile(join(dir, 'summary.md'), 'utf8')
    expect(summary).toContain('Plan (cloudformation, 1 user pool)')
    expect(summary).toContain(
      '<code>short-forms/Pool</code><br><code>test/fixtures/plan/cloudformation/short-forms.yml:25</code>',
    )
    expect(summary).toMatch(undecided)
    expect(cognito.calls()).toHaveLength(0)
    // The parameter given, its alarm action is known.
    await writeFile(join(dir, 'summary.md'), '')
    setInputs({ parameters: 'AlertTopicArn=arn:aws:sns:us-east-1:123456789012:alerts' })
    await run()
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).not.toMatch(undecided)
    // live: true lays the plan over the (mocked) account: live pools beside the planned one, in one table.
    await writeFile(join(dir, 'summary.md'), '')
    setInputs({ live: 'true' })
    await run()
    const overlay = await readFile(join(dir, 'summary.md'), 'utf8')
    expect(overlay).toContain('already in the account')
    const rows = overlay.split('\n').filter((l) => l.startsWith('| ') && l.includes('<br>'))
    expect(rows).toHaveLength(3)
    expect(rows.filter((r) => r.includes('<sub>live · '))).toHaveLength(2)
    expect(rows.filter((r) => r.includes('<code>short-forms/Pool</code>'))).toHaveLength(1)
    expect(cognito.calls().length).toBeGreaterThan(0)
    cognito.resetHistory()
    // A pattern that matches nothing is bad input.
    setInputs({ template: 'test/fixtures/plan/cloudformation/none-*.yml', parameters: '', live: '' })
    process.exitCode = undefined
    await run()
    expect(process.exitCode).toBe(2)
    expect(lines.join('')).toContain('no file matches')
    expect(cognito.calls()).toHaveLength(0)
  }, 60_000)
})

describe('pull requests from forks', () => {
  const pr = (head: string | undefined) => ({
    repository: { full_name: 'acme/infra', name: 'infra', owner: { login: 'acme' } },
    pull_request: { number: 7, head: { repo: head === undefined ? null : { full_name: head } } },
  })
  it('are told apart from the event payload (head repository differs from the base repository)', () => {
    expect(forkOf(pr('someone/infra'))).toBe('someone/infra')
    expect(forkOf(pr('acme/infra'))).toBeUndefined()
    // A deleted fork has no head repository: not provably a fork, so the comment is tried (and a 403 warns).
    expect(forkOf(pr(undefined))).toBeUndefined()
    expect(forkOf({})).toBeUndefined()
  })
})
