/**
 * A service that keeps returning a page token it already returned: the listing stops with an error that
 * names the operation, and the audit reports what depends on it as not verified (never a pass). Over
 * HTTP, against a local server speaking the services' JSON protocols, through the real SDK clients.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../../../src/audit.js'
import { alarmsSection } from '../../../../src/checks/alarms/policy.js'
import { explainAwsError, remediationOf } from '../../../../src/model/aws-error.js'
import { silentLogger } from '../../../../src/model/logger.js'
import { createClients } from '../../../../src/sources/aws/clients.js'
import { collectFailureBreakdown } from '../../../../src/sources/aws/cloudtrail/events.js'
import { fetchSeries } from '../../../../src/sources/aws/cloudwatch/metrics.js'
import { PagingError, paginate, tokenGuard } from '../../../../src/sources/aws/paginate.js'
import { liveSource } from '../../../../src/sources/aws/source.js'
import { testPolicy } from '../../../support/policy.js'

describe('paginate', () => {
  const pagesOf = async (tokens: Array<string | undefined>, maxPages?: number) => {
    const asked: Array<string | undefined> = []
    let i = 0
    const read = async () => {
      for await (const _ of paginate(
        'ListThings',
        async (t) => {
          asked.push(t)
          return { NextToken: tokens[i++] }
        },
        maxPages,
      ));
    }
    return { read, asked }
  }

  it('follows every token to the end', async () => {
    const { read, asked } = await pagesOf(['a', 'b', undefined])
    await read()
    expect(asked).toEqual([undefined, 'a', 'b'])
  })

  it('treats an empty token as the end', async () => {
    const { read, asked } = await pagesOf([''])
    await read()
    expect(asked).toEqual([undefined])
  })

  it('stops on the same token again, with an error naming the operation', async () => {
    const { read, asked } = await pagesOf(['same', 'same', 'same'])
    await expect(read()).rejects.toMatchObject({ name: 'RepeatedNextToken', operation: 'ListThings' })
    expect(asked).toEqual([undefined, 'same'])
  })

  it('stops on a cycle of tokens (a, b, a)', async () => {
    const { read, asked } = await pagesOf(['a', 'b', 'a', 'b'])
    await expect(read()).rejects.toThrow(/ListThings returned a NextToken it had already returned/)
    expect(asked).toEqual([undefined, 'a', 'b'])
  })

  it('stops at the page cap when pages never end', async () => {
    const { read, asked } = await pagesOf(
      Array.from({ length: 20 }, (_, i) => `t${i}`),
      5,
    )
    await expect(read()).rejects.toMatchObject({ name: 'TooManyPages', operation: 'ListThings' })
    expect(asked).toHaveLength(5)
  })

  it('tokenGuard does the same one token at a time', () => {
    const guard = tokenGuard('LookupEvents', 3)
    guard('a')
    expect(() => guard('a')).toThrow(PagingError)
    const capped = tokenGuard('LookupEvents', 2)
    capped('x')
    expect(() => capped('y')).toThrow(/LookupEvents had still more pages after 2/)
    const ends = tokenGuard('LookupEvents', 2)
    ends('x')
    expect(() => ends(undefined)).not.toThrow()
  })
})

/** Answers every call of the JSON protocols with `answers[operation]`; records the operations called. */
function fakeAws(answers: Record<string, unknown>): { server: Server; calls: string[]; url: () => string } {
  const calls: string[] = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '')
      const operation = target.slice(target.lastIndexOf('.') + 1)
      // The account id's STS call (query protocol, no target) is answered 400 and not counted here.
      if (operation) calls.push(operation)
      const body = answers[operation]
      const json = target.startsWith('GraniteService') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1'
      if (body === undefined) {
        res.writeHead(400, { 'content-type': json })
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: operation }))
        return
      }
      res.writeHead(200, { 'content-type': json })
      res.end(JSON.stringify(body))
    })
  })
  return { server, calls, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe('a service that repeats its NextToken, over HTTP', () => {
  const saved = { ...process.env }
  let fake: ReturnType<typeof fakeAws>

  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIATESTTESTTEST'
    process.env.AWS_SECRET_ACCESS_KEY = 'test'
    process.env.AWS_EC2_METADATA_DISABLED = 'true'
  })
  afterAll(() => {
    process.env = saved
  })
  afterEach(() => new Promise<void>((done) => fake.server.close(() => done())))

  async function serve(answers: Record<string, unknown>) {
    fake = fakeAws(answers)
    await new Promise<void>((done) => fake.server.listen(0, '127.0.0.1', done))
    process.env.AWS_ENDPOINT_URL = fake.url()
  }

  it('ListUserPools: the audit stops after the repeat and reports not verified, naming the operation', async () => {
    await serve({ ListUserPools: { UserPools: [{ Id: 'us-east-1_Loop', Name: 'loop' }], NextToken: 'same' } })
    const result = await runAudit({
      policy: testPolicy(),
      source: liveSource({ clients: createClients({ quotas: false, maxAttempts: 1 }) }),
      log: silentLogger,
    })
    expect(fake.calls).toEqual(['ListUserPools', 'ListUserPools'])
    expect(result.compliant).toBe(false)
    expect(result.counts.pass).toBe(0)
    expect(result.counts.error).toBeGreaterThan(0)
    const error = result.snapshot.regions[0]!.cognito.errors[0]!
    expect(error).toMatchObject({ action: 'ListUserPools', code: 'RepeatedNextToken' })
    expect(explainAwsError(error)).toMatch(/^cognito-idp:ListUserPools in us-east-1 failed \(RepeatedNextToken\)/)
    expect(remediationOf(error)).toMatch(/never reached its last page/)
    expect(
      result.findings
        .filter((f) => f.status === 'error')
        .map((f) => f.message)
        .join('\n'),
    ).toMatch(/ListUserPools/)
  })

  it('DescribeAlarms: the alarm requirements are errors, not passes', async () => {
    await serve({
      ListUserPools: { UserPools: [{ Id: 'us-east-1_Loop', Name: 'loop' }] },
      DescribeUserPool: {
        UserPool: { Id: 'us-east-1_Loop', Name: 'loop', UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } },
      },
      ListUserPoolClients: { UserPoolClients: [] },
      DescribeRiskConfiguration: { RiskConfiguration: {} },
      DescribeAlarms: { MetricAlarms: [], CompositeAlarms: [], NextToken: 'same' },
      ListMetrics: { Metrics: [] },
    })
    const policy = testPolicy({ alarms: alarmsSection.normalize({}, { regions: ['us-east-1'] }) })
    const result = await runAudit({
      policy,
      source: liveSource({ clients: createClients({ quotas: false, maxAttempts: 1 }) }),
      log: silentLogger,
    })
    expect(fake.calls.filter((c) => c === 'DescribeAlarms')).toHaveLength(2)
    const alarms = result.findings.filter((f) => f.checkId.startsWith('alarms'))
    expect(alarms.length).toBeGreaterThan(0)
    expect(alarms.every((f) => f.status === 'error')).toBe(true)
    expect(result.snapshot.regions[0]!.alarms?.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'DescribeAlarms', code: 'RepeatedNextToken' })]),
    )
  })
})

