/** Errors a user can fix (bad input: exit 2, one clear line, no stack trace) vs everything else. */

export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

const BAD_INPUT = new Set(['InputError', 'PolicyError', 'SnapshotFileError'])

/** Runs a write to a path the user chose; a path that cannot be written is bad input (exit 2), not a crash. */
export async function writingTo<T>(what: string, path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why: Record<string, string> = {
      EEXIST: 'a file of that name is in the way of a directory',
      ENOTDIR: 'a part of the path is a file, not a directory',
      EISDIR: 'it is a directory',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'read-only file system',
      ENOENT: 'no such directory',
    }
    if (code && why[code]) throw new InputError(`${what} ${path}: cannot write it (${code}: ${why[code]})`)
    throw err
  }
}

/** True for errors caused by what the user passed: a malformed policy, a bad input, an unreadable snapshot. */
export function isBadInput(err: unknown): err is Error {
  return err instanceof Error && BAD_INPUT.has(err.name)
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
