/**
 * The evaluation's invariant: every enabled check yields at least one finding for every subject it owes
 * one (every audited pool, or every audited region, see `Subjects`). A subject that got none (a check
 * that returned nothing, dropped a pool, or stopped with an exception) gets an `error` finding "the check
 * produced no result", which fails the run like any requirement that could not be verified. Generic over
 * the registry: a new check is covered without any code here.
 */
import { excerpt } from '../errors.js'
import type { Finding } from '../model/finding.js'
import type { Check } from '../model/requirement.js'
import { type AccountSnapshot, itemsRead, type RegionSnapshot, type UserPool } from '../model/snapshot.js'
import { poolFinding, regionFinding } from './finding.js'

/** One check as the evaluation ran it. */
export interface CheckRun {
  check: Check<unknown>
  options: unknown
  findings: Finding[]
  /** The exception it stopped with, if it did. */
  failure?: unknown
}

/** Runs a check; an exception is kept (the subjects then get "no result"), never thrown past the evaluation. */
export function runGuarded(check: Check<unknown>, options: unknown, run: () => Finding[]): CheckRun {
  try {
    return { check, options, findings: run() }
  } catch (failure) {
    return { check, options, findings: [], failure }
  }
}

export const NO_RESULT = 'the check produced no result'

const REMEDIATION =
  'This is a fault in the audit, not a verdict on the account: the requirement counts as not verified until the check ' +
  'produces a result. Report it to the maintainers of the action, with the check id and the JSON report.'

function noResult(run: CheckRun, pool: UserPool | undefined, region: string): Finding {
  const why =
    run.failure === undefined
      ? ''
      : ` (it stopped with an internal error: ${excerpt(run.failure instanceof Error ? run.failure.message : String(run.failure), 120)})`
  const message = `Could not verify: ${NO_RESULT}${why}.`
  const extra = {
    remediation: REMEDIATION,
    evidence: { noResult: true, ...(run.failure === undefined ? {} : { internalError: true }) },
  }
  return pool
    ? poolFinding(run.check, pool, 'error', message, extra)
    : regionFinding(run.check, region, 'error', message, extra)
}

/** The `error` findings owed by checks that yielded nothing for a subject (empty when every subject has one). */
export function missingResults(runs: readonly CheckRun[], snapshot: AccountSnapshot): Finding[] {
  const out: Finding[] = []
  for (const run of runs) {
    const declared = run.check.subjects ?? { per: 'pool' }
    // A check that stopped with an exception may have missed anything: even one that owes nothing
    // (it reports exceptions only) gets an error in every region.
    if (declared.per === 'none' && run.failure === undefined) continue
    const subjects = declared.per === 'none' ? { per: 'region' as const } : declared
    const own = run.findings.filter((f) => f.checkId === run.check.id)
    const regionLevel = new Set(own.filter((f) => f.poolId === undefined).map((f) => f.region))
    const pools = new Set(own.filter((f) => f.poolId !== undefined).map((f) => `${f.region}\u0000${f.poolId}`))
    for (const region of snapshot.regions) {
      if (subjects.per === 'region') {
        if (subjects.applies && !subjects.applies(run.options, region)) continue
        if (!own.some((f) => f.region === region.region)) out.push(noResult(run, undefined, region.region))
        continue
      }
      if (regionLevel.has(region.region)) continue
      for (const pool of poolsOf(region)) {
        if (subjects.applies && !subjects.applies(run.options, pool)) continue
        if (!pools.has(`${pool.region}\u0000${pool.id}`)) out.push(noResult(run, pool, region.region))
      }
    }
  }
  return out
}

/** The pools a region's checks owe findings to. Pools that could not be listed are not known: the checks
 *  report the failed listing for the region instead (a region-level finding, which covers the region). */
function poolsOf(region: RegionSnapshot): readonly UserPool[] {
  return itemsRead(region.cognito.pools)
}
