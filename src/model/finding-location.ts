/**
 * Finding → source location: where in a template, a CDK app or a `.tf` file a finding points, and the
 * "resource / property" identity code scanning fingerprints it by.
 *
 * `findingTarget(finding, snapshot)` is a pure function of a finding and the snapshot it was judged on
 * (planned, live, or live with a plan laid over it). It points at the planned object the finding is
 * about, or, when the finding is about something missing, at the planned object whose lack causes it:
 *
 * | check                            | points at                                                                  |
 * | -------------------------------- | -------------------------------------------------------------------------- |
 * | `threat-protection`              | the pool (its add-ons property)                                            |
 * | `threat-protection-enforcement`  | the client-level risk configuration, else the pool-level one, else the pool |
 * | `alarms-risk`, `alarms-throttles` | the alarm that covers or comes closest, else the pool that lacks an alarm |
 * | `alarms-usage`                   | the closest alarm, else the region's first planned pool                    |
 * | `cloudtrail-capture`             | the trail that decided it, else the region's first planned pool            |
 * | anything else (policy, activity) | nothing: it has no place in a plan                                         |
 *
 * A finding about live objects only has no location (`location` absent); it still has an identity.
 *
 * Identity: `check / region / resource / subject / property`, never the message, line, status or
 * severity, so moving a resource down a file or rewording a message keeps the fingerprint. `resource`
 * is the planned object's name that survives a deploy (Terraform address, `stack/logicalId`), else the
 * live pool id, else `-` for a region-level finding. `subject` is the model's finding subject (the metric,
 * the app client, the custom-auth flow; `identity.ts`). `property` is format-neutral (the API's name).
 */
import type { CompositeAlarmInfo, MetricAlarmInfo } from './alarms.js'
import type { TrailRecord } from './cloudtrail.js'
import type { Finding } from './finding.js'
import { findingSubject } from './identity.js'
import type { PlanChange, PlanFormat, PlannedInfo, SourceLocation } from './plan.js'
import { type AccountSnapshot, type AppClient, itemsRead, type RegionSnapshot, type UserPool } from './snapshot.js'

export type PlannedObjectKind = 'pool' | 'client' | 'risk-configuration' | 'metric-alarm' | 'composite-alarm' | 'trail'

export interface FindingTarget {
  /** Stable key for fingerprints: check / region / resource / subject / property. */
  identity: string
  /** Planned object name (Terraform address, `stack/logicalId`), else the live pool id; absent at region level. */
  resource?: string
  /** What the finding is about, format-neutral: `AdvancedSecurityMode`, `CustomAuthMode`, `RiskConfiguration`, `Alarm`, `Trail`. */
  property?: string
  /** The planned object pointed at; absent when the finding is about live objects only. */
  located?: {
    kind: PlannedObjectKind
    location: SourceLocation
    change: PlanChange
    format: PlanFormat
    /** The property in the format's own words (`UserPoolAddOns.AdvancedSecurityMode`,
     *  `user_pool_add_ons.advanced_security_mode`, `standardThreatProtectionMode`), or the path of the
     *  value that cannot be known before deploy. */
    setting?: string
  }
}

/** The format an object was written in, from its location: an address is Terraform, a construct path CDK. */
export function formatOf(location: SourceLocation): PlanFormat {
  if (location.address !== undefined) return 'terraform'
  if (location.constructPath !== undefined) return 'cdk'
  return 'cloudformation'
}

/** The name of a planned object that stays the same across runs and deploys. */
export function plannedName(location: SourceLocation): string {
  if (location.address !== undefined) return location.address
  const id = location.logicalId ?? location.constructPath ?? location.file
  return location.stack !== undefined ? `${location.stack}/${id}` : id
}

type Settings = Record<PlanFormat, string>

/** Per property: how each format spells it. */
const SETTINGS: Record<string, Settings> = {
  AdvancedSecurityMode: {
    cloudformation: 'UserPoolAddOns.AdvancedSecurityMode',
    cdk: 'standardThreatProtectionMode',
    terraform: 'user_pool_add_ons.advanced_security_mode',
  },
  CustomAuthMode: {
    cloudformation: 'UserPoolAddOns.AdvancedSecurityAdditionalFlows.CustomAuthMode',
    cdk: 'customThreatProtectionMode',
    terraform: 'user_pool_add_ons.advanced_security_additional_flows.custom_auth_mode',
  },
  RiskConfiguration: {
    cloudformation: 'AWS::Cognito::UserPoolRiskConfigurationAttachment',
    cdk: 'CfnUserPoolRiskConfigurationAttachment',
    terraform: 'aws_cognito_risk_configuration',
  },
  Alarm: {
    cloudformation: 'AWS::CloudWatch::Alarm',
    cdk: 'cloudwatch.Alarm',
    terraform: 'aws_cloudwatch_metric_alarm',
  },
  Trail: {
    cloudformation: 'AWS::CloudTrail::Trail',
    cdk: 'cloudtrail.Trail',
    terraform: 'aws_cloudtrail',
  },
}

