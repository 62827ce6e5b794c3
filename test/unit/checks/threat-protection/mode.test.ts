import { describe, expect, it } from 'vitest'
import { runCheck } from '../../../../src/checks/index.js'
import { requirementFor, threatProtection } from '../../../../src/checks/threat-protection/mode.js'
import type { UserPool } from '../../../../src/model/snapshot.js'
import { testPolicy } from '../../../support/policy.js'
import { awsError, pool, snapshotOf } from '../../../support/pools.js'

const run = (p: UserPool, policy = testPolicy()) => runCheck(threatProtection, snapshotOf(p), policy)

describe('threat-protection: standard authentication', () => {
  it('fails a pool with threat protection OFF, with the CLI warning and IaC properties', () => {
    const p = pool({ advancedSecurityMode: 'OFF', riskConfiguration: null })
    const [f, ...rest] = run(p)
    expect(rest).toHaveLength(0)
    expect(f).toMatchObject({
      checkId: 'threat-protection',
      requirement: 'threat-protection',
      status: 'fail',
      severity: 'high',
      poolId: p.id,
      poolName: p.name,
      region: 'us-east-1',
      evidence: { mode: 'OFF', required: 'AUDIT', tier: 'PLUS' },
    })
    expect(f?.message).toBe('Threat protection is off; the policy requires AUDIT (feature plan PLUS).')
    expect(f?.remediation).toContain(
      `aws cognito-idp update-user-pool --user-pool-id ${p.id} --user-pool-add-ons AdvancedSecurityMode=AUDIT`,
    )
    expect(f?.remediation).toContain('resets every setting you do not pass')
    expect(f?.remediation).toContain('UserPoolAddOns: { AdvancedSecurityMode: AUDIT }')
    expect(f?.remediation).toContain('StandardThreatProtectionMode.AUDIT_ONLY')
    expect(f?.remediation).not.toContain('move it to the Plus plan')
  })

  it('passes AUDIT when AUDIT is required, and ENFORCED too', () => {
    for (const mode of ['AUDIT', 'ENFORCED'] as const) {
      const [f] = run(pool({ advancedSecurityMode: mode }))
      expect(f?.status).toBe('pass')
      expect(f?.message).toBe(`Threat protection is ${mode} (required: at least AUDIT); feature plan PLUS.`)
      expect(f?.remediation).toBeUndefined()
    }
  })

  it('fails AUDIT when ENFORCED is required', () => {
    const [f] = run(pool({ advancedSecurityMode: 'AUDIT' }), testPolicy({ threatProtection: { mode: 'ENFORCED' } }))
    expect(f?.status).toBe('fail')
    expect(f?.message).toBe('Threat protection is only AUDIT; the policy requires ENFORCED (feature plan PLUS).')
    expect(f?.remediation).toContain('AdvancedSecurityMode=ENFORCED')
    expect(f?.remediation).toContain('StandardThreatProtectionMode.FULL_FUNCTION')
  })

  it('says a LITE or ESSENTIALS pool must move to Plus first', () => {
    for (const tier of ['LITE', 'ESSENTIALS']) {
      const p = pool({ tier, advancedSecurityMode: 'OFF' })
      const [f] = run(p)
      expect(f?.status).toBe('fail')
      expect(f?.message).toContain(`(feature plan ${tier})`)
      expect(f?.evidence).toMatchObject({ tier })
      expect(f?.remediation?.split('\n')[0]).toContain(
        `This pool is on the ${tier} feature plan, which does not include threat protection: move it to the Plus plan first`,
      )
      expect(f?.remediation).toContain(`--user-pool-id ${p.id} --user-pool-tier PLUS --user-pool-add-ons`)
    }
  })

  it('reports an absent tier as not reported', () => {
    const [f] = run(pool({ tier: undefined, advancedSecurityMode: 'OFF' }))
    expect(f?.message).toContain('(feature plan not reported)')
    expect(f?.evidence).toMatchObject({ tier: null })
    expect(f?.remediation).not.toContain('move it to the Plus plan')
  })

  it('passes but remarks on a mode AWS reports on a plan without threat protection', () => {
    const [f] = run(pool({ tier: 'ESSENTIALS', advancedSecurityMode: 'AUDIT' }))
    expect(f?.status).toBe('pass')
    expect(f?.message).toContain('the ESSENTIALS plan does not include threat protection')
  })

  it('reports a DescribeUserPool error as error, never pass', () => {
    const err = awsError('DescribeUserPool', { resource: 'us-east-1_X' })
    const findings = run(
      pool({ advancedSecurityMode: 'OFF', errors: [err] }),
      testPolicy({ threatProtection: { customAuthMode: 'AUDIT' } }),
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]?.status).toBe('error')
    expect(findings[0]?.message).toContain('cognito-idp:DescribeUserPool')
    expect(findings[0]?.evidence).toEqual({ awsError: err })
  })

  it('ignores errors of other calls (they belong to the enforcement check)', () => {
    const [f] = run(pool({ errors: [awsError('DescribeRiskConfiguration')] }))
    expect(f?.status).toBe('pass')
  })
})

