/**
 * Which texts contain which patterns, as `text.includes(pattern)` decides, for many patterns and many
 * texts at once: one Aho–Corasick automaton over the patterns, run once over each text, so the cost is
 * the texts' length plus the matches instead of patterns × texts. (A plan of 2,000 pools and alarms
 * asked "does this alarm mention this pool" 4 million times.)
 */

/** For each pattern (by index), the indices of the texts that contain it, ascending. */
export function textsContaining(patterns: readonly string[], texts: readonly string[]): number[][] {
  const found: number[][] = patterns.map(() => [])
  const goto: Array<Map<number, number>> = [new Map()]
  const fail: number[] = [0]
  /** The patterns that end at each state, own and through its failure links. */
  const out: number[][] = [[]]
  const empty: number[] = []
  patterns.forEach((p, k) => {
    if (p === '') {
      empty.push(k)
      return
    }
    let s = 0
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i)
      let next = goto[s]!.get(c)
      if (next === undefined) {
        next = goto.length
        goto.push(new Map())
        fail.push(0)
        out.push([])
        goto[s]!.set(c, next)
      }
      s = next
    }
    out[s]!.push(k)
  })
  // Failure links, breadth first: a state's link is the longest proper suffix of its string that is a state.
  const queue: number[] = [...goto[0]!.values()]
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q]!
    for (const [c, next] of goto[s]!) {
      let f = fail[s]!
      while (f !== 0 && !goto[f]!.has(c)) f = fail[f]!
      const target = goto[f]!.get(c)
      fail[next] = target !== undefined && target !== next ? target : 0
      const inherited = out[fail[next]!]!
      if (inherited.length > 0) out[next] = [...out[next]!, ...inherited]
      queue.push(next)
    }
  }
  const seen = new Int32Array(patterns.length).fill(-1)
  texts.forEach((text, t) => {
    for (const k of empty) found[k]!.push(t)
    let s = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      let next = goto[s]!.get(c)
      while (next === undefined && s !== 0) {
        s = fail[s]!
        next = goto[s]!.get(c)
      }
      s = next ?? 0
      for (const k of out[s]!) {
        if (seen[k] === t) continue
        seen[k] = t
        found[k]!.push(t)
      }
    }
  })
  return found
}
