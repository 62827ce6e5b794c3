/**
 * AWS wire-format helpers: which service, region and operation a request is, and
 * how each service spells an error on the wire.
 */
import type { IncomingHttpHeaders } from 'node:http'

export type Service = 'cognito-idp' | 'cloudwatch' | 'cloudtrail' | 'servicequotas' | 'sts' | 'other'
export type Protocol = 'json' | 'query' | 'other'

export interface RequestInfo {
  service: Service
  /** SigV4 service name from the credential scope (`monitoring` for CloudWatch, `s3`, …). */
  signingName: string
  region: string
  operation: string
  protocol: Protocol
  /** The account a 12-digit access key id names (the sandbox's accounts); absent: moto's default account. */
  account?: string
}

const TARGETS: [string, Service][] = [
  ['AWSCognitoIdentityProviderService.', 'cognito-idp'],
  ['GraniteServiceVersion20100801.', 'cloudwatch'],
  ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.', 'cloudtrail'],
  ['CloudTrail_20131101.', 'cloudtrail'],
  ['ServiceQuotasV20190624.', 'servicequotas'],
]

const SIGNING: Record<string, Service> = {
  'cognito-idp': 'cognito-idp',
  monitoring: 'cloudwatch',
  cloudtrail: 'cloudtrail',
  servicequotas: 'servicequotas',
  // GetCallerIdentity (query protocol): moto answers it; classified so faults can be injected.
  sts: 'sts',
}

/** Region and service from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/cognito-idp/aws4_request, …`;
 *  `account` when the access key id is a 12-digit account id (how the sandbox tells its accounts apart). */
export function credentialScope(headers: IncomingHttpHeaders): {
  region: string
  signingName: string
  account?: string
} {
  const auth = String(headers.authorization ?? '')
  const m = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth)
  if (!m) return { region: 'us-east-1', signingName: '' }
  return { region: m[2]!, signingName: m[3]!, ...(/^\d{12}$/.test(m[1]!) ? { account: m[1]! } : {}) }
}

/** moto 5 serves the account named by this request header (else the access key's, else its default). */
export const MOTO_ACCOUNT_HEADER = 'x-moto-account-id'

/** Classifies a request; `body` is only consulted for the Query protocol (`Action=`). */
export function classify(headers: IncomingHttpHeaders, body: Buffer | undefined): RequestInfo {
  const { region, signingName, account } = credentialScope(headers)
  const who = account ? { account } : {}
  const target = String(headers['x-amz-target'] ?? '')
  for (const [prefix, service] of TARGETS) {
    if (target.startsWith(prefix)) {
      return { service, signingName, region, operation: target.slice(prefix.length), protocol: 'json', ...who }
    }
  }
  const service = SIGNING[signingName] ?? 'other'
  const type = String(headers['content-type'] ?? '')
  if (service !== 'other' && type.startsWith('application/x-www-form-urlencoded') && body) {
    const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? 'Unknown'
    return { service, signingName, region, operation: action, protocol: 'query', ...who }
  }
  return { service, signingName, region, operation: 'Unknown', protocol: 'other', ...who }
}

/** True when the request is one the proxy needs to read (small JSON/form bodies of the audited services). */
export function isAuditedService(headers: IncomingHttpHeaders): boolean {
  const target = String(headers['x-amz-target'] ?? '')
  if (TARGETS.some(([p]) => target.startsWith(p))) return true
  return SIGNING[credentialScope(headers).signingName] !== undefined
}

export type FaultKind = 'throttle' | 'access-denied' | 'server-error'

export interface WireError {
  status: number
  headers: Record<string, string>
  body: string
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** An error answer exactly as `service` sends it for `protocol`. */
export function errorResponse(
  info: Pick<RequestInfo, 'service' | 'protocol' | 'operation'>,
  code: string,
  message: string,
  status = 400,
  senderOrReceiver: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
): WireError {
  const requestId = crypto.randomUUID()
  if (info.protocol === 'query') {
    const xmlns =
      info.service === 'sts' ? 'https://sts.amazonaws.com/doc/2011-06-15/' : 'http://monitoring.amazonaws.com/doc/2010-08-01/'
    return {
      status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<ErrorResponse xmlns="${xmlns}"><Error><Type>${senderOrReceiver}</Type>` +
        `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    }
  }
  if (info.service === 'cloudwatch') {
    // JSON 1.0 with awsQueryCompatible: the query error code travels in a header.
    return {
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': `${code};${senderOrReceiver}`,
      },
      body: JSON.stringify({ __type: `com.amazonaws.cloudwatch#${code}`, message }),
    }
  }
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message }),
  }
}

/** The error each service sends for a fault kind. */
export function faultError(
  info: Pick<RequestInfo, 'service' | 'protocol' | 'operation'>,
  kind: FaultKind,
  status?: number,
) {
  const s = info.service
  if (kind === 'throttle') {
    if (s === 'cognito-idp') return errorResponse(info, 'TooManyRequestsException', 'Too many requests', 400)
    if (s === 'cloudwatch' || s === 'sts') return errorResponse(info, 'Throttling', 'Rate exceeded', 400)
    return errorResponse(info, 'ThrottlingException', 'Rate exceeded', 400)
  }
  if (kind === 'access-denied') {
    const message = `User: arn:aws:iam::123456789012:user/sandbox is not authorized to perform: ${actionOf(info)} because no identity-based policy allows the ${actionOf(info)} action`
    if (s === 'cloudwatch' || s === 'sts') return errorResponse(info, 'AccessDenied', message, 403)
    return errorResponse(info, 'AccessDeniedException', message, 400)
  }
  const st = status ?? 500
  if (s === 'cognito-idp') return errorResponse(info, 'InternalErrorException', 'Internal error', st)
  if (s === 'cloudwatch') return errorResponse(info, 'InternalServiceError', 'Internal service error', st)
  return errorResponse(info, 'InternalFailure', 'Internal failure', st)
}

function actionOf(info: Pick<RequestInfo, 'service' | 'operation'>): string {
  const prefix = info.service === 'cloudwatch' ? 'cloudwatch' : info.service
  return `${prefix}:${info.operation}`
}

export function jsonResponse(service: Service, payload: unknown): WireError {
  return {
    status: 200,
    headers: {
      'content-type': service === 'cloudwatch' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1',
      'x-amzn-requestid': crypto.randomUUID(),
    },
    body: JSON.stringify(payload),
  }
}

/** Epoch seconds from what clients send for a timestamp in JSON (number of seconds or ISO text). */
export function toEpochSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && value) {
    const n = Number(value)
    if (Number.isFinite(n)) return n
    const t = Date.parse(value)
    if (Number.isFinite(t)) return t / 1000
  }
  return undefined
}
