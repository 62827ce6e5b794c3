/** Small networking helpers shared by the sandbox parts. */
import { createServer } from 'node:net'

/** A port on 127.0.0.1 that the OS reports free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))))
    })
  })
}

/** Polls `probe` until it returns true (errors count as "not yet"); throws after `timeoutMs`. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      if (await probe()) return
    } catch (err) {
      last = err
      if ((err as Error).message?.includes('exited')) throw err
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} did not become ready within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ''}`,
      )
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
