/**
 * Policy errors: every problem found in a policy file (or in the inline inputs), each with the
 * file, line, column and key path, gathered into one error so the user fixes them in one pass.
 *
 * Format of one problem (one line each, sorted by line):
 *   `.github/cognito-compliance.yml:7:5: threat-protection.mode: must be one of AUDIT, ENFORCED (got "ENFORCE")`
 * Without a position (e.g. a missing file, or the inline inputs): `<source>: <path>: <message>`.
 */

import { excerpt } from '../errors.js'

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

/** Problems a PolicyError lists; the rest are counted. */
export const MAX_PROBLEMS_SHOWN = 50

/** An invalid policy. `message` is the formatted problems, one per line; print it as is (no stack trace). */
export class PolicyError extends Error {
  readonly problems: readonly PolicyProblem[]

  constructor(problems: PolicyProblem[]) {
    const all = [...problems].sort(
      (a, b) => a.source.localeCompare(b.source) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
    )
    // A file of thousands of mistakes is not a policy: show the first ones, and how many more there are.
    const sorted = all.slice(0, MAX_PROBLEMS_SHOWN)
    const first = all[0]
    if (first && all.length > MAX_PROBLEMS_SHOWN) {
      sorted.push({
        source: first.source,
        path: '',
        message: `${all.length - MAX_PROBLEMS_SHOWN} more problems not shown`,
      })
    }
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
    else out += `[${excerpt(seg)}]`
  }
  return out
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), in three rolling rows. */
function distance(a: string, b: string): number {
  let before = new Int32Array(b.length + 1)
  let prev = Int32Array.from({ length: b.length + 1 }, (_, j) => j)
  let row = new Int32Array(b.length + 1)
  for (let i = 1; i <= a.length; i++) {
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2]! + 1)
      row[j] = v
    }
    ;[before, prev, row] = [prev, row, before]
  }
  return prev[b.length]!
}

/** The candidate closest to `word` (case-insensitive), if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // A typo of a key or value is short; a long word is not compared (the distance is quadratic in length).
  if (word.length > 64) return undefined
  const w = word.toLowerCase()
  const limit = Math.max(2, Math.floor(w.length / 3))
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    // The distance is at least the difference in length: skip what cannot be close (and a huge word at once).
    if (Math.abs(c.length - w.length) > limit) continue
    const dist = distance(w, c.toLowerCase())
    if (dist < bestDistance) {
      best = c
      bestDistance = dist
    }
  }
  return bestDistance <= limit ? best : undefined
}

/** ` (did you mean "x"?)` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = closest(word, candidates)
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`
}
