/**
 * Which Cognito user-pool events a trail's event selectors record, decided as CloudTrail does.
 * Pure: selectors in, a verdict per representative Cognito event out.
 *
 * Basic selectors (OR-ed): a selector records an event when it includes management events
 * (default true), its ReadWriteType (default All) admits the event's read/write kind, and
 * `cognito-idp.amazonaws.com` is not in its ExcludeManagementEventSources.
 *
 * Advanced selectors: selectors OR-ed, field selectors inside one AND-ed, operators inside one
 * field selector AND-ed. Equals/StartsWith/EndsWith hold when any of their values matches;
 * NotEquals/NotStartsWith/NotEndsWith hold when no value matches. A condition on a field the
 * audit cannot know for every event (e.g. `userIdentity.arn`) is "unknown": it may drop some of
 * that event's occurrences, so the event is not proven recorded.
 *
 * No selectors at all means CloudTrail's default: every management event.
 */
import {
  type AdvancedEventSelector,
  type AdvancedFieldSelector,
  COGNITO_EVENT_SOURCE,
  type TrailSelectors,
} from '../../model/cloudtrail.js'

export interface CognitoEvent {
  eventName: string
  readOnly: boolean
  eventType: 'AwsApiCall' | 'AwsServiceEvent'
  /** What losing it means, for messages. */
  about: string
}

/** Representative Cognito user-pool events: sign-in and sign-up (write), managed login and admin reads (read-only). */
export const COGNITO_EVENTS: readonly CognitoEvent[] = [
  { eventName: 'InitiateAuth', readOnly: false, eventType: 'AwsApiCall', about: 'sign-in' },
  { eventName: 'RespondToAuthChallenge', readOnly: false, eventType: 'AwsApiCall', about: 'sign-in challenge' },
  { eventName: 'SignUp', readOnly: false, eventType: 'AwsApiCall', about: 'sign-up' },
  { eventName: 'AdminInitiateAuth', readOnly: false, eventType: 'AwsApiCall', about: 'server-side sign-in' },
  { eventName: 'Login_GET', readOnly: true, eventType: 'AwsServiceEvent', about: 'managed-login page' },
  { eventName: 'DescribeUserPool', readOnly: true, eventType: 'AwsApiCall', about: 'pool configuration read' },
  { eventName: 'ListUsers', readOnly: true, eventType: 'AwsApiCall', about: 'user listing' },
]

export type Coverage = 'all' | 'partial' | 'none'

export interface EventVerdict {
  eventName: string
  readOnly: boolean
  recorded: boolean
  /** Not recorded: why (dropped, or not provably recorded). */
  reason?: string
  /** True when it is not proven recorded but not proven dropped either (a condition the audit cannot
   *  evaluate, e.g. on `userIdentity.arn`): that cannot be verified, which is not a violation. */
  unknown?: boolean
}

export interface CaptureResult {
  /** Which kind of configuration decided it. */
  mode: 'default' | 'basic' | 'advanced'
  /** Coverage of Cognito's write events (sign-in, sign-up) and read-only events (managed login, reads). */
  write: Coverage
  readOnly: Coverage
  /** Names of the representative events recorded / dropped. */
  recorded: string[]
  dropped: string[]
  events: EventVerdict[]
}

type Tri = true | false | 'unknown'

/** Decides, for each representative Cognito event, whether the selectors record it. */
export function evaluateSelectors(selectors: TrailSelectors | undefined, events = COGNITO_EVENTS): CaptureResult {
  const advanced = selectors?.advancedEventSelectors ?? []
  const basic = selectors?.eventSelectors ?? []
  let mode: CaptureResult['mode']
  let verdicts: EventVerdict[]
  if (advanced.length > 0) {
    mode = 'advanced'
    verdicts = events.map((e) => advancedVerdict(advanced, e))
  } else if (basic.length > 0) {
    mode = 'basic'
    verdicts = events.map((e) => basicVerdict(basic, e))
  } else {
    mode = 'default'
    verdicts = events.map((e) => ({ eventName: e.eventName, readOnly: e.readOnly, recorded: true }))
  }
  const coverage = (ro: boolean): Coverage => {
    const of = verdicts.filter((v) => v.readOnly === ro)
    const n = of.filter((v) => v.recorded).length
    return n === of.length ? 'all' : n === 0 ? 'none' : 'partial'
  }
  return {
    mode,
    write: coverage(false),
    readOnly: coverage(true),
    recorded: verdicts.filter((v) => v.recorded).map((v) => v.eventName),
    dropped: verdicts.filter((v) => !v.recorded).map((v) => v.eventName),
    events: verdicts,
  }
}

