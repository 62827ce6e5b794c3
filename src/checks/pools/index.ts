/**
 * Requirement `pools`: the pools the policy names exist, and every pool selector in the policy matches
 * one. Its findings go in the threat-protection column (a missing pool has no protection to show).
 */
import { defineRequirement } from '../../model/requirement.js'
import { poolExists } from './exists.js'
import { policySelectors } from './selectors.js'

export const poolsRequirement = defineRequirement({
  id: 'pools',
  field: 'pools',
  checks: [poolExists, policySelectors],
  enabled: () => true,
  needsLiveAccount: false,
})
