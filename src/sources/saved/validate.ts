/**
 * A saved snapshot is checked before anything reads it: against the JSON Schema generated from the
 * snapshot types (src/model/snapshot.schema.json, `npm run schema`), then for what a schema cannot
 * say: a region listed twice, a pool listed twice, a pool whose region differs from its region entry
 * (or from its own id), and a `__proto__` key anywhere. The first problem is one line naming where it
 * is; values are quoted as short excerpts.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { excerpt } from '../../errors.js'
import { itemsRead, type Listing, SNAPSHOT_SCHEMA_VERSION } from '../../model/snapshot.js'
import SNAPSHOT_JSON_SCHEMA from '../../model/snapshot.schema.json' with { type: 'json' }

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
  formats: string[],
) => Ajv

let compiled: ValidateFunction | undefined

function validator(): ValidateFunction {
  if (!compiled) {
    // code.optimize off: the optimiser passes cost ~3/4 of compiling this schema (over a second, on every
    // run) and validating a 12 MB snapshot takes the same ~0.1 s without them.
    const ajv = new Ajv({ allErrors: false, strict: false, verbose: true, code: { optimize: false } })
    addFormats(ajv, ['date-time', 'date'])
    compiled = ajv.compile(SNAPSHOT_JSON_SCHEMA as object)
  }
  return compiled
}

/** `/regions/0/cognito/pools/2/id` → `regions[0].cognito.pools[2].id`. */
function where(pointer: string): string {
  let out = ''
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (/^\d+$/.test(seg)) out += `[${seg}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `[${excerpt(seg)}]`
  }
  return out || 'the top level'
}

function shown(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return excerpt(v)
  return excerpt(String(v)).slice(1, -1)
}

function describe(e: ErrorObject): string {
  const at = where(e.instancePath)
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required':
      return `${at === 'the top level' ? '' : `${at}.`}${String(p.missingProperty)} is missing`
    case 'additionalProperties':
      return `${at}: unknown field ${excerpt(String(p.additionalProperty))} (not a snapshot written by --save-snapshot?)`
    case 'type':
      return `${at} must be ${p.type === 'array' ? 'a list' : p.type === 'object' || p.type === 'integer' ? `an ${String(p.type)}` : `a ${String(p.type)}`} (got ${shown(e.data)})`
    case 'enum':
      return `${at} must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${shown(e.data)})`
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)} (got ${shown(e.data)})`
    case 'format':
      return `${at} must be ${p.format === 'date-time' ? 'an ISO date and time' : `a ${String(p.format)}`} (got ${shown(e.data)})`
    default:
      return `${at} ${e.message ?? 'is invalid'} (got ${shown(e.data)})`
  }
}

/** Keys a snapshot may never hold: they would reach object prototypes wherever data is copied or merged. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Nesting a snapshot never reaches; deeper text takes the reviving parse, whatever it then says. */
const PLAIN_DEPTH = 256

/** True when `value` holds no forbidden key and nests at most `PLAIN_DEPTH` deep. */
function plain(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true
  if (depth > PLAIN_DEPTH) return false
  if (Array.isArray(value)) {
    for (const v of value) if (!plain(v, depth + 1)) return false
    return true
  }
  for (const key in value) {
    if (FORBIDDEN_KEYS.has(key) || !plain((value as Record<string, unknown>)[key], depth + 1)) return false
  }
  return true
}

/** Parses snapshot text; a forbidden key is refused while parsing. Throws Error with a one-line message. */
export function parseSnapshotJson(text: string): unknown {
  // A reviver makes JSON.parse several times slower on a large snapshot: parse plainly and look for the
  // keys afterwards (JSON.parse makes even `__proto__` an own data property), and only when one is there
  // (or the nesting is unusually deep) parse again with the reviver, which names the key it meets first.
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (parsed !== undefined && plain(parsed, 0)) return parsed
  try {
    return JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKey(key)
      return value
    })
  } catch (err) {
    if (err instanceof ForbiddenKey)
      throw new Error(`holds a ${JSON.stringify(err.key)} key, which a snapshot never has`)
    // JSON.parse quotes the text around the mistake: say where it is, never what.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    throw new Error(`not valid JSON${at ? ` (at character ${at})` : ''}`)
  }
}

class ForbiddenKey extends Error {
  constructor(readonly key: string) {
    super(key)
  }
}

interface Shape {
  regions: Array<{ region: string; cognito: { pools: Listing<{ id: string; region: string }> } }>
}

/** The first problem of parsed snapshot data (version 2: `upgradeSnapshot` reads version 1 as 2), as one line without the path (callers add it), or undefined. */
export function snapshotProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return 'expected a JSON object written by --save-snapshot'
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    return `schemaVersion ${shown(version)} is not supported (this version reads snapshots of version 1 and ${SNAPSHOT_SCHEMA_VERSION})`
  }
  const validate = validator()
  if (!validate(data)) {
    const first = validate.errors?.[0]
    return first ? describe(first) : 'does not match the snapshot schema'
  }
  const snap = data as Shape
  const regions = new Map<string, number>()
  const pools = new Map<string, string>()
  for (const [i, r] of snap.regions.entries()) {
    const before = regions.get(r.region)
    if (before !== undefined)
      return `regions[${i}]: region ${excerpt(r.region)} is listed twice (also regions[${before}])`
    regions.set(r.region, i)
    for (const [j, p] of itemsRead(r.cognito.pools).entries()) {
      const at = `regions[${i}].cognito.pools.items[${j}]`
      if (p.region !== r.region) {
        return `${at}: the pool's region ${excerpt(p.region)} differs from its region entry ${excerpt(r.region)}`
      }
      if (!p.id.startsWith(`${r.region}_`)) {
        return `${at}: pool id ${excerpt(p.id, 60)} is not a pool of ${excerpt(r.region)}`
      }
      const seen = pools.get(p.id)
      if (seen) return `${at}: pool ${excerpt(p.id, 60)} is listed twice (also ${seen})`
      pools.set(p.id, at)
    }
  }
  return undefined
}
