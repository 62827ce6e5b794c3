import { describe, expect, it } from 'vitest'
import { annotate, MAX_PER_KIND } from '../../../src/report/annotations.js'
import { finding } from '../../support/result.js'

function recorder() {
  const calls: Array<{ kind: string; message: string; title: string }> = []
  const rec = (kind: string) => (message: string, p: { title: string }) => calls.push({ kind, message, title: p.title })
  return { calls, out: { error: rec('error'), warning: rec('warning'), notice: rec('notice') } }
}

describe('annotations', () => {
  it('one error per violation, worst severity first, at most 10, then a notice counting the rest', () => {
    const fails = Array.from({ length: 13 }, (_, i) =>
      finding({ status: 'fail', poolId: `us-east-1_${i}`, severity: i === 12 ? 'critical' : 'low', message: `m${i}` }),
    )
    const { calls, out } = recorder()
    annotate(fails, out)
    const errors = calls.filter((c) => c.kind === 'error')
    expect(errors).toHaveLength(MAX_PER_KIND)
    expect(errors[0]?.message).toBe('m12')
    expect(calls.filter((c) => c.kind === 'notice')).toEqual([
      {
        kind: 'notice',
        message: '3 more findings are listed in the job summary and the JSON report.',
        title: 'Cognito compliance',
      },
    ])
  })

  it('follow the gate: fail-on never gives no error; an unverifiable requirement that fails the build is an error', () => {
    const fs = [
      finding({ status: 'fail', message: 'violated' }),
      finding({ status: 'error', message: 'denied' }),
      finding({ status: 'warn', message: 'advice' }),
    ]
    const kinds = (failOn: 'violation' | 'error' | 'never') => {
      const { calls, out } = recorder()
      annotate(fs, out, failOn)
      return calls.map((c) => `${c.kind}: ${c.message}`)
    }
    expect(kinds('violation')).toEqual(['error: violated', 'error: denied', 'warning: Advisory: advice'])
    expect(kinds('error')).toEqual(['error: denied', 'warning: violated', 'warning: Advisory: advice'])
    expect(kinds('never')).toEqual(['warning: violated', 'warning: denied', 'warning: Advisory: advice'])
  })

  it('under fail-on never, unverifiable and advisory findings are warnings; passes and exemptions are silent', () => {
    const { calls, out } = recorder()
    annotate(
      [
        finding({ status: 'error', poolName: 'p', message: 'denied' }),
        finding({ status: 'warn', region: 'eu-west-1', checkId: 'cloudtrail-capture', message: 'no KMS' }),
        finding({ status: 'pass' }),
        finding({ status: 'exempt' }),
      ],
      out,
      'never',
    )
    expect(calls).toEqual([
      { kind: 'warning', message: 'denied', title: 'threat-protection: p' },
      { kind: 'warning', message: 'Advisory: no KMS', title: 'cloudtrail-capture: eu-west-1' },
    ])
  })

  it('under fail-on new-violation only the violations the baseline does not hold are errors', () => {
    const old = finding({ status: 'fail', poolId: 'us-east-1_Old', message: 'old' })
    const fresh = finding({ status: 'fail', poolId: 'us-east-1_New', message: 'fresh' })
    const unverified = finding({ status: 'error', poolId: 'us-east-1_Err', message: 'unverified' })
    const { calls, out } = recorder()
    annotate([old, fresh, unverified], out, 'new-violation', (f) => f === fresh)
    expect(calls.map((c) => `${c.kind}: ${c.message}`)).toEqual([
      'error: fresh',
      'error: unverified',
      'warning: old',
    ])
    // without a baseline every violation is new
    const all = recorder()
    annotate([old, fresh], all.out, 'new-violation')
    expect(all.calls.map((c) => c.kind)).toEqual(['error', 'error'])
  })
})
