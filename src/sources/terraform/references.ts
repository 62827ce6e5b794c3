/**
 * Resource instances of a Terraform plan, their identities, and the configuration's references.
 *
 * An identity is what another resource sees of an instance: the pool id, client id, alarm name, ARNs.
 * Known ones come from the plan (`after`, else `before`: an update keeps its live id); a resource being
 * created gets `planned:<address>`, so a reference to it (`aws_cognito_user_pool.main.id` in an alarm's
 * `dimensions`) names the planned pool exactly, although its value is "known after apply".
 *
 * References are read from `configuration` (expressions with `references`), in the scope of the module
 * that holds the expression: `var.x` follows the module call's argument into the parent, `module.m.out`
 * follows the child's output. Several instances of one resource (`count`, `for_each`) are told apart by
 * an index in the reference, else by the referring instance's own key (`count.index`, `each.key`).
 */
import { PLANNED_ACCOUNT } from '../planned/builder.js'
import type {
  BlockExpressions,
  ConfigResource,
  Expression,
  ModuleConfig,
  ResourceChange,
  TerraformPlan,
} from './plan.js'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export interface ModuleScope {
  /** Module call names from the root, e.g. `['auth']`. */
  path: string[]
  config: ModuleConfig
  /** The module directory relative to the root module's, when its source is local. */
  dir?: string
}

export interface Instance {
  rc: ResourceChange
  scope: ModuleScope
  /** Instance keys of the module path, e.g. `['"eu"']` for `module.auth["eu"]`. */
  moduleKeys: Array<string | undefined>
  config?: ConfigResource
  region?: string
}

export interface TfIdentity {
  id: string
  arn?: string
  name?: string
}

/** `module.a["x"].module.b[0]` → names and keys. */
export function splitModuleAddress(address: string | undefined): { names: string[]; keys: Array<string | undefined> } {
  const names: string[] = []
  const keys: Array<string | undefined> = []
  if (!address) return { names, keys }
  const re = /module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?/g
  for (const m of address.matchAll(re)) {
    names.push(m[1]!)
    keys.push(m[2] ? m[2].slice(1, -1) : undefined)
  }
  return { names, keys }
}

const known = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

export class PlanIndex {
  readonly instances: Instance[] = []
  private readonly byConfig = new Map<string, Instance[]>()
  private readonly scopes = new Map<string, ModuleScope>()
  private readonly identities = new Map<Instance, TfIdentity>()

  constructor(
    readonly plan: TerraformPlan,
    readonly defaultRegion: string | undefined,
    readonly account: string | undefined,
  ) {
    const root: ModuleScope = { path: [], config: plan.configuration?.root_module ?? {}, dir: '.' }
    this.addScope(root)
    for (const rc of plan.resource_changes ?? []) {
      if (rc.deposed) continue
      const { names, keys } = splitModuleAddress(rc.module_address)
      const scope = this.scopes.get(names.join('.')) ?? { path: names, config: {} }
      const config = (scope.config.resources ?? []).find(
        (r) => r.mode === rc.mode && r.type === rc.type && r.name === rc.name,
      )
      const inst: Instance = { rc, scope, moduleKeys: keys }
      if (config) inst.config = config
      const region = this.regionOf(inst)
      if (region) inst.region = region
      this.instances.push(inst)
      const key = configKey(names, rc.mode, rc.type, rc.name)
      const list = this.byConfig.get(key) ?? []
      list.push(inst)
      this.byConfig.set(key, list)
    }
  }

  private addScope(scope: ModuleScope): void {
    this.scopes.set(scope.path.join('.'), scope)
    for (const [name, call] of Object.entries(scope.config.module_calls ?? {})) {
      const source = call.source ?? call.resolved_source
      const child: ModuleScope = { path: [...scope.path, name], config: call.module ?? {} }
      if (scope.dir !== undefined && source && (source.startsWith('./') || source.startsWith('../'))) {
        child.dir = joinDir(scope.dir, source)
      }
      this.addScope(child)
    }
  }

