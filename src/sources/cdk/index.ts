/**
 * A CDK cloud assembly (`cdk.out`) → a planned `AccountSnapshot`.
 *
 * `manifest.json` lists the artifacts; every `aws:cloudformation:stack` one is a stack of the planned
 * account (nested `cdk:cloud-assembly` artifacts, which stages write, are followed). Each gives its
 * template file, its environment (`aws://<account>/<region>`; `unknown-account` / `unknown-region` mean
 * none was given) and its metadata (inline, or in `<Stack>.metadata.json`): per construct path the
 * logical id and the creation stack, whose first frame in the user's own code is the `file:line`
 * findings point to. Without creation stacks (or when the frame lies outside the checkout) a finding
 * points to the template line in the assembly.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../../input-file.js'
import type { SourceLocation } from '../../model/plan.js'
import type { AccountSnapshot } from '../../model/snapshot.js'
import type { StackSpec } from '../cloudformation/intrinsics.js'
import type { Locate } from '../cloudformation/resources.js'
import { snapshotFromStacks, templateLocation } from '../cloudformation/stacks.js'
import { parseTemplate } from '../cloudformation/template.js'
import { PlanInputError } from '../planned/errors.js'
import { displayPath, readInput } from '../planned/files.js'

export interface CdkOptions {
  /** The cloud assembly directory (`cdk.out`). */
  dir: string
  /** Region for stacks synthesized without one (`unknown-region`). */
  region?: string
  parameters?: Record<string, string>
  /** Checkout root: source files in locations are relative to it. Default: the working directory. */
  root?: string
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

interface MetadataEntry {
  type?: string
  data?: unknown
  trace?: unknown
}

interface StackArtifact {
  spec: StackSpec
  /** logical id → construct path and creation stack. */
  origins: Map<string, { constructPath: string; stack?: string[] }>
}

export async function loadCdkAssembly(opts: CdkOptions): Promise<AccountSnapshot> {
  const root = opts.root ?? process.cwd()
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(opts.dir)
  } catch {
    throw new PlanInputError(`cdk-out ${opts.dir}: no such directory`)
  }
  if (!info.isDirectory())
    throw new PlanInputError(`cdk-out ${opts.dir}: is a file, expected the cloud assembly directory`)
  const artifacts: StackArtifact[] = []
  await readAssembly(opts.dir, opts, root, artifacts, 0)
  if (artifacts.length === 0) {
    throw new PlanInputError(`cdk-out ${opts.dir}: manifest.json lists no CloudFormation stack`)
  }
  const origins = new Map(artifacts.map((a) => [a.spec.name, a.origins]))
  const locate: Locate = (stack, logicalId) => {
    const fallback = templateLocation(stack, logicalId)
    const origin = origins.get(stack.name)?.get(logicalId)
    if (!origin) return fallback
    const frame = userFrame(origin.stack ?? [], root)
    if (!frame) return { ...fallback, constructPath: origin.constructPath }
    const loc: SourceLocation = {
      file: frame.file,
      line: frame.line,
      logicalId,
      stack: stack.name,
      constructPath: origin.constructPath,
    }
    if (frame.column !== undefined) loc.column = frame.column
    return loc
  }
  return snapshotFromStacks(
    'cdk',
    [opts.dir],
    artifacts.map((a) => a.spec),
    locate,
  )
}

