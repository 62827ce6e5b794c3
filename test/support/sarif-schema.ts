/**
 * The SARIF 2.1.0 JSON Schema (draft-04) as the npm package @microsoft/jest-sarif ships it
 * (`lib/schemas/sarif-2.1.0-rtm.5.json`, the schema SchemaStore publishes for 2.1.0), compiled with Ajv's
 * draft-04 class and the formats it uses (uri, uri-reference, date-time). `unicodeRegExp: false`: the schema's
 * `language` pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not a valid regular expression in unicode mode.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import AjvDraft04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'

const require = createRequire(import.meta.url)
export const SARIF_SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')

// Both are CommonJS: the default export arrives wrapped under ESM interop.
type AjvLike = { compile(schema: object): ValidateLike }
type ValidateLike = ((data: unknown) => boolean) & { errors?: unknown[] | null }
const unwrap = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T
const AjvDraft04 = unwrap<new (opts: object) => AjvLike>(AjvDraft04Module)
const addFormats = unwrap<(ajv: AjvLike, formats: string[]) => void>(addFormatsModule)

let compiled: ValidateLike | undefined

/** Validation errors of `log` against the SARIF 2.1.0 schema (empty = valid). */
export function sarifSchemaErrors(log: unknown): unknown[] {
  if (!compiled) {
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false })
    addFormats(ajv, ['uri', 'uri-reference', 'date-time'])
    compiled = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')))
  }
  return compiled(log) ? [] : (compiled.errors ?? ['invalid'])
}
