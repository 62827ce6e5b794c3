/**
 * One sandbox per test file: started in beforeAll, stopped in afterAll.
 *
 *   const ctx = useSandbox({ scenario: 'examples/scenarios/compliant.yml' })
 *   it('...', async () => { ctx.sandbox.env; ctx.seeded.pools['shop'] })
 *
 * Without `scenario`, seed inside the tests (`await ctx.sandbox.seed(...)`); call
 * `ctx.sandbox.reset()` between tests that need an empty account.
 */
import { afterAll, beforeAll } from 'vitest'
import {
  type Sandbox,
  type SandboxOptions,
  type Scenario,
  type SeedResult,
  startSandbox,
} from '../../../sandbox/index.js'

export interface SandboxContext {
  sandbox: Sandbox
  /** The result of seeding `scenario` (empty maps when none was given). */
  seeded: SeedResult
}

export function useSandbox(options: SandboxOptions & { scenario?: Scenario | string } = {}): SandboxContext {
  const ctx = {} as SandboxContext
  beforeAll(async () => {
    ctx.sandbox = await startSandbox(options)
    ctx.seeded = options.scenario
      ? await ctx.sandbox.seed(options.scenario)
      : { pools: {}, clients: {}, trails: {}, now: new Date().toISOString() }
  })
  afterAll(async () => {
    await ctx.sandbox?.stop()
  })
  return ctx
}

/** SDK client configuration for the sandbox (dummy credentials, loopback endpoint). */
export function sdkConfig(sandbox: Sandbox, region: string, maxAttempts = 3) {
  return {
    region,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts,
  }
}
