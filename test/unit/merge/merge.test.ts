import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountIdOf, generateReport } from '../../../sandbox/bench/reports.js'
import { loadAndMerge, readExpectedAccounts } from '../../../src/merge/index.js'
import { type MergeInput, mergeReports } from '../../../src/merge/merge.js'
import type { JsonReport } from '../../../src/report/json.js'

const ok = (account: string, regions = ['us-east-1'], extra = {}) =>
  generateReport({ accountId: account, regions, pools: 3, violations: false, ...extra })
const failing = (account: string, regions = ['us-east-1']) =>
  generateReport({ accountId: account, regions, pools: 3, violations: true })
const input = (path: string, report: JsonReport): MergeInput => ({ path, report })

const A = accountIdOf(1)
const B = accountIdOf(2)
const C = accountIdOf(3)

describe('merged verdict', () => {
  const cases: Array<{
    name: string
    inputs: () => MergeInput[]
    expected?: string[]
    failOn?: 'violation' | 'error' | 'never'
    compliant: boolean
    failed: boolean
    statuses: Record<string, string>
  }> = [
    {
      name: 'every account compliant',
      inputs: () => [input('a.json', ok(A)), input('b.json', ok(B))],
      compliant: true,
      failed: false,
      statuses: { [A]: 'compliant', [B]: 'compliant' },
    },
    {
      name: 'one failing account fails the merge',
      inputs: () => [input('a.json', ok(A)), input('b.json', failing(B))],
      compliant: false,
      failed: true,
      statuses: { [A]: 'compliant', [B]: 'violations' },
    },
    {
      name: 'an expected account without a report fails closed',
      inputs: () => [input('a.json', ok(A)), input('b.json', ok(B))],
      expected: [A, B, C],
      compliant: false,
      failed: true,
      statuses: { [A]: 'compliant', [B]: 'compliant', [C]: 'report missing' },
    },
    {
      name: 'an unreadable report fails closed',
      inputs: () => [input('a.json', ok(A)), { path: 'b.json', problem: 'not valid JSON' }],
      compliant: false,
      failed: true,
      statuses: { [A]: 'compliant', 'unreadable report (b.json)': 'report unreadable' },
    },
    {
      name: 'a missing report under fail-on: error still fails the gate (it could not be verified)',
      inputs: () => [input('a.json', ok(A))],
      expected: [A, C],
      failOn: 'error',
      compliant: false,
      failed: true,
      statuses: { [A]: 'compliant', [C]: 'report missing' },
    },
    {
      name: 'violations under fail-on: error do not fail the gate, and the verdict stays not compliant',
      inputs: () => [input('a.json', failing(A))],
      failOn: 'error',
      compliant: false,
      failed: false,
      statuses: { [A]: 'violations' },
    },
    {
      name: 'fail-on: never reports only',
      inputs: () => [input('a.json', failing(A))],
      expected: [A, B],
      failOn: 'never',
      compliant: false,
      failed: false,
      statuses: { [A]: 'violations', [B]: 'report missing' },
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const m = mergeReports(c.inputs(), {
        failOn: c.failOn ?? 'violation',
        ...(c.expected ? { expectedAccounts: c.expected } : {}),
      })
      expect(m.verdict.compliant).toBe(c.compliant)
      expect(m.verdict.failed).toBe(c.failed)
      expect(Object.fromEntries(m.accounts.map((a) => [a.label, a.status]))).toEqual(c.statuses)
    })
  }

  it('sums the accounts and counts a missing report as one error', () => {
    const a = failing(A)
    const m = mergeReports([input('a.json', a), input('b.json', ok(B))], { failOn: 'violation', expectedAccounts: [C] })
    expect(m.verdict).toMatchObject({
      accounts: 3,
      accountsFailing: 2,
      reportsMissing: 1,
      violations: a.verdict.violations,
      errors: 1,
      pools: 6,
    })
    expect(a.verdict.violations).toBe(2)
    expect(m.verdict.reason).toBe('2 policy violations; 1 requirement or report could not be verified')
    expect(m.findings.every((f) => /^\d{12}$/.test(f.account))).toBe(true)
    expect(m.pools.filter((p) => p.account === A)).toHaveLength(3)
    // Each finding's identity carries its account, so a merged report can be compared with the previous one.
    expect(m.findings.find((f) => f.account === A && f.status === 'fail')?.id).toBe(
      `threat-protection/${A}/us-east-1/us-east-1_Gen00000`,
    )
    expect(new Set(m.findings.map((f) => f.id)).size).toBe(m.findings.length)
  })

  it('refuses an expected account that is not an account id', () => {
    expect(() => mergeReports([input('a.json', ok(A))], { failOn: 'violation', expectedAccounts: ['prod'] })).toThrow(
      'expected account "prod" is not a 12-digit account id',
    )
  })
})

