/** Policy section `plan`: how the pre-deploy gate treats what a plan does not contain. */
import type { PolicySection } from '../../model/policy-section.js'

/** A requirement whose resources are not in the plan (and no live account was read): a gate failure, or shown only. */
export type OutsidePlan = 'error' | 'ignore'

export interface PlanPolicy {
  /** Default `error`. */
  outsidePlan: OutsidePlan
}

export const PLAN_POLICY_DEFAULTS: PlanPolicy = { outsidePlan: 'error' }

interface RawPlan {
  'outside-plan'?: OutsidePlan
}

export const planSection: PolicySection<PlanPolicy> = {
  key: 'plan',
  description:
    'The pre-deploy gate (`cognito-compliance plan`, inputs `template`, `cdk-out`, `terraform-plan`): what to do with a requirement whose resources are not in the plan.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      'outside-plan': {
        type: 'string',
        enum: ['error', 'ignore'],
        default: 'error',
        description:
          'A requirement whose resources are not in the plan (e.g. no trail in an application stack), judged without `live`, is reported "not in this plan". `error` (default): it fails the gate; `ignore`: it is shown but does not fail the gate. Add `live: true` to judge it on the live account instead.',
      },
    },
  },
  normalize: (raw) => {
    const r = (raw ?? {}) as RawPlan
    return { outsidePlan: r['outside-plan'] ?? PLAN_POLICY_DEFAULTS.outsidePlan }
  },
}
