import { describe, expect, it } from 'vitest'
import { runCheck } from '../../../../src/checks/index.js'
import { poolExists } from '../../../../src/checks/pools/exists.js'
import { testPolicy } from '../../../support/policy.js'
import { awsError, pool, snapshot } from '../../../support/pools.js'

describe('pool-exists', () => {
  it('fails every missing pool id, naming the selector and region', () => {
    const findings = runCheck(
      poolExists,
      snapshot({ 'us-east-1': { pools: [pool()], missing: [{ selector: 'us-east-1_Gone', kind: 'id' }] } }),
      testPolicy(),
    )
    expect(findings).toEqual([
      expect.objectContaining({
        checkId: 'pool-exists',
        requirement: 'threat-protection',
        severity: 'high',
        status: 'fail',
        region: 'us-east-1',
        poolId: 'us-east-1_Gone',
        message: 'us-east-1_Gone: named in the policy but no such user pool exists in us-east-1.',
        evidence: { selector: 'us-east-1_Gone', kind: 'id', regions: ['us-east-1'] },
      }),
    ])
    expect(findings[0]?.remediation).toContain('list-user-pools --max-results 60 --region us-east-1')
  })

  it('fails a name glob only when it matched in no region', () => {
    const nowhere = snapshot({
      'eu-west-1': { missing: [{ selector: 'prod-*', kind: 'name' }] },
      'us-east-1': { missing: [{ selector: 'prod-*', kind: 'name' }] },
    })
    const [f, ...rest] = runCheck(poolExists, nowhere, testPolicy())
    expect(rest).toEqual([])
    expect(f).toMatchObject({ status: 'fail', poolId: 'prod-*', region: 'eu-west-1' })
    expect(f?.message).toBe('prod-*: named in the policy but no such user pool exists in eu-west-1, us-east-1.')

    const somewhere = snapshot({
      'eu-west-1': { missing: [{ selector: 'prod-*', kind: 'name' }] },
      'us-east-1': [pool({ name: 'prod-api' })],
    })
    expect(runCheck(poolExists, somewhere, testPolicy())).toEqual([])
  })

  it('does not call a glob missing when a region could not be listed; reports that region as error', () => {
    const err = awsError('ListUserPools', { region: 'us-east-1' })
    const s = snapshot({
      'eu-west-1': { missing: [{ selector: 'prod-*', kind: 'name' }] },
      'us-east-1': { errors: [err] },
    })
    const findings = runCheck(poolExists, s, testPolicy())
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ status: 'error', region: 'us-east-1', evidence: { awsError: err } })
    expect(findings[0]?.poolId).toBeUndefined()
    expect(findings[0]?.message).toContain('cognito-idp:ListUserPools in us-east-1 was denied')
  })

  it('emits nothing when every named pool exists', () => {
    expect(runCheck(poolExists, snapshot({ 'us-east-1': [pool()] }), testPolicy())).toEqual([])
  })
})