  /** The region a resource is created in: its own `region` argument, its provider's, else the default. */
  private regionOf(inst: Instance): string | undefined {
    const after = isObject(inst.rc.change.after)
      ? inst.rc.change.after
      : isObject(inst.rc.change.before)
        ? inst.rc.change.before
        : {}
    if (known(after.region)) return after.region as string
    const providers = this.plan.configuration?.provider_config ?? {}
    const key = inst.config?.provider_config_key
    const candidates = [key, key?.includes(':') ? key.split(':').pop() : undefined, 'aws'].filter(
      (k): k is string => k !== undefined,
    )
    for (const k of candidates) {
      const p = providers[k]
      if (!p) continue
      const expr = p.expressions?.region as Expression | undefined
      if (known(expr?.constant_value)) return expr!.constant_value as string
      for (const ref of expr?.references ?? []) {
        const m = /^var\.([A-Za-z0-9_-]+)$/.exec(ref)
        const v = m ? this.plan.variables?.[m[1]!]?.value : undefined
        if (known(v)) return v as string
      }
      break
    }
    return this.defaultRegion
  }

  identity(inst: Instance): TfIdentity {
    const hit = this.identities.get(inst)
    if (hit) return hit
    const { rc } = inst
    const after = isObject(rc.change.after) ? rc.change.after : {}
    const before = isObject(rc.change.before) ? rc.change.before : {}
    const pick = (k: string) => known(after[k]) ?? (rc.change.actions.includes('create') ? undefined : known(before[k]))
    const region = inst.region ?? 'planned-region'
    const account = this.account ?? PLANNED_ACCOUNT
    const planned = `planned:${rc.address}`
    let id: TfIdentity
    switch (rc.type) {
      case 'aws_cognito_user_pool': {
        const poolId = pick('id') ?? planned
        id = { id: poolId, arn: pick('arn') ?? `arn:aws:cognito-idp:${region}:${account}:userpool/${poolId}` }
        const name = pick('name')
        if (name) id.name = name
        break
      }
      case 'aws_cloudwatch_metric_alarm':
      case 'aws_cloudwatch_composite_alarm': {
        const name = pick('alarm_name') ?? planned
        id = { id: name, name, arn: pick('arn') ?? `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` }
        break
      }
      case 'aws_cloudtrail': {
        const name = pick('name') ?? planned
        id = {
          id: pick('id') ?? name,
          name,
          arn: pick('arn') ?? `arn:aws:cloudtrail:${region}:${account}:trail/${name}`,
        }
        break
      }
      default: {
        id = { id: pick('id') ?? planned, arn: pick('arn') ?? `arn:aws:planned:${region}:${account}:${rc.address}` }
        const name = pick('name')
        if (name) id.name = name
      }
    }
    this.identities.set(inst, id)
    return id
  }

  /** The configuration expression at `path` of the instance's block (nested blocks by index, else their first). */
  expression(inst: Instance, path: ReadonlyArray<string | number>): Expression | undefined {
    let node: unknown = inst.config?.expressions
    for (const seg of path) {
      if (Array.isArray(node)) node = node[typeof seg === 'number' ? seg : 0] ?? node[0]
      if (typeof seg === 'number') continue
      if (!isObject(node)) return undefined
      node = (node as BlockExpressions)[seg]
    }
    if (Array.isArray(node)) node = node[0]
    return isObject(node) && (node.references !== undefined || node.constant_value !== undefined)
      ? (node as Expression)
      : undefined
  }

  /**
   * Is the argument at `path` written in the configuration? `unset` when its enclosing block is there
   * without it (an optional + computed argument left out: unknown in the plan, the provider's default
   * after apply); `unseen` when the enclosing block is not in the configuration (a `dynamic` block,
   * whose expressions the plan leaves out), so nothing can be said.
   */
  argumentState(inst: Instance, path: ReadonlyArray<string | number>): 'set' | 'unset' | 'unseen' {
    let node: unknown = inst.config?.expressions
    if (!isObject(node)) return 'unseen'
    for (const [i, seg] of path.entries()) {
      if (typeof seg === 'number') {
        if (!Array.isArray(node)) return 'unseen'
        node = node[seg]
        continue
      }
      if (Array.isArray(node)) node = node[0]
      if (!isObject(node)) return 'unseen'
      // An expression for the whole attribute (a map or list written as one value) covers its keys.
      if ('references' in node || 'constant_value' in node) return 'set'
      if (!(seg in node)) return i === path.length - 1 || typeof path[i + 1] === 'string' ? 'unset' : 'unseen'
      node = node[seg]
    }
    return 'set'
  }

