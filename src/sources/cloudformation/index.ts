/**
 * CloudFormation templates (JSON or YAML, short-form tags included) → a planned `AccountSnapshot`.
 * Several templates are one planned account: an `Fn::ImportValue` in one resolves to another's export.
 */
import { basename, extname } from 'node:path'
import type { AccountSnapshot } from '../../model/snapshot.js'
import { displayPath, readInput } from '../planned/files.js'
import type { StackSpec } from './intrinsics.js'
import { snapshotFromStacks } from './stacks.js'
import { parseTemplate } from './template.js'

export interface CloudFormationOptions {
  /** Template files (already expanded from globs). */
  files: string[]
  /** The stacks' region; without it a template with pools, alarms or trails is bad input. */
  region?: string
  account?: string
  /** `--parameter Key=Value` overrides of parameter defaults. */
  parameters?: Record<string, string>
  /** Checkout root: file names in locations are relative to it. Default: the working directory. */
  root?: string
}

export async function loadCloudFormation(opts: CloudFormationOptions): Promise<AccountSnapshot> {
  const root = opts.root ?? process.cwd()
  const specs: StackSpec[] = []
  const names = new Set<string>()
  for (const path of opts.files) {
    const text = await readInput('template', path)
    const file = displayPath(path, root)
    let name = basename(path, extname(path)).replace(/[^A-Za-z0-9-]/g, '-')
    for (let i = 2; names.has(name); i++) name = `${basename(path, extname(path))}-${i}`
    names.add(name)
    const spec: StackSpec = { name, template: parseTemplate(file, text), parameters: opts.parameters ?? {} }
    if (opts.region) spec.region = opts.region
    if (opts.account) spec.account = opts.account
    specs.push(spec)
  }
  return snapshotFromStacks('cloudformation', opts.files, specs)
}

export { parseTemplate } from './template.js'
