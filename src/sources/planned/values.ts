/** Values of a planned snapshot before they become snapshot fields: unknowns and property paths. */

export type Path = ReadonlyArray<string | number>

/** A value that cannot be known before deploy, and why. */
export class Unknown {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {}
  toString(): string {
    return `${this.path} (${this.reason})`
  }
}

/** `Ref: AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue')

export function formatPath(path: Path): string {
  let out = ''
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`
  return out
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The first Unknown anywhere inside a resolved value. */
export function findUnknown(v: unknown): Unknown | undefined {
  if (v instanceof Unknown) return v
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = findUnknown(x)
      if (u) return u
    }
  } else if (isObject(v)) {
    for (const x of Object.values(v)) {
      const u = findUnknown(x)
      if (u) return u
    }
  }
  return undefined
}
