/** Matching pools against policy selectors: an exact pool id, or a name glob (`*`, `?`). */

/** Pool ids look like `us-east-1_AbCdEf123`. */
export const POOL_ID_PATTERN = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/

export function regionOfPoolId(id: string): string | undefined {
  return POOL_ID_PATTERN.exec(id)?.[1]
}

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.')
  return new RegExp(`^${body}$`)
}

/** True when `selector` is this pool's id, or a glob matching its name (`*` matches every pool). */
export function matchesPool(selector: string, pool: { id: string; name: string }): boolean {
  if (selector === pool.id) return true
  return globToRegExp(selector).test(pool.name)
}

/** Which pools a policy audits. */
export interface PoolSelection {
  /** Pool ids (`us-east-1_AbC123`): each must exist, or it is a violation. */
  ids: string[]
  /** Name globs (`*` and `?`), matched in every audited region; a glob matching no pool is a violation. */
  names: string[]
  /** Every pool in `regions`. True when neither ids nor names are given. */
  all: boolean
}
