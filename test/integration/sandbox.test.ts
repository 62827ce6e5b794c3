/**
 * The sandbox with the real JS SDK clients: emulated APIs answer in AWS's wire format, faults
 * carry each service's real error codes (the SDK retries throttling and surfaces AccessDenied
 * under the right name), quotas throttle, the call log and control API work, and stop() leaves
 * no process behind.
 */
import { CloudTrailClient, GetEventSelectorsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch'
import {
  CognitoIdentityProviderClient,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../sandbox/index.js'
import { sdkConfig, useSandbox } from './helpers/sandbox.js'

const R = 'eu-west-1'
const scenario = `
regions:
  ${R}:
    pools:
      - name: enforced
        mode: ENFORCED
        clients: [web, mobile]
        risk:
          compromised-credentials: { action: BLOCK }
          account-takeover: { high: BLOCK, medium: MFA_REQUIRED, low: NO_ACTION }
        # mobile has its own, weaker configuration
      - name: off
        mode: OFF
      - name: audit-plain
        mode: AUDIT
        tier: ESSENTIALS
    alarms:
      - { name: m1, metric: SignInThrottles, pool: enforced, client: web, threshold: 10 }
      - { name: m2, metric: AccountTakeoverRisk, pool: enforced, dimensions: { Operation: SignIn, RiskLevel: High } }
      - { name: m3, metric: CPUUtilization, namespace: AWS/EC2, dimensions: { InstanceId: i-1 } }
      - { name: c1, rule: "ALARM(m1) OR ALARM(m2)" }
    trails:
      - { name: plain-trail }
      - name: stopped-trail
        logging: false
        event-selectors: [{ ReadWriteType: ReadOnly, IncludeManagementEvents: true }]
    metrics:
      - { pool: enforced, client: web, from: -3h, requests: 50, failure-rate: 0.2 }
    events:
      - { pool: enforced, client: web, error: UserNotFoundException, count: 3, at: -2h }
      - { pool: enforced, client: web, count: 2, at: -30m }
`

describe('sandbox with the JS SDK', () => {
  const ctx = useSandbox({ region: R, scenario })
  const cognito = (maxAttempts = 3) => new CognitoIdentityProviderClient(sdkConfig(ctx.sandbox, R, maxAttempts))
  const cloudwatch = (maxAttempts = 3) => new CloudWatchClient(sdkConfig(ctx.sandbox, R, maxAttempts))
  const cloudtrail = (maxAttempts = 3) => new CloudTrailClient(sdkConfig(ctx.sandbox, R, maxAttempts))
  const pool = (name: string) => ctx.seeded.pools[name]!
  /** The seeded sign-in series of the `enforced` pool's web client. */
  const webSignIns = () => ({
    Namespace: 'AWS/Cognito',
    MetricName: 'SignInSuccesses',
    Dimensions: [
      { Name: 'UserPool', Value: pool('enforced') },
      { Name: 'UserPoolClient', Value: ctx.seeded.clients['enforced/web']! },
    ],
  })

  describe('emulated APIs', () => {
    it('returns pool-level and client-level risk configurations', async () => {
      const c = cognito()
      const poolLevel = await c.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool('enforced') }))
      expect(poolLevel.RiskConfiguration?.CompromisedCredentialsRiskConfiguration?.Actions?.EventAction).toBe('BLOCK')
      expect(poolLevel.RiskConfiguration?.AccountTakeoverRiskConfiguration?.Actions?.MediumAction?.EventAction).toBe(
        'MFA_REQUIRED',
      )
      expect(poolLevel.RiskConfiguration?.LastModifiedDate).toBeInstanceOf(Date)
      // A client without its own configuration: only the ids come back.
      const mobile = ctx.seeded.clients['enforced/mobile']!
      const clientLevel = await c.send(
        new DescribeRiskConfigurationCommand({ UserPoolId: pool('enforced'), ClientId: mobile }),
      )
      expect(clientLevel.RiskConfiguration).toEqual({ UserPoolId: pool('enforced'), ClientId: mobile })
    })

    it('refuses risk configuration with UserPoolAddOnNotEnabledException / ResourceNotFoundException', async () => {
      const c = cognito()
      await expect(c.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool('off') }))).rejects.toMatchObject({
        name: 'UserPoolAddOnNotEnabledException',
      })
      await expect(
        c.send(new DescribeRiskConfigurationCommand({ UserPoolId: `${R}_doesnotexist` })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
      await expect(
        c.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool('enforced'), ClientId: 'nosuchclient' })),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
    })

    it('reports UserPoolTier: the seeded plan, ESSENTIALS when none was set', async () => {
      const c = cognito()
      const enforced = await c.send(new DescribeUserPoolCommand({ UserPoolId: pool('enforced') }))
      expect(enforced.UserPool?.UserPoolTier).toBe('PLUS')
      const plain = await c.send(new DescribeUserPoolCommand({ UserPoolId: pool('audit-plain') }))
      expect(plain.UserPool?.UserPoolTier).toBe('ESSENTIALS')
      expect(plain.UserPool?.UserPoolAddOns?.AdvancedSecurityMode).toBe('AUDIT')
    })

    it('merges composite alarms into DescribeAlarms and pages with MaxRecords', async () => {
      const cw = cloudwatch()
      const metricOnly = await cw.send(new DescribeAlarmsCommand({}))
      expect(metricOnly.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['m1', 'm2', 'm3'])
      expect(metricOnly.CompositeAlarms).toEqual([])
      const names: string[] = []
      let token: string | undefined
      let pages = 0
      do {
        const page = await cw.send(
          new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 3, NextToken: token }),
        )
        pages++
        names.push(
          ...(page.MetricAlarms ?? []).map((a) => a.AlarmName!),
          ...(page.CompositeAlarms ?? []).map((a) => a.AlarmName!),
        )
        token = page.NextToken
      } while (token)
      expect(pages).toBe(2)
      expect(names).toEqual(['m1', 'm2', 'm3', 'c1'])
      const composite = await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }))
      expect(composite.CompositeAlarms?.[0]).toMatchObject({ AlarmName: 'c1', AlarmRule: 'ALARM(m1) OR ALARM(m2)' })
      expect(composite.CompositeAlarms?.[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date)
    })

    it('evaluates metric math over SampleCount and Sum (moto returns nothing for expressions)', async () => {
      const metric = webSignIns()
      const now = Date.parse(ctx.seeded.now)
      const out = await cloudwatch().send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 4 * 3_600_000),
          EndTime: new Date(now + 60_000),
          MetricDataQueries: [
            { Id: 'm1', MetricStat: { Metric: metric, Period: 3600, Stat: 'SampleCount' }, ReturnData: false },
            { Id: 'm2', MetricStat: { Metric: metric, Period: 3600, Stat: 'Sum' }, ReturnData: false },
            { Id: 'failed', Expression: 'm1 - m2' },
            { Id: 'rate', Expression: '100 * (m1 - m2) / m1' },
          ],
        }),
      )
      expect(out.MetricDataResults?.map((r) => r.Id)).toEqual(['failed', 'rate'])
      const [failed, rate] = out.MetricDataResults!
      expect(failed!.Values!.length).toBeGreaterThanOrEqual(3)
      expect(failed!.Values!.every((v) => v === 10)).toBe(true)
      expect(rate!.Values!.every((v) => v === 20)).toBe(true)
      expect(failed!.Timestamps![0]!.getTime()).toBeGreaterThan(failed!.Timestamps![1]!.getTime())
    })

    it('GetMetricData: pages datapoints by MaxDatapoints with NextToken, and refuses more than 500 queries', async () => {
      const metric = webSignIns()
      const now = Date.parse(ctx.seeded.now)
      const base = {
        StartTime: new Date(now - 4 * 3_600_000),
        EndTime: new Date(now + 60_000),
        ScanBy: 'TimestampAscending' as const,
        MetricDataQueries: (['SampleCount', 'Sum'] as const).map((Stat, i) => ({
          Id: `q${i}`,
          MetricStat: { Metric: metric, Period: 3600, Stat },
        })),
      }
      const whole = await cloudwatch().send(new GetMetricDataCommand(base))
      expect(whole.NextToken).toBeUndefined()
      const total = whole.MetricDataResults!.reduce((n, r) => n + r.Values!.length, 0)
      expect(total).toBeGreaterThanOrEqual(6)
      // Two datapoints per page: every point comes back once, in order, under the same Ids.
      const merged = new Map<string, number[]>()
      let NextToken: string | undefined
      let pages = 0
      do {
        const page = await cloudwatch().send(new GetMetricDataCommand({ ...base, MaxDatapoints: 2, NextToken }))
        pages++
        expect(page.MetricDataResults!.reduce((n, r) => n + r.Values!.length, 0)).toBeLessThanOrEqual(2)
        for (const r of page.MetricDataResults!) merged.set(r.Id!, [...(merged.get(r.Id!) ?? []), ...r.Values!])
        NextToken = page.NextToken
      } while (NextToken)
      expect(pages).toBe(Math.ceil(total / 2))
      for (const r of whole.MetricDataResults!) expect(merged.get(r.Id!)).toEqual(r.Values)
      const tooMany = Array.from({ length: 501 }, (_, i) => ({
        Id: `m${i}`,
        MetricStat: { Metric: metric, Period: 3600, Stat: 'Sum' },
      }))
      await expect(
        cloudwatch(1).send(new GetMetricDataCommand({ ...base, MetricDataQueries: tooMany })),
      ).rejects.toMatchObject({ name: expect.stringMatching(/^Validation/), message: expect.stringContaining('500') })
    })

    it('returns the default basic selector for a trail without selectors, and only the kind that was set', async () => {
      const ct = cloudtrail()
      const plain = await ct.send(new GetEventSelectorsCommand({ TrailName: 'plain-trail' }))
      expect(plain.EventSelectors).toEqual([
        { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
      ])
      expect(plain.AdvancedEventSelectors).toBeUndefined()
      const stopped = await ct.send(new GetEventSelectorsCommand({ TrailName: 'stopped-trail' }))
      expect(stopped.EventSelectors?.[0]?.ReadWriteType).toBe('ReadOnly')
      expect(stopped.AdvancedEventSelectors).toBeUndefined()
    })

    it('filters LookupEvents by EventName and time, newest first, and rejects bad input', async () => {
      const ct = cloudtrail()
      const now = Date.parse(ctx.seeded.now)
      const all = await ct.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'InitiateAuth' }] }),
      )
      expect(all.Events).toHaveLength(5)
      expect(all.Events![0]!.EventTime!.getTime()).toBe(Math.floor((now - 30 * 60_000) / 1000) * 1000)
      const recent = await ct.send(
        new LookupEventsCommand({ StartTime: new Date(now - 3_600_000), EndTime: new Date(now) }),
      )
      expect(recent.Events?.map((e) => JSON.parse(e.CloudTrailEvent!).errorCode)).toEqual([undefined, undefined])
      const failed = all.Events!.filter((e) => JSON.parse(e.CloudTrailEvent!).errorCode === 'UserNotFoundException')
      expect(failed).toHaveLength(3)
      await expect(ct.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
        name: 'InvalidMaxResultsException',
      })
      await expect(
        ct.send(new LookupEventsCommand({ StartTime: new Date(now), EndTime: new Date(now - 1000) })),
      ).rejects.toMatchObject({ name: 'InvalidTimeRangeException' })
      await expect(ct.send(new LookupEventsCommand({ NextToken: 'bogus' }))).rejects.toMatchObject({
        name: 'InvalidNextTokenException',
      })
    })
  })

  describe('faults', () => {
    it('throttling is retried by the SDK for every service (each with its own error code)', async () => {
      ctx.sandbox.clearCalls()
      ctx.sandbox.faults.set([
        { kind: 'throttle', operation: 'ListUserPools', count: 1 },
        { kind: 'throttle', operation: 'DescribeAlarms', count: 1 },
        { kind: 'throttle', operation: 'LookupEvents', count: 1 },
      ])
      try {
        const [pools, alarms, events] = await Promise.all([
          cognito().send(new ListUserPoolsCommand({ MaxResults: 60 })),
          cloudwatch().send(new DescribeAlarmsCommand({})),
          cloudtrail().send(new LookupEventsCommand({})),
        ])
        expect(pools.UserPools).toHaveLength(3)
        expect(pools.$metadata.attempts).toBe(2)
        expect(alarms.$metadata.attempts).toBe(2)
        expect(events.$metadata.attempts).toBe(2)
      } finally {
        ctx.sandbox.faults.clear()
      }
      const faulted = ctx.sandbox.calls().filter((c) => c.fault === 'throttle')
      expect(faulted.map((c) => [c.service, c.operation, c.status]).sort()).toEqual([
        ['cloudtrail', 'LookupEvents', 400],
        ['cloudwatch', 'DescribeAlarms', 400],
        ['cognito-idp', 'ListUserPools', 400],
      ])
    })

    it('exhausted throttling retries surface the service error name', async () => {
      ctx.sandbox.faults.set([{ kind: 'throttle', service: 'cloudwatch' }])
      try {
        const err = await cloudwatch(2)
          .send(new DescribeAlarmsCommand({}))
          .catch((e) => e)
        expect(err.name).toBe('Throttling')
        expect(err.$metadata.attempts).toBe(2)
      } finally {
        ctx.sandbox.faults.clear()
      }
    })

    it('AccessDenied surfaces with each service’s error name and is not retried', async () => {
      ctx.sandbox.faults.set([{ kind: 'access-denied' }])
      try {
        const errors = await Promise.all([
          cognito()
            .send(new DescribeUserPoolCommand({ UserPoolId: pool('enforced') }))
            .catch((e) => e),
          cloudwatch()
            .send(new DescribeAlarmsCommand({}))
            .catch((e) => e),
          cloudtrail()
            .send(new LookupEventsCommand({}))
            .catch((e) => e),
        ])
        expect(errors.map((e) => e.name)).toEqual(['AccessDeniedException', 'AccessDenied', 'AccessDeniedException'])
        expect(errors.map((e) => e.$metadata.attempts)).toEqual([1, 1, 1])
        expect(errors[0].message).toContain('cognito-idp:DescribeUserPool')
      } finally {
        ctx.sandbox.faults.clear()
      }
    })

    it('5xx is retried; latency delays the answer; probability 0 never fires', async () => {
      ctx.sandbox.faults.set([
        { kind: 'server-error', operation: 'DescribeUserPool', count: 1, status: 503 },
        { kind: 'latency', operation: 'DescribeUserPool', latencyMs: 150 },
        { kind: 'access-denied', operation: 'DescribeUserPool', probability: 0 },
      ])
      try {
        const t0 = performance.now()
        const out = await cognito().send(new DescribeUserPoolCommand({ UserPoolId: pool('enforced') }))
        expect(out.$metadata.attempts).toBe(2)
        expect(performance.now() - t0).toBeGreaterThanOrEqual(300)
      } finally {
        ctx.sandbox.faults.clear()
      }
    })

    it('quotas answer bursts above the rate with throttling errors', async () => {
      ctx.sandbox.clearCalls()
      ctx.sandbox.quotas(true)
      try {
        const ct = cloudtrail(1)
        const results = await Promise.all(
          Array.from({ length: 6 }, () => ct.send(new LookupEventsCommand({ MaxResults: 1 })).catch((e) => e)),
        )
        const throttled = results.filter((r) => r instanceof Error)
        // The bucket holds 2 tokens (LookupEvents: 2 per second); the rest of the burst is throttled.
        expect(throttled.length).toBeGreaterThanOrEqual(3)
        expect(throttled.every((e) => e.name === 'ThrottlingException')).toBe(true)
        expect(ctx.sandbox.calls().filter((c) => c.fault === 'quota')).toHaveLength(throttled.length)
      } finally {
        ctx.sandbox.quotas(false)
      }
    })
  })

  describe('control API', () => {
    it('sets faults, reads the call log and state over HTTP', async () => {
      const base = `${ctx.sandbox.endpoint}/__sandbox`
      await fetch(`${base}/calls`, { method: 'DELETE' })
      const put = await fetch(`${base}/faults`, {
        method: 'PUT',
        body: JSON.stringify([{ kind: 'access-denied', operation: 'ListUserPools' }]),
      })
      expect(put.status).toBe(200)
      const err = await cognito()
        .send(new ListUserPoolsCommand({ MaxResults: 10 }))
        .catch((e) => e)
      expect(err.name).toBe('AccessDeniedException')
      await fetch(`${base}/faults`, { method: 'DELETE' })
      const log = (await (await fetch(`${base}/calls`)).json()) as { counts: unknown; calls: unknown[] }
      expect(log.counts).toEqual({ 'cognito-idp:ListUserPools': 1 })
      expect(log.calls[0]).toMatchObject({ service: 'cognito-idp', region: R, status: 400, fault: 'access-denied' })
      const state = (await (await fetch(`${base}/state`)).json()) as { riskConfigurations: unknown[] }
      expect(state.riskConfigurations.length).toBeGreaterThan(0)
      expect((await fetch(`${base}/nothing`)).status).toBe(404)
    })
  })
})

