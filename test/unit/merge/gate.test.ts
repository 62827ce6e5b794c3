import { describe, expect, it } from 'vitest'
import { mergeGate } from '../../../src/merge/merge.js'

describe('the merge gate', () => {
  it('new-violation without a baseline fails on every violation (fails closed)', () => {
    expect(mergeGate(2, 0, 'new-violation')).toBe('2 policy violations')
    expect(mergeGate(0, 1, 'new-violation')).toBe('1 requirement or report could not be verified')
    expect(mergeGate(0, 0, 'new-violation')).toBeUndefined()
  })

  it('new-violation with a baseline fails only on the new ones, and always on what could not be verified', () => {
    expect(mergeGate(5, 0, 'new-violation', 0)).toBeUndefined()
    expect(mergeGate(5, 0, 'new-violation', 2)).toBe('2 new policy violations')
    expect(mergeGate(5, 1, 'new-violation', 0)).toBe('1 requirement or report could not be verified')
    expect(mergeGate(5, 1, 'new-violation', 1)).toBe(
      '1 new policy violation; 1 requirement or report could not be verified',
    )
  })
})
