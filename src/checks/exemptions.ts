/**
 * Exemptions: a failing finding that a current exemption covers becomes `exempt`.
 * An expired exemption no longer applies, and the finding says so.
 */
import type { Finding } from '../model/finding.js'
import { globMatcher } from '../model/match.js'
import type { Exemption } from '../model/requirement.js'

function covers(ex: Exemption, f: Finding): boolean {
  if (ex.requirement !== f.requirement && ex.requirement !== f.checkId) return false
  if (ex.pool === '*') return true
  // Region-level findings are exempted only by `*` or by the region's name.
  if (!f.poolId) return ex.pool === f.region
  return ex.pool === f.poolId || (f.poolName !== undefined && globMatcher(ex.pool).test(f.poolName))
}

/** `today` is an ISO date (YYYY-MM-DD); an exemption is valid through its expiry date. */
export function applyExemptions(findings: Finding[], exemptions: Exemption[], today: string): Finding[] {
  return findings.map((f) => {
    if (f.status !== 'fail' && f.status !== 'warn') return f
    const matching = exemptions.filter((ex) => covers(ex, f))
    if (matching.length === 0) return f
    const current = matching.find((ex) => !ex.expires || ex.expires >= today)
    if (current) {
      return {
        ...f,
        status: 'exempt',
        exemption: { reason: current.reason, ...(current.expires ? { expires: current.expires } : {}) },
      }
    }
    const expired = matching[0] as Exemption
    return {
      ...f,
      message: `${f.message} (exemption expired on ${expired.expires}: "${expired.reason}")`,
      exemption: { reason: expired.reason, expires: expired.expires, expired: true },
    }
  })
}
