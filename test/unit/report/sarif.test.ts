import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../../src/audit.js'
import { alarmsSection } from '../../../src/checks/alarms/policy.js'
import { cloudTrailSection } from '../../../src/checks/cloudtrail/policy.js'
import { CHECKS, evaluate } from '../../../src/checks/index.js'
import type { Finding } from '../../../src/model/finding.js'
import { loadCloudFormation } from '../../../src/sources/cloudformation/index.js'
import { MAX_RESULTS, renderSarif, repoUri, SECURITY_SEVERITY } from '../../../src/report/sarif.js'
import { testPolicy } from '../../support/policy.js'
import { finding, pool, resultOf, snapshotOf } from '../../support/result.js'
import { sarifSchemaErrors } from '../../support/sarif-schema.js'

const REGION = 'eu-west-1'
const policy = (source = '.github/cognito-compliance.yml') =>
  testPolicy({
    source,
    regions: [REGION],
    threatProtection: { mode: 'ENFORCED' },
    alarms: alarmsSection.normalize({ enabled: true }, { regions: [REGION] }),
    cloudtrail: cloudTrailSection.normalize({ enabled: true }, { regions: [REGION] }),
  })

const TEMPLATE = `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolTier: PLUS
      UserPoolAddOns:
        AdvancedSecurityMode: AUDIT
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: false
      IsMultiRegionTrail: true
      S3BucketName: logs
`

async function plannedResult(text: string): Promise<{ root: string; result: AuditResult }> {
  const root = mkdtempSync(join(tmpdir(), 'sarif-'))
  const file = join(root, 'infra', 'auth stack.yml')
  mkdirSync(join(root, 'infra'))
  writeFileSync(file, text)
  const snapshot = await loadCloudFormation({ files: [file], region: REGION, root })
  const p = policy()
  return { root, result: resultOf(snapshot, evaluate(snapshot, p, '2026-12-07'), p) }
}

describe('SARIF of a planned template', () => {
  let root: string
  let result: AuditResult
  beforeAll(async () => {
    ;({ root, result } = await plannedResult(TEMPLATE))
  })

  it('is valid against the SARIF 2.1.0 JSON schema', () => {
    const { log } = renderSarif(result, { root })
    expect(sarifSchemaErrors(log)).toEqual([])
    expect(sarifSchemaErrors({ version: '2.1.0', runs: [{ tool: {} }] })).not.toEqual([]) // the validator bites
  }, 30_000)

  it('has one rule per check with title, level, security-severity and help', () => {
    const { log } = renderSarif(result, { root })
    const rules = log.runs[0]!.tool.driver.rules!
    expect(rules.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id))
    const tp = rules.find((r) => r.id === 'threat-protection')!
    expect(tp.shortDescription!.text).toBe('Threat protection is on')
    expect(tp.defaultConfiguration!.level).toBe('error')
    expect(tp.properties!['security-severity']).toBe(SECURITY_SEVERITY.high)
    expect(tp.help!.text).toMatch(/UserPoolAddOns\.AdvancedSecurityMode/)
    expect(rules.find((r) => r.id === 'alarms-throttles')!.defaultConfiguration!.level).toBe('warning')
    for (const r of rules) expect(r.fullDescription!.text.length).toBeLessThanOrEqual(1024)
  })

  it('puts each result at its file and line, relative to the repository root, URI-encoded', () => {
    const { log } = renderSarif(result, { root })
    const results = log.runs[0]!.results!
    const tp = results.find((r) => r.ruleId === 'threat-protection')!
    expect(tp.level).toBe('error')
    expect(tp.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'infra/auth%20stack.yml' },
      region: { startLine: 2, startColumn: 3 },
    })
    expect(tp.message.text).toMatch(/Threat protection is only AUDIT/)
    expect(tp.message.text).toMatch(/How to fix:/)
    const trail = results.find((r) => r.ruleId === 'cloudtrail-capture')!
    expect(trail.locations![0]!.physicalLocation!.region!.startLine).toBe(8)
    // Only what needs attention: no pass, no exemption.
    expect(results.map((r) => r.properties!.status)).not.toContain('pass')
    expect(results.every((r) => r.ruleIndex !== undefined && CHECKS[r.ruleIndex]!.id === r.ruleId)).toBe(true)
  })

  it('keeps its fingerprints when the resources move down the file and the messages change', async () => {
    const moved = await plannedResult(`# comment\n# comment\n${TEMPLATE}`)
    const a = renderSarif(result, { root }).log.runs[0]!.results!
    const b = renderSarif(
      { ...moved.result, findings: moved.result.findings.map((f) => ({ ...f, message: `${f.message} (reworded)` })) },
      { root: moved.root },
    ).log.runs[0]!.results!
    expect(b.map((r) => r.locations![0]!.physicalLocation!.region!.startLine)).not.toEqual(
      a.map((r) => r.locations![0]!.physicalLocation!.region!.startLine),
    )
    expect(b.map((r) => r.partialFingerprints)).toEqual(a.map((r) => r.partialFingerprints))
    // …and differ from one finding to another.
    const prints = a.map((r) => r.partialFingerprints!.primaryLocationLineHash)
    expect(new Set(prints).size).toBe(prints.length)
  })
})

