/** The request rates an audit allowed itself in one region, for the summary's method section. */
export interface RegionQuotaRates {
  region: string
  /** The share of each quota spent (0–1). */
  share: number
  rates: Array<{
    /** `cognito:UserPoolRead`, `cloudwatch:DescribeAlarms` … */
    category: string
    /** Requests per second of the quota: the account's applied value, or AWS's default. */
    quota: number
    source: 'applied' | 'default'
    /** Requests per second the audit spends at most. */
    rate: number
  }>
  /** Why the defaults were used for Cognito (Service Quotas not allowed or failed). */
  note?: string
}
