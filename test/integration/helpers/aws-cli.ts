/** Runs third-party AWS CLIs against the sandbox. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface AwsCli {
  /** e.g. `aws-cli/1.45.11` */
  label: string
  bin: string
  /** CloudWatch wire protocol this CLI speaks (`json` = JSON 1.0 like the SDK, `query` = form/XML). */
  cloudwatchProtocol: 'json' | 'query'
  /** Its service models know the fields added since 2023 (UserPoolTier …); older CLIs drop them when parsing. */
  modernModels: boolean
}

async function version(bin: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(bin, ['--version'], { timeout: 30_000 })
    return /aws-cli\/[\d.]+/.exec(stdout + stderr)?.[0]
  } catch {
    return undefined
  }
}

/**
 * The AWS CLIs available here: the `aws` on PATH (v1 on the dev machines and CI) and
 * Debian's awscli package (2.9, in /usr/bin). Returns the CLIs found and the reasons others were skipped.
 */
export async function findAwsClis(): Promise<{ clis: AwsCli[]; skipped: string[] }> {
  const clis: AwsCli[] = []
  const skipped: string[] = []
  const seen = new Set<string>()
  for (const bin of ['aws', '/usr/bin/aws', '/usr/local/bin/aws']) {
    if (bin.startsWith('/') && !existsSync(bin)) {
      skipped.push(`${bin}: not installed (apt-get install -y awscli gives Debian's 2.9)`)
      continue
    }
    const v = await version(bin)
    if (!v) {
      skipped.push(`${bin}: not runnable`)
      continue
    }
    if (seen.has(v)) continue
    seen.add(v)
    const major = Number(/aws-cli\/(\d+)\.(\d+)/.exec(v)?.[1])
    const minor = Number(/aws-cli\/(\d+)\.(\d+)/.exec(v)?.[2])
    // CLI v1 ≥ 1.3x and v2 ≥ 2.2x use botocore models where CloudWatch is JSON 1.0; Debian's 2.9 speaks Query.
    const json = (major === 1 && minor >= 30) || (major === 2 && minor >= 20)
    clis.push({ label: v, bin, cloudwatchProtocol: json ? 'json' : 'query', modernModels: json })
  }
  return { clis, skipped }
}

/** Runs `aws <args> --output json` against `endpoint`; returns the parsed output. */
export async function aws(
  cli: AwsCli,
  env: Record<string, string>,
  region: string,
  args: string[],
  // biome-ignore lint/suspicious/noExplicitAny: CLI JSON output is inspected by the tests
): Promise<any> {
  const full = [...args, '--endpoint-url', env.AWS_ENDPOINT_URL!, '--region', region, '--output', 'json']
  try {
    const { stdout } = await run(cli.bin, full, {
      env: { ...process.env, ...env, AWS_MAX_ATTEMPTS: '5' },
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    })
    return stdout.trim() ? JSON.parse(stdout) : {}
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`${cli.label} ${args.join(' ')} failed: ${e.stderr || e.message}`)
  }
}
