/**
 * Remediation in the user's own language: values rendered as a CloudFormation YAML or JSON fragment, a
 * CDK (TypeScript) object literal, or Terraform (HCL) arguments and blocks. Every string goes through the
 * quoting helpers of `quote.ts`, so a name from the plan reads back as itself and nothing else; keys are
 * the snippet author's own (property names), never data.
 *
 * A `Ref` is a value of its own (`ref(...)`) so each language writes it its way: `!Ref Pool` in YAML,
 * `{"Ref": "Pool"}` in JSON, `pool.userPoolId` in CDK, `aws_cognito_user_pool.main.id` in Terraform.
 */
import type { PlanFormat, SourceLocation } from './plan.js'
import { cfnLogicalId, hclQuote, tfName, tsQuote, visible, yamlQuote } from './quote.js'

/** The language a snippet is written in: a CloudFormation template's (YAML or JSON), CDK's, Terraform's. */
export type SnippetLanguage = 'yaml' | 'json' | 'typescript' | 'hcl'

/** CDK apps are edited in their source (TypeScript here), templates in their own YAML or JSON. */
export function languageOf(format: PlanFormat, location: SourceLocation): SnippetLanguage {
  if (format === 'terraform') return 'hcl'
  if (format === 'cdk') return 'typescript'
  return /\.json$/i.test(location.file) ? 'json' : 'yaml'
}

/** A reference to another planned object, written per language. */
export interface Reference {
  readonly kind: 'ref'
  /** CloudFormation logical id. */
  logicalId?: string
  /** Terraform reference (`aws_cognito_user_pool.main.id`), already safe HCL. */
  terraform?: string
  /** CDK expression (`pool.userPoolId`): an identifier path the snippet author wrote, not data. */
  cdk?: string
}

/** A map value (Terraform `dimensions = { … }`, not a block); the other languages write it as an object. */
export interface MapValue {
  readonly kind: 'map'
  entries: { [key: string]: SnippetValue }
}

/** CDK only: `new Class({ …props })` as a prop value (e.g. a `cloudwatch.Metric`). */
export interface NewValue {
  readonly kind: 'new'
  className: string
  props: { [key: string]: SnippetValue }
}

export function tsNew(className: string, props: { [key: string]: SnippetValue }): NewValue {
  return { kind: 'new', className, props }
}

function isNew(v: unknown): v is NewValue {
  return typeof v === 'object' && v !== null && (v as NewValue).kind === 'new'
}

export type SnippetValue =
  | string
  | number
  | boolean
  | Reference
  | MapValue
  | NewValue
  | SnippetValue[]
  | { [key: string]: SnippetValue }

export function asMap(entries: { [key: string]: SnippetValue }): MapValue {
  return { kind: 'map', entries }
}

function isMap(v: unknown): v is MapValue {
  return typeof v === 'object' && v !== null && (v as MapValue).kind === 'map'
}

/** A map value as a plain object, for the languages that have no separate map syntax. */
function plain(v: SnippetValue): Exclude<SnippetValue, MapValue | NewValue> {
  if (isNew(v)) return v.props
  return isMap(v) ? v.entries : v
}

export function isReference(v: unknown): v is Reference {
  return typeof v === 'object' && v !== null && (v as Reference).kind === 'ref'
}

/**
 * A Terraform expression naming a resource from its plan address (`module.a.aws_x.this["k"]`) and an
 * attribute: the resource's own part (type, name and index; the module prefix is dropped, since the
 * reference is written inside that module), with the name and a string index re-quoted.
 */
