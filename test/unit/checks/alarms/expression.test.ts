import { describe, expect, it } from 'vitest'
import { knownNames, metricDef, typoOf } from '../../../../src/checks/alarms/catalogue.js'
import { expressionFiresAt } from '../../../../src/checks/alarms/expression.js'
import type { MetricQuery } from '../../../../src/model/alarms.js'

const m = (id: string): MetricQuery => ({
  id,
  returnData: false,
  metric: { namespace: 'AWS/Cognito', metricName: 'SignInThrottles', dimensions: [] },
  stat: 'Sum',
})
const e = (id: string, expression: string, returnData = false): MetricQuery => ({ id, returnData, expression })

function at(
  expression: string,
  threshold: number,
  upTo = 10,
  op = 'GreaterThanOrEqualToThreshold',
  extra: MetricQuery[] = [],
) {
  const ret = e('r', expression, true)
  return expressionFiresAt([m('m1'), m('m2'), ...extra, ret], ret, 'm1', op, threshold, upTo)
}

describe('metric math: the count at which the returned expression breaches', () => {
  it.each([
    ['m1', 3, 3],
    ['FILL(m1, 0)', 1, 1],
    ['FILL(m1, REPEAT)', 2, 2],
    ['m1 + m2', 4, 4],
    ['SUM([m1, m2])', 4, 4],
    ['SUM(METRICS())', 5, 5],
    ['m1 * 100', 100, 1],
    ['m1 / 2', 3, 6],
    ['(m1 + 1) * 2', 4, 1],
    ['m1 - 0', 2, 2],
  ])('%s >= %d breaches at %d', (expression, threshold, count) => {
    expect(at(expression, threshold)).toEqual({ ok: true, count })
  })

  it('GreaterThan needs a strictly larger value', () => {
    expect(at('m1', 2, 10, 'GreaterThanThreshold')).toEqual({ ok: true, count: 3 })
  })

  it('never breaches within the bound: falling, ratios over an idle metric, too high', () => {
    for (const x of ['-m1', 'm2 - m1', 'm1 / m2', 'm1 * 0']) expect(at(x, 1), x).toEqual({ ok: false, kind: 'never' })
    expect(at('m1', 11)).toEqual({ ok: false, kind: 'never' })
  })

  it('follows expression queries and rejects what it cannot evaluate', () => {
    expect(at('e0 * 2', 2, 10, 'GreaterThanOrEqualToThreshold', [e('e0', 'FILL(m1, 0)')])).toEqual({
      ok: true,
      count: 1,
    })
    for (const [x, why] of [
      ['ANOMALY_DETECTION_BAND(m1)', 'function ANOMALY_DETECTION_BAND() is not understood'],
      ['m1 + zz', 'unknown id zz'],
      ['m1 +', 'unexpected end'],
      ['m1 # 2', 'cannot read'],
    ]) {
      const v = at(x!, 1)
      expect(v.ok, x).toBe(false)
      if (!v.ok && v.kind === 'unsupported') expect(v.why, x).toContain(why)
      else throw new Error(`${x}: expected unsupported`)
    }
    const loop = expressionFiresAt(
      [m('m1'), e('a', 'b'), e('b', 'a', true)],
      e('b', 'a', true),
      'm1',
      'GreaterThanOrEqualToThreshold',
      1,
      3,
    )
    expect(loop).toMatchObject({ ok: false, kind: 'unsupported' })
  })
})

describe('typos: the closest catalogued name decides which metric a misspelling belongs to', () => {
  it('SignUpThrotles is a typo of SignUpThrottles, not of SignInThrottles', () => {
    const known = knownNames()
    expect(typoOf('SignUpThrotles', metricDef('SignUpThrottles'), known)).toBe('SignUpThrottles')
    expect(typoOf('SignUpThrotles', metricDef('SignInThrottles'), known)).toBeUndefined()
    expect(typoOf('SigninThrottles', metricDef('SignInThrottles'), known)).toBe('SignInThrottles')
    expect(typoOf('AccountTakoverRisk', metricDef('AccountTakeoverRisk'), known)).toBe('AccountTakeoverRisk')
  })
})
