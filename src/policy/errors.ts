/**
 * Policy errors: every problem found in a policy file (or in the inline inputs), each with the
 * file, line, column and key path, gathered into one error so the user fixes them in one pass.
 *
 * Format of one problem (one line each, sorted by line):
 *   `.github/cognito-compliance.yml:7:5: threat-protection.mode: must be one of AUDIT, ENFORCED (got "ENFORCE")`
 * Without a position (e.g. a missing file, or the inline inputs): `<source>: <path>: <message>`.
 */

export interface PolicyProblem {
  /** The policy file as the user named it, or `inputs` for the inline action inputs. */
  source: string
  /** 1-based line and column in the file; absent when the problem has no position. */
  line?: number
  column?: number
  /** Key path inside the document, e.g. `exemptions[0].reason`; empty for the document as a whole. */
  path: string
  message: string
}

export function formatProblem(p: PolicyProblem): string {
  const where = p.line === undefined ? p.source : `${p.source}:${p.line}:${p.column ?? 1}`
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`
}

/** An invalid policy. `message` is the formatted problems, one per line; print it as is (no stack trace). */
export class PolicyError extends Error {
  readonly problems: readonly PolicyProblem[]

  constructor(problems: PolicyProblem[]) {
    const sorted = [...problems].sort(
      (a, b) => a.source.localeCompare(b.source) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
    )
    super(sorted.map(formatProblem).join('\n'))
    this.name = 'PolicyError'
    this.problems = sorted
  }
}

/** `['exemptions', 0, 'reason']` → `exemptions[0].reason`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `[${JSON.stringify(seg)}]`
  }
  return out
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1)
      }
      row[j] = v
    }
  }
  return (d[a.length] as number[])[b.length] as number
}

/** The candidate closest to `word` (case-insensitive), if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    const dist = distance(w, c.toLowerCase())
    if (dist < bestDistance) {
      best = c
      bestDistance = dist
    }
  }
  const limit = Math.max(2, Math.floor(w.length / 3))
  return bestDistance <= limit ? best : undefined
}

/** ` (did you mean "x"?)` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = closest(word, candidates)
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`
}
