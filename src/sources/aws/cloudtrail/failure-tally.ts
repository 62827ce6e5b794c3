/**
 * Pure tallying of CloudTrail event records (management events with `errorCode` set are failures) into the failure breakdown: failed
 * authentication calls by pool, event name and error code. Events themselves are never kept; subs and
 * source IPs are only counted when personal data is allowed.
 */
import { type FailureCount, type PersonalCounts, UNATTRIBUTED, type ValueCount } from '../../../model/activity.js'
import { itemsRead, type Listing } from '../../../model/snapshot.js'

/** The end-user authentication calls whose failures the breakdown counts. */
export const AUTH_EVENT_NAMES: ReadonlySet<string> = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'AdminInitiateAuth',
  'AdminRespondToAuthChallenge',
  'SignUp',
  'ConfirmSignUp',
  'AdminConfirmSignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'GetTokensFromRefreshToken',
  'RevokeToken',
  'GlobalSignOut',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'StartWebAuthnRegistration',
  'CompleteWebAuthnRegistration',
])

export interface PoolRef {
  id: string
  /** Its app clients, to attribute events that name only a client; none when they could not be listed. */
  clients: Listing<{ id: string }>
}

interface ParsedEvent {
  eventName?: string
  errorCode?: string
  sourceIPAddress?: string
  requestParameters?: { userPoolId?: unknown; clientId?: unknown } | null
  additionalEventData?: { sub?: unknown } | null
}

/** Tallies failed auth events; feed it each `CloudTrailEvent` JSON string, then call `result()`. */
export class FailureTally {
  private readonly counts = new Map<string, number>()
  private readonly subs = new Map<string, Map<string, number>>()
  private readonly ips = new Map<string, Map<string, number>>()
  private readonly poolIds: Set<string>
  private readonly clientToPool = new Map<string, string>()
  /** Records that could not be parsed as JSON (counted, never kept). */
  unparsable = 0

  constructor(
    pools: PoolRef[],
    private readonly personalData: boolean,
  ) {
    this.poolIds = new Set(pools.map((p) => p.id))
    for (const p of pools) for (const c of itemsRead(p.clients)) this.clientToPool.set(c.id, p.id)
  }

  /** The audited pool an event belongs to; undefined for another pool of the account (not audited). */
  attribute(e: ParsedEvent): string | undefined {
    const rp = e.requestParameters ?? {}
    if (typeof rp.userPoolId === 'string' && rp.userPoolId) {
      return this.poolIds.has(rp.userPoolId) ? rp.userPoolId : undefined
    }
    if (typeof rp.clientId === 'string') {
      const pool = this.clientToPool.get(rp.clientId)
      if (pool) return pool
    }
    return UNATTRIBUTED
  }

  add(cloudTrailEvent: string | undefined, fallbackName?: string): void {
    let e: ParsedEvent
    try {
      e = JSON.parse(cloudTrailEvent ?? '') as ParsedEvent
    } catch {
      this.unparsable++
      return
    }
    if (!e || typeof e !== 'object') return
    const name = e.eventName ?? fallbackName
    if (!name || !AUTH_EVENT_NAMES.has(name)) return
    if (typeof e.errorCode !== 'string' || e.errorCode === '') return
    const pool = this.attribute(e)
    if (pool === undefined) return
    const key = JSON.stringify([pool, name, e.errorCode])
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    if (this.personalData) {
      const sub = e.additionalEventData?.sub
      if (typeof sub === 'string' && sub) bump(this.subs, pool, sub)
      if (typeof e.sourceIPAddress === 'string' && e.sourceIPAddress) bump(this.ips, pool, e.sourceIPAddress)
    }
  }

  failures(): FailureCount[] {
    return [...this.counts]
      .map(([key, count]) => {
        const [poolId, eventName, errorCode] = JSON.parse(key) as [string, string, string]
        return { poolId, eventName, errorCode, count }
      })
      .sort(
        (a, b) =>
          poolOrder(a.poolId, b.poolId) ||
          b.count - a.count ||
          cmp(a.eventName, b.eventName) ||
          cmp(a.errorCode, b.errorCode),
      )
  }

  /** Undefined unless personal data is allowed. */
  personal(): PersonalCounts[] | undefined {
    if (!this.personalData) return undefined
    const pools = [...new Set([...this.subs.keys(), ...this.ips.keys()])].sort(poolOrder)
    return pools.map((poolId) => ({
      poolId,
      distinctSubs: this.subs.get(poolId)?.size ?? 0,
      distinctSourceIps: this.ips.get(poolId)?.size ?? 0,
      topSubs: top5(this.subs.get(poolId)),
      topSourceIps: top5(this.ips.get(poolId)),
    }))
  }
}

function bump(m: Map<string, Map<string, number>>, pool: string, value: string): void {
  let inner = m.get(pool)
  if (!inner) {
    inner = new Map()
    m.set(pool, inner)
  }
  inner.set(value, (inner.get(value) ?? 0) + 1)
}

function top5(m: Map<string, number> | undefined): ValueCount[] {
  return [...(m ?? [])]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || cmp(a.value, b.value))
    .slice(0, 5)
}

/** Pool ids in order, `unattributed` last. */
function poolOrder(a: string, b: string): number {
  return Number(a === UNATTRIBUTED) - Number(b === UNATTRIBUTED) || cmp(a, b)
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
