/**
 * `npx tsx sandbox/serve.ts --env-out FILE [--scenario FILE]`
 *
 * Starts the sandbox (moto + proxy on free loopback ports), seeds a scenario (default: the demo
 * account), writes the environment that points AWS clients at it to FILE as `NAME=value` lines,
 * and keeps running until a signal (SIGTERM, SIGINT, SIGHUP) ends it and moto with it. A workflow starts it in the background, appends FILE to
 * `$GITHUB_ENV`, and every later step (the action itself included) talks to the sandbox instead of
 * AWS. FILE appears only once the sandbox is seeded (written to a temporary name, then renamed), so
 * waiting for it to exist is waiting for the sandbox to be ready.
 *
 * Exit code 2 (one line on stderr) when the sandbox could not start or the scenario not be seeded.
 */
import { rename, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type Sandbox, startSandbox } from './index.js'

async function main(): Promise<number | undefined> {
  let values: { 'env-out'?: string; scenario?: string; region?: string }
  try {
    ;({ values } = parseArgs({
      options: {
        'env-out': { type: 'string' },
        scenario: { type: 'string', default: 'examples/demo-account.yml' },
        region: { type: 'string', default: 'us-east-1' },
      },
    }))
  } catch (err) {
    console.error(`sandbox: ${(err as Error).message}`)
    return 2
  }
  if (!values['env-out']) {
    console.error('sandbox: --env-out FILE is required (where to write the environment for AWS clients)')
    return 2
  }
  const envFile = resolve(values['env-out'])
  await rm(envFile, { force: true })

  let sandbox: Sandbox
  try {
    sandbox = await startSandbox({ region: values.region! })
  } catch (err) {
    console.error(`sandbox: did not start: ${(err as Error).message}`)
    return 2
  }
  try {
    const seeded = await sandbox.seed(values.scenario!)
    const pools = Object.keys(seeded.pools).filter((k) => k.includes('/'))
    console.log(`sandbox: ${sandbox.endpoint}, seeded ${values.scenario} (${pools.length} user pools)`)
  } catch (err) {
    console.error(`sandbox: could not seed ${values.scenario}: ${(err as Error).message}`)
    await sandbox.stop()
    return 2
  }

  const lines = Object.entries(sandbox.env).map(([k, v]) => `${k}=${v}`)
  await writeFile(`${envFile}.tmp`, `${lines.join('\n')}\n`)
  await rename(`${envFile}.tmp`, envFile)

  // The sandbox's servers do not hold the process open (tests end without stopping them), so a timer
  // does; SIGTERM/SIGINT/SIGHUP end the process and moto with it (sandbox/moto.ts).
  setInterval(() => {}, 60_000)
  console.log(`sandbox: ready; environment in ${values['env-out']}`)
  return undefined
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code)
  },
  (err) => {
    console.error(`sandbox: ${(err as Error).message}`)
    process.exit(2)
  },
)
