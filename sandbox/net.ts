/** Small networking helpers shared by the sandbox parts. */

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
