/**
 * The CLI: the same pipeline as the action, with the standard AWS credential chain,
 * printing a readable report.
 *
 *   cognito-compliance audit [--policy FILE] [--region R]... [--pool ID]... [--snapshot FILE]
 *                            [--save-snapshot FILE] [--json] [--details] [--out DIR]
 *                            [--fail-on violation|new-violation|error|never] [--lookback DURATION]
 *                            [--timeout DURATION] [--max-quota-share PERCENT] [--baseline FILE]
 *                            [--sarif FILE]
 *   cognito-compliance baseline --out FILE [the audit's options]
 *   cognito-compliance plan (--template FILE... | --cdk-out DIR | --terraform-plan FILE) [options]
 *
 * Exit codes: 0 the gate passed; 1 the gate failed (violations or unverifiable requirements);
 * 2 bad input (policy, arguments, snapshot file).
 */
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { accountsCommand } from './accounts/command.js'
import { type AuditResult, gate, runAudit } from './audit.js'
import { compareReports } from './baseline/compare.js'
import { buildBaselineFile } from './baseline/file.js'
import { comparableOf, deltaFields, loadBaseline, trackedFindings } from './baseline/source.js'
import { errorMessage, excerpt, InputError, isBadInput, writingTo } from './errors.js'
import { mergeCommand } from './merge/command.js'
import { sayNodeSupport } from './node-support.js'
import { CREDENTIAL_CHAIN, isNoCredentials } from './model/aws-error.js'
import type { Logger } from './model/logger.js'
import { visible, visibleLines } from './model/quote.js'
import { parseListInput } from './policy/inputs.js'
import { writeReportFiles, writeSarifFile } from './report/files.js'
import { buildJsonReport, toJsonText } from './report/json.js'
import { renderTerminal } from './report/terminal.js'
import { CLI_DIALECT, parseFailOnSeverity, prepareRun } from './run-options.js'
import { VERSION } from './version.js'
import { writeFileAtomic } from './write-file.js'

