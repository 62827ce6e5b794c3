/** Paths as GitHub resolves them in annotations and SARIF: relative to the repository checkout. */
import { isAbsolute, relative, resolve, sep } from 'node:path'

/** `path` relative to the repository `root` (`/` separators) when it lies inside it; undefined otherwise. */
export function repoRelative(root: string, path: string): string | undefined {
  const rel = relative(root, resolve(root, path))
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined
  return rel.split(sep).join('/')
}
