import {
  AccessDeniedException,
  type Account,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { buildAccountMatrix, checkRoleTemplate, MAX_MATRIX_JOBS, roleArn } from '../../../src/accounts/matrix.js'
import { discoverAccounts } from '../../../src/sources/aws/organizations.js'

const org = mockClient(OrganizationsClient)
const client = () =>
  new OrganizationsClient({ region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
beforeEach(() => org.reset())

const acct = (id: string, State = 'ACTIVE', Status?: string): Account =>
  ({ Id: id, Name: `n${id.slice(-2)}`, State, ...(Status ? { Status } : {}) }) as Account

describe('account discovery paging', () => {
  it('follows NextToken through empty pages to the end', async () => {
    const pages = [
      { Accounts: [], NextToken: 't1' },
      { Accounts: [acct('111111111111')], NextToken: 't2' },
      { Accounts: [], NextToken: 't3' },
      { Accounts: [acct('222222222222')] },
    ]
    const tokens: Array<string | undefined> = []
    org.on(ListAccountsCommand).callsFake((input) => {
      tokens.push(input.NextToken)
      return pages[tokens.length - 1]
    })
    const { matrix } = await discoverAccounts(client(), { role: 'Audit' })
    expect(tokens).toEqual([undefined, 't1', 't2', 't3'])
    expect(matrix.include.map((e) => e.account)).toEqual(['111111111111', '222222222222'])
  })

  it('filters on State, not on the retiring Status', async () => {
    org.on(ListAccountsCommand).resolves({
      Accounts: [
        acct('111111111111', 'ACTIVE', 'SUSPENDED'),
        acct('222222222222', 'SUSPENDED', 'ACTIVE'),
        acct('333333333333', 'PENDING_CLOSURE'),
        { Id: '444444444444', Status: 'ACTIVE' },
      ],
    })
    const { matrix } = await discoverAccounts(client(), { role: 'Audit' })
    expect(matrix.include.map((e) => e.account)).toEqual(['111111111111', '444444444444'])
  })

  it('explains a denied listing in one line', async () => {
    org.on(ListAccountsCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }))
    await expect(discoverAccounts(client(), { role: 'Audit' })).rejects.toThrow(
      /^organizations:ListAccounts failed \(AccessDeniedException\): the credentials may not call organizations:ListAccounts: run from the organisation's management account or a delegated-administrator account/,
    )
  })

  it('checks its options before calling AWS', async () => {
    await expect(discoverAccounts(client(), { role: 'Audit', ous: ['prod'] })).rejects.toThrow(
      'ous: "prod" is not an organizational unit id (ou-…) or a root id (r-…)',
    )
    await expect(discoverAccounts(client(), { role: 'Audit', accounts: ['12'] })).rejects.toThrow(
      'accounts: "12" is not a 12-digit account id',
    )
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(0)
  })
})

describe('the matrix', () => {
  it('a role name or an ARN template', () => {
    expect(roleArn('CognitoComplianceAudit', '111111111111')).toBe(
      'arn:aws:iam::111111111111:role/CognitoComplianceAudit',
    )
    expect(roleArn('arn:aws-us-gov:iam::{account}:role/audit/Cognito', '111111111111')).toBe(
      'arn:aws-us-gov:iam::111111111111:role/audit/Cognito',
    )
    expect(() => checkRoleTemplate('arn:aws:iam::111111111111:role/X', 'role')).toThrow(
      'must look like arn:aws:iam::{account}:role/NAME',
    )
    expect(() => checkRoleTemplate('bad role', 'role')).toThrow('is not a role name')
    expect(() => checkRoleTemplate('', 'role')).toThrow('role is required')
  })

  it('include and exclude lists, with a warning for a named account that cannot be audited', () => {
    const accounts = [
      { id: '333333333333', state: 'ACTIVE', name: 'c' },
      { id: '111111111111', state: 'ACTIVE', name: 'a' },
      { id: '222222222222', state: 'SUSPENDED' },
    ]
    const { matrix, warnings } = buildAccountMatrix(accounts, {
      role: 'R',
      accounts: ['111111111111', '222222222222', '333333333333', '999999999999'],
      excludeAccounts: ['333333333333'],
    })
    expect(matrix).toEqual({
      include: [{ account: '111111111111', name: 'a', role: 'arn:aws:iam::111111111111:role/R' }],
    })
    expect(warnings).toEqual([
      'account 222222222222 is SUSPENDED, not ACTIVE: left out',
      'account 999999999999 is not in the organisation (or not under the organizational units given)',
    ])
  })

  it('warns above the jobs a matrix can run, and on an empty matrix', () => {
    const many = Array.from({ length: MAX_MATRIX_JOBS + 1 }, (_, i) => ({
      id: String(100000000000 + i),
      state: 'ACTIVE',
    }))
    expect(buildAccountMatrix(many, { role: 'R' }).warnings).toEqual([
      '257 accounts: a matrix runs at most 256 jobs; split them with organizational units or account lists',
    ])
    expect(buildAccountMatrix([], { role: 'R' }).warnings).toEqual(['no active account matched: the matrix is empty'])
  })
})
