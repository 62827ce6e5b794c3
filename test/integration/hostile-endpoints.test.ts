/**
 * Endpoints that never end a request, on 127.0.0.1: one that accepts the connection and never answers,
 * one that sends its headers a byte at a time, one that sends its body a byte at a time, and one that
 * throttles every call. Every audit with `--timeout 2s` ends in about 2 s with exit 1, says why, and
 * reports what it could not collect as `error`; the SDK clients' own request and idle-socket timeouts
 * fail an attempt without any deadline; AWS_MAX_ATTEMPTS cannot raise the retry budget past the cap.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.js'
import { createClients, MAX_ATTEMPTS } from '../../src/sources/aws/clients.js'

type Behaviour = 'silent' | 'drip-headers' | 'drip-body' | 'throttle' | 'empty'

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n'

interface Hostile {
  url: string
  /** Connections accepted so far (one per attempt: nothing here is ever kept alive). */
  connections: number
  close(): Promise<void>
}

async function hostile(behaviour: Behaviour, dripMs = 100): Promise<Hostile> {
  const sockets = new Set<Socket>()
  const state = { connections: 0 }
  const server: Server = createServer((socket) => {
    state.connections++
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    if (behaviour === 'silent') return
    if (behaviour === 'empty') {
      // Every call answered `200 {}`: a listing of no pools, in every region.
      socket.once('data', () => {
        socket.end(
          'HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
        )
      })
      return
    }
    if (behaviour === 'throttle') {
      socket.once('data', () => {
        const body = '{"__type":"TooManyRequestsException","message":"Rate exceeded"}'
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
        )
      })
      return
    }
    // Headers that never end, or complete headers and a body that never ends: one byte per tick.
    const text =
      behaviour === 'drip-headers'
        ? `${HEAD}X-Padding: ${'a'.repeat(1_000_000)}`
        : `${HEAD}Content-Length: 1000000\r\n\r\n{"UserPools":[]${' '.repeat(1_000_000)}`
    let i = 0
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(text.charAt(i++))
    }, dripMs)
    socket.on('close', () => clearInterval(timer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return state.connections
    },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_MAX_ATTEMPTS',
  'AWS_PROFILE',
]
const saved: Record<string, string | undefined> = {}
beforeAll(() => {
  for (const k of ENV_KEYS) saved[k] = process.env[k]
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDUMMYDUMMYDUMMY00',
    AWS_SECRET_ACCESS_KEY: 'dummy-secret',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  delete process.env.AWS_PROFILE
})
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

let server: Hostile | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
  delete process.env.AWS_MAX_ATTEMPTS
})

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  let stdout = ''
  let stderr = ''
  const started = performance.now()
  const code = await main(args, {
    stdout: (t) => {
      stdout += t
    },
    stderr: (t) => {
      stderr += t
    },
    env: process.env,
    isTTY: false,
  })
  return { code, stdout, stderr, ms: performance.now() - started }
}

describe('an audit against an endpoint that never finishes a response', () => {
  for (const behaviour of ['silent', 'drip-headers', 'drip-body', 'throttle'] as const) {
    it(`${behaviour}: --timeout 2s ends in about 2 s with exit 1, and nothing unverified passes`, async () => {
      server = await hostile(behaviour)
      process.env.AWS_ENDPOINT_URL = server.url
      // With 1000 attempts the throttled call would retry for hours; the cap and the deadline bound it.
      if (behaviour === 'throttle') process.env.AWS_MAX_ATTEMPTS = '1000'
      const run = await cli(['audit', '--region', 'us-east-1,eu-west-1', '--timeout', '2s', '--json'])
      expect(run.code).toBe(1)
      expect(run.ms).toBeGreaterThanOrEqual(1_900)
      expect(run.ms).toBeLessThan(4_000)
      expect(run.stderr).toContain(
        'Gate failed (fail-on: violation): the audit did not finish within its time limit (2 s).',
      )
      const report = JSON.parse(run.stdout)
      expect(report.verdict.compliant).toBe(false)
      expect(report.verdict.timeLimitReached).toBe(true)
      const errors = report.findings.filter((f: { status: string }) => f.status === 'error')
      // The pool list of each region failed to load, so every requirement judged there is an error of its
      // own (a failed list is not an empty one), each naming the call the time limit cut off.
      const byRegion = (r: string) => errors.filter((f: { region: string }) => f.region === r)
      for (const region of ['eu-west-1', 'us-east-1']) {
        const checks = byRegion(region).map((f: { checkId: string }) => f.checkId)
        expect(checks).toEqual(expect.arrayContaining(['pool-exists', 'threat-protection', 'cloudtrail-capture']))
      }
      expect(errors).toHaveLength(byRegion('eu-west-1').length + byRegion('us-east-1').length)
      for (const f of errors) expect(f.message).toContain('not collected within the time limit (2 s)')
      expect(report.findings.filter((f: { status: string }) => f.status === 'pass')).toEqual([])
      expect(server.connections).toBeGreaterThan(0)
    })
  }

  it('the time limit fails the run even with --fail-on never (its report is incomplete)', async () => {
    server = await hostile('silent')
    process.env.AWS_ENDPOINT_URL = server.url
    const run = await cli(['audit', '--region', 'us-east-1', '--timeout', '1s', '--fail-on', 'never'])
    expect(run.code).toBe(1)
    expect(run.ms).toBeLessThan(3_000)
  })
})

