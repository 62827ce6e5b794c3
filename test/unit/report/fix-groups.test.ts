/**
 * "What to fix" grouped by cause, root causes first, and a huge account still readable: the demo
 * account's legacy-admin pool (threat protection off, no alarms) copied 597 times gives 600 pools and
 * about 2,400 failures from four causes.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type AuditResult, countFindings } from '../../../src/audit.js'
import { evaluate } from '../../../src/checks/index.js'
import type { AccountSnapshot } from '../../../src/model/snapshot.js'
import { parsePolicy } from '../../../src/policy/load.js'
import { causeKey, fixGroups, groupSubjects } from '../../../src/report/fix-groups.js'
import { renderSummary } from '../../../src/report/summary.js'
import { upgradeSnapshot } from '../../../src/sources/saved/upgrade.js'
import { finding } from '../../support/result.js'
import { itemsOf } from '../../support/pools.js'

const root = new URL('../../../', import.meta.url)
const read = (f: string) => readFileSync(new URL(f, root), 'utf8')
const policy = parsePolicy(read('examples/policies/demo.yml'), 'examples/policies/demo.yml')
const demo = upgradeSnapshot(JSON.parse(read('examples/snapshots/demo-account.json'))) as AccountSnapshot

function resultOf(snapshot: AccountSnapshot): AuditResult {
  const findings = evaluate(snapshot, policy, '2026-11-22')
  const counts = countFindings(snapshot, findings)
  return { policy, snapshot, findings, counts, compliant: counts.fail === 0 && counts.error === 0, calls: {} }
}

/** The demo account with legacy-admin copied `n` more times (each with its own id, name and metrics). */
function largeAccount(n: number): AccountSnapshot {
  const s = structuredClone(demo)
  const eu = s.regions.find((r) => r.region === 'eu-west-1')!
  const base = itemsOf(eu.cognito.pools).find((p) => p.name === 'legacy-admin')!
  const metrics = eu.activity!.metrics!.find((m) => m.poolId === base.id)!
  for (let i = 0; i < n; i++) {
    const id = `eu-west-1_Gen${String(i).padStart(4, '0')}`
    const copy = JSON.stringify(base).replaceAll(base.id, id).replaceAll('"legacy-admin"', `"legacy-admin-${i}"`)
    itemsOf(eu.cognito.pools).push(JSON.parse(copy))
    eu.activity!.metrics!.push(JSON.parse(JSON.stringify(metrics).replaceAll(base.id, id)))
  }
  return s
}

