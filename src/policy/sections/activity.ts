/** Policy section `activity` (issue 5). Owned by the activity work; placeholder shape. */
export interface ActivityPolicy {
  enabled: boolean
  /** Lookback window in hours. Default 24. */
  lookbackHours: number
}

import type { PolicySection } from '../section.js'

export const activitySection: PolicySection<ActivityPolicy> = {
  key: 'activity',
  description: 'Recent sign-in, sign-up and token-refresh activity in the job summary, with optional thresholds.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { enabled: { type: 'boolean' }, lookback: { type: 'string', pattern: '^[1-9][0-9]*h$' } },
  },
  normalize: (raw) => {
    const r = raw as { enabled?: boolean; lookback?: string } | undefined
    return { enabled: r?.enabled ?? true, lookbackHours: r?.lookback ? Number.parseInt(r.lookback, 10) : 24 }
  },
}
