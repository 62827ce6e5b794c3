import { describe, expect, it } from 'vitest'
import { explainAwsError, remediationOf } from '../../../../src/model/aws-error.js'
import { scrub, toAwsError } from '../../../../src/sources/aws/errors.js'
import { awsError } from '../../../support/pools.js'

describe('scrub: nothing about the caller or their secrets reaches a report', () => {
  it('redacts key ids, signatures and tokens', () => {
    const out = scrub(
      'key AKIAABCDEFGHIJKLMNOP and ASIA1234567890ABCDEF; X-Amz-Security-Token=abc/def Signature=0123abcd',
    )
    expect(out).not.toMatch(/AKIAABCD|ASIA1234|abc\/def|0123abcd/)
    expect(out).toContain('<redacted-key-id>')
  })

  it('redacts the session name of an assumed role and an IAM user name, keeps the role and account', () => {
    const msg =
      'User: arn:aws:sts::123456789012:assumed-role/AuditRole/jane.doe@example.com is not authorized to perform: cognito-idp:DescribeUserPool'
    const out = scrub(msg)
    expect(out).toBe(
      'User: arn:aws:sts::123456789012:assumed-role/AuditRole/<session> is not authorized to perform: cognito-idp:DescribeUserPool',
    )
    expect(scrub('User: arn:aws:iam::123456789012:user/team/jdoe is not authorized')).toBe(
      'User: arn:aws:iam::123456789012:user/team/<user> is not authorized',
    )
    expect(scrub('contact ops+cognito@corp.example.org')).toBe('contact <email>')
  })

  it('toAwsError stores only the scrubbed message', () => {
    const e = toAwsError(
      Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/R/GitHubActions-1234 is not authorized'), {
        name: 'AccessDeniedException',
      }),
      'cognito-idp',
      'DescribeUserPool',
      'us-east-1',
    )
    expect(e.message).toContain('assumed-role/R/<session>')
    expect(e.message).not.toContain('GitHubActions-1234')
  })
})

describe('remediation by kind of error', () => {
  it('a denied call names the permission to grant', () => {
    expect(remediationOf(awsError('DescribeRiskConfiguration'))).toContain(
      'Allow cognito-idp:DescribeRiskConfiguration',
    )
  })

  it('rejected credentials point at the credentials and opt-in regions, not at a permission', () => {
    const r = remediationOf(awsError('ListUserPools', { code: 'UnrecognizedClientException', region: 'af-south-1' }))
    expect(r).toContain('Check the credentials')
    expect(r).toContain('opt-in region')
    expect(r).not.toContain('Allow ')
    expect(explainAwsError(awsError('ListUserPools', { code: 'UnrecognizedClientException' }))).toContain(
      'opt-in region',
    )
  })

  it('an unreachable endpoint points at the region name and the network', () => {
    for (const code of ['ENOTFOUND', 'ECONNREFUSED', 'TimeoutError']) {
      const r = remediationOf(awsError('ListUserPools', { code, region: 'mars-north-9' }))
      expect(r, code).toContain('"mars-north-9" is a region this account uses')
    }
  })

  it('throttling exhausted and other errors say to re-run', () => {
    expect(remediationOf(awsError('LookupEvents', { service: 'cloudtrail', code: 'ThrottlingException' }))).toContain(
      'Re-run',
    )
    expect(remediationOf(awsError('DescribeUserPool', { code: 'InternalErrorException' }))).toContain(
      'cognito-idp:DescribeUserPool is the permission',
    )
  })
})

describe('no credentials at all', () => {
  const e = {
    service: 'cognito-idp' as const,
    action: 'ListUserPools',
    code: 'CredentialsProviderError',
    message: 'Could not load credentials from any providers',
    region: 'us-east-1',
  }
  it('says none were found and where the chain looks, not that AWS rejected them', () => {
    const text = explainAwsError(e)
    expect(text).toContain('no AWS credentials were found')
    expect(text).toMatch(/environment variables.*AWS_PROFILE.*SSO.*instance metadata/)
    expect(text).not.toContain('rejected')
    expect(remediationOf(e)).toContain('aws-actions/configure-aws-credentials')
  })
})
