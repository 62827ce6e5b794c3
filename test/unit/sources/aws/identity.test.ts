/** Which account a live snapshot names: STS GetCallerIdentity first, a pool ARN when STS cannot answer. */
import {
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import type { Logger } from '../../../../src/model/logger.js'
import { createClients } from '../../../../src/sources/aws/clients.js'
import { collectAccount } from '../../../../src/sources/aws/index.js'
import { useDummyAwsEnv } from '../../../support/aws-env.js'
import { testPolicy } from '../../../support/policy.js'

useDummyAwsEnv()

const REGION = 'eu-west-1'
const STS_ACCOUNT = '210987654321'
const POOL_ACCOUNT = '123456789012'

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  return { warnings, info() {}, debug() {}, warn: (m) => warnings.push(m) }
}

/** A region with `pools` pools (ARNs in POOL_ACCOUNT), threat protection off, nothing else. */
function setup(pools: number) {
  const clients = createClients({ quotas: false, maxAttempts: 1 })
  const cog = mockClient(clients.cognito(REGION))
  cog.on(ListUserPoolsCommand).resolves({
    UserPools: Array.from({ length: pools }, (_, i) => ({ Id: `${REGION}_P${i}`, Name: `p${i}` })),
  })
  cog.on(DescribeUserPoolCommand).callsFake((input: { UserPoolId: string }) => ({
    UserPool: {
      Id: input.UserPoolId,
      Name: input.UserPoolId,
      Arn: `arn:aws:cognito-idp:${REGION}:${POOL_ACCOUNT}:userpool/${input.UserPoolId}`,
      UserPoolAddOns: { AdvancedSecurityMode: 'OFF' },
    },
  }))
  cog.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })
  cog.on(DescribeRiskConfigurationCommand).resolves({ RiskConfiguration: {} })
  const sts = mockClient(clients.sts(REGION))
  return { clients, sts }
}

async function collect(clients: ReturnType<typeof createClients>, log: Logger) {
  return collectAccount(testPolicy({ regions: [REGION] }), { clients, now: new Date(), log })
}

describe('the account a live snapshot names', () => {
  it('comes from STS, also for an account without any user pool', async () => {
    const { clients, sts } = setup(0)
    sts.on(GetCallerIdentityCommand).resolves({
      Account: STS_ACCOUNT,
      Arn: `arn:aws:sts::${STS_ACCOUNT}:assumed-role/audit/alice@example.com`,
      UserId: 'AROAEXAMPLEEXAMPLE:alice@example.com',
    })
    const log = recorder()
    const snap = await collect(clients, log)
    expect(snap.regions[0]!.cognito.pools).toEqual({ state: 'loaded', items: [] })
    expect(snap.accountId).toBe(STS_ACCOUNT)
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1)
    // Only the account id is kept: the caller's session name reaches neither the snapshot nor the log.
    expect(JSON.stringify(snap)).not.toContain('alice')
    expect(log.warnings).toEqual([])
  })

  it('is STS’s answer when a pool ARN would say another account', async () => {
    const { clients, sts } = setup(2)
    sts.on(GetCallerIdentityCommand).resolves({ Account: STS_ACCOUNT })
    expect((await collect(clients, recorder())).accountId).toBe(STS_ACCOUNT)
  })

  it('falls back to a pool ARN when STS fails, and says so', async () => {
    const { clients, sts } = setup(2)
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('boom'), { name: 'ServiceUnavailable' }))
    const log = recorder()
    const snap = await collect(clients, log)
    expect(snap.accountId).toBe(POOL_ACCOUNT)
    expect(snap.regions[0]!.cognito.pools).toMatchObject({ state: 'loaded', items: [{}, {}] })
    expect(log.warnings).toEqual([
      `Could not read the account id (sts:GetCallerIdentity in ${REGION}: ServiceUnavailable); taken from a user pool's ARN (${POOL_ACCOUNT}).`,
    ])
  })

  it('is absent when STS fails and there is no pool, and the warning says the report names no account', async () => {
    const { clients, sts } = setup(0)
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('boom'), { name: 'ThrottlingException' }))
    const log = recorder()
    const snap = await collect(clients, log)
    expect(snap.accountId).toBeUndefined()
    expect(log.warnings).toEqual([
      `Could not read the account id (sts:GetCallerIdentity in ${REGION}: ThrottlingException); the report names no account.`,
    ])
  })

  it('an answer without a 12-digit account is no account id', async () => {
    const { clients, sts } = setup(0)
    sts.on(GetCallerIdentityCommand).resolves({ Account: 'not-an-id' })
    const log = recorder()
    expect((await collect(clients, log)).accountId).toBeUndefined()
    expect(log.warnings[0]).toContain('no 12-digit Account in the answer')
  })

  it('without credentials adds no warning of its own (the findings already say why nothing was read)', async () => {
    const { clients, sts } = setup(0)
    sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }))
    const log = recorder()
    expect((await collect(clients, log)).accountId).toBeUndefined()
    expect(log.warnings).toEqual([])
  })
})
