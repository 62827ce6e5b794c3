/** The activity windows: the last `hours` whole hours before the audit time, and the same length before that. */
import type { ActivityWindow } from './activity.js'
import type { AccountSnapshot, RegionSnapshot } from './snapshot.js'

export const PERIOD_SECONDS = 3600
const HOUR_MS = 3_600_000

export function activityWindow(now: Date, hours: number): ActivityWindow {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS
  const start = end - hours * HOUR_MS
  const previousStart = start - hours * HOUR_MS
  return {
    previousStart: new Date(previousStart).toISOString(),
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    hours,
    periodSeconds: PERIOD_SECONDS,
  }
}

/** ISO start of every hour of the current window, oldest first. */
export function windowHours(window: ActivityWindow): string[] {
  const start = Date.parse(window.start)
  return Array.from({ length: window.hours }, (_, i) => new Date(start + i * HOUR_MS).toISOString())
}

/** Whole hours between two ISO times (rounded down, at least 0). */
export function hoursBetween(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / HOUR_MS))
}

/**
 * The hours of activity a region of the snapshot holds: what the snapshot records it was collected with
 * (`collected.activity.lookbackHours`) and the window its data covers, the shorter if they disagree.
 * A snapshot written before the record was kept has only the window: its data says what it covers.
 */
export function heldActivityHours(snapshot: AccountSnapshot, r: RegionSnapshot): number | undefined {
  const window = r.activity?.window.hours
  const recorded = snapshot.collected?.activity?.lookbackHours
  if (window === undefined) return undefined
  return recorded === undefined ? window : Math.min(window, recorded)
}
