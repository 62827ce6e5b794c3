/**
 * A small, deterministic fuzz suite: policies mutated from the examples (dropped and inserted
 * characters, YAML syntax, control characters, anchors and tags, long values, deep nesting), CLI
 * arguments and action inputs drawn from valid and hostile values. Whatever the input: the exit code is
 * 0, 1 or 2; bad input is exit 2 with one line per problem and never a stack trace or "could not run";
 * no message is longer than a few hundred characters; and no AWS call is made (each run audits the
 * demo snapshot, and a loopback endpoint counts connections). Generated at run time, nothing committed.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { run } from '../../src/main.js'
import { runCli } from '../support/cli.js'

const SNAP = 'examples/snapshots/demo-account.json'
const SEEDS = ['demo', 'minimal', 'strict'].map((n) => readFileSync(`examples/policies/${n}.yml`, 'utf8'))

/** mulberry32: the same cases on every run. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FRAGMENTS = [
  ':',
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '!!binary ',
  '!secret ',
  '<<: *a',
  '\t',
  '\u0000',
  '\u202e',
  '\ufeff',
  '---\n',
  '\n  ',
  '__proto__: 1\n',
  'constructor: {}\n',
  '~',
  'null',
  '-1',
  '1e309',
  '0x10',
  'ENFORCE',
  'us-east-1_',
  'x'.repeat(5_000),
  '[[[[[[[[[[[[[[[[[[[[',
]

function mutate(text: string, random: () => number): string {
  let out = text
  const steps = 1 + Math.floor(random() * 4)
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(random() * (out.length + 1))
    const pick = Math.floor(random() * 4)
    if (pick === 0) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 10))
    else if (pick === 1) out = out.slice(0, at) + FRAGMENTS[Math.floor(random() * FRAGMENTS.length)] + out.slice(at)
    else if (pick === 2) {
      // Repeat a line (duplicate keys, list items).
      const lines = out.split('\n')
      const i = Math.floor(random() * lines.length)
      lines.splice(i, 0, lines[i] ?? '')
      out = lines.join('\n')
    } else {
      // Replace a value after a colon with a hostile one.
      const colon = out.indexOf(': ', at)
      if (colon >= 0) {
        const end = out.indexOf('\n', colon)
        out = `${out.slice(0, colon + 2)}${FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]}${end >= 0 ? out.slice(end) : ''}`
      }
    }
  }
  return out
}

let dir: string
let server: Server
let connections = 0
let endpoint = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fuzz-'))
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

const cli = (argv: string[]) => runCli(argv, { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1' })

/** What every run must satisfy, whatever it was given. */
function expectWellBehaved(r: Awaited<ReturnType<typeof cli>>, what: string): void {
  expect([0, 1, 2], what).toContain(r.code)
  expect(r.err, what).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(r.err, what).not.toContain('could not run')
  if (r.code === 2) {
    const lines = r.err.split('\n').filter(Boolean)
    expect(lines.length, what).toBeGreaterThan(0)
    expect(lines.length, what).toBeLessThanOrEqual(52)
    for (const line of lines) expect(line.length, `${what}: ${line.slice(0, 200)}`).toBeLessThan(700)
    expect(r.out, what).toBe('')
  }
}

describe('fuzzed policies', () => {
  it('120 mutations of the example policies: exit 0, 1 or 2, one line per problem, no AWS call', async () => {
    const random = prng(11)
    const before = connections
    const codes = new Map<number, number>()
    for (let i = 0; i < 120; i++) {
      const text = mutate(SEEDS[i % SEEDS.length] as string, random)
      const file = join(dir, `p${i}.yml`)
      await writeFile(file, text)
      const r = await cli(['audit', '--policy', file, '--snapshot', SNAP, '--json'])
      expectWellBehaved(r, `mutation ${i}: ${JSON.stringify(text.slice(0, 300))}`)
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1)
    }
    expect(connections - before).toBe(0)
    // The mutations reach both sides: some still valid, most refused.
    expect(codes.get(2) ?? 0).toBeGreaterThan(30)
    expect((codes.get(0) ?? 0) + (codes.get(1) ?? 0)).toBeGreaterThan(5)
  })

  it('deep nesting and alias bombs are refused in one pass, not a crash', async () => {
    const cases = [
      `version: 1\nregions: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`,
      `version: 1\nregions: [us-east-1]\nreport: ${'{a: '.repeat(2_000)}1${'}'.repeat(2_000)}\n`,
      [
        'version: 1',
        'regions: [us-east-1]',
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      ].join('\n'),
    ]
    for (const [i, text] of cases.entries()) {
      const file = join(dir, `deep${i}.yml`)
      await writeFile(file, text)
      const r = await cli(['audit', '--policy', file, '--snapshot', SNAP])
      expect(r.code, `case ${i}`).toBe(2)
      expectWellBehaved(r, `case ${i}`)
    }
  })
})

