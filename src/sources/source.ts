/**
 * The seam between the policy and the checks: every producer of an AccountSnapshot (the live account,
 * a saved snapshot file, and the pre-deploy formats) is a SnapshotSource. The audit takes one and never
 * asks which kind it is.
 */
import type { Logger } from '../model/logger.js'
import type { RegionQuotaRates } from '../model/quota-rates.js'
import type { AccountSnapshot } from '../model/snapshot.js'
import type { Policy } from '../policy/types.js'

export interface LoadedSnapshot {
  snapshot: AccountSnapshot
  /** API attempts by `service:Operation` (empty when nothing was called). */
  calls: Record<string, number>
  /** Set when the time limit stopped the collection: the run fails whatever the findings say. */
  timedOut?: { limitMs: number }
  /** The request rates a live read allowed itself, per region. */
  quotaRates?: RegionQuotaRates[]
}

export interface SnapshotSource {
  /** What it reads, for the log: `the AWS account`, `saved snapshot FILE`. */
  readonly description: string
  /** True when it needs AWS credentials and network access. */
  readonly needsAws: boolean
  /** The day exemptions are judged against: the collection time for a live read, today otherwise. */
  today(now: Date): string
  /** Reads what the policy needs into a snapshot scoped to the policy's regions and pools. */
  load(policy: Policy, log: Logger): Promise<LoadedSnapshot>
}
