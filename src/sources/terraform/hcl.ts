/**
 * The plan JSON has no lines: a resource is found in the `.tf` files of its module's directory by its
 * block header (`resource "aws_cognito_user_pool" "main" {`). The root module is the directory given;
 * a module's directory is its call's local `source` (`./modules/auth`) relative to its parent's. Remote
 * module sources have no files here: those resources are reported by address only.
 *
 * The `.tf` files are read through the project's input-file reader like every other input: a regular
 * file within the template size limit, checked before a byte is read (a FIFO named `main.tf` would
 * block the run for ever, a huge file would stall it). Such a file is bad input in one line; a
 * directory whose name ends in `.tf` is skipped, as Terraform skips it.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../../input-file.js'
import { PlanInputError } from '../planned/errors.js'
import { displayPath } from '../planned/files.js'

export interface BlockLine {
  file: string
  line: number
}

export class HclIndex {
  private readonly dirs = new Map<string, Map<string, BlockLine>>()

  constructor(private readonly root: string) {}

  /** Reads the `.tf` files of `dir` once; `find` answers from what was loaded. */
  async load(dir: string): Promise<void> {
    if (!this.dirs.has(dir)) this.dirs.set(dir, await scan(dir, this.root))
  }

  /** `mode`/`type`/`name` in the module directory `dir` (loaded before); undefined when not found. */
  find(dir: string, mode: 'managed' | 'data', type: string, name: string): BlockLine | undefined {
    return this.dirs.get(dir)?.get(`${mode === 'data' ? 'data' : 'resource'} ${type} ${name}`)
  }
}

const HEADER = /^[ \t]*(resource|data)[ \t]+"([^"]+)"[ \t]+"([^"]+)"/gm

async function readTf(path: string): Promise<string | undefined> {
  try {
    return await readInputFile(path, INPUT_LIMITS.template)
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err
    // Gone since the directory was listed: nothing to point at.
    if (err.code === 'ENOENT') return undefined
    if (err.code === 'ENOTFILE' && (await stat(path).catch(() => undefined))?.isDirectory()) return undefined
    throw new PlanInputError(`terraform file ${err.message}`)
  }
}

async function scan(dir: string, root: string): Promise<Map<string, BlockLine>> {
  const out = new Map<string, BlockLine>()
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.tf')).sort()
  } catch {
    return out
  }
  for (const n of names) {
    const path = join(dir, n)
    const text = await readTf(path)
    if (text === undefined) continue
    // Lines counted forward from the previous header: one pass over the file, not one per block.
    let line = 1
    let at = 0
    for (const m of text.matchAll(HEADER)) {
      for (let i = text.indexOf('\n', at); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++
      at = m.index
      const key = `${m[1]} ${m[2]} ${m[3]}`
      if (out.has(key)) continue
      out.set(key, { file: displayPath(path, root), line })
    }
  }
  return out
}
