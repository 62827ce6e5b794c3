/**
 * The evaluation's invariant: every enabled check gives at least one finding for every audited pool (or
 * region, for region-level checks) it owes one; a subject left without becomes an `error` "the check
 * produced no result", and the run fails closed. Proven by injecting broken checks into the registry.
 */
import { describe, expect, it } from 'vitest'
import { countFindings, gate } from '../../../src/audit.js'
import { alarmsRisk, alarmsUsage } from '../../../src/checks/alarms/checks.js'
import { CHECKS, evaluate, REGISTRY } from '../../../src/checks/index.js'
import { NO_RESULT } from '../../../src/checks/no-result.js'
import { poolExists } from '../../../src/checks/pools/exists.js'
import type { Finding } from '../../../src/model/finding.js'
import type { Check } from '../../../src/model/requirement.js'
import { FULL_REGIONS, fullPolicy, fullSnapshot } from '../../support/full-audit.js'
import { resultOf } from '../../support/result.js'
import { itemsOf } from '../../support/pools.js'

const TODAY = '2026-11-22'
type Registry = NonNullable<Parameters<typeof evaluate>[3]>

/** The real registry with `check` replaced by `broken`. */
function registryWith(check: Check<unknown>, broken: Partial<Check<unknown>>): Registry {
  return (REGISTRY as unknown as Registry).map((d) => ({
    ...d,
    checks: d.checks.map((c) => (c === check ? { ...c, ...broken } : c)),
  }))
}

const noResults = (fs: Finding[]) => fs.filter((f) => f.evidence?.noResult === true)
const subjectsOf = (fs: Finding[]) => fs.map((f) => `${f.checkId} ${f.region} ${f.poolId ?? '(region)'}`).sort()

describe('the "no result" invariant', () => {
  const snapshot = fullSnapshot('pool')
  const policy = fullPolicy()
  const pools = snapshot.regions.flatMap((r) => itemsOf(r.cognito.pools))

  it('the real registry owes nothing on an account where every check has something to judge', () => {
    const findings = evaluate(snapshot, policy, TODAY)
    expect(noResults(findings)).toEqual([])
    // …and every check of the registry judged something (so the cases below are not vacuous).
    const judged = new Set(findings.map((f) => f.checkId))
    const silent = CHECKS.filter((c) => c.subjects?.per !== 'none' && !judged.has(c.id)).map((c) => c.id)
    expect(silent).toEqual([])
  })

  it('a check that returns nothing gets an error for every pool it owes a finding, and the run fails', () => {
    const findings = evaluate(snapshot, policy, TODAY, registryWith(alarmsRisk as Check<unknown>, { run: () => [] }))
    const owed = noResults(findings)
    expect(subjectsOf(owed)).toEqual(subjectsOf(pools.map((p) => ({ ...owed[0]!, region: p.region, poolId: p.id }))))
    for (const f of owed) {
      expect(f).toMatchObject({
        status: 'error',
        checkId: 'alarms-risk',
        requirement: 'alarms',
        severity: 'high',
        message: `Could not verify: ${NO_RESULT}.`,
      })
      expect(f.poolName).toBe('pool')
      expect(f.remediation).toMatch(/fault in the audit/)
    }
    // Fails closed: counted as not verified, and the gate fails even with fail-on: error.
    const result = { ...resultOf(snapshot, findings, policy), counts: countFindings(snapshot, findings) }
    expect(result.counts.error).toBe(pools.length)
    expect(gate(result, 'error')).toBe(`${pools.length} requirements could not be verified`)
  })

  it('a check that drops one pool: only that pool gets the error', () => {
    const dropped = pools[1]!
    const run: Check<unknown>['run'] = (s, o, ctx) =>
      alarmsRisk.run(s, o as never, ctx).filter((f) => f.poolId !== dropped.id)
    const owed = noResults(evaluate(snapshot, policy, TODAY, registryWith(alarmsRisk as Check<unknown>, { run })))
    expect(subjectsOf(owed)).toEqual([`alarms-risk ${dropped.region} ${dropped.id}`])
  })

  it('a check that throws: its pools get the error with the exception excerpted, and the other checks still run', () => {
    const run = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')")
    }
    const findings = evaluate(snapshot, policy, TODAY, registryWith(alarmsRisk as Check<unknown>, { run }))
    const owed = noResults(findings)
    expect(owed).toHaveLength(pools.length)
    expect(owed[0]!.message).toBe(
      `Could not verify: ${NO_RESULT} (it stopped with an internal error: "Cannot read properties of undefined (reading 'x')").`,
    )
    expect(findings.some((f) => f.checkId === 'alarms-throttles')).toBe(true)
  })

  it('a region-level check that returns nothing gets an error for every region it owes one', () => {
    const owed = noResults(
      evaluate(snapshot, policy, TODAY, registryWith(alarmsUsage as Check<unknown>, { run: () => [] })),
    )
    expect(subjectsOf(owed)).toEqual(FULL_REGIONS.map((r) => `alarms-usage ${r} (region)`).sort())
    expect(owed.every((f) => f.status === 'error' && f.poolId === undefined)).toBe(true)
  })

  it('a check that reports exceptions only owes nothing, unless it throws', () => {
    expect(
      noResults(evaluate(snapshot, policy, TODAY, registryWith(poolExists as Check<unknown>, { run: () => [] }))),
    ).toEqual([])
    const run = () => {
      throw new Error('boom')
    }
    const owed = noResults(evaluate(snapshot, policy, TODAY, registryWith(poolExists as Check<unknown>, { run })))
    expect(subjectsOf(owed)).toEqual(FULL_REGIONS.map((r) => `pool-exists ${r} (region)`).sort())
  })

  it('a requirement the policy turned off owes nothing', () => {
    const off = { ...policy, alarms: { ...policy.alarms, enabled: false } }
    const findings = evaluate(snapshot, off, TODAY, registryWith(alarmsRisk as Check<unknown>, { run: () => [] }))
    expect(noResults(findings)).toEqual([])
    expect(findings.some((f) => f.requirement === 'alarms')).toBe(false)
  })

  it('a pool-level check covered by a region-level finding of its region owes nothing more there', () => {
    const run: Check<unknown>['run'] = () => [
      { ...evaluate(snapshot, policy, TODAY).find((f) => f.checkId === 'alarms-usage')!, checkId: 'alarms-risk' },
    ]
    const owed = noResults(evaluate(snapshot, policy, TODAY, registryWith(alarmsRisk as Check<unknown>, { run })))
    const covered = evaluate(snapshot, policy, TODAY).find((f) => f.checkId === 'alarms-usage')!.region
    expect(owed.length).toBeGreaterThan(0)
    expect(owed.some((f) => f.region === covered)).toBe(false)
  })

  // Generic over the registry: whichever check goes silent, the invariant names it.
  for (const check of CHECKS.filter((c) => c.subjects?.per !== 'none')) {
    it(`${check.id} silenced: every subject it judged before gets "no result"`, () => {
      const judged = evaluate(snapshot, policy, TODAY).filter((f) => f.checkId === check.id)
      const owed = noResults(evaluate(snapshot, policy, TODAY, registryWith(check, { run: () => [] })))
      const keys = (fs: Finding[]) => [...new Set(subjectsOf(fs))]
      expect(keys(owed)).toEqual(keys(judged))
      expect(owed.every((f) => f.status === 'error')).toBe(true)
    })
  }
})
