/**
 * The sandbox on a machine without moto: one line that says how to install it (pip, or a venv with
 * SANDBOX_PYTHON), never Python's traceback; and the demo keeps its previous output when it cannot run.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startMoto } from '../../sandbox/moto.js'

/** A "python" that fails the way a Python without moto's server does: a traceback, then shutdown noise. */
function pythonWithout(module: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nomoto-'))
  const file = join(dir, 'python')
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      'echo "Traceback (most recent call last):" >&2',
      'echo "  File \\"<string>\\", line 8, in <module>" >&2',
      `echo "ModuleNotFoundError: No module named '${module}'" >&2`,
      'echo "Fatal Python error: _enter_buffered_busy: could not acquire lock" >&2',
      'exit 1',
      '',
    ].join('\n'),
  )
  chmodSync(file, 0o755)
  return file
}

describe('starting the sandbox without moto', () => {
  it('is one line naming the interpreter, the missing module and both install recipes', async () => {
    const python = pythonWithout('werkzeug')
    const err = await startMoto({ python, startTimeoutMs: 10_000 }).then(
      () => undefined,
      (e: Error) => e,
    )
    expect(err).toBeInstanceOf(Error)
    const message = err!.message
    expect(message).not.toContain('\n')
    expect(message).not.toMatch(/Traceback|Fatal Python error/)
    expect(message).toContain(python)
    expect(message).toContain('no module werkzeug')
    expect(message).toContain("pip install 'moto[server]'")
    expect(message).toContain('SANDBOX_PYTHON=.venv/bin/python')
  })

  it('the demo says so in one line, exits 2, and leaves the previous output folder alone', () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-out-'))
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'report.json'), '{"previous":true}')
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/demo.ts', '--out', out], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, SANDBOX_PYTHON: pythonWithout('moto'), AWS_EC2_METADATA_DISABLED: 'true' },
      timeout: 60_000,
    })
    expect(run.status).toBe(2)
    const errors = run.stderr.trim().split('\n')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^demo: cannot run: moto's server is not installed for .*no module moto/)
    expect(existsSync(join(out, 'report.json'))).toBe(true)
  })
})
