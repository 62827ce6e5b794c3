/**
 * The typed policy: what the YAML file and the action inputs are validated and
 * normalised into. Every field has its default filled in; checks never see raw YAML.
 */
import type { AlarmsPolicy } from './sections/alarms.js'
import type { CloudTrailPolicy } from './sections/cloudtrail.js'
import type { ActivityPolicy } from './sections/activity.js'
import type { ThreatProtectionPolicy } from './sections/threat-protection.js'
import type { Requirement, Severity } from '../model/finding.js'

export interface Policy {
  /** Where it came from: a file path, or `inputs` when built from action inputs alone. */
  source: string
  /** Every region audited: the listed ones plus the regions of pool ids. Sorted, unique. */
  regions: string[]
  pools: PoolSelection
  threatProtection: ThreatProtectionPolicy
  alarms: AlarmsPolicy
  cloudtrail: CloudTrailPolicy
  activity: ActivityPolicy
  exemptions: Exemption[]
  report: ReportPolicy
}

export interface PoolSelection {
  /** Pool ids (`us-east-1_AbC123`): each must exist, or it is a violation. */
  ids: string[]
  /** Name globs (`*` and `?`), matched in every audited region; a glob matching no pool is a violation. */
  names: string[]
  /** Every pool in `regions`. True when neither ids nor names are given. */
  all: boolean
  /** `pools.allow-none`: finding no pool at all is expected. Absent = false (an audit of nothing is not compliant). */
  allowNone?: boolean
}

export interface Exemption {
  /** Pool id or name glob the exemption applies to; `*` for every pool. */
  pool: string
  /** A requirement (table column) or a check id. */
  requirement: Requirement | string
  reason: string
  /** ISO date (YYYY-MM-DD), inclusive. Undefined = no expiry. */
  expires?: string
}

export interface ReportPolicy {
  /** Allow user subs and source IP addresses (as top-5 counts) in the summary. Default false. */
  personalData: boolean
}

/** How a failing finding's severity is decided when a section lets the policy raise or lower it. */
export type SeveritySetting = Severity
