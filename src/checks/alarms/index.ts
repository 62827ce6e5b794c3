/** Requirement `alarms`: CloudWatch alarms on the risk and throttle metrics and on AWS/Usage ThrottleCount. */
import { defineRequirement } from '../../model/requirement.js'
import { alarmsRisk, alarmsThrottles, alarmsUsage } from './checks.js'
import { alarmsSection } from './policy.js'

export const alarmsRequirement = defineRequirement({
  id: 'alarms',
  label: 'Alarms',
  field: 'alarms',
  section: alarmsSection,
  checks: [alarmsRisk, alarmsThrottles, alarmsUsage],
  enabled: (a) => a.enabled,
  method: (a) => {
    const parts = [
      a.risk.enabled
        ? [`risk (${a.risk.metrics.join(', ')}; ${a.risk.operations.join('/')} × ${a.risk.riskLevels.join('/')})`]
        : [],
      a.throttles.enabled ? [`throttles (${a.throttles.metrics.join(', ')}, every app client)`] : [],
      a.usage.enabled
        ? [{ code: 'AWS/Usage' }, ` ThrottleCount (${a.usage.resources.join(', ')}) once per region`]
        : [],
    ].filter((p) => p.length > 0)
    return [
      ...(parts.length ? parts.flatMap((p, i) => (i ? ['; ', ...p] : p)) : ['none required']),
      '. An alarm counts when it selects the pool by its dimensions, is enabled, can fire on a count, and has an action (directly or through a composite alarm)',
    ]
  },
  selectors: (a) =>
    a.enabled
      ? (['risk', 'throttles'] as const).flatMap((k) =>
          a[k].enabled
            ? a[k].pools.map((selector, i) => ({ selector, key: `alarms.${k}.pools[${i}]`, requirement: 'alarms' }))
            : [],
        )
      : [],
  needsLiveAccount: false,
})
