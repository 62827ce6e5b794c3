/**
 * A list that failed to load is not an empty list, through the whole pipeline and the CLI's exit code:
 * an account whose one pool passes every requirement (a throttle alarm on its only app client), audited
 * with `require-blocking: false` so no other requirement reads the app clients. With ListUserPoolClients
 * (or DescribeUserPool, which the listing follows) denied, the throttle-alarm requirement used to pass
 * ("the pool has none") and the run exited 0; it must be an error naming the permission, and exit 1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.js'
import type { JsonReport } from '../../src/report/json.js'
import { usePipelineSandbox } from './helpers/pipeline.js'

const POLICY = `version: 1
regions: [us-east-1]
threat-protection:
  mode: AUDIT
  require-blocking: false
alarms:
  risk: { enabled: false }
  usage: { enabled: false }
cloudtrail:
  enabled: false
activity:
  enabled: false
`

describe('app clients that could not be listed are never "no app clients"', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/failed-lists.yml')
  let dir: string
  let policyPath: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-failed-lists-'))
    policyPath = join(dir, 'policy.yml')
    await writeFile(policyPath, POLICY)
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })
  afterEach(() => {
    ctx.sandbox.faults.clear()
  })

  async function run(name: string): Promise<{ code: number; report: JsonReport }> {
    const out = join(dir, name)
    let stderr = ''
    const code = await main(['audit', '--policy', policyPath, '--out', out], {
      stdout: () => {},
      stderr: (t) => {
        stderr += t
      },
      env: { ...ctx.sandbox.env, AWS_MAX_ATTEMPTS: '2' },
      isTTY: false,
    })
    expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
    const { readFile } = await import('node:fs/promises')
    return { code, report: JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as JsonReport }
  }

  const throttleFindings = (r: JsonReport) => r.findings.filter((f) => f.checkId === 'alarms-throttles')

  it('the account is compliant when every call is answered (exit 0, the throttle alarm passes)', async () => {
    const { code, report } = await run('clean')
    expect(code).toBe(0)
    expect(throttleFindings(report).map((f) => f.status)).toEqual(['pass'])
  })

  for (const operation of ['ListUserPoolClients', 'DescribeUserPool']) {
    it(`${operation} denied: the throttle alarm requirement is error naming the permission, and the run exits 1`, async () => {
      ctx.sandbox.faults.set([{ kind: 'access-denied', service: 'cognito-idp', operation }])
      const { code, report } = await run(operation)
      expect(code).toBe(1)
      const [f, ...more] = throttleFindings(report)
      expect(more).toEqual([])
      expect(f?.status).toBe('error')
      expect(f?.message).toContain(`cognito-idp:${operation}`)
      expect(report.findings.some((x) => x.status === 'pass' && x.checkId === 'alarms-throttles')).toBe(false)
    })
  }
})
