/**
 * "ENFORCED must really block" and MFA_IF_CONFIGURED, through the whole pipeline: DescribeUserPool's
 * MfaConfiguration is read and judged with the pool-level and the app-client-level risk configurations.
 */

import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/audit.js'
import { audit, finding, findingsOf, usePipelineSandbox } from './helpers/pipeline.js'
import { itemsOf } from '../support/pools.js'

const policy = (riskLevels?: string) => `
version: 1
regions: [us-east-1]
threat-protection:
  mode: ENFORCED
  require-blocking: true
${riskLevels ? `  risk-levels: ${riskLevels}\n` : ''}alarms:
  enabled: false
cloudtrail:
  enabled: false
activity:
  enabled: false
`
const CHECK = 'threat-protection-enforcement'

describe('MFA_IF_CONFIGURED through the whole pipeline', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/mfa-if-configured.yml')
  let result: AuditResult
  beforeAll(async () => {
    result = await audit(policy())
  })

  it('collects every pool’s MfaConfiguration', () => {
    const mfa = Object.fromEntries(
      result.snapshot.regions.flatMap((r) => itemsOf(r.cognito.pools).map((p) => [p.name, p.mfaConfiguration])),
    )
    expect(mfa).toEqual({
      'mfa-optional': 'OPTIONAL',
      'mfa-off': 'OFF',
      'mfa-on': 'ON',
      'mfa-client': 'OPTIONAL',
      'mfa-medium': 'OPTIONAL',
    })
    expect(result.findings.filter((f) => f.status === 'error')).toEqual([])
  })

  it('fails high-risk MFA_IF_CONFIGURED on a pool where MFA is optional, naming the setting', () => {
    const f = finding(ctx, result, CHECK, 'mfa-optional')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(
      /ENFORCED in name only: high-risk account-takeover sign-ins of users without MFA are allowed/,
    )
    expect(f.message).toContain("the pool's MfaConfiguration is OPTIONAL")
  })

  it('fails it on a pool with MFA off', () => {
    const f = finding(ctx, result, CHECK, 'mfa-off')
    expect(f.status).toBe('fail')
    expect(f.message).toContain("the pool's MfaConfiguration is OFF")
  })

  it('passes it on a pool that requires MFA of every user', () => {
    const f = finding(ctx, result, CHECK, 'mfa-on')
    expect(f.status).toBe('pass')
    expect(f.message).toContain('MfaConfiguration ON')
  })

  it('fails an app client whose own configuration uses it, and not the pool', () => {
    const kiosk = ctx.seeded.clients['mfa-client/kiosk']!
    const all = findingsOf(ctx, result, CHECK, 'mfa-client')
    const failing = all.filter((f) => f.status === 'fail')
    expect(failing).toHaveLength(1)
    expect(failing[0]!.resource).toContain(kiosk)
    expect(failing[0]!.message).toContain('its own risk configuration')
    expect(failing[0]!.message).toContain("the pool's MfaConfiguration is OPTIONAL")
    expect(all.find((f) => f.resource === undefined)?.status).toBe('pass')
  })

  describe('with risk-levels [High, Medium]', () => {
    let strict: AuditResult
    beforeAll(async () => {
      strict = await audit(policy('[High, Medium]'))
    })

    it('judges medium risk only when the policy asks for it', () => {
      expect(finding(ctx, result, CHECK, 'mfa-medium').status).toBe('pass')
      const f = finding(ctx, strict, CHECK, 'mfa-medium')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/medium-risk account-takeover sign-ins of users without MFA are allowed/)
      // With MFA required, medium MFA_IF_CONFIGURED stops every risky sign-in too.
      expect(finding(ctx, strict, CHECK, 'mfa-on').status).toBe('pass')
    })
  })
})
