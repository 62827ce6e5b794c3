import {
  type CognitoIdentityProviderClient,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type RiskConfigurationType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider'
import { type AwsStub, mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { selectPools } from '../../../../src/model/match.js'
import type { Policy } from '../../../../src/policy/types.js'
import { createClients } from '../../../../src/sources/aws/clients.js'
import { clientLevel, collectCognito } from '../../../../src/sources/aws/cognito.js'
import type { CollectContext } from '../../../../src/sources/aws/context.js'
import { useDummyAwsEnv } from '../../../support/aws-env.js'
import { type PolicyOverrides, testPolicy } from '../../../support/policy.js'
import { itemsOf } from '../../../support/pools.js'

useDummyAwsEnv()

const REGION = 'us-east-1'
const awsErr = (name: string, message = name) => Object.assign(new Error(message), { name, $fault: 'client' })

// biome-ignore lint/suspicious/noExplicitAny: the stub's generic parameters are irrelevant here
type Stub = AwsStub<any, any, any>

interface Harness {
  ctx: CollectContext
  cognito: Stub
  warnings: string[]
  client: CognitoIdentityProviderClient
}

function harness(): Harness {
  const clients = createClients({ quotas: false, maxAttempts: 1 })
  const client = clients.cognito(REGION)
  const warnings: string[] = []
  const ctx: CollectContext = {
    clients,
    now: new Date('2026-01-01T00:00:00Z'),
    log: { info() {}, debug() {}, warn: (m) => warnings.push(m) },
  }
  return { ctx, cognito: mockClient(client), warnings, client }
}

const listed = (...pools: Array<[id: string, name: string]>) => ({
  UserPools: pools.map(([Id, Name]) => ({ Id, Name })),
})

/** DescribeUserPool answers by pool id. */
function describeAs(h: Harness, pools: Record<string, Partial<UserPoolType> | Error>): void {
  for (const [id, value] of Object.entries(pools)) {
    const stub = h.cognito.on(DescribeUserPoolCommand, { UserPoolId: id })
    if (value instanceof Error) stub.rejects(value)
    else stub.resolves({ UserPool: { Id: id, ...value } })
  }
}

const enforced = (extra: Partial<UserPoolType> = {}): Partial<UserPoolType> => ({
  UserPoolTier: 'PLUS',
  UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
  ...extra,
})

const blocking: RiskConfigurationType = {
  CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN'], Actions: { EventAction: 'BLOCK' } },
  AccountTakeoverRiskConfiguration: {
    Actions: { HighAction: { Notify: true, EventAction: 'BLOCK' } },
    NotifyConfiguration: { SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/x' },
  },
}

const collect = (h: Harness, policy: PolicyOverrides | Policy = {}) =>
  collectCognito(h.ctx, REGION, 'source' in policy ? (policy as Policy) : testPolicy(policy as PolicyOverrides))

describe('collectCognito: listing and selection', () => {
  it('pages through more than 60 pools, asking 60 at a time, and audits each pool once', async () => {
    const h = harness()
    const all = Array.from({ length: 130 }, (_, i) => [`us-east-1_P${i}`, `pool-${i}`] as [string, string])
    // The paginator reuses its input object, so record a copy of each request as it is sent.
    const requests: unknown[] = []
    const pages: Record<string, object> = {
      '': { ...listed(...all.slice(0, 60)), NextToken: 't1' },
      t1: { ...listed(...all.slice(60, 120)), NextToken: 't2' },
      t2: listed(...all.slice(120)),
    }
    h.cognito.on(ListUserPoolsCommand).callsFake((input: { NextToken?: string }) => {
      requests.push({ ...input })
      return pages[input.NextToken ?? '']
    })
    h.cognito.on(DescribeUserPoolCommand).callsFake((input: { UserPoolId: string }) => ({
      UserPool: { Id: input.UserPoolId, Name: `described-${input.UserPoolId}` },
    }))
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })

    const out = await collect(h)

    expect(requests).toEqual([
      { MaxResults: 60 },
      { MaxResults: 60, NextToken: 't1' },
      { MaxResults: 60, NextToken: 't2' },
    ])
    expect(
      itemsOf(out.pools)
        .map((p) => p.id)
        .sort(),
    ).toEqual(all.map(([id]) => id).sort())
    expect(h.cognito.commandCalls(DescribeUserPoolCommand)).toHaveLength(130)
    expect(itemsOf(out.pools)[0]?.name).toBe('described-us-east-1_P0')
    expect(out.missing).toEqual([])
    expect(out.errors).toEqual([])
  })

  it('selects by id and by name glob, and records ids and globs this region lacks', async () => {
    const h = harness()
    h.cognito
      .on(ListUserPoolsCommand)
      .resolves(listed(['us-east-1_A', 'prod-api'], ['us-east-1_B', 'dev'], ['us-east-1_C', 'other']))
    describeAs(h, { 'us-east-1_A': {}, 'us-east-1_B': {} })
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })

    const out = await collect(h, {
      regions: ['eu-west-1', 'us-east-1'],
      pools: { ids: ['us-east-1_B', 'us-east-1_Gone', 'eu-west-1_Elsewhere'], names: ['prod-*', 'nomatch-?'] },
    })
    expect(itemsOf(out.pools).map((p) => p.id)).toEqual(['us-east-1_A', 'us-east-1_B'])
    expect(out.missing).toEqual([
      { selector: 'us-east-1_Gone', kind: 'id' },
      { selector: 'nomatch-?', kind: 'name' },
    ])
    expect(
      h.cognito
        .commandCalls(DescribeUserPoolCommand)
        .map((c) => c.args[0].input.UserPoolId)
        .sort(),
    ).toEqual(['us-east-1_A', 'us-east-1_B'])
  })

  it('selects every pool when the policy says all', () => {
    const pools = [
      { id: 'us-east-1_A', name: 'a' },
      { id: 'us-east-1_B', name: 'b' },
    ]
    expect(selectPools(pools, REGION, testPolicy().pools).selected).toEqual(pools)
    expect(selectPools(pools, REGION, testPolicy({ pools: { names: ['b'] } }).pools).selected).toEqual([pools[1]])
  })

  it('records a denied ListUserPools as a region error and reads nothing else', async () => {
    const h = harness()
    h.cognito
      .on(ListUserPoolsCommand)
      .rejects(awsErr('AccessDeniedException', 'not authorized to perform cognito-idp:ListUserPools'))
    const out = await collect(h, { pools: { ids: ['us-east-1_A'] } })
    const denied = {
      service: 'cognito-idp',
      action: 'ListUserPools',
      code: 'AccessDeniedException',
      message: 'not authorized to perform cognito-idp:ListUserPools',
      region: REGION,
    }
    // Not an empty list: a failed one, with the error.
    expect(out).toEqual({ pools: { state: 'failed', error: denied }, missing: [], errors: [denied] })
    expect(h.cognito.commandCalls(DescribeUserPoolCommand)).toHaveLength(0)
  })

  it('skips a listed pool that vanished before DescribeUserPool, unless the policy named it by id', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a'], ['us-east-1_B', 'b']))
    describeAs(h, {
      'us-east-1_A': awsErr('ResourceNotFoundException'),
      'us-east-1_B': awsErr('ResourceNotFoundException'),
    })
    const out = await collect(h, { pools: { ids: ['us-east-1_B'], names: ['a'] } })
    expect(out.pools).toEqual({ state: 'loaded', items: [] })
    expect(out.missing).toEqual([{ selector: 'us-east-1_B', kind: 'id' }])
    expect(h.warnings).toEqual(['User pool us-east-1_A (a) in us-east-1 was deleted during the audit; skipped.'])
  })

  it('records other DescribeUserPool errors on the pool and reads nothing more for it', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, { 'us-east-1_A': awsErr('AccessDeniedException') })
    const out = await collect(h)
    expect(itemsOf(out.pools)).toHaveLength(1)
    expect(itemsOf(out.pools)[0]?.errors).toMatchObject([
      { action: 'DescribeUserPool', code: 'AccessDeniedException', resource: 'us-east-1_A' },
    ])
    // The app clients were never read: failed with the DescribeUserPool error, not an empty list.
    expect(itemsOf(out.pools)[0]?.clients).toMatchObject({ state: 'failed', error: { action: 'DescribeUserPool' } })
    expect(itemsOf(out.pools)[0]?.clientRiskConfigurations).toMatchObject({ state: 'failed' })
    expect(itemsOf(out.pools)[0]?.riskConfiguration).toBeUndefined()
    expect(h.cognito.commandCalls(ListUserPoolClientsCommand)).toHaveLength(0)
  })
})

