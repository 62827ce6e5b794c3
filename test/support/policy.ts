/** A complete, typed Policy for unit tests, with every field defaulted; override what a test is about. */
import { activitySection } from '../../src/checks/activity/policy.js'
import { alarmsSection } from '../../src/checks/alarms/policy.js'
import { cloudTrailSection } from '../../src/checks/cloudtrail/policy.js'
import type { ThreatProtectionPolicy } from '../../src/checks/threat-protection/policy.js'
import type { Policy, PoolSelection } from '../../src/policy/types.js'

export type PolicyOverrides = Partial<Omit<Policy, 'pools' | 'threatProtection'>> & {
  pools?: Partial<PoolSelection>
  threatProtection?: Partial<ThreatProtectionPolicy>
}

/**
 * Defaults: every pool of us-east-1, threat protection at least AUDIT with blocking required,
 * no custom-auth requirement, no overrides; the alarm, CloudTrail and activity requirements off.
 */
export function testPolicy(overrides: PolicyOverrides = {}): Policy {
  const regions = overrides.regions ?? ['us-east-1']
  const ctx = { regions }
  const { pools, threatProtection, ...rest } = overrides
  return {
    source: 'test',
    regions,
    alarms: alarmsSection.normalize({ enabled: false }, ctx),
    cloudtrail: cloudTrailSection.normalize({ enabled: false }, ctx),
    activity: activitySection.normalize({ enabled: false }, ctx),
    plan: { outsidePlan: 'error' },
    exemptions: [],
    report: { personalData: false },
    ...rest,
    pools: {
      ids: pools?.ids ?? [],
      names: pools?.names ?? [],
      all: pools?.all ?? (!pools?.ids?.length && !pools?.names?.length),
      ...(pools?.allowNone ? { allowNone: true } : {}),
    },
    threatProtection: {
      mode: 'AUDIT',
      requireBlocking: true,
      riskLevels: ['High'],
      overrides: [],
      ...threatProtection,
    },
  }
}
