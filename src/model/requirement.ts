/**
 * The contracts between the requirement folders (src/checks/<requirement>/), the policy loader and the
 * reports. A requirement is one descriptor: its policy section, its checks, and what the reports say of
 * it. The registry in src/checks/index.ts lists them; everything else is derived from that list.
 */
import type { Finding, Requirement, Severity } from './finding.js'
import type { PolicySection } from './policy-section.js'
import type { AccountSnapshot, RegionSnapshot, UserPool } from './snapshot.js'

/** A pool selector the policy writes somewhere (an override, a pool list), so a typo can be reported. */
export interface PoolSelectorRef {
  selector: string
  /** Where in the policy, e.g. `alarms.risk.pools[0]`. */
  key: string
  /** The column a finding about it belongs to. */
  requirement: Requirement
}

/** An accepted deviation, from the policy's `exemptions`. */
export interface Exemption {
  /** Pool id or name glob the exemption applies to; `*` for every pool. */
  pool: string
  /** A requirement (table column) or a check id. */
  requirement: string
  reason: string
  /** ISO date (YYYY-MM-DD), inclusive. Undefined = no expiry. */
  expires?: string
}

/** What the policy says beyond a check's own options, for the checks that judge the policy itself. */
export interface CheckContext {
  /** Where the policy came from: a file path, or `inputs`. */
  policySource: string
  /** Every region the policy audits. */
  regions: readonly string[]
  exemptions: readonly Exemption[]
  /** Every pool selector the enabled requirements declare, in registry order. */
  selectors: readonly PoolSelectorRef[]
}

/**
 * Who is owed at least one finding of a check when its requirement is enabled. After the checks ran,
 * the evaluation adds an `error` finding ("the check produced no result") for every subject that got
 * none, so a check that silently yields nothing fails closed instead of passing as compliant.
 *  - `pool` (the default, also when a check declares nothing): every audited pool, or those `applies` picks;
 *  - `region`: every audited region, or those `applies` picks;
 *  - `none`: the check reports exceptions only (a pool the policy names that is missing, a selector
 *    that matches no pool); nothing is owed.
 * A pool is covered by a finding of the check about it, or by a region-level one of its region.
 */
export type Subjects<Options = unknown> =
  | { per: 'pool'; applies?(options: Options, pool: UserPool): boolean }
  | { per: 'region'; applies?(options: Options, region: RegionSnapshot): boolean }
  | { per: 'none' }

/** A check: a pure function of the snapshot and its requirement's options. No I/O. */
export interface Check<Options = unknown> {
  id: string
  title: string
  /** The problem, named as a person would ("Threat protection is off"), for findings that do not pass. */
  failTitle: string
  requirement: Requirement
  /** Default severity of a failure; a finding may carry a different one. */
  severity: Severity
  run(snapshot: AccountSnapshot, options: Options, ctx: CheckContext): Finding[]
  /** Who must get a finding from it (see `Subjects`); absent = every audited pool. */
  subjects?: Subjects<Options>
}

/** A piece of a "what was checked" line: text, or an identifier shown as code. */
export type MethodPart = string | { code: string }

export interface RequirementDescriptor<Field extends string = string, Options = unknown> {
  /** The column id findings carry (`Finding.requirement`), e.g. `alarms`. */
  id: string
  /** The summary column's label; absent for a requirement whose findings go in another column. */
  label?: string
  /** What a pool's empty cell in its column means: no check of it ran (default), or, for a requirement
   *  whose checks are all optional thresholds, that nothing was judged ("— not judged"). */
  emptyCell?: 'not-checked' | 'not-judged'
  /** The field of the typed Policy holding its options, e.g. `threatProtection`. */
  field: Field
  /** Its policy section (YAML key, schema, defaults); absent when the options come from elsewhere. */
  section?: PolicySection<Options>
  checks: ReadonlyArray<Check<Options>>
  /** Whether the policy turned it on. */
  enabled(options: Options): boolean
  /** The "what was checked and how" line, without its label; absent when there is nothing to say. It
   *  states what the snapshot held where that differs from what the options ask (a saved snapshot's
   *  activity window). */
  method?(options: Options, snapshot: AccountSnapshot): MethodPart[]
  /** The pool selectors its options hold. */
  selectors?(options: Options): PoolSelectorRef[]
  /** True when it judges history only a live account has (metrics, event history). */
  needsLiveAccount: boolean
}

/** A requirement with a policy section of its own. */
export type SectionDescriptor<Field extends string, Options> = RequirementDescriptor<Field, Options> & {
  section: PolicySection<Options>
}

/** Declares a requirement; the type keeps its field and options for the typed Policy. */
export function defineRequirement<const Field extends string, Options>(
  d: SectionDescriptor<Field, Options>,
): SectionDescriptor<Field, Options>
export function defineRequirement<const Field extends string, Options>(
  d: RequirementDescriptor<Field, Options>,
): RequirementDescriptor<Field, Options>
export function defineRequirement<Field extends string, Options>(
  d: RequirementDescriptor<Field, Options>,
): RequirementDescriptor<Field, Options> {
  return d
}
