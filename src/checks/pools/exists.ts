/**
 * Check `pool-exists`: every pool the policy names exists, every audited region
 * could be listed, and the audit found something to audit: no pool at all in the regions
 * that could be listed is an `error` (a mistyped region or the wrong account), unless the
 * policy says `pools.allow-none: true`. A pool named by id that is not there is a violation, not a skip;
 * a name glob is a violation when it matches a pool in no audited region.
 */
import type { Finding } from '../../model/finding.js'
import { POOL_ID_PATTERN, type PoolSelection } from '../../model/match.js'
import { shellQuote as q } from '../../model/quote.js'
import type { Check } from '../../model/requirement.js'
import { type AccountSnapshot, itemsRead } from '../../model/snapshot.js'
import { errorFinding, regionFinding } from '../finding.js'

export const poolExists: Check<PoolSelection> = {
  id: 'pool-exists',
  title: 'Every user pool named in the policy exists',
  failTitle: 'A user pool named in the policy does not exist',
  requirement: 'threat-protection',
  severity: 'high',
  // It reports what is missing; the pools that exist are judged by the other checks.
  subjects: { per: 'none' },
  run: (snapshot: AccountSnapshot, pools: PoolSelection): Finding[] => {
    const out: Finding[] = []
    // Region errors: nothing in that region (pools, missing ids, name matches) can be verified.
    // An error about one named pool (a saved snapshot that lacks it) is that pool's, not the region's.
    for (const r of snapshot.regions) {
      for (const e of r.cognito.errors) {
        const f = errorFinding(poolExists, e)
        out.push(e.resource && POOL_ID_PATTERN.test(e.resource) ? { ...f, poolId: e.resource } : f)
      }
    }

    for (const r of snapshot.regions) {
      for (const m of r.cognito.missing) {
        if (m.kind !== 'id') continue
        out.push(missingFinding(m.selector, r.region, [r.region], 'id'))
      }
    }

    // A name glob is missing only when every region was listed and none has a match.
    const globs = new Set(snapshot.regions.flatMap((r) => r.cognito.missing.filter((m) => m.kind === 'name')))
    const selectors = [...new Set([...globs].map((m) => m.selector))]
    for (const glob of selectors) {
      const missingIn = snapshot.regions.filter((r) =>
        r.cognito.missing.some((m) => m.kind === 'name' && m.selector === glob),
      )
      if (missingIn.length === 0 || missingIn.length !== snapshot.regions.length) continue
      const regions = missingIn.map((r) => r.region)
      out.push(missingFinding(glob, regions[0] as string, regions, 'name'))
    }

    // An audit of nothing: no pool in any region that could be listed, and none named that is missing.
    const listed = snapshot.regions
      .filter((r) => r.cognito.errors.length === 0 && r.cognito.pools.state === 'loaded')
      .map((r) => r.region)
    const found = snapshot.regions.some((r) => itemsRead(r.cognito.pools).length > 0 || r.cognito.missing.length > 0)
    if (listed.length > 0 && !found && !pools.allowNone) out.push(nothingFinding(listed))
    return out
  },
}

/** The message of the finding for an audit that found no pool (the headline repeats it). */
export function nothingAudited(regions: readonly string[]): string {
  return `No user pools found in ${regions.join(', ')}: nothing was audited`
}

function nothingFinding(regions: string[]): Finding {
  return regionFinding(poolExists, regions[0] as string, 'error', `${nothingAudited(regions)}.`, {
    evidence: { kind: 'none', regions },
    remediation:
      'Check the regions in the policy and the AWS account the audit runs in (a mistyped region or the wrong role finds nothing). ' +
      'If no pool is expected there (an organisation-wide run over accounts without Cognito), set `pools: { allow-none: true }` in the policy.',
  })
}

function missingFinding(selector: string, region: string, regions: string[], kind: 'id' | 'name'): Finding {
  const where = regions.join(', ')
  const what = kind === 'id' ? 'pool id' : 'pool name pattern'
  return regionFinding(
    poolExists,
    region,
    'fail',
    `${selector}: named in the policy but no such user pool exists in ${where}.`,
    {
      poolId: selector,
      evidence: { selector, kind, regions },
      remediation: `Check the ${what} "${selector}" and the regions in the policy file (and that the audit runs in the right AWS account): correct it, remove it, or create the pool. Run \`aws cognito-idp list-user-pools --max-results 60 --region ${q(region)}\` to see the pools that exist.`,
    },
  )
}
