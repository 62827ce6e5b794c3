/** The check registry and the evaluation step: snapshot + policy → findings. */
import type { Check, Finding } from '../model/finding.js'
import type { AccountSnapshot } from '../model/snapshot.js'
import type { Policy } from '../policy/types.js'
import { activityChecks } from './activity/thresholds.js'
import { alarmChecks } from './alarms/checks.js'
import { cloudTrailChecks } from './cloudtrail/capture.js'
import { applyExemptions } from './exemptions.js'
import { poolExists } from './pools/exists.js'
import { policySelectors } from './pools/selectors.js'
import { threatProtection } from './threat-protection/mode.js'
import { threatProtectionEnforcement } from './threat-protection/enforcement.js'

export const CHECKS: readonly Check[] = [
  poolExists,
  policySelectors,
  threatProtection,
  threatProtectionEnforcement,
  ...alarmChecks,
  ...cloudTrailChecks,
  ...activityChecks,
]

const STATUS_ORDER = { error: 0, fail: 1, warn: 2, exempt: 3, pass: 4 } as const

/** Runs every check, applies exemptions (as of `today`, YYYY-MM-DD) and sorts: worst first, then region, pool. */
export function evaluate(snapshot: AccountSnapshot, policy: Policy, today: string): Finding[] {
  const raw = CHECKS.flatMap((c) => c.run(snapshot, policy))
  return applyExemptions(raw, policy.exemptions, today).sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      a.region.localeCompare(b.region) ||
      (a.poolId ?? '').localeCompare(b.poolId ?? '') ||
      a.checkId.localeCompare(b.checkId) ||
      (a.resource ?? '').localeCompare(b.resource ?? ''),
  )
}
