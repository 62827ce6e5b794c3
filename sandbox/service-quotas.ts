/**
 * Service Quotas' ListServiceQuotas for `cognito-idp`, answered by the proxy (moto 5.2.1 answers it with a
 * 500, which cost every audit a retry per region). Quotas come in the real wire shape: each names its
 * category in `UsageMetric.MetricDimensions.Resource`, per-user-pool variants are applied at `RESOURCE`
 * level. Values are AWS's default request rates unless the state seeds the region's applied quotas; a region
 * seeded `'denied'` answers AccessDeniedException as for a role without servicequotas:ListServiceQuotas.
 * Quota codes are the sandbox's own (`L-SBX…`): callers must match categories, never codes.
 */
import type { ProxyState } from './state.js'
import { errorResponse, jsonResponse, type RequestInfo, type WireError } from './wire.js'

/** Cognito user-pool rate categories: default requests per second, adjustable, per-pool variant (5 RPS). */
const CATEGORIES: readonly [category: string, rate: number, adjustable: boolean, perPool: boolean][] = [
  ['UserAuthentication', 120, true, false],
  ['UserCreation', 50, true, false],
  ['UserFederation', 25, true, false],
  ['UserAccountRecovery', 30, false, false],
  ['UserRead', 120, true, false],
  ['UserUpdate', 25, false, false],
  ['UserResourceRead', 50, true, false],
  ['UserResourceUpdate', 25, false, false],
  ['UserList', 30, false, false],
  ['UserPoolRead', 15, false, false],
  ['UserPoolUpdate', 15, false, false],
  ['UserPoolResourceRead', 20, false, true],
  ['UserPoolResourceUpdate', 15, false, true],
  ['UserPoolClientRead', 15, false, true],
  ['UserPoolClientUpdate', 15, false, true],
  ['UserToken', 120, false, false],
]

const PER_POOL_RATE = 5
const ACCOUNT = '123456789012'

function quota(region: string, n: number, category: string, value: number, adjustable: boolean, perPool: boolean) {
  const code = `L-SBX${String(n).padStart(5, '0')}`
  const name = `Rate of ${category} requests${perPool ? ' per user pool' : ''}`
  return {
    ServiceCode: 'cognito-idp',
    ServiceName: 'Amazon Cognito User Pools',
    QuotaArn: `arn:aws:servicequotas:${region}:${ACCOUNT}:cognito-idp/${code}`,
    QuotaCode: code,
    QuotaName: name,
    Value: value,
    Unit: 'None',
    Adjustable: adjustable,
    GlobalQuota: false,
    UsageMetric: {
      MetricNamespace: 'AWS/Usage',
      MetricName: 'CallCount',
      MetricDimensions: { Class: 'None', Resource: category, Service: 'Cognito User Pools', Type: 'API' },
      MetricStatisticRecommendation: 'Sum',
    },
    Period: { PeriodValue: 1, PeriodUnit: 'SECOND' },
    QuotaAppliedAtLevel: perPool ? 'RESOURCE' : 'ACCOUNT',
    Description: `The maximum number of ${category} operation requests per second${perPool ? ' for one user pool' : ''}.`,
  }
}

/** Every Cognito rate quota of `region`: the applied values seeded for it over AWS's defaults. */
export function cognitoQuotas(region: string, applied: Readonly<Record<string, number>> = {}) {
  const out: ReturnType<typeof quota>[] = []
  for (const [category, rate, adjustable, perPool] of CATEGORIES) {
    out.push(quota(region, out.length + 1, category, applied[category] ?? rate, adjustable, false))
    if (perPool) out.push(quota(region, out.length + 1, category, PER_POOL_RATE, false, true))
  }
  return out
}

/** The answer to a Service Quotas call (JSON 1.1), or an error as the service spells it. */
export function answerServiceQuotas(info: RequestInfo, json: unknown, state: ProxyState): WireError {
  const input = (json ?? {}) as { ServiceCode?: unknown; MaxResults?: unknown; NextToken?: unknown }
  if (info.operation !== 'ListServiceQuotas') {
    return errorResponse(info, 'IllegalArgumentException', `The sandbox does not emulate ${info.operation}.`)
  }
  const seeded = state.serviceQuotas.get(info.region)
  if (seeded === 'denied') {
    const action = 'servicequotas:ListServiceQuotas'
    return errorResponse(
      info,
      'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/sandbox is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
    )
  }
  if (typeof input.ServiceCode !== 'string' || input.ServiceCode === '') {
    return errorResponse(info, 'IllegalArgumentException', 'ServiceCode is required.')
  }
  if (input.ServiceCode !== 'cognito-idp') {
    return errorResponse(info, 'NoSuchResourceException', `The sandbox has no quotas of ${input.ServiceCode}.`)
  }
  const all = cognitoQuotas(info.region, seeded)
  const max = typeof input.MaxResults === 'number' && input.MaxResults > 0 ? Math.min(input.MaxResults, 100) : 100
  const start = typeof input.NextToken === 'string' && /^\d+$/.test(input.NextToken) ? Number(input.NextToken) : 0
  if (input.NextToken !== undefined && (start <= 0 || start >= all.length)) {
    return errorResponse(info, 'InvalidPaginationTokenException', 'Invalid pagination token.')
  }
  const page = all.slice(start, start + max)
  const next = start + max < all.length ? String(start + max) : undefined
  return jsonResponse(info.service, { Quotas: page, ...(next ? { NextToken: next } : {}) })
}
