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

/** Longest excerpt of a user's value that a message quotes. */
export const EXCERPT_CHARS = 40

/**
 * A value from a file the user gave, quoted for a message: at most `max` characters, with control,
 * format and other invisible characters escaped, and the full length said when it was cut, so a
 * message never carries a whole file (a secret, a 5 MB string) into a log.
 */
export function excerpt(value: string, max = EXCERPT_CHARS): string {
  const chars = Array.from(value.length > max * 4 ? value.slice(0, max * 4) : value)
  const cut = chars.length > max || value.length > max * 4
  // JSON.stringify escapes quotes, backslashes and C0 controls; the other invisible characters are escaped after it.
  const quoted = JSON.stringify(chars.slice(0, max).join('')).replace(
    /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return cut ? `${quoted.slice(0, -1)}…" (${value.length} characters)` : quoted
}
