import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareReports } from '../../../src/baseline/compare.js'
import { buildBaselineFile, parseBaseline, readBaseline } from '../../../src/baseline/file.js'

const ACCOUNT = '123456789012'
const legacyReport = {
  reportVersion: 1,
  collectedAt: '2026-12-01T02:00:00.000Z',
  accountId: ACCOUNT,
  policy: { source: '.github/cognito-compliance.yml', regions: ['us-east-1'], failOn: 'violation' },
  pools: [{ id: 'us-east-1_Weak0001', region: 'us-east-1', found: true, requirements: {} }],
  findings: [
    {
      checkId: 'threat-protection-enforcement',
      requirement: 'threat-protection',
      title: 'Threat protection blocks risky sign-ins',
      status: 'fail',
      severity: 'high',
      region: 'us-east-1',
      poolId: 'us-east-1_Weak0001',
      poolName: 'weak',
      resource: 'partner-sso (3example23456789012345678b)',
      message: 'ENFORCED in name only for this app client.',
      evidence: { clientId: '3example23456789012345678b' },
    },
    {
      checkId: 'threat-protection',
      requirement: 'threat-protection',
      title: 'Threat protection on',
      status: 'pass',
      severity: 'high',
      region: 'us-east-1',
      poolId: 'us-east-1_Weak0001',
      message: 'Threat protection is ENFORCED.',
    },
  ],
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baseline-file-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('reading a baseline', () => {
  it('reads a report written before findings carried an id, computing the id as a new report would', () => {
    const r = parseBaseline(JSON.stringify(legacyReport), 'old.json')
    expect(r.kind).toBe('report')
    expect(r.findings.map((f) => f.id)).toEqual([
      'threat-protection-enforcement/123456789012/us-east-1/us-east-1_Weak0001/client=3example23456789012345678b',
      'threat-protection/123456789012/us-east-1/us-east-1_Weak0001',
    ])
    // What it showed is what it covered.
    expect(r.scope).toEqual({
      regions: ['us-east-1'],
      checks: ['threat-protection-enforcement', 'threat-protection'],
      selection: { ids: ['us-east-1_Weak0001'], names: [], all: false },
      poolIds: ['us-east-1_Weak0001'],
    })
  })

  it('keeps the id, first seen, last known state and scope a newer report records', () => {
    const doc = {
      ...legacyReport,
      scope: {
        regions: ['us-east-1', 'eu-west-1'],
        checks: ['threat-protection'],
        selection: { ids: [], names: ['*'], all: true },
      },
      findings: [
        {
          ...legacyReport.findings[1],
          id: 'custom-id',
          status: 'error',
          lastKnown: { status: 'fail', firstSeen: '2026-11-01T00:00:00Z', at: '2026-11-30T00:00:00Z' },
        },
      ],
    }
    const r = parseBaseline(JSON.stringify(doc), 'new.json')
    expect(r.findings[0]).toMatchObject({
      id: 'custom-id',
      lastKnown: { status: 'fail', firstSeen: '2026-11-01T00:00:00Z', at: '2026-11-30T00:00:00Z' },
    })
    expect(r.scope).toEqual({
      regions: ['us-east-1', 'eu-west-1'],
      checks: ['threat-protection'],
      selection: { ids: [], names: ['*'], all: true },
    })
  })

  it('writes the committed baseline from the failing findings only, sorted, and reads it back as accepted violations', async () => {
    const report = parseBaseline(JSON.stringify(legacyReport), 'old.json')
    const file = buildBaselineFile({ ...report, policySource: '.github/cognito-compliance.yml' })
    expect(file.violations).toHaveLength(1)
    expect(file).toMatchObject({ baselineVersion: 1, createdAt: report.collectedAt, accountId: ACCOUNT })
    expect(file.violations[0]).toMatchObject({ firstSeen: report.collectedAt, poolId: 'us-east-1_Weak0001' })
    const path = join(dir, 'baseline.json')
    await writeFile(path, JSON.stringify(file, null, 2))
    const back = await readBaseline(path)
    expect(back).toMatchObject({ kind: 'baseline', collectedAt: report.collectedAt, accountId: ACCOUNT })
    expect(back.scope).toBeUndefined()
    // Comparing the same run with its own baseline: the accepted violation persists, nothing is new.
    expect(compareReports(back, report).counts).toMatchObject({ new: 0, persisting: 1, resolved: 0 })
  })

  const invalid: Array<[string, string, string]> = [
    ['not JSON', '{oops', 'Baseline b.json: not valid JSON ('],
    ['an array', '[]', 'Baseline b.json: not a JSON object.'],
    [
      'something else',
      '{"hello":1}',
      'Baseline b.json: neither a report.json (reportVersion) nor a baseline file (baselineVersion).',
    ],
    [
      'a future report',
      '{"reportVersion":2}',
      'Baseline b.json: reportVersion 2 is not supported (this version reads 1).',
    ],
    ['a report without findings', '{"reportVersion":1,"collectedAt":"x"}', 'Baseline b.json: findings must be a list.'],
    [
      'a finding without check',
      '{"reportVersion":1,"collectedAt":"x","findings":[{"region":"r","status":"fail"}]}',
      'Baseline b.json: findings[0].checkId is missing.',
    ],
    [
      'a bad status',
      '{"reportVersion":1,"collectedAt":"x","findings":[{"checkId":"c","region":"r","status":"bad"}]}',
      'Baseline b.json: findings[0].status must be one of pass, fail, warn, error, exempt.',
    ],
    [
      'a baseline without ids',
      '{"baselineVersion":1,"createdAt":"x","violations":[{"checkId":"c","region":"r"}]}',
      'Baseline b.json: violations[0].id is missing.',
    ],
  ]
  it.each(invalid)('rejects %s with one clear line', (_what, text, message) => {
    let err: unknown
    try {
      parseBaseline(text, 'b.json')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).name).toBe('InputError')
    expect((err as Error).message.startsWith(message)).toBe(true)
    expect((err as Error).message).not.toContain('\n')
  })

  it('a missing file is one clear line', async () => {
    await expect(readBaseline(join(dir, 'nope.json'))).rejects.toThrow(
      `Baseline ${join(dir, 'nope.json')}: cannot read it (ENOENT: no such file).`,
    )
  })
})
