/**
 * AccountSnapshot: everything the collectors read from AWS, as plain JSON-safe data
 * (dates are ISO strings). Checks read only this; `--save-snapshot` writes it and
 * `--snapshot` audits a saved one without AWS.
 *
 * Convention for every section: a field that is `undefined` was not collected
 * (the requirement is off, or an error prevented it, see `errors`); an error
 * that prevented a read is recorded in the nearest `errors` array so the checks
 * can report `error` instead of a pass.
 *
 * Every list whose read can fail is a `Listing` (schema version 2): `loaded` with its items (possibly
 * none: AWS has none) or `failed` with the error that prevented it. A list that failed to load is not an
 * empty list, and the types make a check say so: it cannot reach the items without handling `failed`.
 * Version 1 snapshots kept plain arrays (empty when the read failed, the failure only in `errors`); the
 * saved source upgrades them on load (src/sources/saved/upgrade.ts).
 */

import type { ActivityRegion } from './activity.js'
import type { AlarmsRegion } from './alarms.js'
import type { CloudTrailRegion } from './cloudtrail.js'
import type { PlannedInfo, PlannedSourceInfo } from './plan.js'

export const SNAPSHOT_SCHEMA_VERSION = 2

/**
 * A list read from AWS (or built from a plan). `loaded`: read to its end; `items` may be empty, meaning
 * there are none. `failed`: the read that produces the list failed (`error` names the call, so the IAM
 * permission is `permissionOf(error)`); nothing is known about its items, and every requirement whose
 * subjects come from it is `error` for them, never a pass. The error is also in the nearest `errors` array.
 * Planned sources always produce `loaded`.
 */
export type Listing<T> = LoadedListing<T> | FailedListing

export interface LoadedListing<T> {
  state: 'loaded'
  items: T[]
}

export interface FailedListing {
  state: 'failed'
  error: AwsError
}

export function loaded<T>(items: T[]): LoadedListing<T> {
  return { state: 'loaded', items }
}

export function failedListing(error: AwsError): FailedListing {
  return { state: 'failed', error }
}

/**
 * The items that were read; none for a failed listing. For describing what was read (reports, counts,
 * labels, remediation text) only: a requirement is never judged on it, since it cannot tell "none" from
 * "not read". Checks switch on `state`.
 */
export function itemsRead<T>(listing: Listing<T>): T[] {
  return listing.state === 'loaded' ? listing.items : []
}

export interface AccountSnapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION
  /**
   * ISO time the collection started.
   * @format date-time
   */
  collectedAt: string
  /** Account id when known (from an ARN); never required. */
  accountId?: string
  /** The pool selection it was collected with, so a replay under another policy knows what it lacks.
   *  Absent in snapshots written before it was recorded. */
  selection?: { ids: string[]; names: string[]; all: boolean }
  /** What the collection was asked for, so an audit of the saved snapshot under a stricter policy knows
   *  what it cannot answer. Absent in snapshots written before it was recorded. */
  collected?: CollectionRecord
  regions: RegionSnapshot[]
  /** Where it came from: read from the live account, or a saved snapshot file. Absent in snapshots
   *  written before it was recorded. */
  source?: SnapshotOrigin
}

/** `planned`: built from a template, cloud assembly or Terraform plan (`PlannedSourceInfo`). */
export type SnapshotOrigin = { kind: 'live' } | { kind: 'saved'; path: string } | PlannedSourceInfo

/** The requirements a snapshot was collected for, with what bounds the data of each. */
export interface CollectionRecord {
  /** Absent: alarms were not collected. */
  alarms?: { risk: boolean; throttles: boolean; usage: boolean }
  cloudtrail: boolean
  /** Absent: activity was not collected. */
  activity?: {
    /** @minimum 0 */
    lookbackHours: number
    /** @minimum 0 */
    eventPages: number
    personalData: boolean
  }
}

export interface RegionSnapshot {
  region: string
  cognito: CognitoRegion
  /** Issue 3: alarms and metric discovery. Undefined when not collected. */
  alarms?: AlarmsRegion
  /** Issue 4: trails, status and selectors. Undefined when not collected. */
  cloudtrail?: CloudTrailRegion
  /** Issue 5: metrics and event-history breakdown. Undefined when not collected. */
  activity?: ActivityRegion
}

export type AwsService = 'cognito-idp' | 'cloudwatch' | 'cloudtrail'

