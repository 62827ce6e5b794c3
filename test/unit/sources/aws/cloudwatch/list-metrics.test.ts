import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { listMetricsOnce } from '../../../../../src/sources/aws/cloudwatch/list-metrics.js'

const cw = mockClient(CloudWatchClient)
const client = () =>
  new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })

beforeEach(() => cw.reset())

describe('listMetricsOnce', () => {
  it('reads a namespace once per client, however many collectors ask, and follows every page', async () => {
    const sent: unknown[] = []
    cw.on(ListMetricsCommand).callsFake((input) => {
      sent.push({ ...input })
      return sent.length === 1 ? { Metrics: [{ MetricName: 'A' }], NextToken: 't' } : { Metrics: [{ MetricName: 'B' }] }
    })
    const c = client()
    const [x, y] = await Promise.all([listMetricsOnce(c, 'AWS/Cognito'), listMetricsOnce(c, 'AWS/Cognito')])
    expect(x.map((m) => m.MetricName)).toEqual(['A', 'B'])
    expect(y).toBe(x)
    expect(sent).toEqual([{ Namespace: 'AWS/Cognito' }, { Namespace: 'AWS/Cognito', NextToken: 't' }])
  })

  it('keeps namespaces, metric names and clients (regions, runs) apart', async () => {
    cw.on(ListMetricsCommand).resolves({ Metrics: [] })
    const c = client()
    await listMetricsOnce(c, 'AWS/Cognito')
    await listMetricsOnce(c, 'AWS/Usage', 'ThrottleCount')
    await listMetricsOnce(client(), 'AWS/Cognito')
    expect(cw.commandCalls(ListMetricsCommand)).toHaveLength(3)
  })

  it('shares a failure with every caller (each records its own error)', async () => {
    cw.on(ListMetricsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }))
    const c = client()
    await expect(listMetricsOnce(c, 'AWS/Cognito')).rejects.toThrow('denied')
    await expect(listMetricsOnce(c, 'AWS/Cognito')).rejects.toThrow('denied')
    expect(cw.commandCalls(ListMetricsCommand)).toHaveLength(1)
  })
})
