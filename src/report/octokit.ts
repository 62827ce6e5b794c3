/**
 * The Octokit the action writes to GitHub with: `@actions/github`'s client plus Octokit's own retry
 * plugin (5xx answers are retried with backoff) and throttling plugin (GitHub's primary and
 * secondary rate limits are waited out a few times instead of failing the comment).
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

export type Octokit = ReturnType<typeof getOctokit>

/** How often a rate-limited request is retried before it fails. */
export const RATE_LIMIT_RETRIES = 3

export function githubClient(token: string, warn: (message: string) => void, baseUrl?: string): Octokit {
  const onLimit =
    (kind: string) => (after: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      const what = `${options.method ?? ''} ${options.url ?? ''}`.trim()
      if (retryCount >= RATE_LIMIT_RETRIES) {
        warn(`GitHub ${kind} rate limit on ${what}: gave up after ${retryCount} retries.`)
        return false
      }
      warn(`GitHub ${kind} rate limit on ${what}: retrying in ${after} s.`)
      return true
    }
  return getOctokit(
    token,
    {
      ...(baseUrl ? { baseUrl } : {}),
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
    },
    retry,
    throttling,
  )
}
