/** Writes the policy file's JSON Schema to schema/policy.schema.json (`npm run schema`). */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { policySchema } from '../src/policy/schema.js'

const target = fileURLToPath(new URL('../schema/policy.schema.json', import.meta.url))
writeFileSync(target, `${JSON.stringify(policySchema(), null, 2)}\n`)
console.log('Wrote schema/policy.schema.json')