describe('token loops outside the SDK paginators', () => {
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIATESTTESTTEST'
    process.env.AWS_SECRET_ACCESS_KEY = 'test'
    process.env.AWS_EC2_METADATA_DISABLED = 'true'
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9'
  })

  it('GetMetricData rejects with the paging error instead of looping', async () => {
    const cw = mockClient(CloudWatchClient)
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [], NextToken: 'same' })
    const client = createClients({ quotas: false, maxAttempts: 1 }).cloudwatch('us-east-1')
    const q = { id: 'q0', poolId: 'p', metric: 'SignInSuccesses', stat: 'Sum' as const, dimensions: { UserPool: 'p' } }
    await expect(fetchSeries(client, [q as never], new Date(0), new Date(3_600_000), 3600)).rejects.toMatchObject({
      name: 'RepeatedNextToken',
      operation: 'GetMetricData',
    })
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2)
    cw.restore()
  })

  it('LookupEvents records the error and marks the breakdown partial, within its page budget', async () => {
    const ct = mockClient(CloudTrailClient)
    ct.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'same' })
    const client = createClients({ quotas: false, maxAttempts: 1 }).cloudtrail('us-east-1')
    const window = {
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-01-02T00:00:00.000Z',
      previousStart: '2025-12-31T00:00:00.000Z',
      periodSeconds: 3600,
    }
    const out = await collectFailureBreakdown(client, 'us-east-1', [], window as never, 10, false)
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(2)
    expect(out.errors.map((e) => [e.action, e.code])).toEqual([['LookupEvents', 'RepeatedNextToken']])
    expect(out.breakdown?.partial).toBe(true)
    ct.restore()
  })
})