describe('duplicates', () => {
  it('the same account and region in two reports is an error naming both files', () => {
    expect(() =>
      mergeReports([input('x/report.json', ok(A)), input('y/report.json', ok(A, ['eu-west-1', 'us-east-1']))], {
        failOn: 'violation',
      }),
    ).toThrow(`account ${A} region us-east-1 is in two reports: x/report.json and y/report.json`)
  })

  it('one account audited region by region is one account row', () => {
    const m = mergeReports([input('x.json', ok(A, ['us-east-1'])), input('y.json', ok(A, ['eu-west-1']))], {
      failOn: 'violation',
    })
    expect(m.accounts).toHaveLength(1)
    expect(m.accounts[0]).toMatchObject({ regions: ['eu-west-1', 'us-east-1'], pools: 6, status: 'compliant' })
    expect(m.accounts[0]!.reports.map((r) => r.path)).toEqual(['x.json', 'y.json'])
  })

  it('reports that name no account are kept apart, with a note', () => {
    const m = mergeReports([input('x.json', ok('')), input('y.json', ok(''))], { failOn: 'violation' })
    expect(m.accounts.map((a) => a.label)).toEqual(['unknown account (x.json)', 'unknown account (y.json)'])
    expect(m.notes.join('\n')).toContain('2 reports name no account (x.json, y.json)')
  })
})

describe('notes on differing reports', () => {
  it('names the tool versions and their files', () => {
    const m = mergeReports([input('a.json', ok(A)), input('b.json', ok(B, ['us-east-1'], { toolVersion: '0.0.9' }))], {
      failOn: 'violation',
    })
    expect(m.notes).toHaveLength(1)
    expect(m.notes[0]).toMatch(
      /different versions of the tool: 0\.1\.0 \(1 report: a\.json\); 0\.0\.9 \(1 report: b\.json\)/,
    )
  })

  it('names differing policies (by the digest of their requirement settings)', () => {
    const strict = ok(B, ['us-east-1'], { policyYaml: 'threat-protection: { mode: ENFORCED }' })
    const m = mergeReports([input('a.json', ok(A)), input('b.json', strict)], { failOn: 'violation' })
    expect(strict.policy.digest).not.toBe(ok(A).policy.digest)
    expect(m.notes.join('\n')).toContain('audited under 2 different policies')
  })

  it('the same policy over other regions is the same policy', () => {
    const m = mergeReports([input('a.json', ok(A, ['us-east-1'])), input('b.json', ok(B, ['eu-west-1']))], {
      failOn: 'violation',
    })
    expect(m.notes).toEqual([])
  })

  it('names the audits that reached their time limit', () => {
    const stopped = ok(B)
    stopped.verdict.timeLimitReached = true
    const m = mergeReports([input('a.json', ok(A)), input('b.json', stopped)], { failOn: 'violation' })
    expect(m.notes).toEqual([
      '1 audit reached its time limit (b.json): what it could not collect counts as not verified.',
    ])
  })

  it('an account that was not expected is named', () => {
    const m = mergeReports([input('a.json', ok(A)), input('b.json', ok(B))], {
      failOn: 'violation',
      expectedAccounts: [A],
    })
    expect(m.notes).toEqual([`1 account was not expected: ${B}.`])
  })
})

describe('reading files', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'merge-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('a bad file is one line naming the file and the key, and counts as not verified', async () => {
    const good = join(dir, 'good.json')
    const bad = join(dir, 'bad.json')
    await writeFile(good, JSON.stringify(ok(A)))
    const broken = ok(B) as unknown as { verdict: Record<string, unknown> }
    delete broken.verdict.violations
    await writeFile(bad, JSON.stringify(broken))
    const warnings: string[] = []
    const m = await loadAndMerge([good, bad, good], { failOn: 'violation', warn: (w) => warnings.push(w) })
    expect(warnings).toEqual([`report ${bad}: verdict.violations is missing or not a whole number ≥ 0`])
    expect(m.verdict).toMatchObject({ compliant: false, failed: true, reportsUnreadable: 1, accounts: 2 })
    expect(m.accounts.map((a) => a.status)).toEqual(['compliant', 'report unreadable'])
  })

  it('a file that does not exist counts as unreadable', async () => {
    const warnings: string[] = []
    const m = await loadAndMerge([join(dir, 'nope.json')], { failOn: 'violation', warn: (w) => warnings.push(w) })
    expect(warnings[0]).toMatch(/nope\.json: cannot read it \(ENOENT: no such file\)$/)
    expect(m.verdict.compliant).toBe(false)
  })

  it('a directory (or any file that is not a regular one) counts as unreadable', async () => {
    const warnings: string[] = []
    const m = await loadAndMerge([dir], { failOn: 'violation', warn: (w) => warnings.push(w) })
    expect(warnings).toEqual([`report ${dir}: is a directory, not a regular file`])
    expect(m.verdict.reportsUnreadable).toBe(1)
  })

  it('no report at all is bad input', async () => {
    await expect(loadAndMerge([], { failOn: 'violation', warn: () => undefined })).rejects.toThrow('no report to merge')
  })

  it('expected accounts come from the discovery matrix or a list', async () => {
    const matrix = join(dir, 'matrix.json')
    await writeFile(matrix, JSON.stringify({ include: [{ account: A, role: 'arn:aws:iam::x' }, { account: B }] }))
    expect(await readExpectedAccounts(matrix, '--expect')).toEqual([A, B])
    expect(await readExpectedAccounts(`${A}, ${B}\n${C}`, '--expect')).toEqual([A, B, C])
    expect(await readExpectedAccounts(JSON.stringify({ include: [{ account: A }] }), '--expect')).toEqual([A])
    await expect(readExpectedAccounts('{"include": [{"account": "12"}]}', '--expect')).rejects.toThrow(
      '--expect: include[0].account is missing or not a 12-digit account id',
    )
    await expect(readExpectedAccounts(join(dir, 'none.json'), '--expect')).rejects.toThrow(
      /--expect: .*none\.json: cannot read it \(ENOENT: no such file\)/,
    )
  })
})
