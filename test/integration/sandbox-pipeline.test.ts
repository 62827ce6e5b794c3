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
  ): Promise<{ code: number | null; report?: Report; stderr: string }> {
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
    return { code, report, stderr }
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
})
