/** Requirement `activity`: recent sign-in, sign-up, token-refresh and federation failures and throttles. */
import { heldActivityHours } from '../../model/activity-window.js'
import { defineRequirement } from '../../model/requirement.js'
import type { AccountSnapshot } from '../../model/snapshot.js'
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
  method: (a, snapshot) => {
    const asked = a.lookbackHours
    const held = heldWindows(snapshot)
    const hours = held.length === 0 ? asked : (held[0]?.hours ?? asked)
    const how = `(hourly; failures = SampleCount − Sum of the *Successes metrics, throttled attempts included), compared with the ${hours} h before; CloudTrail event history (at most ${a.eventPages} pages of 50 events per region) for error codes`
    // A plan has no history (with or without the live account under it): no threshold is judged on it.
    if (snapshot.source?.kind === 'planned')
      return [
        "does not apply to a plan: activity thresholds need the account's sign-in history, so none is judged before deploy (they are judged by audits of the live account)",
      ]
    // The window the numbers cover, from the snapshot: a saved one may hold another than the policy asks.
    if (held.length === 0 && snapshot.source?.kind === 'saved')
      return ['none: the saved snapshot holds no activity data, so no activity threshold is judged']
    if (held.every((h) => h.hours === asked))
      return [
        'CloudWatch ',
        { code: 'AWS/Cognito' },
        ` metrics over the last ${asked} h ending at the last whole hour ${how}`,
      ]
    const where =
      held.length === 1 ? `${hours} h` : held.map((h) => `${h.hours} h in ${h.regions.join(', ')}`).join(', ')
    return [
      'CloudWatch ',
      { code: 'AWS/Cognito' },
      ` metrics over the last ${where} ending at the last whole hour ${how}. The snapshot holds ${where} of activity; the policy asks for ${asked} h, so no activity threshold is judged (each is an error)`,
    ]
  },
  selectors: (a) =>
    a.enabled
      ? a.overrides.map((o, i) => ({ selector: o.pool, key: `activity.overrides[${i}].pool`, requirement: 'activity' }))
      : [],
  needsLiveAccount: true,
})

/** The activity windows the snapshot's regions hold, by length (regions without activity data left out). */
function heldWindows(snapshot: AccountSnapshot): Array<{ hours: number; regions: string[] }> {
  const by = new Map<number, string[]>()
  for (const r of snapshot.regions) {
    const h = heldActivityHours(snapshot, r)
    if (h !== undefined) by.set(h, [...(by.get(h) ?? []), r.region])
  }
  return [...by].map(([hours, regions]) => ({ hours, regions }))
}
