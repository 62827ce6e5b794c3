import { describe, expect, it } from 'vitest'
import { activitySection, activityThresholdsFor, parseLookback } from '../../../../src/checks/activity/policy.js'
import { PolicyIssue } from '../../../../src/model/policy-section.js'

const ctx = { regions: ['us-east-1'] }

describe('activity policy section', () => {
  it('fills defaults when the key is absent', () => {
    expect(activitySection.normalize(undefined, ctx)).toEqual({
      enabled: true,
      lookbackHours: 24,
      eventPages: 40,
      thresholds: { minSignInAttempts: 20, failOnHighRisk: false, severity: 'medium' },
      overrides: [],
    })
  })

  it('reads kebab-case keys into camelCase fields', () => {
    const p = activitySection.normalize(
      {
        lookback: '2d',
        'event-pages': 5,
        thresholds: { 'max-sign-in-failure-rate': 25, 'max-throttles': 0, 'fail-on-high-risk': true, severity: 'high' },
        overrides: [{ pool: 'batch-*', 'max-sign-in-failure-rate': 60, 'min-sign-in-attempts': 100 }],
      },
      ctx,
    )
    expect(p.lookbackHours).toBe(48)
    expect(p.eventPages).toBe(5)
    expect(p.thresholds).toEqual({
      maxSignInFailureRate: 25,
      minSignInAttempts: 20,
      maxThrottles: 0,
      failOnHighRisk: true,
      severity: 'high',
    })
    expect(activityThresholdsFor(p, { id: 'us-east-1_X', name: 'batch-jobs' })).toEqual({
      maxSignInFailureRate: 60,
      minSignInAttempts: 100,
      maxThrottles: 0,
      failOnHighRisk: true,
      severity: 'high',
    })
    expect(activityThresholdsFor(p, { id: 'us-east-1_Y', name: 'web' })).toBe(p.thresholds)
  })

  it('matches overrides by pool id too, first match wins', () => {
    const p = activitySection.normalize(
      {
        overrides: [
          { pool: 'us-east-1_X', 'max-throttles': 1 },
          { pool: '*', 'max-throttles': 9 },
        ],
      },
      ctx,
    )
    expect(activityThresholdsFor(p, { id: 'us-east-1_X', name: 'a' }).maxThrottles).toBe(1)
    expect(activityThresholdsFor(p, { id: 'us-east-1_Z', name: 'b' }).maxThrottles).toBe(9)
  })

  it('rejects a lookback over 14 days with the key path', () => {
    expect(() => activitySection.normalize({ lookback: '337h' }, ctx)).toThrow(PolicyIssue)
    try {
      activitySection.normalize({ lookback: '15d' }, ctx)
    } catch (e) {
      expect((e as PolicyIssue).path).toEqual(['activity', 'lookback'])
      expect((e as Error).message).toMatch(/336h/)
    }
    expect(activitySection.normalize({ lookback: '336h' }, ctx).lookbackHours).toBe(336)
  })

  it('parses lookback durations', () => {
    expect(parseLookback('24h')).toBe(24)
    expect(parseLookback('1d')).toBe(24)
    expect(parseLookback('0h')).toBeUndefined()
    expect(parseLookback('24')).toBeUndefined()
    expect(parseLookback('1w')).toBeUndefined()
  })

  it('has a schema that documents every key and forbids unknown ones', () => {
    const s = activitySection.schema as {
      additionalProperties: boolean
      properties: Record<string, { description?: string }>
    }
    expect(s.additionalProperties).toBe(false)
    expect(Object.keys(s.properties).sort()).toEqual(['enabled', 'event-pages', 'lookback', 'overrides', 'thresholds'])
    for (const v of Object.values(s.properties)) expect(v.description).toBeTruthy()
  })
})
