/**
 * Composite-alarm rules (`AlarmRule`): a small parser and evaluator, so the alarm check can tell
 * whether one alarm going into ALARM makes a composite alarm fire.
 *
 * Grammar (CloudWatch's, keywords case-insensitive here):
 *   rule    := or
 *   or      := and ("OR" and)*
 *   and     := unary ("AND" unary)*
 *   unary   := "NOT" unary | primary
 *   primary := "(" rule ")" | "TRUE" | "FALSE"
 *            | STATE "(" name ")"                       STATE = ALARM | OK | INSUFFICIENT_DATA
 *            | "AT_LEAST" "(" count "," STATE "," "(" name ("," name)* ")" ")"   count = N or N%
 *   name    := "quoted" | 'quoted' | bare word (alarm name or ARN)
 */

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA'

export type RuleNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: AlarmState; ref: string }
  | { kind: 'not'; arg: RuleNode }
  | { kind: 'and' | 'or'; args: RuleNode[] }
  | { kind: 'atLeast'; count: number; percent: boolean; state: AlarmState; refs: string[] }

export class AlarmRuleSyntaxError extends Error {}

const STATES = new Set<string>(['ALARM', 'OK', 'INSUFFICIENT_DATA'])

type Token = { t: 'punct'; v: '(' | ')' | ',' } | { t: 'word'; v: string; quoted: boolean }

function tokenize(rule: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < rule.length) {
    const c = rule[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c })
      i++
    } else if (c === '"' || c === "'") {
      const end = rule.indexOf(c, i + 1)
      if (end < 0) throw new AlarmRuleSyntaxError(`unterminated quote at ${i + 1}`)
      out.push({ t: 'word', v: rule.slice(i + 1, end), quoted: true })
      i = end + 1
    } else {
      let j = i
      while (j < rule.length && !/[\s(),"']/.test(rule[j]!)) j++
      out.push({ t: 'word', v: rule.slice(i, j), quoted: false })
      i = j
    }
  }
  return out
}

/** Parses an `AlarmRule`; throws `AlarmRuleSyntaxError` for anything outside the grammar above. */
export function parseAlarmRule(rule: string): RuleNode {
  const tokens = tokenize(rule)
  let pos = 0
  const peek = () => tokens[pos]
  const keyword = (tok: Token | undefined, kw: string) => tok?.t === 'word' && !tok.quoted && tok.v.toUpperCase() === kw
  const expect = (v: '(' | ')' | ',') => {
    const tok = tokens[pos++]
    if (tok?.t !== 'punct' || tok.v !== v) throw new AlarmRuleSyntaxError(`expected "${v}"`)
  }
  const name = (): string => {
    const tok = tokens[pos++]
    if (tok?.t !== 'word') throw new AlarmRuleSyntaxError('expected an alarm name')
    return tok.v
  }
  const state = (): AlarmState => {
    const tok = tokens[pos++]
    const v = tok?.t === 'word' ? tok.v.toUpperCase() : ''
    if (!STATES.has(v)) throw new AlarmRuleSyntaxError('expected ALARM, OK or INSUFFICIENT_DATA')
    return v as AlarmState
  }
  const primary = (): RuleNode => {
    const tok = peek()
    if (tok?.t === 'punct' && tok.v === '(') {
      pos++
      const inner = or()
      expect(')')
      return inner
    }
    if (keyword(tok, 'TRUE') || keyword(tok, 'FALSE')) {
      pos++
      return { kind: 'const', value: keyword(tok, 'TRUE') }
    }
    if (keyword(tok, 'AT_LEAST')) {
      pos++
      expect('(')
      const raw = name()
      const m = /^(\d+)(%?)$/.exec(raw)
      if (!m) throw new AlarmRuleSyntaxError(`AT_LEAST needs a count or a percentage, not "${raw}"`)
      expect(',')
      const st = state()
      expect(',')
      expect('(')
      const refs = [name()]
      while (peek()?.t === 'punct' && (peek() as { v: string }).v === ',') {
        pos++
        refs.push(name())
      }
      expect(')')
      expect(')')
      return { kind: 'atLeast', count: Number(m[1]), percent: m[2] === '%', state: st, refs }
    }
    if (tok?.t === 'word' && !tok.quoted && STATES.has(tok.v.toUpperCase())) {
      pos++
      expect('(')
      const ref = name()
      expect(')')
      return { kind: 'state', state: tok.v.toUpperCase() as AlarmState, ref }
    }
    throw new AlarmRuleSyntaxError(`unexpected ${tok ? `"${tok.v}"` : 'end of rule'}`)
  }
  const unary = (): RuleNode => {
    if (keyword(peek(), 'NOT')) {
      pos++
      return { kind: 'not', arg: unary() }
    }
    return primary()
  }
  const chain = (kind: 'and' | 'or', next: () => RuleNode): RuleNode => {
    const args = [next()]
    while (keyword(peek(), kind.toUpperCase())) {
      pos++
      args.push(next())
    }
    return args.length === 1 ? args[0]! : { kind, args }
  }
  const and = () => chain('and', unary)
  const or = () => chain('or', and)
  const node = or()
  if (pos !== tokens.length) throw new AlarmRuleSyntaxError(`unexpected "${tokens[pos]!.v}"`)
  return node
}

/** The rule's value when each referenced alarm is in the state `stateOf` gives. */
export function evaluateAlarmRule(node: RuleNode, stateOf: (ref: string) => AlarmState): boolean {
  switch (node.kind) {
    case 'const':
      return node.value
    case 'state':
      return stateOf(node.ref) === node.state
    case 'not':
      return !evaluateAlarmRule(node.arg, stateOf)
    case 'and':
      return node.args.every((a) => evaluateAlarmRule(a, stateOf))
    case 'or':
      return node.args.some((a) => evaluateAlarmRule(a, stateOf))
    case 'atLeast': {
      const hits = node.refs.filter((r) => stateOf(r) === node.state).length
      return node.percent ? hits * 100 >= node.count * node.refs.length : hits >= node.count
    }
  }
}

/**
 * Does this alarm going into ALARM, on its own, make the rule fire? True when the rule is true with
 * the alarm in ALARM and every other alarm it names in OK, and false with the alarm in OK too (so the
 * alarm's state is what makes the difference: `ALARM(a) AND ALARM(b)` needs b as well, and
 * `NOT ALARM(a)` fires on the opposite). A rule that does not parse feeds nothing.
 */
export function firesOn(rule: string, isSelf: (ref: string) => boolean): boolean {
  let node: RuleNode
  try {
    node = parseAlarmRule(rule)
  } catch {
    return false
  }
  return ruleFiresOn(node, isSelf)
}

/** `firesOn` for a rule already parsed. */
export function ruleFiresOn(node: RuleNode, isSelf: (ref: string) => boolean): boolean {
  const withSelf = (s: AlarmState) => (ref: string) => (isSelf(ref) ? s : 'OK')
  return evaluateAlarmRule(node, withSelf('ALARM')) && !evaluateAlarmRule(node, withSelf('OK'))
}
