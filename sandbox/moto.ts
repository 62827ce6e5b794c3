/**
 * moto's server as a child process: bound to 127.0.0.1 on a port the OS picks, started in
 * its own process group and stopped with it. Three guards against orphans:
 *  - stop() kills the whole process group (SIGTERM, then SIGKILL);
 *  - an `exit` hook of this process kills every group still running;
 *  - moto's stdin is a pipe from this process and a watchdog thread inside the Python
 *    process exits as soon as it reads EOF, so moto dies even when this process is
 *    SIGKILLed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { waitUntil } from './net.js'

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

// Reads stdin in a daemon thread and exits when the parent's end of the pipe closes. Binds port 0 itself
// (the OS picks a free port atomically, so two sandboxes can never race for one) and prints the port.
const LAUNCHER = [
  'import os, sys, threading',
  'def _watch():',
  '    try:',
  '        sys.stdin.buffer.read()',
  '    finally:',
  '        os._exit(0)',
  'threading.Thread(target=_watch, daemon=True).start()',
  'from werkzeug.serving import make_server',
  'from moto.server import DomainDispatcherApplication, create_backend_app',
  'app = DomainDispatcherApplication(create_backend_app)',
  'app.debug = True',
  "server = make_server('127.0.0.1', 0, app, threaded=True)",
  "os.environ['MOTO_PORT'] = str(server.port)",
  "print('SANDBOX_MOTO_PORT=%d' % server.port, flush=True)",
  'server.serve_forever()',
].join('\n')

const PORT_LINE = /^SANDBOX_MOTO_PORT=(\d+)$/

/** The one line for a Python that cannot import moto's server. */
export function motoMissing(python: string, module: string): string {
  return (
    `moto's server is not installed for ${python} (no module ${module}): run pip install 'moto[server]', ` +
    `or python3 -m venv .venv && .venv/bin/pip install 'moto[server]' and set SANDBOX_PYTHON=.venv/bin/python`
  )
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const python = options.python ?? process.env.SANDBOX_PYTHON ?? 'python3'
  return launch(python, options.startTimeoutMs ?? 30_000, options.log)
}

async function launch(python: string, timeout: number, log: ((line: string) => void) | undefined): Promise<MotoServer> {
  hookExit()
  const output: string[] = []
  const child: ChildProcess = spawn(python, ['-c', LAUNCHER], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', PYTHONUNBUFFERED: '1' },
  })
  const pid = child.pid
  if (pid === undefined) {
    throw new Error(`could not start moto with ${python}: ${await new Promise((r) => child.once('error', r))}`)
  }
  running.add(pid)
  let port = 0
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue
      const bound = PORT_LINE.exec(line.trim())
      if (bound) port = Number(bound[1])
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

  let endpoint = ''
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
        if (!port) return false
        endpoint = `http://127.0.0.1:${port}`
        const res = await fetch(`${endpoint}/moto-api/data.json`)
        await res.arrayBuffer()
        return res.ok
      },
      timeout,
      'moto on 127.0.0.1',
    )
  } catch (err) {
    await stop()
    // A missing module is the common case (no moto, or a Python without it): one line that says how to
    // install it, without Python's traceback and shutdown noise.
    const missing = output.map((l) => /No module named '?([\w.]+)'?/.exec(l)?.[1]).find(Boolean)
    if (missing) throw new Error(motoMissing(python, missing))
    throw new Error(`${(err as Error).message}\n--- moto output ---\n${output.slice(-20).join('\n')}`)
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
