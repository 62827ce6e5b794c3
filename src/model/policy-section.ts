/**
 * A policy section: one top-level key of the policy file, with its JSON Schema
 * fragment (published in the policy schema, used for validation) and a
 * normaliser that fills defaults and turns the validated raw value into the
 * typed section. The loader validates the whole file against the composed
 * schema first, so `normalize` only sees schema-valid input (or `undefined`
 * when the key is absent).
 */

/** A JSON Schema (draft 2020-12) fragment. Every object in it sets `additionalProperties: false`. */
export type JsonSchema = Record<string, unknown>

/** A semantic problem the schema cannot express; the loader reports it with file, line and key. */
export class PolicyIssue extends Error {
  constructor(
    /** Path inside the policy document, e.g. `['alarms', 'risk', 0, 'threshold']`. */
    readonly path: ReadonlyArray<string | number>,
    message: string,
  ) {
    super(message)
    this.name = 'PolicyIssue'
  }
}

export interface SectionContext {
  /** Every region the policy audits (listed regions plus regions of pool ids). */
  regions: string[]
}

export interface PolicySection<T> {
  /** The YAML key, kebab-case, e.g. `threat-protection`. */
  key: string
  /** One line for the schema's description and the README. */
  description: string
  schema: JsonSchema
  /** Fills defaults; may throw PolicyIssue for what the schema cannot express. */
  normalize(raw: unknown, ctx: SectionContext): T
}
