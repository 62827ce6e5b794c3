import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  ListMetricsCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { normalizeAlarms } from '../../../../../src/checks/alarms/policy.js'
import { silentLogger } from '../../../../../src/model/logger.js'
import { createClients } from '../../../../../src/sources/aws/clients.js'
import { collectAlarms, toMetricAlarm } from '../../../../../src/sources/aws/cloudwatch/alarms.js'
import { useDummyAwsEnv } from '../../../../support/aws-env.js'
import { testPolicy } from '../../../../support/policy.js'
import { itemsOf, pool } from '../../../../support/pools.js'

useDummyAwsEnv()

const cw = mockClient(CloudWatchClient)
afterEach(() => cw.reset())

const ctx = () => ({ clients: createClients({ quotas: false, maxAttempts: 1 }), now: new Date(), log: silentLogger })
const policy = (raw: Record<string, unknown> = {}) => testPolicy({ alarms: normalizeAlarms(raw) })

const cognitoAlarm = (i: number): MetricAlarm => ({
  AlarmName: `ato-${i}`,
  AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:ato-${i}`,
  ActionsEnabled: true,
  AlarmActions: ['arn:aws:sns:us-east-1:123456789012:t'],
  OKActions: ['arn:aws:sns:us-east-1:123456789012:ok'],
  AlarmDescription: 'not kept',
  StateValue: 'OK',
  StateReason: 'not kept',
  Namespace: 'AWS/Cognito',
  MetricName: 'AccountTakeoverRisk',
  Dimensions: [
    { Name: 'UserPoolId', Value: `us-east-1_P${i}` },
    { Name: 'Operation', Value: 'SignIn' },
    { Name: 'RiskLevel', Value: 'High' },
  ],
  Statistic: 'Sum',
  Period: 300,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
})

/** Inputs as sent (the SDK paginator reuses one input object, so the mock's own record shows only the last state). */
let sent: Array<Record<string, unknown>> = []
afterEach(() => {
  sent = []
})

/** Pages of 100 like the service: 250 alarms (a few unrelated), plus one composite on the last page. */
function mockAlarmPages() {
  const all: MetricAlarm[] = Array.from({ length: 250 }, (_, i) =>
    i % 50 === 7
      ? { AlarmName: `cpu-${i}`, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average' }
      : cognitoAlarm(i),
  )
  cw.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => {
    sent.push(JSON.parse(JSON.stringify(input)))
    const start = input.NextToken ? Number(input.NextToken) : 0
    const end = start + (input.MaxRecords ?? 50)
    return {
      MetricAlarms: all.slice(start, end),
      CompositeAlarms:
        end >= all.length ? [{ AlarmName: 'security', AlarmRule: 'ALARM("ato-1")', ActionsEnabled: true }] : [],
      NextToken: end < all.length ? String(end) : undefined,
    }
  })
}

describe('collectAlarms', () => {
  it('reads every alarm of the region in ONE paginated DescribeAlarms sequence, whatever the pool count', async () => {
    mockAlarmPages()
    cw.on(ListMetricsCommand).resolves({ Metrics: [] })
    const pools = Array.from({ length: 7 }, () => pool())
    const out = await collectAlarms(ctx(), 'us-east-1', pools, policy())
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(3)
    expect(sent).toEqual([
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 },
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: '100' },
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: '200' },
    ])
    expect(out.errors).toEqual([])
    expect(itemsOf(out.metricAlarms)).toHaveLength(245) // 5 EC2 alarms dropped
    expect(itemsOf(out.metricAlarms!).some((a) => a.name.startsWith('cpu-'))).toBe(false)
    expect(itemsOf(out.metricAlarms!).map((a) => a.name)).toContain('ato-249')
    expect(itemsOf(out.compositeAlarms)).toEqual([
      { name: 'security', actionsEnabled: true, alarmActions: [], alarmRule: 'ALARM("ato-1")' },
    ])
  })

  it('keeps only the fields the checks read, as plain data', async () => {
    mockAlarmPages()
    cw.on(ListMetricsCommand).resolves({})
    const out = await collectAlarms(ctx(), 'us-east-1', [pool()], policy())
    expect(itemsOf(out.metricAlarms)[0]).toEqual({
      name: 'ato-0',
      arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ato-0',
      actionsEnabled: true,
      alarmActions: ['arn:aws:sns:us-east-1:123456789012:t'],
      metric: {
        namespace: 'AWS/Cognito',
        metricName: 'AccountTakeoverRisk',
        dimensions: [
          { name: 'UserPoolId', value: 'us-east-1_P0' },
          { name: 'Operation', value: 'SignIn' },
          { name: 'RiskLevel', value: 'High' },
        ],
      },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    })
    expect(JSON.parse(JSON.stringify(out))).toEqual(out)
  })

  it('lists AWS/Cognito and AWS/Usage ThrottleCount metrics once each, fully paginated, keeping Cognito usage only', async () => {
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] })
    const usagePage = {
      Metrics: [
        {
          Namespace: 'AWS/Usage',
          MetricName: 'ThrottleCount',
          Dimensions: [
            { Name: 'Service', Value: 'Cognito user pool' },
            { Name: 'Resource', Value: 'UserAuthentication' },
          ],
        },
        { Namespace: 'AWS/Usage', MetricName: 'ThrottleCount', Dimensions: [{ Name: 'Service', Value: 'DynamoDB' }] },
      ],
    }
    cw.on(ListMetricsCommand).callsFake((input: Record<string, unknown>) => {
      sent.push(JSON.parse(JSON.stringify(input)))
      if (input.Namespace === 'AWS/Usage') return usagePage
      if (!input.NextToken) {
        return {
          Metrics: [
            { Namespace: 'AWS/Cognito', MetricName: 'SignInThrottles', Dimensions: [{ Name: 'UserPool', Value: 'p' }] },
          ],
          NextToken: 'n1',
        }
      }
      return { Metrics: [{ Namespace: 'AWS/Cognito', MetricName: 'AccountTakeOverRisk', Dimensions: [] }] }
    })
    const out = await collectAlarms(ctx(), 'us-east-1', [pool(), pool(), pool()], policy())
    expect(sent).toEqual([
      { Namespace: 'AWS/Cognito' },
      { Namespace: 'AWS/Usage', MetricName: 'ThrottleCount' },
      { Namespace: 'AWS/Cognito', NextToken: 'n1' },
    ])
    expect(itemsOf(out.cognitoMetrics!).map((m) => m.metricName)).toEqual(['SignInThrottles', 'AccountTakeOverRisk'])
    expect(itemsOf(out.usageMetrics!).map((m) => m.dimensions[0]!.value)).toEqual(['Cognito user pool'])
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(1)
  })

  it('reads only what the policy needs, and nothing in a region without pools', async () => {
    cw.on(DescribeAlarmsCommand).resolves({})
    cw.on(ListMetricsCommand).resolves({})
    await collectAlarms(ctx(), 'us-east-1', [pool()], policy({ usage: { enabled: false } }))
    expect(cw.commandCalls(ListMetricsCommand).map((c) => c.args[0].input.Namespace)).toEqual(['AWS/Cognito'])
    cw.resetHistory()
    await collectAlarms(
      ctx(),
      'us-east-1',
      [pool()],
      policy({ risk: { enabled: false }, throttles: { enabled: false } }),
    )
    expect(cw.commandCalls(ListMetricsCommand).map((c) => c.args[0].input.Namespace)).toEqual(['AWS/Usage'])
    cw.resetHistory()
    const none = await collectAlarms(ctx(), 'us-east-1', [], policy())
    expect(cw.calls()).toHaveLength(0)
    expect(none).toEqual({ errors: [] })
  })

  it('stops with an error naming the operation when a faulty endpoint repeats the same NextToken', async () => {
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [cognitoAlarm(1)], NextToken: 'same' })
    cw.on(ListMetricsCommand).resolves({ Metrics: [], NextToken: 'again' })
    const out = await collectAlarms(ctx(), 'us-east-1', [pool()], policy())
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(2)
    expect(cw.commandCalls(ListMetricsCommand)).toHaveLength(4)
    // an incomplete listing is not a listing: nothing to judge, an error instead
    expect(out.metricAlarms).toMatchObject({ state: 'failed', error: { action: 'DescribeAlarms' } })
    expect(out.cognitoMetrics).toMatchObject({ state: 'failed', error: { action: 'ListMetrics' } })
    expect(out.errors.map((e) => [e.action, e.code])).toEqual(
      expect.arrayContaining([
        ['DescribeAlarms', 'RepeatedNextToken'],
        ['ListMetrics', 'RepeatedNextToken'],
      ]),
    )
  })

  it('records AccessDenied on DescribeAlarms and ListMetrics in errors and leaves the lists failed', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: cloudwatch:DescribeAlarms'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    })
    cw.on(DescribeAlarmsCommand).rejects(denied)
    cw.on(ListMetricsCommand, { Namespace: 'AWS/Cognito' }).rejects(
      Object.assign(new Error('no ListMetrics'), { name: 'AccessDenied' }),
    )
    cw.on(ListMetricsCommand, { Namespace: 'AWS/Usage', MetricName: 'ThrottleCount' }).resolves({ Metrics: [] })
    const out = await collectAlarms(ctx(), 'us-east-1', [pool()], policy())
    // Failed lists, never empty ones; the one that was read is loaded.
    expect(out.metricAlarms).toMatchObject({ state: 'failed', error: { action: 'DescribeAlarms' } })
    expect(out.compositeAlarms).toMatchObject({ state: 'failed', error: { action: 'DescribeAlarms' } })
    expect(out.cognitoMetrics).toMatchObject({ state: 'failed', error: { action: 'ListMetrics', resource: 'AWS/Cognito' } })
    expect(out.usageMetrics).toEqual({ state: 'loaded', items: [] })
    expect(out.errors.map((e) => [e.service, e.action, e.code, e.resource])).toEqual(
      expect.arrayContaining([
        ['cloudwatch', 'DescribeAlarms', 'AccessDenied', undefined],
        ['cloudwatch', 'ListMetrics', 'AccessDenied', 'AWS/Cognito'],
      ]),
    )
    expect(out.errors).toHaveLength(2)
  })
})

describe('toMetricAlarm', () => {
  it('keeps metric-math queries with ReturnData defaulting to true, and defaults ActionsEnabled to true', () => {
    const a = toMetricAlarm({
      AlarmName: 'math',
      Metrics: [
        {
          Id: 'm1',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Cognito',
              MetricName: 'SignInThrottles',
              Dimensions: [{ Name: 'UserPool', Value: 'p' }],
            },
            Period: 300,
            Stat: 'Sum',
          },
        },
        { Id: 'e1', Expression: 'm1 * 2' },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
    })
    expect(a).toEqual({
      name: 'math',
      actionsEnabled: true,
      alarmActions: [],
      queries: [
        {
          id: 'm1',
          returnData: false,
          metric: {
            namespace: 'AWS/Cognito',
            metricName: 'SignInThrottles',
            dimensions: [{ name: 'UserPool', value: 'p' }],
          },
          stat: 'Sum',
          period: 300,
        },
        { id: 'e1', returnData: true, expression: 'm1 * 2' },
      ],
      threshold: 1,
      comparisonOperator: 'GreaterThanThreshold',
    })
  })
})
