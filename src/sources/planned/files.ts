import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { PlanInputError } from './errors.js'

/** `path` relative to `root` when it lies inside it (what a code-scanning location needs), else as given. */
export function displayPath(path: string, root: string): string {
  const abs = resolve(path)
  const rel = relative(resolve(root), abs)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path
  return rel.split(sep).join('/')
}

/** Reads a text file the user named; a missing or unreadable one is bad input with one line. */
export async function readInput(what: string, path: string): Promise<string> {
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new PlanInputError(
      code === 'ENOENT' ? `${what} ${path}: no such file` : `${what} ${path}: cannot read it (${code ?? String(err)})`,
    )
  }
  if (info.isDirectory()) throw new PlanInputError(`${what} ${path}: is a directory, expected a file`)
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new PlanInputError(`${what} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
  }
}
