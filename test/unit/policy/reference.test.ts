import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { END, policyReference, START, withReference } from '../../../scripts/policy-reference.js'

describe('README policy reference', () => {
  it('is generated from the current schema (run `npm run schema` when this fails)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')
    expect(withReference(readme)).toBe(readme)
  })

  it('lists every section key with its default', () => {
    const ref = policyReference()
    expect(ref.startsWith(START) && ref.endsWith(END)).toBe(true)
    expect(ref).toContain('| `threat-protection.mode` | `AUDIT` \\| `ENFORCED` | `"AUDIT"` |')
    for (const key of [
      '`alarms.enabled`',
      '`cloudtrail.accept-write-only`',
      '`activity.lookback`',
      '`exemptions[].expires`',
      '`report.personal-data`',
    ]) {
      expect(ref).toContain(key)
    }
  })
})
