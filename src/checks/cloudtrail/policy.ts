/** Policy section `cloudtrail`: an active trail records Cognito's events in every audited region. */
import type { PolicySection } from '../../model/policy-section.js'

/** How an optional trail setting is enforced: not checked, reported as a warning, or a violation. */
export type TrailSettingLevel = 'off' | 'warn' | 'require'

export interface CloudTrailPolicy {
  /** Check CloudTrail capture at all. Default true. */
  enabled: boolean
  /** A trail recording only write management events (missing managed-login page events and
   *  Describe/List/Get calls) is a warning instead of a violation. Default false. */
  acceptWriteOnly: boolean
  /** The latest delivery to S3 must be at most this many hours old. Default 24. */
  maxDeliveryAgeHours: number
  /** Log file integrity validation (digest files). Default `off`. */
  logFileValidation: TrailSettingLevel
  /** SSE-KMS encryption of the log files. Default `off`. */
  kmsEncryption: TrailSettingLevel
  /** Delivery to CloudWatch Logs. Default `off`. */
  cloudWatchLogs: TrailSettingLevel
}

export const CLOUDTRAIL_POLICY_DEFAULTS: CloudTrailPolicy = {
  enabled: true,
  acceptWriteOnly: false,
  maxDeliveryAgeHours: 24,
  logFileValidation: 'off',
  kmsEncryption: 'off',
  cloudWatchLogs: 'off',
}

const level = (description: string) => ({
  type: 'string',
  enum: ['off', 'warn', 'require'],
  default: 'off',
  description: `${description} \`off\` (default): not checked; \`warn\`: reported as a warning; \`require\`: a violation.`,
})

interface RawCloudTrail {
  enabled?: boolean
  'accept-write-only'?: boolean
  'max-delivery-age'?: number
  'log-file-validation'?: TrailSettingLevel
  'kms-encryption'?: TrailSettingLevel
  'cloudwatch-logs'?: TrailSettingLevel
}

export const cloudTrailSection: PolicySection<CloudTrailPolicy> = {
  key: 'cloudtrail',
  description: 'An active CloudTrail trail records Cognito events in every audited region.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: 'boolean', default: true, description: 'Check CloudTrail capture.' },
      'accept-write-only': {
        type: 'boolean',
        default: false,
        description:
          'Accept, with a warning, a trail that records only write management events. Such a trail records sign-in ' +
          'calls but misses read-only events (managed-login page events, Describe/List/Get calls). Default: a violation.',
      },
      'max-delivery-age': {
        type: 'number',
        exclusiveMinimum: 0,
        default: 24,
        description: 'Hours: the trail must have delivered log files to S3 within this time, without a delivery error.',
      },
      'log-file-validation': level('Require log file integrity validation on the capturing trail.'),
      'kms-encryption': level('Require SSE-KMS encryption of the log files of the capturing trail.'),
      'cloudwatch-logs': level('Require the capturing trail to deliver to CloudWatch Logs.'),
    },
  },
  normalize: (raw) => {
    const r = (raw ?? {}) as RawCloudTrail
    const d = CLOUDTRAIL_POLICY_DEFAULTS
    return {
      enabled: r.enabled ?? d.enabled,
      acceptWriteOnly: r['accept-write-only'] ?? d.acceptWriteOnly,
      maxDeliveryAgeHours: r['max-delivery-age'] ?? d.maxDeliveryAgeHours,
      logFileValidation: r['log-file-validation'] ?? d.logFileValidation,
      kmsEncryption: r['kms-encryption'] ?? d.kmsEncryption,
      cloudWatchLogs: r['cloudwatch-logs'] ?? d.cloudWatchLogs,
    }
  },
}