export function terraformReference(address: string, attribute: string): string | undefined {
  const m = /(?:^|\.)([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?$/.exec(address)
  if (!m) return undefined
  const [, type, name, index] = m
  let idx = ''
  if (index !== undefined) {
    idx = /^\d+$/.test(index) ? `[${index}]` : `[${hclQuote(JSON.parse(index) as string)}]`
  }
  return `${type}.${name}${idx}.${attribute}`
}

/** A reference to the planned object at `location`: its logical id, Terraform address, and a CDK expression. */
export function referenceTo(location: SourceLocation, terraformAttribute: string, cdkExpression: string): Reference {
  const r: { -readonly [K in keyof Reference]: Reference[K] } = { kind: 'ref', cdk: cdkExpression }
  if (location.logicalId !== undefined) r.logicalId = cfnLogicalId([location.logicalId])
  if (location.address !== undefined) {
    const tf = terraformReference(location.address, terraformAttribute)
    if (tf !== undefined) r.terraform = tf
  }
  return r
}

const pad = (n: number) => ' '.repeat(n)

// ---------------------------------------------------------------------------------------------------
// YAML

function yamlScalar(v: string | number | boolean | Reference): string {
  if (isReference(v)) return `!Ref ${v.logicalId ?? '<LogicalId>'}`
  if (typeof v === 'string') return yamlQuote(v)
  return String(v)
}

/** Block-style YAML lines for `value` at `indent` spaces. */
export function yamlLines(value: { [key: string]: SnippetValue }, indent = 0): string[] {
  const out: string[] = []
  for (const [key, v] of Object.entries(value)) out.push(...yamlEntry(`${pad(indent)}${key}:`, v, indent))
  return out
}

function yamlEntry(head: string, value: SnippetValue, indent: number): string[] {
  const v = plain(value)
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${head} []`]
    return [head, ...v.flatMap((item) => yamlItem(item, indent + 2))]
  }
  if (typeof v === 'object' && !isReference(v)) {
    if (Object.keys(v).length === 0) return [`${head} {}`]
    return [head, ...yamlLines(v, indent + 2)]
  }
  return [`${head} ${yamlScalar(v)}`]
}

function yamlItem(value: SnippetValue, indent: number): string[] {
  const v = plain(value)
  if (Array.isArray(v)) return [`${pad(indent)}-`, ...v.flatMap((item) => yamlItem(item, indent + 2))]
  if (typeof v === 'object' && !isReference(v)) {
    const lines = yamlLines(v, indent + 2)
    if (lines.length === 0) return [`${pad(indent)}- {}`]
    return [`${pad(indent)}- ${lines[0]!.trimStart()}`, ...lines.slice(1)]
  }
  return [`${pad(indent)}- ${yamlScalar(v)}`]
}

// ---------------------------------------------------------------------------------------------------
// JSON

function jsonPlain(value: SnippetValue): unknown {
  const v = plain(value)
  if (isReference(v)) return { Ref: v.logicalId ?? '<LogicalId>' }
  if (Array.isArray(v)) return v.map(jsonPlain)
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonPlain(x)]))
  return v
}

/** JSON text of the properties, without the outer braces: lines to paste inside `"Properties": {…}`. */
export function jsonLines(value: { [key: string]: SnippetValue }, indent = 0): string[] {
  const text = JSON.stringify(jsonPlain(value), null, 2)
  // JSON.stringify leaves format characters (bidi overrides) as they are: escape them like tsQuote does.
  const safe = text.replace(
    /[\p{Cf}\p{Zl}\p{Zp}]/gu,
    (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  )
  return safe
    .split('\n')
    .slice(1, -1)
    .map((l) => `${pad(indent)}${l.slice(2)}`)
}

// ---------------------------------------------------------------------------------------------------
// TypeScript (CDK)

const TS_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/

function tsValue(value: SnippetValue, indent: number): string {
  if (isNew(value)) return `new ${value.className}(${tsValue(value.props, indent)})`
  const v = plain(value)
  if (isReference(v)) return v.cdk ?? 'undefined /* the construct */'
  if (typeof v === 'string') return tsQuote(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[\n${v.map((x) => `${pad(indent + 2)}${tsValue(x, indent + 2)},`).join('\n')}\n${pad(indent)}]`
  }
  const entries = Object.entries(v)
  if (entries.length === 0) return '{}'
  return `{\n${tsLines(v, indent + 2).join('\n')}\n${pad(indent)}}`
}

/** A value as a TypeScript expression (strings through `tsQuote`). */
export function tsExpression(v: SnippetValue, indent = 0): string {
  return tsValue(v, indent)
}

/** `key: value,` lines of a CDK props object. A value that is an enum member is written with `tsEnum`. */
export function tsLines(value: { [key: string]: SnippetValue }, indent = 0): string[] {
  return Object.entries(value).map(
    ([k, v]) => `${pad(indent)}${TS_KEY.test(k) ? k : tsQuote(k)}: ${tsValue(v, indent)},`,
  )
}

/** A CDK enum member, e.g. `cognito.FeaturePlan.PLUS`: written as code, not as a string. */
export function tsEnum(expression: string): Reference {
  return { kind: 'ref', cdk: expression }
}

// ---------------------------------------------------------------------------------------------------
// HCL (Terraform)

const HCL_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/

function hclValue(value: SnippetValue): string {
  if (isNew(value)) return hclValue(value.props)
  if (isMap(value)) {
    return `{ ${Object.entries(value.entries)
      .map(([k, x]) => `${HCL_KEY.test(k) ? k : hclQuote(k)} = ${hclValue(x)}`)
      .join(', ')} }`
  }
  const v = value
  if (isReference(v)) return v.terraform ?? '<reference>'
  if (typeof v === 'string') return hclQuote(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(hclValue).join(', ')}]`
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${k} = ${hclValue(x)}`)
    .join(', ')} }`
}

/**
 * HCL body lines: a value that is an object is a nested block (`name { … }`), a list of objects is one
 * block per item, anything else an argument (`name = value`).
 */
export function hclLines(value: { [key: string]: SnippetValue }, indent = 0): string[] {
  const out: string[] = []
  for (const [k, v] of Object.entries(value)) {
    const isBlock = (x: SnippetValue): x is { [key: string]: SnippetValue } =>
      typeof x === 'object' && !Array.isArray(x) && !isReference(x) && !isMap(x) && !isNew(x)
    if (isBlock(v)) out.push(`${pad(indent)}${k} {`, ...hclLines(v, indent + 2), `${pad(indent)}}`)
    else if (Array.isArray(v) && v.length > 0 && v.every(isBlock)) {
      for (const item of v) out.push(`${pad(indent)}${k} {`, ...hclLines(item, indent + 2), `${pad(indent)}}`)
    } else out.push(`${pad(indent)}${k} = ${hclValue(v)}`)
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// Whole remediations

type Props = { [key: string]: SnippetValue }

/** Where an object is, for the first line of a remediation: `app.yml:12 (Pool)`. A Terraform address
 *  carries its `for_each` key, any string: hidden characters are shown escaped, as in every log line. */
export function whereText(location: SourceLocation): string {
  const at = location.line !== undefined ? `${location.file}:${location.line}` : location.file
  const name = location.address ?? location.logicalId
  return visible(name !== undefined ? `${at} (${name})` : at)
}

/** The properties to set on an existing planned object, in its language. */
export function setProperties(
  location: SourceLocation,
  format: PlanFormat,
  props: { cloudformation: Props; cdk: Props; terraform: Props },
): string {
  const lang = languageOf(format, location)
  const where = whereText(location)
  switch (lang) {
    case 'hcl':
      return [`Terraform: in ${where}, set:`, ...hclLines(props.terraform, 2)].join('\n')
    case 'typescript':
      return [`CDK: in the construct's props at ${where}, set:`, ...tsLines(props.cdk, 2)].join('\n')
    case 'json':
      return [`CloudFormation: in ${where}, under "Properties", set:`, ...jsonLines(props.cloudformation, 2)].join('\n')
    default:
      return [`CloudFormation: in ${where}, under Properties, set:`, ...yamlLines(props.cloudformation, 2)].join('\n')
  }
}

