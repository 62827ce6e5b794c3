/**
 * Hostile input files and values: a FIFO, a device, a directory, a symbolic link to a FIFO, files over
 * the size limit (generated here, never committed), /proc files that claim size 0, a file that is not a
 * policy, thousands of mistakes and multi-megabyte values. Each is one line, exit 2, no AWS call,
 * quickly, and quotes at most a short excerpt of what the file holds.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli.js'
import { EXCERPT_CHARS, excerpt } from '../../src/errors.js'
import { formatBytes, INPUT_LIMITS, readInputFile } from '../../src/input-file.js'
import { MAX_PROBLEMS_SHOWN, PolicyError } from '../../src/policy/errors.js'
import { loadPolicy, parsePolicy } from '../../src/policy/load.js'

let dir: string
let fifo: string
// A loopback endpoint that counts connections: "no AWS call" means it saw none.
let server: Server
let connections = 0
let endpoint = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostile-'))
  fifo = join(dir, 'policy.fifo')
  execFileSync('mkfifo', [fifo])
  server = createServer((s) => {
    connections++
    s.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

async function cli(...argv: string[]) {
  let out = ''
  let err = ''
  const before = connections
  const started = performance.now()
  const code = await main(argv, {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: endpoint },
    isTTY: false,
  })
  return { code, out, err, ms: performance.now() - started, awsCalls: connections - before }
}

/** Exit 2, exactly one line on stderr, nothing on stdout, no AWS call, well under a second. */
function expectOneLine(r: Awaited<ReturnType<typeof cli>>, line: string): void {
  expect(r.err).toBe(`cognito-compliance: ${line}\n`)
  expect(r.code).toBe(2)
  expect(r.out).toBe('')
  expect(r.awsCalls).toBe(0)
  expect(r.ms).toBeLessThan(1_000)
}

