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

  it('sources/ import neither checks nor reports, and no source imports another', () => {
    // The folder of a source (`aws`, `saved`, …); the shared interface belongs to none.
    const sourceOf = (p: string) => (under(p, 'sources') && p !== 'sources/source.ts' ? p.split('/')[1] : undefined)
    const crossSource = (e: Edge) => {
      const [a, b] = [sourceOf(e.from), sourceOf(e.to)]
      return a !== undefined && b !== undefined && a !== b
    }
    expect(
      violations(
        (e) => under(e.from, 'sources') && (['checks', 'report'].some((f) => under(e.to, f)) || crossSource(e)),
      ),
    ).toEqual([])
  })

  it('only the live source loads AWS SDK clients', () => {
    expect(violations((e) => e.to.startsWith('@aws-sdk/client-') && !under(e.from, 'sources/aws'))).toEqual([])
  })
})
