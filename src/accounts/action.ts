/** The action's discovery mode (input `list-accounts`): the account matrix, as JSON for the output `matrix`. */
import * as core from '@actions/core'
import { createOrganizationsClient, type DiscoverOptions, discoverAccounts } from '../sources/aws/organizations.js'

export async function runAccountsAction(opts: DiscoverOptions): Promise<string> {
  const { matrix, warnings, listed } = await discoverAccounts(createOrganizationsClient(), opts)
  for (const w of warnings) core.warning(w)
  core.info(`${matrix.include.length} of ${listed} accounts listed are active and selected.`)
  return JSON.stringify(matrix)
}