describe('SARIF of live findings', () => {
  const live = () => {
    const p = pool('eu-west-1_Live', 'users', { advancedSecurityMode: 'OFF' })
    return snapshotOf([p])
  }

  it('points them at the policy file (code scanning shows no result without a file)', () => {
    const snapshot = live()
    const p = policy()
    const root = mkdtempSync(join(tmpdir(), 'sarif-'))
    const result = resultOf(snapshot, evaluate(snapshot, p, '2026-12-07'), p)
    const { log, unlocated } = renderSarif(result, { root })
    expect(unlocated).toBe(0)
    const r = log.runs[0]!.results!.find((x) => x.ruleId === 'threat-protection')!
    expect(r.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: '.github/cognito-compliance.yml' },
      region: { startLine: 1 },
    })
    expect(r.message.text).toMatch(/aws cognito-idp update-user-pool/)
    expect(sarifSchemaErrors(log)).toEqual([])
  })

  it('leaves them out with a notification when the policy came from inputs', () => {
    const snapshot = live()
    const p = policy('inputs')
    const result = resultOf(snapshot, evaluate(snapshot, p, '2026-12-07'), p)
    const { log, unlocated, results } = renderSarif(result, { root: tmpdir() })
    expect(results).toBe(0)
    expect(unlocated).toBeGreaterThan(0)
    const note = log.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!
    expect(note.message.text).toMatch(/left out: code scanning needs a file/)
    expect(sarifSchemaErrors(log)).toEqual([])
  })

  it('shows hidden characters of hostile names escaped', () => {
    const snapshot = snapshotOf([pool('us-east-1_A', 'x\u202eevil\u001b[2J')])
    const f = finding({ status: 'fail', poolId: 'us-east-1_A', poolName: 'x\u202eevil\u001b[2J' })
    const { log } = renderSarif(resultOf(snapshot, [f], policy()), { root: tmpdir() })
    const text = log.runs[0]!.results![0]!.message.text
    expect(text).toContain('x\\u202eevil\\x1b[2J')
    expect(text).not.toContain('\u202e')
    expect(text).not.toContain(String.fromCharCode(27))
  })
})

describe('SARIF limits', () => {
  const many = (n: number, message = 'm'): Finding[] =>
    Array.from({ length: n }, (_, i) =>
      finding({ status: 'fail', poolId: `us-east-1_P${i}`, poolName: `p${i}`, message }),
    )

  it('keeps at most 25,000 results per run, the worst first, and says how many were left out', () => {
    const findings = many(MAX_RESULTS + 7)
    const { log, truncated, results } = renderSarif(resultOf(snapshotOf([]), findings, policy()), { root: tmpdir() })
    expect(results).toBe(MAX_RESULTS)
    expect(truncated).toBe(7)
    expect(log.runs[0]!.results!.at(-1)!.message.text).toContain(`p${MAX_RESULTS - 1}:`)
    const notes = log.runs[0]!.invocations![0]!.toolExecutionNotifications!
    expect(notes.at(-1)!.message.text).toMatch(/^7 results left out to stay within code scanning's limits/)
  }, 30_000)

  it('stays under 10 MB gzipped, keeping the worst results', () => {
    // Messages that do not compress: 900 × 19 kB of random base64 is about 13 MB gzipped.
    const findings = Array.from({ length: 900 }, (_, i) =>
      finding({ status: 'fail', poolId: `us-east-1_P${i}`, message: randomBytes(14_000).toString('base64') }),
    )
    const { log, truncated, results } = renderSarif(resultOf(snapshotOf([]), findings, policy()), { root: tmpdir() })
    expect(truncated).toBeGreaterThan(100)
    expect(results + truncated).toBe(900)
    expect(gzipSync(JSON.stringify(log)).length).toBeLessThanOrEqual(10_000_000)
    expect(log.runs[0]!.results!.map((r) => r.message.text!.slice(0, 14))).toEqual(
      findings.slice(0, results).map((f) => `${f.poolId}: `.slice(0, 14)),
    )
    expect(sarifSchemaErrors(log)).toEqual([])
  }, 60_000)

  it('encodes paths as URI references', () => {
    expect(repoUri('a b/c#d.yml')).toBe('a%20b/c%23d.yml')
  })
})
