/**
 * Which account the audit reads: STS `GetCallerIdentity` (AWS answers it for any valid credentials,
 * whatever the policies say), so a report names its account even when the account has no user pool.
 * Only the account id is kept: the caller's ARN (a role session, often a person's name) is never read
 * into the snapshot or a log. When STS cannot answer, a user pool's ARN names the account instead.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { isBadCredentials, isNoCredentials } from '../../model/aws-error.js'
import type { UserPool } from '../../model/snapshot.js'
import type { CollectContext } from './context.js'

const ACCOUNT_ID = /^\d{12}$/

/** The account id STS names for the credentials, or why there is none (an AWS error code). */
export async function callerAccount(
  ctx: CollectContext,
  region: string,
): Promise<{ accountId: string } | { problem: string }> {
  try {
    const res = await ctx.clients.sts(region).send(new GetCallerIdentityCommand({}))
    const id = res.Account ?? ''
    return ACCOUNT_ID.test(id) ? { accountId: id } : { problem: 'no 12-digit Account in the answer' }
  } catch (err) {
    // Only the error's name: its message may name the caller.
    const e = err as { name?: string; Code?: string } | undefined
    return { problem: e?.Code ?? e?.name ?? 'UnknownError' }
  }
}

/** The account id of a pool's ARN (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID`). */
export function accountOfPools(pools: readonly Pick<UserPool, 'arn'>[]): string | undefined {
  return pools.map((p) => p.arn?.split(':')[4]).find((a): a is string => a !== undefined && ACCOUNT_ID.test(a))
}

/** The snapshot's account id: STS's answer, else a pool ARN's (with a warning saying so), else none. */
export function accountIdOf(
  sts: { accountId: string } | { problem: string },
  pools: readonly Pick<UserPool, 'arn'>[],
  ctx: CollectContext,
  region: string,
): string | undefined {
  if ('accountId' in sts) return sts.accountId
  const fromArn = accountOfPools(pools)
  // Without (valid) credentials every read fails and the findings say why; the account id adds nothing.
  if (!isNoCredentials(sts.problem) && !isBadCredentials(sts.problem)) {
    ctx.log.warn(
      `Could not read the account id (sts:GetCallerIdentity in ${region}: ${sts.problem}); ${
        fromArn ? `taken from a user pool's ARN (${fromArn})` : 'the report names no account'
      }.`,
    )
  }
  return fromArn
}
