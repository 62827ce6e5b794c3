/** Helpers every check uses to build findings consistently. */

import { explainAwsError, remediationOf } from '../model/aws-error.js'
import type { Finding, Status } from '../model/finding.js'
import type { Check } from '../model/requirement.js'
import type { AwsError, RegionSnapshot, UserPool } from '../model/snapshot.js'

type Extra = Omit<Finding, 'checkId' | 'requirement' | 'title' | 'severity' | 'status' | 'region' | 'message'> &
  Partial<Pick<Finding, 'severity'>>

/** A finding of `check` about one pool. */
export function poolFinding(check: Check, pool: UserPool, status: Status, message: string, extra: Extra = {}): Finding {
  return regionFinding(check, pool.region, status, message, { poolId: pool.id, poolName: pool.name, ...extra })
}

/** A finding of `check` about a whole region (applies to every audited pool there). */
export function regionFinding(
  check: Check,
  region: string,
  status: Status,
  message: string,
  extra: Extra = {},
): Finding {
  return {
    checkId: check.id,
    requirement: check.requirement,
    title: check.title,
    failTitle: check.failTitle,
    severity: check.severity,
    status,
    region,
    message,
    ...extra,
  }
}

/** An `error` finding for an AWS failure that prevented the check: never a pass. */
export function errorFinding(check: Check, error: AwsError, pool?: UserPool): Finding {
  const base = pool ? poolFinding(check, pool, 'error', '') : regionFinding(check, error.region, 'error', '')
  return {
    ...base,
    message: `Could not verify: ${explainAwsError(error)}`,
    remediation: remediationOf(error),
    evidence: { awsError: error },
  }
}

/**
 * Runs `judge` on each pool of a region. When the region's pools could not be listed, nothing is known
 * about them, so the check's one finding for the region is an `error` naming the failed call (never
 * nothing, which would read as "no pool, nothing to fail").
 */
export function perListedPool(check: Check, region: RegionSnapshot, judge: (pool: UserPool) => Finding[]): Finding[] {
  const pools = region.cognito.pools
  if (pools.state === 'failed') return [errorFinding(check, pools.error)]
  return pools.items.flatMap(judge)
}
