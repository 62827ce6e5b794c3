/**
 * One resolver for CloudFormation intrinsics, over one or more stacks that form a planned account.
 *
 * `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::If`, `Fn::Select`, `Fn::Split`, `Fn::ImportValue`,
 * `Fn::FindInMap`, `Fn::Base64`, `Fn::GetAZs`, `Fn::Length`, `Fn::ToJsonString`, conditions
 * (`Fn::Equals/And/Or/Not`, `Condition`), parameters (override, else `Default`) and pseudo parameters.
 *
 * References become identities: `Ref` of a user pool is its planned pool id, `Fn::GetAtt Alarm.Arn` the
 * alarm's planned ARN, so a dimension or an alarm rule names the planned object exactly as a live one
 * names a live object. A value that cannot be known before deploy (a parameter without default, an
 * export no stack in the plan has, an SSM parameter type, a condition on either) becomes `Unknown` with
 * the property path where it is used; it propagates through every function that consumes it.
 * A reference to a resource, parameter, condition or mapping key the template does not have is bad input.
 */
import { PLANNED_ACCOUNT } from '../planned/builder.js'
import { at, PlanInputError } from '../planned/errors.js'
import { findUnknown, formatPath, NO_VALUE, type Path, Unknown } from '../planned/values.js'
import type { Template } from './template.js'

export interface StackSpec {
  name: string
  template: Template
  /** Undefined = no region given (`unknown-region` in a CDK environment). */
  region?: string
  account?: string
  /** `--parameter Key=Value` overrides. */
  parameters: Record<string, string>
}

export interface Identity {
  /** What `Ref` returns. */
  ref: string
  arn?: string
  /** Other attributes `Fn::GetAtt` returns. */
  attrs?: Record<string, string>
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The stacks of one plan: exports are looked up across all of them. */
export class PlannedAccount {
  readonly stacks: Stack[]
  private exportMap?: Map<string, { stack: Stack; outputId: string }>
  private exportsBuilding = false

  constructor(specs: StackSpec[]) {
    this.stacks = specs.map((s) => new Stack(s, this))
  }

  export(name: string): { stack: Stack; outputId: string } | undefined {
    if (!this.exportMap) {
      if (this.exportsBuilding) return undefined
      this.exportsBuilding = true
      const map = new Map<string, { stack: Stack; outputId: string }>()
      for (const stack of this.stacks) {
        const outputs = stack.template.body.Outputs
        if (!isObject(outputs)) continue
        for (const [outputId, out] of Object.entries(outputs)) {
          if (!isObject(out) || !isObject(out.Export)) continue
          const exportName = stack.resolve(out.Export.Name, ['Outputs', outputId, 'Export', 'Name'])
          if (typeof exportName === 'string') map.set(exportName, { stack, outputId })
        }
      }
      this.exportMap = map
      this.exportsBuilding = false
    }
    return this.exportMap.get(name)
  }
}

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
])

export class Stack {
  readonly name: string
  readonly template: Template
  readonly region?: string
  readonly account?: string
  readonly resources: Record<string, Record<string, unknown>>
  private readonly parameterOverrides: Record<string, string>
  private readonly conditionCache = new Map<string, boolean | Unknown>()
  private readonly identityCache = new Map<string, Identity | Unknown>()
  private readonly resolving = new Set<string>()

  constructor(
    spec: StackSpec,
    readonly account_: PlannedAccount,
  ) {
    this.name = spec.name
    this.template = spec.template
    if (spec.region !== undefined) this.region = spec.region
    if (spec.account !== undefined) this.account = spec.account
    this.parameterOverrides = spec.parameters
    const res = spec.template.body.Resources as Record<string, unknown>
    this.resources = {}
    for (const [id, r] of Object.entries(res)) {
      if (!isObject(r) || typeof r.Type !== 'string') {
        const pos = spec.template.lineOf(['Resources', id])
        throw new PlanInputError(`${at(spec.template.file, pos?.line)}: resource ${id} has no Type`)
      }
      this.resources[id] = r
    }
  }

