/**
 * Check `policy-selectors`: every pool selector in the policy's overrides, per-requirement pool lists
 * and exemptions matches at least one audited pool. A selector that matches nothing is almost always a
 * typo (`partner-portl`), and a typo in an override that tightens the requirement for some pools
 * weakens the policy without a word, so it is reported (advisory: it never fails the build by itself).
 * Judged only when every audited region's pools could be listed; otherwise nothing can be said.
 * The selectors are the ones each requirement declares (its descriptor's `selectors`), plus exemptions.
 */
import type { Finding } from '../../model/finding.js'
import { matchesPool, type PoolSelection } from '../../model/match.js'
import type { Check } from '../../model/requirement.js'
import type { UserPool } from '../../model/snapshot.js'

export const policySelectors: Check<PoolSelection> = {
  id: 'policy-selectors',
  title: 'Every pool selector in the policy matches an audited pool',
  failTitle: 'A pool selector in the policy matches no audited pool',
  requirement: 'threat-protection',
  severity: 'medium',
  // It reports selectors that match nothing; a selector that matches is not a finding.
  subjects: { per: 'none' },
  run: (snapshot, _pools, ctx): Finding[] => {
    const pools: UserPool[] = []
    for (const r of snapshot.regions) {
      if (r.cognito.errors.length > 0 || r.cognito.pools.state === 'failed') return []
      pools.push(...r.cognito.pools.items)
    }
    const used = (selector: string) => selector === '*' || pools.some((p) => matchesPool(selector, p))
    const where = ctx.regions.join(', ')
    return ctx.selectors
      .filter((r) => !used(r.selector))
      .map(
        (r): Finding => ({
          checkId: policySelectors.id,
          requirement: r.requirement,
          title: policySelectors.title,
          failTitle: policySelectors.failTitle,
          severity: policySelectors.severity,
          status: 'warn',
          region: where,
          resource: r.key,
          message: `${r.key} "${r.selector}" matches no audited user pool in ${where}, so it changes nothing: probably a typo.`,
          remediation: `Correct "${r.selector}" in ${ctx.policySource} (a pool id, or a glob over pool names: ${
            pools
              .slice(0, 5)
              .map((p) => p.name)
              .join(', ') || 'no pools were audited'
          }${pools.length > 5 ? ', …' : ''}), or remove the entry.`,
          evidence: { selector: r.selector, key: r.key },
        }),
      )
  },
}
