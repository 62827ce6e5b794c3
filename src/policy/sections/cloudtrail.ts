/** Policy section `cloudtrail` (issue 4). Owned by the CloudTrail work; placeholder shape. */
export interface CloudTrailPolicy {
  enabled: boolean
}

import type { PolicySection } from '../section.js'

export const cloudTrailSection: PolicySection<CloudTrailPolicy> = {
  key: 'cloudtrail',
  description: 'An active CloudTrail trail records Cognito events in every audited region.',
  schema: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
  normalize: (raw) => ({ enabled: (raw as { enabled?: boolean } | undefined)?.enabled ?? true }),
}
