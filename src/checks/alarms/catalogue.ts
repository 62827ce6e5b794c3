/**
 * The metric catalogue: every metric an alarm requirement can be about, the spellings
 * AWS's own sources use for it, and its dimension family.
 *
 * Spellings: the current AWS doc writes `AccountTakeoverRisk` and `CompromisedCredentialRisk`;
 * the archived doc, Grafana and Pulumi write `AccountTakeOverRisk`, and Grafana/Pulumi
 * `CompromisedCredentialsRisk`. No source settles what the service emits, so every spelling
 * is accepted (CloudWatch metric names are case-sensitive, so no other casing is) and the
 * finding says which one the alarm uses and whether ListMetrics shows data for it.
 *
 * Names no source knows are diagnosed as probable typos of the closest known name when the
 * edit distance is small (see `closestKnownName`).
 */

export type Family = 'risk' | 'throttle' | 'usage'

export interface MetricDef {
  /** Canonical name (the policy's name). */
  canonical: string
  /** Every spelling accepted on an alarm; the first is the current AWS doc's. */
  spellings: string[]
  namespace: string
  family: Family
  /** The dimension names the metric is published with (CloudWatch matches dimension sets exactly). */
  dimensions: string[]
  /** The dimension that names the pool; undefined for account-level metrics. */
  poolDimension?: string
  /** The unit the metric is published in: Cognito's metrics are in `Count`; the AWS/Usage metrics have no
   *  unit (`None`). An alarm with another `Unit` never receives a datapoint. */
  unit: 'Count' | 'None'
}

const RISK_DIMS = ['UserPoolId', 'Operation', 'RiskLevel']
const THROTTLE_DIMS = ['UserPool', 'UserPoolClient']

export const METRICS: readonly MetricDef[] = [
  {
    canonical: 'AccountTakeoverRisk',
    spellings: ['AccountTakeoverRisk', 'AccountTakeOverRisk'],
    namespace: 'AWS/Cognito',
    family: 'risk',
    dimensions: RISK_DIMS,
    poolDimension: 'UserPoolId',
    unit: 'Count',
  },
  {
    canonical: 'CompromisedCredentialRisk',
    spellings: ['CompromisedCredentialRisk', 'CompromisedCredentialsRisk'],
    namespace: 'AWS/Cognito',
    family: 'risk',
    dimensions: RISK_DIMS,
    poolDimension: 'UserPoolId',
    unit: 'Count',
  },
  ...['SignInThrottles', 'SignUpThrottles', 'TokenRefreshThrottles'].map(
    (n): MetricDef => ({
      canonical: n,
      spellings: [n],
      namespace: 'AWS/Cognito',
      family: 'throttle',
      dimensions: THROTTLE_DIMS,
      poolDimension: 'UserPool',
      unit: 'Count',
    }),
  ),
  {
    canonical: 'FederationThrottles',
    spellings: ['FederationThrottles'],
    namespace: 'AWS/Cognito',
    family: 'throttle',
    dimensions: [...THROTTLE_DIMS, 'IdentityProvider'],
    poolDimension: 'UserPool',
    unit: 'Count',
  },
  {
    canonical: 'ThrottleCount',
    spellings: ['ThrottleCount'],
    namespace: 'AWS/Usage',
    family: 'usage',
    dimensions: ['Service', 'Type', 'Resource', 'Class'],
    unit: 'None',
  },
]

/** Other metrics Cognito publishes: known names (never typos), but no requirement is about them. */
export const OTHER_KNOWN_NAMES: readonly string[] = [
  'SignUpSuccesses',
  'SignInSuccesses',
  'TokenRefreshSuccesses',
  'FederationSuccesses',
  'OverrideBlock',
  'Risk',
  'NoRisk',
  'CallCount',
]

export function metricDef(canonical: string): MetricDef {
  const def = METRICS.find((m) => m.canonical === canonical)
  if (!def) throw new Error(`unknown metric ${canonical}`)
  return def
}

/** Classic Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost))
    }
    prev = cur
  }
  return prev[b.length]!
}

/** Every name a source or the account's own ListMetrics knows. */
export function knownNames(emitted: Iterable<string> = []): Set<string> {
  return new Set([...METRICS.flatMap((m) => m.spellings), ...OTHER_KNOWN_NAMES, ...emitted])
}

/**
 * For a name no source knows: the closest spelling of `def`, when it is a probable typo of it (and no
 * other catalogued name is closer).
 * A typo is a case-only difference, or an edit distance of at most 3 and at most a fifth of the
 * name's length (`SigninThrottles`, `AccountTakoverRisk`, `SignInThrotles` qualify; `SignUpThrottles`
 * vs `SignInThrottles` would too, which is why known names are never treated as typos).
 */
export function typoOf(name: string, def: MetricDef, known: Set<string>): string | undefined {
  if (known.has(name)) return undefined
  const key = `${def.canonical}\0${name}`
  if (typoCache.has(key)) return typoCache.get(key)
  const found = closestTypo(name, def)
  if (typoCache.size > 10_000) typoCache.clear()
  typoCache.set(key, found)
  return found
}

/** Memo of typo answers (pure, so safe to cache): alarms × pools × targets ask the same question often. */
const typoCache = new Map<string, string | undefined>()

function closestTypo(name: string, def: MetricDef): string | undefined {
  // The nearest of every catalogued name, so `SignUpThrotles` is a typo of SignUpThrottles, not of
  // SignInThrottles; it is a diagnosis for `def` only when that nearest name is one of def's spellings.
  let best: { spelling: string; d: number } | undefined
  for (const s of CATALOGUED) {
    const d = name.toLowerCase() === s.toLowerCase() ? 0 : editDistance(name, s)
    if (!best || d < best.d) best = { spelling: s, d }
  }
  if (!best || !def.spellings.includes(best.spelling)) return undefined
  return best.d <= Math.min(3, Math.floor(best.spelling.length / 5)) ? best.spelling : undefined
}

const CATALOGUED: readonly string[] = [...METRICS.flatMap((m) => m.spellings), ...OTHER_KNOWN_NAMES]

/** Is `name` one of `def`'s spellings (exactly; CloudWatch is case-sensitive)? */
export function isSpellingOf(name: string, def: MetricDef): boolean {
  return def.spellings.includes(name)
}

/** Namespaces that are probably meant to be `ns` (`aws/cognito`, `Cognito`, `AWS/Cognito ` …). */
export function looksLikeNamespace(candidate: string, ns: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '')
  const c = norm(candidate)
  const n = norm(ns)
  return c === n || c === n.replace(/^aws/, '') || editDistance(c, n) <= 2
}
