/** The CLI in-process: exit codes, flag names in errors, and a snapshot audit without AWS. */
import { describe, expect, it } from 'vitest'
import { CLI_DIALECT, parseQuotaShare } from '../../src/run-options.js'
import { runCli } from '../support/cli.js'

const cli = (...argv: string[]) => runCli(argv)

const SNAP = 'examples/snapshots/demo-account.json'
const POLICY = 'examples/policies/demo.yml'

describe('the CLI', () => {
  it('audits a saved snapshot without AWS: the report, the counts line and exit 1 on violations', async () => {
    const r = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--no-color')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(
      /^Cognito compliance audit .*\n\n❌ 6 violations in 2 of 3 user pools in 2 regions\n6 violations · 0 not verified · 0 advisory · 0 exempt · \d+ passed\n/,
    )
    expect(r.err).toContain('Gate failed (fail-on: violation): 6 policy violations.')
    expect((await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--fail-on', 'never')).code).toBe(0)
  })

  it('names its own flags in input errors, and exits 2', async () => {
    const r = await cli('audit', '--pool', 'bad_id', '--region', 'mars-1', '--snapshot', SNAP)
    expect(r.code).toBe(2)
    expect(r.err).toContain('--pool: "bad_id" is not a user pool id')
    expect(r.err).toContain('--region: "mars-1" is not a known AWS Region')
    expect(r.err).not.toContain('user-pool-ids')
  })

  it('refuses --lookback with --snapshot: the saved window cannot change', async () => {
    const r = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--lookback', '7d')
    expect(r.code).toBe(2)
    expect(r.err).toContain('--lookback cannot be used with --snapshot')
  })

  it('takes --max-quota-share as a percentage above 0 and at most 100; bad values exit 2 with one line', async () => {
    for (const [text, share] of [
      ['50%', 0.5],
      ['25', 0.25],
      ['12.5 %', 0.125],
      ['100%', 1],
      ['', 0.5],
    ] as const) {
      expect(parseQuotaShare(text, CLI_DIALECT), text).toBe(share)
    }
    for (const bad of ['0', '0%', '101%', '-5', '50%%', 'half', '1e2', '0.5x']) {
      expect(() => parseQuotaShare(bad, CLI_DIALECT), bad).toThrow(
        /^--max-quota-share must be a percentage above 0 and at most 100, such as 50% \(got "/,
      )
    }
    const r = await cli('audit', '--policy', POLICY, '--max-quota-share', '150%')
    expect(r.code).toBe(2)
    expect(r.err).toBe(
      'cognito-compliance: --max-quota-share must be a percentage above 0 and at most 100, such as 50% (got "150%")\n',
    )
    const s = await cli('audit', '--policy', POLICY, '--snapshot', SNAP, '--max-quota-share', '20%')
    expect(s.code).toBe(2)
    expect(s.err).toContain('--max-quota-share cannot be used with --snapshot')
  })

  it('rejects unknown flags and commands with usage help, never a stack trace', async () => {
    const bogus = await cli('audit', '--bogus')
    expect(bogus.err).toBe('cognito-compliance: unknown option --bogus\nRun "cognito-compliance --help" for usage.\n')
    for (const argv of [['audit', '--bogus'], ['scan'], []]) {
      const r = await cli(...argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.err).not.toMatch(/\n\s+at /)
    }
  })
})
