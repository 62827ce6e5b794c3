/** Policy section `threat-protection` (issue 2). */
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