describe('collectCognito: pool details', () => {
  it('treats absent add-ons as OFF, keeps an absent tier undefined, and skips risk calls for OFF pools', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a'], ['us-east-1_B', 'b']))
    describeAs(h, {
      'us-east-1_A': { Name: 'a' },
      'us-east-1_B': { Name: 'b', UserPoolTier: 'ESSENTIALS', UserPoolAddOns: { AdvancedSecurityMode: 'OFF' } },
    })
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [{ ClientId: 'c1', ClientName: 'web' }] })
    const out = await collect(h)
    expect(itemsOf(out.pools)).toEqual([
      {
        id: 'us-east-1_A',
        name: 'a',
        region: REGION,
        advancedSecurityMode: 'OFF',
        clients: { state: 'loaded', items: [{ id: 'c1', name: 'web' }] },
        riskConfiguration: null,
        clientRiskConfigurations: { state: 'loaded', items: [] },
        errors: [],
      },
      expect.objectContaining({ id: 'us-east-1_B', tier: 'ESSENTIALS', advancedSecurityMode: 'OFF' }),
    ])
    expect(itemsOf(out.pools)[0]).not.toHaveProperty('tier')
    expect(h.cognito.commandCalls(DescribeRiskConfigurationCommand)).toHaveLength(0)
  })

  it('copies tier, ARN, custom-auth mode and the risk configuration as plain data', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, {
      'us-east-1_A': enforced({
        Name: 'a',
        Arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_A',
        CreationDate: new Date('2020-01-01T00:00:00Z'),
        UserPoolAddOns: {
          AdvancedSecurityMode: 'ENFORCED',
          AdvancedSecurityAdditionalFlows: { CustomAuthMode: 'AUDIT' },
        },
      }),
    })
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })
    h.cognito.on(DescribeRiskConfigurationCommand).resolves({
      RiskConfiguration: {
        UserPoolId: 'us-east-1_A',
        ...blocking,
        RiskExceptionConfiguration: { SkippedIPRangeList: ['10.0.0.0/8'] },
        LastModifiedDate: new Date('2024-01-01T00:00:00Z'),
      },
      $metadata: { httpStatusCode: 200 },
    })
    const out = await collect(h)
    const p = itemsOf(out.pools)[0]
    expect(p).toMatchObject({
      tier: 'PLUS',
      arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_A',
      advancedSecurityMode: 'ENFORCED',
      customAuthMode: 'AUDIT',
    })
    expect(p?.riskConfiguration).toEqual({
      CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_IN'], Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: { Actions: { HighAction: { Notify: true, EventAction: 'BLOCK' } } },
      RiskExceptionConfiguration: { SkippedIPRangeList: ['10.0.0.0/8'] },
    })
    // Plain JSON-safe data: survives a JSON round trip unchanged (no Dates, no $metadata).
    expect(JSON.parse(JSON.stringify(out))).toEqual(out)
  })

  it('reads no risk configuration for a pool in AUDIT mode (it blocks nothing whatever it says)', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, { 'us-east-1_A': enforced({ UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } }) })
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [{ ClientId: 'c1', ClientName: 'web' }] })
    const out = await collect(h)
    expect(itemsOf(out.pools)[0]).toMatchObject({
      advancedSecurityMode: 'AUDIT',
      clientRiskConfigurations: { state: 'loaded', items: [] },
      errors: [],
    })
    expect(itemsOf(out.pools)[0]?.riskConfiguration).toBeUndefined()
    expect(h.cognito.commandCalls(DescribeRiskConfigurationCommand)).toHaveLength(0)
  })

  it('reads each app client (all pages) and tells own configurations from inherited ones', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, { 'us-east-1_A': enforced() })
    const page1 = Array.from({ length: 60 }, (_, i) => ({ ClientId: `x${i}`, ClientName: `n${i}` }))
    const clientRequests: unknown[] = []
    h.cognito.on(ListUserPoolClientsCommand).callsFake((input: { NextToken?: string }) => {
      clientRequests.push({ ...input })
      if (!input.NextToken) {
        return { UserPoolClients: [{ ClientId: 'own', ClientName: 'own' }, ...page1.slice(1)], NextToken: 'p2' }
      }
      return {
        UserPoolClients: [
          { ClientId: 'echo', ClientName: 'echo' },
          { ClientId: 'bare', ClientName: 'bare' },
          { ClientId: 'off', ClientName: 'off' },
        ],
      }
    })
    h.cognito
      .on(DescribeRiskConfigurationCommand)
      .resolves({ RiskConfiguration: { UserPoolId: 'us-east-1_A', ...blocking } })
      .on(DescribeRiskConfigurationCommand, { UserPoolId: 'us-east-1_A', ClientId: 'own' })
      .resolves({
        RiskConfiguration: {
          UserPoolId: 'us-east-1_A',
          ClientId: 'own',
          CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } },
        },
      })
      .on(DescribeRiskConfigurationCommand, { UserPoolId: 'us-east-1_A', ClientId: 'bare' })
      .resolves({ RiskConfiguration: { UserPoolId: 'us-east-1_A', ClientId: 'bare' } })
      .on(DescribeRiskConfigurationCommand, { UserPoolId: 'us-east-1_A', ClientId: 'off' })
      .rejects(awsErr('UserPoolAddOnNotEnabledException'))

    const out = await collect(h)
    const p = itemsOf(out.pools)[0]
    expect(clientRequests).toEqual([
      { UserPoolId: 'us-east-1_A', MaxResults: 60 },
      { UserPoolId: 'us-east-1_A', MaxResults: 60, NextToken: 'p2' },
    ])
    expect(itemsOf(p?.clients)).toHaveLength(63)
    expect(itemsOf(p?.clientRiskConfigurations)).toHaveLength(63)
    const byId = new Map(itemsOf(p?.clientRiskConfigurations).map((c) => [c.clientId, c.configuration]))
    expect(byId.get('own')).toEqual({
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } },
    })
    expect(byId.get('echo')).toBeNull() // no ClientId: the pool's configuration echoed back
    expect(byId.get('bare')).toBeNull() // ClientId but no sections
    expect(byId.get('off')).toBeNull() // UserPoolAddOnNotEnabledException
    expect(p?.errors).toEqual([])
    // One pool-level call plus one per client.
    expect(h.cognito.commandCalls(DescribeRiskConfigurationCommand)).toHaveLength(64)
  })

  it('reads UserPoolAddOnNotEnabledException at pool level as no configuration', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, { 'us-east-1_A': enforced() })
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })
    h.cognito.on(DescribeRiskConfigurationCommand).rejects(awsErr('UserPoolAddOnNotEnabledException'))
    const out = await collect(h)
    expect(itemsOf(out.pools)[0]?.riskConfiguration).toBeNull()
    expect(itemsOf(out.pools)[0]?.errors).toEqual([])
  })

  it('reads a pool-level configuration without sections as none', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, { 'us-east-1_A': enforced() })
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })
    h.cognito.on(DescribeRiskConfigurationCommand).resolves({ RiskConfiguration: { UserPoolId: 'us-east-1_A' } })
    expect(itemsOf((await collect(h)).pools)[0]?.riskConfiguration).toBeNull()
  })

  it('records AccessDenied on DescribeRiskConfiguration on that pool only', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a'], ['us-east-1_B', 'b']))
    describeAs(h, { 'us-east-1_A': enforced(), 'us-east-1_B': enforced() })
    h.cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [{ ClientId: 'c1' }] })
    h.cognito
      .on(DescribeRiskConfigurationCommand)
      .resolves({ RiskConfiguration: { UserPoolId: 'x', ...blocking } })
      .on(DescribeRiskConfigurationCommand, { UserPoolId: 'us-east-1_A' })
      .rejects(awsErr('AccessDeniedException'))
    const out = await collect(h)
    const [a, b] = itemsOf(out.pools)
    expect(a?.riskConfiguration).toBeUndefined()
    expect(a?.errors).toMatchObject([
      { action: 'DescribeRiskConfiguration', code: 'AccessDeniedException', resource: 'us-east-1_A' },
      { action: 'DescribeRiskConfiguration', code: 'AccessDeniedException', resource: 'c1' },
    ])
    expect(a?.clientRiskConfigurations).toEqual({ state: 'loaded', items: [] })
    expect(a?.clients).toEqual({ state: 'loaded', items: [{ id: 'c1', name: 'c1' }] })
    expect(b?.errors).toEqual([])
    expect(b?.riskConfiguration).not.toBeNull()
    expect(b?.clientRiskConfigurations).toEqual({ state: 'loaded', items: [{ clientId: 'c1', configuration: null }] })
    expect(out.errors).toEqual([])
  })

  it('a denied ListUserPoolClients leaves the app clients failed, never an empty list', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, { 'us-east-1_A': enforced() })
    h.cognito.on(ListUserPoolClientsCommand).rejects(awsErr('AccessDeniedException'))
    h.cognito.on(DescribeRiskConfigurationCommand).resolves({ RiskConfiguration: { UserPoolId: 'x', ...blocking } })
    const [a] = itemsOf((await collect(h)).pools)
    const denied = { action: 'ListUserPoolClients', code: 'AccessDeniedException', resource: 'us-east-1_A' }
    expect(a?.clients).toMatchObject({ state: 'failed', error: denied })
    expect(a?.clientRiskConfigurations).toMatchObject({ state: 'failed', error: denied })
    expect(a?.errors).toMatchObject([denied])
    expect(a?.riskConfiguration).not.toBeUndefined()
  })

  it('records a failed ListUserPoolClients on the pool and still reads the pool level', async () => {
    const h = harness()
    h.cognito.on(ListUserPoolsCommand).resolves(listed(['us-east-1_A', 'a']))
    describeAs(h, { 'us-east-1_A': enforced() })
    h.cognito.on(ListUserPoolClientsCommand).rejects(awsErr('AccessDeniedException'))
    h.cognito.on(DescribeRiskConfigurationCommand).resolves({ RiskConfiguration: { ...blocking } })
    const p = itemsOf((await collect(h)).pools)[0]
    expect(p?.errors).toMatchObject([{ action: 'ListUserPoolClients', resource: 'us-east-1_A' }])
    expect(p?.riskConfiguration).toBeTruthy()
    expect(h.cognito.commandCalls(DescribeRiskConfigurationCommand)).toHaveLength(1)
  })
})

