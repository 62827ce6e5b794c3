/**
 * Lookups by key in the snapshot's lists (a pool's metrics, failures, errors), built once per list and
 * reused by every pool and every reporter that asks, so looking up each pool costs O(1) instead of a scan
 * of the whole list. Keyed by the list itself: snapshot lists are never changed once read.
 */
const cache = new WeakMap<readonly unknown[], Map<string, Map<unknown, unknown[]>>>()

/** The items of `list` by `key(item)`, in list order; `name` tells apart several keys of one list. */
export function groupBy<T, K>(list: readonly T[], name: string, key: (item: T) => K): ReadonlyMap<K, readonly T[]> {
  let byName = cache.get(list)
  if (!byName) {
    byName = new Map()
    cache.set(list, byName)
  }
  const found = byName.get(name)
  if (found) return found as Map<K, T[]>
  const groups = new Map<K, T[]>()
  for (const item of list) {
    const k = key(item)
    const g = groups.get(k)
    if (g) g.push(item)
    else groups.set(k, [item])
  }
  byName.set(name, groups as Map<unknown, unknown[]>)
  return groups
}

/** The items of a list of per-pool entries that belong to `poolId` (list order). */
export function ofPool<T extends { poolId: string }>(list: readonly T[], poolId: string): readonly T[] {
  return groupBy(list, 'poolId', (x) => x.poolId).get(poolId) ?? []
}

/** The errors of a list about `resource` (undefined: the region-level ones), in list order. */
export function errorsAbout<T extends { resource?: string }>(
  list: readonly T[],
  resource: string | undefined,
): readonly T[] {
  return groupBy(list, 'resource', (e) => e.resource).get(resource) ?? []
}
