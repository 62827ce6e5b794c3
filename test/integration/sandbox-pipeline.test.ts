/**
 * The whole pipeline (the CLI, as a user runs it) against the sandbox under faults:
 * with every operation throttled half the time the verdicts are identical; with one
 * permission denied the affected requirement is an `error` naming that permission and
 * the run fails closed; nothing crashes.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { useSandbox } from './helpers/sandbox.js'

interface Report {
  verdict: { failed: boolean; violations: number; errors: number }
  findings: {
    checkId: string
    status: string
    region?: string
    poolName?: string
    message: string
    evidence?: { metric?: string }
  }[]
}

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('the audit pipeline against the sandbox', () => {
  const ctx = useSandbox({ region: 'us-east-1', scenario: 'examples/demo-account.yml' })

  async function audit(
    extraEnv: Record<string, string> = {},
  ): Promise<{ code: number | null; report?: Report; summary?: string; stderr: string }> {
    const out = await mkdtemp(join(tmpdir(), 'cca-pipeline-'))
    dirs.push(out)
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v
    Object.assign(env, ctx.sandbox.env, { GITHUB_STEP_SUMMARY: join(out, 'job-summary.md') }, extraEnv)
    const args = ['--import', 'tsx', 'src/cli.ts', 'audit', '--policy', 'examples/policies/demo.yml', '--out', out]
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    const code = await new Promise<number | null>((r) => child.once('exit', r))
    const report = await readFile(join(out, 'report.json'), 'utf8').then(
      (t) => JSON.parse(t) as Report,
      () => undefined,
    )
    const summary = await readFile(join(out, 'summary.md'), 'utf8').catch(() => undefined)
    return { code, report, summary, stderr }
  }

  /** Each finding as `check|region|pool|metric=status`, sorted: what must not change under faults. */
  const verdicts = (r: Report) =>
    r.findings
      .map((f) => `${f.checkId}|${f.region ?? ''}|${f.poolName ?? ''}|${f.evidence?.metric ?? ''}=${f.status}`)
      .sort()

  let baseline: Report

  it('runs and fails the demo account on its violations', async () => {
    const { code, report, stderr } = await audit()
    expect(code, stderr).toBe(1)
    baseline = report!
    expect(baseline.verdict.failed).toBe(true)
    expect(baseline.verdict.errors).toBe(0)
    const status = (check: string, pool: string) =>
      baseline.findings.filter((f) => f.checkId === check && f.poolName === pool).map((f) => f.status)
    expect(status('threat-protection', 'legacy-admin')).toContain('fail')
    expect(status('threat-protection', 'shop-customers')).toEqual(['pass'])
    expect(status('alarms-risk', 'partner-portal')).toContain('fail')
  })

  it('gives identical verdicts when every operation is throttled half the time', async () => {
    ctx.sandbox.clearCalls()
    ctx.sandbox.faults.set([{ kind: 'throttle', probability: 0.5 }])
    try {
      // With the default 8 attempts a call stays throttled with probability 0.5^8 = 1/256, and a run makes
      // ~40 calls: about one run in ten would show one `error`. 12 attempts make that about one in a hundred.
      const { code, report, stderr } = await audit({ AWS_MAX_ATTEMPTS: '12' })
      expect(code, stderr).toBe(1)
      const errors = report!.findings.filter((f) => f.status === 'error').map((f) => `${f.checkId}: ${f.message}`)
      expect(verdicts(report!), errors.join('\n')).toEqual(verdicts(baseline))
    } finally {
      ctx.sandbox.faults.clear()
    }
    const throttled = ctx.sandbox.calls().filter((c) => c.fault === 'throttle')
    expect(throttled.length).toBeGreaterThan(5)
  })

  it('reports a denied permission as an error naming it, and fails closed', async () => {
    ctx.sandbox.faults.set([{ kind: 'access-denied', service: 'cloudwatch', operation: 'DescribeAlarms' }])
    try {
      const { code, report, stderr } = await audit()
      expect(code, stderr).toBe(1)
      expect(report!.verdict.failed).toBe(true)
      expect(report!.verdict.errors).toBeGreaterThan(0)
      const alarms = report!.findings.filter((f) => f.checkId.startsWith('alarms'))
      expect(alarms.length).toBeGreaterThan(0)
      // Nothing about alarms can be verified: no alarm finding may pass.
      expect(alarms.filter((f) => f.status === 'pass')).toEqual([])
      const errors = alarms.filter((f) => f.status === 'error')
      expect(errors.length).toBeGreaterThan(0)
      expect(
        errors.every((f) => f.message.includes('cloudwatch:DescribeAlarms')),
        JSON.stringify(errors),
      ).toBe(true)
    } finally {
      ctx.sandbox.faults.clear()
    }
  })

  it('reports denied DescribeRiskConfiguration as errors, never as compliant', async () => {
    ctx.sandbox.faults.set([{ kind: 'access-denied', operation: 'DescribeRiskConfiguration' }])
    try {
      const { code, report, stderr } = await audit()
      expect(code, stderr).toBe(1)
      const shop = report!.findings.filter((f) => f.poolName === 'shop-customers' && f.status === 'error')
      expect(shop.length).toBeGreaterThan(0)
      expect(shop.some((f) => f.message.includes('cognito-idp:DescribeRiskConfiguration'))).toBe(true)
    } finally {
      ctx.sandbox.faults.clear()
    }
  })

  /** The method section's request-rate line of a region. */
  const rateLine = (summary: string | undefined, region: string) =>
    summary?.split('\n').find((l) => l.startsWith(`  - <code>${region}</code>:`) && l.includes('cognito:UserPoolRead'))

  it("spends the share of the account's raised quotas and says so in the method section", async () => {
    ctx.sandbox.seedState({ serviceQuotas: { 'us-east-1': { UserPoolRead: 40, UserPoolClientRead: 30 } } })
    ctx.sandbox.clearCalls()
    try {
      const { code, report, summary, stderr } = await audit()
      expect(code, stderr).toBe(1)
      expect(verdicts(report!)).toEqual(verdicts(baseline))
      expect(summary).toContain('- Request rates: at most 50 % of each per-region quota')
      const line = rateLine(summary, 'us-east-1')
      expect(line, summary).toContain('cognito:UserPoolRead 20/s of 40/s applied')
      expect(line).toContain('cognito:UserPoolClientRead 15/s of 30/s applied')
      // CloudWatch and CloudTrail are not read from Service Quotas: their defaults, not marked applied.
      expect(line).toContain('cloudwatch:DescribeAlarms 4.5/s of 9/s,')
      expect(line).not.toContain('Service Quotas not read')
      expect(stderr).not.toContain('Service Quotas could not be read')
      // Answered by the sandbox at once (moto's 500 cost a retry per region).
      const sq = ctx.sandbox.calls().filter((c) => c.operation === 'ListServiceQuotas')
      expect(sq.map((c) => `${c.service} ${c.region} ${c.status}`).sort()).toEqual([
        'servicequotas eu-west-1 200',
        'servicequotas us-east-1 200',
      ])
      // The other region answers AWS's defaults as its applied values: the same rates as without Service Quotas.
      expect(rateLine(summary, 'eu-west-1')).toContain('cognito:UserPoolRead 7.5/s of 15/s applied')
    } finally {
      ctx.sandbox.proxy.state.serviceQuotas.clear()
    }
  })

  it('falls back to the default quotas with one notice when ListServiceQuotas is denied', async () => {
    ctx.sandbox.seedState({ serviceQuotas: { 'us-east-1': 'denied' } })
    try {
      const { code, report, summary, stderr } = await audit()
      // The audit goes on: same verdicts, no error finding from the denied quota read.
      expect(code, stderr).toBe(1)
      expect(verdicts(report!)).toEqual(verdicts(baseline))
      const line = rateLine(summary, 'us-east-1')
      expect(line, summary).toContain('cognito:UserPoolRead 7.5/s of 15/s,')
      expect(line).not.toContain('applied')
      expect(line).toContain('(Service Quotas not read (AccessDeniedException): AWS default quotas)')
      expect(stderr.match(/Service Quotas could not be read/g), stderr).toHaveLength(1)
      expect(stderr).toContain('Service Quotas could not be read in us-east-1 (AccessDeniedException)')
    } finally {
      ctx.sandbox.proxy.state.serviceQuotas.clear()
    }
  })
})
