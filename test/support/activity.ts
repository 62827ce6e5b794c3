/** Builders for activity tests: windows, hourly series and activity snapshots. */

import type { ActivityRegion, ActivityWindow, MetricStatistic, SeriesData } from '../../src/model/activity.js'
import { activityWindow } from '../../src/model/activity-window.js'

/** Audit at 04:30 UTC ⇒ current window 2026-11-21 04:00 → 2026-11-22 04:00, previous the 24 h before. */
export const NOW = new Date('2026-11-22T04:30:00.000Z')
export const WINDOW: ActivityWindow = activityWindow(NOW, 24)

const HOUR = 3_600_000

/** ISO start of hour `i` of the current window (negative = previous window). */
export function hour(i: number, window: ActivityWindow = WINDOW): string {
  return new Date(Date.parse(window.start) + i * HOUR).toISOString()
}

export function series(
  metric: string,
  stat: MetricStatistic,
  values: Record<number, number>,
  dimensions: Record<string, string> = {},
): SeriesData {
  return {
    metric,
    stat,
    dimensions,
    points: Object.entries(values)
      .map(([i, v]): [string, number] => [hour(Number(i)), v])
      .sort((a, b) => a[0].localeCompare(b[0])),
  }
}

/** SampleCount and Sum series of `<kind>Successes` for one app client. attempts/successes by hour index. */
export function successes(
  kind: string,
  poolId: string,
  client: string,
  attempts: Record<number, number>,
  succeeded: Record<number, number>,
): SeriesData[] {
  const dims = { UserPool: poolId, UserPoolClient: client }
  return [series(`${kind}Successes`, 'SampleCount', attempts, dims), series(`${kind}Successes`, 'Sum', succeeded, dims)]
}

export function activityRegion(overrides: Partial<ActivityRegion> = {}): ActivityRegion {
  return { window: WINDOW, metrics: [], errors: [], ...overrides }
}
