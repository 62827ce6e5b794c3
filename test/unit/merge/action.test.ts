/** The action's merge mode in-process: a glob over per-artifact directories, outputs, summary, verdict. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { accountIdOf, generateReport } from '../../../sandbox/bench/reports.js'
import { matchReports, runMergeAction } from '../../../src/merge/action.js'

let dir: string
const A = accountIdOf(1)
const B = accountIdOf(2)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-action-'))
  for (const [id, violations] of [
    [A, false],
    [B, false],
  ] as const) {
    await mkdir(join(dir, 'reports', `cognito-compliance-${id}`), { recursive: true })
    await writeFile(
      join(dir, 'reports', `cognito-compliance-${id}`, 'report.json'),
      JSON.stringify(generateReport({ accountId: id, regions: ['us-east-1'], pools: 2, violations })),
    )
  }
  await mkdir(join(dir, 'reports', 'not-a-report.json'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let out: string
// One summary file for the whole file: @actions/core remembers the path it first wrote to.
const summary = () => join(dir, 'step-summary.md')
beforeEach(async () => {
  out = join(dir, `out-${Math.random().toString(36).slice(2)}`)
  await mkdir(out)
  await writeFile(summary(), '')
  await writeFile(join(out, 'output'), '')
  vi.stubEnv('GITHUB_STEP_SUMMARY', summary())
  vi.stubEnv('GITHUB_OUTPUT', join(out, 'output'))
  process.exitCode = undefined
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

const outputs = async () => readFile(join(out, 'output'), 'utf8')

describe('action merge mode', () => {
  it('matches the report files of every artifact directory, and no directory', async () => {
    const files = await matchReports(`${dir}/reports/*/report.json\n${dir}/reports/*.json`)
    expect(files).toEqual([A, B].map((id) => join(dir, 'reports', `cognito-compliance-${id}`, 'report.json')))
  })

  it('passes with every expected account compliant: outputs, job summary, merged files', async () => {
    await runMergeAction({
      patterns: `${dir}/reports/*/report.json`,
      expectedAccounts: JSON.stringify({ include: [{ account: A }, { account: B }] }),
      failOn: 'violation',
      outputDir: join(out, 'merged'),
      jobSummary: true,
    })
    expect(process.exitCode).toBeUndefined()
    expect(await outputs()).toMatch(/compliant<<.*\ntrue\n/)
    expect(await readFile(summary(), 'utf8')).toContain('✅ Compliant: 2 accounts (4 user pools) meet the policy')
    expect(JSON.parse(await readFile(join(out, 'merged', 'report.json'), 'utf8')).kind).toBe('merged')
  })

  it('fails closed when an expected account has no report', async () => {
    const C = accountIdOf(3)
    await runMergeAction({
      patterns: `${dir}/reports/*/report.json`,
      expectedAccounts: `${A},${B},${C}`,
      failOn: 'violation',
      outputDir: join(out, 'merged'),
      jobSummary: true,
    })
    expect(process.exitCode).toBe(1)
    expect(await outputs()).toMatch(/compliant<<.*\nfalse\n/)
    expect(await readFile(summary(), 'utf8')).toContain(`| <code>${C}</code> | — | 0 | 0 | 1 | 0 | ⚠️ report missing |`)
  })

  it('no file at all still fails closed when accounts were expected, and is bad input when none were', async () => {
    await runMergeAction({
      patterns: `${dir}/nothing/*/report.json`,
      expectedAccounts: A,
      failOn: 'violation',
      outputDir: join(out, 'merged'),
      jobSummary: false,
    })
    expect(process.exitCode).toBe(1)
    await expect(
      runMergeAction({
        patterns: `${dir}/nothing/*/report.json`,
        expectedAccounts: '',
        failOn: 'violation',
        outputDir: join(out, 'merged'),
        jobSummary: false,
      }),
    ).rejects.toThrow(`Input 'merge': no file matches`)
  })

  it('with a baseline: the merged delta sets new-violations and resolved; new-violation fails only on new ones', async () => {
    // The previous merge saw B failing; tonight both pass, and A is unchanged.
    const before = join(dir, 'before')
    await mkdir(before)
    const b = generateReport({ accountId: B, regions: ['us-east-1'], pools: 2, violations: true })
    await writeFile(join(before, 'b.json'), JSON.stringify(b))
    await writeFile(
      join(before, 'a.json'),
      JSON.stringify(generateReport({ accountId: A, regions: ['us-east-1'], pools: 2, violations: false })),
    )
    await runMergeAction({
      patterns: `${before}/*.json`,
      expectedAccounts: '',
      failOn: 'never',
      outputDir: join(before, 'merged'),
      jobSummary: false,
    })
    expect(await outputs()).toMatch(new RegExp(`new-violations<<.*\n${b.verdict.violations}\n`))
    await runMergeAction({
      patterns: `${dir}/reports/*/report.json`,
      expectedAccounts: '',
      failOn: 'new-violation',
      outputDir: join(out, 'merged'),
      jobSummary: true,
      baseline: join(before, 'merged', 'report.json'),
    })
    expect(process.exitCode).toBeUndefined()
    const o = await outputs()
    expect(o).toMatch(/new-violations<<.*\n0\n/)
    expect(o).toMatch(new RegExp(`resolved<<.*\n${b.verdict.violations}\n`))
    expect(await readFile(summary(), 'utf8')).toContain(`0 new, ${b.verdict.violations} resolved, 0 persisting`)
    await expect(
      runMergeAction({
        patterns: `${dir}/reports/*/report.json`,
        expectedAccounts: '',
        failOn: 'violation',
        outputDir: join(out, 'merged'),
        jobSummary: false,
        baseline: join(before, 'b.json'),
      }),
    ).rejects.toThrow('not a merged report')
  })
})
