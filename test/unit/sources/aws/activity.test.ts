import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { activitySection } from '../../../../src/checks/activity/policy.js'
import { poolActivity } from '../../../../src/checks/activity/stats.js'
import { silentLogger } from '../../../../src/model/logger.js'
import { collectActivity } from '../../../../src/sources/aws/activity.js'
import { createClients } from '../../../../src/sources/aws/clients.js'
import { NOW, WINDOW } from '../../../support/activity.js'
import { useDummyAwsEnv } from '../../../support/aws-env.js'
import { testPolicy } from '../../../support/policy.js'
import { pool } from '../../../support/pools.js'

useDummyAwsEnv()

const cw = mockClient(CloudWatchClient)
const ct = mockClient(CloudTrailClient)
afterEach(() => {
  cw.reset()
  ct.reset()
})

const ctx = () => ({ clients: createClients({ quotas: false, maxAttempts: 1 }), now: NOW, log: silentLogger })
const policy = (raw: unknown, personalData = false) =>
  testPolicy({ activity: activitySection.normalize(raw, { regions: ['us-east-1'] }), report: { personalData } })

describe('collectActivity', () => {
  it('reads metrics and the breakdown for the window ending at the last whole hour, JSON-safe', async () => {
    const p = pool({ id: 'us-east-1_A', clients: [{ id: 'cA', name: 'web' }] })
    cw.on(ListMetricsCommand).resolves({
      Metrics: [
        {
          MetricName: 'SignInSuccesses',
          Dimensions: [
            { Name: 'UserPool', Value: p.id },
            { Name: 'UserPoolClient', Value: 'cA' },
          ],
        },
      ],
    })
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', Timestamps: [new Date(WINDOW.start)], Values: [10], StatusCode: 'Complete' },
        { Id: 'q1', Timestamps: [new Date(WINDOW.start)], Values: [4], StatusCode: 'Complete' },
      ],
    })
    ct.on(LookupEventsCommand).resolves({
      Events: [
        {
          EventName: 'InitiateAuth',
          EventTime: new Date(WINDOW.start),
          CloudTrailEvent: JSON.stringify({
            eventName: 'InitiateAuth',
            errorCode: 'NotAuthorizedException',
            requestParameters: { clientId: 'cA' },
          }),
        },
      ],
    })
    const a = await collectActivity(ctx(), 'us-east-1', [p], policy({}))
    expect(a.window).toEqual(WINDOW)
    expect(a.errors).toEqual([])
    expect(JSON.parse(JSON.stringify(a))).toEqual(a)
    const stats = poolActivity(a.window, a.metrics![0], p.id)
    expect(stats.kinds[0]!.current).toEqual({ attempts: 10, successes: 4, failures: 6, rate: 60 })
    expect(a.breakdown!.failures).toEqual([
      { poolId: p.id, eventName: 'InitiateAuth', errorCode: 'NotAuthorizedException', count: 1 },
    ])
  })

  it('skips the CloudTrail lookup when event-pages is 0', async () => {
    cw.on(ListMetricsCommand).resolves({ Metrics: [] })
    const a = await collectActivity(ctx(), 'us-east-1', [pool()], policy({ 'event-pages': 0, lookback: '6h' }))
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(0)
    expect(a.breakdown).toBeUndefined()
    expect(a.window.hours).toBe(6)
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0) // nothing listed ⇒ nothing to query
    expect(a.metrics).toEqual([{ poolId: expect.any(String), series: [] }])
  })

  it('makes no AWS call for a region without audited pools', async () => {
    const a = await collectActivity(ctx(), 'us-east-1', [], policy({}))
    expect(cw.calls()).toHaveLength(0)
    expect(ct.calls()).toHaveLength(0)
    expect(a).toEqual({ window: WINDOW, metrics: [], errors: [] })
  })
})
