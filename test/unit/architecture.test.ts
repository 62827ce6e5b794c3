/**
 * The direction of the data flow (policy → source → snapshot → checks → findings → reporters) as import
 * rules over src/: a test fails when an import runs against it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

interface Edge {
  from: string
  /** A path under src/ for a relative import, else the package name. */
  to: string
}

const EDGES: Edge[] = files(SRC).flatMap((file) => {
  const text = readFileSync(file, 'utf8')
  const from = relative(SRC, file)
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ]
  return specs.map((m) => {
    const spec = m[1] as string
    const to = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec
    return { from, to }
  })
})

const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`)
const violations = (rule: (e: Edge) => boolean) => EDGES.filter(rule).map((e) => `${e.from} → ${e.to}`)

/**
 * Which source folder may import which other one. `planned` is the shared library of the pre-deploy sources
 * (planned-snapshot builder, field readers, unknown values, input files); `cdk` reads the CloudFormation
 * templates a cloud assembly holds through `cloudformation`'s reader. The live (`aws`) and saved-snapshot
 * (`saved`) sources import no other source, and no pre-deploy source imports them. Any edge not listed here
 * between two source folders is a violation; `sources/source.ts` (the shared interface) belongs to none.
 */
const ALLOWED_SOURCE_EDGES: Readonly<Record<string, readonly string[]>> = {
  aws: [],
  saved: [],
  planned: [],
  cloudformation: ['planned'],
  terraform: ['planned'],
  cdk: ['planned', 'cloudformation'],
}

const sourceOf = (p: string) => (under(p, 'sources') && p !== 'sources/source.ts' ? p.split('/')[1] : undefined)

function crossSourceViolation(e: Edge): boolean {
  const [a, b] = [sourceOf(e.from), sourceOf(e.to)]
  if (a === undefined || b === undefined || a === b) return false
  return !(ALLOWED_SOURCE_EDGES[a] ?? []).includes(b)
}

describe('import directions', () => {
  it('reads the imports it judges', () => {
    expect(EDGES.some((e) => e.from === 'checks/index.ts' && e.to === 'checks/alarms/index.ts')).toBe(true)
    expect(EDGES.some((e) => e.from.startsWith('sources/aws/') && e.to.startsWith('@aws-sdk/client-'))).toBe(true)
  })

  it('model/ imports nothing outside itself', () => {
    expect(violations((e) => under(e.from, 'model') && (!under(e.to, 'model') || e.to.includes('..')))).toEqual([])
  })

  it('checks/ import neither the policy loader, the sources nor the reports', () => {
    expect(
      violations((e) => under(e.from, 'checks') && ['policy', 'sources', 'report'].some((f) => under(e.to, f))),
    ).toEqual([])
  })

  it('report/ does not import the sources', () => {
    expect(violations((e) => under(e.from, 'report') && under(e.to, 'sources'))).toEqual([])
  })

  it('sources/ import neither checks nor reports', () => {
    expect(violations((e) => under(e.from, 'sources') && ['checks', 'report'].some((f) => under(e.to, f)))).toEqual(
      [],
    )
  })

  it('sources import one another only along the allowed edges', () => {
    expect(violations(crossSourceViolation)).toEqual([])
  })

  it('the cross-source rule flags the edges it forbids and lets the allowed ones through', () => {
    const flagged = (from: string, to: string) => crossSourceViolation({ from, to })
    // Allowed: the shared library of the pre-deploy sources, and cdk reading CloudFormation templates.
    expect(flagged('sources/terraform/index.ts', 'sources/planned/builder.ts')).toBe(false)
    expect(flagged('sources/cloudformation/stacks.ts', 'sources/planned/values.ts')).toBe(false)
    expect(flagged('sources/cdk/index.ts', 'sources/cloudformation/template.ts')).toBe(false)
    expect(flagged('sources/aws/source.ts', 'sources/source.ts')).toBe(false)
    // Forbidden.
    expect(flagged('sources/cloudformation/stacks.ts', 'sources/cdk/index.ts')).toBe(true)
    expect(flagged('sources/terraform/index.ts', 'sources/cloudformation/template.ts')).toBe(true)
    expect(flagged('sources/cdk/index.ts', 'sources/terraform/plan.ts')).toBe(true)
    expect(flagged('sources/planned/builder.ts', 'sources/cloudformation/stacks.ts')).toBe(true)
    expect(flagged('sources/terraform/index.ts', 'sources/aws/index.ts')).toBe(true)
    expect(flagged('sources/cdk/index.ts', 'sources/saved/validate.ts')).toBe(true)
    expect(flagged('sources/planned/fields.ts', 'sources/saved/gaps.ts')).toBe(true)
    expect(flagged('sources/aws/index.ts', 'sources/saved/gaps.ts')).toBe(true)
    expect(flagged('sources/saved/source.ts', 'sources/aws/index.ts')).toBe(true)
    expect(flagged('sources/aws/index.ts', 'sources/planned/builder.ts')).toBe(true)
    expect(flagged('sources/saved/source.ts', 'sources/terraform/plan.ts')).toBe(true)
    // A new source folder starts with no allowed edges.
    expect(flagged('sources/pulumi/index.ts', 'sources/planned/builder.ts')).toBe(true)
  })

  it('only the live source loads AWS SDK clients', () => {
    expect(violations((e) => e.to.startsWith('@aws-sdk/client-') && !under(e.from, 'sources/aws'))).toEqual([])
  })
})
