/** Small building blocks of the loader: list inputs, suggestions, paths, dates, regions, error formatting. */
import { describe, expect, it } from 'vitest'
import { closest, formatPath, formatProblem, PolicyError } from '../../../src/policy/errors.js'
import { parseListInput, poolIdProblem, regionProblem } from '../../../src/policy/inputs.js'
import { AWS_REGIONS, isKnownRegion, REGION_NAMES } from '../../../src/policy/regions.js'
import { isIsoDate } from '../../../src/policy/validate.js'

describe('parseListInput', () => {
  it('splits on commas and newlines, trims and drops empties', () => {
    expect(parseListInput(' us-east-1, eu-west-1\n\n  ap-south-1 ,,\r\nca-central-1\n')).toEqual([
      'us-east-1',
      'eu-west-1',
      'ap-south-1',
      'ca-central-1',
    ])
  })
  it('returns an empty list for an empty or missing input', () => {
    expect(parseListInput('')).toEqual([])
    expect(parseListInput(undefined)).toEqual([])
    expect(parseListInput(' , \n ')).toEqual([])
  })
})

describe('regions', () => {
  it('knows commercial regions (incl. the newest), GovCloud and China, and nothing else', () => {
    for (const r of ['us-east-1', 'mx-central-1', 'ap-southeast-7', 'ap-east-2', 'us-gov-west-1', 'cn-northwest-1']) {
      expect(isKnownRegion(r), r).toBe(true)
    }
    for (const r of ['us-east-3', 'aws-global', 'us-iso-east-1', 'toString', ''])
      expect(isKnownRegion(r), r).toBe(false)
    expect(REGION_NAMES).toEqual(Object.keys(AWS_REGIONS).sort())
  })
  it('explains unknown regions and pool ids with a suggestion', () => {
    expect(regionProblem('eu-west-1')).toBeUndefined()
    expect(regionProblem('euwest-1')).toBe('"euwest-1" is not a known AWS Region (did you mean "eu-west-1"?)')
    expect(regionProblem('moon-1')).toBe(
      '"moon-1" is not a known AWS Region: expected a Region code such as us-east-1 or eu-west-1 (the schema lists every known one)',
    )
    expect(poolIdProblem('us-east-1_AbC123')).toBeUndefined()
    expect(poolIdProblem('us-east-1-AbC123')).toBe(
      '"us-east-1-AbC123" is not a user pool id: it must look like us-east-1_AbC123',
    )
    expect(poolIdProblem('eu-west-9_A1')).toBe(
      '"eu-west-9_A1" is in an unknown AWS Region "eu-west-9" (did you mean "eu-west-1"?)',
    )
  })
})

describe('closest', () => {
  it('suggests typos, transpositions and case slips, but not unrelated words', () => {
    const keys = ['version', 'regions', 'pools', 'threat-protection', 'exemptions']
    expect(closest('threat-protecton', keys)).toBe('threat-protection')
    expect(closest('verison', keys)).toBe('version')
    expect(closest('Regions', keys)).toBe('regions')
    expect(closest('pool', keys)).toBe('pools')
    expect(closest('owner', keys)).toBeUndefined()
    expect(closest('x', [])).toBeUndefined()
  })
})

describe('formatPath and formatProblem', () => {
  it('formats key paths with dots and indexes, quoting odd keys', () => {
    expect(formatPath(['exemptions', 0, 'reason'])).toBe('exemptions[0].reason')
    expect(formatPath(['threat-protection', 'overrides', 2])).toBe('threat-protection.overrides[2]')
    expect(formatPath(['a key', 'b'])).toBe('["a key"].b')
    expect(formatPath([])).toBe('')
  })
  it('formats with and without a position or path', () => {
    expect(formatProblem({ source: 'p.yml', line: 3, column: 5, path: 'a.b', message: 'bad' })).toBe(
      'p.yml:3:5: a.b: bad',
    )
    expect(formatProblem({ source: 'p.yml', path: '', message: 'not found' })).toBe('p.yml: not found')
    expect(formatProblem({ source: 'inputs', path: 'regions', message: 'bad' })).toBe('inputs: regions: bad')
  })
  it('sorts problems by source, line and column', () => {
    const err = new PolicyError([
      { source: 'p.yml', line: 9, column: 1, path: 'c', message: 'm' },
      { source: 'p.yml', line: 2, column: 7, path: 'b', message: 'm' },
      { source: 'p.yml', line: 2, column: 3, path: 'a', message: 'm' },
    ])
    expect(err.problems.map((p) => p.path)).toEqual(['a', 'b', 'c'])
    expect(err.message).toBe('p.yml:2:3: a: m\np.yml:2:7: b: m\np.yml:9:1: c: m')
  })
})

describe('isIsoDate', () => {
  it('accepts real calendar days only', () => {
    expect(isIsoDate('2026-12-31')).toBe(true)
    expect(isIsoDate('2028-02-29')).toBe(true)
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2026-13-01')).toBe(false)
    expect(isIsoDate('2026-1-01')).toBe(false)
    expect(isIsoDate('2026-01-01T00:00:00Z')).toBe(false)
  })
})
