/**
 * The plan JSON has no lines: a resource is found in the `.tf` files of its module's directory by its
 * block header (`resource "aws_cognito_user_pool" "main" {`). The root module is the directory given;
 * a module's directory is its call's local `source` (`./modules/auth`) relative to its parent's. Remote
 * module sources have no files here: those resources are reported by address only.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { displayPath } from '../planned/files.js'

export interface BlockLine {
  file: string
  line: number
}

export class HclIndex {
  private readonly dirs = new Map<string, Map<string, BlockLine>>()

  constructor(private readonly root: string) {}

  /** `mode`/`type`/`name` in the module directory `dir`; undefined when not found. */
  find(dir: string, mode: 'managed' | 'data', type: string, name: string): BlockLine | undefined {
    let blocks = this.dirs.get(dir)
    if (!blocks) {
      blocks = scan(dir, this.root)
      this.dirs.set(dir, blocks)
    }
    return blocks.get(`${mode === 'data' ? 'data' : 'resource'} ${type} ${name}`)
  }
}

const HEADER = /^[ \t]*(resource|data)[ \t]+"([^"]+)"[ \t]+"([^"]+)"/gm

function scan(dir: string, root: string): Map<string, BlockLine> {
  const out = new Map<string, BlockLine>()
  let names: string[]
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.tf'))
      .sort()
  } catch {
    return out
  }
  for (const n of names) {
    const path = join(dir, n)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      continue
    }
    for (const m of text.matchAll(HEADER)) {
      const key = `${m[1]} ${m[2]} ${m[3]}`
      if (out.has(key)) continue
      const line = text.slice(0, m.index).split('\n').length
      out.set(key, { file: displayPath(path, root), line })
    }
  }
  return out
}
