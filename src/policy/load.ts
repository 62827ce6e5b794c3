/**
 * Loading the policy: the YAML file (or the inline inputs) → a validated, normalised Policy.
 *
 * Every problem is collected with file, line, column and key path and thrown together as one
 * PolicyError, before any AWS call. Steps: YAML syntax → top-level shape → JSON Schema
 * (src/policy/schema.ts) → semantic checks (regions, exemptions, pools) → each section's
 * `normalize` (a PolicyIssue it throws is reported like a schema error).
 */
import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type YAMLMap,
} from 'yaml'
import { CHECKS, REQUIREMENTS } from '../checks/index.js'
import { excerpt } from '../errors.js'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../input-file.js'
import { PolicyIssue, type SectionContext } from '../model/policy-section.js'
import { didYouMean, formatPath, PolicyError, type PolicyProblem } from './errors.js'
import {
  auditedRegions,
  type defaultSections,
  inputProblems,
  type PolicyInputs,
  policyFromInputs,
  poolIdProblem,
} from './inputs.js'
import { isKnownRegion } from './regions.js'
import { POLICY_SECTIONS, type PolicySections, policySchema } from './schema.js'
import type { Exemption, Policy } from './types.js'
import { schemaErrors } from './validate.js'

export const DEFAULT_POLICY_PATH = '.github/cognito-compliance.yml'

export interface LoadPolicyOptions {
  /** The policy file given explicitly (input `policy`, CLI `--policy`): it must exist. */
  path?: string
  /** Input `user-pool-ids` (already split, see parseListInput). */
  userPoolIds?: string[]
  /** Input `regions` / CLI `--region`. */
  regions?: string[]
  /** Read when `path` is not given; may be absent. Default `.github/cognito-compliance.yml`. */
  defaultPath?: string
  /** The pre-deploy gate: the regions may come from the plan, so a policy without any is not an error. */
  regionsFromPlan?: boolean
}

/**
 * Loads the policy.
 *
 * - `path` given: that file must exist and be valid.
 * - No `path`: the default file is read if it exists; otherwise the policy is built from
 *   `userPoolIds` / `regions` with every default (policyFromInputs); with neither, an error explains both options.
 * - A file AND inputs: a non-empty `userPoolIds` replaces the file's `pools.ids` (its `pools.names` stay) and a
 *   non-empty `regions` replaces the file's `regions`; everything else comes from the file.
 *
 * Throws PolicyError (message ready to print) for anything invalid.
 */
export async function loadPolicy(opts: LoadPolicyOptions = {}): Promise<Policy> {
  const explicit = opts.path !== undefined && opts.path.trim() !== ''
  const path = explicit ? (opts.path as string).trim() : (opts.defaultPath ?? DEFAULT_POLICY_PATH)
  const inputs: PolicyInputs = {
    userPoolIds: opts.userPoolIds,
    regions: opts.regions,
    ...(opts.regionsFromPlan ? { regionsFromPlan: true } : {}),
  }
  let text: string
  try {
    text = await readInputFile(path, INPUT_LIMITS.policy)
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e
    if (e.code === 'ENOENT' && !explicit) return policyFromInputs(inputs, { defaultPath: path })
    const message =
      e.code === 'ENOENT'
        ? 'policy file not found (relative paths are resolved from the working directory)'
        : `${e.reason.replace(/^is (.*), not a regular file$/, 'is $1, not a policy file')}`
    throw new PolicyError([{ source: path, path: '', message }])
  }
  return parsePolicy(text, path, inputs)
}

/** Where a document node starts, 1-based. */
interface Position {
  line: number
  column: number
}

type Segment = string | number

/** Each mapping's entries by key (the first of a repeated key, as a search would find), built once per mapping. */
const entryIndex = new WeakMap<object, Map<string, Pair<unknown, unknown>>>()

function entryOf(map: YAMLMap<unknown, unknown>, key: string): Pair<unknown, unknown> | undefined {
  let index = entryIndex.get(map)
  if (!index) {
    index = new Map()
    for (const p of map.items) {
      const k = isScalar(p.key) ? String(p.key.value) : undefined
      if (k !== undefined && !index.has(k)) index.set(k, p)
    }
    entryIndex.set(map, index)
  }
  return index.get(key)
}

