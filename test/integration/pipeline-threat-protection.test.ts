/**
 * The full pipeline (policy → real SDK clients over HTTP → checks) against one sandbox account holding
 * one pool per threat-protection case: off, AUDIT where ENFORCED is required, ENFORCED and blocking,
 * ENFORCED but allowing everything, ENFORCED without a risk configuration, an app client whose own
 * configuration weakens a good pool, and a pool id named in the policy that does not exist.
 */

import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/audit.js'
import { audit, finding, findingsOf, usePipelineSandbox } from './helpers/pipeline.js'
import { itemsOf } from '../support/pools.js'

const MISSING = 'us-east-1_Missing01'
const policy = `
version: 1
regions: [us-east-1]
pools:
  ids: [${MISSING}]
  names: ['tp-*']
threat-protection:
  mode: ENFORCED
  require-blocking: true
alarms:
  enabled: false
cloudtrail:
  enabled: false
activity:
  enabled: false
`

describe('threat protection through the whole pipeline', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/threat-protection.yml')
  let result: AuditResult
  beforeAll(async () => {
    result = await audit(policy)
  })

  it('audits every seeded pool, and only the checks the policy enables', () => {
    const audited = result.snapshot.regions.flatMap((r) => itemsOf(r.cognito.pools).map((p) => p.name)).sort()
    expect(audited).toEqual(['tp-allow-all', 'tp-audit', 'tp-good', 'tp-no-risk', 'tp-off', 'tp-weak-client'])
    expect(new Set(result.findings.map((f) => f.checkId))).toEqual(
      new Set(['pool-exists', 'threat-protection', 'threat-protection-enforcement']),
    )
    expect(result.compliant).toBe(false)
    // No AWS error on a clean run: every finding is a verdict.
    expect(result.findings.filter((f) => f.status === 'error')).toEqual([])
  })

  it('fails a pool whose threat protection is off', () => {
    const f = finding(ctx, result, 'threat-protection', 'tp-off')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/off; the policy requires ENFORCED/)
    expect(f.remediation).toBeTruthy()
  })

  it('fails a pool in AUDIT when the policy requires ENFORCED', () => {
    const f = finding(ctx, result, 'threat-protection', 'tp-audit')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/only AUDIT; the policy requires ENFORCED/)
  })

  it('passes an ENFORCED pool whose risk configuration blocks', () => {
    expect(finding(ctx, result, 'threat-protection', 'tp-good').status).toBe('pass')
    const f = finding(ctx, result, 'threat-protection-enforcement', 'tp-good')
    expect(f.status).toBe('pass')
    expect(f.message).toMatch(/blocks compromised credentials and high-risk sign-ins/)
    // Its app client has no configuration of its own, so it inherits the pool's: no client-level finding.
    expect(findingsOf(ctx, result, 'threat-protection-enforcement', 'tp-good')).toHaveLength(1)
  })

  it('fails an ENFORCED pool whose actions are all NO_ACTION (enforced in name only)', () => {
    // The mode itself is what the policy asks for ...
    expect(finding(ctx, result, 'threat-protection', 'tp-allow-all').status).toBe('pass')
    // ... but nothing is blocked.
    const f = finding(ctx, result, 'threat-protection-enforcement', 'tp-allow-all')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/ENFORCED in name only/)
    expect(f.message).toMatch(/compromised credentials are detected but not blocked \(EventAction NO_ACTION\)/)
    expect(f.message).toMatch(/high-risk account-takeover sign-ins are allowed \(NO_ACTION\)/)
    expect(f.remediation).toBeTruthy()
  })

  it('fails an ENFORCED pool without any risk configuration', () => {
    const f = finding(ctx, result, 'threat-protection-enforcement', 'tp-no-risk')
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/no risk configuration/)
  })

  it('fails an app client whose own risk configuration weakens a good pool, naming the client', () => {
    const clientId = ctx.seeded.clients['tp-weak-client/legacy-kiosk']!
    const all = findingsOf(ctx, result, 'threat-protection-enforcement', 'tp-weak-client')
    const failing = all.filter((f) => f.status === 'fail')
    expect(failing).toHaveLength(1)
    expect(failing[0]!.message).toMatch(/for this app client: its own risk configuration overrides the pool/)
    expect(failing[0]!.resource).toContain('legacy-kiosk')
    expect(failing[0]!.resource).toContain(clientId)
    // The pool level itself is fine, and the other client (web, inheriting) is not blamed.
    expect(all.filter((f) => f.status === 'pass')).toHaveLength(1)
    expect(all.some((f) => f.resource?.includes(ctx.seeded.clients['tp-weak-client/web']!))).toBe(false)
    expect(result.counts.poolsFailing).toBeGreaterThanOrEqual(5)
  })

  it('reports a pool id named in the policy that does not exist as a pool-exists violation', () => {
    const f = result.findings.filter((x) => x.checkId === 'pool-exists')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ poolId: MISSING, region: 'us-east-1', status: 'fail' })
    expect(f[0]!.message).toMatch(/no such user pool exists in us-east-1/)
  })

  it('made the calls issue 2 prescribes: one ListUserPools page, one Describe per pool, risk per pool and client override', () => {
    expect(result.calls['cognito-idp:ListUserPools']).toBe(1)
    expect(result.calls['cognito-idp:DescribeUserPool']).toBe(6)
    expect(result.calls['cognito-idp:ListUserPoolClients']).toBe(6)
    // Pool level for the 5 pools with threat protection on (the OFF pool too, if read) plus the app clients.
    expect(result.calls['cognito-idp:DescribeRiskConfiguration']).toBeGreaterThanOrEqual(6)
  })
})
