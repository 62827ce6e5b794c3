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

/**
 * Removes what an error text might echo that does not belong in a report: access key ids, secrets and
 * session tokens, and who the caller is, in every principal form STS and IAM ARNs have: the session name
 * of an assumed role (often a person's e-mail with SSO), also after a role's unique id (`AROA…:name`); a
 * federated user's name; an IAM user's name (its path stays); an MFA device's name (often the user's);
 * any e-mail address. Names are matched by the characters IAM allows in them (`[\w+=,.@-]`). The role
 * name with its path, the account id and `root` stay: they say which role or account needs the permission.
 */
export function scrub(text: string): string {
  return text
    .replace(/\bAROA[A-Z0-9]{12,}:[\w+=,.@-]+/g, '<redacted-key-id>:<session>')
    .replace(/\b(?:AKIA|ASIA|AIDA|AROA|AGPA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b/g, '<redacted-key-id>')
    .replace(
      /(X-Amz-Security-Token|X-Amz-Credential|Signature|aws_secret_access_key|SessionToken)([=:]\s*)\S+/gi,
      '$1$2<redacted>',
    )
    .replace(/(arn:aws[\w-]*:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/)[\w+=,.@-]+/g, '$1<session>')
    .replace(/(arn:aws[\w-]*:sts::\d{12}:federated-user\/)[\w+=,.@-]+/g, '$1<user>')
    .replace(/(arn:aws[\w-]*:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*)[\w+=,.@-]+/g, '$1<user>')
    .replace(/(arn:aws[\w-]*:iam::\d{12}:mfa\/(?:[\w+=,.@-]+\/)*)[\w+=,.@-]+/g, '$1<device>')
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>')
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
