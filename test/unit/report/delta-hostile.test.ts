/** Names from the account in the delta section and the tracking issue are inert Markdown. */
import { describe, expect, it } from 'vitest'
import { type ComparableReport, compareReports, type TrackedFinding } from '../../../src/baseline/compare.js'
import { renderDelta } from '../../../src/report/delta.js'
import { trackerBody } from '../../../src/report/tracking-issue.js'
import { GITHUB_LINKED, HOSTILE_NAMES, renderGfm, textOf } from '../../support/hostile.js'

function tf(pool: string, status: TrackedFinding['status'], name: string): TrackedFinding {
  return {
    id: `threat-protection/1/us-east-1/${pool}/${name}`,
    checkId: 'threat-protection',
    title: `Title ${name}`,
    status,
    severity: 'high',
    region: 'us-east-1',
    poolId: pool,
    poolName: name,
    resource: name,
    message: `Message ${name}`,
  }
}

function comparison(name: string) {
  const rep = (at: string, f: TrackedFinding[]): ComparableReport => ({ kind: 'report', collectedAt: at, findings: f })
  const prev = rep('2026-12-01T00:00:00Z', [tf('p1', 'fail', name), tf('p2', 'fail', name), tf('p3', 'fail', name)])
  const cur = rep('2026-12-02T00:00:00Z', [tf('p1', 'fail', name), tf('p2', 'error', name), tf('p4', 'fail', name)])
  return compareReports(prev, cur)
}

const tags = (html: string) => [...html.matchAll(/<([a-z0-9]+)\b/gi)].map((m) => m[1]!.toLowerCase())

describe('the delta and the tracking issue with hostile names', () => {
  const benignDelta = tags(renderGfm(renderDelta(comparison('plain'))))
  it.each(HOSTILE_NAMES)('%j adds no element and nothing GitHub links', (name) => {
    const html = renderGfm(renderDelta(comparison(name)))
    expect(tags(html)).toEqual(benignDelta)
    const text = textOf(html)
    for (const p of GITHUB_LINKED) expect(text).not.toMatch(p)
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/)
    expect(text).not.toContain(String.fromCharCode(27))

    const c = comparison(name)
    const input = {
      mode: 'on-new' as const,
      owner: 'o',
      repo: 'r',
      policySource: name,
      accountId: name,
      collectedAt: '2026-12-02T00:00:00Z',
      violations: c.entries.filter((e) => e.state !== 'resolved').map((e) => e.finding),
      counts: { fail: 2, error: 1, pass: 0 },
      comparison: c,
    }
    const benign = tags(renderGfm(trackerBody({ ...input, ...bodyNames('plain') })))
    const body = renderGfm(trackerBody(input))
    expect(tags(body)).toEqual(benign)
    for (const p of GITHUB_LINKED) expect(textOf(body)).not.toMatch(p)
  })
})

function bodyNames(n: string) {
  const c = comparison(n)
  return {
    policySource: n,
    accountId: n,
    comparison: c,
    violations: c.entries.filter((e) => e.state !== 'resolved').map((e) => e.finding),
  }
}