/** Which snapshot fields of `plan.unknown` a property depends on: an unknown one is the setting shown. */
const UNKNOWN_FIELDS: Record<string, string[]> = {
  AdvancedSecurityMode: ['advancedSecurityMode', 'tier'],
  CustomAuthMode: ['customAuthMode', 'tier'],
}

interface Pointed {
  kind: PlannedObjectKind
  plan: PlannedInfo
}

const CUSTOM_AUTH_RESOURCE = 'custom authentication flows'

function part(text: string | undefined): string {
  if (text === undefined || text === '') return '-'
  return text.replaceAll('%', '%25').replaceAll('/', '%2F')
}

/** The pools read in a region (none when they could not be listed): to point findings at planned objects. */
function itemsOfRegion(region: RegionSnapshot | undefined): UserPool[] {
  return region ? itemsRead(region.cognito.pools) : []
}

function regionOf(snapshot: AccountSnapshot, region: string): RegionSnapshot | undefined {
  return snapshot.regions.find((r) => r.region === region)
}

function poolOf(snapshot: AccountSnapshot, f: Finding): UserPool | undefined {
  if (f.poolId === undefined) return undefined
  return itemsOfRegion(regionOf(snapshot, f.region)).find((p) => p.id === f.poolId)
}

/** The first planned pool of a region (in file order), for a region-level finding about something missing. */
function firstPlannedPool(region: RegionSnapshot | undefined): UserPool | undefined {
  const planned = itemsOfRegion(region).filter((p) => p.plan)
  return planned.sort(
    (a, b) =>
      a.plan!.location.file.localeCompare(b.plan!.location.file) ||
      (a.plan!.location.line ?? 0) - (b.plan!.location.line ?? 0),
  )[0]
}

/** The client id an enforcement finding is about, if it is about one. */
function clientIdOf(f: Finding): string | undefined {
  if (typeof f.evidence?.clientId === 'string') return f.evidence.clientId
  if (f.resource === undefined) return undefined
  return /\(([^()]+)\)$/.exec(f.resource)?.[1] ?? f.resource
}

/** The alarm an alarms finding names: the one that covers (pass) or the closest one to the first uncovered series. */
function alarmNameOf(f: Finding): string | undefined {
  const series = f.evidence?.series
  if (!Array.isArray(series)) return undefined
  const rows = series.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
  const uncovered = rows.find((s) => s.covered === false)
  if (uncovered) return typeof uncovered.closestAlarm === 'string' ? uncovered.closestAlarm : undefined
  const covered = rows.find((s) => typeof s.alarm === 'string')
  return covered?.alarm as string | undefined
}

function plannedAlarm(region: RegionSnapshot | undefined, name: string | undefined): Pointed | undefined {
  if (name === undefined) return undefined
  const metric = (region?.alarms?.metricAlarms ? itemsRead(region.alarms.metricAlarms) : []).find(
    (a: MetricAlarmInfo) => a.name === name,
  )
  if (metric?.plan) return { kind: 'metric-alarm', plan: metric.plan }
  const composite = (region?.alarms?.compositeAlarms ? itemsRead(region.alarms.compositeAlarms) : []).find(
    (a: CompositeAlarmInfo) => a.name === name,
  )
  if (composite?.plan) return { kind: 'composite-alarm', plan: composite.plan }
  return undefined
}

function plannedTrail(snapshot: AccountSnapshot, arn: string | undefined): TrailRecord | undefined {
  if (arn === undefined) return undefined
  for (const r of snapshot.regions) {
    const t = (r.cloudtrail ? itemsRead(r.cloudtrail.trails) : []).find((x) => x.arn === arn && x.plan)
    if (t) return t
  }
  return undefined
}

function poolPointed(pool: UserPool | undefined): Pointed | undefined {
  return pool?.plan ? { kind: 'pool', plan: pool.plan } : undefined
}