describe('input files that are not regular files, or too big, are refused before reading', () => {
  it('a FIFO (it would block until someone writes to it)', async () => {
    expectOneLine(await cli('audit', '--policy', fifo), `${fifo}: is a named pipe (FIFO), not a policy file`)
    expectOneLine(
      await cli('audit', '--region', 'us-east-1', '--snapshot', fifo),
      `snapshot ${fifo}: is a named pipe (FIFO), not a regular file`,
    )
  })

  it('a symbolic link to a FIFO is judged by what it points to', async () => {
    const link = join(dir, 'link.yml')
    await symlink(fifo, link)
    expectOneLine(await cli('audit', '--policy', link), `${link}: is a named pipe (FIFO), not a policy file`)
  })

  it.skipIf(!existsSync('/dev/zero'))('a device (/dev/zero never ends)', async () => {
    expectOneLine(await cli('audit', '--policy', '/dev/zero'), '/dev/zero: is a character device, not a policy file')
    expectOneLine(
      await cli('audit', '--region', 'us-east-1', '--snapshot', '/dev/zero'),
      'snapshot /dev/zero: is a character device, not a regular file',
    )
  })

  it('a directory', async () => {
    const sub = join(dir, 'a-directory')
    await mkdir(sub)
    expectOneLine(await cli('audit', '--policy', sub), `${sub}: is a directory, not a policy file`)
  })

  it('a policy over the limit (a sparse file: its size is checked, not its content read)', async () => {
    const big = join(dir, 'big.yml')
    await writeFile(big, 'version: 1\n')
    await truncate(big, 5 * 1024 * 1024)
    expectOneLine(
      await cli('audit', '--policy', big),
      `${big}: is 5 MiB, over the ${formatBytes(INPUT_LIMITS.policy)} limit for this file`,
    )
  })

  it('a snapshot over the limit', async () => {
    const big = join(dir, 'big.json')
    await writeFile(big, '{}')
    await truncate(big, INPUT_LIMITS.snapshot + 1)
    const r = await cli('audit', '--region', 'us-east-1', '--snapshot', big)
    expectOneLine(r, `snapshot ${big}: is 64.0 MiB, over the 64 MiB limit for this file`)
  })

  it.skipIf(!existsSync('/proc/self/environ'))(
    'a file that reports size 0 but holds more (/proc) is read only up to the limit',
    async () => {
      await expect(readInputFile('/proc/self/environ', 8)).rejects.toMatchObject({
        name: 'InputFileError',
        message: '/proc/self/environ: is over the 8 bytes limit for this file',
        code: 'ETOOBIG',
      })
    },
  )

  it('a missing file keeps its own message, and the default policy path may be absent', async () => {
    const missing = join(dir, 'nope.yml')
    expectOneLine(
      await cli('audit', '--policy', missing),
      `${missing}: policy file not found (relative paths are resolved from the working directory)`,
    )
    await expect(readInputFile(missing, 10)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('messages never carry a file into the log', () => {
  it.skipIf(!existsSync('/proc/self/environ'))(
    'a policy path pointing at the process environment prints none of it',
    async () => {
      process.env.HOSTILE_TEST_SECRET = 'hunter2-do-not-print'
      try {
        const r = await cli('audit', '--policy', '/proc/self/environ')
        expect(r.code).toBe(2)
        expect(r.err.split('\n').filter(Boolean)).toHaveLength(1)
        expect(r.err).not.toContain('hunter2')
        expect(r.err).not.toContain('PATH=')
      } finally {
        delete process.env.HOSTILE_TEST_SECRET
      }
    },
  )

  it('a file that is a single value is named by kind, not quoted', () => {
    const err = policyError('AKIAEXAMPLEKEYID0000 s3cr3t-v4lue')
    expect(err.message).toContain('not a single string')
    expect(err.message).not.toContain('s3cr3t')
  })

  it('a snapshot that is not JSON says where, never what', async () => {
    const bad = join(dir, 'bad.json')
    await writeFile(bad, '{"schemaVersion": TOKEN-abcdef-secret}')
    const r = await cli('audit', '--region', 'us-east-1', '--snapshot', bad)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^cognito-compliance: snapshot .*bad\.json: not valid JSON/)
    expect(r.err).not.toContain('secret')
  })

  it('an excerpt is short, escapes invisible characters and says how long the value was', () => {
    expect(excerpt('ENFORCE')).toBe('"ENFORCE"')
    expect(excerpt('a\u0000b\u202ec\n')).toBe('"a\\u0000b\\u202ec\\n"')
    const long = excerpt('x'.repeat(5_000_000))
    expect(long).toBe(`"${'x'.repeat(EXCERPT_CHARS)}…" (5000000 characters)`)
  })
})

function policyError(text: string): PolicyError {
  try {
    parsePolicy(text, 'p.yml')
  } catch (e) {
    if (e instanceof PolicyError) return e
    throw e
  }
  throw new Error('the policy was accepted')
}

/** Runs `fn` and returns how long it took, in ms. */
function timed(fn: () => void): number {
  const started = performance.now()
  fn()
  return performance.now() - started
}

const keys = (n: number) =>
  ['version: 1', 'regions: [us-east-1]', ...Array.from({ length: n }, (_, i) => `k${i}: 1`)].join('\n')

// Bounds are generous for a shared 2-core machine; the quadratic versions took 4.5 s for 10,000 keys
// and minutes for 100,000 (the YAML library's duplicate-key check, and a search of the file per problem).
describe('validation is linear in the size of the policy', () => {
  it('a 100,000-key policy file is refused by its size at once', async () => {
    const file = join(dir, 'keys.yml')
    await writeFile(file, keys(100_000))
    let message = ''
    const started = performance.now()
    await loadPolicy({ path: file }).catch((e: Error) => {
      message = e.message
    })
    expect(performance.now() - started).toBeLessThan(500)
    expect(message).toMatch(/^.*keys\.yml: is \d+(\.\d)? KiB, over the 256 KiB limit for this file$/)
  })

  it('thousands of unknown keys: the first 50 problems and a count of the rest; 4× the keys, about 4× the time', () => {
    policyError(keys(2_000)) // warm up
    let err: PolicyError | undefined
    const small = timed(() => policyError(keys(6_000)))
    const large = timed(() => {
      err = policyError(keys(24_000))
    })
    // Quadratic work would take 16× as long; linear work about 4×.
    expect(large / small).toBeLessThan(8)
    expect(large).toBeLessThan(5_000)
    const lines = err!.message.split('\n')
    expect(lines).toHaveLength(MAX_PROBLEMS_SHOWN + 1)
    expect(lines[0]).toMatch(/^p\.yml:3:1: k0: unknown key; allowed keys: version, regions/)
    expect(lines.at(-1)).toBe(`p.yml: ${24_000 - MAX_PROBLEMS_SHOWN} more problems not shown`)
  })

  it('20,000 repeated keys are found in one pass, each at its line', () => {
    const text = ['version: 1', 'regions: [us-east-1]', ...Array.from({ length: 20_000 }, () => 'report: {}')].join(
      '\n',
    )
    let err: PolicyError | undefined
    expect(
      timed(() => {
        err = policyError(text)
      }),
    ).toBeLessThan(3_000)
    expect(err!.problems[0]!.line).toBe(4)
    expect(err!.message).toContain('p.yml:4:1: report: duplicate key "report"')
  })

  for (const [what, text] of [
    ['one 5 MB string', `version: 1\nregions: [us-east-1]\nthreat-protection: "${'x'.repeat(5_000_000)}"\n`],
    ['a 5 MB exemption reason', exemption({ reason: 'r'.repeat(5_000_000) })],
    ['a 5 MB requirement name', exemption({ requirement: 'q'.repeat(5_000_000) })],
  ] as const) {
    it(`${what}: answered in seconds, quoted as a 40-character excerpt`, () => {
      let err: PolicyError | undefined
      expect(
        timed(() => {
          err = policyError(text)
        }),
      ).toBeLessThan(5_000)
      expect(err!.message.length).toBeLessThan(400)
      expect(err!.message).not.toMatch(/(.)\1{41}/)
    })
  }
})

function exemption(fields: { reason?: string; requirement?: string }): string {
  return [
    'version: 1',
    'regions: [us-east-1]',
    'exemptions:',
    '  - pool: us-east-1_AbC123',
    `    requirement: ${fields.requirement ?? 'alarms'}`,
    `    reason: ${fields.reason ?? 'accepted'}`,
  ].join('\n')
}

describe('a file that fails to parse as YAML is never quoted', () => {
  it('tags, aliases and escapes from the file are left out of the library messages', () => {
    for (const text of [
      'a: !supersecrettag x',
      'a: "abc\\qsecretvalue"',
      'a: *secretalias',
      'a: !!str\n  - secret=hunter2',
    ]) {
      const message = policyError(text).message
      expect(message, text).toMatch(/^p\.yml:\d+:\d+: YAML (syntax )?error: /)
      expect(message, text).not.toMatch(/secret|hunter2/)
    }
  })
})
