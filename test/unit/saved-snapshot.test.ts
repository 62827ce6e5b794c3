/**
 * Saved snapshots are validated before anything reads them: against the schema generated from the
 * snapshot types (which must be current), then for duplicates and region mismatches; a `__proto__` key
 * is refused while parsing. A malformed snapshot is one line, exit 2, no AWS call and never a crash;
 * a fuzz of mutated snapshots holds to that.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SNAPSHOT_SCHEMA_PATH, snapshotSchema } from '../../scripts/write-snapshot-schema.js'
import { main } from '../../src/cli.js'
import { upgradeSnapshot } from '../../src/sources/saved/upgrade.js'

const DEMO = 'examples/snapshots/demo-account.json'
const POLICY = 'examples/policies/demo.yml'
const demo = () => JSON.parse(readFileSync(DEMO, 'utf8'))

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapshots-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let n = 0
async function audit(snapshot: unknown | string) {
  const file = join(dir, `s${n++}.json`)
  await writeFile(file, typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot))
  let out = ''
  let err = ''
  const code = await main(['audit', '--policy', POLICY, '--snapshot', file, '--json'], {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
    // No endpoint at all: a snapshot run makes no AWS call, and one would fail loudly here.
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    isTTY: false,
  })
  return { code, out, err, file }
}

async function refused(snapshot: unknown | string, message: string) {
  const r = await audit(snapshot)
  expect(r.err).toBe(`cognito-compliance: snapshot ${r.file}: ${message}\n`)
  expect(r.code).toBe(2)
  expect(r.out).toBe('')
}

describe('the snapshot schema', () => {
  it('is generated from the snapshot types and current (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(SNAPSHOT_SCHEMA_PATH, 'utf8')
    expect(committed, `${SNAPSHOT_SCHEMA_PATH} is stale: run \`npm run schema\``).toBe(
      `${JSON.stringify(snapshotSchema(), null, 2)}\n`,
    )
  }, 30_000)

  it('accepts the demo snapshot and the fixtures', async () => {
    expect((await audit(demo())).code).toBe(1)
    for (const f of ['compliant', 'violations']) {
      const r = await audit(readFileSync(`test/fixtures/snapshots/${f}.json`, 'utf8'))
      expect(r.err).not.toMatch(/^cognito-compliance: snapshot/m)
    }
  })
})

describe('schema versions', () => {
  const throttles = (out: string) =>
    (
      JSON.parse(out) as { findings: Array<{ checkId: string; poolId?: string; status: string; message: string }> }
    ).findings.filter((f) => f.checkId === 'alarms-throttles')

  it('reads a version 1 file: an empty list with its error is a failed list, never "none"', async () => {
    // The committed demo snapshot is of version 1.
    expect(demo().schemaVersion).toBe(1)
    const clean = await audit(demo())
    const partner = throttles(clean.out).find((f) => f.status === 'pass')!
    expect(partner).toBeDefined()
    // Version 1 wrote a denied ListUserPoolClients as no clients plus the error.
    const s = demo()
    const p = s.regions
      .flatMap((r: { cognito: { pools: Array<Record<string, unknown>> } }) => r.cognito.pools)
      .find((x: Record<string, unknown>) => x.id === partner.poolId)
    p.clients = []
    p.errors = [
      {
        service: 'cognito-idp',
        action: 'ListUserPoolClients',
        code: 'AccessDeniedException',
        message: 'denied',
        region: p.region,
        resource: p.id,
      },
    ]
    const r = await audit(s)
    expect(r.err).not.toMatch(/^cognito-compliance: snapshot/m)
    const f = throttles(r.out).find((x) => x.poolId === partner.poolId)!
    expect(f.status).toBe('error')
    expect(f.message).toContain('cognito-idp:ListUserPoolClients')
    expect(r.code).toBe(1)
  })

  it('reads version 2 the same as the version 1 it was upgraded from', async () => {
    const v1 = await audit(demo())
    const v2 = await audit(upgradeSnapshot(demo()))
    const plain = (out: string) => (JSON.parse(out) as { findings: unknown[] }).findings
    expect(plain(v2.out)).toEqual(plain(v1.out))
    expect(v2.code).toBe(v1.code)
  })

  it('refuses any other version with one line', async () => {
    await refused(
      { ...demo(), schemaVersion: 3 },
      'schemaVersion 3 is not supported (this version reads snapshots of version 1 and 2)',
    )
    await refused(
      { ...demo(), schemaVersion: '2' },
      'schemaVersion "2" is not supported (this version reads snapshots of version 1 and 2)',
    )
  })
})

describe('a malformed snapshot is one line and exit 2', () => {
  it('a region listed twice', async () => {
    const s = demo()
    s.regions.push(s.regions[0])
    await refused(
      s,
      `regions[${s.regions.length - 1}]: region "${s.regions[0].region}" is listed twice (also regions[0])`,
    )
  })

  it('a pool whose region differs from its region entry, or whose id names another region', async () => {
    const s = demo()
    const p = s.regions[0].cognito.pools[0]
    p.region = 'eu-central-1'
    await refused(
      s,
      `regions[0].cognito.pools[0]: the pool's region "eu-central-1" differs from its region entry "${s.regions[0].region}"`,
    )
    const t = demo()
    t.regions[0].cognito.pools[0].id = 'eu-central-1_Moved'
    await refused(
      t,
      `regions[0].cognito.pools[0]: pool id "eu-central-1_Moved" is not a pool of "${t.regions[0].region}"`,
    )
  })

  it('a pool listed twice', async () => {
    const s = demo()
    s.regions[0].cognito.pools.push(s.regions[0].cognito.pools[0])
    const j = s.regions[0].cognito.pools.length - 1
    await refused(
      s,
      `regions[0].cognito.pools[${j}]: pool "${s.regions[0].cognito.pools[0].id}" is listed twice (also regions[0].cognito.pools[0])`,
    )
  })

  it('collectedAt that is not a date', async () => {
    await refused(
      { ...demo(), collectedAt: 'last tuesday' },
      'collectedAt must be an ISO date and time (got "last tuesday")',
    )
  })

  it('a __proto__ key anywhere', async () => {
    const text = JSON.stringify(demo()).replace('"regions":[', '"regions":[{"__proto__":{"polluted":true}},')
    await refused(text, 'holds a "__proto__" key, which a snapshot never has')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('the forbidden key named is the one met first by a reviving parse (innermost), at any depth', async () => {
    // The snapshot is parsed plainly and searched afterwards; the message must not depend on that order.
    const nested = JSON.stringify(demo()).replace(
      '"regions":[',
      '"regions":[{"constructor":{"prototype":{"x":1},"__proto__":{"y":2}}},',
    )
    await refused(nested, 'holds a "prototype" key, which a snapshot never has')
    const deep = `{"a":${'['.repeat(300)}{"__proto__":1}${']'.repeat(300)}}`
    await refused(deep, 'holds a "__proto__" key, which a snapshot never has')
    const escaped = JSON.stringify(demo()).replace('"regions":[', '"regions":[{"\\u005f_proto__":{}},')
    await refused(escaped, 'holds a "__proto__" key, which a snapshot never has')
  })

  it('null where an object is expected (it used to crash "Cannot read properties of null")', async () => {
    const s = demo()
    s.regions[0].cognito.pools[0] = null
    await refused(s, 'regions[0].cognito.pools[0] must be an object (got null)')
    const t = demo()
    t.regions[0].alarms = null
    await refused(t, 'regions[0].alarms must be an object (got null)')
  })

  it('an unknown field, a wrong enum, a missing field', async () => {
    const s = demo()
    s.regions[0].cognito.pools[0].advancedSecurityMode = 'MAXIMUM'
    await refused(
      s,
      'regions[0].cognito.pools[0].advancedSecurityMode must be one of OFF, AUDIT, ENFORCED (got "MAXIMUM")',
    )
    const t = demo()
    t.regions[0].cognitoo = {}
    await refused(t, 'regions[0]: unknown field "cognitoo" (not a snapshot written by --save-snapshot?)')
    const u = demo()
    delete u.regions[0].cognito.errors
    await refused(u, 'regions[0].cognito.errors is missing')
  })

  it('text that is not JSON says where, never what', async () => {
    await refused('{"schemaVersion": 1, "token": SECRET-abc}', 'not valid JSON')
  })
})

/** mulberry32. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOSTILE: unknown[] = [null, 0, -1, '', 'x'.repeat(3_000), [], {}, true, '2026-13-45T99:00:00Z', { __x: 1 }]

/** Every object and array in the value, with a way to change one of its entries. */
function slots(v: unknown, out: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = []) {
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      out.push({ parent: v, key: i })
      slots(x, out)
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k })
      slots(x, out)
    }
  }
  return out
}

