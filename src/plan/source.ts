/**
 * The pre-deploy gate's snapshot source: a CloudFormation template set, a CDK cloud assembly or a
 * Terraform plan read into a planned snapshot (before any AWS call, so bad input stops the run first),
 * optionally laid over the live account.
 */
import type { Logger } from '../model/logger.js'
import type { PlannedSourceInfo } from '../model/plan.js'
import type { AccountSnapshot } from '../model/snapshot.js'
import type { Policy } from '../policy/types.js'
import { loadCdkAssembly } from '../sources/cdk/index.js'
import { loadCloudFormation } from '../sources/cloudformation/index.js'
import type { LoadedSnapshot, SnapshotSource } from '../sources/source.js'
import { loadTerraformPlan } from '../sources/terraform/index.js'
import { overlayPlan } from './overlay.js'

export interface PlanInput {
  /** Template files, globs already expanded. */
  templates: string[]
  cdkOut?: string
  terraformPlan?: string
  parameters: Record<string, string>
  /** Lay the plan over the live account. */
  live: boolean
  /** Findings already in the account fail the gate too. */
  failOnExisting: boolean
}

/** Reads the plan; throws PlanInputError (bad input, exit 2) for anything unreadable. */
export async function readPlan(input: PlanInput, region: string | undefined): Promise<AccountSnapshot> {
  if (input.cdkOut)
    return loadCdkAssembly({ dir: input.cdkOut, parameters: input.parameters, ...(region ? { region } : {}) })
  if (input.terraformPlan) return loadTerraformPlan({ file: input.terraformPlan, ...(region ? { region } : {}) })
  return loadCloudFormation({ files: input.templates, parameters: input.parameters, ...(region ? { region } : {}) })
}

/** The regions a planned snapshot holds. */
export function plannedRegions(snapshot: AccountSnapshot): string[] {
  return [
    ...new Set(
      (snapshot.source as PlannedSourceInfo).stacks.map((s) => s.region).concat(snapshot.regions.map((r) => r.region)),
    ),
  ].sort()
}

export function plannedSource(planned: AccountSnapshot, live: SnapshotSource | undefined): SnapshotSource {
  const info = planned.source as PlannedSourceInfo
  return {
    description: `${info.format} plan ${info.inputs.join(', ')}${live ? ' over the live account' : ''}`,
    needsAws: live !== undefined,
    today: (now) => now.toISOString().slice(0, 10),
    async load(policy: Policy, log: Logger): Promise<LoadedSnapshot> {
      if (!live) return { snapshot: planned, calls: {} }
      const loaded = await live.load(policy, log)
      return { ...loaded, snapshot: overlayPlan(loaded.snapshot, planned) }
    },
  }
}
