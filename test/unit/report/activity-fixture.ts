/** A two-pool activity snapshot with a failure spike, used by the renderer tests and the golden files. */

import { activitySection } from '../../../src/checks/activity/policy.js'
import type { AccountSnapshot } from '../../../src/model/snapshot.js'
import type { Policy } from '../../../src/policy/types.js'
import { activityRegion, series, successes, WINDOW } from '../../support/activity.js'
import { testPolicy } from '../../support/policy.js'
import { pool, snapshot } from '../../support/pools.js'

export function reportPolicy(personalData = false): Policy {
  return testPolicy({
    activity: activitySection.normalize({ thresholds: { 'max-sign-in-failure-rate': 25 } }, { regions: ['us-east-1'] }),
    report: { personalData },
  })
}

export function reportSnapshot(): AccountSnapshot {
  const web = pool({ id: 'us-east-1_Web', name: 'web <prod> | users', clients: [{ id: 'webclient', name: 'web' }] })
  const off = pool({ id: 'us-east-1_Off', name: 'internal', advancedSecurityMode: 'OFF' })
  const attempts: Record<number, number> = {}
  const ok: Record<number, number> = {}
  for (let h = -24; h < 24; h++) {
    attempts[h] = 100
    ok[h] = h >= 20 && h < 23 ? 40 : 97 // a spike in hours 20–22
  }
  const s = snapshot({ 'us-east-1': [web, off] })
  s.collectedAt = '2026-11-22T04:30:00.000Z'
  const dims = { UserPool: web.id, UserPoolClient: 'webclient' }
  s.regions[0]!.activity = activityRegion({
    window: WINDOW,
    metrics: [
      {
        poolId: web.id,
        series: [
          ...successes('SignIn', web.id, 'webclient', attempts, ok),
          ...successes('SignUp', web.id, 'webclient', { 3: 5 }, { 3: 5 }),
          series('SignInThrottles', 'Sum', { 21: 12 }, dims),
          series(
            'AccountTakeoverRisk',
            'Sum',
            { 21: 2 },
            { UserPoolId: web.id, Operation: 'SignIn', RiskLevel: 'High' },
          ),
        ],
      },
      { poolId: off.id, series: [] },
    ],
    breakdown: {
      pagesRead: 40,
      pageBudget: 40,
      eventsRead: 2000,
      partial: true,
      coveredFrom: '2026-11-21T23:10:00.000Z',
      failures: [
        { poolId: web.id, eventName: 'InitiateAuth', errorCode: 'NotAuthorizedException', count: 180 },
        { poolId: web.id, eventName: 'InitiateAuth', errorCode: 'TooManyRequestsException', count: 12 },
        { poolId: 'unattributed', eventName: 'SignUp', errorCode: 'InvalidParameterException', count: 3 },
      ],
      personal: [
        {
          poolId: web.id,
          distinctSubs: 2,
          distinctSourceIps: 1,
          topSubs: [
            { value: 'sub-1', count: 150 },
            { value: 'sub-2', count: 30 },
          ],
          topSourceIps: [{ value: '203.0.113.9', count: 192 }],
        },
      ],
    },
  })
  return s
}
