/**
 * What a planned snapshot adds to the live shape: where each object is written, what the change does
 * to it, which values could not be known before deploy and which were left to their defaults.
 *
 * A planned snapshot (from a CloudFormation template, a CDK cloud assembly or a Terraform plan) has the
 * same `AccountSnapshot` shape the collectors produce, so the checks run unchanged. Objects that come
 * from a plan carry `plan` (a `PlannedInfo`); live objects do not.
 *
 * Unknown values: a value that cannot be known before deploy (an intrinsic that does not resolve, a
 * parameter without default, a Terraform `after_unknown` leaf) is written into the object as the value
 * that can never pass (a string field holds `unknown: <property path>`, a mode holds `OFF`, a list is
 * empty) and its property path is recorded in `plan.unknown`, keyed by the snapshot field. A check that
 * reads such a field must report `error` with "cannot be decided before deploy: <path>", never a pass.
 */

import type { AppClient, RiskConfiguration } from './snapshot.js'

export type PlanFormat = 'cloudformation' | 'cdk' | 'terraform'

/** Where an object is written. `file` is relative to the checkout when it lies inside it. */
export interface SourceLocation {
  file: string
  /** 1-based; absent when the format has no lines (a Terraform plan without its `.tf` files). */
  line?: number
  column?: number
  /** CloudFormation / CDK logical id. */
  logicalId?: string
  /** CloudFormation stack name (CDK stack artifact id). */
  stack?: string
  /** CDK construct path, e.g. `/Stack/Pool/Resource`. */
  constructPath?: string
  /** Terraform resource instance address, e.g. `module.auth.aws_cognito_user_pool.this["a"]`. */
  address?: string
}

/**
 * What the change does to the object:
 * `create` / `update` / `replace` / `no-op` from a Terraform plan's `change.actions`;
 * `declared` for a template, which says what the stack will hold but not whether it exists yet.
 */
export type PlanChange = 'create' | 'update' | 'replace' | 'no-op' | 'declared'

export interface PlannedInfo {
  location: SourceLocation
  change: PlanChange
  /** Snapshot field → property path whose value cannot be known before deploy. */
  unknown?: Record<string, string>
  /** Snapshot field → the property left out, whose documented default was used (e.g. `UserPoolTier (ESSENTIALS)`). */
  defaulted?: Record<string, string>
}

/** An object a Terraform plan deletes (its live counterpart disappears when laid over a live snapshot). */
export interface PlannedDeletion {
  kind: 'pool' | 'client' | 'risk-configuration' | 'metric-alarm' | 'composite-alarm' | 'trail'
  /** The live identity being deleted: pool id, client id, alarm name, trail ARN … when known. */
  id: string
  region?: string
  location: SourceLocation
}

/** `AccountSnapshot.source` of a planned snapshot. */
export interface PlannedSourceInfo {
  kind: 'planned'
  format: PlanFormat
  /** The files or directory read, as given. */
  inputs: string[]
  /** CloudFormation stacks / Terraform root: one entry per stack with its region. */
  stacks: Array<{ name: string; region: string; account?: string; file: string }>
  deleted: PlannedDeletion[]
  /** Clients and risk configurations for pools that are not in the plan (a live pool named by id). */
  detached?: { clients: PlannedClient[]; riskConfigurations: PlannedRiskConfiguration[] }
  /** True when the plan was laid over a snapshot of the live account (`--live`). */
  live?: boolean
}

export interface PlannedClient {
  region: string
  poolId: string
  client: AppClient
}

export interface PlannedRiskConfiguration {
  region: string
  poolId: string
  /** Undefined = the pool default (`ClientId: ALL`, no `client_id`); a client id = replaces it for that client. */
  clientId?: string
  configuration: RiskConfiguration
  plan: PlannedInfo
}

export const UNKNOWN_PREFIX = 'unknown: '

/** The string written in place of a value that cannot be known before deploy. */
export function unknownMarker(path: string): string {
  return UNKNOWN_PREFIX + path
}

export function isUnknownMarker(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(UNKNOWN_PREFIX)
}

/** The message a check reports for an unknown value. */
export function undecidableMessage(path: string): string {
  return `cannot be decided before deploy: ${path}`
}
