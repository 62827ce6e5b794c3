/** The CLI's merge and accounts commands through main(): exit codes and one-line errors. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountIdOf, generateReport } from '../../sandbox/bench/reports.js'
import { runCli } from '../support/cli.js'

const cli = (...argv: string[]) => runCli(argv)

let dir: string
const A = accountIdOf(1)
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-merge-'))
  const report = generateReport({ accountId: A, regions: ['us-east-1'], pools: 2, violations: false })
  await writeFile(join(dir, 'a.json'), JSON.stringify(report))
  await writeFile(join(dir, 'b.json'), JSON.stringify(report))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('cognito-compliance merge', () => {
  it('exit 0 when every expected account is compliant, 1 when one is missing', async () => {
    expect((await cli('merge', join(dir, 'a.json'), '--expect', A)).code).toBe(0)
    const missing = await cli('merge', join(dir, 'a.json'), '--expect', `${A},${accountIdOf(2)}`)
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('Gate failed (fail-on: violation): 1 requirement or report could not be verified.')
  })

  it('a duplicate account and region is exit 2 with one line naming both files', async () => {
    const r = await cli('merge', join(dir, 'a.json'), join(dir, 'b.json'))
    expect(r.code).toBe(2)
    expect(r.err).toBe(
      `cognito-compliance: account ${A} region us-east-1 is in two reports: ${join(dir, 'a.json')} and ${join(dir, 'b.json')} (merge each account and region once)\n`,
    )
  })

  it('its own options and help', async () => {
    expect((await cli('merge', '--help')).out).toContain('Usage: cognito-compliance merge REPORT...')
    const bogus = await cli('merge', '--bogus')
    expect(bogus.code).toBe(2)
    expect(bogus.err).toContain('unknown option --bogus')
  })
})

describe('cognito-compliance merge --baseline: two nights of merged reports', () => {
  const B = accountIdOf(2)
  /** Night `n`'s report of `account` (every account has the same pool ids), written under night-n/. */
  async function night(n: number, failing: string[]): Promise<string[]> {
    const paths: string[] = []
    for (const account of [A, B]) {
      const r = generateReport({
        accountId: account,
        regions: ['us-east-1'],
        pools: 3,
        violations: failing.includes(account),
      })
      r.collectedAt = `2026-12-0${n}T03:00:00.000Z`
      await mkdir(join(dir, `night-${n}`, account), { recursive: true })
      const path = join(dir, `night-${n}`, account, 'report.json')
      await writeFile(path, JSON.stringify(r))
      paths.push(path)
    }
    return paths
  }

  it('the merged delta in the text, the summary and report.json; fail-on new-violation', async () => {
    const first = await cli('merge', ...(await night(1, [A])), '--out', join(dir, 'merged-1'))
    expect(first.code).toBe(1)
    const base = join(dir, 'merged-1', 'report.json')
    // Night 2: A fixed its violations, B has the same ones on pools with the same ids.
    const second = await cli(
      'merge',
      ...(await night(2, [B])),
      '--baseline',
      base,
      '--fail-on',
      'new-violation',
      '--out',
      join(dir, 'merged-2'),
    )
    const r2 = JSON.parse(await readFile(join(dir, 'merged-2', 'report.json'), 'utf8'))
    const n = r2.verdict.violations
    expect(n).toBeGreaterThan(0)
    expect(second.code).toBe(1)
    expect(second.err).toContain(`Gate failed (fail-on: new-violation): ${n} new policy violations.`)
    expect(second.out).toContain(`Since the baseline (${base})`)
    expect(second.out).toContain(`${n} new, ${n} resolved, 0 persisting since 2026-12-01`)
    expect(r2.verdict).toMatchObject({ newViolations: n, resolved: n })
    expect(r2.baseline).toMatchObject({ kind: 'merged', source: base, collectedAt: '2026-12-01T03:00:00.000Z' })
    expect(
      r2.findings.filter((f: { delta?: string }) => f.delta === 'new').map((f: { account: string }) => f.account),
    ).toEqual(Array(n).fill(B))
    const summary = await readFile(join(dir, 'merged-2', 'summary.md'), 'utf8')
    expect(summary).toContain('### Since the baseline')
    expect(summary).toContain(`**${n} new, ${n} resolved, 0 persisting since 2026-12-01.**`)

    // Night 3, unchanged: persisting only, first seen carried; new-violation passes, violation fails.
    const third = await night(3, [B])
    const base2 = join(dir, 'merged-2', 'report.json')
    const quiet = await cli('merge', ...third, '--baseline', base2, '--fail-on', 'new-violation', '--json')
    expect(quiet.code).toBe(0)
    const r3 = JSON.parse(quiet.out)
    expect(r3.baseline.counts).toMatchObject({ new: 0, resolved: 0, persisting: n })
    expect(
      r3.findings
        .filter((f: { status: string }) => f.status === 'fail')
        .map((f: { firstSeen?: string }) => f.firstSeen),
    ).toEqual(Array(n).fill('2026-12-02T03:00:00.000Z'))
    expect((await cli('merge', ...third, '--baseline', base2)).code).toBe(1)
  })

  it('a baseline that cannot be read is exit 2 with one line, before any report is read', async () => {
    const missing = await cli('merge', join(dir, 'a.json'), '--baseline', join(dir, 'nope.json'))
    expect(missing.code).toBe(2)
    expect(missing.err.trim().split('\n')).toHaveLength(1)
    expect(missing.err).toContain(`Baseline ${join(dir, 'nope.json')}:`)
    const single = await cli('merge', join(dir, 'a.json'), '--baseline', join(dir, 'a.json'))
    expect(single.code).toBe(2)
    expect(single.err).toContain('not a merged report')
    const prev = await cli('merge', join(dir, 'a.json'), '--baseline', 'previous-run')
    expect(prev.code).toBe(2)
    expect(prev.err).toContain("--baseline 'previous-run' works only inside a GitHub Actions run")
  })
})

describe('cognito-compliance accounts', () => {
  it('needs a role, checked before any AWS call', async () => {
    const r = await cli('accounts')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--role is required')
    const ou = await cli('accounts', '--role', 'R', '--ou', 'prod')
    expect(ou.code).toBe(2)
    expect(ou.err).toContain('--ou: "prod" is not an organizational unit id')
  })

  it('the main help names both commands', async () => {
    const r = await cli('--help')
    expect(r.out).toContain('cognito-compliance merge REPORT...')
    expect(r.out).toContain('cognito-compliance accounts --role NAME')
  })
})