describe('what to fix, grouped by cause', () => {
  it('lists the risk alarms of a pool without threat protection under the threat-protection finding', () => {
    const groups = fixGroups(resultOf(demo).findings)
    const tp = groups.find((g) => g.checkId === 'threat-protection')!
    expect(tp.title).toBe('Threat protection is off')
    expect(tp.consequences.map((c) => c.findings[0]!.resource)).toEqual([
      'AccountTakeoverRisk',
      'CompromisedCredentialRisk',
    ])
    for (const c of tp.consequences) {
      expect(c.findings[0]!.message).toContain('This follows from threat protection being off on this pool')
    }
    // partner-portal has threat protection: its missing risk alarms stand on their own.
    const standalone = groups.filter((g) => g.checkId === 'alarms-risk')
    expect(standalone.flatMap((g) => g.findings.map((f) => f.poolName))).toEqual(['partner-portal', 'partner-portal'])
    const md = renderSummary(resultOf(demo), { failOn: 'violation' }).markdown
    expect(md).toContain('#### ❌ Threat protection is off: legacy-admin')
    expect(md).not.toContain('❌ Threat protection is on')
    expect(md).toContain('**2 findings follow from this**')
  })

  it('puts the verdict, the table and what to fix before the activity, and collapses per-pool activity', () => {
    const md = renderSummary(resultOf(demo), { failOn: 'violation' }).markdown
    const at = (s: string) => md.indexOf(s)
    expect(at('### ❌')).toBeLessThan(at('| User pool |'))
    expect(at('| User pool |')).toBeLessThan(at('### What to fix'))
    expect(at('### What to fix')).toBeLessThan(at('### Activity'))
    expect(at('### Activity')).toBeLessThan(at('<details><summary>Activity per pool in eu-west-1'))
    expect(at('<details><summary>Activity per pool')).toBeLessThan(at('<details><summary>What was checked and how'))
    expect(md.match(/```mermaid/g)).toHaveLength(2) // one chart per region
  })

  it('one cause is one group, whatever the pool, its name and its app-client ids', () => {
    const a = finding({
      status: 'fail',
      poolId: 'us-east-1_A',
      poolName: 'shop-a',
      message: 'client abcdefghijklmnopqrstuvwxyz on us-east-1_A (shop-a) is off',
    })
    const b = finding({
      status: 'fail',
      poolId: 'us-east-1_B',
      poolName: 'shop-b',
      message: 'client zyxwvutsrqponmlkjihgfedcba on us-east-1_B (shop-b) is off',
    })
    const c = finding({ status: 'fail', poolId: 'us-east-1_C', poolName: 'c', message: 'something else' })
    expect(causeKey(a)).toBe(causeKey(b))
    expect(causeKey(a)).not.toBe(causeKey(c))
    const groups = fixGroups([a, b, c])
    expect(groups.map((g) => groupSubjects(g).length)).toEqual([2, 1])
  })

  it("app-client findings of one cause are one group listing each pool's client, not a group per client", () => {
    const client = (pool: string, id: string, name = 'admin') =>
      finding({
        status: 'fail',
        checkId: 'threat-protection-enforcement',
        poolId: `eu-west-1_${pool}`,
        poolName: `shop-${pool}`,
        resource: `${name} (${id})`,
        message: 'ENFORCED in name only for this app client: high-risk sign-ins are allowed (NO_ACTION).',
      })
    const fs = [
      client('A', 'aaaaaaaaaaaaaaaaaaaaaaaaaa'),
      client('B', 'bbbbbbbbbbbbbbbbbbbbbbbbbb'),
      client('B', 'cccccccccccccccccccccccccc'),
      client('C', 'dddddddddddddddddddddddddd', 'web'),
    ]
    const groups = fixGroups(fs)
    // The client's name is part of the cause; its id is not.
    expect(groups.map((g) => g.findings.length)).toEqual([3, 1])
    expect(groupSubjects(groups[0]!).map((x) => x.resource)).toEqual([
      'admin (aaaaaaaaaaaaaaaaaaaaaaaaaa)',
      'admin (bbbbbbbbbbbbbbbbbbbbbbbbbb)',
      'admin (cccccccccccccccccccccccccc)',
    ])
    const result = { ...resultOf(demo), findings: fs }
    const md = renderSummary(result, { failOn: 'violation' }).markdown
    expect(md).toContain(': 3 resources in 2 pools')
    expect(md).toContain('- shop-B <code>eu-west-1_B</code> · <code>admin (cccccccccccccccccccccccccc)</code>')
    // A group whose members name one resource keeps it in the heading's line, not per pool.
    expect(md).toMatch(
      /: shop-C <code>eu-west-1_C<\/code>\n\n<sub>[^\n]*<code>web \(dddddddddddddddddddddddddd\)<\/code><\/sub>/,
    )
  })

  it('600 pools with four causes: four groups, a full summary far below 1 MiB', () => {
    const result = resultOf(largeAccount(597))
    expect(result.counts.pools).toBe(600)
    const fails = result.findings.filter((f) => f.status === 'fail')
    expect(fails.length).toBeGreaterThan(2300)
    const groups = fixGroups(result.findings)
    expect(groups.length).toBeLessThanOrEqual(4)
    const { markdown, level } = renderSummary(result, { failOn: 'violation' })
    expect(level).toBe('full')
    expect(Buffer.byteLength(markdown)).toBeLessThan(400 * 1024)
    expect(markdown).toContain('#### ❌ Threat protection is off: 598 pools')
    expect(markdown).toContain('<details><summary>598 pools with this problem</summary>')
  })

  it('groups a list of findings once (the summary and the terminal share it), again when the list grows', () => {
    const result = resultOf(demo)
    const first = fixGroups(result.findings)
    expect(fixGroups(result.findings)).toBe(first)
    // A copy is another list: grouped afresh, to the same groups.
    const copy = [...result.findings]
    const again = fixGroups(copy)
    expect(again).not.toBe(first)
    expect(again).toEqual(first)
    copy.push(finding({ checkId: 'extra', status: 'fail', poolId: 'eu-west-1_X', message: 'm' }))
    const grown = fixGroups(copy)
    expect(grown).not.toBe(again)
    expect(grown.length).toBe(first.length + 1)
  })
})
