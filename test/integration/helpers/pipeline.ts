/**
 * Runs the action's real pipeline (runAudit with createClients: the SDK's standard configuration
 * chain, adaptive retries, quotas) against a sandbox, and looks findings up by check and pool name.
 *
 *   const ctx = usePipelineSandbox('test/integration/scenarios/alarms.yml')
 *   const result = await audit(ctx, policyYaml)
 *   expect(finding(ctx, result, 'alarms-risk', 'al-covered').status).toBe('pass')
 */
import { afterAll, beforeAll } from 'vitest'
import type { Scenario } from '../../../sandbox/index.js'
import { type AuditResult, runAudit } from '../../../src/audit.js'
import type { Finding } from '../../../src/model/finding.js'
import { silentLogger } from '../../../src/model/logger.js'
import { parsePolicy } from '../../../src/policy/load.js'
import { type ClientOptions, createClients } from '../../../src/sources/aws/clients.js'
import { liveSource } from '../../../src/sources/aws/source.js'
import { type SandboxContext, useSandbox } from './sandbox.js'

/**
 * One sandbox for the file, seeded with `scenario`, and process.env pointed at it (dummy credentials,
 * loopback endpoint, no instance metadata) so the SDK's own configuration chain finds it, exactly as a
 * user's AWS_ENDPOINT_URL would. Vitest runs each file in its own process, so the env change stays here.
 */
export function usePipelineSandbox(scenario?: Scenario | string): SandboxContext {
  const ctx = useSandbox(scenario ? { scenario } : {})
  const saved: Record<string, string | undefined> = {}
  beforeAll(() => {
    for (const [k, v] of Object.entries(ctx.sandbox.env)) {
      saved[k] = process.env[k]
      process.env[k] = v
    }
    // Keep AWS_MAX_ATTEMPTS from the outer environment out of the clients' defaults.
    saved.AWS_MAX_ATTEMPTS = process.env.AWS_MAX_ATTEMPTS
    delete process.env.AWS_MAX_ATTEMPTS
  })
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
  return ctx
}

/** Parses the policy text (a YAML policy file's content) and runs the full pipeline over HTTP. */
export async function audit(policyYaml: string, clientOptions: ClientOptions = {}): Promise<AuditResult> {
  const policy = parsePolicy(policyYaml, 'policy.yml')
  return runAudit({ policy, source: liveSource({ clients: createClients(clientOptions) }), log: silentLogger })
}

/** Every finding of `checkId` for the pool seeded as `poolName` (region-prefixed names work too). */
export function findingsOf(ctx: SandboxContext, result: AuditResult, checkId: string, poolName: string): Finding[] {
  const id = ctx.seeded.pools[poolName]
  if (!id) throw new Error(`scenario has no pool "${poolName}"`)
  return result.findings.filter((f) => f.checkId === checkId && f.poolId === id)
}

/** The single finding of `checkId` for a pool (optionally the one about `resource`); throws if not exactly one. */
export function finding(
  ctx: SandboxContext,
  result: AuditResult,
  checkId: string,
  poolName: string,
  resource?: string,
): Finding {
  const all = findingsOf(ctx, result, checkId, poolName).filter(
    (f) => resource === undefined || f.resource === resource,
  )
  if (all.length !== 1) {
    throw new Error(
      `expected one ${checkId} finding for ${poolName}${resource ? ` (${resource})` : ''}, got ${all.length}`,
    )
  }
  return all[0]!
}

/** The single region-level finding of `checkId` in `region`. */
export function regionFindingOf(result: AuditResult, checkId: string, region: string): Finding {
  const all = result.findings.filter((f) => f.checkId === checkId && f.region === region && !f.poolId)
  if (all.length !== 1) throw new Error(`expected one ${checkId} finding for ${region}, got ${all.length}`)
  return all[0]!
}

/** (check, pool or region, resource, status) of every finding, sorted: what a verdict comparison needs. */
export function verdicts(result: AuditResult): string[] {
  return result.findings.map((f) => [f.checkId, f.poolId ?? f.region, f.resource ?? '', f.status].join(' | ')).sort()
}
