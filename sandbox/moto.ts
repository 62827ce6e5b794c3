/**
 * moto's server as a child process: bound to 127.0.0.1 on a free port, started in
 * its own process group and stopped with it. Three guards against orphans:
 *  - stop() kills the whole process group (SIGTERM, then SIGKILL);
 *  - an `exit` hook of this process kills every group still running;
 *  - moto's stdin is a pipe from this process and a watchdog thread inside the Python
 *    process exits as soon as it reads EOF, so moto dies even when this process is
 *    SIGKILLed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { freePort, waitUntil } from './net.js'

export interface MotoOptions {
  /** Python interpreter (default `python3`, or $SANDBOX_PYTHON). */
  python?: string
  /** Milliseconds to wait for moto to answer (default 30 000). */
  startTimeoutMs?: number
  /** Receives moto's output lines (default: kept in a ring buffer, shown when startup fails). */
  log?: (line: string) => void
}

export interface MotoServer {
  readonly port: number
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string
  readonly pid: number
  /** Clears every moto backend (POST /moto-api/reset). */
  reset(): Promise<void>
  stop(): Promise<void>
}

const running = new Set<number>()
let hooked = false

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

function hookExit(): void {
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const pid of running) killGroup(pid, 'SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of running) killGroup(pid, 'SIGKILL')
      running.clear()
      // Re-raise with the default handler so the process ends as it would have.
      process.kill(process.pid, signal)
    })
  }
}

// Reads stdin in a daemon thread and exits when the parent's end of the pipe closes.
const LAUNCHER = [
  'import os, sys, threading',
  'def _watch():',
  '    try:',
  '        sys.stdin.buffer.read()',
  '    finally:',
  '        os._exit(0)',
  'threading.Thread(target=_watch, daemon=True).start()',
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n')

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const python = options.python ?? process.env.SANDBOX_PYTHON ?? 'python3'
  const timeout = options.startTimeoutMs ?? 30_000
  let lastError: unknown
  // A port found free can be taken before moto binds it: retry with another one.
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort()
    try {
      return await launch(python, port, timeout, options.log)
    } catch (err) {
      lastError = err
    }
  }
  throw lastError
}

async function launch(
  python: string,
  port: number,
  timeout: number,
  log: ((line: string) => void) | undefined,
): Promise<MotoServer> {
  hookExit()
  const output: string[] = []
  const child: ChildProcess = spawn(python, ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', PYTHONUNBUFFERED: '1' },
  })
  const pid = child.pid
  if (pid === undefined) {
    throw new Error(`could not start moto with ${python}: ${await new Promise((r) => child.once('error', r))}`)
  }
  running.add(pid)
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue
      if (log) log(line)
      output.push(line)
      if (output.length > 200) output.shift()
    }
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  // Do not let the pipes keep this process alive.
  child.unref()
  ;(child.stdin as unknown as { unref?: () => void }).unref?.()
  ;(child.stdout as unknown as { unref?: () => void }).unref?.()
  ;(child.stderr as unknown as { unref?: () => void }).unref?.()

  let exited = false
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true
      running.delete(pid)
      resolve()
    }),
  )
  child.once('error', () => undefined)

  const endpoint = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (exited) return
    killGroup(pid, 'SIGTERM')
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 2000)
    await exit
    clearTimeout(timer)
  }

  try {
    await waitUntil(
      async () => {
        if (exited) throw new Error('moto exited during startup')
        const res = await fetch(`${endpoint}/moto-api/data.json`)
        await res.arrayBuffer()
        return res.ok
      },
      timeout,
      `moto on ${endpoint}`,
    )
  } catch (err) {
    await stop()
    const hint = output.some((l) => /No module named/.test(l))
      ? "\nmoto is not installed: pip install 'moto[server]'"
      : ''
    throw new Error(`${(err as Error).message}${hint}\n--- moto output ---\n${output.slice(-20).join('\n')}`)
  }

  return {
    port,
    endpoint,
    pid,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`)
    },
    stop,
  }
}
