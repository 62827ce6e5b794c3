import { describe, expect, it } from 'vitest'
import type { Finding } from '../../../src/model/finding.js'
import {
  accountOf,
  assignIdentities,
  findingIdentity,
  formatIdentity,
  withoutAccount,
} from '../../../src/model/identity.js'

function f(over: Partial<Finding>): Finding {
  return {
    checkId: 'threat-protection',
    requirement: 'threat-protection',
    title: 'Threat protection on',
    status: 'fail',
    severity: 'high',
    region: 'us-east-1',
    poolId: 'us-east-1_Shop00001',
    poolName: 'shop',
    message: 'Threat protection is off; the policy requires AUDIT.',
    ...over,
  }
}

const ACCOUNT = '123456789012'

describe('finding identity', () => {
  it('is readable: check/account/region/pool[/subject]', () => {
    expect(findingIdentity(f({}), ACCOUNT)).toBe('threat-protection/123456789012/us-east-1/us-east-1_Shop00001')
    expect(findingIdentity(f({ poolId: undefined, checkId: 'cloudtrail-capture' }))).toBe(
      'cloudtrail-capture/-/us-east-1/-',
    )
    expect(findingIdentity(f({ checkId: 'alarms-risk', resource: 'AccountTakeoverRisk' }), ACCOUNT)).toBe(
      'alarms-risk/123456789012/us-east-1/us-east-1_Shop00001/AccountTakeoverRisk',
    )
  })

  // Each row changes only what a finding says or how it is judged, never what it is about.
  const same: Array<[string, Partial<Finding>]> = [
    ['the message is reworded', { message: 'Threat protection: OFF (required AUDIT, plan ESSENTIALS)' }],
    ['the title changes', { title: 'Threat protection is enabled' }],
    ['the status changes', { status: 'pass' }],
    ['the severity changes', { severity: 'critical' }],
    ['the remediation changes', { remediation: 'aws cognito-idp set-risk-configuration …' }],
    ['the evidence changes', { evidence: { mode: 'OFF', tier: 'PLUS' } }],
    ['the pool is renamed', { poolName: 'shop-renamed' }],
    ['an exemption applies', { status: 'exempt', exemption: { reason: 'accepted' } }],
  ]
  it.each(same)('stays the same when %s', (_why, change) => {
    expect(findingIdentity(f(change), ACCOUNT)).toBe(findingIdentity(f({}), ACCOUNT))
  })

  // Each row changes what the finding is about.
  const different: Array<[string, Partial<Finding>]> = [
    ['another check', { checkId: 'threat-protection-enforcement' }],
    ['another region', { region: 'eu-west-1' }],
    ['another pool', { poolId: 'us-east-1_Other0001' }],
    ['the region rather than a pool', { poolId: undefined }],
    ['another metric', { checkId: 'alarms-risk', resource: 'CompromisedCredentialRisk' }],
    ['a named property', { resource: 'custom authentication flows' }],
  ]
  it.each(different)('differs for %s', (_why, change) => {
    expect(findingIdentity(f(change), ACCOUNT)).not.toBe(findingIdentity(f({}), ACCOUNT))
  })

  it('differs across accounts, and an unknown account is written as -', () => {
    expect(findingIdentity(f({}), '210987654321')).not.toBe(findingIdentity(f({}), ACCOUNT))
    expect(accountOf(findingIdentity(f({}), ACCOUNT))).toBe(ACCOUNT)
    expect(accountOf(findingIdentity(f({})))).toBeUndefined()
    expect(withoutAccount(findingIdentity(f({}), ACCOUNT))).toBe(findingIdentity(f({})))
  })

  it('ignores which trail decided a region-level CloudTrail finding', () => {
    const ct = (resource: string, message: string) =>
      f({ checkId: 'cloudtrail-capture', requirement: 'cloudtrail', poolId: undefined, resource, message })
    const a = ct('arn:aws:cloudtrail:us-east-1:123456789012:trail/org', 'Trail "org" does not record …')
    const b = ct('arn:aws:cloudtrail:us-east-1:123456789012:trail/audit', 'No trail captures Cognito events …')
    expect(findingIdentity(a, ACCOUNT)).toBe(findingIdentity(b, ACCOUNT))
    expect(findingIdentity(a, ACCOUNT)).not.toBe(findingIdentity({ ...a, region: 'eu-west-1' }, ACCOUNT))
  })

  it('names an app client by its id, whether the finding carries it as evidence or in its label', () => {
    const client = (resource: string, evidence?: Record<string, unknown>) =>
      f({ checkId: 'threat-protection-enforcement', resource, ...(evidence ? { evidence } : {}) })
    const labelled = client('partner-sso (3example23456789012345678b)', { clientId: '3example23456789012345678b' })
    const renamed = client('partner-login (3example23456789012345678b)')
    const bare = client('3example23456789012345678b')
    expect(findingIdentity(labelled, ACCOUNT)).toMatch(/\/client=3example23456789012345678b$/)
    expect(findingIdentity(renamed, ACCOUNT)).toBe(findingIdentity(labelled, ACCOUNT))
    expect(findingIdentity(bare, ACCOUNT)).toBe(findingIdentity(labelled, ACCOUNT))
    expect(findingIdentity(client('web (4example)'), ACCOUNT)).not.toBe(findingIdentity(labelled, ACCOUNT))
    // The pool-level finding of the same check is another subject than any of its clients.
    expect(findingIdentity(f({ checkId: 'threat-protection-enforcement' }), ACCOUNT)).not.toBe(
      findingIdentity(labelled, ACCOUNT),
    )
  })

  it('names a policy selector without its list index, so inserting an entry above it changes nothing', () => {
    const sel = (key: string, selector: string) =>
      f({ checkId: 'policy-selectors', status: 'warn', poolId: undefined, resource: key, evidence: { key, selector } })
    expect(findingIdentity(sel('exemptions[0].pool', 'shpo'))).toBe(findingIdentity(sel('exemptions[3].pool', 'shpo')))
    expect(findingIdentity(sel('exemptions[0].pool', 'shpo'))).not.toBe(
      findingIdentity(sel('exemptions[0].pool', 'shop2')),
    )
  })

  it('encodes a / inside a part, so parts cannot run into each other', () => {
    const a = formatIdentity({ checkId: 'c', region: 'r', poolId: 'a/b' })
    const b = formatIdentity({ checkId: 'c', region: 'r', poolId: 'a', subject: 'b' })
    expect(a).toBe('c/-/r/a%2Fb')
    expect(a).not.toBe(b)
  })

  it('keeps keys unique within one report', () => {
    const ids = assignIdentities([f({}), f({ message: 'duplicate' }), f({ region: 'eu-west-1' })], ACCOUNT).map(
      (x) => x.id,
    )
    expect(ids).toEqual([
      'threat-protection/123456789012/us-east-1/us-east-1_Shop00001',
      'threat-protection/123456789012/us-east-1/us-east-1_Shop00001#2',
      'threat-protection/123456789012/eu-west-1/us-east-1_Shop00001',
    ])
  })
})
