/** Builders of snapshot pieces for check tests: a pool, risk configurations, a snapshot. */
import type { AccountSnapshot, AwsError, CognitoRegion, RiskConfiguration, UserPool } from '../../src/model/snapshot.js'

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
export function pool(overrides: Partial<UserPool> = {}): UserPool {
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
    clients: [],
    riskConfiguration: blockingRisk(),
    clientRiskConfigurations: [],
    errors: [],
    ...overrides,
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

/** A snapshot of the given regions' Cognito state (region name → pools or a full CognitoRegion). */
export function snapshot(regions: Record<string, UserPool[] | Partial<CognitoRegion>>): AccountSnapshot {
  return {
    schemaVersion: 1,
    collectedAt: '2026-01-01T00:00:00.000Z',
    regions: Object.entries(regions).map(([region, value]) => ({
      region,
      cognito: Array.isArray(value)
        ? { pools: value, missing: [], errors: [] }
        : { pools: [], missing: [], errors: [], ...value },
    })),
  }
}

/** A snapshot with these pools, each in its own region's section. */
export function snapshotOf(...pools: UserPool[]): AccountSnapshot {
  const byRegion: Record<string, UserPool[]> = {}
  for (const p of pools) byRegion[p.region] = [...(byRegion[p.region] ?? []), p]
  return snapshot(byRegion)
}
