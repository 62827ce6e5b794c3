/**
 * Turning SDK errors into `AwsError` records the checks can report, with the
 * exact IAM permission to grant. Messages are scrubbed of anything that looks
 * like a credential.
 */
import type { AwsError, AwsService } from '../model/snapshot.js'

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'NotAuthorizedException',
  'AuthorizationError',
  'OperationNotPermittedException',
])
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
])

/** Removes access key ids, secrets and session tokens that an error text might echo. */
export function scrub(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '<redacted-key-id>')
    .replace(
      /(X-Amz-Security-Token|X-Amz-Credential|Signature|aws_secret_access_key|SessionToken)([=:]\s*)\S+/gi,
      '$1$2<redacted>',
    )
}

export function isAccessDenied(code: string): boolean {
  return ACCESS_DENIED.has(code)
}

export function isBadCredentials(code: string): boolean {
  return BAD_CREDENTIALS.has(code)
}

/** Normalises anything an SDK call threw. */
export function toAwsError(
  err: unknown,
  service: AwsService,
  action: string,
  region: string,
  resource?: string,
): AwsError {
  const e = err as {
    name?: string
    Code?: string
    code?: string
    message?: string
    $metadata?: { httpStatusCode?: number }
  }
  let code = e?.Code ?? e?.name ?? e?.code ?? 'UnknownError'
  if (code === 'Error' && e?.$metadata?.httpStatusCode === 403) code = 'AccessDenied'
  if (code === 'Error' && typeof e?.code === 'string') code = e.code
  const raw = typeof e?.message === 'string' && e.message ? e.message : String(err)
  const out: AwsError = { service, action, code, message: scrub(raw).slice(0, 500), region }
  if (resource !== undefined) out.resource = resource
  return out
}

/** The IAM permission an action needs. */
export function permissionOf(e: Pick<AwsError, 'service' | 'action'>): string {
  return `${e.service}:${e.action}`
}

/** One sentence for a person: what failed, why, and what to grant or fix. */
export function explainAwsError(e: AwsError): string {
  const where = `${permissionOf(e)} in ${e.region}${e.resource ? ` for ${e.resource}` : ''}`
  if (isAccessDenied(e.code)) {
    return `${where} was denied (${e.code}): grant the read-only permission ${permissionOf(e)} to the audit role.`
  }
  if (isBadCredentials(e.code)) {
    return `${where} failed: the AWS credentials were rejected (${e.code}). Check the role the workflow assumes and that the credentials have not expired.`
  }
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || /getaddrinfo/.test(e.message)) {
    return `${where} failed: the endpoint could not be reached (${e.code}). Is "${e.region}" a region your account can use?`
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(e.code)) {
    return `${where} was still throttled after retries (${e.code}). Run fewer audits at once or raise the quota.`
  }
  return `${where} failed (${e.code}): ${e.message}`
}
