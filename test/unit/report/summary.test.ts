import { describe, expect, it } from 'vitest'
import { buildJsonReport } from '../../../src/report/json.js'
import { buildMatrix } from '../../../src/report/matrix.js'
import { renderSummary } from '../../../src/report/summary.js'
import { renderTerminal } from '../../../src/report/terminal.js'
import { testPolicy } from '../../support/policy.js'
import { finding, pool, resultOf, snapshotOf } from '../../support/result.js'
import { loaded } from '../../../src/model/snapshot.js'
import { itemsOf } from '../../support/pools.js'

const a = pool('us-east-1_a', 'prod | users <script>')
const b = pool('us-east-1_b', 'staging')
const c = pool('eu-west-1_c', 'eu')
const snap = snapshotOf([a, b, c])

describe('pools × requirements matrix', () => {
  it('shows region-level findings on every pool of that region, and the worst status wins', () => {
    const r = resultOf(snap, [
      finding({ status: 'pass', poolId: a.id }),
      finding({ status: 'error', poolId: a.id, checkId: 'threat-protection-enforcement' }),
      finding({ status: 'fail', poolId: a.id, checkId: 'threat-protection-enforcement' }),
      finding({ status: 'pass', poolId: b.id }),
      finding({ status: 'fail', requirement: 'cloudtrail', checkId: 'cloudtrail-capture', region: 'us-east-1' }),
      finding({ status: 'pass', requirement: 'cloudtrail', checkId: 'cloudtrail-capture', region: 'eu-west-1' }),
    ])
    const rows = Object.fromEntries(buildMatrix(r).map((row) => [row.poolId, row.cells]))
    expect(rows[a.id]).toMatchObject({ 'threat-protection': 'fail', cloudtrail: 'fail', alarms: 'none' })
    expect(rows[b.id]).toMatchObject({ 'threat-protection': 'pass', cloudtrail: 'fail' })
    expect(rows[c.id]).toMatchObject({ 'threat-protection': 'none', cloudtrail: 'pass' })
  })

  it('the matrix is built once per result (every reporter shows it), again for other or more findings', () => {
    const fs = [finding({ status: 'fail', poolId: a.id, region: 'us-east-1' })]
    const r = resultOf(snap, fs)
    const rows = buildMatrix(r)
    expect(buildMatrix(r)).toBe(rows)
    fs.push(finding({ status: 'fail', poolId: b.id, region: 'us-east-1' }))
    const grown = buildMatrix(r)
    expect(grown).not.toBe(rows)
    expect(grown.find((x) => x.poolId === b.id)?.cells['threat-protection']).toBe('fail')
    const other = { ...r, findings: [] }
    expect(buildMatrix(other).find((x) => x.poolId === a.id)?.cells['threat-protection']).toBe('none')
  })

  it('a region whose pools could not be listed keeps a row for each pool the policy names there', () => {
    const denied = {
      service: 'cognito-idp' as const,
      action: 'ListUserPools',
      code: 'AccessDeniedException',
      message: 'denied',
      region: 'eu-west-1',
    }
    const s = snapshotOf([a, b])
    s.regions.push({ region: 'eu-west-1', cognito: { pools: loaded([]), missing: [], errors: [denied] } })
    const err = finding({ status: 'error', checkId: 'pool-exists', region: 'eu-west-1' })
    const named = resultOf(
      s,
      [err],
      testPolicy({ regions: ['eu-west-1', 'us-east-1'], pools: { ids: ['eu-west-1_Named'] } }),
    )
    const row = buildMatrix(named).find((x) => x.poolId === 'eu-west-1_Named')
    expect(row).toMatchObject({
      unverified: true,
      missing: false,
      cells: { 'threat-protection': 'error', alarms: 'error' },
    })
    expect(renderSummary(named, { failOn: 'violation' }).markdown).toContain(
      '<code>eu-west-1_Named</code> (not verified)',
    )
    expect(
      buildJsonReport(named, 'violation', undefined).pools.find((p) => p.id === 'eu-west-1_Named')?.found,
    ).toBeNull()
    // Naming none there: one row for the region as a whole.
    const all = resultOf(s, [err], testPolicy({ regions: ['eu-west-1', 'us-east-1'] }))
    const whole = buildMatrix(all).filter((x) => x.region === 'eu-west-1')
    expect(whole.map((x) => x.poolId)).toEqual(['*'])
    expect(renderTerminal(all, { color: false })).toContain('every pool (not verified)')
  })

  it('adds a row for a pool the policy names that does not exist', () => {
    const r = resultOf(snap, [finding({ status: 'fail', poolId: 'us-east-1_gone', checkId: 'pool-exists' })])
    const row = buildMatrix(r).find((x) => x.poolId === 'us-east-1_gone')
    expect(row).toMatchObject({ missing: true, cells: { 'threat-protection': 'fail' } })
  })
})