/** An AWS call that failed in a way that prevents a check. */
export interface AwsError {
  service: AwsService
  /** API action, e.g. `DescribeRiskConfiguration`. The IAM permission is `${service}:${action}`. */
  action: string
  /** AWS error name, e.g. `AccessDeniedException`, `UnrecognizedClientException`. */
  code: string
  /** Human sentence; never contains credentials. */
  message: string
  region: string
  /** Pool id, client id, trail ARN … the call was about. */
  resource?: string
}

export interface CognitoRegion {
  /** Pools selected by the policy in this region (after id/name/all selection); `failed` when
   *  ListUserPools failed (or the region cannot be reached). */
  pools: Listing<UserPool>
  /** Pools the policy names that this region does not have: a violation, not a skip. Empty when the
   *  pools could not be listed (nothing is known then). */
  missing: MissingPool[]
  /** Region-level failures (e.g. ListUserPools denied, unknown region). */
  errors: AwsError[]
}

export interface MissingPool {
  /** What the policy named: a pool id or a name pattern. */
  selector: string
  kind: 'id' | 'name'
}

export type AdvancedSecurityMode = 'OFF' | 'AUDIT' | 'ENFORCED'
export type EventAction = 'BLOCK' | 'MFA_IF_CONFIGURED' | 'MFA_REQUIRED' | 'NO_ACTION'
export type MfaConfiguration = 'OFF' | 'ON' | 'OPTIONAL'

export interface UserPool {
  id: string
  name: string
  region: string
  arn?: string
  /** `LITE` | `ESSENTIALS` | `PLUS`; undefined when AWS (or a stand-in) did not report it. */
  tier?: string
  /** From `UserPoolAddOns.AdvancedSecurityMode`; an absent add-on block is `OFF`. */
  advancedSecurityMode: AdvancedSecurityMode
  /** `UserPoolAddOns.AdvancedSecurityAdditionalFlows.CustomAuthMode`; undefined = not enabled. */
  customAuthMode?: 'AUDIT' | 'ENFORCED'
  /** `MfaConfiguration` from DescribeUserPool: `ON` = every user must use MFA. Undefined = not reported
   *  (snapshots written before it was collected); then an `MFA_IF_CONFIGURED` action cannot be confirmed to block. */
  mfaConfiguration?: MfaConfiguration
  /** The pool's app clients (ListUserPoolClients); `failed` when they could not be listed, or when
   *  DescribeUserPool failed and they were not read (the error is that call's). */
  clients: Listing<AppClient>
  /** Pool-level risk configuration, read for ENFORCED pools only (it changes nothing in AUDIT mode).
   *  `null` = the pool has none (or threat protection is off); undefined = not read: the pool is in
   *  AUDIT mode, or the read failed (see `errors`). */
  riskConfiguration?: RiskConfiguration | null
  /** Client-level risk configurations of an ENFORCED pool's app clients (none read for other pools).
   *  `failed` when the app clients could not be listed (the same error as `clients`); when loaded, a
   *  client whose own read failed has no entry and its error is in `errors` (resource = the client id). */
  clientRiskConfigurations: Listing<ClientRiskConfiguration>
  errors: AwsError[]
  /** Planned pools only: location, change, unknown and defaulted values. */
  plan?: PlannedInfo
  /** Planned pools only: where the pool-level risk configuration (`ClientId: ALL`, no `client_id`) is written. */
  riskConfigurationPlan?: PlannedInfo
}

export interface AppClient {
  id: string
  name: string
  plan?: PlannedInfo
}

export interface ClientRiskConfiguration {
  clientId: string
  /** `null` = the client has no settings of its own (inherits the pool's). */
  configuration: RiskConfiguration | null
  /** Planned client-level configurations only. */
  plan?: PlannedInfo
}

/** The parts of `RiskConfigurationType` the checks read, in AWS's own shape. */
export interface RiskConfiguration {
  CompromisedCredentialsRiskConfiguration?: {
    EventFilter?: string[]
    Actions: { EventAction: 'BLOCK' | 'NO_ACTION' }
  }
  AccountTakeoverRiskConfiguration?: {
    Actions: {
      LowAction?: { Notify: boolean; EventAction: EventAction }
      MediumAction?: { Notify: boolean; EventAction: EventAction }
      HighAction?: { Notify: boolean; EventAction: EventAction }
    }
  }
  RiskExceptionConfiguration?: {
    BlockedIPRangeList?: string[]
    SkippedIPRangeList?: string[]
  }
}
