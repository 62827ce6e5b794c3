/**
 * The AWS SDK clients: one per service and region, shared by every collector,
 * built with the SDK's standard configuration chain (credentials, AWS_ENDPOINT_URL
 * and AWS_ENDPOINT_URL_<SERVICE>, AWS_MAX_ATTEMPTS …) plus:
 *  - adaptive retries (throttling is retried with backoff, and the client slows down);
 *  - a per-attempt quota limiter inside the middleware stack, so retries count too;
 *  - a call recorder, so runs can report how many calls of each kind they made;
 *  - bounded time: connection, response-header and idle-socket timeouts on every request (the
 *    per-request timeout really fails the attempt: `throwOnRequestTimeout`), a retry budget capped
 *    whatever AWS_MAX_ATTEMPTS says, and the audit's deadline, which fails every call in flight or
 *    still to come the moment it expires.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail'
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas'
import { STSClient } from '@aws-sdk/client-sts'
import type { FinalizeRequestMiddleware } from '@smithy/types'
import type { AwsService } from '../../model/snapshot.js'
import { QuotaLimiter } from './quotas.js'

/** The services calls are counted by: the audited ones, and STS for the account's own id. */
export type CalledService = AwsService | 'sts'

export interface ClientOptions {
  /** Limit requests to a share of the rate quotas (default true: `quotaShare` of AWS's defaults). */
  quotas?: boolean | QuotaLimiter
  /** The share of each per-region quota to spend (0–1, default DEFAULT_QUOTA_SHARE). */
  quotaShare?: number
  /** Total attempts per call, retries included (default 8, or AWS_MAX_ATTEMPTS, of which at most MAX_ATTEMPTS). */
  maxAttempts?: number
  /** The audit's deadline: once aborted, every call fails at once with its reason. */
  signal?: AbortSignal
  /** Other request timeouts than HTTP_TIMEOUTS (tests). */
  http?: Partial<HttpTimeouts>
  /** Called once per attempt (retries included). */
  onCall?: (call: { service: CalledService; region: string; operation: string }) => void
  /** Credentials for every client (several accounts audited in one process); default: the SDK's chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

export interface AwsClients {
  cognito(region: string): CognitoIdentityProviderClient
  cloudwatch(region: string): CloudWatchClient
  cloudtrail(region: string): CloudTrailClient
  /** Service Quotas, to size the buckets from the account's applied quotas (absent in test fakes). */
  serviceQuotas?(region: string): ServiceQuotasClient
  /** The buckets every attempt waits on; undefined when requests are not rate-limited. */
  readonly limiter?: QuotaLimiter
  /** For `GetCallerIdentity` only: which account the credentials belong to. */
  sts(region: string): STSClient
  /** Attempts made so far, by `service:Operation`. */
  readonly calls: ReadonlyMap<string, number>
}

type AnyClient = CognitoIdentityProviderClient | CloudWatchClient | CloudTrailClient | STSClient

/** Attempts per call, retries included, whatever AWS_MAX_ATTEMPTS asks (1000 throttled attempts would take hours). */
export const MAX_ATTEMPTS = 10
export const DEFAULT_ATTEMPTS = 8

/** Timeouts of every request (NodeHttpHandler options, in ms). */
export interface HttpTimeouts {
  connectionTimeout: number
  requestTimeout: number
  throwOnRequestTimeout: boolean
  socketTimeout: number
}

export const HTTP_TIMEOUTS: Readonly<HttpTimeouts> = {
  /** Establishing the connection (TCP and TLS). */
  connectionTimeout: 10_000,
  /** From sending the request to the end of the response headers; the attempt fails (and may be retried). */
  requestTimeout: 45_000,
  throwOnRequestTimeout: true,
  /** A socket that receives nothing for this long is closed. */
  socketTimeout: 30_000,
}

/** The attempts to configure: the option (set by code), else AWS_MAX_ATTEMPTS capped at MAX_ATTEMPTS, else the default. */
export function attemptsFor(option: number | undefined, env: string | undefined): number {
  if (option !== undefined) return Math.max(1, option)
  const fromEnv = Number.parseInt(env ?? '', 10)
  return Number.isFinite(fromEnv) && fromEnv > 0 ? Math.min(MAX_ATTEMPTS, fromEnv) : DEFAULT_ATTEMPTS
}

