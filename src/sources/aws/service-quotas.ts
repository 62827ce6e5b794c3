/**
 * The account's applied Cognito rate quotas, from Service Quotas (`servicequotas:ListServiceQuotas`,
 * service code `cognito-idp`), so the audit's buckets follow the account: a raised quota makes it faster,
 * one lower than AWS's default makes it slower. Each quota names its category in
 * `UsageMetric.MetricDimensions.Resource` (operations-facts.md §3: match it there, never hard-code quota
 * codes). Per-user-pool variants of a category (quotas applied at resource level, or named "per user pool")
 * are left out: the buckets are per account and region. When the call is not allowed or fails, the
 * defaults stay and the reason is returned for the summary's method section.
 */
import { ListServiceQuotasCommand, type ServiceQuota, type ServiceQuotasClient } from '@aws-sdk/client-service-quotas'
import { errorMessage } from '../../errors.js'
import type { Logger } from '../../model/logger.js'
import type { RegionQuotaRates } from '../../model/quota-rates.js'
import type { AwsClients } from './clients.js'
import { DEFAULT_QUOTAS } from './quotas.js'

export const SERVICE_CODE = 'cognito-idp'
/** Pages of ListServiceQuotas read at most (Cognito has a few dozen quotas; 100 per page). */
const MAX_PAGES = 5

export type AppliedQuotas = { quotas: Record<string, number> } | { error: string }

/** Requests per second of one rate quota, or undefined when it is not one of the categories we use. */
export function categoryQuota(q: ServiceQuota): { category: string; perSecond: number } | undefined {
  const resource = q.UsageMetric?.MetricDimensions?.Resource
  if (!resource) return undefined
  const category = `cognito:${resource}`
  if (DEFAULT_QUOTAS[category] === undefined) return undefined
  if (q.QuotaAppliedAtLevel === 'RESOURCE' || /per (user )?pool/i.test(q.QuotaName ?? '')) return undefined
  const value = q.Value
  if (value === undefined || !Number.isFinite(value) || value <= 0) return undefined
  const unit = q.Period?.PeriodUnit
  const length = q.Period?.PeriodValue ?? 1
  const seconds =
    unit === undefined || unit === 'SECOND'
      ? length
      : unit === 'MINUTE'
        ? length * 60
        : unit === 'HOUR'
          ? length * 3600
          : undefined
  if (!seconds || seconds <= 0) return undefined
  return { category, perSecond: value / seconds }
}

/** An AWS error's name (`AccessDeniedException`), else the HTTP status, else the message. */
function reasonOf(err: unknown): string {
  const name = (err as { name?: string }).name ?? ''
  if (
    /^[A-Z]\w*(Exception|Fault)$/.test(name) ||
    (/^[A-Z]\w*Error$/.test(name) && !/^(Syntax|Type|Range|Reference)Error$/.test(name))
  ) {
    return name
  }
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  return status ? `HTTP ${status}` : errorMessage(err)
}

/** The applied quota of every category we use that Service Quotas lists for `region` (the lowest, if several). */
export async function readAppliedQuotas(client: ServiceQuotasClient): Promise<AppliedQuotas> {
  const quotas: Record<string, number> = {}
  try {
    let token: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await client.send(
        new ListServiceQuotasCommand({
          ServiceCode: SERVICE_CODE,
          MaxResults: 100,
          ...(token ? { NextToken: token } : {}),
        }),
      )
      for (const q of res.Quotas ?? []) {
        const c = categoryQuota(q)
        if (c) quotas[c.category] = Math.min(quotas[c.category] ?? Number.POSITIVE_INFINITY, c.perSecond)
      }
      token = res.NextToken
      if (!token) break
    }
  } catch (err) {
    return { error: reasonOf(err) }
  }
  return { quotas }
}

/**
 * Sizes the limiter of `clients` for every region from the applied quotas, and says which rates it uses.
 * Without Service Quotas (denied, failed, or not offered by the clients), the region keeps the defaults.
 */
export async function sizeQuotas(clients: AwsClients, regions: readonly string[], log: Logger): Promise<void> {
  const limiter = clients.limiter
  if (!limiter) return
  const failed: Array<{ region: string; error: string }> = []
  await Promise.all(
    regions.map(async (region) => {
      const client = clients.serviceQuotas?.(region)
      if (!client) return
      const read = await readAppliedQuotas(client)
      if ('error' in read) {
        limiter.noteDefaults(region, `Service Quotas not read (${read.error}): AWS default quotas`)
        failed.push({ region, error: read.error })
        return
      }
      limiter.setApplied(region, read.quotas)
    }),
  )
  if (failed.length === 0) return
  // One notice for the whole run, however many regions: the audit goes on at the default rates.
  const reasons = [...new Set(failed.map((f) => f.error))].join(', ')
  const where = failed
    .map((f) => f.region)
    .sort()
    .join(', ')
  log.info(
    `Service Quotas could not be read in ${where} (${reasons}): request rates use AWS's default Cognito quotas there. Allow servicequotas:ListServiceQuotas to follow the account's applied quotas.`,
  )
}

/** The rates the limiter uses in each region, with why the defaults were used where they were. */
export function quotaRates(clients: AwsClients, regions: readonly string[]): RegionQuotaRates[] {
  const limiter = clients.limiter
  if (!limiter) return []
  return regions.map((region) => {
    const note = limiter.defaultsNote(region)
    return { region, share: limiter.share, rates: limiter.rates(region), ...(note ? { note } : {}) }
  })
}
