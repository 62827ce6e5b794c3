/**
 * JSON Schema validation of a parsed policy file, with ajv's errors turned into messages a
 * person understands: the key path and what is allowed (allowed keys, enum values with a
 * "did you mean" for typos, expected types, patterns with an example).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { excerpt } from '../errors.js'
import type { JsonSchema } from '../model/policy-section.js'
import { didYouMean } from './errors.js'
import { type PolicySections, policySchema } from './schema.js'

export type Segment = string | number

export interface SchemaProblem {
  /** Key path of the offending value (or of the unknown/missing key). */
  path: Segment[]
  message: string
  /** Point at the key (unknown keys) or at the value. */
  at: 'key' | 'value'
}

/** A real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

const compiled = new WeakMap<PolicySections, ValidateFunction>()

function validator(sections: PolicySections): ValidateFunction {
  let validate = compiled.get(sections)
  if (!validate) {
    // code.optimize off: Ajv's optimiser passes cost ~3/4 of the compile time (paid on every run) and
    // make validating a policy no faster that anyone could measure.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, code: { optimize: false } })
    ajv.addFormat('date', { type: 'string', validate: isIsoDate })
    validate = ajv.compile(policySchema(sections))
    compiled.set(sections, validate)
  }
  return validate
}

/** Validates the parsed file against the composed schema; one problem per distinct mistake. */
export function schemaErrors(raw: unknown, sections: PolicySections): SchemaProblem[] {
  const validate = validator(sections)
  if (validate(raw)) return []
  const errors = pruneAlternatives(validate.errors ?? [])
  const seen = new Set<string>()
  const out: SchemaProblem[] = []
  for (const e of errors) {
    const p = describe(e)
    const id = `${p.path.join('\u0000')}\u0001${p.message}`
    if (seen.has(id)) continue
    seen.add(id)
    out.push(p)
  }
  return out
}

function segments(instancePath: string): Segment[] {
  if (!instancePath) return []
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s))
}

function jsonType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function fitsType(branch: JsonSchema, data: unknown): boolean {
  const types = branch.type === undefined ? [] : Array.isArray(branch.type) ? branch.type : [branch.type]
  const t = jsonType(data)
  return types.some((x) => x === t || (x === 'number' && t === 'integer'))
}

/**
 * For `oneOf`/`anyOf`, ajv reports every branch's errors. Keep only the branch whose type fits the
 * value (e.g. the mapping branch of `pools` for a mapping); when none fits, one message lists the
 * alternatives.
 */
function pruneAlternatives(errors: ErrorObject[]): ErrorObject[] {
  let result = errors.filter((e) => e.keyword !== 'if')
  for (const alt of errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    const prefix = `${alt.schemaPath}/`
    const branches = (alt.schema ?? []) as JsonSchema[]
    const fitting = branches.flatMap((b, i) => (fitsType(b, alt.data) ? [i] : []))
    if (fitting.length === 1) {
      const keep = `${prefix}${fitting[0]}/`
      result = result.filter((e) => e !== alt && (!e.schemaPath.startsWith(prefix) || e.schemaPath.startsWith(keep)))
    } else {
      result = result.filter((e) => !e.schemaPath.startsWith(prefix))
    }
  }
  return result
}

function typeName(t: string): string {
  return (
    {
      object: 'a mapping',
      array: 'a list',
      string: 'a string',
      boolean: 'true or false',
      integer: 'a whole number',
      number: 'a number',
      null: 'empty',
    }[t] ?? t
  )
}

/** `the string "x"`, `a list`, `an empty value`, `2`. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return `the string ${excerpt(v)}`
  return shown(v)
}

/** A value from the file as a message quotes it: strings as a short excerpt, structures by kind. */
function shown(v: unknown): string {
  if (typeof v === 'string') return excerpt(v)
  if (v === null || v === undefined) return 'an empty value'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return typeof v === 'number' || typeof v === 'boolean' ? JSON.stringify(v) : excerpt(String(v))
}

