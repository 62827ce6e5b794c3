/**
 * Writing an output file so that a reader (or another run writing the same file) never sees it half
 * written: the data goes to a temporary file beside it, which is then renamed into place. A rename within
 * one directory replaces the file in one step (POSIX rename; on Windows Node replaces an existing file).
 */
import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Writes `data` to `path` through a temporary sibling; on failure the temporary file is removed. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, data, { flag: 'wx' })
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {})
    throw err
  }
}
