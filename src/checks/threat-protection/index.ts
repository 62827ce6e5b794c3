/** Requirement `threat-protection`: the pool's threat-protection mode, and that ENFORCED really blocks. */
import { defineRequirement } from '../../model/requirement.js'
import { threatProtectionEnforcement } from './enforcement.js'
import { threatProtection } from './mode.js'
import { threatProtectionSection } from './policy.js'

export const threatProtectionRequirement = defineRequirement({
  id: 'threat-protection',
  label: 'Threat protection',
  field: 'threatProtection',
  section: threatProtectionSection,
  checks: [threatProtection, threatProtectionEnforcement],
  enabled: () => true,
  method: (tp) => [
    'at least ',
    { code: tp.mode },
    ` by default${
      tp.requireBlocking
        ? `; ENFORCED pools must block compromised credentials and stop ${tp.riskLevels.map((l) => l.toLowerCase()).join('/')}-risk sign-ins for every user (MFA_IF_CONFIGURED counts only on a pool with MfaConfiguration ON)`
        : ''
    }`,
  ],
  selectors: (tp) =>
    tp.overrides.map((o, i) => ({
      selector: o.pool,
      key: `threat-protection.overrides[${i}].pool`,
      requirement: 'threat-protection',
    })),
  needsLiveAccount: false,
})
