/**
 * Check `threat-protection`: each pool's threat-protection mode is at least what
 * the policy requires (standard authentication, and custom authentication when the
 * policy asks for it). The pool's feature plan is reported; threat protection needs Plus.
 */
import type { Finding } from '../../model/finding.js'
import { matchesPool } from '../../model/match.js'
import { shellQuote as q } from '../../model/quote.js'
import type { Check } from '../../model/requirement.js'
import type { AccountSnapshot, UserPool } from '../../model/snapshot.js'
import { errorFinding, perListedPool, poolFinding } from '../finding.js'
import type { RequiredMode, RiskLevel, ThreatProtectionPolicy } from './policy.js'
import { plannedModeRemediation } from './remediation.js'

/** What the policy requires of one pool: the first matching override, field by field over the defaults. */
export interface PoolRequirement {
  mode: RequiredMode
  requireBlocking: boolean
  /** Account-takeover levels whose sign-ins must be stopped for every user. */
  riskLevels: RiskLevel[]
  customAuthMode?: RequiredMode
  /** The override selector that applied, if any. */
  override?: string
}

export function requirementFor(pool: Pick<UserPool, 'id' | 'name'>, tp: ThreatProtectionPolicy): PoolRequirement {
  const o = tp.overrides.find((x) => matchesPool(x.pool, pool))
  const customAuthMode = o?.customAuthMode ?? tp.customAuthMode
  return {
    mode: o?.mode ?? tp.mode,
    requireBlocking: o?.requireBlocking ?? tp.requireBlocking,
    riskLevels: o?.riskLevels ?? tp.riskLevels ?? ['High'],
    ...(customAuthMode ? { customAuthMode } : {}),
    ...(o ? { override: o.pool } : {}),
  }
}

/** Tiers whose pools cannot use threat protection. */
const TIERS_WITHOUT_THREAT_PROTECTION = new Set(['LITE', 'ESSENTIALS'])

const RANK = { OFF: 0, AUDIT: 1, ENFORCED: 2 } as const

function meets(actual: keyof typeof RANK | undefined, required: RequiredMode): boolean {
  return RANK[actual ?? 'OFF'] >= RANK[required]
}

function tierText(tier: string | undefined): string {
  return tier ? `feature plan ${tier}` : 'feature plan not reported'
}

const CDK_STANDARD = { AUDIT: 'AUDIT_ONLY', ENFORCED: 'FULL_FUNCTION' } as const

/** Remediation for a pool whose mode (standard or custom-auth) is below the requirement: for a planned
 *  pool the properties in its own language, for a live one the CLI command. */
export function modeRemediation(pool: UserPool, required: RequiredMode, flow: 'standard' | 'custom'): string {
  if (pool.plan) return plannedModeRemediation(pool, pool.plan, required, flow)
  const lines: string[] = []
  if (pool.tier && TIERS_WITHOUT_THREAT_PROTECTION.has(pool.tier)) {
    lines.push(
      `This pool is on the ${pool.tier} feature plan, which does not include threat protection: move it to the Plus plan first (UserPoolTier: PLUS; billed per monthly active user).`,
    )
  }
  const tierArg = pool.tier === 'PLUS' ? '' : ' --user-pool-tier PLUS'
  if (flow === 'standard') {
    lines.push(
      `CloudFormation (AWS::Cognito::UserPool): UserPoolTier: PLUS and UserPoolAddOns: { AdvancedSecurityMode: ${required} }.`,
      `CDK (aws_cognito.UserPool): featurePlan: FeaturePlan.PLUS, standardThreatProtectionMode: StandardThreatProtectionMode.${CDK_STANDARD[required]} (replaces the deprecated advancedSecurityMode).`,
      `CLI: aws cognito-idp update-user-pool --user-pool-id ${q(pool.id)}${tierArg} --user-pool-add-ons AdvancedSecurityMode=${required} --region ${q(pool.region)}`,
    )
  } else {
    const standard = pool.advancedSecurityMode === 'OFF' ? 'AUDIT' : pool.advancedSecurityMode
    lines.push(
      `CloudFormation (AWS::Cognito::UserPool): UserPoolTier: PLUS and UserPoolAddOns: { AdvancedSecurityMode: ${standard}, AdvancedSecurityAdditionalFlows: { CustomAuthMode: ${required} } }.`,
      `CDK (aws_cognito.UserPool): featurePlan: FeaturePlan.PLUS, customThreatProtectionMode: CustomThreatProtectionMode.${CDK_STANDARD[required]}.`,
      `CLI: aws cognito-idp update-user-pool --user-pool-id ${q(pool.id)}${tierArg} --user-pool-add-ons 'AdvancedSecurityMode=${standard},AdvancedSecurityAdditionalFlows={CustomAuthMode=${required}}' --region ${q(pool.region)}`,
    )
  }
  lines.push(
    'Warning: update-user-pool resets every setting you do not pass to its default. Run `aws cognito-idp describe-user-pool` first and pass the current settings along, or change it in your infrastructure code instead.',
  )
  return lines.join('\n')
}

