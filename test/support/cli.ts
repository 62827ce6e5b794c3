/** The CLI in-process: `main()` with captured stdout and stderr, no TTY and the instance metadata lookup off. */
import { main } from '../../src/cli.js'

export interface CliRun {
  code: number
  out: string
  err: string
}

/** Runs the CLI with `argv`; `env` adds to `AWS_EC2_METADATA_DISABLED=true` (e.g. a loopback endpoint). */
export async function runCli(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let out = ''
  let err = ''
  const code = await main(argv, {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
    env: { AWS_EC2_METADATA_DISABLED: 'true', ...env },
    isTTY: false,
  })
  return { code, out, err }
}