describe('fuzzed snapshots', () => {
  it('60 mutated snapshots: exit 0, 1 or 2, one line when refused, never a crash or a stack trace', async () => {
    const random = prng(5)
    const codes = new Map<number, number>()
    for (let i = 0; i < 60; i++) {
      const s = demo()
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
        const all = slots(s)
        const slot = all[Math.floor(random() * all.length)]!
        const parent = slot.parent as Record<string | number, unknown>
        if (random() < 0.3 && !Array.isArray(slot.parent)) delete parent[slot.key]
        else parent[slot.key] = structuredClone(HOSTILE[Math.floor(random() * HOSTILE.length)])
      }
      const r = await audit(s)
      expect([0, 1, 2]).toContain(r.code)
      expect(r.err).not.toContain('could not run')
      expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+/)
      if (r.code === 2) {
        expect(r.err.split('\n').filter(Boolean)).toHaveLength(1)
        expect(r.err.length).toBeLessThan(500)
      }
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1)
    }
    expect(codes.get(2) ?? 0).toBeGreaterThan(30)
  })
})

describe('a saved snapshot that cannot answer the policy is never a pass', () => {
  /** The demo policy over us-east-1, where the demo snapshot passes everything. */
  async function usEast(s: unknown) {
    const file = join(dir, `g${n++}.json`)
    await writeFile(file, JSON.stringify(s))
    let out = ''
    const code = await main(['audit', '--policy', POLICY, '--region', 'us-east-1', '--snapshot', file, '--json'], {
      stdout: (t) => {
        out += t
      },
      stderr: () => {},
      env: { AWS_EC2_METADATA_DISABLED: 'true' },
      isTTY: false,
    })
    const report = JSON.parse(out) as { findings: Array<{ checkId: string; status: string; message: string }> }
    return { code, findings: report.findings }
  }
  const us = (s: { regions: Array<{ region: string }> }) =>
    s.regions.find((r) => r.region === 'us-east-1') as unknown as Record<string, Record<string, unknown>>

  it('the baseline passes', async () => {
    const r = await usEast(demo())
    expect(r.code).toBe(0)
    expect(r.findings.filter((f) => f.status !== 'pass')).toEqual([])
  })

  it('without alarms.usageMetrics the alarms cannot be credited: error, naming what is missing', async () => {
    const s = demo()
    delete us(s).alarms!.usageMetrics
    const r = await usEast(s)
    expect(r.code).toBe(1)
    const alarms = r.findings.filter((f) => f.checkId.startsWith('alarms-'))
    expect(alarms.length).toBeGreaterThan(0)
    for (const f of alarms) {
      expect(f.status).toBe('error')
      expect(f.message).toContain(
        'The saved snapshot lacks the AWS/Usage ThrottleCount metric list (alarms.usageMetrics)',
      )
    }
  })

  it('without alarms.cognitoMetrics (collected with risk and throttle alarms off): error', async () => {
    const s = demo()
    delete us(s).alarms!.cognitoMetrics
    const r = await usEast(s)
    expect(r.code).toBe(1)
    expect(r.findings.find((f) => f.checkId === 'alarms-risk')?.message).toContain('(alarms.cognitoMetrics)')
  })

  it('a 1 h activity window audited with a 24 h lookback: error, naming both', async () => {
    const s = demo()
    ;(us(s).activity!.window as { hours: number }).hours = 1
    const r = await usEast(s)
    expect(r.code).toBe(1)
    const activity = r.findings.filter((f) => f.checkId.startsWith('activity-'))
    expect(activity.length).toBeGreaterThan(0)
    for (const f of activity) {
      expect(f.status).toBe('error')
      expect(f.message).toContain('The saved snapshot holds 1 h of activity; the policy asks for 24 h.')
    }
  })

  /** The demo policy with another `activity.lookback`, over us-east-1, writing the summary too. */
  async function withLookback(s: unknown, lookback: string) {
    const file = join(dir, `w${n}.json`)
    const out = join(dir, `out${n++}`)
    await writeFile(file, JSON.stringify(s))
    let json = ''
    let err = ''
    const policy = join(dir, `p${n}.yml`)
    await writeFile(policy, readFileSync(POLICY, 'utf8').replace('lookback: 24h', `lookback: ${lookback}`))
    const argv = ['audit', '--policy', policy, '--region', 'us-east-1', '--snapshot', file]
    const code = await main([...argv, '--json', '--out', out], {
      stdout: (t) => {
        json += t
      },
      stderr: (t) => {
        err += t
      },
      env: { AWS_EC2_METADATA_DISABLED: 'true' },
      isTTY: false,
    })
    expect(err).not.toMatch(/error|stack/i)
    const summary = readFileSync(join(out, 'summary.md'), 'utf8')
    const report = JSON.parse(json) as { findings: Array<{ checkId: string; status: string; message: string }> }
    const method = summary.split('\n').find((l) => l.startsWith('- Activity:')) ?? ''
    return { code, findings: report.findings, method }
  }

  it('24 h of activity audited with a 72 h lookback: the thresholds are errors, never judged over 24 h, and the method says 24 h', async () => {
    const s = demo()
    s.collected = { cloudtrail: true, activity: { lookbackHours: 24, eventPages: 40, personalData: false } }
    const r = await withLookback(s, '72h')
    expect(r.code).toBe(1)
    const activity = r.findings.filter((f) => f.checkId.startsWith('activity-'))
    expect(activity.length).toBeGreaterThan(0)
    for (const f of activity) {
      expect(f.status).toBe('error')
      expect(f.message).toContain('The saved snapshot holds 24 h of activity; the policy asks for 72 h.')
    }
    expect(r.method).toContain('metrics over the last 24 h ending at the last whole hour')
    expect(r.method).toContain('the policy asks for 72 h, so no activity threshold is judged')
    expect(r.method).not.toContain('last 72 h')
  })

  it('a snapshot without the collection record (older ones) is judged by the window its data covers', async () => {
    const s = demo()
    expect(s.collected).toBeUndefined()
    const r = await withLookback(s, '72h')
    expect(r.code).toBe(1)
    for (const f of r.findings.filter((x) => x.checkId.startsWith('activity-')))
      expect(f.message).toContain('The saved snapshot holds 24 h of activity; the policy asks for 72 h.')
    expect(r.method).toContain('over the last 24 h')
  })

  it('the same snapshot with the lookback it holds: judged, and the method states 24 h as before', async () => {
    const r = await withLookback(demo(), '24h')
    expect(r.code).toBe(0)
    expect(r.findings.filter((f) => f.checkId.startsWith('activity-')).every((f) => f.status === 'pass')).toBe(true)
    expect(r.method).toContain('metrics over the last 24 h ending at the last whole hour (hourly;')
    expect(r.method).not.toContain('the policy asks for')
  })

  it('collected with event-pages 0, audited with the default 40: error', async () => {
    const s = demo()
    delete us(s).activity!.breakdown
    s.collected = { cloudtrail: true, activity: { lookbackHours: 24, eventPages: 0, personalData: false } }
    const r = await usEast(s)
    expect(r.code).toBe(1)
    expect(r.findings.find((f) => f.checkId.startsWith('activity-'))?.message).toContain(
      'no CloudTrail event history (collected with event-pages 0), but the policy reads up to 40 pages',
    )
  })
})