export const threatProtection: Check<ThreatProtectionPolicy> = {
  id: 'threat-protection',
  title: 'Threat protection is on',
  failTitle: 'Threat protection is weaker than the policy requires',
  requirement: 'threat-protection',
  severity: 'high',
  run: (snapshot: AccountSnapshot, tp: ThreatProtectionPolicy): Finding[] =>
    snapshot.regions.flatMap((r) => perListedPool(threatProtection, r, (pool) => evaluatePool(pool, tp))),
}

function evaluatePool(pool: UserPool, tp: ThreatProtectionPolicy): Finding[] {
  const describeError = pool.errors.find((e) => e.action === 'DescribeUserPool')
  if (describeError) return [errorFinding(threatProtection, describeError, pool)]

  const req = requirementFor(pool, tp)
  const out: Finding[] = []
  const tier = tierText(pool.tier)
  const evidence = {
    mode: pool.advancedSecurityMode,
    required: req.mode,
    tier: pool.tier ?? null,
    ...(req.override ? { override: req.override } : {}),
  }

  // Standard authentication (username/password, SRP).
  if (meets(pool.advancedSecurityMode, req.mode)) {
    const odd =
      pool.tier && TIERS_WITHOUT_THREAT_PROTECTION.has(pool.tier)
        ? ` (AWS reports the mode although the ${pool.tier} plan does not include threat protection)`
        : ''
    out.push(
      poolFinding(
        threatProtection,
        pool,
        'pass',
        `Threat protection is ${pool.advancedSecurityMode} (required: at least ${req.mode}); ${tier}${odd}.`,
        { evidence },
      ),
    )
  } else {
    const what =
      pool.advancedSecurityMode === 'OFF'
        ? 'Threat protection is off'
        : `Threat protection is only ${pool.advancedSecurityMode}`
    out.push(
      poolFinding(threatProtection, pool, 'fail', `${what}; the policy requires ${req.mode} (${tier}).`, {
        ...(pool.advancedSecurityMode === 'OFF' ? { failTitle: 'Threat protection is off' } : {}),
        evidence,
        remediation: modeRemediation(pool, req.mode, 'standard'),
      }),
    )
  }

  // Custom authentication (Lambda challenge flows), only when the policy asks for it.
  if (req.customAuthMode) {
    const resource = 'custom authentication flows'
    const customEvidence = {
      flow: 'custom-auth',
      customAuthMode: pool.customAuthMode ?? null,
      required: req.customAuthMode,
      tier: pool.tier ?? null,
      ...(req.override ? { override: req.override } : {}),
    }
    if (meets(pool.customAuthMode, req.customAuthMode)) {
      out.push(
        poolFinding(
          threatProtection,
          pool,
          'pass',
          `Threat protection for custom authentication is ${pool.customAuthMode} (required: at least ${req.customAuthMode}).`,
          { resource, evidence: customEvidence },
        ),
      )
    } else {
      const what = pool.customAuthMode
        ? `Threat protection for custom authentication is only ${pool.customAuthMode}`
        : 'Threat protection is not enabled for custom authentication'
      out.push(
        poolFinding(threatProtection, pool, 'fail', `${what}; the policy requires ${req.customAuthMode} (${tier}).`, {
          resource,
          evidence: customEvidence,
          remediation: modeRemediation(pool, req.customAuthMode, 'custom'),
        }),
      )
    }
  }
  return out
}
