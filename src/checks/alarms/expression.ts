/**
 * Metric-math alarms: at what count of one watched metric does the returned expression breach the
 * threshold? Evaluated on plain numbers, with the watched metric at each count in turn and every other
 * metric query at 0 ("this metric alone rises", as for composite alarms).
 *
 * Understood: numbers, query ids (expression queries are evaluated in turn), `+ - * /`, unary minus,
 * parentheses, `FILL(x, …)` (x itself: a period with data), `SUM([…])` / `SUM(METRICS())`. Anything else
 * (SEARCH, IF, RATE, ANOMALY_DETECTION_BAND …) cannot be verified. A non-finite value (division by zero)
 * is no datapoint, as CloudWatch drops it, so it never breaches.
 */
import type { MetricQuery } from '../../model/alarms.js'

type Node =
  | { k: 'num'; v: number }
  | { k: 'id'; id: string }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'neg'; a: Node }
  | { k: 'sum'; items: Node[] | 'all' }

export class UnsupportedExpression extends Error {}

function parse(expression: string): Node {
  const re =
    /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()[\],]|[<>=!]=?|&&|\|\|)|("[^"]*"|'[^']*'))/y
  const tokens: string[] = []
  let i = 0
  while (i < expression.length && !/^\s*$/.test(expression.slice(i))) {
    re.lastIndex = i
    const m = re.exec(expression)
    if (!m) throw new UnsupportedExpression(`cannot read "${expression.slice(i).trim()}"`)
    tokens.push(m[0].trim())
    i = re.lastIndex
  }
  let pos = 0
  const peek = () => tokens[pos]
  const eat = (t: string) => {
    if (tokens[pos] !== t) throw new UnsupportedExpression(`expected "${t}"`)
    pos++
  }
  const expr = (): Node => {
    let a = term()
    while (peek() === '+' || peek() === '-') {
      const op = tokens[pos++]!
      a = { k: 'bin', op, a, b: term() }
    }
    return a
  }
  const term = (): Node => {
    let a = factor()
    while (peek() === '*' || peek() === '/') {
      const op = tokens[pos++]!
      a = { k: 'bin', op, a, b: factor() }
    }
    return a
  }
  const factor = (): Node => {
    const t = tokens[pos++]
    if (t === undefined) throw new UnsupportedExpression('unexpected end')
    if (t === '-') return { k: 'neg', a: factor() }
    if (t === '(') {
      const inner = expr()
      eat(')')
      return inner
    }
    if (/^\d/.test(t)) return { k: 'num', v: Number(t) }
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() !== '(') return { k: 'id', id: t }
      pos++
      const fn = t.toUpperCase()
      if (fn === 'FILL') {
        const x = expr()
        eat(',')
        pos++ // the fill value or REPEAT/LINEAR: a period with data keeps its own value
        eat(')')
        return x
      }
      if (fn === 'SUM') {
        if (peek() === 'METRICS') {
          pos++
          eat('(')
          eat(')')
          eat(')')
          return { k: 'sum', items: 'all' }
        }
        eat('[')
        const items = [expr()]
        while (peek() === ',') {
          pos++
          items.push(expr())
        }
        eat(']')
        eat(')')
        return { k: 'sum', items }
      }
      throw new UnsupportedExpression(`function ${t}() is not understood`)
    }
    throw new UnsupportedExpression(`unexpected "${t}"`)
  }
  const node = expr()
  if (pos !== tokens.length) throw new UnsupportedExpression(`unexpected "${tokens[pos]}"`)
  return node
}

/** The expression's value with query `target` at `count` and every other metric query at 0. */
function valueAt(queries: MetricQuery[], start: MetricQuery, target: string, count: number): number {
  const byId = new Map(queries.map((q) => [q.id, q]))
  const parsed = new Map<string, Node>()
  const stack = new Set<string>()
  const ofQuery = (q: MetricQuery): number => {
    if (!q.expression) return q.id === target ? count : 0
    if (stack.has(q.id)) throw new UnsupportedExpression(`query ${q.id} refers to itself`)
    stack.add(q.id)
    let node = parsed.get(q.id)
    if (!node) {
      node = parse(q.expression)
      parsed.set(q.id, node)
    }
    const v = ev(node)
    stack.delete(q.id)
    return v
  }
  const ev = (n: Node): number => {
    switch (n.k) {
      case 'num':
        return n.v
      case 'id': {
        const q = byId.get(n.id)
        if (!q) throw new UnsupportedExpression(`unknown id ${n.id}`)
        return ofQuery(q)
      }
      case 'neg':
        return -ev(n.a)
      case 'sum':
        return n.items === 'all'
          ? queries.filter((q) => !q.expression).reduce((s, q) => s + ofQuery(q), 0)
          : n.items.reduce((s, item) => s + ev(item), 0)
      case 'bin': {
        const a = ev(n.a)
        const b = ev(n.b)
        return n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : a / b
      }
    }
  }
  return ofQuery(start)
}

export type ExpressionVerdict =
  | { ok: true; count: number }
  | { ok: false; kind: 'unsupported'; why: string }
  | { ok: false; kind: 'never' }

/**
 * The smallest count (0 … `upTo`) of query `target` at which `returned` breaches `op threshold`, or why
 * there is none: the expression is not understood, or it does not breach within `upTo`.
 */
export function expressionFiresAt(
  queries: MetricQuery[],
  returned: MetricQuery,
  target: string,
  op: string | undefined,
  threshold: number,
  upTo: number,
): ExpressionVerdict {
  const breaches = (v: number) =>
    Number.isFinite(v) &&
    (op === 'GreaterThanOrEqualToThreshold' ? v >= threshold : op === 'GreaterThanThreshold' && v > threshold)
  try {
    for (let count = 0; count <= Math.max(0, Math.floor(upTo)); count++) {
      if (breaches(valueAt(queries, returned, target, count))) return { ok: true, count }
    }
  } catch (err) {
    if (err instanceof UnsupportedExpression) return { ok: false, kind: 'unsupported', why: err.message }
    throw err
  }
  return { ok: false, kind: 'never' }
}
