import { describe, expect, it } from 'vitest'
import { scrub } from '../../../../src/sources/aws/errors.js'

const denied = (who: string) => `User: ${who} is not authorized to perform: cognito-idp:DescribeUserPool on resource: x`

/** Every principal form an STS or IAM ARN takes, and what of it may stay in a report. */
const PRINCIPALS: Array<[string, string]> = [
  [
    'arn:aws:sts::123456789012:assumed-role/AuditRole/jane.doe@example.com',
    'arn:aws:sts::123456789012:assumed-role/AuditRole/<session>',
  ],
  [
    'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/j.doe',
    'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/<session>',
  ],
  [
    'arn:aws-us-gov:sts::123456789012:assumed-role/R/botocore-session-1700000000',
    'arn:aws-us-gov:sts::123456789012:assumed-role/R/<session>',
  ],
  ['arn:aws-cn:sts::123456789012:federated-user/bob', 'arn:aws-cn:sts::123456789012:federated-user/<user>'],
  ['arn:aws:sts::123456789012:federated-user/alice+ops=1,x.y@corp', 'arn:aws:sts::123456789012:federated-user/<user>'],
  ['arn:aws:iam::123456789012:user/jdoe', 'arn:aws:iam::123456789012:user/<user>'],
  ['arn:aws:iam::123456789012:user/division/team/jdoe', 'arn:aws:iam::123456789012:user/division/team/<user>'],
  ['arn:aws:iam::123456789012:mfa/jdoe', 'arn:aws:iam::123456789012:mfa/<device>'],
  ['AROA1234567890EXAMPLE:jane.doe', '<redacted-key-id>:<session>'],
  ['AIDA1234567890EXAMPLE', '<redacted-key-id>'],
  // what says which role or account needs the permission stays
  [
    'arn:aws:iam::123456789012:role/service-role/audit/AuditRole',
    'arn:aws:iam::123456789012:role/service-role/audit/AuditRole',
  ],
  ['arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:root'],
]

describe('scrub: every STS and IAM principal form', () => {
  it.each(PRINCIPALS)('%s', (arn, kept) => {
    expect(scrub(denied(arn))).toBe(denied(kept))
    // quoted, in JSON, in parentheses and at the end of a sentence too
    expect(scrub(`"${arn}"`)).toBe(`"${kept}"`)
    expect(scrub(`(${arn})`)).toBe(`(${kept})`)
    expect(scrub(`{"arn":"${arn}","x":1}`)).toBe(`{"arn":"${kept}","x":1}`)
  })

  it('leaves no personal part of any of them', () => {
    const all = scrub(PRINCIPALS.map(([a]) => a).join(' '))
    expect(all).not.toMatch(/jane|j\.doe|jdoe|bob|alice|botocore-session|EXAMPLE/)
  })
})
