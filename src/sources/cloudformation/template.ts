/**
 * Reading a CloudFormation template, JSON or YAML, into plain data plus a way back to source lines.
 *
 * YAML: the `yaml` package composes the document (short-form tags such as `!Ref` and `!GetAtt` are
 * declared as custom tags so they compose without warnings) and the node tree is walked here: a tagged
 * node becomes its long form (`!Ref Pool` → `{ Ref: Pool }`, `!GetAtt Pool.Arn` → `{ 'Fn::GetAtt':
 * ['Pool', 'Arn'] }`), and every map key's offset is kept, so `lineOf(path)` is exact.
 * JSON: `JSON.parse` (a synthesized template can be megabytes; a YAML composer is far slower on those),
 * and `lineOf` finds keys by scanning the text from the enclosing key, on demand.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { PlanInputError } from '../planned/errors.js'

export interface Position {
  line: number
  column: number
}

export interface Template {
  /** The file as given (relative to the checkout when it lies inside it). */
  file: string
  body: Record<string, unknown>
  /** 1-based line/column of the key at `path` (e.g. `['Resources', 'Pool', 'Properties', 'UserPoolTier']`),
   *  or of the nearest enclosing key found. */
  lineOf(path: ReadonlyArray<string | number>): Position | undefined
}

/** The short forms CloudFormation's YAML accepts; `!GetAtt a.b` is the only one whose scalar form splits. */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'If',
  'Select',
  'Split',
  'ImportValue',
  'FindInMap',
  'Base64',
  'Cidr',
  'GetAZs',
  'Equals',
  'And',
  'Or',
  'Not',
  'Transform',
  'Length',
  'ToJsonString',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'RefAll',
  'ValueOf',
  'ValueOfAll',
  'Implies',
  'ForEach',
] as const

const customTags = SHORT_FORMS.flatMap((name) => {
  const tag = `!${name}`
  const keep = <T>(v: T) => v
  return [
    { tag, resolve: keep, identify: (): boolean => false },
    { tag, collection: 'seq' as const, resolve: keep, identify: (): boolean => false },
    { tag, collection: 'map' as const, resolve: keep, identify: (): boolean => false },
  ]
})

const SHORT = new Set<string>(SHORT_FORMS.map((n) => `!${n}`))

export function parseTemplate(file: string, text: string): Template {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart()
  if (trimmed.startsWith('{')) return parseJson(file, text)
  return parseYaml(file, text)
}

function checkShape(file: string, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PlanInputError(`${file}: not a CloudFormation template (expected a mapping with a Resources section)`)
  }
  const resources = (body as Record<string, unknown>).Resources
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new PlanInputError(`${file}: not a CloudFormation template (no Resources section)`)
  }
  return body as Record<string, unknown>
}

// ---------------------------------------------------------------------------------------------- JSON

function parseJson(file: string, text: string): Template {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    const msg = (err as Error).message
    const m = /position (\d+)/.exec(msg)
    const where = m ? ` (line ${lineStarts(text).lineOf(Number(m[1])).line})` : ''
    throw new PlanInputError(`${file}: not valid JSON${where}: ${msg.split('\n')[0]}`)
  }
  const checked = checkShape(file, body)
  // Locating a resource (`Resources␀<id>`) needs the keys of the first two levels only: recording every
  // key down to JSON_KEY_DEPTH costs ~10x the scan itself on a synthesized template. Deeper paths (bad
  // input messages) scan again for every level, once.
  let shallow: Map<string, Position> | undefined
  let deep: Map<string, Position> | undefined
  return {
    file,
    body: checked,
    lineOf(path) {
      let keys: Map<string, Position>
      if (path.length <= SHALLOW_KEY_DEPTH) keys = shallow ??= jsonKeyPositions(text, SHALLOW_KEY_DEPTH)
      else keys = deep ??= jsonKeyPositions(text, JSON_KEY_DEPTH)
      for (let n = Math.min(path.length, JSON_KEY_DEPTH); n > 0; n--) {
        const pos = keys.get(path.slice(0, n).join('\u0000'))
        if (pos !== undefined) return pos
      }
      return undefined
    },
  }
}

/** How deep `jsonKeyPositions` records keys (`Resources.<id>.Properties` and five levels below). */
const JSON_KEY_DEPTH = 8
/** The depth of `Resources.<id>`. */
const SHALLOW_KEY_DEPTH = 2

/**
 * The line and column of every object key (its opening quote) down to `maxDepth`, by its path
 * (`Resources␀Pool␀Properties`; array elements by index), in one pass over the text: locating every
 * resource stays linear in the template, and a key is found only where it really is (a `"Pool":` inside
 * another resource is not the resource). A deeper path gives its nearest recorded ancestor. Called on
 * valid JSON only (after JSON.parse), where a line break can only stand outside strings.
 */
