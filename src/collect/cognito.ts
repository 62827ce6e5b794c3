/** Cognito user pools collector (issue 2). */
import type { Policy } from '../policy/types.js'
import type { CognitoRegion } from '../model/snapshot.js'
import type { CollectContext } from './context.js'

/** Lists, selects and describes the pools the policy names in one region. */
export async function collectCognito(_ctx: CollectContext, _region: string, _policy: Policy): Promise<CognitoRegion> {
  throw new Error('not implemented')
}
