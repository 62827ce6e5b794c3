/** Policy section `alarms` (issue 3). Owned by the alarms work; placeholder shape. */
export interface AlarmsPolicy {
  enabled: boolean
}

import type { PolicySection } from '../section.js'

export const alarmsSection: PolicySection<AlarmsPolicy> = {
  key: 'alarms',
  description: 'Required CloudWatch alarms on Cognito risk and throttle metrics.',
  schema: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
  normalize: (raw) => ({ enabled: (raw as { enabled?: boolean } | undefined)?.enabled ?? true }),
}
