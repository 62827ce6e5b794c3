/**
 * Cognito user pools collector: lists the pools of one region, selects the ones
 * the policy names, and reads their threat-protection state (DescribeUserPool),
 * app clients (ListUserPoolClients) and risk configurations
 * (DescribeRiskConfiguration, pool level and per app client) into plain data.
 *
 * Never throws for AWS failures: they are recorded as `AwsError`s on the pool
 * (or the region, for ListUserPools) so the checks report `error`, never a pass.
 */
import {
  type CognitoIdentityProviderClient,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type RiskConfigurationType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider'
import pLimit, { type LimitFunction } from 'p-limit'
import { selectPools } from '../../model/match.js'
import {
  type AdvancedSecurityMode,
  type AppClient,
  type AwsError,
  type ClientRiskConfiguration,
  type CognitoRegion,
  type EventAction,
  failedListing,
  loaded,
  type MissingPool,
  type RiskConfiguration,
  type UserPool,
} from '../../model/snapshot.js'
import type { Policy } from '../../policy/types.js'
import type { CollectContext } from './context.js'
import { toAwsError } from './errors.js'
import { paginate } from './paginate.js'

/** Largest page ListUserPools and ListUserPoolClients accept. */
export const PAGE_SIZE = 60
/** Requests in flight per region and quota category; the clients also keep every attempt under AWS's
 *  rate quotas. */
export const CONCURRENCY = 8

interface Limits {
  poolRead: LimitFunction
  clientRead: LimitFunction
}

const SERVICE = 'cognito-idp'

/** A pool as ListUserPools returns it: enough to select it. */
export interface ListedPool {
  id: string
  name: string
}

/** Lists, selects and describes the pools the policy names in one region. */
export function collectCognito(ctx: CollectContext, region: string, policy: Policy): Promise<CognitoRegion> {
  return startCognito(ctx, region, policy).region
}

export interface CognitoCollection {
  /** Settles once ListUserPools is done: how many pools were selected and named-but-missing. Lets the
   *  region-wide reads of the other collectors start long before every pool is described. */
  selection: Promise<{ selected: number; missing: number }>
  region: Promise<CognitoRegion>
}

export function startCognito(ctx: CollectContext, region: string, policy: Policy): CognitoCollection {
  const client = ctx.clients.cognito(region)
  const listing = listPools(client).then(
    (listed) => ({ listed, ...selectPools(listed, region, policy.pools) }),
    (err: unknown) => ({ error: toAwsError(err, SERVICE, 'ListUserPools', region) }),
  )
  return {
    selection: listing.then((l) =>
      'error' in l ? { selected: 0, missing: 0 } : { selected: l.selected.length, missing: l.missing.length },
    ),
    region: listing.then((l) =>
      'error' in l
        ? { pools: failedListing(l.error), missing: [], errors: [l.error] }
        : describeSelected(ctx, client, region, policy, l.listed, l.selected, l.missing),
    ),
  }
}

async function describeSelected(
  ctx: CollectContext,
  client: CognitoIdentityProviderClient,
  region: string,
  policy: Policy,
  listed: ListedPool[],
  selected: ListedPool[],
  missing: MissingPool[],
): Promise<CognitoRegion> {
  const pools: UserPool[] = []
  const out: CognitoRegion = { pools: loaded(pools), missing: [...missing], errors: [] }

  // One queue per quota category: DescribeUserPool and DescribeRiskConfiguration draw on UserPoolRead,
  // ListUserPoolClients on UserPoolClientRead, so the client listings run alongside the descriptions
  // instead of queueing behind every one of them.
  const limits: Limits = { poolRead: pLimit(CONCURRENCY), clientRead: pLimit(CONCURRENCY) }
  const results = await Promise.all(selected.map((p) => readPool(client, region, p, limits)))
  results.forEach((pool, i) => {
    const listedPool = selected[i] as ListedPool
    if (pool) {
      pools.push(pool)
    } else if (policy.pools.ids.includes(listedPool.id)) {
      out.missing.push({ selector: listedPool.id, kind: 'id' })
    } else {
      ctx.log.warn(
        `User pool ${listedPool.id} (${listedPool.name}) in ${region} was deleted during the audit; skipped.`,
      )
    }
  })
  ctx.log.debug(`${region}: ${listed.length} user pools listed, ${pools.length} audited, ${out.missing.length} missing`)
  return out
}

/** Every pool of the region, each once (ListUserPools fully paginated). Throws the SDK error. */
async function listPools(client: CognitoIdentityProviderClient): Promise<ListedPool[]> {
  const byId = new Map<string, ListedPool>()
  const pages = paginate('ListUserPools', (NextToken) =>
    client.send(new ListUserPoolsCommand({ MaxResults: PAGE_SIZE, ...(NextToken ? { NextToken } : {}) })),
  )
  for await (const page of pages) {
    for (const p of page.UserPools ?? []) {
      if (p.Id && !byId.has(p.Id)) byId.set(p.Id, { id: p.Id, name: p.Name ?? p.Id })
    }
  }
  return [...byId.values()]
}

function errorName(err: unknown): string | undefined {
  return (err as { name?: string } | undefined)?.name
}

/** One pool's state, or undefined when it vanished between ListUserPools and DescribeUserPool. */
async function readPool(
  client: CognitoIdentityProviderClient,
  region: string,
  listed: ListedPool,
  limits: Limits,
): Promise<UserPool | undefined> {
  const limit = limits.poolRead
  const pool: UserPool = {
    id: listed.id,
    name: listed.name,
    region,
    advancedSecurityMode: 'OFF',
    clients: loaded([]),
    clientRiskConfigurations: loaded([]),
    errors: [],
  }
  const fail = (err: unknown, action: string, resource = listed.id): AwsError =>
    toAwsError(err, SERVICE, action, region, resource)
  // Nothing read about the app clients: a failed list, never an empty one.
  const unread = (error: AwsError): UserPool => {
    pool.errors.push(error)
    pool.clients = failedListing(error)
    pool.clientRiskConfigurations = failedListing(error)
    return pool
  }

  let described: UserPoolType | undefined
  try {
    described = (await limit(() => client.send(new DescribeUserPoolCommand({ UserPoolId: listed.id })))).UserPool
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined
    return unread(fail(err, 'DescribeUserPool'))
  }
  if (!described) {
    return unread({
      service: SERVICE,
      action: 'DescribeUserPool',
      code: 'EmptyResponse',
      message: 'DescribeUserPool returned no UserPool.',
      region,
      resource: listed.id,
    })
  }
  applyDescription(pool, described)

  // Risk configurations decide only whether an ENFORCED pool really blocks: in AUDIT mode nothing is
  // blocked whatever they say, so they are not read (a third of the UserPoolRead budget on big accounts).
  const enforced = pool.advancedSecurityMode === 'ENFORCED'
  const readPoolRisk = async (): Promise<void> => {
    if (pool.advancedSecurityMode === 'OFF') {
      pool.riskConfiguration = null
      return
    }
    if (!enforced) return
    try {
      pool.riskConfiguration = poolLevel(await readRisk(client, listed.id, undefined, limit))
    } catch (err) {
      pool.errors.push(fail(err, 'DescribeRiskConfiguration'))
    }
  }
  const [clients] = await Promise.all([
    listClients(client, listed.id, limits.clientRead).catch((err: unknown) => fail(err, 'ListUserPoolClients')),
    readPoolRisk(),
  ])
  if (!Array.isArray(clients)) return unread(clients)
  pool.clients = loaded(clients)

  if (enforced) {
    const perClient = await Promise.all(
      clients.map((c) =>
        readRisk(client, listed.id, c.id, limit).then(
          (rc): ClientRiskConfiguration => ({ clientId: c.id, configuration: clientLevel(rc) }),
          (err: unknown) => {
            pool.errors.push(fail(err, 'DescribeRiskConfiguration', c.id))
            return undefined
          },
        ),
      ),
    )
    pool.clientRiskConfigurations = loaded(perClient.filter((c): c is ClientRiskConfiguration => c !== undefined))
  }
  return pool
}

/** Copies the threat-protection and MFA fields of DescribeUserPool's answer. */
function applyDescription(pool: UserPool, up: UserPoolType): void {
  if (up.Name) pool.name = up.Name
  if (up.Arn) pool.arn = up.Arn
  if (up.UserPoolTier) pool.tier = up.UserPoolTier
  pool.advancedSecurityMode = toMode(up.UserPoolAddOns?.AdvancedSecurityMode)
  const custom = up.UserPoolAddOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode
  if (custom === 'AUDIT' || custom === 'ENFORCED') pool.customAuthMode = custom
  const mfa = up.MfaConfiguration
  if (mfa === 'OFF' || mfa === 'ON' || mfa === 'OPTIONAL') pool.mfaConfiguration = mfa
}

function toMode(mode: string | undefined): AdvancedSecurityMode {
  return mode === 'AUDIT' || mode === 'ENFORCED' ? mode : 'OFF'
}

async function listClients(
  client: CognitoIdentityProviderClient,
  poolId: string,
  limit: LimitFunction,
): Promise<AppClient[]> {
  return limit(async () => {
    const out: AppClient[] = []
    const seen = new Set<string>()
    const pages = paginate('ListUserPoolClients', (NextToken) =>
      client.send(
        new ListUserPoolClientsCommand({
          UserPoolId: poolId,
          MaxResults: PAGE_SIZE,
          ...(NextToken ? { NextToken } : {}),
        }),
      ),
    )
    for await (const page of pages) {
      for (const c of page.UserPoolClients ?? []) {
        if (!c.ClientId || seen.has(c.ClientId)) continue
        seen.add(c.ClientId)
        out.push({ id: c.ClientId, name: c.ClientName ?? c.ClientId })
      }
    }
    return out
  })
}

/** The raw risk configuration; undefined when threat protection is not enabled (UserPoolAddOnNotEnabledException). */
async function readRisk(
  client: CognitoIdentityProviderClient,
  poolId: string,
  clientId: string | undefined,
  limit: LimitFunction,
): Promise<RiskConfigurationType | undefined> {
  try {
    const input = clientId === undefined ? { UserPoolId: poolId } : { UserPoolId: poolId, ClientId: clientId }
    const res = await limit(() => client.send(new DescribeRiskConfigurationCommand(input)))
    return res.RiskConfiguration
  } catch (err) {
    if (errorName(err) === 'UserPoolAddOnNotEnabledException') return undefined
    throw err
  }
}

/** Pool level: a configuration without any section is no configuration (`null`). */
function poolLevel(rc: RiskConfigurationType | undefined): RiskConfiguration | null {
  return rc ? toRiskConfiguration(rc) : null
}

/**
 * Client level. What AWS returns for a client without settings of its own is not
 * documented: either no ClientId (the pool's configuration echoed) or the ids
 * without sections. Both mean "inherits the pool's" (`null`).
 */
export function clientLevel(rc: RiskConfigurationType | undefined): RiskConfiguration | null {
  if (!rc?.ClientId) return null
  return toRiskConfiguration(rc)
}

/** Copies only the fields the checks read; `null` when no section is present. */
export function toRiskConfiguration(rc: RiskConfigurationType): RiskConfiguration | null {
  const out: RiskConfiguration = {}
  const cc = rc.CompromisedCredentialsRiskConfiguration
  const ccAction = cc?.Actions?.EventAction
  if (cc && (ccAction === 'BLOCK' || ccAction === 'NO_ACTION')) {
    out.CompromisedCredentialsRiskConfiguration = {
      ...(cc.EventFilter ? { EventFilter: [...cc.EventFilter] } : {}),
      Actions: { EventAction: ccAction },
    }
  }
  const ato = rc.AccountTakeoverRiskConfiguration?.Actions
  if (ato) {
    const actions: NonNullable<RiskConfiguration['AccountTakeoverRiskConfiguration']>['Actions'] = {}
    for (const level of ['LowAction', 'MediumAction', 'HighAction'] as const) {
      const a = ato[level]
      if (a?.EventAction) actions[level] = { Notify: a.Notify ?? false, EventAction: a.EventAction as EventAction }
    }
    out.AccountTakeoverRiskConfiguration = { Actions: actions }
  }
  const ex = rc.RiskExceptionConfiguration
  if (ex && (ex.BlockedIPRangeList || ex.SkippedIPRangeList)) {
    out.RiskExceptionConfiguration = {
      ...(ex.BlockedIPRangeList ? { BlockedIPRangeList: [...ex.BlockedIPRangeList] } : {}),
      ...(ex.SkippedIPRangeList ? { SkippedIPRangeList: [...ex.SkippedIPRangeList] } : {}),
    }
  }
  return Object.keys(out).length === 0 ? null : out
}