type Send = (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>

/** Makes every `send` of `client` honour `signal`: rejected at once when it aborts, before or during the call. */
function bindDeadline(client: AnyClient, signal: AbortSignal): void {
  const original = client.send.bind(client) as unknown as Send
  const send: Send = (command, options) => {
    if (signal.aborted) return Promise.reject(signal.reason)
    const abortSignal = options?.abortSignal ? AbortSignal.any([options.abortSignal, signal]) : signal
    return new Promise((resolve, reject) => {
      // The SDK stops the request on abort, but a retry backoff or a quota wait would only notice later.
      const onAbort = () => reject(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      original(command, { ...options, abortSignal })
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort))
    })
  }
  ;(client as unknown as { send: Send }).send = send
}

export function createClients(options: ClientOptions = {}): AwsClients {
  const limiter =
    options.quotas instanceof QuotaLimiter
      ? options.quotas
      : options.quotas === false
        ? undefined
        : new QuotaLimiter(undefined, options.quotaShare)
  const maxAttempts = attemptsFor(options.maxAttempts, process.env.AWS_MAX_ATTEMPTS)
  const calls = new Map<string, number>()
  const cache = new Map<string, AnyClient>()

  const instrument = <C extends AnyClient>(client: C, service: CalledService, region: string): C => {
    // biome-ignore lint/suspicious/noExplicitAny: the middleware is generic over every client's input and output types
    const middleware: FinalizeRequestMiddleware<any, any> = (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '')
      await limiter?.take(region, operation)
      const key = `${service}:${operation}`
      calls.set(key, (calls.get(key) ?? 0) + 1)
      options.onCall?.({ service, region, operation })
      return next(args)
    }
    ;(client.middlewareStack as CognitoIdentityProviderClient['middlewareStack']).addRelativeTo(middleware, {
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      name: 'cognitoComplianceQuota',
      override: true,
    })
    if (options.signal) bindDeadline(client, options.signal)
    return client
  }

  const get = <C extends AnyClient>(service: CalledService, region: string, make: () => C): C => {
    const key = `${service}/${region}`
    let client = cache.get(key) as C | undefined
    if (!client) {
      client = instrument(make(), service, region)
      cache.set(key, client)
    }
    return client
  }

  const common = (region: string) => ({
    region,
    maxAttempts,
    retryMode: 'adaptive' as const,
    requestHandler: { ...HTTP_TIMEOUTS, ...options.http },
    customUserAgent: [['cognito-compliance-action'] as [string]],
    ...(options.credentials ? { credentials: options.credentials } : {}),
  })

  const quotaClients = new Map<string, ServiceQuotasClient>()
  return {
    cognito: (region) => get('cognito-idp', region, () => new CognitoIdentityProviderClient(common(region))),
    cloudwatch: (region) => get('cloudwatch', region, () => new CloudWatchClient(common(region))),
    cloudtrail: (region) => get('cloudtrail', region, () => new CloudTrailClient(common(region))),
    serviceQuotas: (region) => {
      let client = quotaClients.get(region)
      if (!client) {
        // Not rate-limited by the buckets (one or two calls per region), but counted and bound to the deadline.
        client = new ServiceQuotasClient({ ...common(region), maxAttempts: Math.min(maxAttempts, 2) })
        client.middlewareStack.add(
          (next, context) => async (args) => {
            const key = `servicequotas:${String(context.commandName ?? 'Unknown').replace(/Command$/, '')}`
            calls.set(key, (calls.get(key) ?? 0) + 1)
            return next(args)
          },
          { step: 'finalizeRequest', name: 'cognitoComplianceCount' },
        )
        if (options.signal) bindDeadline(client as unknown as AnyClient, options.signal)
        quotaClients.set(region, client)
      }
      return client
    },
    ...(limiter ? { limiter } : {}),
    // The account id is a label, not a check: two attempts, so an unreachable STS never holds the audit up.
    sts: (region) =>
      get('sts', region, () => new STSClient({ ...common(region), maxAttempts: Math.min(2, maxAttempts) })),
    calls,
  }
}
