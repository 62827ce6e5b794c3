/**
 * The AWS SDK clients: one per service and region, shared by every collector,
 * built with the SDK's standard configuration chain (credentials, AWS_ENDPOINT_URL
 * and AWS_ENDPOINT_URL_<SERVICE>, AWS_MAX_ATTEMPTS …) plus:
 *  - adaptive retries (throttling is retried with backoff, and the client slows down);
 *  - a per-attempt quota limiter inside the middleware stack, so retries count too;
 *  - a call recorder, so runs can report how many calls of each kind they made.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail'
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import type { FinalizeRequestMiddleware } from '@smithy/types'
import type { AwsService } from '../../model/snapshot.js'
import { QuotaLimiter } from './quotas.js'

export interface ClientOptions {
  /** Limit requests to AWS's default rate quotas (default true). */
  quotas?: boolean | QuotaLimiter
  /** Total attempts per call, retries included (default 8, or AWS_MAX_ATTEMPTS). */
  maxAttempts?: number
  /** Called once per attempt (retries included). */
  onCall?: (call: { service: AwsService; region: string; operation: string }) => void
}

export interface AwsClients {
  cognito(region: string): CognitoIdentityProviderClient
  cloudwatch(region: string): CloudWatchClient
  cloudtrail(region: string): CloudTrailClient
  /** Attempts made so far, by `service:Operation`. */
  readonly calls: ReadonlyMap<string, number>
}

type AnyClient = CognitoIdentityProviderClient | CloudWatchClient | CloudTrailClient

export function createClients(options: ClientOptions = {}): AwsClients {
  const limiter =
    options.quotas instanceof QuotaLimiter ? options.quotas : options.quotas === false ? undefined : new QuotaLimiter()
  const envAttempts = Number.parseInt(process.env.AWS_MAX_ATTEMPTS ?? '', 10)
  const maxAttempts = options.maxAttempts ?? (Number.isFinite(envAttempts) && envAttempts > 0 ? envAttempts : 8)
  const calls = new Map<string, number>()
  const cache = new Map<string, AnyClient>()

  const instrument = <C extends AnyClient>(client: C, service: AwsService, region: string): C => {
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
    return client
  }

  const get = <C extends AnyClient>(service: AwsService, region: string, make: () => C): C => {
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
    customUserAgent: [['cognito-compliance-action'] as [string]],
  })

  return {
    cognito: (region) => get('cognito-idp', region, () => new CognitoIdentityProviderClient(common(region))),
    cloudwatch: (region) => get('cloudwatch', region, () => new CloudWatchClient(common(region))),
    cloudtrail: (region) => get('cloudtrail', region, () => new CloudTrailClient(common(region))),
    calls,
  }
}
