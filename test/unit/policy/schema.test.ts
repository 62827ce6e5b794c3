/** The published JSON Schema: it matches the code, is a valid draft 2020-12 schema, and accepts the examples. */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { loadPolicy } from '../../../src/policy/load.js'
import { REGION_NAMES } from '../../../src/policy/regions.js'
import { policySchema } from '../../../src/policy/schema.js'

const committed = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')
const examplePath = (name: string) => new URL(`../../../examples/policies/${name}`, import.meta.url).pathname

/** A walk over every subschema, to check contract-wide rules. */
function objectSchemas(schema: unknown, path = '#'): Array<[string, Record<string, unknown>]> {
  if (typeof schema !== 'object' || schema === null) return []
  const out: Array<[string, Record<string, unknown>]> = []
  const s = schema as Record<string, unknown>
  if (s.type === 'object') out.push([path, s])
  for (const [k, v] of Object.entries(s)) {
    if (k === 'examples' || k === 'default' || k === 'enum' || k === 'const') continue
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) out.push(...objectSchemas(item, `${path}/${k}/${i}`))
    } else out.push(...objectSchemas(v, `${path}/${k}`))
  }
  return out
}

describe('policy schema', () => {
  it('schema/policy.schema.json is up to date (run `npm run schema` after changing a section fragment)', () => {
    expect(committed('schema/policy.schema.json'), 'schema/policy.schema.json is stale: run `npm run schema`').toBe(
      `${JSON.stringify(policySchema(), null, 2)}\n`,
    )
  })

  it('is a valid draft 2020-12 schema with an id, title and description', () => {
    const schema = policySchema()
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.$id).toEqual(expect.any(String))
    expect(schema.title).toEqual(expect.any(String))
    expect(schema.description).toEqual(expect.any(String))
    const ajv = new Ajv2020({ strict: false })
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true)
  })

  it('closes every object (additionalProperties: false), so unknown keys are errors', () => {
    const open = objectSchemas(policySchema()).filter(([, s]) => s.additionalProperties !== false)
    expect(open.map(([p]) => p)).toEqual([])
  })

  it('composes every section under its key, with a description, and lists the region names', () => {
    const props = policySchema().properties as Record<string, Record<string, unknown>>
    expect(Object.keys(props)).toEqual([
      'version',
      'regions',
      'pools',
      'threat-protection',
      'alarms',
      'cloudtrail',
      'activity',
      'plan',
      'exemptions',
      'report',
    ])
    for (const key of ['threat-protection', 'alarms', 'cloudtrail', 'activity']) {
      expect(props[key]?.description, key).toEqual(expect.any(String))
    }
    expect((props.regions as { items: { enum: string[] } }).items.enum).toEqual(REGION_NAMES)
    expect(props['threat-protection']?.properties).toMatchObject({
      mode: { enum: ['AUDIT', 'ENFORCED'], default: 'AUDIT' },
      'require-blocking': { type: 'boolean', default: true },
    })
  })
})

describe('example policies', () => {
  for (const name of ['minimal.yml', 'strict.yml']) {
    it(`${name} points editors at the schema and validates against it`, () => {
      const text = readFileSync(examplePath(name), 'utf8')
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/policy.schema.json')
      const ajv = new Ajv2020({ strict: false, allErrors: true })
      ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/)
      const valid = ajv.validate(policySchema(), parseDocument(text).toJS())
      expect(valid, JSON.stringify(ajv.errors)).toBe(true)
    })
  }

  it('minimal.yml audits every pool in its regions with the defaults', async () => {
    const policy = await loadPolicy({ path: examplePath('minimal.yml') })
    expect(policy.regions).toEqual(['eu-west-1', 'us-east-1'])
    expect(policy.pools.all).toBe(true)
    expect(policy.threatProtection).toEqual({ mode: 'AUDIT', requireBlocking: true, riskLevels: ['High'], overrides: [] })
    expect(policy.exemptions).toEqual([])
  })

  it('strict.yml requires ENFORCED with blocking, sets every section and carries dated exemptions', async () => {
    const text = readFileSync(examplePath('strict.yml'), 'utf8')
    const keys = Object.keys(parseDocument(text).toJS() as object)
    expect(keys).toEqual(expect.arrayContaining(['threat-protection', 'alarms', 'cloudtrail', 'activity', 'report']))
    const policy = await loadPolicy({ path: examplePath('strict.yml') })
    expect(policy.threatProtection.mode).toBe('ENFORCED')
    expect(policy.threatProtection.requireBlocking).toBe(true)
    expect(policy.exemptions.length).toBeGreaterThan(0)
    expect(policy.exemptions.every((e) => /^\d{4}-\d{2}-\d{2}$/.test(e.expires ?? ''))).toBe(true)
    expect(policy.pools.all).toBe(false)
  })
})
