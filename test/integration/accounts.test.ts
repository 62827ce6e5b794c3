/**
 * Account discovery against moto's AWS Organizations: an organisation of 70 member accounts (several
 * pages), some of them closed (SUSPENDED), some in nested organizational units.
 */
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli.js'
import { run } from '../../src/main.js'
import { type MotoServer, startMoto } from '../../sandbox/moto.js'
import { discoverAccounts } from '../../src/sources/aws/organizations.js'

let moto: MotoServer
let client: OrganizationsClient
const calls: string[] = []
const members: string[] = []
let management = ''
let workloads = ''
let prod = ''

beforeAll(async () => {
  moto = await startMoto()
  client = new OrganizationsClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
  })
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(String(context.commandName))
      return next(args)
    },
    { step: 'initialize' },
  )
  const org = await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
  management = org.Organization?.MasterAccountId ?? ''
  for (let i = 0; i < 70; i++) {
    const r = await client.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `m${i}@example.com` }))
    members.push(r.CreateAccountStatus?.AccountId ?? '')
  }
  // Three closed accounts (moto moves them to SUSPENDED).
  for (const i of [3, 10, 42]) await client.send(new CloseAccountCommand({ AccountId: members[i] }))
  const root = (await client.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? ''
  workloads =
    (await client.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'workloads' }))).OrganizationalUnit
      ?.Id ?? ''
  prod =
    (await client.send(new CreateOrganizationalUnitCommand({ ParentId: workloads, Name: 'prod' }))).OrganizationalUnit
      ?.Id ?? ''
  for (const i of [0, 1, 2, 3]) {
    await client.send(
      new MoveAccountCommand({ AccountId: members[i], SourceParentId: root, DestinationParentId: workloads }),
    )
  }
  for (const i of [5, 6, 10]) {
    await client.send(
      new MoveAccountCommand({ AccountId: members[i], SourceParentId: root, DestinationParentId: prod }),
    )
  }
  calls.length = 0
})

afterAll(async () => {
  await moto?.stop()
})

const active = () => [management, ...members.filter((_, i) => ![3, 10, 42].includes(i))].sort()

describe('accounts of an organisation (moto)', () => {
  it('lists every active account over several pages, with the role of each', async () => {
    const { matrix, warnings, listed } = await discoverAccounts(client, {
      role: 'CognitoComplianceAudit',
      pageSize: 20,
    })
    expect(listed).toBe(71)
    expect(calls.filter((c) => c === 'ListAccountsCommand')).toHaveLength(4)
    expect(matrix.include.map((e) => e.account)).toEqual(active())
    expect(matrix.include).toHaveLength(68)
    expect(matrix.include.find((e) => e.account === members[7])).toEqual({
      account: members[7],
      name: 'member-7',
      role: `arn:aws:iam::${members[7]}:role/CognitoComplianceAudit`,
    })
    expect(warnings).toEqual([])
  })

  it('an organizational unit includes its nested units; SUSPENDED accounts stay out', async () => {
    const { matrix } = await discoverAccounts(client, { role: 'R', ous: [workloads], pageSize: 2 })
    expect(matrix.include.map((e) => e.account)).toEqual([0, 1, 2, 5, 6].map((i) => members[i]).sort())
  })

  it('excluded units and accounts are left out', async () => {
    const { matrix } = await discoverAccounts(client, {
      role: 'arn:aws:iam::{account}:role/audit/Cognito',
      ous: [workloads],
      excludeOus: [prod],
      excludeAccounts: [members[0]!],
    })
    expect(matrix.include.map((e) => e.account)).toEqual([1, 2].map((i) => members[i]).sort())
    expect(matrix.include[0]?.role).toMatch(/^arn:aws:iam::\d{12}:role\/audit\/Cognito$/)
  })

  it('an organizational unit that does not exist is one clear line', async () => {
    await expect(discoverAccounts(client, { role: 'R', ous: ['ou-abcd-12345678'] })).rejects.toThrow(
      /^organizations:ListAccountsForParent failed \(ParentNotFoundException\)/,
    )
  })
})

describe('the accounts command and the action mode (moto)', () => {
  const env = () => ({
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  })

  it('cognito-compliance accounts prints the matrix as one line of JSON', async () => {
    for (const [k, v] of Object.entries(env())) vi.stubEnv(k, v)
    let out = ''
    let err = ''
    const code = await main(['accounts', '--role', 'Audit', '--ou', workloads], {
      stdout: (t) => {
        out += t
      },
      stderr: (t) => {
        err += t
      },
      env: process.env,
      isTTY: false,
    })
    vi.unstubAllEnvs()
    expect(code).toBe(0)
    expect(out.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(out).include.map((e: { account: string }) => e.account)).toEqual(
      [0, 1, 2, 5, 6].map((i) => members[i]).sort(),
    )
    expect(err).toContain('5 of 7 accounts listed are active and selected.')
  })

  it('the action with list-accounts sets the matrix output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accounts-action-'))
    const output = join(dir, 'output')
    await writeFile(output, '')
    for (const [k, v] of Object.entries({
      ...env(),
      GITHUB_OUTPUT: output,
      'INPUT_LIST-ACCOUNTS': 'true',
      'INPUT_AUDIT-ROLE': 'arn:aws:iam::{account}:role/audit',
      'INPUT_EXCLUDE-ORGANIZATIONAL-UNITS': prod,
      'INPUT_ORGANIZATIONAL-UNITS': workloads,
    }))
      vi.stubEnv(k, v)
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      await run()
    } finally {
      write.mockRestore()
      vi.unstubAllEnvs()
    }
    expect(process.exitCode ?? 0).toBe(0)
    const text = await readFile(output, 'utf8')
    const matrix = JSON.parse(/matrix<<(\S+)\n(.*)\n\1/.exec(text)?.[2] ?? '{}')
    expect(matrix.include.map((e: { account: string }) => e.account)).toEqual([0, 1, 2].map((i) => members[i]).sort())
    expect(matrix.include[0].role).toBe(`arn:aws:iam::${matrix.include[0].account}:role/audit`)
    await rm(dir, { recursive: true, force: true })
  })
})
