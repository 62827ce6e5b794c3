/**
 * The organisation's accounts, from AWS Organizations (read-only): `ListAccounts`, or, with
 * organizational units given, `ListAccountsForParent` and `ListOrganizationalUnitsForParent` through
 * every nested unit. Every listing follows NextToken to the end: a page may come back empty while more
 * remain. Works from the management account or a delegated-administrator account.
 */
import {
  type Account,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations'
import {
  type AccountMatrix,
  buildAccountMatrix,
  checkAccountIds,
  checkParentIds,
  checkRoleTemplate,
  type MatrixOptions,
  type OrgAccount,
} from '../../accounts/matrix.js'
import { errorMessage } from '../../errors.js'

export interface DiscoverOptions extends MatrixOptions {
  /** Only accounts under these organizational units (or roots), nested units included. */
  ous?: string[]
  /** Leave out accounts under these organizational units, nested units included. */
  excludeOus?: string[]
  /** Page size asked of the API (default: the API's own). */
  pageSize?: number
}

export function createOrganizationsClient(): OrganizationsClient {
  // One global endpoint; the region only picks the partition.
  return new OrganizationsClient({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    maxAttempts: 8,
    retryMode: 'adaptive',
    customUserAgent: [['cognito-compliance-action']],
  })
}

/** An AWS error from the discovery, explained. */
export class DiscoveryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DiscoveryError'
  }
}

const toAccount = (a: Account): OrgAccount => ({
  id: a.Id ?? '',
  ...(a.Name ? { name: a.Name } : {}),
  ...(a.State ? { state: a.State } : {}),
  ...(a.Status ? { status: a.Status } : {}),
})

async function explain<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const name = (err as { name?: string }).name ?? ''
    const hint: Record<string, string> = {
      AccessDeniedException: `the credentials may not call organizations:${action}: run from the organisation's management account or a delegated-administrator account, with organizations:${action} allowed`,
      AWSOrganizationsNotInUseException: 'this account is not a member of an organisation',
      ParentNotFoundException: 'an organizational unit or root id given does not exist in this organisation',
      TooManyRequestsException: 'AWS Organizations kept throttling the requests; try again later',
    }
    throw new DiscoveryError(`organizations:${action} failed (${name || 'error'}): ${hint[name] ?? errorMessage(err)}`)
  }
}

async function listAll(client: OrganizationsClient, pageSize?: number): Promise<OrgAccount[]> {
  return explain('ListAccounts', async () => {
    const out: OrgAccount[] = []
    for await (const page of paginateListAccounts({ client, ...(pageSize ? { pageSize } : {}) }, {})) {
      for (const a of page.Accounts ?? []) out.push(toAccount(a))
    }
    return out
  })
}

/** Every account under `parent`, nested organizational units included. */
async function listUnder(client: OrganizationsClient, parent: string, pageSize?: number): Promise<OrgAccount[]> {
  const out: OrgAccount[] = []
  const queue = [parent]
  const seen = new Set<string>()
  while (queue.length > 0) {
    const id = queue.shift()!
    if (seen.has(id)) continue
    seen.add(id)
    const paging = { client, ...(pageSize ? { pageSize } : {}) }
    await explain('ListAccountsForParent', async () => {
      for await (const page of paginateListAccountsForParent(paging, { ParentId: id })) {
        for (const a of page.Accounts ?? []) out.push(toAccount(a))
      }
    })
    await explain('ListOrganizationalUnitsForParent', async () => {
      for await (const page of paginateListOrganizationalUnitsForParent(paging, { ParentId: id })) {
        for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) queue.push(ou.Id)
      }
    })
  }
  return out
}

export async function discoverAccounts(
  client: OrganizationsClient,
  opts: DiscoverOptions,
): Promise<{ matrix: AccountMatrix; warnings: string[]; listed: number }> {
  checkRoleTemplate(opts.role, 'role')
  checkAccountIds(opts.accounts ?? [], 'accounts')
  checkAccountIds(opts.excludeAccounts ?? [], 'exclude-accounts')
  checkParentIds(opts.ous ?? [], 'ous')
  checkParentIds(opts.excludeOus ?? [], 'exclude-ous')
  let accounts: OrgAccount[]
  if (opts.ous?.length) {
    const lists = await Promise.all(opts.ous.map((ou) => listUnder(client, ou, opts.pageSize)))
    accounts = [...new Map(lists.flat().map((a) => [a.id, a])).values()]
  } else {
    accounts = await listAll(client, opts.pageSize)
  }
  if (opts.excludeOus?.length) {
    const lists = await Promise.all(opts.excludeOus.map((ou) => listUnder(client, ou, opts.pageSize)))
    const out = new Set(lists.flat().map((a) => a.id))
    accounts = accounts.filter((a) => !out.has(a.id))
  }
  const { matrix, warnings } = buildAccountMatrix(accounts, { ...opts, role: opts.role.trim() })
  return { matrix, warnings, listed: accounts.length }
}
