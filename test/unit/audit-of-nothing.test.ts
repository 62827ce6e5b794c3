/**
 * An audit of nothing is not compliant: a region with no pools (a mistyped region, the wrong account, an
 * endpoint that answers `200 {}`) is an `error` finding, the headline says nothing was audited, `compliant`
 * is false and the gate fails, unless the policy says `pools: { allow-none: true }`.
 */
import { describe, expect, it } from 'vitest'
import { gate } from '../../src/audit.js'
import { evaluate } from '../../src/checks/index.js'
import { parsePolicy } from '../../src/policy/load.js'
import { headline } from '../../src/report/verdict.js'
import { testPolicy } from '../support/policy.js'
import { awsError, pool, snapshot } from '../support/pools.js'
import { resultOf } from '../support/result.js'

const empty = snapshot({ 'eu-west-1': [], 'us-east-1': [] })

describe('an audit that finds no user pool', () => {
  it('is an error naming the regions, not compliant, and fails the gate in every mode but never', () => {
    const policy = testPolicy({ regions: ['eu-west-1', 'us-east-1'] })
    const findings = evaluate(empty, policy, '2026-01-01')
    const nothing = findings.filter((f) => f.checkId === 'pool-exists')
    expect(nothing).toEqual([
      expect.objectContaining({
        status: 'error',
        message: 'No user pools found in eu-west-1, us-east-1: nothing was audited.',
        evidence: { kind: 'none', regions: ['eu-west-1', 'us-east-1'] },
      }),
    ])
    expect(nothing[0]!.remediation).toContain('allow-none: true')
    const result = resultOf(empty, findings, policy)
    expect(result.compliant).toBe(false)
    expect(headline(result)).toEqual({
      icon: '⚠️',
      text: 'No user pools found in eu-west-1, us-east-1: nothing was audited',
    })
    expect(gate(result, 'violation')).toBe('1 requirement could not be verified')
    expect(gate(result, 'error')).toBe('1 requirement could not be verified')
    expect(gate(result, 'never')).toBeUndefined()
  })

  it('is compliant when the policy allows none, and the headline still says nothing was audited', () => {
    const policy = testPolicy({ regions: ['eu-west-1', 'us-east-1'], pools: { allowNone: true } })
    const findings = evaluate(empty, policy, '2026-01-01')
    expect(findings.filter((f) => f.status === 'error' || f.status === 'fail')).toEqual([])
    const result = resultOf(empty, findings, policy)
    expect(result.compliant).toBe(true)
    expect(headline(result)).toEqual({
      icon: '✅',
      text: 'No user pools found in eu-west-1, us-east-1: nothing was audited (the policy allows none)',
    })
    expect(gate(result, 'violation')).toBeUndefined()
  })

  it('names only the regions that could be listed; with none listed the listing errors say it all', () => {
    const half = snapshot({
      'eu-west-1': { errors: [awsError('ListUserPools', { region: 'eu-west-1' })] },
      'us-east-1': [],
    })
    const policy = testPolicy({ regions: ['eu-west-1', 'us-east-1'] })
    const findings = evaluate(half, policy, '2026-01-01')
    expect(findings.find((f) => f.evidence?.kind === 'none')?.message).toBe(
      'No user pools found in us-east-1: nothing was audited.',
    )
    expect(headline(resultOf(half, findings, policy)).text).toBe(
      'No user pools found in us-east-1: nothing was audited; 1 other requirement could not be verified',
    )
    const none = snapshot({ 'us-east-1': { errors: [awsError('ListUserPools')] } })
    expect(evaluate(none, testPolicy(), '2026-01-01').filter((f) => f.evidence?.kind === 'none')).toEqual([])
  })

  it('is not reported when a pool was found, or when a named pool is missing (that is a violation already)', () => {
    expect(
      evaluate(snapshot({ 'us-east-1': [pool()] }), testPolicy(), '2026-01-01').some(
        (f) => f.evidence?.kind === 'none',
      ),
    ).toBe(false)
    const missing = snapshot({ 'us-east-1': { missing: [{ selector: 'us-east-1_Gone', kind: 'id' }] } })
    const findings = evaluate(missing, testPolicy({ pools: { ids: ['us-east-1_Gone'] } }), '2026-01-01')
    expect(findings.some((f) => f.evidence?.kind === 'none')).toBe(false)
    expect(findings.filter((f) => f.status === 'fail')).toHaveLength(1)
  })

  it('`pools: { allow-none: true }` parses (with every pool selected), and is not allowed by default', () => {
    const allowed = parsePolicy('version: 1\nregions: [us-east-1]\npools: { allow-none: true }\n', 'p.yml')
    expect(allowed.pools).toEqual({ ids: [], names: [], all: true, allowNone: true })
    expect(parsePolicy('version: 1\nregions: [us-east-1]\n', 'p.yml').pools.allowNone).toBeUndefined()
  })
})
