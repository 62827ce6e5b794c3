/**
 * The sandbox in one call: moto + our proxy on free loopback ports, an environment that
 * points the AWS SDKs and CLIs at it, seeding from scenario files, fault/quota controls,
 * the call log, and stop().
 *
 *   const sandbox = await startSandbox()
 *   const { pools } = await sandbox.seed('examples/demo-account.yml')
 *   sandbox.faults.set([{ kind: 'throttle', probability: 0.5 }])
 *   ... run something with sandbox.env ...
 *   console.log(sandbox.callCounts())
 *   await sandbox.stop()
 */
import { type MotoOptions, startMoto } from './moto.js'
import { type CallRecord, type Fault, SandboxProxy } from './proxy.js'
import { loadScenario, parseScenario, type Scenario, type SeedResult, seedScenario } from './scenario.js'
import type { StateSeed } from './state.js'

// The SDK's notice that its releases after January 2027 need Node 22 says nothing about the sandbox;
// keep it out of the demo's, the benchmark's and the tests' output (users of the CLI still see it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

export type { CallRecord, Fault } from './proxy.js'
export type { Scenario, SeedResult } from './scenario.js'
export type { StateSeed } from './state.js'

export interface SandboxOptions extends MotoOptions {
  /** Region put in `env.AWS_REGION` (default us-east-1). */
  region?: string
  /** Enforce AWS's default rate quotas from the start (default false). */
  quotas?: boolean
}

export interface Sandbox {
  /** The proxy, `http://127.0.0.1:<port>`: point every AWS client here. */
  readonly endpoint: string
  /** moto itself (bypasses faults, emulation and the call log). */
  readonly motoEndpoint: string
  /** Environment for child processes and SDK clients (merge over process.env). */
  readonly env: Record<string, string>
  /** Seeds a scenario (object, YAML text, or a path to a .yml file). */
  /** Seeds moto's default account, or `accountId` (a 12-digit id: clients use it as their access key id). */
  seed(scenario: Scenario | string, opts?: { accountId?: string }): Promise<SeedResult>
  readonly faults: {
    set(faults: Fault[]): void
    add(fault: Fault): void
    clear(): void
  }
  /** Enforce AWS's default quotas (true), custom rates, or none (false). */
  quotas(enabled: boolean | Record<string, { category: string; rate: number }>): void
  /** Adds to the proxy's own state (risk configurations, events, composite alarms, tiers). */
  seedState(seed: StateSeed): void
  calls(): CallRecord[]
  /** Calls by `service:Operation`. */
  callCounts(): Record<string, number>
  clearCalls(): void
  /** Empties moto and the proxy (state, faults, quotas, call log). */
  reset(): Promise<void>
  readonly proxy: SandboxProxy
  stop(): Promise<void>
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const moto = await startMoto(options)
  let proxy: SandboxProxy
  try {
    proxy = await new SandboxProxy({ motoEndpoint: moto.endpoint }).start()
  } catch (err) {
    await moto.stop()
    throw err
  }
  if (options.quotas) proxy.setQuotas(true)
  const region = options.region ?? 'us-east-1'
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    // Keep the AWS CLIs away from any real profile or config on this machine.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    // The SDK's notice that releases after January 2027 need Node 22 says nothing about the
    // sandbox; keep it out of demo and test output (users of the CLI still see it).
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  }
  let stopped = false
  return {
    endpoint: proxy.endpoint,
    motoEndpoint: moto.endpoint,
    env,
    async seed(scenario, opts = {}) {
      const parsed =
        typeof scenario !== 'string'
          ? scenario
          : /\n/.test(scenario) || !/\.ya?ml$/i.test(scenario)
            ? parseScenario(scenario)
            : await loadScenario(scenario)
      return seedScenario(
        {
          endpoint: proxy.endpoint,
          motoEndpoint: moto.endpoint,
          seedState: (s) => proxy.seedState(s, opts.accountId),
          ...(opts.accountId ? { accountId: opts.accountId } : {}),
        },
        parsed,
      )
    },
    faults: {
      set: (f) => proxy.setFaults(f),
      add: (f) => proxy.addFault(f),
      clear: () => proxy.clearFaults(),
    },
    quotas: (q) => proxy.setQuotas(q),
    seedState: (s) => proxy.seedState(s),
    calls: () => proxy.calls(),
    callCounts: () => proxy.callCounts(),
    clearCalls: () => proxy.clearCalls(),
    async reset() {
      proxy.reset()
      await moto.reset()
    },
    proxy,
    async stop() {
      if (stopped) return
      stopped = true
      await proxy.stop().catch(() => undefined)
      await moto.stop()
    },
  }
}
