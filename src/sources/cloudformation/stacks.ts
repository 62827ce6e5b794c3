/**
 * Stacks → planned snapshot: shared by the template source and the CDK cloud assembly source.
 */
import type { PlanFormat, SourceLocation } from '../../model/plan.js'
import type { AccountSnapshot } from '../../model/snapshot.js'
import { PlanBuilder } from '../planned/builder.js'
import { at, PlanInputError } from '../planned/errors.js'
import { formatPath, type Path } from '../planned/values.js'
import { PlannedAccount, type Stack, type StackSpec } from './intrinsics.js'
import { type Locate, READ_TYPES, readStack } from './resources.js'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const PSEUDO = /^AWS::(AccountId|NotificationARNs|NoValue|Partition|Region|StackId|StackName|URLSuffix)$/

/** The template's own location of a resource: the file and the line of its logical id. */
export const templateLocation: Locate = (stack, logicalId): SourceLocation => {
  const pos = stack.template.lineOf(['Resources', logicalId])
  const loc: SourceLocation = { file: stack.template.file, logicalId, stack: stack.name }
  if (pos) {
    loc.line = pos.line
    loc.column = pos.column
  }
  return loc
}

export function snapshotFromStacks(
  format: PlanFormat,
  inputs: string[],
  specs: StackSpec[],
  locate: Locate = templateLocation,
): AccountSnapshot {
  const account = new PlannedAccount(specs)
  const overrides = new Set(specs.flatMap((s) => Object.keys(s.parameters)))
  for (const key of overrides) {
    if (!account.stacks.some((s) => key in s.parameters())) {
      throw new PlanInputError(`--parameter ${key}: no template declares a parameter ${key}`)
    }
  }
  for (const stack of account.stacks) checkReferences(stack)

  const stacks: Array<{ name: string; region: string; account?: string; file: string }> = []
  const read: Array<{ stack: Stack; region: string }> = []
  for (const stack of account.stacks) {
    const relevant = Object.values(stack.resources).some((r) => READ_TYPES.has(r.Type as string))
    if (!stack.region) {
      if (relevant) {
        throw new PlanInputError(
          `${stack.template.file}: stack ${stack.name} declares user pools, alarms or trails but no region is given (pass --region, or give the policy one region)`,
        )
      }
      continue
    }
    const entry: { name: string; region: string; account?: string; file: string } = {
      name: stack.name,
      region: stack.region,
      file: stack.template.file,
    }
    if (stack.account) entry.account = stack.account
    stacks.push(entry)
    read.push({ stack, region: stack.region })
  }
  const builder = new PlanBuilder(format, inputs, stacks)
  for (const { stack, region } of read) readStack(stack, region, builder, locate)
  return builder.build()
}

/**
 * Every `Ref`, `Fn::GetAtt`, `${…}` in `Fn::Sub`, `DependsOn` and `Condition` names something the
 * template has: CloudFormation rejects the template otherwise, so the gate does too (bad input).
 */
export function checkReferences(stack: Stack): void {
  const body = stack.template.body
  const params = isObject(body.Parameters) ? body.Parameters : {}
  const conditions = isObject(body.Conditions) ? body.Conditions : {}
  const has = (name: string) => name in stack.resources || name in params || PSEUDO.test(name)
  const fail = (path: Path, msg: string): never => {
    const pos = stack.template.lineOf(path)
    throw new PlanInputError(`${at(stack.template.file, pos?.line)}: ${formatPath(path)}: ${msg}`)
  }
  // `path` is one array, pushed and popped as the walk goes (a copy per node was most of the walk's time
  // on a synthesized template); `fail` reads it before it changes.
  const walk = (v: unknown, path: Array<string | number>, vars: Set<string>): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i)
        walk(v[i], path, vars)
        path.pop()
      }
      return
    }
    if (!isObject(v)) return
    const keys = Object.keys(v)
    if (keys.length === 1) {
      const k = keys[0]!
      const arg = v[k]
      if (k === 'Ref' && typeof arg === 'string' && !has(arg)) {
        fail(path, `Ref ${arg}: no resource or parameter ${arg} in the template`)
      }
      if (k === 'Fn::GetAtt') {
        const target = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) ? arg[0] : undefined
        if (typeof target === 'string' && !(target in stack.resources)) {
          fail(path, `Fn::GetAtt ${target}: no resource ${target} in the template`)
        }
      }
      if (k === 'Condition' && typeof arg === 'string' && !(arg in conditions)) {
        fail(path, `Condition ${arg}: no condition ${arg} in Conditions`)
      }
      if (k === 'Fn::If' && Array.isArray(arg) && typeof arg[0] === 'string' && !(arg[0] in conditions)) {
        fail(path, `Fn::If ${arg[0]}: no condition ${arg[0]} in Conditions`)
      }
      if (k === 'Fn::Sub') {
        const text = typeof arg === 'string' ? arg : Array.isArray(arg) ? arg[0] : undefined
        const local = new Set(vars)
        if (Array.isArray(arg) && isObject(arg[1])) for (const n of Object.keys(arg[1])) local.add(n)
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
            const name = m[1]!.trim()
            const head = name.includes('.') && !PSEUDO.test(name) ? name.split('.')[0]! : name
            if (local.has(name)) continue
            if (name.includes('.') ? !(head in stack.resources) : !has(name)) {
              fail(path, `Fn::Sub \${${name}}: no resource, parameter or variable ${head} in the template`)
            }
          }
        }
        if (Array.isArray(arg)) {
          path.push(k, 1)
          walk(arg[1], path, vars)
          path.length -= 2
        }
        return
      }
    }
    for (const k of keys) {
      path.push(k)
      walk(v[k], path, vars)
      path.pop()
    }
  }
  for (const [id, r] of Object.entries(stack.resources)) {
    walk(r.Properties, ['Resources', id, 'Properties'], new Set())
    const deps = typeof r.DependsOn === 'string' ? [r.DependsOn] : Array.isArray(r.DependsOn) ? r.DependsOn : []
    for (const d of deps) {
      if (typeof d === 'string' && !(d in stack.resources)) {
        fail(['Resources', id, 'DependsOn'], `DependsOn ${d}: no resource ${d} in the template`)
      }
    }
    if (typeof r.Condition === 'string' && !(r.Condition in conditions)) {
      fail(['Resources', id, 'Condition'], `no condition ${r.Condition} in Conditions`)
    }
  }
  if (isObject(body.Outputs)) walk(body.Outputs, ['Outputs'], new Set())
  walk(conditions, ['Conditions'], new Set())
}
