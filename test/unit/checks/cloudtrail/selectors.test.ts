import { describe, expect, it } from 'vitest'
import { COGNITO_EVENTS, evaluateSelectors } from '../../../../src/checks/cloudtrail/selectors.js'
import type { AdvancedFieldSelector, TrailSelectors } from '../../../../src/model/cloudtrail.js'

const WRITE = ['InitiateAuth', 'RespondToAuthChallenge', 'SignUp', 'AdminInitiateAuth']
const READ = ['Login_GET', 'DescribeUserPool', 'ListUsers']
const ALL = [...WRITE, ...READ]

const mgmt: AdvancedFieldSelector = { Field: 'eventCategory', Equals: ['Management'] }
const adv = (...fields: AdvancedFieldSelector[]): TrailSelectors => ({
  advancedEventSelectors: [{ FieldSelectors: [mgmt, ...fields] }],
})

describe('representative events', () => {
  it('are the sign-in/sign-up writes and the managed-login/admin reads', () => {
    expect(COGNITO_EVENTS.filter((e) => !e.readOnly).map((e) => e.eventName)).toEqual(WRITE)
    expect(COGNITO_EVENTS.filter((e) => e.readOnly).map((e) => e.eventName)).toEqual(READ)
  })
})

describe('no selectors: CloudTrail default records every management event', () => {
  it.each([
    ['undefined', undefined],
    ['empty object', {}],
    ['empty lists', { eventSelectors: [], advancedEventSelectors: [] }],
  ])('%s', (_n, sel) => {
    const r = evaluateSelectors(sel as TrailSelectors | undefined)
    expect(r.mode).toBe('default')
    expect(r.recorded).toEqual(ALL)
    expect(r.dropped).toEqual([])
    expect([r.write, r.readOnly]).toEqual(['all', 'all'])
  })
})