export const USAGE = `Usage: cognito-compliance audit [options]
       cognito-compliance baseline --out FILE [options]

Audits Amazon Cognito user pools against a policy (threat protection, CloudWatch alarms,
CloudTrail capture, recent activity) with read-only AWS calls.

Options:
  --policy FILE          policy file (default .github/cognito-compliance.yml if it exists)
  --region R             region to audit; repeat or comma-separate (replaces the policy's regions)
  --pool ID              user pool id to audit; repeat or comma-separate
  --snapshot FILE        audit a saved snapshot instead of calling AWS
  --save-snapshot FILE   save what was collected, for offline re-evaluation
  --lookback DURATION    activity window, e.g. 24h or 7d (replaces the policy's activity.lookback)
  --timeout DURATION     time limit of the whole audit, e.g. 90s, 30m, 1h (default 30m, 1s to 6h); on
                         expiry what was collected is judged, the rest is reported not collected, exit 1
  --max-quota-share PCT  spend at most this share of each per-region AWS rate quota (default 50%), so the
                         applications using the pools keep the rest; sized from the account's applied
                         quotas when servicequotas:ListServiceQuotas is allowed
  --out DIR              write report.json and summary.md to DIR
                         (baseline: the baseline file to write, e.g. .github/cognito-compliance.baseline.json)
  --baseline FILE        compare with a previous report.json or a committed baseline file:
                         new, persisting (since when), resolved, not verifiable
                         (plan: the report of the same plan run on the base branch)
  --json                 print the JSON report instead of the text report
  --sarif FILE           also write the findings as SARIF 2.1.0 for GitHub code scanning (upload-sarif)
  --details              full remediation per finding (CLI, CloudFormation, CDK) instead of one fix command
  --fail-on LEVEL        violation (default: violations and unverifiable requirements fail),
                         new-violation (only violations the --baseline does not hold, and
                         unverifiable requirements), error (only unverifiable requirements), never
  --fail-on-severity S   only violations of severity S or above fail: critical, high, medium, low
                         (default low: all); the others are reported
  --no-color             plain text
  -h, --help             this help;  -v, --version  the version

Pre-deploy gate: cognito-compliance plan (--template FILE... | --cdk-out DIR | --terraform-plan FILE) [options]
  --template FILE        CloudFormation template (JSON or YAML); repeat, or a glob
  --cdk-out DIR          CDK cloud assembly (the output of cdk synth)
  --terraform-plan FILE  terraform show -json plan.out
  --parameter K=V        template parameter value (replaces its Default); repeat
  --live                 lay the plan over the live account (needs AWS credentials)
  --fail-on-existing     findings already in the account fail the gate too (with --live)
  --region R             the stacks' region when the plan does not name one
  The --policy, --out, --json, --sarif, --fail-on and --save-snapshot options apply as for audit.

The baseline command audits as audit does and writes the current violations as accepted debt;
with --fail-on new-violation and --baseline FILE, later audits fail only on violations not in it.

Other commands (each with --help):
  cognito-compliance merge REPORT...   fold many audits' report.json files into one verdict
  cognito-compliance accounts --role NAME
                                       the organisation's active accounts as a GitHub Actions matrix

Exit codes: 0 passed (baseline: written), 1 failed the gate, 2 bad input.
Credentials and endpoints come from the standard AWS chain (AWS_PROFILE, AWS_REGION,
AWS_ENDPOINT_URL, ...).`

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  isTTY: boolean
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const log: Logger = {
    info: (m) => io.stderr(`${visible(m)}\n`),
    warn: (m) => io.stderr(`warning: ${visible(m)}\n`),
    debug: (m) => (io.env.COGNITO_COMPLIANCE_DEBUG ? io.stderr(`debug: ${visible(m)}\n`) : undefined),
  }
  try {
    // The other commands have their own options.
    if (argv[0] === 'merge') return await mergeCommand(argv.slice(1), io)
    if (argv[0] === 'accounts') return await accountsCommand(argv.slice(1), io)
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        policy: { type: 'string' },
        region: { type: 'string', multiple: true },
        pool: { type: 'string', multiple: true },
        snapshot: { type: 'string' },
        'save-snapshot': { type: 'string' },
        out: { type: 'string' },
        sarif: { type: 'string' },
        json: { type: 'boolean' },
        details: { type: 'boolean' },
        'fail-on': { type: 'string' },
        lookback: { type: 'string' },
        timeout: { type: 'string' },
        'max-quota-share': { type: 'string' },
        baseline: { type: 'string' },
        'fail-on-severity': { type: 'string' },
        'no-color': { type: 'boolean' },
        template: { type: 'string', multiple: true },
        'cdk-out': { type: 'string' },
        'terraform-plan': { type: 'string' },
        parameter: { type: 'string', multiple: true },
        live: { type: 'boolean' },
        'fail-on-existing': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    })
    if (values.help) {
      io.stdout(`${USAGE}\n`)
      return 0
    }
    if (values.version) {
      io.stdout(`${VERSION}\n`)
      return 0
    }
    const [command, ...rest] = positionals
    if (command !== 'audit' && command !== 'plan' && command !== 'baseline') {
      throw new InputError(
        command
          ? `unknown command ${excerpt(command)} (expected "audit", "plan", "baseline", "merge" or "accounts")`
          : 'missing command "audit"',
      )
    }
    const planFlags = ['template', 'cdk-out', 'terraform-plan', 'parameter', 'live', 'fail-on-existing'] as const
    const misplaced = command !== 'plan' && planFlags.find((f) => values[f] !== undefined)
    if (misplaced) throw new InputError(`--${misplaced} belongs to the plan command (cognito-compliance plan)`)
    if (command === 'baseline' && !values.out) {
      throw new InputError('baseline needs --out FILE, e.g. --out .github/cognito-compliance.baseline.json')
    }
    if (command === 'baseline' && values.json) throw new InputError('--json cannot be used with baseline')
    if (rest.length) throw new InputError(`unexpected argument ${excerpt(String(rest[0]))}`)
    if (values.sarif !== undefined && values.sarif.trim() === '') throw new InputError('--sarif needs a file name')
    const minSeverity = parseFailOnSeverity(values['fail-on-severity'], CLI_DIALECT)
    const list = (v: string[] | undefined) => parseListInput((v ?? []).join(','))
    const { policy, source, failOn, failOnExisting } = await prepareRun(
      {
        ...(values.policy ? { policyPath: values.policy } : {}),
        userPoolIds: list(values.pool),
        regions: list(values.region),
        ...(values['fail-on'] !== undefined ? { failOn: values['fail-on'] } : {}),
        ...(values.snapshot ? { snapshot: values.snapshot } : {}),
        ...(values['save-snapshot'] ? { saveSnapshot: values['save-snapshot'] } : {}),
        ...(values.lookback !== undefined ? { lookback: values.lookback } : {}),
        ...(values.timeout !== undefined ? { timeout: values.timeout } : {}),
        ...(values['max-quota-share'] !== undefined ? { maxQuotaShare: values['max-quota-share'] } : {}),
        ...(command === 'plan'
          ? {
              plan: {
                templates: values.template ?? [],
                ...(values['cdk-out'] ? { cdkOut: values['cdk-out'] } : {}),
                ...(values['terraform-plan'] ? { terraformPlan: values['terraform-plan'] } : {}),
                parameters: values.parameter ?? [],
                live: values.live === true,
                failOnExisting: values['fail-on-existing'] === true,
              },
            }
          : {}),
      },
      CLI_DIALECT,
    )
    // Read before any AWS call: an unreadable baseline is bad input.
    const baseline = await loadBaseline(values.baseline, { log, what: '--baseline' })
    const result = await runAudit({
      policy,
      source,
      ...(values['save-snapshot'] ? { saveSnapshotPath: values['save-snapshot'] } : {}),
      ...(failOnExisting ? { failOnExisting } : {}),
      log,
    })
    if (baseline) {
      result.baseline = { comparison: compareReports(baseline.report, comparableOf(result)), source: baseline.source }
    }
    if (command === 'baseline') return await writeBaseline(values.out as string, result, log)
    const reason = gate(result, failOn, minSeverity)
    if (values.out) {
      const written = await writeReportFiles(values.out, result, failOn, reason)
      log.info(`Wrote ${written.reportPath} and ${written.summaryPath}.`)
      if (io.env.GITHUB_STEP_SUMMARY) await appendFile(io.env.GITHUB_STEP_SUMMARY, written.markdown)
    }
    if (values.sarif !== undefined) {
      const sarif = await writeSarifFile(values.sarif, result, process.cwd())
      log.info(`Wrote ${sarif.path} (SARIF, ${sarif.results} result${sarif.results === 1 ? '' : 's'}).`)
      for (const note of sarif.notes) log.warn(`${sarif.path}: ${note}`)
    }
    if (values.json) {
      io.stdout(toJsonText(buildJsonReport(result, failOn, reason)))
      // The report is on stdout (perhaps piped to a file): say why nothing could be verified where a person sees it.
      if (
        result.findings.some((f) => isNoCredentials(String((f.evidence?.awsError as { code?: string })?.code ?? '')))
      ) {
        io.stderr(`No AWS credentials were found (the standard chain looks in ${CREDENTIAL_CHAIN}).\n`)
      }
    } else {
      const color = io.isTTY && !values['no-color'] && !io.env.NO_COLOR
      io.stdout(renderTerminal(result, { color, details: values.details === true }))
    }
    if (reason) {
      io.stderr(`Gate failed (fail-on: ${failOn}): ${reason}.\n`)
      return 1
    }
    return 0
  } catch (err) {
    const code = (err as { code?: string }).code
    if (isBadInput(err) || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      // The policy loader names the action's inputs; on the command line they are flags.
      const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /Unknown option '([^']+)'/.exec(errorMessage(err))
      const message = unknown
        ? `unknown option ${unknown[1]}`
        : errorMessage(err)
            .replace(/^inputs: user-pool-ids: /gm, '--pool: ')
            .replace(/^inputs: regions: /gm, '--region: ')
      io.stderr(`cognito-compliance: ${visibleLines(message)}\n`)
      if (!isBadInput(err)) io.stderr('Run "cognito-compliance --help" for usage.\n')
      return 2
    }
    if (io.env.COGNITO_COMPLIANCE_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`)
    const what = argv[0] === 'merge' ? 'the merge' : argv[0] === 'accounts' ? 'the account listing' : 'the audit'
    io.stderr(`cognito-compliance: ${what} could not run: ${visibleLines(errorMessage(err))}\n`)
    return 1
  }
}

/** `baseline --out FILE`: the current violations as accepted debt (first seen carried from --baseline). */
async function writeBaseline(path: string, result: AuditResult, log: Logger): Promise<number> {
  const seen = deltaFields(result.baseline?.comparison)
  const findings = trackedFindings(result).map((f) => {
    const firstSeen = seen.get(f.id)?.firstSeen
    return firstSeen ? { ...f, firstSeen } : f
  })
  const file = buildBaselineFile({
    collectedAt: result.snapshot.collectedAt,
    ...(result.snapshot.accountId ? { accountId: result.snapshot.accountId } : {}),
    policySource: result.policy.source,
    findings,
  })
  await writingTo('baseline file', path, async () => {
    await mkdir(dirname(path), { recursive: true })
    await writeFileAtomic(path, toJsonText(file))
  })
  log.info(
    `Wrote ${file.violations.length} accepted violation${file.violations.length === 1 ? '' : 's'} to ${path}. Commit it, and audit with --baseline ${path} --fail-on new-violation.`,
  )
  if (result.counts.error > 0) {
    log.warn(
      `${result.counts.error} requirement${result.counts.error === 1 ? '' : 's'} could not be verified: they are not in the baseline, and fail the gate until they can be verified.`,
    )
  }
  return 0
}

/** Runs when executed directly (tsx src/cli.ts, or the bundled bin). */
const invokedDirectly =
  process.argv[1] !== undefined &&
  /(?:^|[\\/])(?:cli\.ts|cli[\\/]index\.js|cognito-compliance(?:\.js)?)$/.test(process.argv[1])
if (invokedDirectly) {
  sayNodeSupport(process.version, process.env, (t) => process.stderr.write(t))
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  }).then((code) => {
    process.exitCode = code
  })
}
