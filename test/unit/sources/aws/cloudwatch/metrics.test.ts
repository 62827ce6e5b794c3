import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { createClients } from '../../../../../src/sources/aws/clients.js'
import { planMetricQueries } from '../../../../../src/sources/aws/cloudwatch/metric-queries.js'
import {
  collectActivityMetrics,
  fetchSeries,
  listCognitoMetrics,
} from '../../../../../src/sources/aws/cloudwatch/metrics.js'
import { WINDOW } from '../../../../support/activity.js'
import { useDummyAwsEnv } from '../../../../support/aws-env.js'
import { pool } from '../../../../support/pools.js'

useDummyAwsEnv()

const cw = mockClient(CloudWatchClient)
afterEach(() => cw.reset())

const client = () => createClients({ quotas: false, maxAttempts: 1 }).cloudwatch('us-east-1')
const metric = (name: string, dims: Record<string, string>) => ({
  Namespace: 'AWS/Cognito',
  MetricName: name,
  Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
})

describe('planMetricQueries', () => {
  const p1 = { id: 'us-east-1_A', advancedSecurityMode: 'ENFORCED' as const }
  const p2 = { id: 'us-east-1_B', advancedSecurityMode: 'OFF' as const }

  it('asks SampleCount and Sum of *Successes, Sum of *Throttles, per dimension set, only for audited pools', () => {
    const q = planMetricQueries(
      [
        metric('SignInSuccesses', { UserPool: 'us-east-1_A', UserPoolClient: 'c1' }),
        metric('SignInSuccesses', { UserPool: 'us-east-1_A', UserPoolClient: 'c2' }),
        metric('SignInThrottles', { UserPool: 'us-east-1_A', UserPoolClient: 'c1' }),
        metric('SignInSuccesses', { UserPool: 'us-east-1_Other', UserPoolClient: 'c9' }),
        metric('CallCount', { Service: 'Cognito user pool' }),
      ],
      [p1, p2],
    )
    expect(q.map((x) => `${x.id} ${x.metric} ${x.stat} ${x.dimensions.UserPoolClient}`)).toEqual([
      'q0 SignInSuccesses SampleCount c1',
      'q1 SignInSuccesses Sum c1',
      'q2 SignInSuccesses SampleCount c2',
      'q3 SignInSuccesses Sum c2',
      'q4 SignInThrottles Sum c1',
    ])
  })

  it('uses a pool-only dimension set alone when it exists, so nothing is counted twice', () => {
    const q = planMetricQueries(
      [
        metric('SignUpSuccesses', { UserPool: 'us-east-1_A', UserPoolClient: 'c1' }),
        metric('SignUpSuccesses', { UserPool: 'us-east-1_A' }),
      ],
      [p1],
    )
    expect(q.map((x) => x.dimensions)).toEqual([{ UserPool: 'us-east-1_A' }, { UserPool: 'us-east-1_A' }])
  })

  it('reads risk metrics (either spelling, UserPoolId dimension) only when threat protection is on', () => {
    const q = planMetricQueries(
      [
        metric('AccountTakeOverRisk', { UserPoolId: 'us-east-1_A', Operation: 'SignIn', RiskLevel: 'High' }),
        metric('CompromisedCredentialRisk', { UserPoolId: 'us-east-1_A', Operation: 'SignIn', RiskLevel: 'High' }),
        metric('AccountTakeoverRisk', { UserPoolId: 'us-east-1_B', Operation: 'SignIn', RiskLevel: 'High' }),
        metric('AccountTakeoverRisk', { UserPool: 'us-east-1_A', Operation: 'SignIn', RiskLevel: 'High' }),
      ],
      [p1, p2],
    )
    expect(q.map((x) => `${x.poolId} ${x.metric} ${x.stat}`)).toEqual([
      'us-east-1_A AccountTakeOverRisk Sum',
      'us-east-1_A CompromisedCredentialRisk Sum',
    ])
  })
})

describe('listCognitoMetrics', () => {
  it('reads every page of the AWS/Cognito namespace', async () => {
    // The SDK paginator reuses one input object across pages: record a copy of each request as it is sent.
    const sent: unknown[] = []
    cw.on(ListMetricsCommand).callsFake((input) => {
      sent.push({ ...input })
      return sent.length === 1
        ? { Metrics: [metric('SignInSuccesses', { UserPool: 'a' })], NextToken: 't1' }
        : { Metrics: [metric('SignUpSuccesses', { UserPool: 'a' })] }
    })
    const all = await listCognitoMetrics(client())
    expect(all.map((m) => m.MetricName)).toEqual(['SignInSuccesses', 'SignUpSuccesses'])
    expect(sent).toEqual([{ Namespace: 'AWS/Cognito' }, { Namespace: 'AWS/Cognito', NextToken: 't1' }])
  })
})