/** A resource to add beside a planned object, in that object's language. */
export interface NewResource {
  /** CloudFormation: logical id parts (made alphanumeric) and type. */
  cloudformation: { id: string[]; type: string; properties: Props }
  /** CDK: the construct class (`cognito.CfnUserPoolRiskConfigurationAttachment`), its id, its props, and
   *  lines written after it (e.g. `.addAlarmAction(…)`). */
  cdk: { construct: string; id: string; props: Props; after?: string }
  /** Terraform: resource type, name parts (made a valid name) and body. */
  terraform: { type: string; name: string[]; body: Props }
  /** A comment line for each language: what the placeholders stand for. */
  note?: string
}

export function addResource(location: SourceLocation, format: PlanFormat, r: NewResource): string {
  const lang = languageOf(format, location)
  const where = whereText(location)
  const note = r.note ? [`# ${r.note}`] : []
  switch (lang) {
    case 'hcl':
      return [
        `Terraform: add beside ${where}:`,
        ...note,
        `resource ${hclQuote(r.terraform.type)} ${hclQuote(tfNameOf(r.terraform.name))} {`,
        ...hclLines(r.terraform.body, 2),
        '}',
      ].join('\n')
    case 'typescript':
      return [
        `CDK: add beside the construct at ${where}:`,
        ...(r.note ? [`// ${r.note}`] : []),
        `new ${r.cdk.construct}(this, ${tsQuote(r.cdk.id)}, {`,
        ...tsLines(r.cdk.props, 2),
        `})${r.cdk.after ?? ''}`,
      ].join('\n')
    case 'json':
      return [
        `CloudFormation: add to "Resources" beside ${where}:`,
        `${JSON.stringify(cfnLogicalId(r.cloudformation.id))}: {`,
        `  "Type": ${JSON.stringify(r.cloudformation.type)},`,
        '  "Properties": {',
        ...jsonLines(r.cloudformation.properties, 4),
        '  }',
        '}',
      ].join('\n')
    default:
      return [
        `CloudFormation: add to Resources beside ${where}:`,
        ...note,
        `${cfnLogicalId(r.cloudformation.id)}:`,
        `  Type: ${r.cloudformation.type}`,
        '  Properties:',
        ...yamlLines(r.cloudformation.properties, 4),
      ].join('\n')
  }
}

function tfNameOf(parts: string[]): string {
  return tfName(parts)
}