/** The planned object a finding points at, and the format-neutral property it is about. */
function pointAt(f: Finding, snapshot: AccountSnapshot): { pointed?: Pointed; property?: string; pool?: UserPool } {
  const region = regionOf(snapshot, f.region)
  const pool = poolOf(snapshot, f)
  switch (f.checkId) {
    case 'threat-protection': {
      const property = f.resource === CUSTOM_AUTH_RESOURCE ? 'CustomAuthMode' : 'AdvancedSecurityMode'
      return { pointed: poolPointed(pool), property, pool }
    }
    case 'threat-protection-enforcement': {
      const property = 'RiskConfiguration'
      const clientId = f.resource !== undefined || f.evidence?.clientId !== undefined ? clientIdOf(f) : undefined
      if (clientId !== undefined && pool) {
        const own = itemsRead(pool.clientRiskConfigurations).find((c) => c.clientId === clientId)
        if (own?.plan) return { pointed: { kind: 'risk-configuration', plan: own.plan }, property, pool }
        const client = itemsRead(pool.clients).find((c: AppClient) => c.id === clientId)
        if (client?.plan) return { pointed: { kind: 'client', plan: client.plan }, property, pool }
        return { pointed: poolPointed(pool), property, pool }
      }
      if (pool?.riskConfigurationPlan) {
        return { pointed: { kind: 'risk-configuration', plan: pool.riskConfigurationPlan }, property, pool }
      }
      return { pointed: poolPointed(pool), property, pool }
    }
    case 'alarms-risk':
    case 'alarms-throttles':
      return { pointed: plannedAlarm(region, alarmNameOf(f)) ?? poolPointed(pool), property: 'Alarm', pool }
    case 'alarms-usage':
      return {
        pointed: plannedAlarm(region, alarmNameOf(f)) ?? poolPointed(firstPlannedPool(region)),
        property: 'Alarm',
      }
    case 'cloudtrail-capture': {
      const trail = plannedTrail(snapshot, f.resource)
      if (trail?.plan) return { pointed: { kind: 'trail', plan: trail.plan }, property: 'Trail' }
      return { pointed: poolPointed(firstPlannedPool(region)), property: 'Trail' }
    }
    default:
      return pool ? { pool } : {}
  }
}

/** The setting in the format's words: the undecidable value's path when it is unknown, else the property. */
function settingOf(property: string | undefined, pointed: Pointed, format: PlanFormat): string | undefined {
  const unknown = pointed.plan.unknown ?? {}
  for (const field of property ? (UNKNOWN_FIELDS[property] ?? []) : []) {
    const path = unknown[field]
    if (path !== undefined) return path
  }
  if (property === undefined) return undefined
  const settings = SETTINGS[property]
  if (!settings) return undefined
  // A missing risk configuration or alarm is pointed at the pool: the setting names what to add.
  return settings[format]
}

/**
 * Where a finding points and what identifies it. Pure: reads only the finding and the snapshot.
 * See the module comment for what each check points at.
 */
export function findingTarget(f: Finding, snapshot: AccountSnapshot): FindingTarget {
  const { pointed, property, pool } = pointAt(f, snapshot)
  // The resource of the identity: the pool's planned name (so a risk configuration or alarm added later
  // keeps the finding's identity), else its live id; region-level findings have none (the trail or alarm
  // that decided one may change from run to run while the problem stays).
  const resource = pool ? (pool.plan ? plannedName(pool.plan.location) : pool.id) : f.poolId

  const subject = f.checkId === 'cloudtrail-capture' ? undefined : findingSubject(f)
  const identity = [f.checkId, f.region, resource, subject, property].map(part).join('/')
  const target: FindingTarget = { identity }
  if (resource !== undefined) target.resource = resource
  if (property !== undefined) target.property = property
  if (pointed) {
    const format = formatOf(pointed.plan.location)
    const located: NonNullable<FindingTarget['located']> = {
      kind: pointed.kind,
      location: pointed.plan.location,
      change: pointed.plan.change,
      format,
    }
    const setting = settingOf(property, pointed, format)
    if (setting !== undefined) located.setting = setting
    target.located = located
  }
  return target
}

/** `file:line` (or the file, or the address) of a location, for text. */
export function locationText(location: SourceLocation): string {
  if (location.line !== undefined) return `${location.file}:${location.line}`
  return location.address !== undefined ? `${location.file} (${location.address})` : location.file
}