describe('fetchSeries', () => {
  const queries = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `q${i}`,
      poolId: 'us-east-1_A',
      metric: 'SignInSuccesses',
      stat: 'Sum' as const,
      dimensions: { UserPool: 'us-east-1_A', UserPoolClient: `c${i}` },
    }))

  it('packs 600 queries into 2 GetMetricData calls of at most 500', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] })
    await fetchSeries(client(), queries(600), new Date(WINDOW.previousStart), new Date(WINDOW.end), 3600)
    const calls = cw.commandCalls(GetMetricDataCommand)
    expect(calls).toHaveLength(2)
    const sizes = calls.map((c) => c.args[0].input.MetricDataQueries!.length).sort((a, b) => b - a)
    expect(sizes).toEqual([500, 100])
    const input = calls[0]!.args[0].input
    expect(input.StartTime).toEqual(new Date(WINDOW.previousStart))
    expect(input.EndTime).toEqual(new Date(WINDOW.end))
    expect(input.MetricDataQueries![0]!.MetricStat!.Period).toBe(3600)
    expect(input.MetricDataQueries![0]!.MetricStat!.Metric!.Namespace).toBe('AWS/Cognito')
  })

  it('follows NextToken with the same queries and concatenates datapoints per Id, oldest first', async () => {
    const t = (h: number) => new Date(Date.parse(WINDOW.start) + h * 3_600_000)
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'q0', Timestamps: [t(0), t(1)], Values: [1, 2], StatusCode: 'PartialData' },
          { Id: 'q1', Timestamps: [t(0)], Values: [5], StatusCode: 'Complete' },
        ],
        NextToken: 'page2',
      })
      .resolvesOnce({
        MetricDataResults: [{ Id: 'q0', Timestamps: [t(3), t(2)], Values: [4, 3], StatusCode: 'Complete' }],
      })
    const r = await fetchSeries(client(), queries(2), t(-24), t(24), 3600)
    const calls = cw.commandCalls(GetMetricDataCommand)
    expect(calls).toHaveLength(2)
    expect(calls[1]!.args[0].input.NextToken).toBe('page2')
    expect(calls[1]!.args[0].input.MetricDataQueries).toEqual(calls[0]!.args[0].input.MetricDataQueries)
    expect(r.get('q0')).toEqual({
      points: [
        [t(0).toISOString(), 1],
        [t(1).toISOString(), 2],
        [t(2).toISOString(), 3],
        [t(3).toISOString(), 4],
      ],
    })
    expect(r.get('q1')).toEqual({ points: [[t(0).toISOString(), 5]] })
  })
})

describe('collectActivityMetrics', () => {
  it('lists once, queries all pools of the region in one call and stores raw series per pool', async () => {
    const a = pool({ id: 'us-east-1_A' })
    const b = pool({ id: 'us-east-1_B', advancedSecurityMode: 'OFF' })
    cw.on(ListMetricsCommand).resolves({
      Metrics: [
        metric('SignInSuccesses', { UserPool: a.id, UserPoolClient: 'c1' }),
        metric('SignInSuccesses', { UserPool: b.id, UserPoolClient: 'c2' }),
      ],
    })
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'q2', Timestamps: [new Date(WINDOW.start)], Values: [7], StatusCode: 'Complete' }],
    })
    const r = await collectActivityMetrics(client(), 'us-east-1', [a, b], WINDOW)
    expect(cw.commandCalls(ListMetricsCommand)).toHaveLength(1)
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1)
    expect(r.errors).toEqual([])
    expect(r.metrics!.map((m) => [m.poolId, m.series.length])).toEqual([
      [a.id, 2],
      [b.id, 2],
    ])
    expect(r.metrics![1]!.series[0]).toEqual({
      metric: 'SignInSuccesses',
      stat: 'SampleCount',
      dimensions: { UserPool: b.id, UserPoolClient: 'c2' },
      points: [[WINDOW.start, 7]],
    })
  })

  it('records a ListMetrics denial and leaves metrics undefined (never zero activity)', async () => {
    cw.on(ListMetricsCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied' }))
    const r = await collectActivityMetrics(client(), 'us-east-1', [pool()], WINDOW)
    expect(r.metrics).toBeUndefined()
    expect(r.errors).toMatchObject([{ service: 'cloudwatch', action: 'ListMetrics', code: 'AccessDenied' }])
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(0)
  })

  it('records a series CloudWatch refused as an error of that pool', async () => {
    const a = pool({ id: 'us-east-1_A' })
    cw.on(ListMetricsCommand).resolves({
      Metrics: [metric('SignInThrottles', { UserPool: a.id, UserPoolClient: 'c' })],
    })
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'q0', StatusCode: 'Forbidden' }] })
    const r = await collectActivityMetrics(client(), 'us-east-1', [a], WINDOW)
    expect(r.metrics![0]!.series[0]!.status).toBe('Forbidden')
    expect(r.errors).toMatchObject([{ action: 'GetMetricData', code: 'Forbidden', resource: a.id }])
  })
})