/** The YAML nodes at `path`: the value node and, for mapping entries, the key node. */
function nodeAt(doc: Document, path: readonly Segment[]): { node?: Node; key?: Node } {
  let node: unknown = doc.contents
  let key: Node | undefined
  for (const seg of path) {
    if (isMap(node)) {
      const pair = entryOf(node, String(seg))
      if (!pair) return { node: undefined, key: undefined }
      key = isNode(pair.key) ? pair.key : undefined
      node = pair.value
    } else if (isSeq(node)) {
      node = node.items[Number(seg)]
      key = undefined
    } else {
      return { node: undefined, key: undefined }
    }
  }
  return { node: isNode(node) ? node : undefined, key }
}

/**
 * Keys repeated in a mapping, with their paths, in one pass over the document. (The YAML library's own
 * `uniqueKeys` check compares every key with every earlier one: minutes for a mapping of 100,000 keys.)
 */
function duplicateKeys(root: unknown): Array<{ offset: number; path: Segment[] }> {
  const out: Array<{ offset: number; path: Segment[] }> = []
  const stack: Array<{ node: unknown; path: Segment[] }> = [{ node: root, path: [] }]
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: Segment[] }
    if (isMap(node)) {
      const seen = new Set<string>()
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? `${typeof pair.key.value}:${String(pair.key.value)}` : undefined
        const name = isScalar(pair.key) ? String(pair.key.value) : undefined
        if (k !== undefined && name !== undefined) {
          if (seen.has(k)) out.push({ offset: (pair.key as Node).range?.[0] ?? 0, path: [...path, name] })
          else seen.add(k)
          stack.push({ node: pair.value, path: [...path, name] })
        }
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        stack.push({ node: isPair(item) ? item.value : item, path: [...path, i] })
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset)
}

class Locator {
  constructor(
    readonly source: string,
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  private pos(offset: number | undefined): Position {
    if (offset === undefined) return { line: 1, column: 1 }
    const { line, col } = this.lines.linePos(offset)
    return { line, column: col }
  }

  /** Position of the value at `path`; an empty value (`key:`) is reported at its key. */
  ofValue(path: readonly Segment[]): Position {
    for (let n = path.length; n >= 0; n--) {
      const { node, key } = nodeAt(this.doc, path.slice(0, n))
      const empty = isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1]
      if (node && !empty && node.range) return this.pos(node.range[0])
      if (key?.range) return this.pos(key.range[0])
    }
    return this.pos(undefined)
  }

  /** Position of the key of the mapping entry at `path` (falls back to its value). */
  ofKey(path: readonly Segment[]): Position {
    const { key } = nodeAt(this.doc, path)
    return key?.range ? this.pos(key.range[0]) : this.ofValue(path)
  }

  problem(path: readonly Segment[], message: string, at: 'key' | 'value' = 'value'): PolicyProblem {
    const p = at === 'key' ? this.ofKey(path) : this.ofValue(path)
    return { source: this.source, ...p, path: formatPath(path), message }
  }

  problemAtOffset(offset: number, path: readonly Segment[], message: string): PolicyProblem {
    return { source: this.source, ...this.pos(offset), path: formatPath(path), message }
  }
}

/**
 * The YAML library's message without the file's text: a few of its messages end with a tag, alias or
 * escape taken from the file (the line and column already say where), which is dropped.
 */
function libraryMessage(message: string): string {
  const first = message.split('\n')[0] ?? ''
  return first
    .replace(/^(Unresolved tag|Invalid escape sequence)\b.*$/, '$1')
    .replace(/^(Unresolved alias.*): [^:]*$/, '$1')
    .slice(0, 200)
}

