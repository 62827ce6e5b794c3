import { describe, expect, it } from 'vitest'
import { mergeGate } from '../../../src/merge/merge.js'

describe('the merge gate', () => {
  it('new-violation fails on every violation: a merge has no baseline to be new against (fails closed)', () => {
    expect(mergeGate(2, 0, 'new-violation')).toBe('2 policy violations')
    expect(mergeGate(0, 1, 'new-violation')).toBe('1 requirement or report could not be verified')
    expect(mergeGate(0, 0, 'new-violation')).toBeUndefined()
  })
})