  /**
   * What the references of `expr` (in `inst`'s module) name: resource instances, each with the attribute
   * read (`id`, `arn`, `name` …; undefined for the whole object).
   */
  targets(inst: Instance, expr: Expression | undefined): Array<{ target: Instance; attr?: string }> {
    const out: Array<{ target: Instance; attr?: string }> = []
    const seen = new Set<string>()
    const visit = (scopePath: string[], refs: string[], depth: number) => {
      if (depth > 20) return
      // The longest form of each reference carries the attribute; the shorter ones are implied by it.
      const sorted = [...refs].sort((a, b) => b.length - a.length)
      const covered: string[] = []
      for (const ref of sorted) {
        if (covered.some((c) => c.startsWith(`${ref}.`) || c.startsWith(`${ref}[`))) continue
        covered.push(ref)
        const v = /^var\.([A-Za-z0-9_-]+)/.exec(ref)
        if (v) {
          if (scopePath.length === 0) continue
          const parent = this.scopes.get(scopePath.slice(0, -1).join('.'))
          const call = parent?.config.module_calls?.[scopePath[scopePath.length - 1]!]
          const arg = call?.expressions?.[v[1]!] as Expression | undefined
          if (arg?.references) visit(scopePath.slice(0, -1), arg.references, depth + 1)
          continue
        }
        const mo = /^module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_-]+)/.exec(ref)
        if (mo) {
          const child = this.scopes.get([...scopePath, mo[1]!].join('.'))
          const output = child?.config.outputs?.[mo[2]!]?.expression
          if (output?.references) visit([...scopePath, mo[1]!], output.references, depth + 1)
          continue
        }
        const r = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\[("[^"]*"|\d+)\])?(?:\.([A-Za-z0-9_]+))?/.exec(ref)
        if (!r || ['local', 'each', 'count', 'path', 'self', 'terraform'].includes(r[2]!)) continue
        const mode = r[1] ? 'data' : 'managed'
        const candidates = this.byConfig.get(configKey(scopePath, mode, r[2]!, r[3]!)) ?? []
        const target = this.pick(inst, candidates, r[4], refs)
        if (!target) continue
        const key = `${target.rc.address} ${r[5] ?? ''}`
        if (seen.has(key)) continue
        seen.add(key)
        const t: { target: Instance; attr?: string } = { target }
        if (r[5]) t.attr = r[5]
        out.push(t)
      }
    }
    if (expr?.references) visit(inst.scope.path, expr.references, 0)
    return out
  }

  private pick(
    from: Instance,
    candidates: Instance[],
    index: string | undefined,
    refs: string[],
  ): Instance | undefined {
    if (candidates.length === 0) return undefined
    const keyOf = (i: Instance) =>
      i.rc.index === undefined
        ? undefined
        : typeof i.rc.index === 'number'
          ? String(i.rc.index)
          : JSON.stringify(i.rc.index)
    if (index !== undefined) return candidates.find((c) => keyOf(c) === index)
    if (candidates.length === 1) return candidates[0]
    const perInstance = refs.some((r) => r.startsWith('each.') || r.startsWith('count.'))
    if (perInstance && from.rc.index !== undefined) {
      const same = candidates.find((c) => keyOf(c) === keyOf(from))
      if (same) return same
    }
    // Same module instance (a module with count/for_each holding one resource each).
    const sameModule = candidates.filter((c) => c.moduleKeys.join('|') === from.moduleKeys.join('|'))
    return sameModule.length === 1 ? sameModule[0] : undefined
  }
}

function configKey(modulePath: string[], mode: string, type: string, name: string): string {
  return `${modulePath.join('.')}|${mode}|${type}|${name}`
}

function joinDir(base: string, rel: string): string {
  const parts = base === '.' ? [] : base.split('/')
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') parts.pop()
    else parts.push(seg)
  }
  return parts.length === 0 ? '.' : parts.join('/')
}