/** YAML-level problems: syntax errors, duplicate keys, unresolved tags. */
function yamlProblems(doc: Document, at: Locator): PolicyProblem[] {
  const problems = [...doc.errors, ...doc.warnings].map((e) => {
    const offset = e.pos[0]
    if (e.code === 'MULTIPLE_DOCS') {
      return at.problemAtOffset(offset, [], 'the policy file must hold one YAML document (remove the second `---`)')
    }
    // The library's messages name the construct, not the text; cut anyway, as they are not ours.
    return at.problemAtOffset(offset, [], `YAML syntax error: ${libraryMessage(e.message)}`)
  })
  if (problems.length > 0) return problems
  return duplicateKeys(doc.contents).map(({ offset, path }) =>
    at.problemAtOffset(
      offset,
      path,
      `duplicate key ${excerpt(String(path[path.length - 1]))}: each key may appear once (a later value would silently replace the first)`,
    ),
  )
}

/**
 * Parses and validates a policy file's text. `source` names the file in messages.
 * Non-empty `inputs` replace the file's pool ids / regions (see loadPolicy).
 */
export function parsePolicy(
  text: string,
  source: string,
  inputs: PolicyInputs = {},
  sections: PolicySections = POLICY_SECTIONS,
): Policy {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false })
  const at = new Locator(source, doc, lines)

  const syntax = yamlProblems(doc, at)
  if (syntax.length > 0) throw new PolicyError(syntax)
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new PolicyError([
      {
        source,
        line: 1,
        column: 1,
        path: '',
        message: 'the policy file is empty: it needs at least `version: 1` and the `regions` or `pools` to audit',
      },
    ])
  }
  if (!isMap(doc.contents)) {
    // Never quote the value: a file that is not a policy (an environment dump, a key file) would land in the log.
    const got = isSeq(doc.contents)
      ? 'a list'
      : `a single ${isScalar(doc.contents) ? typeof doc.contents.value : 'value'}`
    const keys = Object.keys(policySchema(sections).properties as object).join(', ')
    throw new PolicyError([at.problem([], `the top level must be a mapping of keys (${keys}), not ${got}`)])
  }
  let raw: Record<string, unknown>
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>
  } catch (e) {
    throw new PolicyError([at.problem([], `YAML error: ${libraryMessage((e as Error).message)}`)])
  }

  const problems: PolicyProblem[] = schemaErrors(raw, sections).map((e) => at.problem(e.path, e.message, e.at))
  // Whether a problem was found at `prefix` or inside it. Problems are only ever appended: their paths'
  // prefixes are indexed as they come, so a check costs the same with 10 problems or 100,000.
  const flagged = new Set<string>()
  let indexed = 0
  const invalid = (prefix: Segment[]) => {
    for (; indexed < problems.length; indexed++) for (const q of pathPrefixes(problems[indexed]!.path)) flagged.add(q)
    return flagged.has(formatPath(prefix))
  }

  // Regions and pools: semantic checks, then the inputs' overrides.
  const fileRegions = stringList(raw.regions)
  const pools = raw.pools
  const filePools =
    typeof pools === 'object' && pools !== null
      ? (pools as { ids?: unknown; names?: unknown; 'allow-none'?: unknown })
      : {}
  const fileIds = stringList(filePools.ids)
  const names = [...new Set(stringList(filePools.names))]
  fileIds.forEach((id, i) => {
    const message = poolIdProblem(id)
    // The schema already reports ids that are not pool ids; only the region can still be wrong.
    if (message && !invalid(['pools', 'ids', i])) problems.push(at.problem(['pools', 'ids', i], message))
  })
  problems.push(...inputProblems(inputs))
  const inputIds = inputs.userPoolIds ?? []
  const inputRegions = inputs.regions ?? []
  const ids = [...new Set(inputIds.length > 0 ? inputIds : fileIds)].filter((id) => !poolIdProblem(id))
  // Unknown regions are already reported (schema enum, inputProblems); audit only the known ones.
  const listed = (inputRegions.length > 0 ? inputRegions : fileRegions).filter(isKnownRegion)
  const regions = auditedRegions(listed, ids)
  const ctx: SectionContext = { regions }

  if (regions.length === 0 && !inputs.regionsFromPlan && !invalid(['regions']) && !invalid(['pools'])) {
    if (names.length > 0) {
      problems.push(
        at.problem(
          ['pools', 'names'],
          'pool-name globs are matched in the audited regions, but there are none: add `regions:` ' +
            '(e.g. `regions: [us-east-1]`) or pool ids',
        ),
      )
    } else {
      problems.push(
        at.problem(
          'pools' in raw ? ['pools'] : 'regions' in raw ? ['regions'] : [],
          'nothing to audit: add `regions:` (every pool in them is audited) and/or `pools: { ids: [...] }` ' +
            '(each pool id names its region)',
          'key',
        ),
      )
    }
  }

  const exemptions = exemptionsOf(raw.exemptions, at, problems, invalid)

  // Sections: normalise only what the schema accepted; a PolicyIssue becomes a positioned problem.
  const normalized: Partial<Record<keyof PolicySections, unknown>> = {}
  for (const [field, section] of Object.entries(sections) as Array<
    [keyof PolicySections, PolicySections[keyof PolicySections]]
  >) {
    if (invalid([section.key])) continue
    try {
      normalized[field] = section.normalize(raw[section.key], ctx)
    } catch (e) {
      if (!(e instanceof PolicyIssue)) throw e
      const path = e.path[0] === section.key ? e.path : [section.key, ...e.path]
      problems.push(at.problem(path, e.message))
    }
  }

  if (problems.length > 0) throw new PolicyError(problems)

  const report = (raw.report ?? {}) as { 'personal-data'?: boolean }
  return {
    source,
    regions,
    pools: {
      ids,
      names,
      all: ids.length === 0 && names.length === 0,
      ...(filePools['allow-none'] === true ? { allowNone: true } : {}),
    },
    ...(normalized as ReturnType<typeof defaultSections>),
    exemptions,
    report: { personalData: report['personal-data'] ?? false },
  }
}

