/** The pull-request comment is the job summary: with a baseline it opens with the same delta. */
import { describe, expect, it } from 'vitest'
import { compareReports } from '../../../src/baseline/compare.js'
import { comparableOf } from '../../../src/baseline/source.js'
import { commentBody } from '../../../src/report/pr-comment.js'
import { finding, pool, resultOf, snapshotOf } from '../../support/result.js'

describe('the pull-request comment with a baseline', () => {
  it('carries the delta headline and marks the new violation', () => {
    const snap = snapshotOf([pool('us-east-1_Aaaaaaaa1', 'shop'), pool('us-east-1_Bbbbbbbb1', 'billing')])
    const old = finding({ status: 'fail', poolId: 'us-east-1_Aaaaaaaa1', poolName: 'shop', severity: 'high' })
    const fresh = finding({ status: 'fail', poolId: 'us-east-1_Bbbbbbbb1', poolName: 'billing', severity: 'high' })
    const before = resultOf(snap, [old])
    const now = resultOf(snap, [old, fresh])
    now.baseline = {
      comparison: compareReports(comparableOf(before), comparableOf(now)),
      source: 'night-1/report.json',
    }
    const body = commentBody(now, 'violation')
    expect(body).toContain('### Since the baseline')
    expect(body).toMatch(/\*\*1 new, 0 resolved, 1 persisting since \d{4}-\d\d-\d\d\.\*\*/)
    expect(body).toContain('#### New violations')
    expect(commentBody(before, 'violation')).not.toContain('Since the baseline')
  })
})
