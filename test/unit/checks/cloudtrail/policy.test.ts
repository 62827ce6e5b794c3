import { describe, expect, it } from 'vitest'
import { CLOUDTRAIL_POLICY_DEFAULTS, cloudTrailSection } from '../../../../src/checks/cloudtrail/policy.js'
import { parsePolicy } from '../../../../src/policy/load.js'

const ctx = { regions: ['us-east-1'] }
const parse = (body: string) => parsePolicy(`version: 1\nregions: [us-east-1]\n${body}`, 'policy.yml')

describe('cloudtrail policy section', () => {
  it('defaults: enabled, write-only rejected, 24 h, optional settings off', () => {
    const expected = {
      enabled: true,
      acceptWriteOnly: false,
      maxDeliveryAgeHours: 24,
      logFileValidation: 'off',
      kmsEncryption: 'off',
      cloudWatchLogs: 'off',
    }
    expect(CLOUDTRAIL_POLICY_DEFAULTS).toEqual(expected)
    expect(cloudTrailSection.normalize(undefined, ctx)).toEqual(expected)
    expect(parse('').cloudtrail).toEqual(expected)
  })

  it('maps every kebab-case key to its typed field', () => {
    const p = parse(
      [
        'cloudtrail:',
        '  enabled: true',
        '  accept-write-only: true',
        '  max-delivery-age: 6',
        '  log-file-validation: warn',
        '  kms-encryption: require',
        '  cloudwatch-logs: warn',
      ].join('\n'),
    )
    expect(p.cloudtrail).toEqual({
      enabled: true,
      acceptWriteOnly: true,
      maxDeliveryAgeHours: 6,
      logFileValidation: 'warn',
      kmsEncryption: 'require',
      cloudWatchLogs: 'warn',
    })
  })

  it('can be disabled', () => {
    expect(parse('cloudtrail:\n  enabled: false').cloudtrail.enabled).toBe(false)
  })

  it.each([
    ['an unknown key', 'cloudtrail:\n  accept-writeonly: true', 'cloudtrail.accept-writeonly: unknown key'],
    [
      'an unknown setting level',
      'cloudtrail:\n  kms-encryption: yes',
      'cloudtrail.kms-encryption: must be one of off, warn, require',
    ],
    ['a zero delivery age', 'cloudtrail:\n  max-delivery-age: 0', 'cloudtrail.max-delivery-age: must be > 0'],
    ['a non-numeric delivery age', 'cloudtrail:\n  max-delivery-age: 1d', 'cloudtrail.max-delivery-age'],
  ])('rejects %s', (_n, body, message) => {
    expect(() => parse(body)).toThrow(message)
  })

  it('documents every option with a description and a default in the schema', () => {
    const props = cloudTrailSection.schema.properties as Record<string, { description?: string; default?: unknown }>
    expect(Object.keys(props).sort()).toEqual([
      'accept-write-only',
      'cloudwatch-logs',
      'enabled',
      'kms-encryption',
      'log-file-validation',
      'max-delivery-age',
    ])
    for (const [key, p] of Object.entries(props)) {
      expect(p.description, key).toBeTruthy()
      expect(p.default, key).toBeDefined()
    }
  })
})