function describeBranch(b: JsonSchema): string {
  if ('const' in b) return JSON.stringify(b.const)
  if (Array.isArray(b.enum)) return `one of ${b.enum.map((x) => JSON.stringify(x)).join(', ')}`
  if (b.type === 'object' && b.properties && typeof b.properties === 'object') {
    return `a mapping with ${Object.keys(b.properties).join(' and/or ')}`
  }
  return typeof b.type === 'string' ? typeName(b.type) : 'a valid value'
}

function listValues(values: unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')
}

function describe(e: ErrorObject): SchemaProblem {
  const path = segments(e.instancePath)
  const parent = (e.parentSchema ?? {}) as JsonSchema
  const params = e.params as Record<string, unknown>
  const got = `(got ${describeValue(e.data)})`
  const value = (message: string): SchemaProblem => ({ path, message, at: 'value' })
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const allowed = Object.keys((parent.properties ?? {}) as object)
      const hint = didYouMean(key, allowed)
      return {
        path: [...path, key],
        message: `unknown key${hint}; allowed keys: ${allowed.join(', ') || '(none)'}`,
        at: 'key',
      }
    }
    case 'required': {
      const key = String(params.missingProperty)
      const props = (parent.properties ?? {}) as Record<string, JsonSchema>
      const about = props[key]?.description
      const hint =
        path.length === 0 && key === 'version'
          ? ': add `version: 1` as the first key'
          : typeof about === 'string'
            ? ` (${about.charAt(0).toLowerCase()}${about.slice(1).replace(/\.$/, '')})`
            : ''
      return { path: [...path, key], message: `required key is missing${hint}`, at: 'value' }
    }
    case 'type':
      return value(`must be ${typeName(String(params.type))} ${got}`)
    case 'enum': {
      const allowed = (params.allowedValues ?? []) as unknown[]
      if (allowed.length <= 10) return value(`must be one of ${listValues(allowed)} (got ${shown(e.data)})`)
      const title = typeof parent.title === 'string' ? parent.title : 'value'
      const hint =
        typeof e.data === 'string'
          ? didYouMean(
              e.data,
              allowed.filter((v): v is string => typeof v === 'string'),
            )
          : ''
      return value(`${shown(e.data)} is not a known ${title}${hint}`)
    }
    case 'const': {
      const expected = JSON.stringify(params.allowedValue)
      const extra = path.length === 1 && path[0] === 'version' ? ': this release reads policy format version 1' : ''
      return value(`must be ${expected} (got ${shown(e.data)})${extra}`)
    }
    case 'pattern': {
      const examples = Array.isArray(parent.examples) ? parent.examples : []
      return value(
        examples.length > 0
          ? `must look like ${listValues(examples)} ${got}`
          : `must match the pattern ${String(params.pattern)} ${got}`,
      )
    }
    case 'format':
      return value(
        params.format === 'date'
          ? `must be a date written YYYY-MM-DD ${got}`
          : `must be a valid ${String(params.format)} ${got}`,
      )
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return value(`must be ${String(params.comparison)} ${String(params.limit)} (got ${shown(e.data)})`)
    case 'multipleOf':
      return value(`must be a multiple of ${String(params.multipleOf)} (got ${shown(e.data)})`)
    case 'minLength':
      return value(
        params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`,
      )
    case 'maxLength':
      return value(`must be at most ${String(params.limit)} characters long`)
    case 'minItems':
      return value(`must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`)
    case 'maxItems':
      return value(`must list at most ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`)
    case 'uniqueItems':
      return value(
        `must not repeat an item (items ${Math.min(Number(params.i), Number(params.j))} and ` +
          `${Math.max(Number(params.i), Number(params.j))} are the same)`,
      )
    case 'minProperties':
      return value(`must set at least ${String(params.limit)} key${params.limit === 1 ? '' : 's'}`)
    case 'oneOf':
    case 'anyOf': {
      const branches = (e.schema ?? []) as JsonSchema[]
      return value(`must be ${branches.map(describeBranch).join(' or ')} ${got}`)
    }
    default:
      return value(`${e.message ?? 'is invalid'} ${got}`)
  }
}
