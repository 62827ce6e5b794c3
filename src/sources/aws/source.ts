/** The live AWS account as a snapshot source: the collectors, with read-only calls. */
import type { SnapshotSource } from '../source.js'
import { type AwsClients, createClients } from './clients.js'
import { collectAccount } from './index.js'

export function liveSource(options: { clients?: AwsClients; now?: Date } = {}): SnapshotSource {
  const now = options.now ?? new Date()
  return {
    description: 'the AWS account',
    needsAws: true,
    today: () => now.toISOString().slice(0, 10),
    async load(policy, log) {
      const clients = options.clients ?? createClients()
      const snapshot = await collectAccount(policy, { clients, now, log })
      const calls = Object.fromEntries([...clients.calls.entries()].sort(([a], [b]) => a.localeCompare(b)))
      return { snapshot: { ...snapshot, source: { kind: 'live' } }, calls }
    },
  }
}
