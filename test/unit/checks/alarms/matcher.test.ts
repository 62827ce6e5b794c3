import { describe, expect, it } from 'vitest'
import {
  editDistance,
  knownNames,
  looksLikeNamespace,
  metricDef,
  typoOf,
} from '../../../../src/checks/alarms/catalogue.js'
import { dependencies, firesAt, parentsOf, reachability, viewsOf } from '../../../../src/checks/alarms/matcher.js'
import { alarmName, putMetricAlarmCommand } from '../../../../src/checks/alarms/remediation.js'
import type { MetricQuery } from '../../../../src/model/alarms.js'
import { cfnLogicalId as logicalId } from '../../../../src/model/quote.js'
import { alarm, composite, series } from '../../../support/alarms.js'

describe('catalogue', () => {
  it('edit distance', () => {
    expect(editDistance('SigninThrottles', 'SignInThrottles')).toBe(1)
    expect(editDistance('AccountTakoverRisk', 'AccountTakeoverRisk')).toBe(1)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })

  it('typos: close to a spelling and unknown; known names and far names are not typos', () => {
    const known = knownNames()
    const ato = metricDef('AccountTakeoverRisk')
    const sit = metricDef('SignInThrottles')
    expect(typoOf('AccountTakoverRisk', ato, known)).toBe('AccountTakeoverRisk')
    expect(typoOf('AccountTakeOverRsk', ato, known)).toBe('AccountTakeOverRisk')
    expect(typoOf('AccountTakeOverRisk', ato, known)).toBeUndefined() // a real spelling
    expect(typoOf('SigninThrottles', sit, known)).toBe('SignInThrottles')
    expect(typoOf('SIGNINTHROTTLES', sit, known)).toBe('SignInThrottles')
    expect(typoOf('SignUpThrottles', sit, known)).toBeUndefined()
    expect(typoOf('Throttles', sit, known)).toBeUndefined()
    expect(typoOf('SigninThrottles', sit, knownNames(['SigninThrottles']))).toBeUndefined()
  })

  it('namespace look-alikes', () => {
    expect(looksLikeNamespace('AWS/cognito', 'AWS/Cognito')).toBe(true)
    expect(looksLikeNamespace('Cognito', 'AWS/Cognito')).toBe(true)
    expect(looksLikeNamespace('AWS/EC2', 'AWS/Cognito')).toBe(false)
  })
})

describe('metric math dependencies', () => {
  const q = (id: string, expression?: string, returnData = false): MetricQuery => ({
    id,
    returnData,
    ...(expression ? { expression } : { metric: series('SignInThrottles', {}) }),
  })

  it('follows expressions transitively and ignores function names and strings', () => {
    const queries = [
      q('m1'),
      q('m2'),
      q('m3'),
      q('e1', 'SUM([m1, m2])'),
      q('e2', 'IF(e1 > 0, e1, 0) + FILL(m3, "m9")', true),
    ]
    expect([...dependencies(queries[4]!, queries)].sort()).toEqual(['e1', 'e2', 'm1', 'm2', 'm3'])
    expect([...dependencies(queries[3]!, queries)].sort()).toEqual(['e1', 'm1', 'm2'])
  })

  it('METRICS() depends on every query; self-references do not loop', () => {
    const queries = [q('m1'), q('m2'), q('e1', 'MAX(METRICS())', true)]
    expect([...dependencies(queries[2]!, queries)].sort()).toEqual(['e1', 'm1', 'm2'])
    const loop = [q('a', 'b'), q('b', 'a', true)]
    expect([...dependencies(loop[1]!, loop)].sort()).toEqual(['a', 'b'])
  })

  it('viewsOf marks which metric queries the returned expression uses', () => {
    const a = {
      ...alarm('m', series('x', {})),
      metric: undefined,
      queries: [q('m1'), q('m2'), q('e1', 'm2 * 100', true)],
    }
    expect(viewsOf(a).map((v) => [v.queryId, v.usedByReturn, v.transform])).toEqual([
      ['m1', false, 'm2 * 100'],
      ['m2', true, 'm2 * 100'],
    ])
    // ReturnData on the MetricStat itself: a bare metric, threshold fully checked.
    const bare = { ...a, queries: [q('m1', undefined, true)] }
    expect(viewsOf(bare).map((v) => [v.usedByReturn, v.transform])).toEqual([[true, undefined]])
  })
})

