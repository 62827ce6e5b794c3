import { describe, expect, it } from 'vitest'
import { ALARMS_DEFAULTS, alarmsSection, normalizeAlarms } from '../../../../src/checks/alarms/policy.js'
import { PolicyIssue } from '../../../../src/model/policy-section.js'
import { parsePolicy } from '../../../../src/policy/load.js'

const FILE = 'policy.yml'
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`

describe('alarms policy section', () => {
  it('defaults: risk (both metrics, SignIn, High, >= 1), SignInThrottles, ThrottleCount UserAuthentication', () => {
    const p = alarmsSection.normalize(undefined, { regions: ['us-east-1'] })
    expect(p).toEqual(ALARMS_DEFAULTS)
    expect(p.risk).toMatchObject({
      metrics: ['AccountTakeoverRisk', 'CompromisedCredentialRisk'],
      operations: ['SignIn'],
      riskLevels: ['High'],
      maxThreshold: 1,
      requireAction: true,
    })
    expect(p.throttles.metrics).toEqual(['SignInThrottles'])
    expect(p.usage).toMatchObject({
      enabled: true,
      resources: ['UserAuthentication'],
      service: 'Cognito user pool',
      type: 'API',
    })
    expect(p.usage).not.toHaveProperty('class')
  })

  it('reads kebab-case YAML through the policy loader', () => {
    const policy = parsePolicy(
      yaml(
        'version: 1',
        'regions: [us-east-1]',
        'alarms:',
        '  risk:',
        '    metrics: [AccountTakeOverRisk, CompromisedCredentialsRisk]',
        '    operations: [SignIn, SignUp]',
        '    risk-levels: [high, Medium]',
        '    max-threshold: 2',
        '    require-action: false',
        '    severity: critical',
        '    pools: ["prod-*"]',
        '  throttles:',
        '    metrics: [SignInThrottles, FederationThrottles]',
        '    app-clients: [abc123]',
        '  usage:',
        '    resources: [UserAuthentication, UserCreation]',
        '    class: None',
        '    max-threshold: 3',
      ),
      FILE,
    )
    const a = policy.alarms
    expect(a.enabled).toBe(true)
    // Either AWS spelling in the policy becomes the canonical name.
    expect(a.risk.metrics).toEqual(['AccountTakeoverRisk', 'CompromisedCredentialRisk'])
    expect(a.risk).toMatchObject({
      operations: ['SignIn', 'SignUp'],
      riskLevels: ['high', 'Medium'],
      maxThreshold: 2,
      requireAction: false,
      severity: 'critical',
      pools: ['prod-*'],
    })
    expect(a.throttles).toMatchObject({
      metrics: ['SignInThrottles', 'FederationThrottles'],
      appClients: ['abc123'],
      maxThreshold: 10,
    })
    expect(a.usage).toMatchObject({ resources: ['UserAuthentication', 'UserCreation'], class: 'None', maxThreshold: 3 })
  })

  it('rejects unknown keys and unknown metric names through the schema', () => {
    expect(() =>
      parsePolicy(
        yaml('version: 1', 'regions: [us-east-1]', 'alarms:', '  risk:', '    metric: [AccountTakeoverRisk]'),
        FILE,
      ),
    ).toThrow(/metric/)
    expect(() =>
      parsePolicy(
        yaml('version: 1', 'regions: [us-east-1]', 'alarms:', '  throttles:', '    metrics: [SigninThrottles]'),
        FILE,
      ),
    ).toThrow(/SigninThrottles|allowed/)
  })

  it('an empty list for an enabled requirement is a PolicyIssue at its path; fine when disabled', () => {
    try {
      normalizeAlarms({ risk: { operations: [] } })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyIssue)
      expect((e as PolicyIssue).path).toEqual(['alarms', 'risk', 'operations'])
    }
    expect(normalizeAlarms({ risk: { enabled: false, operations: [] } }).risk.operations).toEqual([])
  })

  it('every schema object forbids unknown keys and every property is described', () => {
    const walk = (node: Record<string, unknown>, path: string) => {
      if (node.type === 'object') {
        expect(node.additionalProperties, path).toBe(false)
        for (const [k, v] of Object.entries(node.properties as Record<string, Record<string, unknown>>)) {
          expect(typeof v.description, `${path}.${k}`).toBe('string')
          walk(v, `${path}.${k}`)
        }
      }
    }
    walk(alarmsSection.schema, 'alarms')
  })
})
