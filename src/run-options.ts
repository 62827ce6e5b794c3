/**
 * The run rules the action and the CLI share: which options go together, the gate's level, the policy
 * with its overrides, and the snapshot source. Each names its options its own way (an OptionDialect),
 * so a message says `Input 'fail-on'` in the action and `--fail-on` on the command line.
 */
import { FAIL_ON_VALUES, type FailOn } from './audit.js'
import { parseTimeout } from './deadline.js'
import { excerpt, InputError } from './errors.js'
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
}

export type RunOption = 'fail-on' | 'snapshot' | 'save-snapshot' | 'lookback' | 'timeout' | 'max-quota-share'

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

export const CLI_DIALECT: OptionDialect = {
  one: (o) => `--${o}`,
  two: (a, b) => `--${a} and --${b}`,
  other: (o) => `--${o}`,
  end: '',
}

export interface PreparedRun {
  policy: Policy
  source: SnapshotSource
  failOn: FailOn
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
  })
  return {
    policy: withLookback(policy, req.lookback, d.one('lookback')),
    source: req.snapshot ? savedSource(req.snapshot) : liveSource({ timeoutMs, quotaShare }),
    failOn,
  }
}
