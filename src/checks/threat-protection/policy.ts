/** Policy section `threat-protection`: the mode every pool needs, overrides per pool, and whether ENFORCED must really block. */
import { PolicyIssue, type PolicySection } from '../../model/policy-section.js'

export type RequiredMode = 'AUDIT' | 'ENFORCED'
export type RiskLevel = 'High' | 'Medium' | 'Low'
export const RISK_LEVELS: readonly RiskLevel[] = ['High', 'Medium', 'Low']

export interface ThreatProtectionPolicy {
  /** Minimum mode for standard authentication, by default. Default `AUDIT`. */
  mode: RequiredMode
  /** An ENFORCED pool must really block (risk configuration takes action). Default true. */
  requireBlocking: boolean
  /** Account-takeover risk levels whose sign-ins an ENFORCED pool must stop for every user. Default `[High]`. */
  riskLevels: RiskLevel[]
  /** Minimum mode for custom-authentication flows; undefined = not required. */
  customAuthMode?: RequiredMode
  /** Per-pool overrides, first match wins. `pool` is an id or a name glob. */
  overrides: Array<{
    pool: string
    mode?: RequiredMode
    requireBlocking?: boolean
    riskLevels?: RiskLevel[]
    customAuthMode?: RequiredMode
  }>
}

const MODES: RequiredMode[] = ['AUDIT', 'ENFORCED']

const mode = (description: string, dflt?: RequiredMode) => ({
  enum: MODES,
  description,
  ...(dflt ? { default: dflt } : {}),
})

const requireBlocking = {
  type: 'boolean',
  description:
    'An ENFORCED pool must really block: its risk configuration blocks compromised credentials at sign-in and ' +
    'stops sign-ins at the account-takeover risk levels of risk-levels (default High) for every user, and its ' +
    'always-allow IP ranges do not cover every address.',
}

const riskLevels = {
  type: 'array',
  uniqueItems: true,
  items: { enum: ['High', 'Medium', 'Low', 'high', 'medium', 'low'] },
  description:
    'Account-takeover risk levels at which an ENFORCED pool must stop every risky sign-in (checked with ' +
    'require-blocking): the action is BLOCK or MFA_REQUIRED, or MFA_IF_CONFIGURED on a pool that requires MFA of every ' +
    'user (MfaConfiguration ON), since MFA_IF_CONFIGURED lets users without MFA through. Levels not listed are ' +
    'reported as notes. Any casing.',
}

/** Canonical, de-duplicated risk levels; an empty list or an unknown level is a policy issue. */
function toRiskLevels(raw: string[], path: Array<string | number>): RiskLevel[] {
  if (raw.length === 0) throw new PolicyIssue(path, 'must list at least one risk level (High, Medium, Low)')
  const out: RiskLevel[] = []
  raw.forEach((value, i) => {
    const level = RISK_LEVELS.find((l) => l.toLowerCase() === String(value).toLowerCase())
    if (!level) throw new PolicyIssue([...path, i], `unknown risk level "${value}" (High, Medium or Low)`)
    if (!out.includes(level)) out.push(level)
  })
  return out
}

interface RawOverride {
  pool: string
  mode?: RequiredMode
  'require-blocking'?: boolean
  'risk-levels'?: string[]
  'custom-auth-mode'?: RequiredMode
}

interface RawThreatProtection {
  mode?: RequiredMode
  'require-blocking'?: boolean
  'risk-levels'?: string[]
  'custom-auth-mode'?: RequiredMode
  overrides?: RawOverride[]
}

export const threatProtectionSection: PolicySection<ThreatProtectionPolicy> = {
  key: 'threat-protection',
  description:
    'Required threat protection (formerly advanced security features) mode per user pool, and whether ENFORCED must block.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      mode: mode(
        'Minimum threat-protection mode for standard authentication: AUDIT (at least audit) or ENFORCED.',
        'AUDIT',
      ),
      'require-blocking': { ...requireBlocking, default: true },
      'risk-levels': { ...riskLevels, default: ['High'] },
      'custom-auth-mode': mode(
        'Minimum threat-protection mode for custom-authentication flows (AdvancedSecurityAdditionalFlows). ' +
          'Not checked when absent.',
      ),
      overrides: {
        type: 'array',
        description: 'Per-pool requirements; the first override whose pool matches wins, over the defaults above.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['pool'],
          properties: {
            pool: {
              type: 'string',
              minLength: 1,
              description: 'A pool id (us-east-1_AbC123) or a pool-name glob (* and ?).',
              examples: ['us-east-1_AbC123', 'legacy-*'],
            },
            mode: mode('Minimum mode for standard authentication for this pool.'),
            'require-blocking': requireBlocking,
            'risk-levels': riskLevels,
            'custom-auth-mode': mode('Minimum mode for custom-authentication flows for this pool.'),
          },
        },
      },
    },
  },
  normalize(raw) {
    const r = (raw ?? {}) as RawThreatProtection
    const customAuthMode = r['custom-auth-mode']
    return {
      mode: r.mode ?? 'AUDIT',
      requireBlocking: r['require-blocking'] ?? true,
      riskLevels: toRiskLevels(r['risk-levels'] ?? ['High'], ['threat-protection', 'risk-levels']),
      ...(customAuthMode ? { customAuthMode } : {}),
      overrides: (r.overrides ?? []).map((o, i) => {
        if (
          o.mode === undefined &&
          o['require-blocking'] === undefined &&
          o['risk-levels'] === undefined &&
          o['custom-auth-mode'] === undefined
        ) {
          throw new PolicyIssue(
            ['threat-protection', 'overrides', i],
            `override for "${o.pool}" sets nothing: add mode, require-blocking, risk-levels or custom-auth-mode`,
          )
        }
        return {
          pool: o.pool,
          ...(o.mode ? { mode: o.mode } : {}),
          ...(o['require-blocking'] !== undefined ? { requireBlocking: o['require-blocking'] } : {}),
          ...(o['risk-levels'] !== undefined
            ? { riskLevels: toRiskLevels(o['risk-levels'], ['threat-protection', 'overrides', i, 'risk-levels']) }
            : {}),
          ...(o['custom-auth-mode'] ? { customAuthMode: o['custom-auth-mode'] } : {}),
        }
      }),
    }
  },
}
