/**
 * Hostile names (backticks, line breaks, mentions, references, pipes, HTML, bidirectional overrides …) in
 * every name field (pools, app clients, alarms, trails) change no verdict: every requirement yields the
 * same findings, per pool and per region, as for a benign name, and nothing is silently dropped (issue
 * 16: such names once made the risk- and throttle-alarm requirements yield nothing, and the account
 * passed).
 */
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../../src/checks/index.js'
import type { Finding } from '../../../src/model/finding.js'
import { fullPolicy, fullSnapshot } from '../../support/full-audit.js'
import { HOSTILE_NAMES } from '../../support/hostile.js'
import { itemsOf } from '../../support/pools.js'

const TODAY = '2026-11-22'

const NAMES = [
  ...HOSTILE_NAMES,
  // Everything at once, line breaks first and last.
  '\n`x`\r\n@octocat #123 | <b>bold</b> \u202eevil\u2066 *`\n',
  'multi\nline\nname',
  '```\ncode fence\n```',
]

const verdicts = (fs: Finding[]) =>
  fs.map((f) => `${f.checkId} ${f.region} ${f.poolId ?? '(region)'} ${f.status} ${f.severity}`).sort()

describe('hostile names in every name field: every requirement still yields its findings', () => {
  const policy = fullPolicy()
  const benign = evaluate(fullSnapshot('benign'), policy, TODAY)

  it('the benign audit judges every pool on the risk and throttle alarms, and fails some', () => {
    const pools = fullSnapshot('benign').regions.flatMap((r) => itemsOf(r.cognito.pools))
    for (const check of ['alarms-risk', 'alarms-throttles'])
      for (const p of pools) expect(benign.some((f) => f.checkId === check && f.poolId === p.id)).toBe(true)
    expect(benign.filter((f) => f.status === 'fail').length).toBeGreaterThan(10)
    expect(benign.some((f) => f.evidence?.noResult)).toBe(false)
  })

  for (const name of NAMES) {
    it(JSON.stringify(name).slice(0, 60), () => {
      const snapshot = fullSnapshot(name)
      const findings = evaluate(snapshot, policy, TODAY)
      // No check went silent (the invariant would have filled in an error) …
      expect(findings.filter((f) => f.evidence?.noResult)).toEqual([])
      // … and every verdict is the benign one's: same checks, pools, regions, statuses, severities.
      expect(verdicts(findings)).toEqual(verdicts(benign))
      // The names reached the findings (they were judged, not skipped).
      const pools = snapshot.regions.flatMap((r) => itemsOf(r.cognito.pools))
      for (const p of pools) {
        const own = findings.filter((f) => f.poolId === p.id)
        expect(own.length).toBeGreaterThan(0)
        expect(own.every((f) => f.poolName === name)).toBe(true)
      }
    })
  }
})