describe('sandbox lifecycle', () => {
  it('stop() ends moto and the proxy; nothing listens afterwards', async () => {
    const sandbox = await startSandbox()
    const { endpoint, motoEndpoint } = sandbox
    expect((await fetch(`${endpoint}/__sandbox/health`)).status).toBe(200)
    await sandbox.stop()
    await expect(fetch(`${endpoint}/__sandbox/health`)).rejects.toThrow()
    await expect(fetch(`${motoEndpoint}/moto-api/data.json`)).rejects.toThrow()
  })

  it('one sandbox, several accounts: a 12-digit access key is an account with its own pools, STS id and quota buckets', async () => {
    const sandbox = await startSandbox()
    const A = '210000000001'
    const B = '210000000002'
    const as = (account: string | undefined) => ({
      ...sdkConfig(sandbox, 'us-east-1', 1),
      ...(account ? { credentials: { accessKeyId: account, secretAccessKey: 'testing' } } : {}),
    })
    try {
      await sandbox.seed('regions: { us-east-1: { pools: [{ name: pool-of-a, mode: OFF }] } }\n', { accountId: A })
      await sandbox.seed('regions: { us-east-1: { pools: [{ name: pool-of-b }, { name: b2 }] } }\n', { accountId: B })
      const names = async (account?: string) =>
        (
          (await new CognitoIdentityProviderClient(as(account)).send(new ListUserPoolsCommand({ MaxResults: 10 })))
            .UserPools ?? []
        )
          .map((p) => p.Name)
          .sort()
      expect(await names(A)).toEqual(['pool-of-a'])
      expect(await names(B)).toEqual(['b2', 'pool-of-b'])
      expect(await names(undefined)).toEqual([])
      const who = async (account: string) =>
        (await new STSClient(as(account)).send(new GetCallerIdentityCommand({}))).Account
      expect(await who(A)).toBe(A)
      expect(await who(B)).toBe(B)
      // Quotas per account: A empties its UserPoolRead bucket (15 per s); B's is untouched.
      sandbox.quotas({ 'cognito-idp:ListUserPools': { category: 'UserPoolRead', rate: 2 } })
      const list = (account: string) =>
        new CognitoIdentityProviderClient(as(account)).send(new ListUserPoolsCommand({ MaxResults: 10 }))
      await list(A)
      await list(A)
      await expect(list(A)).rejects.toMatchObject({ name: 'TooManyRequestsException' })
      await expect(list(B)).resolves.toBeDefined()
      expect(
        sandbox
          .calls()
          .filter((c) => c.fault === 'quota')
          .map((c) => c.account),
      ).toEqual([A])
    } finally {
      await sandbox.stop()
    }
  })

  it('two sandboxes run side by side on different ports', async () => {
    const [a, b] = await Promise.all([startSandbox(), startSandbox()])
    try {
      expect(a.endpoint).not.toBe(b.endpoint)
      expect(a.motoEndpoint).not.toBe(b.motoEndpoint)
      await a.seed('regions: { us-east-1: { pools: [{ name: only-in-a }] } }\n')
      const listB = await new CognitoIdentityProviderClient(sdkConfig(b, 'us-east-1')).send(
        new ListUserPoolsCommand({ MaxResults: 10 }),
      )
      expect(listB.UserPools).toEqual([])
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })
})
