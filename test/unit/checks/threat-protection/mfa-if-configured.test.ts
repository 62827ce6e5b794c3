/**
 * MFA_IF_CONFIGURED challenges only the users who set MFA up and lets every other user through
 * ("else allow the request", AccountTakeoverActionType). It stops every risky sign-in only when the pool
 * requires MFA of everyone (MfaConfiguration ON); otherwise it breaks "ENFORCED must really block".
 */
import { describe, expect, it } from 'vitest'
import { runCheck } from '../../../../src/checks/index.js'
import { threatProtectionEnforcement as check } from '../../../../src/checks/threat-protection/enforcement.js'
import { threatProtectionSection } from '../../../../src/checks/threat-protection/policy.js'
import type { EventAction, RiskConfiguration, UserPool } from '../../../../src/model/snapshot.js'
import { PolicyIssue } from '../../../../src/model/policy-section.js'
import { testPolicy } from '../../../support/policy.js'
import { blockingRisk, pool, snapshotOf } from '../../../support/pools.js'

const normalize = (raw: unknown) => threatProtectionSection.normalize(raw, { regions: ['us-east-1'] })

const risk = (levels: { high?: EventAction; medium?: EventAction; low?: EventAction }): RiskConfiguration =>
  blockingRisk({
    AccountTakeoverRiskConfiguration: {
      Actions: {
        ...(levels.low ? { LowAction: { Notify: false, EventAction: levels.low } } : {}),
        ...(levels.medium ? { MediumAction: { Notify: false, EventAction: levels.medium } } : {}),
        ...(levels.high ? { HighAction: { Notify: false, EventAction: levels.high } } : {}),
      },
    },
  })

const run = (p: UserPool, raw: Record<string, unknown> = {}) =>
  runCheck(check, snapshotOf(p), testPolicy({ threatProtection: normalize({ ...raw }) }))
const poolLevel = (p: UserPool, raw: Record<string, unknown> = {}) => run(p, raw).find((f) => f.resource === undefined)

describe('threat-protection-enforcement: high-risk MFA_IF_CONFIGURED and the pool’s MFA setting', () => {
  for (const mfa of ['OPTIONAL', 'OFF'] as const) {
    it(`fails when the pool's MfaConfiguration is ${mfa}, naming it`, () => {
      const f = poolLevel(pool({ mfaConfiguration: mfa, riskConfiguration: risk({ high: 'MFA_IF_CONFIGURED' }) }))
      expect(f?.status).toBe('fail')
      expect(f?.message).toContain('ENFORCED in name only')
      expect(f?.message).toContain('high-risk')
      expect(f?.message).toContain('MFA_IF_CONFIGURED')
      expect(f?.message).toContain(`MfaConfiguration is ${mfa}`)
      expect(f?.message).toMatch(/users without MFA/)
      expect(f?.evidence).toMatchObject({ mfaConfiguration: mfa })
    })
  }

  it('passes when the pool requires MFA of every user (MfaConfiguration ON)', () => {
    const f = poolLevel(pool({ mfaConfiguration: 'ON', riskConfiguration: risk({ high: 'MFA_IF_CONFIGURED' }) }))
    expect(f?.status).toBe('pass')
    expect(f?.message).toContain('MfaConfiguration ON')
  })

  it('is an error, never a pass, when the pool’s MFA setting is unknown (older snapshot)', () => {
    const f = poolLevel(pool({ riskConfiguration: risk({ high: 'MFA_IF_CONFIGURED' }) }))
    expect(f?.status).toBe('error')
    expect(f?.message).toContain('MfaConfiguration')
  })

  it('still fails on a real problem when the MFA setting is unknown as well', () => {
    const rc = risk({ high: 'MFA_IF_CONFIGURED' })
    rc.CompromisedCredentialsRiskConfiguration = { Actions: { EventAction: 'NO_ACTION' } }
    expect(poolLevel(pool({ riskConfiguration: rc }))?.status).toBe('fail')
  })

  it('BLOCK and MFA_REQUIRED block whatever the MFA setting', () => {
    for (const high of ['BLOCK', 'MFA_REQUIRED'] as const) {
      for (const mfa of ['OFF', 'OPTIONAL', 'ON', undefined] as const) {
        const p = pool({ riskConfiguration: risk({ high }), ...(mfa ? { mfaConfiguration: mfa } : {}) })
        expect(poolLevel(p)?.status).toBe('pass')
      }
    }
  })

  it('judges an app client’s own configuration the same way', () => {
    const p = pool({
      mfaConfiguration: 'OPTIONAL',
      clients: [{ id: 'c1', name: 'web' }],
      clientRiskConfigurations: [{ clientId: 'c1', configuration: risk({ high: 'MFA_IF_CONFIGURED' }) }],
    })
    const f = run(p).find((x) => x.resource === 'web (c1)')
    expect(f?.status).toBe('fail')
    expect(f?.message).toContain('its own risk configuration')
    expect(f?.message).toContain('MfaConfiguration is OPTIONAL')
    // The pool level (BLOCK) still passes; nobody inherits it, so it is a pass or an advisory, never a fail.
    expect(run(p).find((x) => x.resource === undefined)?.status).not.toBe('fail')
  })

  it('passes an app client with MFA_IF_CONFIGURED when the pool requires MFA', () => {
    const p = pool({
      mfaConfiguration: 'ON',
      clients: [{ id: 'c1', name: 'web' }],
      clientRiskConfigurations: [{ clientId: 'c1', configuration: risk({ high: 'MFA_IF_CONFIGURED' }) }],
    })
    expect(run(p).find((x) => x.resource === 'web (c1)')?.status).toBe('pass')
  })

  it('the remediation never suggests MFA_IF_CONFIGURED for a level the policy requires', () => {
    const f = poolLevel(
      pool({ mfaConfiguration: 'OPTIONAL', riskConfiguration: risk({ high: 'MFA_IF_CONFIGURED' }) }),
      {
        'risk-levels': ['High', 'Medium'],
      },
    )
    expect(f?.remediation).toContain('"HighAction":{"Notify":false,"EventAction":"BLOCK"}')
    expect(f?.remediation).toContain('"MediumAction":{"Notify":false,"EventAction":"MFA_REQUIRED"}')
  })
})

