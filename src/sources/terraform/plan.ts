/**
 * The parts of `terraform show -json <planfile>` this gate reads, typed from Terraform's documented JSON
 * output format (format_version 1.x; minor versions only add fields, another major is refused).
 */
import { PlanInputError } from '../planned/errors.js'

export interface Expression {
  /** Set when the expression refers to nothing. */
  constant_value?: unknown
  /** Otherwise every reference, multi-step ones unwrapped (`aws_x.a.id`, `aws_x.a`). */
  references?: string[]
}

/** Attribute → expression; nested block → one block-expressions object or a list of them. */
export type BlockExpressions = Record<string, unknown>

export interface ConfigResource {
  address: string
  mode: 'managed' | 'data'
  type: string
  name: string
  provider_config_key?: string
  expressions?: BlockExpressions
  count_expression?: Expression
  for_each_expression?: Expression
}

export interface ModuleCall {
  source?: string
  resolved_source?: string
  expressions?: BlockExpressions
  count_expression?: Expression
  for_each_expression?: Expression
  module?: ModuleConfig
}

export interface ModuleConfig {
  resources?: ConfigResource[]
  module_calls?: Record<string, ModuleCall>
  outputs?: Record<string, { expression?: Expression }>
}

export interface ProviderConfig {
  name: string
  alias?: string
  module_address?: string
  expressions?: BlockExpressions
}

export interface Change {
  actions: string[]
  before?: unknown
  after?: unknown
  after_unknown?: unknown
}

export interface ResourceChange {
  address: string
  module_address?: string
  mode: 'managed' | 'data'
  type: string
  name: string
  index?: number | string
  provider_name?: string
  deposed?: string
  change: Change
}

export interface TerraformPlan {
  format_version: string
  terraform_version?: string
  variables?: Record<string, { value?: unknown }>
  resource_changes?: ResourceChange[]
  configuration?: {
    provider_config?: Record<string, ProviderConfig>
    root_module?: ModuleConfig
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function parsePlan(file: string, text: string): TerraformPlan {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new PlanInputError(
      `${file}: not valid JSON (${(err as Error).message.split('\n')[0]}); pass the output of "terraform show -json PLANFILE"`,
    )
  }
  if (!isObject(data) || typeof data.format_version !== 'string') {
    throw new PlanInputError(`${file}: no format_version (not the output of "terraform show -json PLANFILE")`)
  }
  const major = data.format_version.split('.')[0]
  if (major !== '1') {
    throw new PlanInputError(
      `${file}: Terraform JSON format_version ${data.format_version} is not supported (this gate reads format 1.x)`,
    )
  }
  if (data.resource_changes !== undefined && !Array.isArray(data.resource_changes)) {
    throw new PlanInputError(`${file}: resource_changes is not a list`)
  }
  if (data.resource_changes === undefined && data.planned_values === undefined) {
    throw new PlanInputError(
      `${file}: no resource_changes (a state file, not a plan? pass "terraform show -json PLANFILE" of a saved plan)`,
    )
  }
  for (const [i, rc] of ((data.resource_changes as unknown[]) ?? []).entries()) {
    if (
      !isObject(rc) ||
      typeof rc.address !== 'string' ||
      typeof rc.type !== 'string' ||
      !isObject(rc.change) ||
      !Array.isArray(rc.change.actions)
    ) {
      throw new PlanInputError(`${file}: resource_changes[${i}] has no address, type or change.actions`)
    }
  }
  return data as unknown as TerraformPlan
}