describe('clientLevel', () => {
  it('keeps a client configuration that names its client and has sections', () => {
    expect(clientLevel({ ClientId: 'c', ...blocking })).not.toBeNull()
    expect(clientLevel(undefined)).toBeNull()
  })
})

describe('collectCognito: throttling', () => {
  // The SDK's backoff for throttling has a 1 s base and adaptive mode then slows the client: allow time.
  it('retries TooManyRequestsException through the real client stack', { timeout: 20_000 }, async () => {
    const clients = createClients({ quotas: false, maxAttempts: 3 })
    const client = clients.cognito(REGION)
    const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o))
    const headers = { 'content-type': 'application/x-amz-json-1.1' }
    let listAttempts = 0
    // A stand-in for the network: answers by X-Amz-Target, throttling the first ListUserPools.
    ;(client.config as unknown as { requestHandler: unknown }).requestHandler = {
      handle: async (request: { headers: Record<string, string> }) => {
        const op = request.headers['x-amz-target']?.split('.')[1]
        if (op === 'ListUserPools' && ++listAttempts === 1) {
          return {
            response: {
              statusCode: 400,
              headers: { ...headers, 'x-amzn-errortype': 'TooManyRequestsException' },
              body: json({ __type: 'TooManyRequestsException', message: 'Rate exceeded' }),
            },
          }
        }
        const bodies: Record<string, unknown> = {
          ListUserPools: { UserPools: [{ Id: 'us-east-1_A', Name: 'a' }] },
          DescribeUserPool: { UserPool: { Id: 'us-east-1_A', Name: 'a' } },
          ListUserPoolClients: { UserPoolClients: [] },
        }
        return { response: { statusCode: 200, headers, body: json(bodies[op ?? ''] ?? {}) } }
      },
    }
    const ctx: CollectContext = { clients, now: new Date(), log: { info() {}, debug() {}, warn() {} } }
    const out = await collectCognito(ctx, REGION, testPolicy())
    expect(out.errors).toEqual([])
    expect(itemsOf(out.pools).map((p) => p.id)).toEqual(['us-east-1_A'])
    expect(listAttempts).toBe(2)
    expect(clients.calls.get('cognito-idp:ListUserPools')).toBe(2)
  })
})
