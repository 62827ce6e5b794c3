/**
 * An AWS failure recorded in a snapshot, explained for a person: what failed, why, and the one thing to
 * grant or fix. Plain functions of the recorded error; the conversion from SDK errors is the live source's.
 */
import type { AwsError } from './snapshot.js'

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

export function isAccessDenied(code: string): boolean {
  return ACCESS_DENIED.has(code)
}

/** The SDK found no credentials at all: nothing was sent to AWS, so AWS rejected nothing. */
export function isNoCredentials(code: string): boolean {
  return code === 'CredentialsProviderError'
}

/** Where the standard credential chain looks, in order, for messages about missing credentials. */
export const CREDENTIAL_CHAIN =
  'environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN), ' +
  'the shared config and credentials files (AWS_PROFILE, including SSO profiles after aws sso login), then container and instance metadata'

export function isBadCredentials(code: string): boolean {
  return BAD_CREDENTIALS.has(code)
}

/** The IAM permission an action needs. */
export function permissionOf(e: Pick<AwsError, 'service' | 'action'>): string {
  return `${e.service}:${e.action}`
}

/** The code of a requirement a saved snapshot cannot answer (it was not collected then). */
export const NOT_IN_SNAPSHOT = 'NotInSnapshot'
/** The code of data a check needs that the collection did not gather. */
export const NOT_COLLECTED = 'NotCollected'
/** The code of a call the audit's time limit stopped (TimeLimitError). */
export const TIME_LIMIT = 'TimeLimitExceeded'
/** The codes of a listing stopped before its end: a page token came back twice, or pages never ended. */
export const REPEATED_NEXT_TOKEN = 'RepeatedNextToken'
export const TOO_MANY_PAGES = 'TooManyPages'
const isPagingFault = (code: string) => code === REPEATED_NEXT_TOKEN || code === TOO_MANY_PAGES

const isUnreachable = (e: AwsError) =>
  ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'TimeoutError'].includes(e.code) ||
  /getaddrinfo/.test(e.message)
const isThrottled = (e: AwsError) => /Throttl|TooManyRequests|RequestLimitExceeded/.test(e.code)

/** What to do about an error, by its kind: grant a permission, fix credentials or region, or re-run. */
export function remediationOf(e: AwsError): string {
  if (e.code === NOT_COLLECTED) {
    return 'This data was not collected (a saved snapshot collected with this requirement turned off?): collect again with it enabled, or audit against AWS.'
  }
  if (e.code === TIME_LIMIT) {
    return 'Raise the time limit (input `timeout`, CLI `--timeout`), audit fewer regions or pools per run, or check that the endpoint answers (AWS_ENDPOINT_URL settings, proxies).'
  }
  if (e.code === NOT_IN_SNAPSHOT) {
    return 'The saved snapshot was collected with another policy. Collect a new one with this policy (--save-snapshot), or audit against AWS.'
  }
  if (isAccessDenied(e.code)) {
    return `Allow ${permissionOf(e)} on the role the audit runs as (see the README's IAM policy), then re-run.`
  }
  if (isNoCredentials(e.code)) {
    return (
      'Provide credentials: in GitHub Actions, a step with aws-actions/configure-aws-credentials (OIDC) before this one; ' +
      'locally, AWS_PROFILE (aws sso login for SSO profiles) or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables.'
    )
  }
  if (isBadCredentials(e.code)) {
    return (
      `Check the credentials the job uses (the role aws-actions/configure-aws-credentials assumes, its session duration, the clock). ` +
      `If only ${e.region} fails, it may be an opt-in region that is not enabled for this account: enable it, or remove it from the policy.`
    )
  }
  if (isUnreachable(e)) {
    return `Check that "${e.region}" is a region this account uses, that the runner can reach AWS, and any AWS_ENDPOINT_URL setting.`
  }
  if (isThrottled(e))
    return 'Re-run when fewer audits or other tools share the account, or raise the quota in Service Quotas.'
  if (isPagingFault(e.code)) {
    return `Re-run. The listing never reached its last page, so nothing that depends on it is verified; check any AWS_ENDPOINT_URL setting, and if it persists against AWS, report the ${e.action} paging to AWS Support.`
  }
  return `Re-run; if it persists, the AWS error above says what failed (${permissionOf(e)} is the permission this call needs).`
}

/** One sentence for a person: what failed, why, and what to grant or fix. */
export function explainAwsError(e: AwsError): string {
  const where = `${permissionOf(e)} in ${e.region}${e.resource ? ` for ${e.resource}` : ''}`
  if (isAccessDenied(e.code)) {
    return `${where} was denied (${e.code}): grant the read-only permission ${permissionOf(e)} to the audit role.`
  }
  if (e.code === NOT_IN_SNAPSHOT) return `${e.message}, so it cannot be verified from it.`
  if (e.code === TIME_LIMIT) return `${where}: ${e.message}.`
  if (e.code === NOT_COLLECTED) return `${e.message} Nothing that depends on it can be verified.`
  if (isNoCredentials(e.code)) {
    return `${where} was not attempted: no AWS credentials were found. The standard chain looks in ${CREDENTIAL_CHAIN}.`
  }
  if (isBadCredentials(e.code)) {
    return `${where} failed: the AWS credentials were rejected (${e.code}). Check the role the workflow assumes and that the credentials have not expired; AWS answers the same for an opt-in region the account has not enabled.`
  }
  if (isUnreachable(e)) {
    return `${where} failed: the endpoint could not be reached (${e.code}). Is "${e.region}" a region your account can use?`
  }
  if (isThrottled(e)) {
    return `${where} was still throttled after retries (${e.code}). Run fewer audits at once or raise the quota.`
  }
  return `${where} failed (${e.code}): ${e.message}`
}
