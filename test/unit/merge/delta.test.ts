/** A merged report compared with the previous merged report: per account and region, with the account
 *  in every finding's identity, through the comparison single-account runs use. */
import { describe, expect, it } from 'vitest'
import { accountIdOf, generateReport } from '../../../sandbox/bench/reports.js'
import { parseBaseline } from '../../../src/baseline/file.js'
import { mergedComparison, parseMergedBaseline } from '../../../src/merge/delta.js'
import { type MergedReport, type MergeInput, mergeReports } from '../../../src/merge/merge.js'
import { renderMergedSummary } from '../../../src/merge/summary.js'
import { renderMergedTerminal } from '../../../src/merge/terminal.js'
import type { JsonReport } from '../../../src/report/json.js'
import { toJsonText } from '../../../src/report/json.js'

const A = accountIdOf(1)
const B = accountIdOf(2)
const C = accountIdOf(3)
const NIGHT = ['2026-12-01T03:00:00.000Z', '2026-12-02T03:00:00.000Z', '2026-12-03T03:00:00.000Z']

/** One account's report of night `n`: every account has the same pool ids (`us-east-1_Gen00000`, …). */
function report(account: string, n: number, violations: boolean, regions = ['us-east-1']): JsonReport {
  const r = generateReport({ accountId: account, regions, pools: 3, violations })
  r.collectedAt = NIGHT[n]!
  return r
}
const input = (r: JsonReport): MergeInput => ({ path: `reports/${r.accountId}/report.json`, report: r })

/** The merged report as the next night reads it: written as JSON, parsed back. */
const asBaseline = (m: MergedReport, source = 'night.json') => ({
  report: parseMergedBaseline(toJsonText(m), source),
  source,
})