describe('threat-protection-enforcement: medium and low risk when the policy asks for them', () => {
  const mediumIfConfigured = risk({ high: 'BLOCK', medium: 'MFA_IF_CONFIGURED', low: 'NO_ACTION' })

  it('by default (risk-levels [High]) medium and low are not judged', () => {
    const f = poolLevel(pool({ mfaConfiguration: 'OPTIONAL', riskConfiguration: mediumIfConfigured }))
    expect(f?.status).toBe('pass')
    expect(f?.message).toContain('low-risk sign-ins are allowed (NO_ACTION)')
  })

  it('fails medium MFA_IF_CONFIGURED without required MFA when the policy lists Medium', () => {
    const f = poolLevel(pool({ mfaConfiguration: 'OPTIONAL', riskConfiguration: mediumIfConfigured }), {
      'risk-levels': ['High', 'Medium'],
    })
    expect(f?.status).toBe('fail')
    expect(f?.message).toContain('medium-risk')
    expect(f?.message).toContain('MfaConfiguration is OPTIONAL')
    expect(f?.message).not.toContain('high-risk')
  })

  it('passes medium MFA_IF_CONFIGURED when the pool requires MFA', () => {
    const f = poolLevel(pool({ mfaConfiguration: 'ON', riskConfiguration: mediumIfConfigured }), {
      'risk-levels': ['high', 'medium'],
    })
    expect(f?.status).toBe('pass')
  })

  it('fails low NO_ACTION and a missing level when the policy lists them', () => {
    const f = poolLevel(pool({ mfaConfiguration: 'ON', riskConfiguration: risk({ high: 'BLOCK' }) }), {
      'risk-levels': ['Low', 'Medium', 'High'],
    })
    expect(f?.status).toBe('fail')
    expect(f?.message).toContain('medium-risk account-takeover sign-ins have no action configured')
    expect(f?.message).toContain('low-risk account-takeover sign-ins have no action configured')
    const g = poolLevel(pool({ mfaConfiguration: 'ON', riskConfiguration: mediumIfConfigured }), {
      'risk-levels': ['Low'],
    })
    expect(g?.status).toBe('fail')
    expect(g?.message).toContain('low-risk account-takeover sign-ins are allowed (NO_ACTION)')
  })

  it('an override can ask for other levels than the default', () => {
    const p = pool({ name: 'strict-shop', mfaConfiguration: 'OPTIONAL', riskConfiguration: mediumIfConfigured })
    expect(poolLevel(p)?.status).toBe('pass')
    expect(poolLevel(p, { overrides: [{ pool: 'strict-*', 'risk-levels': ['High', 'Medium'] }] })?.status).toBe('fail')
  })
})

describe('threat-protection policy: risk-levels', () => {
  it('defaults to [High] and accepts any casing', () => {
    expect(normalize({}).riskLevels).toEqual(['High'])
    expect(normalize({ 'risk-levels': ['medium', 'high', 'High'] }).riskLevels).toEqual(['Medium', 'High'])
  })

  it('refuses an empty list and an unknown level', () => {
    expect(() => normalize({ 'risk-levels': [] })).toThrow(PolicyIssue)
    expect(() => normalize({ 'risk-levels': ['Severe'] })).toThrow(/unknown risk level "Severe"/)
  })
})
