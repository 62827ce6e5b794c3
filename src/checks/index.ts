/**
 * The registry of requirements, and the evaluation step: snapshot + options → findings.
 *
 * Each requirement is one folder with one descriptor; this list is the only place that names them.
 * The policy schema and typed Policy (src/policy/), the table columns, the method lines, the exemption
 * targets and the selector validation are all derived from it. Order matters: it is the order of the
 * table's columns and of the checks.
 */
import type { Finding } from '../model/finding.js'
import type { Check, CheckContext, Exemption, PoolSelectorRef, RequirementDescriptor } from '../model/requirement.js'
import type { AccountSnapshot } from '../model/snapshot.js'
import { activityRequirement } from './activity/index.js'
import { alarmsRequirement } from './alarms/index.js'
import { cloudTrailRequirement } from './cloudtrail/index.js'
import { applyExemptions } from './exemptions.js'
import { missingResults, runGuarded } from './no-result.js'
import { planRequirement } from './plan/index.js'
import { judgePlan, plannedSource } from './plan/judge.js'
import { poolsRequirement } from './pools/index.js'
import { threatProtectionRequirement } from './threat-protection/index.js'

export const REGISTRY = [
  poolsRequirement,
  threatProtectionRequirement,
  alarmsRequirement,
  cloudTrailRequirement,
  activityRequirement,
  planRequirement,
] as const

type Descriptor = (typeof REGISTRY)[number]
type OptionsOf<D> = D extends RequirementDescriptor<string, infer O> ? O : never

/** Each requirement's options, by its field: the part of the typed Policy the checks see. */
export type RequirementOptions = { [D in Descriptor as D['field']]: OptionsOf<D> }

/** The requirements with a policy section of their own, by field. */
export type SectionDescriptors = Extract<Descriptor, { section: object }>

/** The descriptors, for code that does not need each one's own option type. */
const DESCRIPTORS: ReadonlyArray<RequirementDescriptor<keyof RequirementOptions & string, unknown>> =
  REGISTRY as unknown as ReadonlyArray<RequirementDescriptor<keyof RequirementOptions & string, unknown>>

/** Every check, in registry order. */
export const CHECKS: ReadonlyArray<Check<unknown>> = DESCRIPTORS.flatMap((d) => d.checks)

/** The table's columns: requirements with a label, in registry order. */
export const REQUIREMENTS: readonly string[] = DESCRIPTORS.filter((d) => d.label).map((d) => d.id)

/** A column's label. */
export function labelOf(requirement: string): string {
  return DESCRIPTORS.find((d) => d.id === requirement)?.label ?? requirement
}

/** What a pool's empty cell in a column means: no check ran, or nothing was judged (a threshold-only
 *  requirement without a threshold for the pool). */
export function emptyCellOf(requirement: string): 'not-checked' | 'not-judged' {
  return descriptorOf(requirement).emptyCell ?? 'not-checked'
}

/** The descriptor whose findings fill a column. */
export function descriptorOf(requirement: string): RequirementDescriptor<keyof RequirementOptions & string, unknown> {
  const d = DESCRIPTORS.find((x) => x.id === requirement)
  if (!d) throw new Error(`unknown requirement ${requirement}`)
  return d
}

/** What an audit's policy holds besides the requirements' options. */
export interface EvaluationPolicy extends RequirementOptions {
  source: string
  regions: string[]
  exemptions: Exemption[]
}

/** Whether the policy turned a requirement on. */
export function isEnabled(policy: RequirementOptions, requirement: string): boolean {
  const d = descriptorOf(requirement)
  return d.enabled(policy[d.field])
}

/** The "what was checked" line of every enabled requirement that has one, with its label. */
export function methodLines(
  policy: RequirementOptions,
  snapshot: AccountSnapshot,
): Array<{ label: string; parts: ReturnType<NonNullable<RequirementDescriptor['method']>> }> {
  return DESCRIPTORS.flatMap((d) => {
    const options = policy[d.field]
    if (!d.label || !d.method || !d.enabled(options)) return []
    return [{ label: d.label, parts: d.method(options, snapshot) }]
  })
}

/** Every pool selector the policy writes: the requirements' own, then the exemptions' (except region names). */
function selectorsOf(snapshot: AccountSnapshot, policy: EvaluationPolicy): PoolSelectorRef[] {
  const regions = new Set(snapshot.regions.map((r) => r.region))
  return [
    ...DESCRIPTORS.flatMap((d) => d.selectors?.(policy[d.field]) ?? []),
    ...policy.exemptions.flatMap((ex, i) =>
      regions.has(ex.pool)
        ? []
        : [
            {
              selector: ex.pool,
              key: `exemptions[${i}].pool`,
              requirement: REQUIREMENTS.includes(ex.requirement) ? ex.requirement : 'threat-protection',
            },
          ],
    ),
  ]
}

const STATUS_ORDER = { error: 0, fail: 1, 'not-in-plan': 2, warn: 3, exempt: 4, pass: 5 } as const

/** What every check is handed besides its own options. */
export function checkContext(snapshot: AccountSnapshot, policy: EvaluationPolicy): CheckContext {
  return {
    policySource: policy.source,
    regions: policy.regions,
    exemptions: policy.exemptions,
    selectors: selectorsOf(snapshot, policy),
  }
}

/** Runs one check as the evaluation does: with its requirement's options and the context. */
export function runCheck(check: Check<unknown>, snapshot: AccountSnapshot, policy: EvaluationPolicy): Finding[] {
  const d = DESCRIPTORS.find((x) => x.checks.includes(check))
  if (!d) throw new Error(`check ${check.id} is in no requirement of the registry`)
  return check.run(snapshot, policy[d.field], checkContext(snapshot, policy))
}

/** Runs every check, adds an `error` for each pool or region an enabled check owed a finding and gave
 *  none (see no-result.ts), applies exemptions (as of `today`, YYYY-MM-DD) and sorts: worst first, then
 *  region, pool. `registry` is the real one but in tests that inject a broken check. */
export function evaluate(
  snapshot: AccountSnapshot,
  policy: EvaluationPolicy,
  today: string,
  registry: ReadonlyArray<RequirementDescriptor<keyof RequirementOptions & string, unknown>> = DESCRIPTORS,
): Finding[] {
  const ctx = checkContext(snapshot, policy)
  // A plan has no history: requirements that judge metrics or event history do not apply to it.
  const planned = plannedSource(snapshot) !== undefined
  const runs = registry
    .filter((d) => !(planned && d.needsLiveAccount))
    .flatMap((d) =>
      d.checks.map((c) => ({
        enabled: d.enabled(policy[d.field]),
        ...runGuarded(c, policy[d.field], () => c.run(snapshot, policy[d.field], ctx)),
      })),
    )
  const judged = judgePlan(
    runs.flatMap((r) => r.findings),
    snapshot,
  )
  const owed = missingResults(
    runs.filter((r) => r.enabled),
    snapshot,
  )
  return applyExemptions([...judged, ...owed], policy.exemptions, today).sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      a.region.localeCompare(b.region) ||
      (a.poolId ?? '').localeCompare(b.poolId ?? '') ||
      a.checkId.localeCompare(b.checkId) ||
      (a.resource ?? '').localeCompare(b.resource ?? ''),
  )
}
