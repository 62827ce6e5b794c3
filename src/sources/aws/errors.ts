/**
 * Turning SDK errors into `AwsError` records the checks can report, with the
 * exact IAM permission to grant. Messages are scrubbed of anything that looks
 * like a credential.
 */
import type { AwsError, AwsService } from '../../model/snapshot.js'

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