describe('basic event selectors', () => {
  const cases: Array<[string, TrailSelectors, string[]]> = [
    ['defaults (no fields)', { eventSelectors: [{}] }, []],
    ['ReadWriteType All', { eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }, []],
    ['WriteOnly drops read-only events', { eventSelectors: [{ ReadWriteType: 'WriteOnly' }] }, READ],
    ['ReadOnly drops InitiateAuth and the other writes', { eventSelectors: [{ ReadWriteType: 'ReadOnly' }] }, WRITE],
    ['management events excluded', { eventSelectors: [{ IncludeManagementEvents: false }] }, ALL],
    [
      'cognito-idp excluded as an event source',
      { eventSelectors: [{ ExcludeManagementEventSources: ['kms.amazonaws.com', 'cognito-idp.amazonaws.com'] }] },
      ALL,
    ],
    [
      'other event sources excluded',
      { eventSelectors: [{ ExcludeManagementEventSources: ['kms.amazonaws.com'] }] },
      [],
    ],
    [
      'selectors OR-ed: ReadOnly + WriteOnly covers both',
      { eventSelectors: [{ ReadWriteType: 'ReadOnly' }, { ReadWriteType: 'WriteOnly' }] },
      [],
    ],
    [
      'selectors OR-ed: data-only selector + all-management selector',
      {
        eventSelectors: [
          { IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
          { ReadWriteType: 'All' },
        ],
      },
      [],
    ],
    [
      'excluding cognito in one selector does not help the other drop it',
      {
        eventSelectors: [
          { ExcludeManagementEventSources: ['cognito-idp.amazonaws.com'] },
          { ReadWriteType: 'WriteOnly' },
        ],
      },
      READ,
    ],
  ]
  it.each(cases)('%s', (_n, sel, dropped) => {
    const r = evaluateSelectors(sel)
    expect(r.mode).toBe('basic')
    expect(r.dropped).toEqual(dropped)
    expect(r.recorded).toEqual(ALL.filter((e) => !dropped.includes(e)))
  })

  it('explains why an event is dropped', () => {
    const r = evaluateSelectors({ eventSelectors: [{ ReadWriteType: 'ReadOnly' }] })
    expect(r.events.find((e) => e.eventName === 'InitiateAuth')?.reason).toBe(
      'event selector 1 records only read-only events',
    )
    expect(r.write).toBe('none')
    expect(r.readOnly).toBe('all')
  })
})

describe('advanced event selectors: one operator at a time', () => {
  const cases: Array<[string, AdvancedFieldSelector[], string[]]> = [
    ['management only', [], []],
    // eventSource
    ['eventSource Equals cognito', [{ Field: 'eventSource', Equals: ['cognito-idp.amazonaws.com'] }], []],
    ['eventSource Equals other', [{ Field: 'eventSource', Equals: ['s3.amazonaws.com'] }], ALL],
    [
      'eventSource Equals values OR-ed',
      [{ Field: 'eventSource', Equals: ['s3.amazonaws.com', 'cognito-idp.amazonaws.com'] }],
      [],
    ],
    ['eventSource NotEquals cognito', [{ Field: 'eventSource', NotEquals: ['cognito-idp.amazonaws.com'] }], ALL],
    ['eventSource NotEquals kms', [{ Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }], []],
    [
      'eventSource NotEquals: every value must differ',
      [{ Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'cognito-idp.amazonaws.com'] }],
      ALL,
    ],
    ['eventSource StartsWith cognito', [{ Field: 'eventSource', StartsWith: ['cognito'] }], []],
    ['eventSource StartsWith s3', [{ Field: 'eventSource', StartsWith: ['s3'] }], ALL],
    ['eventSource StartsWith values OR-ed', [{ Field: 'eventSource', StartsWith: ['s3', 'cognito-idp'] }], []],
    ['eventSource NotStartsWith cognito', [{ Field: 'eventSource', NotStartsWith: ['cognito'] }], ALL],
    ['eventSource NotStartsWith kms', [{ Field: 'eventSource', NotStartsWith: ['kms'] }], []],
    ['eventSource NotStartsWith any value hit', [{ Field: 'eventSource', NotStartsWith: ['kms', 'cog'] }], ALL],
    ['eventSource EndsWith amazonaws.com', [{ Field: 'eventSource', EndsWith: ['.amazonaws.com'] }], []],
    ['eventSource EndsWith .cn', [{ Field: 'eventSource', EndsWith: ['.amazonaws.com.cn'] }], ALL],
    ['eventSource EndsWith values OR-ed', [{ Field: 'eventSource', EndsWith: ['.cn', 'idp.amazonaws.com'] }], []],
    ['eventSource NotEndsWith idp.amazonaws.com', [{ Field: 'eventSource', NotEndsWith: ['idp.amazonaws.com'] }], ALL],
    ['eventSource NotEndsWith kms.amazonaws.com', [{ Field: 'eventSource', NotEndsWith: ['kms.amazonaws.com'] }], []],
    // readOnly
    ['readOnly Equals true', [{ Field: 'readOnly', Equals: ['true'] }], WRITE],
    ['readOnly Equals false', [{ Field: 'readOnly', Equals: ['false'] }], READ],
    ['readOnly Equals both', [{ Field: 'readOnly', Equals: ['true', 'false'] }], []],
    ['readOnly NotEquals true', [{ Field: 'readOnly', NotEquals: ['true'] }], READ],
    // eventName
    [
      'eventName allow-list without InitiateAuth',
      [
        {
          Field: 'eventName',
          Equals: ['SignUp', 'RespondToAuthChallenge', 'Login_GET', 'DescribeUserPool', 'ListUsers'],
        },
      ],
      ['InitiateAuth', 'AdminInitiateAuth'],
    ],
    ['eventName NotEquals InitiateAuth', [{ Field: 'eventName', NotEquals: ['InitiateAuth'] }], ['InitiateAuth']],
    [
      'eventName StartsWith Admin',
      [{ Field: 'eventName', StartsWith: ['Admin'] }],
      ALL.filter((e) => e !== 'AdminInitiateAuth'),
    ],
    [
      'eventName NotStartsWith Describe, List',
      [{ Field: 'eventName', NotStartsWith: ['Describe', 'List'] }],
      ['DescribeUserPool', 'ListUsers'],
    ],
    ['eventName EndsWith Auth', [{ Field: 'eventName', EndsWith: ['Auth'] }], ALL.filter((e) => !e.endsWith('Auth'))],
    ['eventName NotEndsWith _GET', [{ Field: 'eventName', NotEndsWith: ['_GET'] }], ['Login_GET']],
    // eventType (known per representative event)
    [
      'eventType Equals AwsApiCall drops managed login',
      [{ Field: 'eventType', Equals: ['AwsApiCall'] }],
      ['Login_GET'],
    ],
  ]
  it.each(cases)('%s', (_n, fields, dropped) => {
    const r = evaluateSelectors(adv(...fields))
    expect(r.mode).toBe('advanced')
    expect(r.dropped).toEqual(dropped)
    expect(r.recorded).toEqual(ALL.filter((e) => !dropped.includes(e)))
  })
})

