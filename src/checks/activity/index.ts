/** Requirement `activity`: recent sign-in, sign-up, token-refresh and federation failures and throttles. */
import { defineRequirement } from '../../model/requirement.js'
import { activitySection } from './policy.js'
import { highRiskDetections, signInFailureRate, throttledRequests } from './thresholds.js'

export const activityRequirement = defineRequirement({
  id: 'activity',
  label: 'Activity',
  emptyCell: 'not-judged',
  field: 'activity',
  section: activitySection,
  checks: [signInFailureRate, throttledRequests, highRiskDetections],
  enabled: (a) => a.enabled,
  method: (a) => [
    'CloudWatch ',
    { code: 'AWS/Cognito' },
    ` metrics over the last ${a.lookbackHours} h ending at the last whole hour (hourly; failures = SampleCount − Sum of the *Successes metrics, throttled attempts included), compared with the ${a.lookbackHours} h before; CloudTrail event history (at most ${a.eventPages} pages of 50 events per region) for error codes`,
  ],
  selectors: (a) =>
    a.enabled
      ? a.overrides.map((o, i) => ({ selector: o.pool, key: `activity.overrides[${i}].pool`, requirement: 'activity' }))
      : [],
  needsLiveAccount: true,
})