describe('job summary', () => {
  const failing = resultOf(snap, [
    finding({
      status: 'fail',
      poolId: a.id,
      poolName: a.name,
      message: 'Threat protection is OFF | needs <AUDIT>',
      remediation: 'aws cognito-idp update-user-pool --user-pool-id us-east-1_a\n```\nnot a fence break',
    }),
    finding({ status: 'pass', poolId: b.id, poolName: b.name }),
    finding({ status: 'pass', poolId: c.id, poolName: c.name, region: 'eu-west-1' }),
  ])

  it('opens with the verdict line, then the table', () => {
    const { markdown, level } = renderSummary(failing, { failOn: 'violation' })
    expect(level).toBe('full')
    const lines = markdown.split('\n')
    expect(lines[0]).toBe('## Cognito compliance audit')
    expect(lines[2]).toBe('### ❌ 1 violation in 1 of 3 user pools in 2 regions')
    expect(markdown.indexOf('| User pool | Region | Threat protection |')).toBeGreaterThan(0)
  })

  it('escapes resource names and messages (pipes, HTML) and fences remediation safely', () => {
    const { markdown } = renderSummary(failing, { failOn: 'violation' })
    expect(markdown).toContain('prod &#124; users &lt;script&gt;')
    expect(markdown).not.toContain('<script>')
    expect(markdown).toContain('Threat protection is OFF &#124; needs &lt;AUDIT&gt;')
    expect(markdown).toContain(
      '````\naws cognito-idp update-user-pool --user-pool-id us-east-1_a\n```\nnot a fence break\n````',
    )
  })

  it('says compliant when nothing fails or errors', () => {
    const ok = resultOf(snap, [finding({ status: 'pass', poolId: a.id }), finding({ status: 'exempt', poolId: b.id })])
    expect(renderSummary(ok, { failOn: 'violation' }).markdown).toContain(
      '### ✅ Compliant: 3 user pools in 2 regions meet the policy (1 exempt)',
    )
  })

  it('never calls an unverifiable audit compliant', () => {
    const r = resultOf(snap, [finding({ status: 'error', poolId: a.id })])
    expect(renderSummary(r, { failOn: 'violation' }).markdown).toContain(
      '### ⚠️ No violations found, but 1 requirement could not be verified',
    )
  })

  it('states the request rates of a live audit in the method section: the share, then each bucket per region', () => {
    const live = {
      ...failing,
      quotaRates: [
        {
          region: 'us-east-1',
          share: 0.5,
          rates: [
            { category: 'cognito:UserPoolRead', quota: 40, source: 'applied' as const, rate: 20 },
            { category: 'cloudtrail:LookupEvents', quota: 2, source: 'default' as const, rate: 1 },
          ],
        },
        {
          region: 'eu-west-1',
          share: 0.5,
          rates: [{ category: 'cognito:UserPoolRead', quota: 15, source: 'default' as const, rate: 7.5 }],
          note: 'Service Quotas not read (AccessDeniedException): AWS default quotas',
        },
      ],
    }
    const { markdown } = renderSummary(live, { failOn: 'violation' })
    expect(markdown).toContain(
      '- Request rates: at most 50 % of each per-region quota (<code>max-quota-share</code>); adaptive retry on throttling.\n' +
        '  - <code>us-east-1</code>: cognito:UserPoolRead 20/s of 40/s applied, cloudtrail:LookupEvents 1/s of 2/s.\n' +
        '  - <code>eu-west-1</code>: cognito:UserPoolRead 7.5/s of 15/s (Service Quotas not read (AccessDeniedException): AWS default quotas).',
    )
    expect(renderSummary(failing, { failOn: 'violation' }).markdown).not.toContain('Request rates')
  })

  it('degrades to failures only, then to counts, to stay under the size limit', () => {
    const many = Array.from({ length: 400 }, (_, i) => pool(`us-east-1_p${i}`, `pool-${i}`))
    const s = snapshotOf(many)
    const r = resultOf(s, [
      ...many.map((p) => finding({ status: 'pass', poolId: p.id })),
      finding({ status: 'fail', poolId: 'us-east-1_p7', poolName: 'pool-7', message: 'OFF' }),
    ])
    const full = renderSummary(r, { failOn: 'violation' })
    expect(full.level).toBe('full')
    const size = Buffer.byteLength(full.markdown)
    const failures = renderSummary(r, { failOn: 'violation', maxBytes: size - 1, reportPath: 'out/report.json' })
    expect(failures.level).toBe('failures')
    expect(failures.markdown).toContain('pool-7')
    expect(failures.markdown).not.toContain('pool-8<br>')
    expect(failures.markdown).toContain('shortened to failures only')
    const counts = renderSummary(r, { failOn: 'violation', maxBytes: 600 })
    expect(counts.level).toBe('counts')
    expect(counts.markdown).toContain('❌ 1 violation · ⚠️ 0 not verified')
    expect(counts.markdown).not.toContain('| User pool |')
  })
})

