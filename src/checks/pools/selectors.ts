/**
 * Check `policy-selectors`: every pool selector in the policy's overrides, per-requirement pool lists
 * and exemptions matches at least one audited pool. A selector that matches nothing is almost always a
 * typo (`partner-portl`), and a typo in an override that tightens the requirement for some pools
 * weakens the policy without a word, so it is reported (advisory: it never fails the build by itself).
 * Judged only when every audited region's pools could be listed; otherwise nothing can be said.
 */
import type { Check, Finding, Requirement } from '../../model/finding.js'
import { REQUIREMENTS } from '../../model/finding.js'
import type { AccountSnapshot } from '../../model/snapshot.js'
import { matchesPool } from '../../model/match.js'
import type { Policy } from '../../policy/types.js'

export const policySelectors: Check = {
  id: 'policy-selectors',
  title: 'Every pool selector in the policy matches an audited pool',
  requirement: 'threat-protection',
  severity: 'medium',
  run: (snapshot: AccountSnapshot, policy: Policy): Finding[] => {
    if (snapshot.regions.some((r) => r.cognito.errors.length > 0)) return []
    const pools = snapshot.regions.flatMap((r) => r.cognito.pools)
    const regions = new Set(snapshot.regions.map((r) => r.region))
    const used = (selector: string) => selector === '*' || pools.some((p) => matchesPool(selector, p))
    const where = policy.regions.join(', ')
    const refs: Array<{ selector: string; key: string; requirement: Requirement }> = [
      ...policy.threatProtection.overrides.map((o, i) => ({
        selector: o.pool,
        key: `threat-protection.overrides[${i}].pool`,
        requirement: 'threat-protection' as const,
      })),
      ...(policy.alarms.enabled
        ? (['risk', 'throttles'] as const).flatMap((k) =>
            policy.alarms[k].enabled
              ? policy.alarms[k].pools.map((sel, i) => ({
                  selector: sel,
                  key: `alarms.${k}.pools[${i}]`,
                  requirement: 'alarms' as const,
                }))
              : [],
          )
        : []),
      ...(policy.activity.enabled
        ? policy.activity.overrides.map((o, i) => ({
            selector: o.pool,
            key: `activity.overrides[${i}].pool`,
            requirement: 'activity' as const,
          }))
        : []),
      ...policy.exemptions.flatMap((ex, i) =>
        regions.has(ex.pool)
          ? []
          : [
              {
                selector: ex.pool,
                key: `exemptions[${i}].pool`,
                requirement: (REQUIREMENTS as readonly string[]).includes(ex.requirement)
                  ? (ex.requirement as Requirement)
                  : ('threat-protection' as const),
              },
            ],
      ),
    ]
    return refs
      .filter((r) => !used(r.selector))
      .map(
        (r): Finding => ({
          checkId: policySelectors.id,
          requirement: r.requirement,
          title: policySelectors.title,
          severity: policySelectors.severity,
          status: 'warn',
          region: where,
          resource: r.key,
          message: `${r.key} "${r.selector}" matches no audited user pool in ${where}, so it changes nothing: probably a typo.`,
          remediation: `Correct "${r.selector}" in ${policy.source} (a pool id, or a glob over pool names: ${
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
