/**
 *   cognito-compliance accounts --role NAME|ARN [--ou ID]... [--exclude-ou ID]... [--account ID]...
 *                               [--exclude-account ID]...
 *
 * Prints the organisation's active accounts as a GitHub Actions matrix (one line of JSON) for a later
 * job's `fromJSON`. Exit codes: 0 listed, 1 AWS refused or failed, 2 bad input.
 */
import { parseArgs } from 'node:util'
import type { CliIo } from '../cli.js'
import { InputError } from '../errors.js'
import { visible } from '../model/quote.js'
import { parseListInput } from '../policy/inputs.js'
import { createOrganizationsClient, discoverAccounts } from '../sources/aws/organizations.js'
import { checkAccountIds, checkParentIds, checkRoleTemplate } from './matrix.js'

export const ACCOUNTS_USAGE = `Usage: cognito-compliance accounts --role NAME|ARN [options]

Lists the organisation's ACTIVE accounts (organizations:ListAccounts, from the management account
or a delegated administrator) and prints a GitHub Actions matrix:
  {"include":[{"account":"111111111111","name":"prod","role":"arn:aws:iam::111111111111:role/NAME"}]}

Options:
  --role NAME|ARN        the role each audit job assumes: a role name, or an ARN with {account}
  --ou ID                only accounts under this organizational unit (ou-…) or root (r-…),
                         nested units included; repeat or comma-separate
  --exclude-ou ID        leave out the accounts under this unit; repeat or comma-separate
  --account ID           only these accounts; repeat or comma-separate
  --exclude-account ID   leave out these accounts; repeat or comma-separate`

export async function accountsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: 'string' },
      ou: { type: 'string', multiple: true },
      'exclude-ou': { type: 'string', multiple: true },
      account: { type: 'string', multiple: true },
      'exclude-account': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout(`${ACCOUNTS_USAGE}\n`)
    return 0
  }
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"`)
  if (!values.role)
    throw new InputError('--role is required: a role name (e.g. CognitoComplianceAudit) or an ARN with {account}')
  const list = (v: string[] | undefined) => parseListInput((v ?? []).join(','))
  const opts = {
    role: values.role,
    ous: list(values.ou),
    excludeOus: list(values['exclude-ou']),
    accounts: list(values.account),
    excludeAccounts: list(values['exclude-account']),
  }
  // Checked here too, so the messages name the flags.
  checkRoleTemplate(opts.role, '--role')
  checkParentIds(opts.ous, '--ou')
  checkParentIds(opts.excludeOus, '--exclude-ou')
  checkAccountIds(opts.accounts, '--account')
  checkAccountIds(opts.excludeAccounts, '--exclude-account')
  const { matrix, warnings, listed } = await discoverAccounts(createOrganizationsClient(), opts)
  for (const w of warnings) io.stderr(`warning: ${visible(w)}\n`)
  io.stderr(`${matrix.include.length} of ${listed} accounts listed are active and selected.\n`)
  io.stdout(`${JSON.stringify(matrix)}\n`)
  return 0
}
