/**
 * A snapshot and policy in which every check of the registry owes findings: two regions, pools in AUDIT
 * and in ENFORCED mode with app clients, risk and throttle alarms, a trail, activity metrics, and a policy
 * with every requirement and every activity threshold on. `name` goes into every name field (pools, app
 * clients, alarms, trails), so a test can compare a hostile name's audit with a benign one's.
 */
import { activitySection } from '../../src/checks/activity/policy.js'
import { alarmsSection } from '../../src/checks/alarms/policy.js'
import { cloudTrailSection } from '../../src/checks/cloudtrail/policy.js'
import type { TrailRecord } from '../../src/model/cloudtrail.js'
import {
  type AccountSnapshot,
  loaded,
  type RegionSnapshot,
  SNAPSHOT_SCHEMA_VERSION,
  type UserPool,
} from '../../src/model/snapshot.js'
import type { Policy } from '../../src/policy/types.js'
import { activityRegion, NOW, successes } from './activity.js'
import { riskAlarm, series, throttleAlarm } from './alarms.js'
import { testPolicy } from './policy.js'
import { blockingRisk, itemsOf } from './pools.js'

export const FULL_REGIONS = ['us-east-1', 'eu-west-1'] as const

function pools(region: string, name: string): UserPool[] {
  const base = (id: string, extra: Partial<UserPool>): UserPool => ({
    id: `${region}_${id}`,
    name,
    region,
    arn: `arn:aws:cognito-idp:${region}:123456789012:userpool/${region}_${id}`,
    tier: 'PLUS',
    advancedSecurityMode: 'ENFORCED',
    mfaConfiguration: 'OPTIONAL',
    clients: loaded([]),
    clientRiskConfigurations: loaded([]),
    errors: [],
    ...extra,
  })
  return [
    base('Enforced1', {
      riskConfiguration: blockingRisk(),
      clients: loaded([
        { id: 'client1aaaaaaaaaaaaaaaaaaaaa', name },
        { id: 'client1bbbbbbbbbbbbbbbbbbbbb', name: `${name} 2` },
      ]),
      clientRiskConfigurations: loaded([
        { clientId: 'client1aaaaaaaaaaaaaaaaaaaaa', configuration: null },
        { clientId: 'client1bbbbbbbbbbbbbbbbbbbbb', configuration: null },
      ]),
    }),
    base('Audit1', {
      advancedSecurityMode: 'AUDIT',
      clients: loaded([{ id: 'client2aaaaaaaaaaaaaaaaaaaaa', name }]),
    }),
    base('Off1', { advancedSecurityMode: 'OFF', tier: 'ESSENTIALS', riskConfiguration: null }),
  ]
}

function trail(region: string, name: string): TrailRecord {
  const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString()
  return {
    name,
    arn: `arn:aws:cloudtrail:${region}:123456789012:trail/${encodeURIComponent(name)}`,
    homeRegion: region,
    isMultiRegion: false,
    isOrganization: false,
    logFileValidation: true,
    s3BucketName: 'audit-logs',
    status: { isLogging: true, latestDeliveryTime: hoursAgo(1), startLoggingTime: hoursAgo(500) },
    selectors: { eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
    errors: [],
  }
}

function region(name: string, region: string): RegionSnapshot {
  const ps = pools(region, name)
  const [enforced, audit] = ps as [UserPool, UserPool, UserPool]
  const client = itemsOf(enforced.clients)[0]!.id
  return {
    region,
    cognito: { pools: loaded(ps), missing: [], errors: [] },
    alarms: {
      // The ENFORCED pool's risk alarm and one of its clients' throttle alarm are right; the rest are missing.
      metricAlarms: loaded(
        [
          riskAlarm(name, enforced.id),
          throttleAlarm(name, enforced.id, client),
          throttleAlarm(`${name} (actions off)`, audit.id, itemsOf(audit.clients)[0]!.id, { actionsEnabled: false }),
        ].map((a) => ({ ...a, arn: a.arn?.replace('us-east-1', region) })),
      ),
      compositeAlarms: loaded([]),
      cognitoMetrics: loaded([
        series('AccountTakeoverRisk', { UserPoolId: enforced.id, Operation: 'SignIn', RiskLevel: 'High' }),
        series('SignInThrottles', { UserPool: enforced.id, UserPoolClient: client }),
      ]),
      usageMetrics: loaded([]),
      errors: [],
    },
    cloudtrail: { trails: loaded([trail(region, name)]), otherRegionTrails: [], errors: [] },
    activity: activityRegion({
      metrics: ps.map((p) => ({
        poolId: p.id,
        series: successes('SignIn', p.id, itemsOf(p.clients)[0]?.id ?? 'none', { 0: 40, 1: 40 }, { 0: 30, 1: 38 }),
      })),
    }),
  }
}

export function fullSnapshot(name: string): AccountSnapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: NOW.toISOString(),
    accountId: '123456789012',
    regions: FULL_REGIONS.map((r) => region(name, r)),
  }
}

/** Every requirement on, every activity threshold set. */
export function fullPolicy(): Policy {
  const ctx = { regions: [...FULL_REGIONS] }
  return testPolicy({
    regions: [...FULL_REGIONS],
    alarms: alarmsSection.normalize({ enabled: true }, ctx),
    cloudtrail: cloudTrailSection.normalize({ enabled: true }, ctx),
    activity: activitySection.normalize(
      {
        enabled: true,
        thresholds: { 'max-sign-in-failure-rate': 10, 'max-throttles': 0, 'fail-on-high-risk': true },
      },
      ctx,
    ),
    threatProtection: { mode: 'AUDIT', requireBlocking: true },
  })
}
