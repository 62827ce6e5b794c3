/** Policy section `threat-protection`: the mode every pool needs, overrides per pool, and whether ENFORCED must really block. */
import { PolicyIssue, type PolicySection } from '../../model/policy-section.js'

export type RequiredMode = 'AUDIT' | 'ENFORCED'

export interface ThreatProtectionPolicy {
  /** Minimum mode for standard authentication, by default. Default `AUDIT`. */
  mode: RequiredMode
  /** An ENFORCED pool must really block (risk configuration takes action). Default true. */
  requireBlocking: boolean
  /** Minimum mode for custom-authentication flows; undefined = not required. */
  customAuthMode?: RequiredMode
  /** Per-pool overrides, first match wins. `pool` is an id or a name glob. */
  overrides: Array<{ pool: string; mode?: RequiredMode; requireBlocking?: boolean; customAuthMode?: RequiredMode }>
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
    'An ENFORCED pool must really block: its risk configuration takes action on compromised credentials and ' +
    'high-risk sign-ins, and its always-allow IP ranges do not cover every address.',
}

interface RawOverride {
  pool: string
  mode?: RequiredMode
  'require-blocking'?: boolean
  'custom-auth-mode'?: RequiredMode
}

interface RawThreatProtection {
  mode?: RequiredMode
  'require-blocking'?: boolean
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
      ...(customAuthMode ? { customAuthMode } : {}),
      overrides: (r.overrides ?? []).map((o, i) => {
        if (o.mode === undefined && o['require-blocking'] === undefined && o['custom-auth-mode'] === undefined) {
          throw new PolicyIssue(
            ['threat-protection', 'overrides', i],
            `override for "${o.pool}" sets nothing: add mode, require-blocking or custom-auth-mode`,
          )
        }
        return {
          pool: o.pool,
          ...(o.mode ? { mode: o.mode } : {}),
          ...(o['require-blocking'] !== undefined ? { requireBlocking: o['require-blocking'] } : {}),
          ...(o['custom-auth-mode'] ? { customAuthMode: o['custom-auth-mode'] } : {}),
        }
      }),
    }
  },
}
