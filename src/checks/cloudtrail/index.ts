/** Requirement `cloudtrail`: an active trail in the pool's region records Cognito's management events. */
import { defineRequirement } from '../../model/requirement.js'
import { cloudTrailCapture } from './capture.js'
import { cloudTrailSection } from './policy.js'

export const cloudTrailRequirement = defineRequirement({
  id: 'cloudtrail',
  label: 'CloudTrail',
  field: 'cloudtrail',
  section: cloudTrailSection,
  checks: [cloudTrailCapture],
  enabled: (c) => c.enabled,
  method: (c) => [
    `the trails applying to the region that are logging and have delivered within ${c.maxDeliveryAgeHours} h must together record Cognito's write and read-only management events (each trail what its own selectors match)${c.acceptWriteOnly ? ' (write-only accepted with a warning)' : ''}`,
  ],
  needsLiveAccount: false,
})
