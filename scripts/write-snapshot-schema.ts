/**
 * Generates the saved-snapshot JSON Schema from the snapshot's TypeScript types (src/model/), so the
 * types stay the one source of truth: `npm run schema` writes src/model/snapshot.schema.json, which the
 * saved-snapshot reader validates with (and editors can use); a unit test fails when it is stale. Uses ts-json-schema-generator (a well-kept generator that reads the types
 * through the TypeScript compiler, JSDoc `@format` and `@minimum` tags included).
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createGenerator } from 'ts-json-schema-generator'

export const SNAPSHOT_SCHEMA_PATH = 'src/model/snapshot.schema.json'

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url))

export function snapshotSchema(): Record<string, unknown> {
  const schema = createGenerator({
    path: root('src/model/snapshot.ts'),
    tsconfig: root('tsconfig.json'),
    type: 'AccountSnapshot',
    skipTypeCheck: true,
    // Unknown fields are errors (a typo would otherwise read as "not collected"); every type is inlined.
    additionalProperties: false,
    expose: 'none',
    topRef: false,
    jsDoc: 'extended',
    sortProps: true,
  }).createSchema('AccountSnapshot')
  return { ...schema, title: 'cognito-compliance-action saved snapshot' }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(root(SNAPSHOT_SCHEMA_PATH), `${JSON.stringify(snapshotSchema(), null, 2)}\n`)
  console.log(`Wrote ${SNAPSHOT_SCHEMA_PATH}`)
}
