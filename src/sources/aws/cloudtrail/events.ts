/**
 * Failed Cognito authentication calls from CloudTrail event history: LookupEvents filtered
 * by EventSource over the activity window, newest first, 50 events per page, at most `pageBudget` pages
 * per region (the API allows 2 requests/s). Events are tallied into counts and never kept beyond that.
 */
import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import type { ActivityWindow, EventBreakdown } from '../../../model/activity.js'
import { COGNITO_EVENT_SOURCE } from '../../../model/cloudtrail.js'
import type { AwsError } from '../../../model/snapshot.js'
import { toAwsError } from '../errors.js'
import { tokenGuard } from '../paginate.js'
import { FailureTally, type PoolRef } from './failure-tally.js'

export const EVENTS_PER_PAGE = 50

export interface BreakdownResult {
  /** Undefined when not even the first page could be read. */
  breakdown?: EventBreakdown
  errors: AwsError[]
}

export async function collectFailureBreakdown(
  client: CloudTrailClient,
  region: string,
  pools: PoolRef[] | Promise<PoolRef[]>,
  window: ActivityWindow,
  pageBudget: number,
  personalData: boolean,
): Promise<BreakdownResult> {
  // Pages are read while the pools may still be being described; their events are tallied once the
  // pools (and so the app clients that attribute an event) are known. At most pageBudget × 50 records.
  const records: Array<[string | undefined, string | undefined]> = []
  let pagesRead = 0
  let eventsRead = 0
  let oldest: string | undefined
  let NextToken: string | undefined
  const errors: AwsError[] = []
  let failed = false
  const guard = tokenGuard('LookupEvents')
  while (pagesRead < pageBudget) {
    try {
      const page = await client.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: COGNITO_EVENT_SOURCE }],
          StartTime: new Date(window.start),
          EndTime: new Date(window.end),
          MaxResults: EVENTS_PER_PAGE,
          ...(NextToken ? { NextToken } : {}),
        }),
      )
      pagesRead++
      for (const e of page.Events ?? []) {
        eventsRead++
        if (e.EventTime) {
          const t = new Date(e.EventTime).toISOString()
          if (oldest === undefined || t < oldest) oldest = t
        }
        records.push([e.CloudTrailEvent, e.EventName])
      }
      NextToken = page.NextToken
      guard(NextToken)
    } catch (err) {
      errors.push(toAwsError(err, 'cloudtrail', 'LookupEvents', region))
      failed = true
      break
    }
    if (!NextToken) break
  }
  if (failed && pagesRead === 0) return { errors }
  const tally = new FailureTally(await pools, personalData)
  for (const [record, name] of records) tally.add(record, name)
  // More pages remained (budget spent, or a page failed) ⇒ only [oldest event read, end) is covered.
  const partial = failed || NextToken !== undefined
  const breakdown: EventBreakdown = {
    pagesRead,
    pageBudget,
    eventsRead,
    partial,
    failures: tally.failures(),
  }
  if (partial) breakdown.coveredFrom = oldest ?? window.end
  const personal = tally.personal()
  if (personal) breakdown.personal = personal
  return { breakdown, errors }
}
