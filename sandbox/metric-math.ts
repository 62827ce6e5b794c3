/**
 * The part of CloudWatch metric math that moto lacks: arithmetic (`+ - * /`, parentheses,
 * numbers, query ids) over the series of other queries in the same GetMetricData call.
 * Series combine point by point on equal timestamps; a division by zero yields no point
 * (as CloudWatch drops non-finite values). Functions (SEARCH, FILL, METRICS …) are not
 * supported and raise an error naming the expression.
 */

export interface Series {
  timestamps: number[]
  values: number[]
}

type Value = number | Map<number, number>

type Token = { kind: 'num'; value: number } | { kind: 'id'; value: string } | { kind: 'op'; value: string }

function tokenize(expression: string): Token[] {
  const tokens: Token[] = []
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y
  let i = 0
  while (i < expression.length) {
    if (/^\s*$/.test(expression.slice(i))) break
    re.lastIndex = i
    const m = re.exec(expression)
    if (!m) throw new Error(`unsupported metric math expression: ${expression}`)
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) })
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2] })
    else tokens.push({ kind: 'op', value: m[3]! })
    i = re.lastIndex
  }
  return tokens
}

function combine(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b)
  const out = new Map<number, number>()
  if (typeof a === 'number') {
    for (const [t, y] of b as Map<number, number>) out.set(t, f(a, y))
  } else if (typeof b === 'number') {
    for (const [t, x] of a) out.set(t, f(x, b))
  } else {
    for (const [t, x] of a) {
      const y = b.get(t)
      if (y !== undefined) out.set(t, f(x, y))
    }
  }
  for (const [t, v] of out) if (!Number.isFinite(v)) out.delete(t)
  return out
}

/** Evaluates `expression` given the series of the other queries by id. */
export function evaluate(expression: string, series: ReadonlyMap<string, Series>): Series {
  const tokens = tokenize(expression)
  let pos = 0
  const peek = () => tokens[pos]
  const expr = (): Value => {
    let left = term()
    for (let t = peek(); t?.kind === 'op' && (t.value === '+' || t.value === '-'); t = peek()) {
      pos++
      const right = term()
      left = t.value === '+' ? combine(left, right, (x, y) => x + y) : combine(left, right, (x, y) => x - y)
    }
    return left
  }
  const term = (): Value => {
    let left = factor()
    for (let t = peek(); t?.kind === 'op' && (t.value === '*' || t.value === '/'); t = peek()) {
      pos++
      const right = factor()
      left = t.value === '*' ? combine(left, right, (x, y) => x * y) : combine(left, right, (x, y) => x / y)
    }
    return left
  }
  const factor = (): Value => {
    const t = tokens[pos++]
    if (!t) throw new Error(`unexpected end of metric math expression: ${expression}`)
    if (t.kind === 'num') return t.value
    if (t.kind === 'id') {
      if (tokens[pos]?.value === '(')
        throw new Error(`metric math function ${t.value}() is not supported by the sandbox`)
      const s = series.get(t.value)
      if (!s) throw new Error(`metric math expression references unknown id ${t.value}`)
      return new Map(s.timestamps.map((ts, i) => [ts, s.values[i]!]))
    }
    if (t.value === '(') {
      const v = expr()
      if (tokens[pos++]?.value !== ')') throw new Error(`missing ) in metric math expression: ${expression}`)
      return v
    }
    if (t.value === '-') return combine(0, factor(), (x, y) => x - y)
    throw new Error(`unexpected ${t.value} in metric math expression: ${expression}`)
  }
  const result = expr()
  if (pos !== tokens.length)
    throw new Error(`unexpected ${tokens[pos]!.value} in metric math expression: ${expression}`)
  if (typeof result === 'number') return { timestamps: [], values: [] }
  const timestamps = [...result.keys()]
  return { timestamps, values: timestamps.map((t) => result.get(t)!) }
}
