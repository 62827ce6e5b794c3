/** Matching pools against policy selectors: an exact pool id, or a name glob (`*`, `?`). */
import type { MissingPool } from './snapshot.js'

/** Pool ids look like `us-east-1_AbCdEf123`. */
export const POOL_ID_PATTERN = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/

export function regionOfPoolId(id: string): string | undefined {
  return POOL_ID_PATTERN.exec(id)?.[1]
}

/** A glob as a regular expression; `*` and `?` match any character, line breaks included (a name may hold one). */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.')
  return new RegExp(`^${body}$`, 'su')
}

/** Compiled globs: a policy's few selectors are matched against every pool and every finding. */
const compiled = new Map<string, RegExp>()

/** `globToRegExp`, compiled once per glob (a RegExp without flags keeps no state between tests). */
export function globMatcher(glob: string): RegExp {
  let re = compiled.get(glob)
  if (!re) {
    if (compiled.size >= 1000) compiled.clear()
    re = globToRegExp(glob)
    compiled.set(glob, re)
  }
  return re
}

/** True when `selector` is this pool's id, or a glob matching its name (`*` matches every pool). */
export function matchesPool(selector: string, pool: { id: string; name: string }): boolean {
  if (selector === pool.id) return true
  return globMatcher(selector).test(pool.name)
}

/** Which pools a policy audits. */
export interface PoolSelection {
  /** Pool ids (`us-east-1_AbC123`): each must exist, or it is a violation. */
  ids: string[]
  /** Name globs (`*` and `?`), matched in every audited region; a glob matching no pool is a violation. */
  names: string[]
  /** Every pool in `regions`. True when neither ids nor names are given. */
  all: boolean
  /** `pools.allow-none`: finding no pool at all is expected. Absent = false (an audit of nothing is not compliant). */
  allowNone?: boolean
}

/**
 * The pools a selection picks in `region`, and what it names that this region lacks:
 * ids of this region that were not listed, and name globs that matched no pool here
 * (a glob is a violation only when it matches in no audited region; the check decides).
 */
export function selectPools<P extends { id: string; name: string }>(
  listed: readonly P[],
  region: string,
  selection: PoolSelection,
): { selected: P[]; missing: MissingPool[] } {
  const { ids, names, all } = selection
  const regionIds = ids.filter((id) => regionOfPoolId(id) === region)
  const wanted = new Set(regionIds)
  const selected = listed.filter((p) => all || wanted.has(p.id) || names.some((glob) => matchesPool(glob, p)))
  const listedIds = new Set(listed.map((p) => p.id))
  const missing: MissingPool[] = [
    ...regionIds.filter((id) => !listedIds.has(id)).map((id): MissingPool => ({ selector: id, kind: 'id' })),
    ...names
      .filter((glob) => !listed.some((p) => matchesPool(glob, p)))
      .map((glob): MissingPool => ({ selector: glob, kind: 'name' })),
  ]
  return { selected, missing }
}
