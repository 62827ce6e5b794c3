/**
 * The vocabulary of Cognito's CloudWatch metrics: the activity kinds, and which metric name plays which
 * role (successes, throttles, risk) on which pool dimension.
 */

export const NAMESPACE = 'AWS/Cognito'

export type ActivityKind = 'SignIn' | 'SignUp' | 'TokenRefresh' | 'Federation'
export const ACTIVITY_KINDS: readonly ActivityKind[] = ['SignIn', 'SignUp', 'TokenRefresh', 'Federation']
export const KIND_LABELS: Readonly<Record<ActivityKind, string>> = {
  SignIn: 'Sign-in',
  SignUp: 'Sign-up',
  TokenRefresh: 'Token refresh',
  Federation: 'Federation',
}

/** Risk metric families; AWS's sources spell the first two in two ways each (AccountTakeoverRisk / AccountTakeOverRisk, CompromisedCredentialRisk / CompromisedCredentialsRisk). */
export type RiskFamily = 'accountTakeover' | 'compromisedCredentials' | 'risk'

export type MetricRole =
  | { role: 'successes'; kind: ActivityKind }
  | { role: 'throttles'; kind: ActivityKind }
  | { role: 'risk'; family: RiskFamily }

export function classifyMetric(name: string): MetricRole | undefined {
  const m = /^(SignIn|SignUp|TokenRefresh|Federation)(Successes|Throttles)$/.exec(name)
  if (m) return { role: m[2] === 'Successes' ? 'successes' : 'throttles', kind: m[1] as ActivityKind }
  if (/^accounttakeoverrisk$/i.test(name)) return { role: 'risk', family: 'accountTakeover' }
  if (/^compromisedcredentials?risk$/i.test(name)) return { role: 'risk', family: 'compromisedCredentials' }
  if (name === 'Risk') return { role: 'risk', family: 'risk' }
  return undefined
}

/** The dimension naming the pool: `UserPool` on activity metrics, `UserPoolId` on risk metrics. */
export function poolDimension(role: MetricRole): 'UserPool' | 'UserPoolId' {
  return role.role === 'risk' ? 'UserPoolId' : 'UserPool'
}
