/** Builders of snapshot pieces for check tests: a pool, risk configurations, a snapshot. */
import {
  type AccountSnapshot,
  type AppClient,
  type AwsError,
  type ClientRiskConfiguration,
  type CognitoRegion,
  type Listing,
  loaded,
  type RiskConfiguration,
  SNAPSHOT_SCHEMA_VERSION,
  type UserPool,
} from '../../src/model/snapshot.js'

/** A list as a test writes it: a plain array is a loaded listing. */
export type ListInput<T> = T[] | Listing<T>

export const asListing = <T>(l: ListInput<T>): Listing<T> => (Array.isArray(l) ? loaded(l) : l)

/** A pool's fields as tests write them: the lists may be plain arrays (read as loaded). */
export type PoolInput = Partial<Omit<UserPool, 'clients' | 'clientRiskConfigurations'>> & {
  clients?: ListInput<AppClient>
  clientRiskConfigurations?: ListInput<ClientRiskConfiguration>
}

/** A risk configuration that really blocks: compromised credentials BLOCK on every event, high risk BLOCK. */
export function blockingRisk(overrides: Partial<RiskConfiguration> = {}): RiskConfiguration {
  return {
    CompromisedCredentialsRiskConfiguration: {
      EventFilter: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'],
      Actions: { EventAction: 'BLOCK' },
    },
    AccountTakeoverRiskConfiguration: {
      Actions: {
        LowAction: { Notify: false, EventAction: 'MFA_IF_CONFIGURED' },
        MediumAction: { Notify: false, EventAction: 'MFA_IF_CONFIGURED' },
        HighAction: { Notify: false, EventAction: 'BLOCK' },
      },
    },
    ...overrides,
  }
}

/** ENFORCED in name only: every action is NO_ACTION. */
export function allowAllRisk(): RiskConfiguration {
  return {
    CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } },
    AccountTakeoverRiskConfiguration: {
      Actions: {
        LowAction: { Notify: false, EventAction: 'NO_ACTION' },
        MediumAction: { Notify: false, EventAction: 'NO_ACTION' },
        HighAction: { Notify: false, EventAction: 'NO_ACTION' },
      },
    },
  }
}

let counter = 0

/** A PLUS pool in us-east-1, ENFORCED with a blocking pool-level configuration and no app clients. */
export function pool(input: PoolInput = {}): UserPool {
  const { clients, clientRiskConfigurations, ...overrides } = input
  counter += 1
  const region = overrides.region ?? 'us-east-1'
  const id = overrides.id ?? `${region}_Pool${counter}`
  return {
    id,
    name: `pool-${counter}`,
    region,
    arn: `arn:aws:cognito-idp:${region}:123456789012:userpool/${id}`,
    tier: 'PLUS',
    advancedSecurityMode: 'ENFORCED',
    riskConfiguration: blockingRisk(),
    errors: [],
    ...overrides,
    clients: asListing(clients ?? []),
    clientRiskConfigurations: asListing(clientRiskConfigurations ?? []),
  }
}

export function awsError(action: string, overrides: Partial<AwsError> = {}): AwsError {
  return {
    service: 'cognito-idp',
    action,
    code: 'AccessDeniedException',
    message: `User is not authorized to perform: cognito-idp:${action}`,
    region: 'us-east-1',
    ...overrides,
  }
}

/** A region's Cognito state as tests write it: `pools` may be a plain array (read as loaded). */
export type CognitoInput = Partial<Omit<CognitoRegion, 'pools'>> & { pools?: ListInput<UserPool> }

/** A snapshot of the given regions' Cognito state (region name → pools or a full CognitoRegion). */
export function snapshot(regions: Record<string, UserPool[] | CognitoInput>): AccountSnapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: '2026-01-01T00:00:00.000Z',
    regions: Object.entries(regions).map(([region, value]) => ({
      region,
      cognito: Array.isArray(value)
        ? { pools: loaded(value), missing: [], errors: [] }
        : { missing: [], errors: [], ...value, pools: asListing(value.pools ?? []) },
    })),
  }
}

/** A snapshot with these pools, each in its own region's section. */
export function snapshotOf(...pools: UserPool[]): AccountSnapshot {
  const byRegion: Record<string, UserPool[]> = {}
  for (const p of pools) byRegion[p.region] = [...(byRegion[p.region] ?? []), p]
  return snapshot(byRegion)
}

/** The items of a listing a test expects to be loaded (a failed one fails the test); none when absent. */
export function itemsOf<T>(listing: Listing<T> | undefined): T[] {
  if (listing === undefined) return []
  if (listing.state === 'failed') throw new Error(`expected a loaded list, got failed: ${listing.error.action}`)
  return listing.items
}
