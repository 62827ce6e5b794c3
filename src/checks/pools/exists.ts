/**
 * Check `pool-exists`: every pool the policy names exists, and every audited region
 * could be listed. A pool named by id that is not there is a violation, not a skip;
 * a name glob is a violation when it matches a pool in no audited region.
 */
import type { Finding } from '../../model/finding.js'
import { POOL_ID_PATTERN, type PoolSelection } from '../../model/match.js'
import type { Check } from '../../model/requirement.js'
import type { AccountSnapshot } from '../../model/snapshot.js'
import { errorFinding, regionFinding } from '../finding.js'

export const poolExists: Check<PoolSelection> = {
  id: 'pool-exists',
  title: 'Every user pool named in the policy exists',
  requirement: 'threat-protection',
  severity: 'high',
  run: (snapshot: AccountSnapshot): Finding[] => {
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
    return out
  },
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
      remediation: `Check the ${what} "${selector}" and the regions in the policy file (and that the audit runs in the right AWS account): correct it, remove it, or create the pool. Run \`aws cognito-idp list-user-pools --max-results 60 --region ${region}\` to see the pools that exist.`,
    },
  )
}