describe('JSON report and terminal', () => {
  it('carries the version, verdict, per-pool requirement statuses and every finding', () => {
    const r = resultOf(snap, [finding({ status: 'fail', poolId: a.id }), finding({ status: 'pass', poolId: b.id })])
    const json = buildJsonReport(r, 'violation', '1 policy violation')
    expect(json.reportVersion).toBe(1)
    expect(json.verdict).toMatchObject({
      compliant: false,
      failed: true,
      reason: '1 policy violation',
      violations: 1,
      pools: 3,
    })
    expect(json.pools.find((p) => p.id === a.id)).toMatchObject({
      found: true,
      requirements: { 'threat-protection': 'fail' },
    })
    expect(json.findings).toHaveLength(2)
  })

  it('prints a table and the verdict without colour codes when colour is off', () => {
    const r = resultOf(snap, [finding({ status: 'fail', poolId: a.id, remediation: 'do X' })])
    const text = renderTerminal(r, { color: false })
    expect(text).not.toContain('\u001b[')
    expect(text).toContain('FAIL')
    // Verdict and table first; one line per finding with its fix command; the full remediation with --details.
    expect(text.split('\n')[2]).toBe('❌ 1 violation in 1 of 3 user pools in 2 regions')
    expect(text).toContain('FAIL [threat-protection] us-east-1_a: Threat protection is off. a message\n  fix: do X')
    expect(text).not.toContain('  | do X')
    expect(renderTerminal(r, { color: false, details: true })).toContain('  | do X')
  })

  it('prints each explanatory note once per run, not once per finding', () => {
    const note = 'Note: AWS spells this metric two ways.'
    const r = resultOf(snap, [
      finding({
        status: 'fail',
        poolId: a.id,
        remediation: `aws cloudwatch put-metric-alarm \\\n  --alarm-name x\n${note}`,
      }),
      finding({
        status: 'fail',
        poolId: b.id,
        remediation: `aws cloudwatch put-metric-alarm \\\n  --alarm-name y\n${note}`,
      }),
    ])
    for (const details of [false, true]) {
      const text = renderTerminal(r, { color: false, details })
      expect(text.split(note).length - 1).toBe(1)
    }
    expect(renderTerminal(r, { color: false })).toContain('  fix: aws cloudwatch put-metric-alarm --alarm-name x')
  })

  it('shortens a long pool name in the terminal table but keeps the whole id', () => {
    const long = pool('us-east-1_Long', `${'x'.repeat(120)}`)
    const r = resultOf(snapshotOf([long]), [finding({ status: 'pass', poolId: long.id })])
    const row = renderTerminal(r, { color: false })
      .split('\n')
      .find((l) => l.includes('us-east-1_Long'))
    expect(row).toMatch(/^x+… \(us-east-1_Long\)/)
  })
})