describe('threat-protection: overrides', () => {
  const policy = testPolicy({
    threatProtection: {
      mode: 'AUDIT',
      overrides: [
        { pool: 'prod-*', mode: 'ENFORCED' },
        { pool: 'prod-legacy', mode: 'AUDIT' }, // shadowed: first match wins
        { pool: 'us-east-1_Exact1', customAuthMode: 'ENFORCED' },
      ],
    },
  })

  it('applies the first override whose name glob matches', () => {
    const [f] = run(pool({ name: 'prod-legacy', advancedSecurityMode: 'AUDIT' }), policy)
    expect(f?.status).toBe('fail')
    expect(f?.evidence).toMatchObject({ required: 'ENFORCED', override: 'prod-*' })
  })

  it('falls back to the default for pools no override matches', () => {
    const [f] = run(pool({ name: 'staging', advancedSecurityMode: 'AUDIT' }), policy)
    expect(f?.status).toBe('pass')
    expect(f?.evidence).not.toHaveProperty('override')
  })

  it('fills fields the override leaves out from the defaults, matching by id', () => {
    const req = requirementFor({ id: 'us-east-1_Exact1', name: 'whatever' }, policy.threatProtection)
    expect(req).toEqual({
      mode: 'AUDIT',
      requireBlocking: true,
      riskLevels: ['High'],
      customAuthMode: 'ENFORCED',
      override: 'us-east-1_Exact1',
    })
  })
})

describe('threat-protection: custom authentication', () => {
  const requireCustom = (mode: 'AUDIT' | 'ENFORCED') => testPolicy({ threatProtection: { customAuthMode: mode } })

  it('adds no custom-auth finding unless the policy asks for it', () => {
    expect(run(pool({ customAuthMode: undefined }))).toHaveLength(1)
  })

  it('fails when custom-auth threat protection is missing', () => {
    const p = pool({ customAuthMode: undefined })
    const [std, custom] = run(p, requireCustom('AUDIT'))
    expect(std?.status).toBe('pass')
    expect(custom).toMatchObject({
      status: 'fail',
      resource: 'custom authentication flows',
      evidence: { flow: 'custom-auth', customAuthMode: null, required: 'AUDIT' },
    })
    expect(custom?.message).toBe(
      'Threat protection is not enabled for custom authentication; the policy requires AUDIT (feature plan PLUS).',
    )
    expect(custom?.remediation).toContain(
      `--user-pool-add-ons 'AdvancedSecurityMode=ENFORCED,AdvancedSecurityAdditionalFlows={CustomAuthMode=AUDIT}'`,
    )
    expect(custom?.remediation).toContain('CustomThreatProtectionMode.AUDIT_ONLY')
    expect(custom?.remediation).toContain('resets every setting you do not pass')
  })

  it('fails custom-auth AUDIT when ENFORCED is required, passes ENFORCED', () => {
    const [, weak] = run(pool({ customAuthMode: 'AUDIT' }), requireCustom('ENFORCED'))
    expect(weak?.status).toBe('fail')
    expect(weak?.message).toContain('custom authentication is only AUDIT; the policy requires ENFORCED')
    const [, strong] = run(pool({ customAuthMode: 'ENFORCED' }), requireCustom('ENFORCED'))
    expect(strong?.status).toBe('pass')
    expect(strong?.resource).toBe('custom authentication flows')
  })

  it('keeps the standard mode at least AUDIT in the custom-auth CLI for an OFF pool', () => {
    const [, custom] = run(pool({ advancedSecurityMode: 'OFF', customAuthMode: undefined }), requireCustom('AUDIT'))
    expect(custom?.remediation).toContain('AdvancedSecurityMode=AUDIT,AdvancedSecurityAdditionalFlows')
  })

  it('takes the custom-auth requirement from an override', () => {
    const policy = testPolicy({ threatProtection: { overrides: [{ pool: 'auth-*', customAuthMode: 'ENFORCED' }] } })
    expect(run(pool({ name: 'auth-api', customAuthMode: 'AUDIT' }), policy)[1]?.status).toBe('fail')
    expect(run(pool({ name: 'other', customAuthMode: 'AUDIT' }), policy)).toHaveLength(1)
  })
})

describe('threat-protection: every pool of every region', () => {
  it('emits one finding per pool across regions', () => {
    const a = pool({ region: 'us-east-1' })
    const b = pool({ region: 'eu-west-1', advancedSecurityMode: 'OFF' })
    const findings = runCheck(threatProtection, snapshotOf(a, b), testPolicy({ regions: ['eu-west-1', 'us-east-1'] }))
    expect(findings.map((f) => [f.region, f.poolId, f.status])).toEqual([
      ['us-east-1', a.id, 'pass'],
      ['eu-west-1', b.id, 'fail'],
    ])
  })
})
