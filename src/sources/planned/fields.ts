/**
 * Reading resolved resource properties into snapshot fields. Every reader takes the property path, so an
 * `Unknown` value is recorded under the snapshot field it would have filled (`plan.unknown`), and the
 * field gets the value that can never pass. A left-out property gets its documented default, recorded
 * in `plan.defaulted`.
 */
import { type PlannedInfo, unknownMarker } from '../../model/plan.js'
import { findUnknown, formatPath, type Path, Unknown } from './values.js'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export class FieldReader {
  constructor(
    readonly plan: PlannedInfo,
    /** Path of the resource's `Properties` (or of the Terraform resource), as shown to users. */
    readonly base: Path,
  ) {}

  path(rel: Path): string {
    return formatPath([...this.base, ...rel])
  }

  unknown(field: string, rel: Path, u: Unknown): void {
    this.plan.unknown ??= {}
    this.plan.unknown[field] ??= `${this.path(rel)} (${u.reason})`
  }

  /** Records an unknown at a path outside the properties (e.g. a resource's `Condition`). */
  unknownAt(field: string, path: string, reason: string): void {
    this.plan.unknown ??= {}
    this.plan.unknown[field] ??= `${path} (${reason})`
  }

  defaulted(field: string, what: string): void {
    this.plan.defaulted ??= {}
    this.plan.defaulted[field] = what
  }

  /** A string property: undefined when absent; the unknown marker (recorded) when it cannot be known. */
  string(field: string, value: unknown, rel: Path): string | undefined {
    if (value === undefined || value === null) return undefined
    if (value instanceof Unknown) {
      this.unknown(field, rel, value)
      return unknownMarker(this.path(rel))
    }
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    const u = findUnknown(value)
    if (u) {
      this.unknown(field, rel, u)
      return unknownMarker(this.path(rel))
    }
    return JSON.stringify(value)
  }

  /** One of `allowed`; an unknown or other value records `field` as unknown and returns `fallback`. */
  oneOf<T extends string>(field: string, value: unknown, rel: Path, allowed: readonly T[], fallback: T): T | undefined {
    if (value === undefined || value === null) return undefined
    if (value instanceof Unknown) {
      this.unknown(field, rel, value)
      return fallback
    }
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
    this.unknown(
      field,
      rel,
      new Unknown(this.path(rel), `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`),
    )
    return fallback
  }

  /** A number property (CloudFormation accepts numbers as strings). */
  number(field: string, value: unknown, rel: Path): number | undefined {
    if (value === undefined || value === null) return undefined
    if (value instanceof Unknown) {
      this.unknown(field, rel, value)
      return undefined
    }
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
    if (Number.isNaN(n)) {
      this.unknown(
        field,
        rel,
        findUnknown(value) ?? new Unknown(this.path(rel), `${JSON.stringify(value)} is not a number`),
      )
      return undefined
    }
    return n
  }

  /** A boolean property; `whenUnknown` is the value that cannot pass. */
  boolean(field: string, value: unknown, rel: Path, whenUnknown: boolean): boolean | undefined {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'boolean') return value
    if (value === 'true' || value === 'false') return value === 'true'
    this.unknown(
      field,
      rel,
      value instanceof Unknown ? value : new Unknown(this.path(rel), `${JSON.stringify(value)} is not a boolean`),
    )
    return whenUnknown
  }

  /** A list of strings; an unknown list or element records the field and drops the unknown part. */
  strings(field: string, value: unknown, rel: Path): string[] | undefined {
    if (value === undefined || value === null) return undefined
    if (value instanceof Unknown) {
      this.unknown(field, rel, value)
      return []
    }
    if (!Array.isArray(value)) return [this.string(field, value, rel)!]
    const out: string[] = []
    value.forEach((v, i) => {
      if (v instanceof Unknown || findUnknown(v)) this.unknown(field, [...rel, i], findUnknown(v)!)
      else out.push(typeof v === 'string' ? v : String(v))
    })
    return out
  }

  /** A list of objects; an unknown list records the field and yields none. */
  list(field: string, value: unknown, rel: Path): Array<{ item: Record<string, unknown>; rel: Path }> | undefined {
    if (value === undefined || value === null) return undefined
    if (value instanceof Unknown) {
      this.unknown(field, rel, value)
      return []
    }
    if (!Array.isArray(value)) {
      this.unknown(field, rel, new Unknown(this.path(rel), 'expected a list'))
      return []
    }
    const out: Array<{ item: Record<string, unknown>; rel: Path }> = []
    value.forEach((v, i) => {
      if (v instanceof Unknown) this.unknown(field, [...rel, i], v)
      else if (isObject(v)) out.push({ item: v, rel: [...rel, i] })
    })
    return out
  }

  /** An object property; an unknown one records the field. */
  object(field: string, value: unknown, rel: Path): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined
    if (value instanceof Unknown) {
      this.unknown(field, rel, value)
      return undefined
    }
    return isObject(value) ? value : undefined
  }
}