describe('job summary degrades in steps and keeps activity as long as it can', () => {
  it('full → compact (overview table, no charts) → failures → brief (one line each) → counts', async () => {
    const { reportPolicy, reportSnapshot } = await import('./activity-fixture.js')
    const s = reportSnapshot()
    const web = itemsOf(s.regions[0]!.cognito.pools)[0]!
    const r = resultOf(
      s,
      [
        finding({
          status: 'fail',
          poolId: web.id,
          poolName: web.name,
          remediation: 'x'.repeat(3000),
          message: 'broken',
        }),
      ],
      reportPolicy(),
    )
    const full = renderSummary(r, { failOn: 'violation' })
    expect(full.level).toBe('full')
    expect(full.markdown).toContain('```mermaid')
    expect(full.markdown).toContain('| Pool | Sign-in requests | Failure rate |')
    const at = (max: number) => renderSummary(r, { failOn: 'violation', maxBytes: max })
    const compact = at(Buffer.byteLength(full.markdown) - 1)
    expect(compact.level).toBe('compact')
    expect(compact.markdown).toContain('shortened to an activity overview')
    expect(compact.markdown).toContain('| Pool | Sign-in requests | Failure rate |')
    expect(compact.markdown).not.toContain('```mermaid')
    expect(compact.markdown).toContain('x'.repeat(3000))
    const brief = at(Buffer.byteLength(compact.markdown) - 2000)
    expect(['failures', 'brief']).toContain(brief.level)
    const oneLine = at(3000)
    expect(oneLine.level).toBe('brief')
    expect(oneLine.markdown).toContain('shortened to one line per failure')
    expect(oneLine.markdown).toContain('- ❌ Threat protection is off: ')
    expect(oneLine.markdown).toContain('broken')
    expect(oneLine.markdown).not.toContain('xxxxxxxx')
    expect(oneLine.markdown).toContain('| Pool | Sign-in requests |')
    for (const x of [full, compact, brief, oneLine])
      expect(Buffer.byteLength(x.markdown)).toBeLessThanOrEqual(
        x === full ? Number.POSITIVE_INFINITY : Buffer.byteLength(full.markdown),
      )
  })
})

describe('activity without a threshold', () => {
  it('is "— not judged" in the table and "not judged" in the terminal, never ✅ or ok', () => {
    const base = testPolicy()
    const policy = { ...base, activity: { ...base.activity, enabled: true } }
    const r = resultOf(
      snapshotOf([a]),
      [
        finding({ status: 'pass', poolId: a.id }),
        finding({
          status: 'pass',
          poolId: a.id,
          requirement: 'activity',
          checkId: 'activity-sign-in-failure-rate',
          notJudged: true,
        }),
      ],
      policy,
    )
    const row = renderSummary(r, { failOn: 'violation' })
      .markdown.split('\n')
      .find((l) => l.includes('us-east-1_a'))!
    expect(row.endsWith('| ✅ | — not judged |')).toBe(true)
    const line = renderTerminal(r, { color: false })
      .split('\n')
      .find((l) => l.includes('us-east-1_a'))!
    expect(line).toMatch(/ok\s+not judged\s*$/)
  })
})

describe('region-level errors in the pools × requirements table', () => {
  it('paint a pool only when they concern it (an error about one name pattern leaves the other pools alone)', () => {
    const shop = pool('eu-west-1_s', 'shop')
    const pay = pool('eu-west-1_p', 'pay-1')
    const scoped = finding({
      status: 'error',
      checkId: 'pool-exists',
      region: 'eu-west-1',
      message: 'the pools matching "pay-*" are not in the saved snapshot',
      evidence: { awsError: { resource: 'pay-*' } },
    })
    const everywhere = finding({
      status: 'error',
      checkId: 'cloudtrail-capture',
      requirement: 'cloudtrail',
      region: 'eu-west-1',
    })
    const rows = buildMatrix(resultOf(snapshotOf([shop, pay]), [scoped, everywhere]))
    const cell = (id: string) => rows.find((r) => r.poolId === id)!.cells
    expect(cell('eu-west-1_s')['threat-protection']).toBe('none')
    expect(cell('eu-west-1_p')['threat-protection']).toBe('error')
    expect(cell('eu-west-1_s').cloudtrail).toBe('error')
  })
})
