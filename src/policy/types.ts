/**
 * The typed policy: what the YAML file and the action inputs are validated and
 * normalised into. Every field has its default filled in; checks never see raw YAML.
 * Each requirement's options come from its folder under src/checks/ (the registry's RequirementOptions).
 */
import type { RequirementOptions } from '../checks/index.js'
import type { Severity } from '../model/finding.js'
import type { PoolSelection } from '../model/match.js'
import type { Exemption } from '../model/requirement.js'

export type { PoolSelection } from '../model/match.js'
export type { Exemption } from '../model/requirement.js'

export interface Policy extends RequirementOptions {
  /** Where it came from: a file path, or `inputs` when built from action inputs alone. */
  source: string
  /** Every region audited: the listed ones plus the regions of pool ids. Sorted, unique. */
  regions: string[]
  pools: PoolSelection
  exemptions: Exemption[]
  report: ReportPolicy
}

export interface ReportPolicy {
  /** Allow user subs and source IP addresses (as top-5 counts) in the summary. Default false. */
  personalData: boolean
}

/** How a failing finding's severity is decided when a section lets the policy raise or lower it. */
export type SeveritySetting = Severity
