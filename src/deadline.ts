/**
 * The whole audit's time limit (input `timeout`, CLI `--timeout`). When it expires every AWS call in
 * flight or still to come fails at once with TimeLimitError; what was collected before is judged, the
 * rest becomes `error` findings ("not collected within the time limit"), and the run fails.
 */
import { excerpt, InputError } from './errors.js'

export const DEFAULT_TIMEOUT_MS = 30 * 60_000
export const MIN_TIMEOUT_MS = 1_000
/** GitHub-hosted jobs end after 6 hours. */
export const MAX_TIMEOUT_MS = 6 * 3_600_000

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 }

/** `30m` → `30 min`; `90s` → `1 min 30 s`; `2s` → `2 s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  const parts: string[] = []
  if (s >= 3600) parts.push(`${Math.floor(s / 3600)} h`)
  if (s % 3600 >= 60) parts.push(`${Math.floor((s % 3600) / 60)} min`)
  if (s % 60 > 0 || parts.length === 0) parts.push(`${s % 60} s`)
  return parts.join(' ')
}

/**
 * Parses a time limit such as `90s`, `30m`, `1h` or `1h30m` (a bare number is minutes). Empty means
 * the default. Throws InputError naming `name` for anything else or anything outside 1 s – 6 h.
 */
export function parseTimeout(value: string | undefined, name: string): number {
  const raw = (value ?? '').trim()
  if (raw === '') return DEFAULT_TIMEOUT_MS
  const bad = () =>
    new InputError(
      `${name} must be a duration such as 90s, 30m or 1h, between ${formatDuration(MIN_TIMEOUT_MS)} and ${formatDuration(MAX_TIMEOUT_MS)} (got ${excerpt(raw)})`,
    )
  let ms = 0
  if (/^\d{1,5}$/.test(raw)) {
    ms = Number(raw) * UNITS.m!
  } else {
    const parts = /^(?:(\d{1,5})h)?(?:(\d{1,5})m)?(?:(\d{1,6})s)?$/.exec(raw)
    if (!parts || raw === '') throw bad()
    ms = Number(parts[1] ?? 0) * UNITS.h! + Number(parts[2] ?? 0) * UNITS.m! + Number(parts[3] ?? 0) * UNITS.s!
  }
  if (ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) throw bad()
  return ms
}

/** What an AWS call started or still waiting at the time limit fails with. */
export class TimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`not collected within the time limit (${formatDuration(limitMs)})`)
    this.name = 'TimeLimitExceeded'
  }
}

/** The audit's clock: `signal` aborts (with a TimeLimitError as its reason) when the limit is reached. */
export class Deadline {
  readonly signal: AbortSignal
  readonly #controller = new AbortController()
  readonly #timer: ReturnType<typeof setTimeout>

  constructor(readonly limitMs: number) {
    this.signal = this.#controller.signal
    this.#timer = setTimeout(() => this.#controller.abort(new TimeLimitError(limitMs)), limitMs)
    // The timer alone never keeps the process alive.
    this.#timer.unref?.()
  }

  get expired(): boolean {
    return this.signal.aborted
  }

  /** Stops the clock (the audit finished in time). */
  clear(): void {
    clearTimeout(this.#timer)
  }
}
