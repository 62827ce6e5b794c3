/**
 * The run rules the action and the CLI share: which options go together, the gate's level, the policy
 * with its overrides, and the snapshot source. Each names its options its own way (an OptionDialect),
 * so a message says `Input 'fail-on'` in the action and `--fail-on` on the command line.
 */

import { relative } from 'node:path'
import * as glob from '@actions/glob'
import { FAIL_ON_VALUES, type FailOn, SEVERITIES } from './audit.js'
import { parseTimeout } from './deadline.js'
import { excerpt, InputError } from './errors.js'
import type { Severity } from './model/finding.js'
import { type PlanInput, plannedRegions, plannedSource, readPlan } from './plan/source.js'
import { withLookback } from './policy/inputs.js'
import { DEFAULT_POLICY_PATH, loadPolicy } from './policy/load.js'
import type { Policy } from './policy/types.js'
import { DEFAULT_QUOTA_SHARE } from './sources/aws/quotas.js'
import { liveSource } from './sources/aws/source.js'
import { savedSource } from './sources/saved/source.js'
import type { SnapshotSource } from './sources/source.js'

/** The options of a run, as either front end read them (empty = not given). */
export interface RunRequest {
  /** An explicit policy file; absent = the default path if it exists. */
  policyPath?: string
  userPoolIds: string[]
  regions: string[]
  failOn?: string
  snapshot?: string
  saveSnapshot?: string
  lookback?: string
  /** The whole audit's time limit, e.g. `30m` (live audits only). */
  timeout?: string
  /** The share of each per-region rate quota the audit may spend, e.g. `50%` (live audits only). */
  maxQuotaShare?: string
  /** The pre-deploy gate (`plan` command, inputs `template`, `cdk-out`, `terraform-plan`). */
  plan?: PlanRequest
}

export interface PlanRequest {
  /** Template paths or globs. */
  templates: string[]
  cdkOut?: string
  terraformPlan?: string
  /** `Key=Value` parameter overrides. */
  parameters: string[]
  live: boolean
  failOnExisting: boolean
}

export type RunOption =
  | 'fail-on'
  | 'fail-on-severity'
  | 'snapshot'
  | 'save-snapshot'
  | 'lookback'
  | 'timeout'
  | 'template'
  | 'cdk-out'
  | 'terraform-plan'
  | 'parameters'
  | 'region'
  | 'live'
  | 'max-quota-share'

/** How a front end names its options in messages. */
export interface OptionDialect {
  /** One option as the subject of a sentence: `Input 'fail-on'`, `--fail-on`. */
  one(option: RunOption): string
  /** Two options: `Inputs 'snapshot' and 'save-snapshot'`, `--snapshot and --save-snapshot`. */
  two(a: RunOption, b: RunOption): string
  /** Another option named inside a sentence: `'snapshot'`, `--snapshot`. */
  other(option: RunOption): string
  /** Ends a message (the action writes sentences, the CLI lines). */
  end: string
}

export const ACTION_DIALECT: OptionDialect = {
  one: (o) => `Input '${o}'`,
  two: (a, b) => `Inputs '${a}' and '${b}'`,
  other: (o) => `'${o}'`,
  end: '.',
}

/** CLI flags whose name differs from the input's. */
const FLAG: Partial<Record<RunOption, string>> = { parameters: 'parameter' }
const flag = (o: RunOption) => `--${FLAG[o] ?? o}`

export const CLI_DIALECT: OptionDialect = {
  one: flag,
  two: (a, b) => `${flag(a)} and ${flag(b)}`,
  other: flag,
  end: '',
}

export interface PreparedRun {
  policy: Policy
  source: SnapshotSource
  failOn: FailOn
  /** Plans only: findings on live objects fail the gate too. */
  failOnExisting?: boolean
}

/** The gate's level; anything else is bad input. */
export function parseFailOn(value: string | undefined, d: OptionDialect): FailOn {
  const failOn = (value?.trim() || 'violation') as FailOn
  if (!FAIL_ON_VALUES.includes(failOn)) {
    throw new InputError(
      `${d.one('fail-on')} must be one of ${FAIL_ON_VALUES.join(', ')} (got ${excerpt(failOn)})${d.end}`,
    )
  }
  return failOn
}

/**
 * The share of each rate quota to spend: a percentage above 0 and at most 100, with or without `%`
 * (`50%`, `25`, `12.5%`); empty = DEFAULT_QUOTA_SHARE. Returned as a fraction (0.5).
 */
export function parseQuotaShare(value: string | undefined, d: OptionDialect): number {
  const raw = (value ?? '').trim()
  if (raw === '') return DEFAULT_QUOTA_SHARE
  const m = /^(\d{1,3}(?:\.\d{1,2})?)\s*%?$/.exec(raw)
  const percent = m ? Number(m[1]) : Number.NaN
  if (!(percent > 0 && percent <= 100)) {
    throw new InputError(
      `${d.one('max-quota-share')} must be a percentage above 0 and at most 100, such as 50% (got ${excerpt(raw)})${d.end}`,
    )
  }
  return percent / 100
}

/** The least severity of violation that fails the gate (`fail-on-severity`, default `low`: every one);
 *  anything else is bad input. */
export function parseFailOnSeverity(value: string | undefined, d: OptionDialect): Severity {
  const severity = (value?.trim() || 'low') as Severity
  if (!SEVERITIES.includes(severity)) {
    throw new InputError(
      `${d.one('fail-on-severity')} must be one of ${SEVERITIES.join(', ')} (got ${excerpt(severity)})${d.end}`,
    )
  }
  return severity
}

