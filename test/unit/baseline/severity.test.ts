import { describe, expect, it } from 'vitest'
import { type AuditResult, gate } from '../../../src/audit.js'
import { compareReports } from '../../../src/baseline/compare.js'
import { comparableOf } from '../../../src/baseline/source.js'
import type { Finding, Severity } from '../../../src/model/finding.js'
import { annotate } from '../../../src/report/annotations.js'
import { ACTION_DIALECT, CLI_DIALECT, parseFailOnSeverity } from '../../../src/run-options.js'

function f(pool: string, severity: Severity, status: Finding['status'] = 'fail'): Finding {
  return {
    checkId: 'threat-protection',
    requirement: 'threat-protection',
    title: 'Threat protection on',
    status,
    severity,
    region: 'us-east-1',
    poolId: pool,
    message: `${severity} on ${pool}`,
  }
}

function result(findings: Finding[]): AuditResult {
  const by = (s: Finding['status']) => findings.filter((x) => x.status === s).length
  return {
    policy: { source: 'p.yml', regions: ['us-east-1'], pools: { ids: [], names: [], all: true } },
    snapshot: { schemaVersion: 1, collectedAt: '2026-12-02T00:00:00Z', accountId: '1', regions: [] },
    findings,
    counts: {
      pools: 3,
      regions: 1,
      pass: by('pass'),
      fail: by('fail'),
      warn: by('warn'),
      error: by('error'),
      exempt: by('exempt'),
      poolsFailing: 0,
      missing: 0,
    },
    compliant: false,
    calls: {},
  } as unknown as AuditResult
}

describe('fail-on-severity', () => {
  const r = result([f('a', 'critical'), f('b', 'medium'), f('c', 'low')])
  const table: Array<[Severity, string | undefined]> = [
    ['low', '3 policy violations'],
    ['medium', '2 policy violations of medium severity or above'],
    ['high', '1 policy violation of high severity or above'],
    ['critical', '1 policy violation of critical severity or above'],
  ]
  it.each(table)('%s', (min, reason) => {
    expect(gate(r, 'violation', min)).toBe(reason)
  })

  it('nothing at or above the threshold passes; what could not be verified still fails', () => {
    const low = result([f('c', 'low')])
    expect(gate(low, 'violation', 'high')).toBeUndefined()
    const withError = result([f('c', 'low'), f('d', 'low', 'error')])
    expect(gate(withError, 'violation', 'critical')).toBe('1 requirement could not be verified')
  })

  it('combines with new-violation: only new violations at or above it count', () => {
    const before = result([f('a', 'critical')])
    const now = result([f('a', 'critical'), f('b', 'low'), f('e', 'high')])
    now.baseline = { comparison: compareReports(comparableOf(before), comparableOf(now)), source: 'x' }
    expect(gate(now, 'new-violation')).toBe('2 new policy violations')
    expect(gate(now, 'new-violation', 'high')).toBe('1 new policy violation of high severity or above')
    expect(gate(now, 'new-violation', 'critical')).toBeUndefined()
  })

  it('violations below the threshold are annotated as warnings, never dropped', () => {
    const seen: string[] = []
    const out = {
      error: (m: string) => seen.push(`error: ${m}`),
      warning: (m: string) => seen.push(`warning: ${m}`),
      notice: (m: string) => seen.push(`notice: ${m}`),
    }
    annotate(r.findings, out, 'violation', undefined, undefined, 'high')
    expect(seen).toEqual([
      'error: critical on a',
      'warning: Violation below fail-on-severity high (medium): medium on b',
      'warning: Violation below fail-on-severity high (low): low on c',
    ])
  })

  it('on a plan, only the violations the gate counts (introduced, or existing with fail-on-existing)', () => {
    const planned = result([
      { ...f('a', 'low'), origin: 'existing' },
      { ...f('b', 'high'), origin: 'introduced' },
    ])
    const plan = {
      format: 'cloudformation',
      live: true,
      introduced: { fail: 1, error: 0 },
      existing: { fail: 1, error: 0 },
      notInPlan: 0,
      outsidePlan: 'ignore' as const,
      failOnExisting: false,
    }
    planned.plan = plan
    expect(gate(planned, 'violation')).toBe('1 policy violation')
    expect(gate(planned, 'violation', 'critical')).toBeUndefined()
    planned.plan = { ...plan, failOnExisting: true }
    expect(gate(planned, 'violation')).toBe('2 policy violations')
    expect(gate(planned, 'violation', 'medium')).toBe('1 policy violation of medium severity or above')
  })

  it('a severity that is not one of the four is one clear line', () => {
    expect(parseFailOnSeverity('', CLI_DIALECT)).toBe('low')
    expect(() => parseFailOnSeverity('urgent', CLI_DIALECT)).toThrow(
      '--fail-on-severity must be one of critical, high, medium, low (got "urgent")',
    )
    expect(() => parseFailOnSeverity('HIGH ', ACTION_DIALECT)).toThrow(
      'Input \'fail-on-severity\' must be one of critical, high, medium, low (got "HIGH").',
    )
  })
})
