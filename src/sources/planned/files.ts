import { isAbsolute, relative, resolve, sep } from 'node:path'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../../input-file.js'
import { PlanInputError } from './errors.js'

/** `path` relative to `root` when it lies inside it (what a code-scanning location needs), else as given. */
export function displayPath(path: string, root: string): string {
  const abs = resolve(path)
  const rel = relative(resolve(root), abs)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path
  return rel.split(sep).join('/')
}

/**
 * Reads a file the user named (a template, a cloud assembly's manifest, a plan) through the project's
 * input-file reader: a regular file within the template size limit, checked before a byte is read (a
 * FIFO would block for ever). Anything else is bad input with one line naming `what`.
 */
export async function readInput(what: string, path: string): Promise<string> {
  try {
    return await readInputFile(path, INPUT_LIMITS.template)
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err
    throw new PlanInputError(err.code === 'ENOENT' ? `${what} ${path}: no such file` : `${what} ${err.message}`)
  }
}
