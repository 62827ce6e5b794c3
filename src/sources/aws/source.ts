/** The live AWS account as a snapshot source: the collectors, with read-only calls, within a time limit. */
import { DEFAULT_TIMEOUT_MS, Deadline, formatDuration } from '../../deadline.js'
import type { SnapshotSource } from '../source.js'
import { type AwsClients, createClients } from './clients.js'
import { collectAccount } from './index.js'
import { quotaRates, sizeQuotas } from './service-quotas.js'

export interface LiveSourceOptions {
  /** Clients to use (tests, the benchmark); default: new clients bound to the deadline. */
  clients?: AwsClients
  /** The audit's reference time; activity windows end here. Default: now. */
  now?: Date
  /** The whole collection's time limit in ms (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number
  /** The share of each per-region quota to spend (0–1, default DEFAULT_QUOTA_SHARE); for new clients. */
  quotaShare?: number
}

export function liveSource(options: LiveSourceOptions = {}): SnapshotSource {
  const now = options.now ?? new Date()
  return {
    description: 'the AWS account',
    needsAws: true,
    today: () => now.toISOString().slice(0, 10),
    async load(policy, log) {
      const deadline = new Deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
      const clients =
        options.clients ??
        createClients({
          signal: deadline.signal,
          ...(options.quotaShare !== undefined ? { quotaShare: options.quotaShare } : {}),
        })
      let snapshot: Awaited<ReturnType<typeof collectAccount>>
      try {
        await sizeQuotas(clients, policy.regions, log)
        snapshot = await collectAccount(policy, { clients, now, log })
      } finally {
        deadline.clear()
      }
      const calls = Object.fromEntries([...clients.calls.entries()].sort(([a], [b]) => a.localeCompare(b)))
      const rates = quotaRates(clients, policy.regions)
      const extra = rates.length ? { quotaRates: rates } : {}
      if (!deadline.expired) return { snapshot: { ...snapshot, source: { kind: 'live' } }, calls, ...extra }
      log.warn(
        `The audit reached its time limit (${formatDuration(deadline.limitMs)}): what was collected is judged, the rest is reported as not collected.`,
      )
      return {
        snapshot: { ...snapshot, source: { kind: 'live' } },
        calls,
        timedOut: { limitMs: deadline.limitMs },
        ...extra,
      }
    },
  }
}
