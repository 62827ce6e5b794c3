/**
 * What a saved snapshot cannot answer for the policy it is audited with. A snapshot collected with a
 * weaker policy (risk alarms off, `event-pages: 0`, a 1 h lookback) holds less than a stricter policy
 * asks; every such gap becomes a NotCollected error in the region section the checks read, so the
 * requirement is reported `error`, naming the gap, and never passes. Where the snapshot records what
 * it was collected with (`collected`, written since it was added), that record is used; older
 * snapshots are judged by what they hold.
 */
import { heldActivityHours } from '../../model/activity-window.js'
import {
  type AccountSnapshot,
  type AwsError,
  type AwsService,
  failedListing,
  type RegionSnapshot,
} from '../../model/snapshot.js'
import type { Policy } from '../../policy/types.js'

/** The code the checks explain as "not collected" (see explainAwsError). */
const NOT_COLLECTED = 'NotCollected'

function gap(region: string, service: AwsService, action: string, message: string): AwsError {
  return { service, action, code: NOT_COLLECTED, message, region }
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`

/** The alarm data the policy needs and the region lacks, as sentences (empty when nothing is missing). */
function alarmGaps(r: RegionSnapshot, policy: Policy): string[] {
  const a = r.alarms
  if (!policy.alarms.enabled || !a) return []
  // A list that failed to load is already an error where the checks look; only absent ones are gaps.
  const out: string[] = []
  if ((policy.alarms.risk.enabled || policy.alarms.throttles.enabled) && !a.cognitoMetrics) {
    out.push('the AWS/Cognito metric list (alarms.cognitoMetrics) the risk and throttle alarms are judged against')
  }
  if (policy.alarms.usage.enabled && !a.usageMetrics) {
    out.push('the AWS/Usage ThrottleCount metric list (alarms.usageMetrics) the usage alarm is judged against')
  }
  return out
}

/** The activity data the policy needs and the region lacks, as sentences. */
function activityGaps(r: RegionSnapshot, snapshot: AccountSnapshot, policy: Policy): string[] {
  const a = r.activity
  if (!policy.activity.enabled || !a) return []
  const out: string[] = []
  const asked = policy.activity.lookbackHours
  const held = heldActivityHours(snapshot, r) ?? a.window.hours
  // Never judged over another window than the policy's: a shorter one could miss what the policy asks
  // about, and a longer one's counts and rates are not the policy's either (and its event-history
  // breakdown cannot be cut to the policy's window).
  if (held !== asked) {
    out.push(
      `The saved snapshot holds ${held} h of activity; the policy asks for ${asked} h. ` +
        `To judge the window it holds, audit it with activity.lookback ${held}h in the policy; or collect it again with this policy.`,
    )
  }
  const pages = policy.activity.eventPages
  const recorded = snapshot.collected?.activity?.eventPages
  const historyFailed = a.errors.some((e) => e.service === 'cloudtrail')
  if (pages > 0 && !a.breakdown && !historyFailed) {
    out.push(
      `The saved snapshot holds no CloudTrail event history (collected with event-pages ${recorded ?? 0}), but the policy reads up to ${pages} pages.`,
    )
  } else if (a.breakdown?.partial && recorded !== undefined && recorded < pages) {
    out.push(
      `The saved snapshot holds the event history only up to ${plural(recorded, 'page')}, but the policy reads up to ${pages}.`,
    )
  }
  return out
}

/**
 * The snapshot with each gap turned into an error where the checks look: a region's alarms become
 * "not collected" (their alarm lists are withheld, so no alarm is credited from a partial record), and
 * its activity likewise (no metrics, so no threshold passes).
 */
export function withCollectionGaps(snapshot: AccountSnapshot, policy: Policy): AccountSnapshot {
  const regions = snapshot.regions.map((r): RegionSnapshot => {
    if (r.cognito.pools.state === 'failed' || r.cognito.pools.items.length === 0) return r
    const out: RegionSnapshot = { ...r }
    const alarms = alarmGaps(r, policy)
    if (alarms.length > 0 && r.alarms) {
      // The alarm lists are withheld (failed with the gap): no alarm is credited from a partial record.
      const withheld = gap(
        r.region,
        'cloudwatch',
        'DescribeAlarms',
        `The saved snapshot lacks ${alarms.join(', and ')}.`,
      )
      out.alarms = {
        metricAlarms: failedListing(withheld),
        compositeAlarms: failedListing(withheld),
        errors: [...r.alarms.errors, withheld],
      }
    }
    const activity = activityGaps(r, snapshot, policy)
    if (activity.length > 0 && r.activity) {
      out.activity = {
        window: r.activity.window,
        errors: [gap(r.region, 'cloudwatch', 'GetMetricData', activity.join(' ')), ...r.activity.errors],
      }
    }
    return out
  })
  return { ...snapshot, regions }
}
