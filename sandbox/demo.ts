/**
 * `npm run demo [-- --out DIR] [--scenario FILE] [--policy FILE] [--save-snapshot FILE] [--nights 2]`
 *
 * Starts moto and the proxy on free loopback ports, seeds the demo account, runs the CLI
 * exactly as a user would (`npx tsx src/cli.ts audit --policy … --out …`) with the sandbox's
 * environment, prints the report and the API calls it made, and shuts everything down.
 * Writes the JSON report and the job summary (GITHUB_STEP_SUMMARY) into the out folder.
 *
 * With `--nights 2`, two consecutive audits of the same seeded account, with one change between them
 * (the demo account's shop-customers mobile sign-in throttling alarm is deleted): the first writes
 * DIR/night-1, the second compares with it (`--baseline DIR/night-1/report.json`) and writes DIR/night-2,
 * so its report shows the delta (new, resolved, persisting since the first night).
 *
 * Exit code: 0 when the audit ran (whatever its verdict); non-zero only when it could not run.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CloudWatchClient, DeleteAlarmsCommand } from '@aws-sdk/client-cloudwatch'
import { type Sandbox, startSandbox } from './index.js'

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '.audit-out' },
    scenario: { type: 'string', default: 'examples/demo-account.yml' },
    policy: { type: 'string', default: 'examples/policies/demo.yml' },
    'save-snapshot': { type: 'string' },
    nights: { type: 'string', default: '1' },
  },
})
/** The change between the two nights of `--nights 2`. */
const CHANGED_ALARM = { region: 'us-east-1', name: 'shop-customers-mobile-sign-in-throttles' }
const outDir = resolve(values.out!)
const CLI = 'src/cli.ts'

async function main(): Promise<number> {
  if (values.nights !== '1' && values.nights !== '2') {
    console.error(`demo: --nights must be 1 or 2 (got ${JSON.stringify(values.nights)}).`)
    return 2
  }
  for (const [what, file] of [
    ['the CLI', CLI],
    ['the scenario', values.scenario!],
    ['the policy', values.policy!],
  ] as const) {
    if (!existsSync(file)) {
      console.error(`demo: cannot run: ${what} (${file}) does not exist yet.`)
      return 2
    }
  }
  console.log('demo: starting moto and the sandbox proxy on 127.0.0.1 …')
  let sandbox: Sandbox
  try {
    sandbox = await startSandbox({ region: 'us-east-1' })
  } catch (err) {
    const message = (err as Error).message
    console.error(
      message.includes('\n')
        ? `demo: cannot run: the sandbox did not start.\n${message}`
        : `demo: cannot run: ${message}`,
    )
    return 2
  }
  try {
    // The previous run's output stays until the sandbox is up: a demo that cannot run deletes nothing.
    await rm(outDir, { recursive: true, force: true })
    await mkdir(outDir, { recursive: true })
    const seeded = await sandbox.seed(values.scenario!)
    const pools = Object.entries(seeded.pools).filter(([k]) => k.includes('/'))
    console.log(`demo: seeded ${values.scenario}: ${pools.length} user pools`)
    for (const [key, id] of pools) console.log(`        ${key.padEnd(32)} ${id}`)
    sandbox.clearCalls()

    const env: Record<string, string> = {}
    // Nothing from a real AWS configuration may leak into the run: drop every AWS_* variable first.
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_')) env[k] = v
    Object.assign(env, sandbox.env, { FORCE_COLOR: process.stdout.isTTY ? '1' : '0' })
    const audit = async (out: string, extra: string[]): Promise<number | null> => {
      await mkdir(out, { recursive: true })
      const args = ['tsx', CLI, 'audit', '--policy', values.policy!, '--out', out, ...extra]
      if (values['save-snapshot']) args.push('--save-snapshot', resolve(values['save-snapshot']))
      console.log(`demo: npx ${args.join(' ')}\n`)
      const code = await run('npx', args, { ...env, GITHUB_STEP_SUMMARY: join(out, 'job-summary.md') })
      console.log('')
      return code
    }
    let code: number | null
    if (values.nights === '2') {
      const night1 = join(outDir, 'night-1')
      code = await audit(night1, [])
      if (code !== 0 && code !== 1) return couldNotRun(code)
      console.log(`demo: the change before night 2: alarm ${CHANGED_ALARM.name} (${CHANGED_ALARM.region}) deleted\n`)
      const cloudwatch = new CloudWatchClient({
        region: CHANGED_ALARM.region,
        endpoint: sandbox.env.AWS_ENDPOINT_URL!,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      })
      await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [CHANGED_ALARM.name] }))
      sandbox.clearCalls()
      code = await audit(join(outDir, 'night-2'), ['--baseline', join(night1, 'report.json')])
    } else {
      code = await audit(outDir, [])
    }
    if (code !== 0 && code !== 1) return couldNotRun(code)
    console.log(
      code === 0
        ? 'demo: verdict: PASSED — every requirement of the policy is met (CLI exit 0).'
        : 'demo: verdict: FAILED — the policy found violations or unverifiable requirements (CLI exit 1).',
    )
    const counts = Object.entries(sandbox.callCounts()).sort(([a], [b]) => a.localeCompare(b))
    console.log(`demo: AWS API calls made by the audit: ${counts.reduce((n, [, c]) => n + c, 0)}`)
    for (const [op, n] of counts) console.log(`        ${op.padEnd(44)} ${n}`)
    const files = existsSync(outDir) ? await readdir(outDir) : []
    console.log(`demo: written to ${values.out}/: ${files.sort().join(', ') || '(nothing)'}`)
    return 0
  } finally {
    await sandbox.stop()
  }
}

function couldNotRun(code: number | null): number {
  console.error(`demo: the audit could not run (CLI exit code ${code}).`)
  return code === null ? 3 : code
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { env, stdio: 'inherit' })
    const timer = setTimeout(() => child.kill('SIGTERM'), 10 * 60_000)
    child.once('error', (err) => {
      console.error(`demo: cannot start ${cmd}: ${err.message}`)
      clearTimeout(timer)
      resolvePromise(127)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolvePromise(code)
    })
  })
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    console.error(`demo: cannot run: ${(err as Error).stack ?? err}`)
    process.exitCode = 2
  },
)
