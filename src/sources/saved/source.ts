/** A saved snapshot file as a snapshot source: no AWS calls, seen through the current policy. */
import type { SnapshotSource } from '../source.js'
import { withCollectionGaps } from './gaps.js'
import { readSnapshot, scopeSnapshot } from './snapshot-file.js'

export function savedSource(path: string): SnapshotSource {
  return {
    description: `saved snapshot ${path}`,
    needsAws: false,
    today: (now) => now.toISOString().slice(0, 10),
    async load(policy, log) {
      const snapshot = withCollectionGaps(scopeSnapshot(await readSnapshot(path), policy), policy)
      log.info(`Auditing saved snapshot ${path} (collected ${snapshot.collectedAt}); no AWS calls.`)
      return { snapshot: { ...snapshot, source: { kind: 'saved', path } }, calls: {} }
    },
  }
}