async function readAssembly(
  dir: string,
  opts: CdkOptions,
  root: string,
  out: StackArtifact[],
  depth: number,
): Promise<void> {
  const manifestPath = join(dir, 'manifest.json')
  let text: string
  try {
    text = await readInputFile(manifestPath, INPUT_LIMITS.template)
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err
    throw new PlanInputError(
      err.code === 'ENOENT' || err.code === 'ENOTDIR'
        ? `cdk-out ${dir}: no manifest.json (not a cloud assembly; run "npx cdk synth" and pass its output directory)`
        : `cdk-out ${err.message}`,
    )
  }
  let manifest: unknown
  try {
    manifest = JSON.parse(text)
  } catch (err) {
    throw new PlanInputError(`${manifestPath}: not valid JSON: ${(err as Error).message.split('\n')[0]}`)
  }
  if (!isObject(manifest) || !isObject(manifest.artifacts)) {
    throw new PlanInputError(`${manifestPath}: no "artifacts" (not a cloud assembly manifest)`)
  }
  for (const [id, art] of Object.entries(manifest.artifacts)) {
    if (!isObject(art)) continue
    const props = isObject(art.properties) ? art.properties : {}
    if (art.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string' && depth < 10) {
      await readAssembly(join(dir, props.directoryName), opts, root, out, depth + 1)
      continue
    }
    if (art.type !== 'aws:cloudformation:stack') continue
    if (typeof props.templateFile !== 'string') {
      throw new PlanInputError(`${manifestPath}: stack ${id} has no templateFile`)
    }
    const templatePath = join(dir, props.templateFile)
    const template = parseTemplate(displayPath(templatePath, root), await readInput('template', templatePath))
    const env = typeof art.environment === 'string' ? /^aws:\/\/([^/]*)\/(.*)$/.exec(art.environment) : null
    const account = env && env[1] !== 'unknown-account' ? env[1] : undefined
    const region = env && env[2] !== 'unknown-region' ? env[2] : opts.region
    const name = typeof props.stackName === 'string' ? props.stackName : id
    const spec: StackSpec = { name, template, parameters: opts.parameters ?? {} }
    if (region) spec.region = region
    if (account) spec.account = account
    const metadata = await readMetadata(dir, art, manifestPath)
    out.push({ spec, origins: origins(metadata) })
  }
}

async function readMetadata(
  dir: string,
  art: Record<string, unknown>,
  manifestPath: string,
): Promise<Record<string, MetadataEntry[]>> {
  const merged: Record<string, MetadataEntry[]> = {}
  const add = (m: unknown) => {
    if (!isObject(m)) return
    for (const [path, entries] of Object.entries(m)) {
      if (Array.isArray(entries)) merged[path] = [...(merged[path] ?? []), ...(entries as MetadataEntry[])]
    }
  }
  add(art.metadata)
  if (typeof art.additionalMetadataFile === 'string') {
    const file = join(dir, art.additionalMetadataFile)
    let text: string | undefined
    try {
      text = await readInputFile(file, INPUT_LIMITS.template)
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err
      if (err.code !== 'ENOENT') throw new PlanInputError(`${err.message} (${manifestPath} names it)`)
    }
    if (text !== undefined) {
      try {
        add(JSON.parse(text))
      } catch {
        throw new PlanInputError(`${file}: not valid JSON (${manifestPath} names it)`)
      }
    }
  }
  return merged
}

function origins(metadata: Record<string, MetadataEntry[]>): StackArtifact['origins'] {
  const out: StackArtifact['origins'] = new Map()
  for (const [constructPath, entries] of Object.entries(metadata)) {
    const logical = entries.find((e) => e.type === 'aws:cdk:logicalId' && typeof e.data === 'string')
    if (!logical) continue
    const creation = entries.find((e) => e.type === 'aws:cdk:creationStack')
    const frames = Array.isArray(creation?.data)
      ? creation.data
      : Array.isArray(logical.trace)
        ? logical.trace
        : undefined
    const origin: { constructPath: string; stack?: string[] } = { constructPath }
    if (frames) origin.stack = frames.filter((f): f is string => typeof f === 'string')
    out.set(logical.data as string, origin)
  }
  return out
}

const FRAME = /(file:\/\/\/?[^\s():]+|\/[^\s():]+|[A-Za-z]:\\[^\s():]+):(\d+)(?::(\d+))?/g

/** The first creation-stack frame in the user's code inside the checkout, relative to it. */
export function userFrame(frames: string[], root: string): { file: string; line: number; column?: number } | undefined {
  for (const frame of frames) {
    if (frame.startsWith('...') || frame.includes('node_modules') || frame.includes('node:')) continue
    let best: { path: string; line: number; column?: number } | undefined
    for (const m of frame.matchAll(FRAME)) {
      const path = m[1]!.startsWith('file:') ? safeFileUrl(m[1]!) : m[1]!
      if (!path) continue
      const hit: { path: string; line: number; column?: number } = { path, line: Number(m[2]) }
      if (m[3]) hit.column = Number(m[3])
      if (!best || (best.column === undefined && hit.column !== undefined)) best = hit
    }
    if (!best) continue
    const file = displayPath(best.path, root)
    if (file === best.path) return undefined
    const out: { file: string; line: number; column?: number } = { file, line: best.line }
    if (best.column !== undefined) out.column = best.column
    return out
  }
  return undefined
}

function safeFileUrl(url: string): string | undefined {
  try {
    return fileURLToPath(url)
  } catch {
    return undefined
  }
}
