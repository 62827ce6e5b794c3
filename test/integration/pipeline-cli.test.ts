/**
 * The CLI end to end, exactly as a user runs it: `npx tsx src/cli.ts audit --policy FILE --out DIR` in a
 * child process whose environment points the standard AWS chain at the sandbox. A violating account
 * gives exit 1, the terminal report and report.json; a malformed policy gives exit 2 with one clear
 * message, no stack trace, and no AWS call.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JsonReport } from '../../src/report/json.js'
import { useSandbox } from './helpers/sandbox.js'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function withoutAws(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('AWS_')),
  )
}

/** Asynchronous on purpose: the sandbox proxy lives in this process and must keep answering. */
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli.ts', ...args], {
      // No AWS_* setting of the outer environment (profiles, endpoints) may reach the child.
      env: { ...withoutAws(process.env), ...env, NO_COLOR: '1', COGNITO_COMPLIANCE_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const POLICY = `version: 1
regions: [us-east-1]
threat-protection:
  mode: ENFORCED
alarms:
  enabled: false
activity:
  enabled: false
`

describe('the CLI against the sandbox', () => {
  const ctx = useSandbox({ scenario: 'test/integration/scenarios/cli.yml' })
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-cli-'))
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('exits 1 on a violating account, prints the report and writes report.json', async () => {
    const policyPath = join(dir, 'policy.yml')
    await writeFile(policyPath, POLICY)
    const out = join(dir, 'out')
    const run = await cli(['audit', '--policy', policyPath, '--out', out, '--no-color'], ctx.sandbox.env)
    const legacy = ctx.seeded.pools['shop-legacy']!
    const compliant = ctx.seeded.pools['shop-compliant']!

    expect(run.code).toBe(1)
    // Terminal report: both pools in the table, the failing one with its finding and remediation, the verdict.
    expect(run.stdout).toContain(`shop-compliant (${compliant})`)
    expect(run.stdout).toContain(`shop-legacy (${legacy})`)
    expect(run.stdout).toMatch(new RegExp(`FAIL \\[threat-protection\\] shop-legacy ${legacy}`))
    expect(run.stdout).toContain('Threat protection is off; the policy requires ENFORCED')
    expect(run.stdout).toContain(`aws cognito-idp update-user-pool --user-pool-id ${legacy}`)
    expect(run.stdout).toMatch(/1 violation in 1 of 2 user pools in 1 region/)
    expect(run.stdout).not.toMatch(/FAIL \[[\w-]+\] shop-compliant/)
    expect(run.stderr).toContain('Gate failed (fail-on: violation): 1 policy violation.')

    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as JsonReport
    expect(report.reportVersion).toBe(1)
    expect(report.verdict).toMatchObject({
      compliant: false,
      failed: true,
      violations: 1,
      errors: 0,
      pools: 2,
      poolsFailing: 1,
    })
    expect(report.verdict.reason).toBe('1 policy violation')
    const failing = report.findings.filter((f) => f.status === 'fail')
    expect(failing.map((f) => [f.checkId, f.poolId])).toEqual([['threat-protection', legacy]])
    expect(report.findings.find((f) => f.checkId === 'cloudtrail-capture')?.status).toBe('pass')
    expect(report.pools.map((p) => p.id).sort()).toEqual([compliant, legacy].sort())
    // The real SDK clients talked to the sandbox over HTTP.
    expect(report.apiCalls['cognito-idp:ListUserPools']).toBeGreaterThanOrEqual(1)
    expect(ctx.sandbox.callCounts()['cognito-idp:DescribeUserPool']).toBeGreaterThanOrEqual(2)
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('shop-legacy')
  })

  it('exits 2 on a malformed policy with one clear line naming file, line and key, before any AWS call', async () => {
    const policyPath = join(dir, 'typo.yml')
    await writeFile(policyPath, 'version: 1\nregions: [us-east-1]\nthreat-protecton:\n  mode: ENFORCED\n')
    ctx.sandbox.clearCalls()
    const run = await cli(['audit', '--policy', policyPath, '--out', join(dir, 'out-typo')], ctx.sandbox.env)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`${policyPath}:3:1: threat-protecton: unknown key (did you mean "threat-protection"?)`)
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
    expect(run.stderr).not.toMatch(/Error:|TypeError|node_modules/)
    expect(run.stdout).toBe('')
    expect(ctx.sandbox.calls()).toEqual([])
  })

  it('exits 2 on a policy that is not valid YAML', async () => {
    const policyPath = join(dir, 'broken.yml')
    await writeFile(policyPath, 'version: 1\nregions: [us-east-1\n')
    const run = await cli(['audit', '--policy', policyPath], ctx.sandbox.env)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(policyPath)
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
    expect(run.stdout).toBe('')
  })
})
