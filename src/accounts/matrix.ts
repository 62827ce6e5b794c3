/**
 * The GitHub Actions matrix of accounts to audit: which accounts (active ones, narrowed by id and
 * organizational unit lists) and the role each matrix job assumes. Pure: the AWS side is discover.ts.
 */
import { excerpt, InputError } from '../errors.js'

/** What the Organizations API says of one account (only what the matrix needs). */
export interface OrgAccount {
  id: string
  name?: string
  /** `ACTIVE | CLOSED | PENDING_ACTIVATION | PENDING_CLOSURE | SUSPENDED`; `Status` is being retired. */
  state?: string
  /** The retiring field, used only when `state` is absent. */
  status?: string
}

export interface MatrixEntry {
  account: string
  name?: string
  role: string
}

export interface AccountMatrix {
  include: MatrixEntry[]
}

export interface MatrixOptions {
  /** A role name (`CognitoComplianceAudit`, `path/Name`) or an ARN containing `{account}`. */
  role: string
  /** Only these account ids (after the OU filter). */
  accounts?: string[]
  excludeAccounts?: string[]
}

/** GitHub runs at most this many jobs from one matrix. */
export const MAX_MATRIX_JOBS = 256

const ACCOUNT_ID = /^\d{12}$/
const ROLE_NAME = /^[\w+=,.@-]+(\/[\w+=,.@-]+)*$/
/** `r-xxxx` roots and `ou-xxxx-yyyyyyyy` organizational units. */
export const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/

/** The role ARN for an account: `{account}` in an ARN template is replaced, a role name becomes
 *  `arn:aws:iam::<account>:role/<name>`. */
export function roleArn(template: string, account: string): string {
  if (template.startsWith('arn:')) return template.replaceAll('{account}', account)
  return `arn:aws:iam::${account}:role/${template}`
}

export function checkRoleTemplate(template: string, what: string): void {
  const t = template.trim()
  if (!t)
    throw new InputError(`${what} is required: a role name (e.g. CognitoComplianceAudit) or an ARN with {account}`)
  if (t.startsWith('arn:')) {
    if (!/^arn:[a-z-]+:iam::\{account\}:role\/[\w+=,.@/-]+$/.test(t)) {
      throw new InputError(`${what} ${excerpt(t)} must look like arn:aws:iam::{account}:role/NAME`)
    }
  } else if (!ROLE_NAME.test(t)) {
    throw new InputError(`${what} ${excerpt(t)} is not a role name (letters, digits and +=,.@_- ; a path with /)`)
  }
}

export function checkAccountIds(ids: string[], what: string): void {
  const bad = ids.find((id) => !ACCOUNT_ID.test(id))
  if (bad !== undefined) throw new InputError(`${what}: ${excerpt(bad)} is not a 12-digit account id`)
}

export function checkParentIds(ids: string[], what: string): void {
  const bad = ids.find((id) => !PARENT_ID.test(id))
  if (bad !== undefined) {
    throw new InputError(`${what}: ${excerpt(bad)} is not an organizational unit id (ou-…) or a root id (r-…)`)
  }
}

export function isActive(a: OrgAccount): boolean {
  return (a.state ?? a.status) === 'ACTIVE'
}

/**
 * The matrix of active accounts, sorted by id. Warnings: a named account that is not active or not
 * in the organisation, and a matrix over GitHub's job limit.
 */
export function buildAccountMatrix(
  accounts: OrgAccount[],
  opts: MatrixOptions,
): { matrix: AccountMatrix; warnings: string[] } {
  const warnings: string[] = []
  const byId = new Map(accounts.map((a) => [a.id, a]))
  const only = opts.accounts?.length ? new Set(opts.accounts) : undefined
  const excluded = new Set(opts.excludeAccounts ?? [])
  for (const id of only ?? []) {
    const a = byId.get(id)
    if (!a) warnings.push(`account ${id} is not in the organisation (or not under the organizational units given)`)
    else if (!isActive(a))
      warnings.push(`account ${id} is ${a.state ?? a.status ?? 'of unknown state'}, not ACTIVE: left out`)
  }
  const include = [...byId.values()]
    .filter((a) => isActive(a) && (!only || only.has(a.id)) && !excluded.has(a.id))
    .sort((x, y) => x.id.localeCompare(y.id))
    .map((a): MatrixEntry => ({ account: a.id, ...(a.name ? { name: a.name } : {}), role: roleArn(opts.role, a.id) }))
  if (include.length > MAX_MATRIX_JOBS) {
    warnings.push(
      `${include.length} accounts: a matrix runs at most ${MAX_MATRIX_JOBS} jobs; split them with organizational units or account lists`,
    )
  }
  if (include.length === 0) warnings.push('no active account matched: the matrix is empty')
  return { matrix: { include }, warnings }
}
