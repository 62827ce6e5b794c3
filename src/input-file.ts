/**
 * Reading a file the user named (the policy, a saved snapshot, a template): only a regular file
 * (symlinks resolved), only up to a documented size, both checked before a byte is read. A FIFO
 * or a device would block or never end, a directory cannot be read, and a huge file would stall
 * parsing: each is one clear line instead. The file is opened without blocking and checked again
 * on the open descriptor, and at most `maxBytes + 1` bytes are read, so a file that changes kind
 * or grows after the first check (or reports size 0, as /proc files do) is still bounded.
 */
import { constants, type Stats } from 'node:fs'
import { open, realpath, stat } from 'node:fs/promises'

/** Size limits of the files the audit reads (documented in the README, "Limits"). */
export const INPUT_LIMITS = {
  /** A policy is written by hand: 256 KiB is thousands of lines. */
  policy: 256 * 1024,
  /** A saved snapshot of hundreds of pools with their activity is a few MiB. */
  snapshot: 64 * 1024 * 1024,
  /** One account's report.json, read by a merge (a report of 1,000 pools is a few MiB). */
  report: 64 * 1024 * 1024,
  /** A previous merged report, read by `merge --baseline` (200 accounts × 2 regions × 100 pools is 75 MiB). */
  mergedReport: 256 * 1024 * 1024,
  /** A synthesized template or plan. */
  template: 32 * 1024 * 1024,
} as const

/** Why an input file was refused; `reason` is one line without the path (callers add it). */
export class InputFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${path}: ${reason}`)
    this.name = 'InputFileError'
  }
}

/** `256 KiB`, `64 MiB`, `1.5 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`
  const units = ['KiB', 'MiB', 'GiB']
  let v = n / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory'
  if (s.isFIFO()) return 'a named pipe (FIFO)'
  if (s.isCharacterDevice()) return 'a character device'
  if (s.isBlockDevice()) return 'a block device'
  if (s.isSocket()) return 'a socket'
  return 'not a regular file'
}

function refuse(path: string, s: Stats, maxBytes: number): void {
  if (!s.isFile()) throw new InputFileError(path, `is ${kindOf(s)}, not a regular file`, 'ENOTFILE')
  if (s.size > maxBytes) {
    throw new InputFileError(
      path,
      `is ${formatBytes(s.size)}, over the ${formatBytes(maxBytes)} limit for this file`,
      'ETOOBIG',
    )
  }
}

const OPEN_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'the path is too long',
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Throws InputFileError (with `code` ENOENT for a
 * missing file, so callers can treat an optional file as absent) for anything else.
 */
export async function readInputFile(path: string, maxBytes: number): Promise<string> {
  let real: string
  try {
    real = await realpath(path)
    refuse(path, await stat(real), maxBytes)
  } catch (err) {
    if (err instanceof InputFileError) throw err
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
    throw new InputFileError(path, `cannot read it (${code}${OPEN_ERRORS[code] ? `: ${OPEN_ERRORS[code]}` : ''})`, code)
  }
  // O_NONBLOCK: should the path have become a FIFO since the check, opening it does not wait for a writer.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0)).catch(
    (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'EIO'
      throw new InputFileError(
        path,
        `cannot read it (${code}${OPEN_ERRORS[code] ? `: ${OPEN_ERRORS[code]}` : ''})`,
        code,
      )
    },
  )
  try {
    refuse(path, await handle.stat(), maxBytes)
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024))
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      total += bytesRead
      if (total > maxBytes) {
        throw new InputFileError(path, `is over the ${formatBytes(maxBytes)} limit for this file`, 'ETOOBIG')
      }
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)))
    }
    return Buffer.concat(chunks, total).toString('utf8')
  } finally {
    await handle.close()
  }
}
