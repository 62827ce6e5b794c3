/** Two consecutive audits with one change between them, through the CLI: the delta in the terminal
 *  report, the summary and report.json; the committed baseline and `--fail-on new-violation`. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'

const SNAP = 'examples/snapshots/demo-account.json'
const POLICY = 'examples/policies/demo.yml'
const LEGACY = 'eu-west-1_9a8e04433a6c448a81f65009126421a4'
const SHOP = 'us-east-1_27ff7a70c2e840af85b5c57390b12339'

const cli = (...argv: string[]) => runCli(argv)

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/
/** The same account a day later: every timestamp moved by 24 h. */
function nextDay(v: unknown): unknown {
  if (typeof v === 'string' && ISO.test(v)) return new Date(Date.parse(v) + 86_400_000).toISOString()
  if (Array.isArray(v)) return v.map(nextDay)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nextDay(x)]))
  return v
}

let dir: string
let day2: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-delta-'))
  // Day 2: legacy-admin turned threat protection on (fixed); shop-customers turned it off (new).
  const snap = nextDay(JSON.parse(await readFile(SNAP, 'utf8'))) as {
    regions: Array<{ cognito: { pools: Array<{ id: string; advancedSecurityMode: string }> } }>
  }
  for (const p of snap.regions.flatMap((r) => r.cognito.pools)) {
    if (p.id === LEGACY) p.advancedSecurityMode = 'AUDIT'
    if (p.id === SHOP) p.advancedSecurityMode = 'OFF'
  }
  day2 = join(dir, 'day2.json')
  await writeFile(day2, JSON.stringify(snap))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('two consecutive audits', () => {
  it('show the delta in the terminal, the summary and report.json, with first seen carried', async () => {
    const d1 = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--out', join(dir, 'd1'))
    expect(d1.code).toBe(1)
    const r1 = JSON.parse(await readFile(join(dir, 'd1', 'report.json'), 'utf8'))
    expect(r1.findings.every((f: { id?: string }) => typeof f.id === 'string')).toBe(true)
    expect(r1.baseline).toBeUndefined()
    expect(r1.scope.checks).toContain('threat-protection-enforcement')

    const d2 = await cli(
      'audit',
      '--policy',
      POLICY,
      '--snapshot',
      day2,
      '--baseline',
      join(dir, 'd1', 'report.json'),
      '--out',
      join(dir, 'd2'),
      '--no-color',
    )
    expect(d2.code).toBe(1)
    expect(d2.out).toContain('\n  1 new, 1 resolved, 5 persisting since 2026-12-01\n')
    expect(d2.out).toContain(`  NEW       [threat-protection] shop-customers ${SHOP}\n`)
    expect(d2.out).toContain(`  RESOLVED  [threat-protection] legacy-admin ${LEGACY} (first seen 2026-12-01)\n`)

    const r2 = JSON.parse(await readFile(join(dir, 'd2', 'report.json'), 'utf8'))
    expect(r2.verdict).toMatchObject({ violations: 6, newViolations: 1, resolved: 1 })
    expect(r2.baseline).toMatchObject({
      kind: 'report',
      collectedAt: '2026-12-01T19:51:20.558Z',
      counts: { new: 1, persisting: 5, resolved: 1, unverified: 0, uncompared: 0, outOfScope: 0 },
      notes: [],
      resolved: [{ id: `threat-protection/123456789012/eu-west-1/${LEGACY}`, now: 'pass' }],
    })
    const fresh = r2.findings.find((f: { id: string }) => f.id === `threat-protection/123456789012/us-east-1/${SHOP}`)
    expect(fresh).toMatchObject({ status: 'fail', delta: 'new', firstSeen: '2026-12-02T19:51:20.558Z' })
    const old = r2.findings.filter((f: { delta?: string }) => f.delta === 'persisting')
    expect(old).toHaveLength(5)
    expect(old.every((f: { firstSeen: string }) => f.firstSeen === '2026-12-01T19:51:20.558Z')).toBe(true)

    const md = await readFile(join(dir, 'd2', 'summary.md'), 'utf8')
    expect(md).toContain('**1 new, 1 resolved, 5 persisting since 2026-12-01.**')
    expect(md).toContain(`| **new** | high | shop-customers <code>${SHOP}</code> |`)
    expect(md).toContain('<details><summary>5 persisting violations</summary>')
    expect(md).toMatch(/#### ❌ \*\*new\*\* Threat protection/)

    // Day 3 against day 2's report: first seen still day 1 for the old ones, day 2 for the new one.
    const d3 = await cli(
      'audit',
      '--policy',
      POLICY,
      '--snapshot',
      day2,
      '--baseline',
      join(dir, 'd2', 'report.json'),
      '--json',
    )
    const r3 = JSON.parse(d3.out)
    expect(r3.baseline.counts).toMatchObject({ new: 0, persisting: 6, resolved: 0 })
    expect(r3.findings.find((f: { id: string }) => f.id === fresh.id).firstSeen).toBe('2026-12-02T19:51:20.558Z')
  })

  it('a committed baseline accepts the current violations: new-violation then fails only on new ones', async () => {
    const file = join(dir, 'accepted', 'baseline.json')
    const w = await cli('baseline', '--policy', POLICY, '--snapshot', SNAP, '--out', file)
    expect(w.code).toBe(0)
    expect(w.err).toContain(`Wrote 6 accepted violations to ${file}.`)
    const b = JSON.parse(await readFile(file, 'utf8'))
    expect(b).toMatchObject({ baselineVersion: 1, accountId: '123456789012', policy: POLICY })
    expect(b.violations).toHaveLength(6)

    const same = await cli(
      'audit',
      '--policy',
      POLICY,
      '--snapshot',
      SNAP,
      '--baseline',
      file,
      '--fail-on',
      'new-violation',
    )
    expect(same.code).toBe(0)
    expect(same.out).toContain('0 new, 0 resolved, 6 persisting since the committed baseline of 2026-12-01')
    const next = await cli(
      'audit',
      '--policy',
      POLICY,
      '--snapshot',
      day2,
      '--baseline',
      file,
      '--fail-on',
      'new-violation',
    )
    expect(next.code).toBe(1)
    expect(next.err).toContain('Gate failed (fail-on: new-violation): 1 new policy violation.')
    // Without a baseline, new-violation is violation: every violation is new.
    const none = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--fail-on', 'new-violation')
    expect(none.err).toContain('Gate failed (fail-on: new-violation): 6 policy violations.')
  })

  it('bad baseline input is one line and exit 2', async () => {
    const missing = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--baseline', join(dir, 'nope.json'))
    expect(missing).toMatchObject({
      code: 2,
      err: `cognito-compliance: Baseline ${join(dir, 'nope.json')}: cannot read it (ENOENT: no such file).\n`,
    })
    const prev = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--baseline', 'previous-run')
    expect(prev.code).toBe(2)
    expect(prev.err).toBe(
      "cognito-compliance: --baseline 'previous-run' works only inside a GitHub Actions run: pass the path of a previous report.json instead.\n",
    )
    expect((await cli('baseline', '--policy', POLICY, '--snapshot', SNAP)).err).toBe(
      'cognito-compliance: baseline needs --out FILE, e.g. --out .github/cognito-compliance.baseline.json\n',
    )
  })
})

describe('--fail-on-severity on the command line', () => {
  // The demo account's violations: five high, one medium.
  it('only violations at or above it fail the gate; the others are still reported', async () => {
    const critical = await cli(
      'audit',
      '--policy',
      POLICY,
      '--snapshot',
      SNAP,
      '--fail-on-severity',
      'critical',
      '--json',
    )
    expect(critical.code).toBe(0)
    expect(JSON.parse(critical.out).verdict).toMatchObject({ failed: false, violations: 6 })
    const high = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--fail-on-severity', 'high')
    expect(high.code).toBe(1)
    expect(high.err).toContain('Gate failed (fail-on: violation): 5 policy violations of high severity or above.')
    const bad = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--fail-on-severity', 'urgent')
    expect(bad.code).toBe(2)
    expect(bad.err).toBe(
      'cognito-compliance: --fail-on-severity must be one of critical, high, medium, low (got "urgent")\n',
    )
  })
})