describe('thresholds', () => {
  it('the smallest firing count', () => {
    expect(firesAt('GreaterThanOrEqualToThreshold', 1)).toBe(1)
    expect(firesAt('GreaterThanOrEqualToThreshold', 0.5)).toBe(1)
    expect(firesAt('GreaterThanThreshold', 0)).toBe(1)
    expect(firesAt('GreaterThanThreshold', 0.5)).toBe(1)
    expect(firesAt('GreaterThanThreshold', 1000)).toBe(1001)
    expect(firesAt('LessThanThreshold', 1)).toBeUndefined()
    expect(firesAt('LessThanOrEqualToThreshold', 1)).toBeUndefined()
    expect(firesAt('GreaterThanOrEqualToThreshold', undefined)).toBeUndefined()
  })
})

describe('composite alarms', () => {
  it('parses ALARM() with quotes, without, and by ARN; skips NOT and other states', () => {
    const arn = 'arn:aws:cloudwatch:us-east-1:1:alarm:a'
    const cs = [
      composite('q', 'ALARM("a")'),
      composite('bare', 'ALARM(a) AND OK(b)'),
      composite('arn', `ALARM("${arn}")`),
      composite('neg', 'NOT ALARM("a")'),
      composite('ok', 'OK("a") OR INSUFFICIENT_DATA(a)'),
      composite('prefix', 'ALARM("ab")'),
    ]
    expect(parentsOf('a', arn, cs).map((c) => c.name)).toEqual(['q', 'bare', 'arn'])
  })

  it('reachability: direct, through composites, or the reason', () => {
    const a = { name: 'a', actionsEnabled: true, alarmActions: [] as string[] }
    expect(reachability({ ...a, alarmActions: ['x'] }, [])).toEqual({ ok: true, via: 'direct' })
    expect(reachability(a, [composite('c', 'ALARM(a)')])).toEqual({ ok: true, via: 'composite:c' })
    const r = reachability({ ...a, actionsEnabled: false, alarmActions: ['x'] }, [])
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.fix).toContain('enable-alarm-actions')
    // A cycle of composites without actions terminates.
    const cyc = reachability(a, [
      composite('c1', 'ALARM(a) OR ALARM(c2)', { alarmActions: [] }),
      composite('c2', 'ALARM(c1)', { alarmActions: [] }),
    ])
    expect(cyc.ok).toBe(false)
    if (!cyc.ok) expect(cyc.reason).toContain('(c1, c2) have no enabled ALARM action')
  })
})

describe('remediation builders', () => {
  it('quotes values for the shell and keeps names within limits', () => {
    const cmd = putMetricAlarmCommand({
      region: 'eu-west-1',
      alarmName: "it's",
      namespace: 'AWS/Usage',
      metricName: 'ThrottleCount',
      dimensions: [{ name: 'Service', value: 'Cognito user pool' }],
      threshold: 1,
      description: 'd',
    })
    expect(cmd).toContain(`--alarm-name 'it'\\''s'`)
    expect(cmd).toContain(`--dimensions 'Name=Service,Value=Cognito user pool'`)
    expect(cmd).toContain('arn:aws:sns:eu-west-1:<ACCOUNT_ID>:<ALERT_TOPIC>')
    expect(alarmName(['x'.repeat(300)])).toHaveLength(255)
    expect(logicalId(['cognito-us-east-1_Ab-SignInThrottles'])).toBe('CognitoUsEast1AbSignInThrottles')
  })
})
