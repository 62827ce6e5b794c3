/**
 * The inline inputs (`user-pool-ids`, `regions`, `lookback`; CLI `--pool`, `--region`, `--lookback`): list
 * parsing, validation, and the policy they describe when there is no policy file.
 */

import { MAX_LOOKBACK_HOURS, parseLookback } from '../checks/activity/policy.js'
import { excerpt, InputError } from '../errors.js'
import { POOL_ID_PATTERN, regionOfPoolId } from '../model/match.js'
import { PolicyIssue, type SectionContext } from '../model/policy-section.js'
import { didYouMean, formatPath, PolicyError, type PolicyProblem } from './errors.js'
import { isKnownRegion, REGION_NAMES } from './regions.js'
import { POLICY_SECTIONS, type PolicySections } from './schema.js'
import type { Policy } from './types.js'

export interface PolicyInputs {
  userPoolIds?: string[]
  regions?: string[]
  /** The pre-deploy gate: the regions may come from the plan. */
  regionsFromPlan?: boolean
}

/** Splits a comma- and/or newline-separated input into trimmed, non-empty items. */
export function parseListInput(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(/[,\r\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** Why `id` is not an auditable pool id, or undefined when it is one. */
export function poolIdProblem(id: string): string | undefined {
  if (!POOL_ID_PATTERN.test(id)) return `${excerpt(id)} is not a user pool id: it must look like us-east-1_AbC123`
  const region = regionOfPoolId(id) as string
  if (!isKnownRegion(region)) {
    return `${excerpt(id)} is in an unknown AWS Region ${excerpt(region)}${didYouMean(region, REGION_NAMES)}`
  }
  return undefined
}

/** Why `region` is not a known AWS Region name, or undefined when it is one. */
export function regionProblem(region: string): string | undefined {
  if (isKnownRegion(region)) return undefined
  const hint = didYouMean(region, REGION_NAMES)
  return `${excerpt(region)} is not a known AWS Region${hint || ': expected a Region code such as us-east-1 or eu-west-1 (the schema lists every known one)'}`
}

/** Problems in the inline inputs, reported with source `inputs` and the input's name as path. */
export function inputProblems(inputs: PolicyInputs): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  for (const id of inputs.userPoolIds ?? []) {
    const message = poolIdProblem(id)
    if (message) problems.push({ source: 'inputs', path: 'user-pool-ids', message })
  }
  for (const region of inputs.regions ?? []) {
    const message = regionProblem(region)
    if (message) problems.push({ source: 'inputs', path: 'regions', message })
  }
  return problems
}

/** Listed regions plus the regions of pool ids, sorted and unique. */
export function auditedRegions(listed: readonly string[], poolIds: readonly string[]): string[] {
  const all = [...listed, ...poolIds.map((id) => regionOfPoolId(id)).filter((r): r is string => r !== undefined)]
  return [...new Set(all)].sort()
}

/** Normalises every section with the policy's defaults only (no file). */
export function defaultSections(
  sections: PolicySections,
  ctx: SectionContext,
): Pick<Policy, 'threatProtection' | 'alarms' | 'cloudtrail' | 'activity' | 'plan'> {
  try {
    return {
      threatProtection: sections.threatProtection.normalize(undefined, ctx),
      alarms: sections.alarms.normalize(undefined, ctx),
      cloudtrail: sections.cloudtrail.normalize(undefined, ctx),
      activity: sections.activity.normalize(undefined, ctx),
      plan: sections.plan.normalize(undefined, ctx),
    }
  } catch (e) {
    if (e instanceof PolicyIssue)
      throw new PolicyError([{ source: 'inputs', path: formatPath(e.path), message: e.message }])
    throw e
  }
}

/**
 * The policy the inline inputs describe, every requirement at its default: the given pool ids
 * (each must exist) and, when no ids are given, every pool in the given regions.
 * `defaultPath` only words the error when both inputs are empty.
 */
export function policyFromInputs(
  inputs: PolicyInputs,
  options: { defaultPath?: string; sections?: PolicySections } = {},
): Policy {
  const ids = [...new Set(inputs.userPoolIds ?? [])]
  const listed = [...new Set(inputs.regions ?? [])]
  if (ids.length === 0 && listed.length === 0 && !inputs.regionsFromPlan) {
    const file = options.defaultPath ?? '.github/cognito-compliance.yml'
    throw new PolicyError([
      {
        source: file,
        path: '',
        message:
          'no policy file here and no user pools or regions given: add this policy file, point the `policy` ' +
          'input (CLI: --policy) at one, or set `user-pool-ids` and/or `regions` (CLI: --region) to audit ' +
          'those pools or every pool in those regions with the default requirements',
      },
    ])
  }
  const problems = inputProblems({ userPoolIds: ids, regions: listed })
  if (problems.length > 0) throw new PolicyError(problems)
  const regions = auditedRegions(listed, ids)
  return {
    source: 'inputs',
    regions,
    pools: { ids, names: [], all: ids.length === 0 },
    ...defaultSections(options.sections ?? POLICY_SECTIONS, { regions }),
    exemptions: [],
    report: { personalData: false },
  }
}

/**
 * Input `lookback` / CLI `--lookback`: replaces the policy's `activity.lookback` (e.g. `24h`, `2d`).
 * Empty leaves the policy as it is; anything else that is not a duration of at most 14 days is bad input.
 */
export function withLookback(policy: Policy, text: string | undefined, name: string): Policy {
  const value = text?.trim()
  if (!value) return policy
  const hours = parseLookback(value)
  if (hours === undefined || hours > MAX_LOOKBACK_HOURS) {
    throw new InputError(
      `${name} must be a duration like 24h or 2d, at most ${MAX_LOOKBACK_HOURS}h (got ${excerpt(value)}).`,
    )
  }
  return { ...policy, activity: { ...policy.activity, lookbackHours: hours } }
}