describe('merged drift', () => {
  const night1 = mergeReports([input(report(A, 0, true)), input(report(B, 0, false))], { failOn: 'violation' })
  const aFails = night1.verdict.violations

  it('two accounts with the same pool ids never meet: A fixed is resolved, B broken is new', () => {
    // Night 2: A fixed every violation, B has the very same ones on pools with the same ids.
    const night2 = mergeReports([input(report(A, 1, false)), input(report(B, 1, true))], {
      failOn: 'new-violation',
      baseline: asBaseline(night1),
    })
    expect(aFails).toBeGreaterThan(0)
    expect(night2.verdict.violations).toBe(aFails)
    expect(night2.baseline?.counts).toMatchObject({ new: aFails, resolved: aFails, persisting: 0 })
    expect(night2.verdict).toMatchObject({ newViolations: aFails, resolved: aFails, failed: true })
    expect(night2.verdict.reason).toBe(`${aFails} new policy violations`)
    expect(night2.findings.filter((f) => f.delta === 'new').every((f) => f.account === B)).toBe(true)
    expect(night2.findings.find((f) => f.delta === 'new')).toMatchObject({ firstSeen: NIGHT[1] })
    expect(night2.baseline?.resolved.every((r) => r.account === A && r.id.includes(`/${A}/`))).toBe(true)
    expect(night2.baseline?.resolved[0]).toMatchObject({ firstSeen: NIGHT[0] })
  })

  it('persisting violations carry "first seen" across nights; fail-on new-violation passes on them', () => {
    const night2 = mergeReports([input(report(A, 1, true)), input(report(B, 1, false))], {
      failOn: 'new-violation',
      baseline: asBaseline(night1),
    })
    const night3 = mergeReports([input(report(A, 2, true)), input(report(B, 2, false))], {
      failOn: 'new-violation',
      baseline: asBaseline(night2),
    })
    for (const n of [night2, night3]) {
      expect(n.baseline?.counts).toMatchObject({ new: 0, resolved: 0, persisting: aFails })
      expect(n.verdict).toMatchObject({ newViolations: 0, resolved: 0, failed: false })
      expect(n.findings.filter((f) => f.status === 'fail').every((f) => f.firstSeen === NIGHT[0])).toBe(true)
    }
    // fail-on: violation still fails on them.
    const strict = mergeReports([input(report(A, 1, true))], { failOn: 'violation', baseline: asBaseline(night1) })
    expect(strict.verdict.reason).toBe(`${aFails} policy violations`)
  })

  it('an account new to the matrix is not compared (and fails new-violation); a missing one is never resolved', () => {
    const night2 = mergeReports([input(report(B, 1, false)), input(report(C, 1, true))], {
      failOn: 'new-violation',
      expectedAccounts: [A, B, C],
      baseline: asBaseline(night1),
    })
    expect(night2.baseline?.counts).toMatchObject({
      new: 0,
      resolved: 0,
      uncompared: aFails,
      outOfScope: aFails,
    })
    expect(night2.verdict.newViolations).toBe(aFails)
    expect(night2.baseline?.notes).toEqual([
      `1 account and region pair is not in the baseline (${C} us-east-1): its violations are not compared, and fail-on new-violation counts them.`,
      `1 account and region pair of the baseline is not in this merge (${A} us-east-1): its violations are not counted as resolved.`,
    ])
    expect(night2.verdict.reason).toBe(`${aFails} new policy violations; 1 requirement or report could not be verified`)
  })

  it('an error now is unverified, carrying its last known failing state: neither new nor resolved', () => {
    const a = report(A, 1, true)
    const failing = a.findings.filter((f) => f.status === 'fail')
    for (const f of failing) f.status = 'error'
    a.verdict = { ...a.verdict, violations: 0, errors: a.verdict.errors + failing.length, compliant: false }
    const night2 = mergeReports([input(a), input(report(B, 1, false))], {
      failOn: 'new-violation',
      baseline: asBaseline(night1),
    })
    expect(night2.baseline?.counts).toMatchObject({ new: 0, resolved: 0, unverified: aFails })
    expect(night2.findings.find((f) => f.delta === 'unverified')?.lastKnown).toMatchObject({
      status: 'fail',
      firstSeen: NIGHT[0],
    })
    expect(night2.verdict.failed).toBe(true)
  })

  it('regions are compared apart: a check one region did not run is not resolved there', () => {
    const east = report(A, 0, true, ['us-east-1'])
    const west = report(A, 0, true, ['eu-west-1'])
    const before = mergeReports([input(east), { path: 'west.json', report: west }], { failOn: 'violation' })
    // Night 2: eu-west-1 is audited under a policy without the threat-protection requirement's checks.
    const west2 = report(A, 1, false, ['eu-west-1'])
    west2.scope = { ...west2.scope, checks: [] }
    west2.findings = []
    const after = mergeReports([input(report(A, 1, true, ['us-east-1'])), { path: 'west.json', report: west2 }], {
      failOn: 'violation',
      baseline: asBaseline(before),
    })
    const westFails = west.verdict.violations
    expect(after.baseline?.counts).toMatchObject({ resolved: 0, persisting: aFails, outOfScope: westFails })
  })

  it('the delta shows in the summary, the terminal and again from report.json alone', () => {
    const night2 = mergeReports([input(report(A, 1, false)), input(report(B, 1, true))], {
      failOn: 'new-violation',
      baseline: asBaseline(night1, 'merged-night1/report.json'),
    })
    const { markdown } = renderMergedSummary(night2)
    expect(markdown).toContain('### Since the baseline')
    expect(markdown).toContain(`**${aFails} new, ${aFails} resolved, 0 persisting since 2026-12-01.**`)
    expect(markdown).toContain(`in account <code>${B}</code>`)
    const text = renderMergedTerminal(night2)
    expect(text).toContain('Since the baseline (merged-night1/report.json)')
    expect(text).toMatch(new RegExp(`NEW +\\[threat-protection\\] ${B}: `))
    expect(text).toMatch(new RegExp(`RESOLVED +\\[threat-protection\\] ${A}: `))
    const again = mergedComparison(JSON.parse(toJsonText(night2)))
    expect(again?.counts).toEqual(night2.baseline?.counts)
    expect(again?.entries.filter((e) => e.state === 'new')).toHaveLength(aFails)
  })

  it('a baseline that is not a merged report is one clear line; a merged report is no audit baseline', () => {
    expect(() => parseMergedBaseline(JSON.stringify(report(A, 0, true)), 'a.json')).toThrow(
      'Baseline a.json: not a merged report: merge --baseline takes the report.json a previous merge wrote',
    )
    expect(() => parseMergedBaseline('{', 'x.json')).toThrow('Baseline x.json: not valid JSON')
    expect(() => parseBaseline(toJsonText(night1), 'm.json')).toThrow(
      'Baseline m.json: a merged report: compare merged reports with merge --baseline.',
    )
  })
})