  get accountOrPlaceholder(): string {
    return this.account ?? PLANNED_ACCOUNT
  }

  /** Bad input at a template path: `file:line: path: message`. */
  fail(path: Path, message: string): never {
    const pos = this.template.lineOf(path)
    throw new PlanInputError(`${at(this.template.file, pos?.line)}: ${formatPath(path)}: ${message}`)
  }

  parameters(): Record<string, unknown> {
    const p = this.template.body.Parameters
    return isObject(p) ? p : {}
  }

  /** Parameter value: the override, else `Default`, else Unknown. */
  parameter(name: string, path: Path): unknown {
    const decl = this.parameters()[name]
    if (!isObject(decl)) return this.fail(path, `Ref ${name}: no parameter or resource of that name in the template`)
    const type = typeof decl.Type === 'string' ? decl.Type : 'String'
    let raw: unknown = this.parameterOverrides[name]
    if (raw === undefined) raw = decl.Default
    if (raw === undefined) {
      return new Unknown(formatPath(path), `parameter ${name} has no Default; pass --parameter ${name}=VALUE`)
    }
    if (type.startsWith('AWS::SSM::Parameter::Value')) {
      return new Unknown(formatPath(path), `parameter ${name} is read from SSM at deploy`)
    }
    if (type === 'CommaDelimitedList' || type.startsWith('List<')) {
      return Array.isArray(raw)
        ? raw.map(String)
        : String(raw)
            .split(',')
            .map((s) => s.trim())
    }
    if (type === 'Number' && typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return raw
    return typeof raw === 'string' ? raw : String(raw)
  }

  pseudo(name: string, path: Path): unknown {
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE
      case 'AWS::Region':
        return this.region ?? new Unknown(formatPath(path), 'no region given for the stack')
      case 'AWS::AccountId':
        return this.accountOrPlaceholder
      case 'AWS::Partition':
        return 'aws'
      case 'AWS::URLSuffix':
        return 'amazonaws.com'
      case 'AWS::StackName':
        return this.name
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region ?? 'planned-region'}:${this.accountOrPlaceholder}:stack/${this.name}/planned`
      case 'AWS::NotificationARNs':
        return []
    }
    return this.fail(path, `unknown pseudo parameter ${name}`)
  }

  /** Does the resource exist in this plan: its `Condition`, evaluated. */
  resourceExists(id: string): boolean | Unknown {
    const cond = this.resources[id]?.Condition
    if (cond === undefined) return true
    if (typeof cond !== 'string') return this.fail(['Resources', id, 'Condition'], 'expected a condition name')
    return this.condition(cond, ['Resources', id, 'Condition'])
  }

  condition(name: string, path: Path): boolean | Unknown {
    const cached = this.conditionCache.get(name)
    if (cached !== undefined) return cached
    const conditions = this.template.body.Conditions
    if (!isObject(conditions) || !(name in conditions)) return this.fail(path, `condition ${name} is not in Conditions`)
    const key = `condition:${name}`
    if (this.resolving.has(key)) return this.fail(path, `condition ${name} refers to itself`)
    this.resolving.add(key)
    try {
      const v = this.evalCondition(conditions[name], ['Conditions', name])
      this.conditionCache.set(name, v)
      return v
    } finally {
      this.resolving.delete(key)
    }
  }

  private evalCondition(expr: unknown, path: Path): boolean | Unknown {
    const v = this.resolve(expr, path)
    if (v instanceof Unknown || typeof v === 'boolean') return v
    if (v === 'true' || v === 'false') return v === 'true'
    return this.fail(path, 'expected a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition)')
  }

  /** Resolves every intrinsic in `value`; `NO_VALUE` entries are removed from objects and lists. */
  resolve(value: unknown, path: Path): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = []
      value.forEach((v, i) => {
        const r = this.resolve(v, [...path, i])
        if (r !== NO_VALUE) out.push(r)
      })
      return out
    }
    if (!isObject(value)) return value
    const keys = Object.keys(value)
    if (keys.length === 1) {
      const k = keys[0]!
      if (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')) return this.intrinsic(k, value[k], path)
    }
    const out: Record<string, unknown> = {}
    for (const k of keys) {
      const r = this.resolve(value[k], [...path, k])
      if (r !== NO_VALUE) out[k] = r
    }
    return out
  }

  private intrinsic(fn: string, arg: unknown, path: Path): unknown {
    const here = [...path, fn]
    const u = (reason: string) => new Unknown(formatPath(path), reason)
    switch (fn) {
      case 'Ref': {
        const name = this.resolve(arg, here)
        if (name instanceof Unknown) return name
        if (typeof name !== 'string') return this.fail(path, 'Ref needs a name')
        return this.ref(name, path)
      }
      case 'Condition': {
        if (typeof arg !== 'string') return this.fail(path, 'Condition needs a condition name')
        return this.condition(arg, path)
      }
      case 'Fn::GetAtt': {
        let target: unknown
        let attr: unknown
        if (typeof arg === 'string') {
          const dot = arg.indexOf('.')
          target = arg.slice(0, dot)
          attr = arg.slice(dot + 1)
        } else if (Array.isArray(arg) && arg.length === 2) {
          target = arg[0]
          attr = this.resolve(arg[1], [...here, 1])
        } else return this.fail(path, 'Fn::GetAtt needs [LogicalId, Attribute]')
        if (attr instanceof Unknown) return attr
        if (typeof target !== 'string' || typeof attr !== 'string')
          return this.fail(path, 'Fn::GetAtt needs [LogicalId, Attribute]')
        return this.getAtt(target, attr, path)
      }
      case 'Fn::Sub':
        return this.sub(arg, path)
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.fail(path, 'Fn::Join needs [delimiter, [values]]')
        const delim = this.resolve(arg[0], [...here, 0])
        const list = this.resolve(arg[1], [...here, 1])
        if (delim instanceof Unknown) return delim
        if (list instanceof Unknown) return list
        if (typeof delim !== 'string' || !Array.isArray(list))
          return this.fail(path, 'Fn::Join needs [delimiter, [values]]')
        const bad = list.find((x) => x instanceof Unknown)
        if (bad) return bad
        return list.map((x) => scalarText(x)).join(delim)
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.fail(path, 'Fn::Select needs [index, [values]]')
        const index = this.resolve(arg[0], [...here, 0])
        const list = this.resolve(arg[1], [...here, 1])
        if (index instanceof Unknown) return index
        if (list instanceof Unknown) return list
        const i = Number(index)
        if (!Array.isArray(list) || !Number.isInteger(i)) return this.fail(path, 'Fn::Select needs [index, [values]]')
        if (i < 0 || i >= list.length)
          return this.fail(path, `Fn::Select index ${i} is outside the list of ${list.length}`)
        return list[i]
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.fail(path, 'Fn::Split needs [delimiter, string]')
        const delim = this.resolve(arg[0], [...here, 0])
        const str = this.resolve(arg[1], [...here, 1])
        if (delim instanceof Unknown) return delim
        if (str instanceof Unknown) return str
        if (typeof delim !== 'string' || typeof str !== 'string')
          return this.fail(path, 'Fn::Split needs [delimiter, string]')
        return str.split(delim)
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string')
          return this.fail(path, 'Fn::If needs [condition, value if true, value if false]')
        const c = this.condition(arg[0], here)
        if (c instanceof Unknown) return u(`condition ${arg[0]} cannot be decided: ${c.reason}`)
        return c ? this.resolve(arg[1], [...here, 1]) : this.resolve(arg[2], [...here, 2])
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.fail(path, 'Fn::Equals needs two values')
        const a = this.resolve(arg[0], [...here, 0])
        const b = this.resolve(arg[1], [...here, 1])
        const unknown = findUnknown(a) ?? findUnknown(b)
        if (unknown) return unknown
        return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg) || arg.length < 1) return this.fail(path, `${fn} needs a list of conditions`)
        const values = arg.map((c, i) => this.evalCondition(c, [...here, i]))
        const known = values.filter((v): v is boolean => typeof v === 'boolean')
        if (fn === 'Fn::And' && known.includes(false)) return false
        if (fn === 'Fn::Or' && known.includes(true)) return true
        const unknown = values.find((v) => v instanceof Unknown)
        if (unknown) return unknown
        return fn === 'Fn::And'
      }
      case 'Fn::Not': {
        if (!Array.isArray(arg) || arg.length !== 1) return this.fail(path, 'Fn::Not needs [condition]')
        const v = this.evalCondition(arg[0], [...here, 0])
        return v instanceof Unknown ? v : !v
      }
      case 'Fn::ImportValue': {
        const name = this.resolve(arg, here)
        if (name instanceof Unknown) return name
        if (typeof name !== 'string') return this.fail(path, 'Fn::ImportValue needs an export name')
        const exp = this.account_.export(name)
        if (!exp) return u(`export ${name} is not in this plan`)
        const { stack, outputId } = exp
        const out = (stack.template.body.Outputs as Record<string, Record<string, unknown>>)[outputId]!
        return stack.resolve(out.Value, ['Outputs', outputId, 'Value'])
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return this.fail(path, 'Fn::FindInMap needs [map, key, key]')
        const parts = arg.slice(0, 3).map((x, i) => this.resolve(x, [...here, i]))
        const unknown = parts.find((x) => x instanceof Unknown)
        if (unknown) return unknown
        const [map, top, second] = parts.map((x) => scalarText(x))
        const mappings = this.template.body.Mappings
        const m = isObject(mappings) ? mappings[map!] : undefined
        if (!isObject(m)) return this.fail(path, `Fn::FindInMap: no mapping ${map} in Mappings`)
        const level = m[top!]
        const v = isObject(level) ? level[second!] : undefined
        if (v === undefined) {
          const fallback = isObject(arg[3]) ? arg[3].DefaultValue : undefined
          if (fallback !== undefined) return this.resolve(fallback, [...here, 3, 'DefaultValue'])
          return this.fail(path, `Fn::FindInMap: mapping ${map} has no ${top}.${second}`)
        }
        return v
      }
      case 'Fn::Base64': {
        const v = this.resolve(arg, here)
        return typeof v === 'string' ? Buffer.from(v).toString('base64') : v
      }
      case 'Fn::GetAZs': {
        const region = this.region
        if (!region) return u('no region given for the stack')
        return ['a', 'b', 'c'].map((z) => `${region}${z}`)
      }
      case 'Fn::Length': {
        const v = this.resolve(arg, here)
        if (v instanceof Unknown) return v
        return Array.isArray(v) ? v.length : this.fail(path, 'Fn::Length needs a list')
      }
      case 'Fn::ToJsonString': {
        const v = this.resolve(arg, here)
        const unknown = findUnknown(v)
        return unknown ?? JSON.stringify(v)
      }
      case 'Fn::Cidr':
      case 'Fn::Transform':
        return u(`${fn} is not evaluated before deploy`)
    }
    return u(`${fn} is not evaluated before deploy`)
  }

  private ref(name: string, path: Path): unknown {
    if (PSEUDO.has(name)) return this.pseudo(name, path)
    if (name in this.resources) {
      const id = this.identity(name)
      return id instanceof Unknown ? new Unknown(formatPath(path), id.reason) : id.ref
    }
    return this.parameter(name, path)
  }

  private getAtt(target: string, attr: string, path: Path): unknown {
    if (!(target in this.resources))
      return this.fail(path, `Fn::GetAtt ${target}.${attr}: no resource ${target} in the template`)
    const id = this.identity(target)
    if (id instanceof Unknown) return new Unknown(formatPath(path), id.reason)
    if (attr === 'Arn' && id.arn) return id.arn
    const v = id.attrs?.[attr]
    if (v !== undefined) return v
    return `planned:${this.name}/${target}.${attr}`
  }

  private sub(arg: unknown, path: Path): unknown {
    let text: unknown
    let vars: Record<string, unknown> = {}
    if (typeof arg === 'string') text = arg
    else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && isObject(arg[1])) {
      text = arg[0]
      vars = arg[1]
    } else return this.fail(path, 'Fn::Sub needs a string or [string, {variables}]')
    const s = text as string
    let out = ''
    let unknown: Unknown | undefined
    const re = /\$\{([^}]*)\}/g
    let last = 0
    for (let m = re.exec(s); m; m = re.exec(s)) {
      out += s.slice(last, m.index)
      last = m.index + m[0].length
      const name = m[1]!.trim()
      if (name.startsWith('!')) {
        out += `\${${name.slice(1)}}`
        continue
      }
      let v: unknown
      if (name in vars) v = this.resolve(vars[name], [...path, 'Fn::Sub', 1, name])
      else if (name.includes('.') && !PSEUDO.has(name)) {
        const dot = name.indexOf('.')
        v = this.getAtt(name.slice(0, dot), name.slice(dot + 1), path)
      } else if (PSEUDO.has(name) || name in this.resources || name in this.parameters()) v = this.ref(name, path)
      else return this.fail(path, `Fn::Sub: \${${name}} names no parameter, resource or variable`)
      if (v instanceof Unknown) unknown ??= v
      else out += scalarText(v)
    }
    if (unknown) return new Unknown(formatPath(path), unknown.reason)
    return out + s.slice(last)
  }

  /** The identity a resource gets in the plan: what `Ref` and `Fn::GetAtt` return. */
  identity(id: string): Identity | Unknown {
    const cached = this.identityCache.get(id)
    if (cached) return cached
    const key = `identity:${id}`
    if (this.resolving.has(key)) return new Unknown(`Resources.${id}`, `${id} refers to itself`)
    this.resolving.add(key)
    try {
      const v = this.computeIdentity(id)
      this.identityCache.set(id, v)
      return v
    } finally {
      this.resolving.delete(key)
    }
  }

  /** A planned id: unique across the stacks of the plan. */
  plannedId(id: string): string {
    return `planned:${this.name}/${id}`
  }

  /** The name CloudFormation generates when a name property is left out. */
  generatedName(id: string): string {
    return `${this.name}-${id}`
  }

  private computeIdentity(id: string): Identity | Unknown {
    const r = this.resources[id]!
    const type = r.Type as string
    const props = isObject(r.Properties) ? r.Properties : {}
    const region = this.region ?? 'planned-region'
    const account = this.accountOrPlaceholder
    const nameProp = (prop: string): string | Unknown => {
      if (props[prop] === undefined) return this.generatedName(id)
      const v = this.resolve(props[prop], ['Resources', id, 'Properties', prop])
      if (v instanceof Unknown) return v
      return typeof v === 'string' ? v : this.generatedName(id)
    }
    switch (type) {
      case 'AWS::Cognito::UserPool': {
        const poolId = this.plannedId(id)
        return {
          ref: poolId,
          arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${poolId}`,
          attrs: {
            UserPoolId: poolId,
            ProviderName: `cognito-idp.${region}.amazonaws.com/${poolId}`,
            ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${poolId}`,
          },
        }
      }
      case 'AWS::Cognito::UserPoolClient': {
        const clientId = this.plannedId(id)
        return { ref: clientId, attrs: { ClientId: clientId } }
      }
      case 'AWS::CloudWatch::Alarm':
      case 'AWS::CloudWatch::CompositeAlarm': {
        const name = nameProp('AlarmName')
        if (name instanceof Unknown) return name
        return { ref: name, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` }
      }
      case 'AWS::CloudTrail::Trail': {
        const name = nameProp('TrailName')
        if (name instanceof Unknown) return name
        return { ref: name, arn: `arn:aws:cloudtrail:${region}:${account}:trail/${name}` }
      }
      case 'AWS::SNS::Topic':
        return {
          ref: `arn:aws:sns:${region}:${account}:${this.generatedName(id)}`,
          arn: `arn:aws:sns:${region}:${account}:${this.generatedName(id)}`,
        }
    }
    return { ref: this.plannedId(id), arn: `arn:aws:planned:${region}:${account}:${this.name}/${id}` }
  }
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

function canonical(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return v.map(canonical)
  return v
}