/** `a.b[0]["c.d"]` → `a`, `a.b`, `a.b[0]`, `a.b[0]["c.d"]` (every path that contains it). */
function pathPrefixes(path: string): string[] {
  const out: string[] = path === '' ? [''] : []
  let i = 0
  while (i < path.length) {
    if (path[i] === '[' && path[i + 1] === '"') {
      // A quoted segment: skip to its closing quote (escaped quotes inside do not count).
      i += 2
      while (i < path.length && path[i] !== '"') i += path[i] === '\\' ? 2 : 1
      i += 2
    } else {
      i++
    }
    if (i >= path.length || path[i] === '.' || path[i] === '[') out.push(path.slice(0, i))
  }
  return out
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** Requirement columns and check ids an exemption may name. */
function exemptionTargets(): { requirements: string[]; checks: string[] } {
  return {
    requirements: [...REQUIREMENTS],
    checks: CHECKS.map((c) => c.id).filter((id) => !REQUIREMENTS.includes(id as never)),
  }
}

function exemptionsOf(
  value: unknown,
  at: Locator,
  problems: PolicyProblem[],
  invalid: (prefix: Segment[]) => boolean,
): Exemption[] {
  if (!Array.isArray(value)) return []
  const { requirements, checks } = exemptionTargets()
  const out: Exemption[] = []
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) return
    const ex = item as { pool?: unknown; requirement?: unknown; reason?: unknown; expires?: unknown }
    const before = problems.length
    if (typeof ex.requirement === 'string' && !invalid(['exemptions', i, 'requirement'])) {
      if (![...requirements, ...checks].includes(ex.requirement)) {
        problems.push(
          at.problem(
            ['exemptions', i, 'requirement'],
            `must be a requirement (${requirements.join(', ')}) or a check id (${checks.join(', ')}) ` +
              `(got ${excerpt(ex.requirement)})${didYouMean(ex.requirement, [...requirements, ...checks])}`,
          ),
        )
      }
    }
    if (typeof ex.reason === 'string' && ex.reason.trim() === '' && !invalid(['exemptions', i, 'reason'])) {
      problems.push(at.problem(['exemptions', i, 'reason'], 'must say why the deviation is accepted (got only spaces)'))
    }
    if (problems.length > before || invalid(['exemptions', i])) return
    out.push({
      pool: ex.pool as string,
      requirement: ex.requirement as string,
      reason: (ex.reason as string).trim(),
      ...(typeof ex.expires === 'string' ? { expires: ex.expires } : {}),
    })
  })
  return out
}