export function jsonKeyPositions(text: string, maxDepth: number): Map<string, Position> {
  const out = new Map<string, Position>()
  // keyed[d]: the path key of the value at depth d (`Resources␀Pool`), when d ≤ maxDepth.
  const keyed: string[] = ['']
  const isObject: boolean[] = []
  const indexes: number[] = []
  let depth = 0
  let expectKey = false
  let line = 1
  let lineStart = 0
  const child = (segment: string | number) => {
    if (depth > maxDepth) return
    keyed[depth] = depth === 1 ? String(segment) : `${keyed[depth - 1]}\u0000${segment}`
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // The closing quote: the next one not preceded by an odd number of backslashes.
      let j = text.indexOf('"', i + 1)
      while (j > 0) {
        let b = j - 1
        while (text.charCodeAt(b) === 0x5c) b--
        if ((j - 1 - b) % 2 === 0) break
        j = text.indexOf('"', j + 1)
      }
      if (j < 0) j = text.length
      if (expectKey) {
        if (depth <= maxDepth) {
          const raw = text.slice(i + 1, j)
          child(raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw)
          out.set(keyed[depth]!, { line, column: i - lineStart + 1 })
        }
        expectKey = false
      }
      i = j
    } else if (c === 0x0a) {
      line++
      lineStart = i + 1
    } else if (c === 0x7b) {
      depth++
      isObject[depth] = true
      expectKey = true
    } else if (c === 0x5b) {
      depth++
      isObject[depth] = false
      indexes[depth] = 0
      child(0)
    } else if (c === 0x2c) {
      if (isObject[depth]) expectKey = true
      else child(++indexes[depth]!)
    } else if (c === 0x7d || c === 0x5d) {
      depth--
      expectKey = false
    }
  }
  return out
}

interface LineIndex {
  lineOf(offset: number): Position
}

function lineStarts(text: string): LineIndex {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return {
    lineOf(offset) {
      let lo = 0
      let hi = starts.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (starts[mid]! <= offset) lo = mid
        else hi = mid - 1
      }
      return { line: lo + 1, column: offset - starts[lo]! + 1 }
    },
  }
}

// ---------------------------------------------------------------------------------------------- YAML

function parseYaml(file: string, text: string): Template {
  const lineCounter = new LineCounter()
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, { customTags, lineCounter, prettyErrors: false, uniqueKeys: true })
  } catch (err) {
    throw new PlanInputError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`)
  }
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED')
  if (problem) {
    const { line } = lineCounter.linePos(problem.pos[0])
    const msg =
      problem.code === 'TAG_RESOLVE_FAILED'
        ? `unknown tag ${text.slice(problem.pos[0], problem.pos[1])}`
        : problem.message.split('\n')[0]
    throw new PlanInputError(`${file}:${line}: not valid YAML: ${msg}`)
  }
  const offsets = new Map<string, number>()
  const body = checkShape(file, toJs(doc, doc.contents, [], offsets, file, lineCounter))
  return {
    file,
    body,
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        const off = offsets.get(path.slice(0, n).join('\u0000'))
        if (off !== undefined) {
          const { line, col } = lineCounter.linePos(off)
          return { line, column: col }
        }
      }
      return undefined
    },
  }
}

function toJs(
  doc: Document.Parsed,
  node: unknown,
  path: Array<string | number>,
  offsets: Map<string, number>,
  file: string,
  lc: LineCounter,
  depth = 0,
): unknown {
  if (depth > 200) throw new PlanInputError(`${file}: nesting deeper than 200 levels`)
  if (node === null || node === undefined) return null
  if (isAlias(node)) return toJs(doc, node.resolve(doc), path, offsets, file, lc, depth + 1)
  const tag = (node as Node).tag
  let value: unknown
  if (isScalar(node)) {
    value = node.value
    if (typeof value === 'bigint') value = Number(value)
  } else if (isSeq(node)) {
    value = node.items.map((item, i) => toJs(doc, item, [...path, i], offsets, file, lc, depth + 1))
  } else if (isMap(node)) {
    const out: Record<string, unknown> = {}
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const keyNode = pair.key
      const key = String(isScalar(keyNode) ? keyNode.value : keyNode)
      const childPath = [...path, key]
      const range = (keyNode as Node | null)?.range
      if (range) offsets.set(childPath.join('\u0000'), range[0])
      out[key] = toJs(doc, pair.value, childPath, offsets, file, lc, depth + 1)
    }
    value = out
  } else {
    value = null
  }
  if (tag && SHORT.has(tag)) return longForm(tag.slice(1), value, node as Node, file, lc)
  return value
}

function longForm(name: string, value: unknown, node: Node, file: string, lc: LineCounter): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value }
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.')
    if (dot <= 0) {
      const line = node.range ? lc.linePos(node.range[0]).line : undefined
      throw new PlanInputError(`${file}${line ? `:${line}` : ''}: !GetAtt ${value}: expected LogicalId.Attribute`)
    }
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] }
  }
  return { [`Fn::${name}`]: value }
}