describe('advanced event selectors: combinations', () => {
  it('field selectors inside one selector are AND-ed', () => {
    const r = evaluateSelectors(
      adv({ Field: 'eventSource', Equals: ['cognito-idp.amazonaws.com'] }, { Field: 'readOnly', Equals: ['false'] }),
    )
    expect(r.dropped).toEqual(READ)
    expect([r.write, r.readOnly]).toEqual(['all', 'none'])
  })

  it('operators inside one field selector are AND-ed', () => {
    // StartsWith "cognito" holds, NotEndsWith ".amazonaws.com" fails ⇒ dropped.
    const dropped = evaluateSelectors(
      adv({ Field: 'eventSource', StartsWith: ['cognito'], NotEndsWith: ['.amazonaws.com'] }),
    ).dropped
    expect(dropped).toEqual(ALL)
    const kept = evaluateSelectors(
      adv({ Field: 'eventSource', StartsWith: ['cognito'], NotEquals: ['kms.amazonaws.com'] }),
    )
    expect(kept.dropped).toEqual([])
  })

  it('selectors are OR-ed: a read-only selector plus a write selector cover everything', () => {
    const r = evaluateSelectors({
      advancedEventSelectors: [
        { Name: 'reads', FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['true'] }] },
        { Name: 'writes', FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['false'] }] },
      ],
    })
    expect(r.dropped).toEqual([])
  })

  it('selectors are OR-ed: a second selector can restore what the first excludes', () => {
    const r = evaluateSelectors({
      advancedEventSelectors: [
        { FieldSelectors: [mgmt, { Field: 'eventSource', NotEquals: ['cognito-idp.amazonaws.com'] }] },
        {
          FieldSelectors: [
            mgmt,
            { Field: 'eventSource', Equals: ['cognito-idp.amazonaws.com'] },
            { Field: 'readOnly', Equals: ['false'] },
          ],
        },
      ],
    })
    expect(r.dropped).toEqual(READ)
  })

  it('a data-event selector does not record management events', () => {
    const r = evaluateSelectors({
      advancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'eventCategory', Equals: ['Data'] },
          ],
        },
      ],
    })
    expect(r.dropped).toEqual(ALL)
    expect(r.events[0]?.reason).toContain('dropped')
    expect(r.events[0]?.reason).toContain('eventCategory Equals ["Data"] omits "Management"')
  })

  it('a condition on a field that varies per occurrence is not proof of capture', () => {
    const r = evaluateSelectors(
      adv({ Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::123456789012:assumed-role/Ci'] }),
    )
    expect(r.dropped).toEqual(ALL)
    expect(r.events[0]?.reason).toMatch(/^not provably recorded .*userIdentity\.arn/)
  })

  it('a field selector without conditions does not restrict', () => {
    expect(evaluateSelectors(adv({ Field: 'userIdentity.arn' })).dropped).toEqual([])
  })

  it('names the selector and the condition that drops an event', () => {
    const r = evaluateSelectors({
      advancedEventSelectors: [
        {
          Name: 'No Cognito',
          FieldSelectors: [mgmt, { Field: 'eventSource', NotEquals: ['cognito-idp.amazonaws.com'] }],
        },
      ],
    })
    expect(r.events.find((e) => e.eventName === 'InitiateAuth')?.reason).toBe(
      'dropped (advanced selector "No Cognito": eventSource NotEquals "cognito-idp.amazonaws.com")',
    )
  })

  it('advanced selectors win over basic ones when both are present', () => {
    const r = evaluateSelectors({
      eventSelectors: [{ ReadWriteType: 'All' }],
      advancedEventSelectors: [{ FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['true'] }] }],
    })
    expect(r.mode).toBe('advanced')
    expect(r.dropped).toEqual(WRITE)
  })
})

