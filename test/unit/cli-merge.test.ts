/** The CLI's merge and accounts commands through main(): exit codes and one-line errors. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountIdOf, generateReport } from '../../sandbox/bench/reports.js'
import { runCli } from '../support/cli.js'

const cli = (...argv: string[]) => runCli(argv)

let dir: string
const A = accountIdOf(1)
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-merge-'))
  const report = generateReport({ accountId: A, regions: ['us-east-1'], pools: 2, violations: false })
  await writeFile(join(dir, 'a.json'), JSON.stringify(report))
  await writeFile(join(dir, 'b.json'), JSON.stringify(report))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('cognito-compliance merge', () => {
  it('exit 0 when every expected account is compliant, 1 when one is missing', async () => {
    expect((await cli('merge', join(dir, 'a.json'), '--expect', A)).code).toBe(0)
    const missing = await cli('merge', join(dir, 'a.json'), '--expect', `${A},${accountIdOf(2)}`)
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('Gate failed (fail-on: violation): 1 requirement or report could not be verified.')
  })

  it('a duplicate account and region is exit 2 with one line naming both files', async () => {
    const r = await cli('merge', join(dir, 'a.json'), join(dir, 'b.json'))
    expect(r.code).toBe(2)
    expect(r.err).toBe(
      `cognito-compliance: account ${A} region us-east-1 is in two reports: ${join(dir, 'a.json')} and ${join(dir, 'b.json')} (merge each account and region once)\n`,
    )
  })

  it('its own options and help', async () => {
    expect((await cli('merge', '--help')).out).toContain('Usage: cognito-compliance merge REPORT...')
    const bogus = await cli('merge', '--bogus')
    expect(bogus.code).toBe(2)
    expect(bogus.err).toContain('unknown option --bogus')
  })
})

describe('cognito-compliance accounts', () => {
  it('needs a role, checked before any AWS call', async () => {
    const r = await cli('accounts')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--role is required')
    const ou = await cli('accounts', '--role', 'R', '--ou', 'prod')
    expect(ou.code).toBe(2)
    expect(ou.err).toContain('--ou: "prod" is not an organizational unit id')
  })

  it('the main help names both commands', async () => {
    const r = await cli('--help')
    expect(r.out).toContain('cognito-compliance merge REPORT...')
    expect(r.out).toContain('cognito-compliance accounts --role NAME')
  })
})