const FLAG_VALUES: Record<string, string[]> = {
  '--region': ['us-east-1', 'mars-1', '', 'us-east-1,,eu-west-1', 'US-EAST-1', 'x'.repeat(3_000), '\u0000'],
  '--pool': ['us-east-1_AbC123', 'bad_id', '', 'us-east-9_Abc', '\u202eus-east-1_x'],
  '--fail-on': ['violation', 'error', 'never', 'VIOLATION', '', 'x'.repeat(2_000)],
  '--lookback': ['24h', '0h', '15d', '-1h', '1e9h', 'h', 'x'.repeat(2_000)],
  '--timeout': ['2s', '0s', '7h', '1h30m', '90', 'forever', '-5m', '1e3s', 'x'.repeat(2_000)],
  '--snapshot': [SNAP, '/dev/null', 'missing.json', '/'],
  '--policy': ['examples/policies/demo.yml', '/dev/null', 'missing.yml', '/'],
}

describe('fuzzed command lines', () => {
  it('60 argument sets: exit 0, 1 or 2 with one clear line, never an AWS call', async () => {
    const random = prng(7)
    const flags = Object.keys(FLAG_VALUES)
    const before = connections
    for (let i = 0; i < 60; i++) {
      const argv = ['audit', '--snapshot', SNAP]
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
        const flag = flags[Math.floor(random() * flags.length)] as string
        const values = FLAG_VALUES[flag] as string[]
        argv.push(flag, values[Math.floor(random() * values.length)] as string)
      }
      if (random() < 0.1) argv.push('--bogus')
      if (random() < 0.1) argv.push('extra')
      const r = await cli(argv)
      expectWellBehaved(r, argv.map((a) => a.slice(0, 40)).join(' '))
    }
    expect(connections - before).toBe(0)
  })
})

describe('fuzzed action inputs', () => {
  const INPUTS: Record<string, string[]> = {
    'fail-on': ['violation', 'bogus', ''],
    timeout: ['30m', '0', 'soon', '2s'],
    lookback: ['24h', 'week'],
    annotations: ['true', 'maybe'],
    'job-summary': ['false', '1'],
    'pr-comment': ['never', 'sometimes'],
    regions: ['us-east-1', 'mars-1', 'x'.repeat(2_000)],
    'user-pool-ids': ['us-east-1_AbC123', 'nope'],
  }

  it('24 input sets: exit code 0, 1 or 2 and one error line per problem, never a stack trace', async () => {
    const random = prng(3)
    const names = Object.keys(INPUTS)
    const before = connections
    const saved = { ...process.env }
    const written: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    try {
      for (let i = 0; i < 24; i++) {
        for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k]
        Object.assign(process.env, {
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL: endpoint,
          AWS_REGION: 'us-east-1',
          INPUT_POLICY: 'examples/policies/demo.yml',
          INPUT_SNAPSHOT: SNAP,
          'INPUT_OUTPUT-DIR': join(dir, `out${i}`),
          'INPUT_JOB-SUMMARY': 'false',
        })
        delete process.env.GITHUB_OUTPUT
        delete process.env.GITHUB_STEP_SUMMARY
        for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
          const name = names[Math.floor(random() * names.length)] as string
          const values = INPUTS[name] as string[]
          process.env[`INPUT_${name.toUpperCase()}`] = values[Math.floor(random() * values.length)] as string
        }
        written.length = 0
        process.exitCode = undefined
        await run()
        const code = Number(process.exitCode ?? 0)
        const log = written.join('')
        expect([0, 1, 2], log.slice(0, 500)).toContain(code)
        expect(log).not.toMatch(/\n\s+at .+:\d+:\d+/)
        expect(log).not.toContain('could not run')
        for (const line of log.split('\n').filter((l) => l.startsWith('::error'))) {
          expect(line.length, line.slice(0, 200)).toBeLessThan(700)
        }
      }
    } finally {
      spy.mockRestore()
      process.exitCode = undefined
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
    }
    expect(connections - before).toBe(0)
  })
})
