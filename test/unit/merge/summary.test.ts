import { describe, expect, it } from 'vitest'
import { accountIdOf, generateReport } from '../../../sandbox/bench/reports.js'
import { type MergeInput, mergeReports } from '../../../src/merge/merge.js'
import { renderMergedSummary } from '../../../src/merge/summary.js'
import { MAX_SUMMARY_BYTES, SUMMARY_LEVELS } from '../../../src/report/summary.js'

const A = accountIdOf(1)
const B = accountIdOf(2)
const C = accountIdOf(3)

function small() {
  const inputs: MergeInput[] = [
    {
      path: 'a/report.json',
      report: generateReport({ accountId: A, regions: ['eu-west-1', 'us-east-1'], pools: 2, violations: false }),
    },
    {
      path: 'b/report.json',
      report: generateReport({
        accountId: B,
        regions: ['us-east-1'],
        pools: 2,
        namePrefix: 'x|y <script> ',
        toolVersion: '0.0.9',
      }),
    },
    { path: 'broken/report.json', problem: 'verdict.violations is missing or not a whole number ≥ 0' },
  ]
  return mergeReports(inputs, { failOn: 'violation', expectedAccounts: [A, B, C] })
}

describe('merged job summary', () => {
  it('shows accounts, then pools by account, activity by account and region, and what to fix', () => {
    const { markdown, level } = renderMergedSummary(small(), { reportPath: 'merged/report.json' })
    expect(level).toBe('full')
    const order = [
      '### ❌ 1 violation in 1 of 4 accounts (6 user pools); 1 expected report missing, 1 report unreadable',
      '> [!NOTE]\n> The reports were written by different versions of the tool',
      '### Accounts',
      `| <code>${A}</code> | <code>eu-west-1</code> <code>us-east-1</code> | 4 | 0 | 0 | 0 | ✅ compliant |`,
      `| <code>${B}</code> | <code>us-east-1</code> | 2 | 1 | 0 | 0 | ❌ violations |`,
      `| <code>${C}</code> | — | 0 | 0 | 1 | 0 | ⚠️ report missing |`,
      '| unreadable report (broken/report.json) | — | 0 | 0 | 1 | 0 | ⚠️ report unreadable: verdict.violations is missing',
      '### User pools',
      `#### Account <code>${A}</code>`,
      `#### Account <code>${B}</code>`,
      '### Activity',
      `#### Account <code>${A}</code> · <code>eu-west-1</code>`,
      `#### Account <code>${A}</code> · <code>us-east-1</code>`,
      `#### Account <code>${B}</code> · <code>us-east-1</code>`,
      '### What to fix',
      `in account <code>${B}</code>`,
      '<summary>What was merged</summary>',
      '- Full results: <code>merged/report.json</code>.',
    ]
    let at = -1
    for (const piece of order) {
      const i = markdown.indexOf(piece, at + 1)
      expect(i, piece).toBeGreaterThan(at)
      at = i
    }
  })

  it('escapes names that reach Markdown', () => {
    const { markdown } = renderMergedSummary(small())
    expect(markdown).not.toContain('<script>')
    expect(markdown).toContain('x&#124;y &lt;script&gt; pool-00000')
  })

  it('a compliant merge says so', () => {
    const m = mergeReports(
      [A, B].map((id) => ({
        path: `${id}.json`,
        report: generateReport({ accountId: id, regions: ['us-east-1'], pools: 2, violations: false }),
      })),
      { failOn: 'violation', expectedAccounts: [A, B] },
    )
    expect(renderMergedSummary(m).markdown).toContain('### ✅ Compliant: 2 accounts (4 user pools) meet the policy')
  })
})

describe('merged summary size (200 accounts × 2 regions)', () => {
  const inputs: MergeInput[] = []
  for (let n = 0; n < 200; n++) {
    const accountId = accountIdOf(n)
    inputs.push({
      path: `reports/${accountId}/report.json`,
      report: generateReport({ accountId, regions: ['eu-west-1', 'us-east-1'], pools: 12, violations: n % 10 === 0 }),
    })
  }
  const merged = mergeReports(inputs, { failOn: 'violation' })

  it('stays under the 1 MiB limit by the same steps, and says so', () => {
    const { markdown, level } = renderMergedSummary(merged, { reportPath: 'out/report.json' })
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(level).not.toBe('full')
    expect(markdown).toContain("to stay under GitHub's 1 MiB limit. See the JSON report (<code>out/report.json</code>)")
  })

  it('a smaller limit walks the levels in order, each under the limit until only counts are left', () => {
    let last = 0
    const seen: string[] = []
    for (let max = 4_000_000; max > 1_000; max = Math.floor(max * 0.8)) {
      const { markdown, level } = renderMergedSummary(merged, { maxBytes: max })
      const index = SUMMARY_LEVELS.indexOf(level)
      expect(index).toBeGreaterThanOrEqual(last)
      if (level !== 'counts') expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(max)
      last = index
      if (!seen.includes(level)) seen.push(level)
    }
    expect(seen).toEqual(['full', 'compact', 'failures', 'brief', 'counts'])
  }, 60_000)

  it('counts lists only the accounts that are not compliant', () => {
    const { markdown, level } = renderMergedSummary(merged, { maxBytes: 1_000 })
    expect(level).toBe('counts')
    expect(markdown).toContain('_180 more accounts are compliant._')
    expect(markdown.match(/❌ violations \|/g)).toHaveLength(20)
    expect(markdown).not.toContain('### User pools')
  })
})
