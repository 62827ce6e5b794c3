import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail'
import { mockClient } from 'aws-sdk-client-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { loaded } from '../../../../../src/model/snapshot.js'
import { createClients } from '../../../../../src/sources/aws/clients.js'
import { collectFailureBreakdown } from '../../../../../src/sources/aws/cloudtrail/events.js'
import { FailureTally } from '../../../../../src/sources/aws/cloudtrail/failure-tally.js'
import { hour, WINDOW } from '../../../../support/activity.js'
import { useDummyAwsEnv } from '../../../../support/aws-env.js'

useDummyAwsEnv()

const ct = mockClient(CloudTrailClient)
afterEach(() => ct.reset())
const client = () => createClients({ quotas: false, maxAttempts: 1 }).cloudtrail('us-east-1')

const POOL_A = { id: 'us-east-1_A', clients: loaded([{ id: 'clientA1' }, { id: 'clientA2' }]) }
const POOL_B = { id: 'us-east-1_B', clients: loaded([{ id: 'clientB1' }]) }

interface Ev {
  name?: string
  error?: string
  userPoolId?: string
  clientId?: string
  sub?: string
  ip?: string
  time?: string
}

function record(e: Ev): string {
  return JSON.stringify({
    eventVersion: '1.08',
    eventSource: 'cognito-idp.amazonaws.com',
    eventName: e.name ?? 'InitiateAuth',
    ...(e.error !== undefined ? { errorCode: e.error, errorMessage: 'Incorrect username or password.' } : {}),
    sourceIPAddress: e.ip ?? '203.0.113.7',
    requestParameters: {
      authFlow: 'USER_PASSWORD_AUTH',
      authParameters: 'HIDDEN_DUE_TO_SECURITY_REASONS',
      ...(e.clientId ? { clientId: e.clientId } : {}),
      ...(e.userPoolId ? { userPoolId: e.userPoolId } : {}),
    },
    additionalEventData: e.sub ? { sub: e.sub } : {},
  })
}

function page(events: Ev[], NextToken?: string): LookupEventsCommandOutput {
  return {
    $metadata: {},
    Events: events.map((e, i) => ({
      EventId: `id-${i}`,
      EventName: e.name ?? 'InitiateAuth',
      EventTime: new Date(e.time ?? hour(23)),
      CloudTrailEvent: record(e),
    })),
    ...(NextToken ? { NextToken } : {}),
  }
}

describe('FailureTally', () => {
  it('keeps only auth calls with a non-empty errorCode', () => {
    const t = new FailureTally([POOL_A], false)
    t.add(record({ clientId: 'clientA1', error: 'NotAuthorizedException' }))
    t.add(record({ clientId: 'clientA1' })) // success
    t.add(record({ clientId: 'clientA1', error: '' })) // hosted UI success carries errorCode ""
    t.add(record({ name: 'DescribeUserPool', userPoolId: POOL_A.id, error: 'AccessDeniedException' }))
    t.add('{not json')
    expect(t.failures()).toEqual([
      { poolId: POOL_A.id, eventName: 'InitiateAuth', errorCode: 'NotAuthorizedException', count: 1 },
    ])
    expect(t.unparsable).toBe(1)
  })

  it('attributes by userPoolId, else by the app client id, else as unattributed', () => {
    const t = new FailureTally([POOL_A, POOL_B], false)
    t.add(
      record({
        name: 'AdminInitiateAuth',
        userPoolId: POOL_B.id,
        clientId: 'clientA1',
        error: 'UserNotFoundException',
      }),
    )
    t.add(record({ clientId: 'clientA2', error: 'NotAuthorizedException' }))
    t.add(record({ clientId: 'clientA1', error: 'NotAuthorizedException' }))
    t.add(record({ name: 'SignUp', clientId: 'clientB1', error: 'UsernameExistsException' }))
    t.add(record({ clientId: 'unknownClient', error: 'TooManyRequestsException' }))
    t.add(record({ userPoolId: 'us-east-1_NotAudited', error: 'NotAuthorizedException' }))
    expect(t.failures()).toEqual([
      { poolId: POOL_A.id, eventName: 'InitiateAuth', errorCode: 'NotAuthorizedException', count: 2 },
      { poolId: POOL_B.id, eventName: 'AdminInitiateAuth', errorCode: 'UserNotFoundException', count: 1 },
      { poolId: POOL_B.id, eventName: 'SignUp', errorCode: 'UsernameExistsException', count: 1 },
      { poolId: 'unattributed', eventName: 'InitiateAuth', errorCode: 'TooManyRequestsException', count: 1 },
    ])
  })

  it('counts subs and source IPs only when personal data is allowed, top 5 by count', () => {
    const events = [
      ...Array.from({ length: 7 }, (_, i) => ({ sub: `sub-${i}`, ip: `198.51.100.${i}` })),
      { sub: 'sub-3', ip: '198.51.100.3' },
      { sub: 'sub-3', ip: '198.51.100.3' },
      { sub: 'sub-5', ip: '198.51.100.9' },
    ]
    const off = new FailureTally([POOL_A], false)
    const on = new FailureTally([POOL_A], true)
    for (const e of events) {
      const r = record({ ...e, clientId: 'clientA1', error: 'NotAuthorizedException' })
      off.add(r)
      on.add(r)
    }
    expect(off.personal()).toBeUndefined()
    const p = on.personal()!
    expect(p).toHaveLength(1)
    expect(p[0]!.distinctSubs).toBe(7)
    expect(p[0]!.distinctSourceIps).toBe(8)
    expect(p[0]!.topSubs).toEqual([
      { value: 'sub-3', count: 3 },
      { value: 'sub-5', count: 2 },
      { value: 'sub-0', count: 1 },
      { value: 'sub-1', count: 1 },
      { value: 'sub-2', count: 1 },
    ])
    expect(p[0]!.topSourceIps[0]).toEqual({ value: '198.51.100.3', count: 3 })
  })
})

