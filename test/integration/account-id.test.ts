/** The account a live report names, read through the sandbox (moto answers STS GetCallerIdentity). */
import { describe, expect, it } from 'vitest'
import { audit, usePipelineSandbox } from './helpers/pipeline.js'

describe('the account id of a live audit (sandbox)', () => {
  usePipelineSandbox()

  it('is named by STS even in a region without any user pool', async () => {
    const result = await audit('version: 1\nregions: [eu-north-1]\npools: { allow-none: true }\n')
    expect(result.snapshot.regions[0]!.cognito.pools).toEqual({ state: 'loaded', items: [] })
    // No pool, so no ARN: the id can only have come from STS.
    expect(result.snapshot.accountId).toMatch(/^\d{12}$/)
    expect(result.calls['sts:GetCallerIdentity']).toBe(1)
  })
})