function basicVerdict(selectors: NonNullable<TrailSelectors['eventSelectors']>, e: CognitoEvent): EventVerdict {
  const reasons: string[] = []
  for (const [i, s] of selectors.entries()) {
    const label = `event selector ${i + 1}`
    if (s.IncludeManagementEvents === false) {
      reasons.push(`${label} excludes management events`)
      continue
    }
    if ((s.ExcludeManagementEventSources ?? []).includes(COGNITO_EVENT_SOURCE)) {
      reasons.push(`${label} excludes the event source ${COGNITO_EVENT_SOURCE}`)
      continue
    }
    const rw = s.ReadWriteType ?? 'All'
    if ((rw === 'ReadOnly' && !e.readOnly) || (rw === 'WriteOnly' && e.readOnly)) {
      reasons.push(`${label} records only ${rw === 'ReadOnly' ? 'read-only' : 'write'} events`)
      continue
    }
    return { eventName: e.eventName, readOnly: e.readOnly, recorded: true }
  }
  return { eventName: e.eventName, readOnly: e.readOnly, recorded: false, reason: reasons.join('; ') }
}

function advancedVerdict(selectors: AdvancedEventSelector[], e: CognitoEvent): EventVerdict {
  const reasons: string[] = []
  let unknown = false
  for (const [i, s] of selectors.entries()) {
    const label = s.Name ? `advanced selector "${s.Name}"` : `advanced selector ${i + 1}`
    const r = selectorMatches(s, e)
    if (r.result === true) return { eventName: e.eventName, readOnly: e.readOnly, recorded: true }
    if (r.result === 'unknown') unknown = true
    reasons.push(`${label}: ${r.why}`)
  }
  const prefix = unknown ? 'not provably recorded' : 'dropped'
  return {
    eventName: e.eventName,
    readOnly: e.readOnly,
    recorded: false,
    reason: `${prefix} (${reasons.join('; ')})`,
    ...(unknown ? { unknown: true } : {}),
  }
}

/** The value of a field in the event record, or undefined when it varies between occurrences. */
function fieldValue(field: string, e: CognitoEvent): string | undefined {
  switch (field) {
    case 'eventCategory':
      return 'Management'
    case 'eventSource':
      return COGNITO_EVENT_SOURCE
    case 'eventName':
      return e.eventName
    case 'readOnly':
      return String(e.readOnly)
    case 'eventType':
      return e.eventType
    default:
      return undefined
  }
}

function selectorMatches(s: AdvancedEventSelector, e: CognitoEvent): { result: Tri; why: string } {
  let unknownWhy: string | undefined
  for (const fs of s.FieldSelectors) {
    const value = fieldValue(fs.Field, e)
    if (value === undefined) {
      if (hasConditions(fs)) unknownWhy ??= `its condition on ${fs.Field} may exclude some ${e.eventName} events`
      continue
    }
    const failed = failingCondition(fs, value)
    if (failed) return { result: false, why: `${fs.Field} ${failed}` }
  }
  return unknownWhy ? { result: 'unknown', why: unknownWhy } : { result: true, why: '' }
}

function hasConditions(fs: AdvancedFieldSelector): boolean {
  return OPERATORS.some((op) => (fs[op]?.length ?? 0) > 0)
}

const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const

const TESTS: Record<(typeof OPERATORS)[number], (value: string, v: string) => boolean> = {
  Equals: (value, v) => value === v,
  StartsWith: (value, v) => value.startsWith(v),
  EndsWith: (value, v) => value.endsWith(v),
  NotEquals: (value, v) => value === v,
  NotStartsWith: (value, v) => value.startsWith(v),
  NotEndsWith: (value, v) => value.endsWith(v),
}

/** The first condition of a field selector that `value` does not satisfy, described; undefined when all hold. */
function failingCondition(fs: AdvancedFieldSelector, value: string): string | undefined {
  for (const op of OPERATORS) {
    const values = fs[op]
    if (!values || values.length === 0) continue
    const test = TESTS[op]
    const negated = op.startsWith('Not')
    if (negated) {
      const hit = values.find((v) => test(value, v))
      if (hit !== undefined) return `${op} ${JSON.stringify(hit)}`
    } else if (!values.some((v) => test(value, v))) {
      return `${op} ${JSON.stringify(values)} omits ${JSON.stringify(value)}`
    }
  }
  return undefined
}
