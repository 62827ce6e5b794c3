import { describe, expect, it } from 'vitest'
import { evaluate, runCheck } from '../../../../src/checks/index.js'
import { policySelectors } from '../../../../src/checks/pools/selectors.js'
import { testPolicy } from '../../../support/policy.js'
import { awsError, pool, snapshot } from '../../../support/pools.js'

const portal = pool({ id: 'us-east-1_Portal', name: 'partner-portal', advancedSecurityMode: 'AUDIT' })
const snap = snapshot({ 'us-east-1': [portal] })

describe('policy-selectors: a selector that matches no pool is reported, not silently ignored', () => {
  it('a mistyped threat-protection override is an advisory finding naming the key', () => {
    const p = testPolicy({ threatProtection: { overrides: [{ pool: 'partner-portl', mode: 'ENFORCED' }] } })
    const [f] = runCheck(policySelectors, snap, p)
    expect(f).toMatchObject({
      status: 'warn',
      resource: 'threat-protection.overrides[0].pool',
      requirement: 'threat-protection',
    })
    expect(f!.message).toBe(
      'threat-protection.overrides[0].pool "partner-portl" matches no audited user pool in us-east-1, so it changes nothing: probably a typo.',
    )
    expect(f!.remediation).toContain('partner-portal')
    // The AUDIT pool passes the default requirement, but the run is no longer silently green.
    const all = evaluate(snap, p, '2026-01-01')
    expect(all.filter((x) => x.status === 'warn')).toHaveLength(1)
  })

  it('selectors that match (id, glob, *) and region-name exemptions are fine', () => {
    const p = testPolicy({
      threatProtection: {
        overrides: [
          { pool: 'us-east-1_Portal', mode: 'AUDIT' },
          { pool: 'partner-*', mode: 'AUDIT' },
        ],
      },
      exemptions: [
        { pool: '*', requirement: 'alarms', reason: 'r' },
        { pool: 'us-east-1', requirement: 'cloudtrail', reason: 'r' },
      ],
    })
    expect(runCheck(policySelectors, snap, p)).toEqual([])
  })

  it('covers exemptions and per-requirement pool lists, with their own index', () => {
    const p = testPolicy({
      exemptions: [
        { pool: 'partner-portal', requirement: 'alarms', reason: 'ok' },
        { pool: 'legacy-*', requirement: 'threat-protection-enforcement', reason: 'typo?' },
      ],
    })
    const fs = runCheck(policySelectors, snap, p)
    expect(fs.map((f) => [f.resource, f.requirement])).toEqual([['exemptions[1].pool', 'threat-protection']])
  })

  it('says nothing when a region could not be listed (the pool may exist there)', () => {
    const s = snapshot({
      'us-east-1': [portal],
      'eu-west-1': { errors: [awsError('ListUserPools', { region: 'eu-west-1' })] },
    })
    const p = testPolicy({
      regions: ['eu-west-1', 'us-east-1'],
      threatProtection: { overrides: [{ pool: 'eu-app', mode: 'AUDIT' }] },
    })
    expect(runCheck(policySelectors, s, p)).toEqual([])
  })
})
