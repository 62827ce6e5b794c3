/**
 * Finding identity: a stable key per finding, built from what the finding is about (check, account,
 * region, pool, and the narrower thing it names), never from its message, title, severity or status.
 * Two runs that see the same problem produce the same key even when the wording of the message
 * changes; a problem on another pool, region, client, metric or account gets another key.
 *
 * The key is readable, so a committed baseline can be reviewed line by line:
 *
 *   threat-protection-enforcement/123456789012/us-east-1/us-east-1_AbC123/client=1example
 *   cloudtrail-capture/123456789012/eu-west-1/-
 *
 * Parts are separated by `/`; a `/` or `%` inside a part is percent-encoded. An unknown account or a
 * region-level finding writes `-` in its place.
 */
import type { Finding } from './finding.js'

export const NO_PART = '-'

/** What the key is built from. `subject` is the thing narrower than the pool, when there is one. */
export interface IdentityParts {
  checkId: string
  account?: string
  region: string
  poolId?: string
  subject?: string
}

/**
 * The narrower thing a finding is about, per check. The default is `resource` (an alarm's metric, a
 * quota resource, a named property). Exceptions, where `resource` is a display value that can change
 * while the problem stays the same:
 * - `cloudtrail-capture` is one finding per region; its `resource` is whichever trail decided it
 *   this time, so it is not part of the identity.
 * - `threat-protection-enforcement` names an app client as "name (id)": the client id identifies it
 *   (a renamed client is the same client).
 * - `policy-selectors` names a policy key with a list index: the key without the index and the
 *   selector identify it (inserting an entry above it must not make it new).
 */
export function findingSubject(f: Pick<Finding, 'checkId' | 'resource' | 'evidence'>): string | undefined {
  const ev = f.evidence ?? {}
  switch (f.checkId) {
    case 'cloudtrail-capture':
      return undefined
    case 'threat-protection-enforcement': {
      if (typeof ev.clientId === 'string') return `client=${ev.clientId}`
      if (f.resource === undefined) return undefined
      const m = /\(([^()]+)\)$/.exec(f.resource)
      return `client=${m ? m[1] : f.resource}`
    }
    case 'policy-selectors': {
      const key = typeof ev.key === 'string' ? ev.key : f.resource
      if (key === undefined) return undefined
      const selector = typeof ev.selector === 'string' ? ev.selector : ''
      return `${key.replace(/\[\d+\]/g, '[]')}=${selector}`
    }
    default:
      return f.resource
  }
}

export function identityParts(
  f: Pick<Finding, 'checkId' | 'region' | 'poolId' | 'resource' | 'evidence'>,
  account?: string,
): IdentityParts {
  const subject = findingSubject(f)
  return {
    checkId: f.checkId,
    ...(account ? { account } : {}),
    region: f.region,
    ...(f.poolId ? { poolId: f.poolId } : {}),
    ...(subject !== undefined && subject !== '' ? { subject } : {}),
  }
}

function part(text: string | undefined): string {
  if (text === undefined || text === '') return NO_PART
  return text.replaceAll('%', '%25').replaceAll('/', '%2F')
}

export function formatIdentity(p: IdentityParts): string {
  const head = [part(p.checkId), part(p.account), part(p.region), part(p.poolId)].join('/')
  return p.subject === undefined ? head : `${head}/${part(p.subject)}`
}

/** The finding's key. `account` is the report's account id (findings do not carry it). */
export function findingIdentity(
  f: Pick<Finding, 'checkId' | 'region' | 'poolId' | 'resource' | 'evidence'>,
  account?: string,
): string {
  return formatIdentity(identityParts(f, account))
}

/** The account part of a key (`undefined` when the key was made without one). */
export function accountOf(id: string): string | undefined {
  const a = id.split('/')[1]
  return a === undefined || a === NO_PART ? undefined : a
}

/** The key with its account part replaced by `-`: for comparing a report whose account is unknown. */
export function withoutAccount(id: string): string {
  const parts = id.split('/')
  if (parts.length > 1) parts[1] = NO_PART
  return parts.join('/')
}

/**
 * Keys for a list of findings, unique within it. Two findings of one run about the same subject
 * (which no check emits today) get `#2`, `#3` … in the order given, so neither is lost.
 */
export function assignIdentities<F extends Pick<Finding, 'checkId' | 'region' | 'poolId' | 'resource' | 'evidence'>>(
  findings: readonly F[],
  account?: string,
): Array<F & { id: string }> {
  const seen = new Map<string, number>()
  return findings.map((f) => {
    const base = findingIdentity(f, account)
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return { ...f, id: n === 1 ? base : `${base}#${n}` }
  })
}