/** Options that cannot go together; checked before the policy is read or AWS is called. */
export function checkCombinations(req: RunRequest, d: OptionDialect): void {
  if (req.snapshot && req.saveSnapshot) {
    throw new InputError(`${d.two('snapshot', 'save-snapshot')} cannot be used together${d.end}`)
  }
  if (req.snapshot && req.maxQuotaShare?.trim()) {
    throw new InputError(
      `${d.one('max-quota-share')} cannot be used with ${d.other('snapshot')}: a saved snapshot makes no AWS calls${d.end}`,
    )
  }
  if (req.plan) {
    const given = (
      [
        ['template', req.plan.templates.length > 0],
        ['cdk-out', Boolean(req.plan.cdkOut)],
        ['terraform-plan', Boolean(req.plan.terraformPlan)],
      ] as const
    ).filter(([, on]) => on)
    if (given.length === 0)
      throw new InputError(
        `the pre-deploy gate needs one of ${d.other('template')}, ${d.other('cdk-out')} or ${d.other('terraform-plan')}${d.end}`,
      )
    if (given.length > 1) throw new InputError(`${d.two(given[0]![0], given[1]![0])} cannot be used together${d.end}`)
    if (req.snapshot) throw new InputError(`${d.one('snapshot')} cannot be used with a plan${d.end}`)
    if (req.lookback?.trim())
      throw new InputError(
        `${d.one('lookback')} does not apply to a plan: activity is not judged before deploy${d.end}`,
      )
  }
  if (req.snapshot && req.lookback?.trim()) {
    throw new InputError(
      `${d.one('lookback')} cannot be used with ${d.other('snapshot')}: a saved snapshot's activity window was fixed when it was collected${d.end}`,
    )
  }
}

/** Validates the request, loads the policy and picks the snapshot source. */
export async function prepareRun(req: RunRequest, d: OptionDialect): Promise<PreparedRun> {
  const failOn = parseFailOn(req.failOn, d)
  checkCombinations(req, d)
  const timeoutMs = parseTimeout(req.timeout, d.one('timeout'))
  const quotaShare = parseQuotaShare(req.maxQuotaShare, d)
  const policy = await loadPolicy({
    ...(req.policyPath ? { path: req.policyPath } : {}),
    defaultPath: DEFAULT_POLICY_PATH,
    userPoolIds: req.userPoolIds,
    regions: req.regions,
    ...(req.plan ? { regionsFromPlan: true } : {}),
  })
  if (req.plan) return preparePlan(req.plan, policy, failOn, { timeoutMs, quotaShare }, d)
  return {
    policy: withLookback(policy, req.lookback, d.one('lookback')),
    source: req.snapshot ? savedSource(req.snapshot) : liveSource({ timeoutMs, quotaShare }),
    failOn,
  }
}

/** `Key=Value` pairs; anything else is bad input. */
export function parseParameters(items: string[], d: OptionDialect): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items) {
    const eq = item.indexOf('=')
    const key = eq > 0 ? item.slice(0, eq).trim() : ''
    if (!/^[A-Za-z0-9]+$/.test(key))
      throw new InputError(
        `${d.one('parameters')} must be Key=Value with an alphanumeric key (got ${excerpt(item)})${d.end}`,
      )
    out[key] = item.slice(eq + 1)
  }
  return out
}

/** Template paths and globs → files; a pattern that matches nothing is bad input. */
async function expandTemplates(patterns: string[], d: OptionDialect): Promise<string[]> {
  const files: string[] = []
  for (const pattern of patterns) {
    if (!/[*?[{]/.test(pattern)) {
      files.push(pattern)
      continue
    }
    const globber = await glob.create(pattern, { matchDirectories: false })
    const found = (await globber.glob()).map((f) => relative(process.cwd(), f) || f).sort()
    if (found.length === 0) throw new InputError(`${d.one('template')}: no file matches ${excerpt(pattern)}${d.end}`)
    files.push(...found)
  }
  return [...new Set(files)]
}

/** Reads the plan (bad input stops here, before any AWS call) and scopes the policy to its regions. */
async function preparePlan(
  plan: PlanRequest,
  policy: Policy,
  failOn: FailOn,
  live: { timeoutMs: number | undefined; quotaShare: number },
  d: OptionDialect,
): Promise<PreparedRun> {
  const parameters = parseParameters(plan.parameters, d)
  if (policy.regions.length > 1 && !plan.cdkOut && !plan.terraformPlan) {
    throw new InputError(
      `a template is deployed to one region, but ${policy.regions.length} are given (${policy.regions.join(', ')}): pass one with ${d.other('region')}${d.end}`,
    )
  }
  const region = policy.regions.length === 1 ? policy.regions[0] : undefined
  const input: PlanInput = {
    templates: await expandTemplates(plan.templates, d),
    ...(plan.cdkOut ? { cdkOut: plan.cdkOut } : {}),
    ...(plan.terraformPlan ? { terraformPlan: plan.terraformPlan } : {}),
    parameters,
    live: plan.live,
    failOnExisting: plan.failOnExisting,
  }
  const planned = await readPlan(input, region)
  const regions = [...new Set([...policy.regions, ...plannedRegions(planned)])].sort()
  const scoped: Policy = { ...policy, regions }
  return {
    policy: scoped,
    source: plannedSource(planned, plan.live ? liveSource(live) : undefined),
    failOn,
    failOnExisting: plan.failOnExisting,
  }
}
