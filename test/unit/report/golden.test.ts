/**
 * Golden files: the rendered job summary and terminal report for a few saved snapshots are
 * committed under test/golden/ and compared exactly, so any change to a report shows up as a
 * reviewable diff. Rewrite them with `UPDATE_GOLDEN=1 npx vitest run test/unit/report/golden.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type AuditResult, countFindings, gate } from '../../../src/audit.js'
import { evaluate } from '../../../src/checks/index.js'
import type { AccountSnapshot } from '../../../src/model/snapshot.js'
import { parsePolicy } from '../../../src/policy/load.js'
import { upgradeSnapshot } from '../../../src/sources/saved/upgrade.js'
import { renderSummary } from '../../../src/report/summary.js'
import { renderTerminal } from '../../../src/report/terminal.js'

const root = new URL('../../../', import.meta.url)
const TODAY = '2026-11-22'

const CASES = [
  {
    name: 'violations',
    snapshot: 'test/fixtures/snapshots/violations.json',
    policy: 'test/golden/violations.policy.yml',
  },
  { name: 'compliant', snapshot: 'test/fixtures/snapshots/compliant.json', policy: 'test/golden/compliant.policy.yml' },
  { name: 'demo-account', snapshot: 'examples/snapshots/demo-account.json', policy: 'examples/policies/demo.yml' },
]

function resultFor(c: (typeof CASES)[number]): AuditResult {
  // The committed snapshots are of version 1: read as the saved source reads them.
  const snapshot = upgradeSnapshot(JSON.parse(readFileSync(new URL(c.snapshot, root), 'utf8'))) as AccountSnapshot
  const policy = parsePolicy(readFileSync(new URL(c.policy, root), 'utf8'), c.policy)
  const findings = evaluate(snapshot, policy, TODAY)
  const counts = countFindings(snapshot, findings)
  return { policy, snapshot, findings, counts, compliant: counts.fail === 0 && counts.error === 0, calls: {} }
}

function golden(file: string, actual: string): void {
  const url = new URL(`test/golden/${file}`, root)
  if (process.env.UPDATE_GOLDEN) writeFileSync(url, actual)
  if (!existsSync(url)) throw new Error(`test/golden/${file} is missing: write it with UPDATE_GOLDEN=1 and review it`)
  expect(actual).toBe(readFileSync(url, 'utf8'))
}

describe('golden reports', () => {
  for (const c of CASES) {
    const available = existsSync(new URL(c.snapshot, root)) && existsSync(new URL(c.policy, root))
    it.runIf(available)(`${c.name}: job summary and terminal report`, () => {
      const result = resultFor(c)
      const { markdown, level } = renderSummary(result, {
        failOn: 'violation',
        reportPath: 'cognito-compliance/report.json',
      })
      expect(level).toBe('full')
      golden(`${c.name}.summary.md`, markdown)
      golden(`${c.name}.terminal.txt`, renderTerminal(result, { color: false }))
    })
  }

  it('the violations case fails the gate and exempts only what a current exemption covers', () => {
    const result = resultFor(CASES[0] as (typeof CASES)[number])
    expect(gate(result, 'violation')).toMatch(/policy violations?/)
    const exempt = result.findings.filter((f) => f.status === 'exempt').map((f) => f.poolName)
    expect(exempt).toEqual(['partner-portal'])
    // An error cannot be exempted: what could not be verified stays visible.
    expect(result.findings.find((f) => f.poolName === 'internal-tools' && f.status === 'error')).toBeDefined()
    const expired = result.findings.filter((f) => f.exemption?.expired)
    expect(expired.every((f) => f.status === 'fail' && f.poolName === 'legacy')).toBe(true)
  })
})
