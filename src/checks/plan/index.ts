/**
 * The pre-deploy gate's policy section `plan`. It has no checks of its own: `judge.ts` applies a plan's
 * semantics (unknown values, "not in this plan", introduced vs already in the account) to the findings of
 * the other requirements when the snapshot is a plan.
 */
import { defineRequirement } from '../../model/requirement.js'
import { planSection } from './policy.js'

export const planRequirement = defineRequirement({
  id: 'plan',
  field: 'plan',
  section: planSection,
  checks: [],
  enabled: () => false,
  needsLiveAccount: false,
})
