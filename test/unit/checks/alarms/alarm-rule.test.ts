import { describe, expect, it } from 'vitest'
import {
  AlarmRuleSyntaxError,
  type AlarmState,
  evaluateAlarmRule,
  firesOn,
  parseAlarmRule,
} from '../../../../src/checks/alarms/alarm-rule.js'
import { parentsOf } from '../../../../src/checks/alarms/matcher.js'
import { composite } from '../../../support/alarms.js'

const self = (ref: string) => ref === 'a'

describe('composite alarm rules: parser', () => {
  it('parses states, quotes, ARNs, constants, NOT/AND/OR with AND binding tighter', () => {
    expect(parseAlarmRule('ALARM(a)')).toEqual({ kind: 'state', state: 'ALARM', ref: 'a' })
    expect(parseAlarmRule(`ok('b c')`)).toEqual({ kind: 'state', state: 'OK', ref: 'b c' })
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:x-1'
    expect(parseAlarmRule(`INSUFFICIENT_DATA(${arn})`)).toEqual({ kind: 'state', state: 'INSUFFICIENT_DATA', ref: arn })
    expect(parseAlarmRule('TRUE OR FALSE')).toEqual({
      kind: 'or',
      args: [
        { kind: 'const', value: true },
        { kind: 'const', value: false },
      ],
    })
    const n = parseAlarmRule('ALARM(a) OR ALARM(b) AND NOT ALARM(c)')
    expect(n.kind).toBe('or')
    if (n.kind === 'or') expect(n.args[1]!.kind).toBe('and')
  })

  it('parses AT_LEAST with a count or a percentage', () => {
    expect(parseAlarmRule('AT_LEAST(2, ALARM, (a, "b", c))')).toEqual({
      kind: 'atLeast',
      count: 2,
      percent: false,
      state: 'ALARM',
      refs: ['a', 'b', 'c'],
    })
    expect(parseAlarmRule('AT_LEAST(50%, OK, (a, b))')).toMatchObject({ count: 50, percent: true, state: 'OK' })
  })

  it('rejects what is not a rule', () => {
    for (const bad of [
      '',
      'ALARM(a',
      'ALARM a',
      'a AND b',
      'ALARM(a) ALARM(b)',
      'AT_LEAST(x, ALARM, (a))',
      'ALARM("a)',
    ]) {
      expect(() => parseAlarmRule(bad), bad).toThrow(AlarmRuleSyntaxError)
    }
  })
})

describe('composite alarm rules: evaluation', () => {
  const states: Record<string, AlarmState> = { a: 'ALARM', b: 'OK', c: 'INSUFFICIENT_DATA' }
  const of = (r: string) => states[r] ?? 'OK'
  it.each([
    ['ALARM(a)', true],
    ['OK(a)', false],
    ['NOT ALARM(a)', false],
    ['NOT (ALARM(b) OR ALARM(c))', true],
    ['ALARM(a) AND OK(b)', true],
    ['ALARM(a) AND ALARM(b)', false],
    ['INSUFFICIENT_DATA(c) AND NOT NOT ALARM(a)', true],
    ['AT_LEAST(1, ALARM, (a, b, c))', true],
    ['AT_LEAST(2, ALARM, (a, b, c))', false],
    ['AT_LEAST(50%, OK, (b, c))', true],
    ['AT_LEAST(51%, OK, (b, c))', false],
    ['FALSE OR TRUE', true],
  ])('%s is %s', (rule, want) => {
    expect(evaluateAlarmRule(parseAlarmRule(rule), of)).toBe(want)
  })
})

describe('composite alarm rules: does the alarm alone make it fire?', () => {
  it.each([
    ['ALARM(a)', true],
    ['ALARM("a") OR ALARM(b)', true],
    ['ALARM(a) AND NOT ALARM(deploying)', true],
    ['ALARM(a) AND OK(b)', true],
    ['AT_LEAST(1, ALARM, (a, b))', true],
    ['NOT ALARM(a)', false],
    ['NOT (ALARM(a))', false],
    ['NOT(ALARM(a))', false],
    ['NOT (ALARM(a) OR ALARM(b))', false],
    ['ALARM(a) AND ALARM(b)', false],
    ['AT_LEAST(2, ALARM, (a, b))', false],
    ['OK(a) OR INSUFFICIENT_DATA(a)', false],
    ['TRUE', false],
    ['ALARM(ab)', false],
    ['ALARM(a', false],
  ])('%s → %s', (rule, want) => {
    expect(firesOn(rule, self)).toBe(want)
  })

  it('parentsOf uses the rule, not a regular expression', () => {
    const cs = [
      composite('neg-group', 'NOT (ALARM(a))'),
      composite('both', 'ALARM(a) AND ALARM(b)'),
      composite('either', 'ALARM(b) OR ALARM("a")'),
    ]
    expect(parentsOf('a', undefined, cs).map((c) => c.name)).toEqual(['either'])
  })
})