describe('an endpoint that answers 200 {} to everything', () => {
  it('is an audit of nothing: not compliant, exit 1, the headline says so; allow-none makes it pass', async () => {
    server = await hostile('empty')
    process.env.AWS_ENDPOINT_URL = server.url
    const run = await cli(['audit', '--region', 'us-east-1,eu-west-1', '--no-color'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('⚠️ No user pools found in eu-west-1, us-east-1: nothing was audited\n')
    expect(run.stderr).toContain('Gate failed (fail-on: violation): 1 requirement could not be verified.')
    const json = JSON.parse((await cli(['audit', '--region', 'us-east-1', '--json'])).stdout)
    expect(json.verdict.compliant).toBe(false)
    const policy = `${await mkdtemp(`${tmpdir()}/none-`)}/policy.yml`
    await writeFile(policy, 'version: 1\nregions: [us-east-1]\npools: { allow-none: true }\n')
    const allowed = await cli(['audit', '--policy', policy, '--no-color'])
    expect(allowed.code).toBe(0)
    expect(allowed.stdout).toContain(
      '✅ No user pools found in us-east-1: nothing was audited (the policy allows none)',
    )
  })
})

describe('the SDK clients bound every attempt without a deadline', () => {
  const listPools = (http: Parameters<typeof createClients>[0]) =>
    createClients({ quotas: false, ...http })
      .cognito('us-east-1')
      .send(new ListUserPoolsCommand({ MaxResults: 60 }))

  it('a server that never answers: the request timeout fails each attempt (throwOnRequestTimeout), then the call', async () => {
    server = await hostile('silent')
    process.env.AWS_ENDPOINT_URL = server.url
    const started = performance.now()
    const err = await listPools({ maxAttempts: 2, http: { requestTimeout: 300, socketTimeout: 0 } }).catch(
      (e: unknown) => e as Error & { $metadata?: { attempts?: number } },
    )
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).name).toBe('TimeoutError')
    expect((err as Error).message).toContain('requestTimeout')
    expect(server.connections).toBe(2)
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('headers dripped a byte at a time: the request timeout fails the attempt although the socket is never idle', async () => {
    server = await hostile('drip-headers', 20)
    process.env.AWS_ENDPOINT_URL = server.url
    const err = await listPools({ maxAttempts: 1, http: { requestTimeout: 400, socketTimeout: 0 } }).catch(
      (e: unknown) => e as Error,
    )
    expect((err as Error).name).toBe('TimeoutError')
    expect((err as Error).message).toContain('requestTimeout')
  })

  it('a body that pauses longer than the idle-socket timeout fails the attempt', async () => {
    server = await hostile('drip-body', 500)
    process.env.AWS_ENDPOINT_URL = server.url
    const started = performance.now()
    const err = await listPools({ maxAttempts: 1, http: { requestTimeout: 0, socketTimeout: 200 } }).catch(
      (e: unknown) => e as Error,
    )
    expect(err).toBeInstanceOf(Error)
    expect(String((err as Error).message)).toMatch(/timed out|aborted|socket hang up|ECONNRESET/i)
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it(`AWS_MAX_ATTEMPTS=1000 is capped at ${MAX_ATTEMPTS} attempts; a smaller value is kept`, async () => {
    process.env.AWS_MAX_ATTEMPTS = '1000'
    expect(await createClients().cognito('us-east-1').config.maxAttempts()).toBe(MAX_ATTEMPTS)
    process.env.AWS_MAX_ATTEMPTS = '2'
    expect(await createClients().cloudtrail('us-east-1').config.maxAttempts()).toBe(2)
  })
})