describe('every operator on every field CloudTrail evaluates for management events', () => {
  // One field selector alone (eventCategory is the only one, so it also stands alone there).
  const only = (f: AdvancedFieldSelector): TrailSelectors => ({
    advancedEventSelectors: [{ FieldSelectors: f.Field === 'eventCategory' ? [f] : [mgmt, f] }],
  })
  const cases: Array<[AdvancedFieldSelector, string[]]> = [
    [{ Field: 'eventCategory', Equals: ['Management'] }, []],
    [{ Field: 'eventCategory', Equals: ['Data'] }, ALL],
    [{ Field: 'eventCategory', StartsWith: ['Manage'] }, []],
    [{ Field: 'eventCategory', StartsWith: ['Data'] }, ALL],
    [{ Field: 'eventCategory', EndsWith: ['ment'] }, []],
    [{ Field: 'eventCategory', EndsWith: ['Data'] }, ALL],
    [{ Field: 'eventCategory', NotEquals: ['Data'] }, []],
    [{ Field: 'eventCategory', NotEquals: ['Management'] }, ALL],
    [{ Field: 'eventCategory', NotStartsWith: ['Data'] }, []],
    [{ Field: 'eventCategory', NotStartsWith: ['Man'] }, ALL],
    [{ Field: 'eventCategory', NotEndsWith: ['Data'] }, []],
    [{ Field: 'eventCategory', NotEndsWith: ['ment'] }, ALL],
    [{ Field: 'eventSource', Equals: ['cognito-idp.amazonaws.com'] }, []],
    [{ Field: 'eventSource', Equals: ['kms.amazonaws.com'] }, ALL],
    [{ Field: 'eventSource', StartsWith: ['cognito-'] }, []],
    [{ Field: 'eventSource', StartsWith: ['kms'] }, ALL],
    [{ Field: 'eventSource', EndsWith: ['.amazonaws.com'] }, []],
    [{ Field: 'eventSource', EndsWith: ['.example.com'] }, ALL],
    [{ Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }, []],
    [{ Field: 'eventSource', NotEquals: ['cognito-idp.amazonaws.com'] }, ALL],
    [{ Field: 'eventSource', NotStartsWith: ['kms'] }, []],
    [{ Field: 'eventSource', NotStartsWith: ['cognito'] }, ALL],
    [{ Field: 'eventSource', NotEndsWith: ['.example.com'] }, []],
    [{ Field: 'eventSource', NotEndsWith: ['amazonaws.com'] }, ALL],
    [{ Field: 'eventName', Equals: ['InitiateAuth'] }, ALL.filter((e) => e !== 'InitiateAuth')],
    [{ Field: 'eventName', StartsWith: ['Admin'] }, ALL.filter((e) => e !== 'AdminInitiateAuth')],
    [{ Field: 'eventName', EndsWith: ['_GET'] }, ALL.filter((e) => e !== 'Login_GET')],
    [{ Field: 'eventName', NotEquals: ['SignUp'] }, ['SignUp']],
    [{ Field: 'eventName', NotStartsWith: ['Describe', 'List'] }, ['DescribeUserPool', 'ListUsers']],
    [{ Field: 'eventName', NotEndsWith: ['Auth'] }, ['InitiateAuth', 'AdminInitiateAuth']],
    [{ Field: 'readOnly', Equals: ['true'] }, WRITE],
    [{ Field: 'readOnly', Equals: ['false'] }, READ],
    [{ Field: 'readOnly', StartsWith: ['t'] }, WRITE],
    [{ Field: 'readOnly', EndsWith: ['lse'] }, READ],
    [{ Field: 'readOnly', NotEquals: ['true'] }, READ],
    [{ Field: 'readOnly', NotStartsWith: ['f'] }, WRITE],
    [{ Field: 'readOnly', NotEndsWith: ['ue'] }, READ],
  ]
  it.each(cases)('%j drops %j', (field, dropped) => {
    const r = evaluateSelectors(only(field))
    expect(r.dropped).toEqual(dropped)
    for (const e of r.events.filter((x) => !x.recorded)) {
      expect(e.reason, e.eventName).toMatch(/^dropped \(.*(Equals|StartsWith|EndsWith)/)
    }
  })

  it('several operators in one field selector are ANDed; several selectors are ORed', () => {
    const both = evaluateSelectors(
      only({ Field: 'eventName', StartsWith: ['Admin', 'Init'], NotEquals: ['InitiateAuth'] }),
    )
    expect(both.recorded).toEqual(['AdminInitiateAuth'])
    const either = evaluateSelectors({
      advancedEventSelectors: [
        { FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['false'] }] },
        { FieldSelectors: [mgmt, { Field: 'eventName', Equals: ['Login_GET'] }] },
      ],
    })
    expect(either.dropped).toEqual(['DescribeUserPool', 'ListUsers'])
  })
})