describe('collectFailureBreakdown', () => {
  it('looks up cognito-idp events of the window, 50 per page, and reads every page when under budget', async () => {
    ct.on(LookupEventsCommand)
      .resolvesOnce(page([{ clientId: 'clientA1', error: 'NotAuthorizedException' }], 'n1'))
      .resolvesOnce(page([{ clientId: 'clientA1', error: 'NotAuthorizedException', time: hour(1) }]))
    const r = await collectFailureBreakdown(client(), 'us-east-1', [POOL_A], WINDOW, 40, false)
    const calls = ct.commandCalls(LookupEventsCommand)
    expect(calls).toHaveLength(2)
    expect(calls[0]!.args[0].input).toEqual({
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'cognito-idp.amazonaws.com' }],
      StartTime: new Date(WINDOW.start),
      EndTime: new Date(WINDOW.end),
      MaxResults: 50,
    })
    expect(calls[1]!.args[0].input.NextToken).toBe('n1')
    expect(r.errors).toEqual([])
    expect(r.breakdown).toEqual({
      pagesRead: 2,
      pageBudget: 40,
      eventsRead: 2,
      partial: false,
      failures: [{ poolId: POOL_A.id, eventName: 'InitiateAuth', errorCode: 'NotAuthorizedException', count: 2 }],
    })
  })

  it('stops at the page budget and marks the breakdown partial from the oldest event read', async () => {
    let n = 0
    ct.on(LookupEventsCommand).callsFake(() => {
      n++
      // newest first: page n holds an event n hours before the window end
      return page([{ clientId: 'clientA1', error: 'NotAuthorizedException', time: hour(24 - n) }], `next-${n}`)
    })
    const r = await collectFailureBreakdown(client(), 'us-east-1', [POOL_A], WINDOW, 3, false)
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(3)
    expect(r.breakdown!.pagesRead).toBe(3)
    expect(r.breakdown!.partial).toBe(true)
    expect(r.breakdown!.coveredFrom).toBe(hour(21))
    expect(r.breakdown!.failures[0]!.count).toBe(3)
  })

  it('is complete when the last page within the budget has no NextToken', async () => {
    ct.on(LookupEventsCommand).resolvesOnce(page([], 'a')).resolvesOnce(page([], 'b')).resolvesOnce(page([]))
    const r = await collectFailureBreakdown(client(), 'us-east-1', [POOL_A], WINDOW, 3, false)
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(3)
    expect(r.breakdown!.partial).toBe(false)
    expect(r.breakdown!.coveredFrom).toBeUndefined()
  })

  it('keeps what was read and marks it partial when a later page fails; no breakdown when the first fails', async () => {
    ct.on(LookupEventsCommand)
      .resolvesOnce(page([{ clientId: 'clientA1', error: 'NotAuthorizedException', time: hour(20) }], 'n1'))
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    const r = await collectFailureBreakdown(client(), 'us-east-1', [POOL_A], WINDOW, 40, false)
    expect(r.breakdown).toMatchObject({ pagesRead: 1, partial: true, coveredFrom: hour(20) })
    expect(r.errors).toMatchObject([{ service: 'cloudtrail', action: 'LookupEvents', code: 'AccessDeniedException' }])

    ct.reset()
    ct.on(LookupEventsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    const r2 = await collectFailureBreakdown(client(), 'us-east-1', [POOL_A], WINDOW, 40, false)
    expect(r2.breakdown).toBeUndefined()
    expect(r2.errors).toHaveLength(1)
  })

  it('stores no subs or IP addresses unless the policy allows personal data', async () => {
    const events = [{ clientId: 'clientA1', error: 'NotAuthorizedException', sub: 'sub-secret', ip: '192.0.2.44' }]
    ct.on(LookupEventsCommand).resolves(page(events))
    const off = await collectFailureBreakdown(client(), 'us-east-1', [POOL_A], WINDOW, 40, false)
    expect(off.breakdown!.personal).toBeUndefined()
    const json = JSON.stringify(off)
    expect(json).not.toContain('sub-secret')
    expect(json).not.toContain('192.0.2.44')
    expect(json).not.toContain('HIDDEN') // no raw event text kept

    const on = await collectFailureBreakdown(client(), 'us-east-1', [POOL_A], WINDOW, 40, true)
    expect(on.breakdown!.personal).toEqual([
      {
        poolId: POOL_A.id,
        distinctSubs: 1,
        distinctSourceIps: 1,
        topSubs: [{ value: 'sub-secret', count: 1 }],
        topSourceIps: [{ value: '192.0.2.44', count: 1 }],
      },
    ])
  })
})
