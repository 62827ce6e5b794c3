/**
 * The full pipeline under the sandbox proxy's fault injection, against one mixed account where every
 * check has passes and failures:
 *  - every operation throttled half the time (each service's real error code): the verdicts are
 *    identical to a clean run, because the clients retry throttling with backoff;
 *  - one permission denied: the requirements that need it become `error` findings naming the
 *    permission, the run is not compliant (fails closed), the rest is unaffected, and nothing throws;
 *  - every operation the live source calls (the list is read from the code, so a new call cannot be
 *    forgotten), each denied and each throttled until its retries are exhausted: no requirement's
 *    status goes from fail, error or warn to pass, nothing the fault-free run judged disappears
 *    without an error in its region, and where the checks need the call an error names its permission.
 */

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Fault } from '../../sandbox/proxy.js'
import type { AuditResult } from '../../src/audit.js'
import type { Finding } from '../../src/model/finding.js'
import { renderActivityMarkdown } from '../../src/report/activity.js'
import { audit, finding, findingsOf, usePipelineSandbox, verdicts } from './helpers/pipeline.js'

const policy = `
version: 1
regions: [us-east-1, eu-west-1]
threat-protection:
  mode: ENFORCED
activity:
  thresholds:
    max-sign-in-failure-rate: 25
`

describe('the pipeline under injected faults', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/faults.yml')
  let clean: AuditResult
  beforeAll(async () => {
    clean = await audit(policy)
  })
  afterEach(() => {
    ctx.sandbox.faults.clear()
    ctx.sandbox.clearCalls()
  })

  it('a clean run has passes and failures from every collector and no errors (the baseline)', () => {
    expect(clean.findings.filter((f) => f.status === 'error')).toEqual([])
    const checks = (status: string) => new Set(clean.findings.filter((f) => f.status === status).map((f) => f.checkId))
    for (const id of ['threat-protection', 'threat-protection-enforcement', 'alarms-risk', 'alarms-throttles']) {
      expect(checks('pass')).toContain(id)
      expect(checks('fail')).toContain(id)
    }
    expect(checks('pass')).toContain('cloudtrail-capture')
    expect(checks('fail')).toContain('cloudtrail-capture')
    expect(checks('fail')).toContain('activity-sign-in-failure-rate')
    expect(checks('fail')).toContain('alarms-usage')
    expect(finding(ctx, clean, 'threat-protection-enforcement', 'f-good').status).toBe('pass')
    expect(finding(ctx, clean, 'alarms-risk', 'f-good', 'AccountTakeoverRisk').status).toBe('pass')
  })

  // Slow by design: after repeated throttling the SDK's adaptive retry mode lowers each client's send rate
  // towards its floor (0.5 requests/s), so this run takes ~30 s alone and up to ~100 s on a busy machine.
  it('with every operation throttled ~30% of the time, the findings are identical to a clean run', {
    timeout: 300_000,
  }, async () => {
    // The first call of each service is throttled for certain (so every service's throttling path is
    // exercised whatever the dice say); every other call half the time.
    ctx.sandbox.faults.set([
      { kind: 'throttle', service: 'cognito-idp', count: 1 },
      { kind: 'throttle', service: 'cloudwatch', count: 1 },
      { kind: 'throttle', service: 'cloudtrail', count: 1 },
      { kind: 'throttle', probability: 0.3 },
    ])
    // 12 attempts: a call is lost only if all of them are throttled, which would be an error finding and a
    // (correctly) different verdict. Not 50 %: each SDK client also has a retry quota (500 tokens, 5 per
    // retry, 1 back per success), which half the calls throttled drains in about 125 calls; after that a
    // throttled call is not retried and fails (an error, never a pass). At 50 % a CI run lost a call this
    // way (one throttle-alarm finding became an error).
    const throttled = await audit(policy, { maxAttempts: 12 })
    const injected = ctx.sandbox.calls().filter((c) => c.fault === 'throttle')
    // The faults really happened, across all three services, and were retried.
    expect(injected.length).toBeGreaterThan(10)
    // (servicequotas and sts are called once per region or run: throttled only on some runs)
    const services = new Set(injected.map((c) => c.service))
    for (const s of ['cognito-idp', 'cloudwatch', 'cloudtrail']) expect(services).toContain(s)
    const attempts = (r: AuditResult) => Object.values(r.calls).reduce((a, b) => a + b, 0)
    expect(attempts(throttled)).toBeGreaterThan(attempts(clean))
    expect(verdicts(throttled)).toEqual(verdicts(clean))
    expect(throttled.counts).toEqual(clean.counts)
    expect(throttled.compliant).toBe(clean.compliant)
  })

  it('with 30% of calls answered by a 5xx server error, the findings are identical to a clean run', async () => {
    ctx.sandbox.faults.set([{ kind: 'server-error', probability: 0.3, status: 503 }])
    const flaky = await audit(policy, { maxAttempts: 12 })
    expect(ctx.sandbox.calls().filter((c) => c.fault === 'server-error').length).toBeGreaterThan(5)
    expect(verdicts(flaky)).toEqual(verdicts(clean))
    expect(flaky.compliant).toBe(clean.compliant)
  })

  it('with DescribeRiskConfiguration denied, enforcement is an error naming the permission and the run fails closed', async () => {
    ctx.sandbox.faults.set([{ kind: 'access-denied', service: 'cognito-idp', operation: 'DescribeRiskConfiguration' }])
    const denied = await audit(policy)
    // The ENFORCED pools' enforcement can no longer be verified: error, never pass.
    for (const pool of ['f-good', 'f-weak']) {
      const errors = findingsOf(ctx, denied, 'threat-protection-enforcement', pool)
      expect(errors.length).toBeGreaterThan(0)
      for (const f of errors) {
        expect(f.status).toBe('error')
        expect(f.message).toContain('cognito-idp:DescribeRiskConfiguration')
      }
    }
    expect(denied.counts.error).toBeGreaterThan(0)
    expect(denied.compliant).toBe(false)
    // Everything that does not need the denied call keeps its verdict.
    const unaffected = (r: AuditResult) => verdicts(r).filter((v) => !v.startsWith('threat-protection-enforcement |'))
    expect(unaffected(denied)).toEqual(unaffected(clean))
    expect(finding(ctx, denied, 'threat-protection', 'f-good').status).toBe('pass')
  })

  it('with DescribeAlarms denied, every alarm requirement is an error naming cloudwatch:DescribeAlarms', async () => {
    ctx.sandbox.faults.set([{ kind: 'access-denied', service: 'cloudwatch', operation: 'DescribeAlarms' }])
    const denied = await audit(policy)
    const alarmFindings = denied.findings.filter((f) => f.checkId.startsWith('alarms-'))
    const cleanAlarmFindings = clean.findings.filter((f) => f.checkId.startsWith('alarms-'))
    expect(alarmFindings.length).toBeGreaterThan(0)
    for (const f of alarmFindings) {
      expect(f.status).toBe('error')
      expect(f.message).toContain('cloudwatch:DescribeAlarms')
    }
    // Each pool and region that had an alarm verdict still has one, now an error (the pass included).
    const keys = (fs: typeof alarmFindings) =>
      [...new Set(fs.map((f) => `${f.checkId} ${f.poolId ?? f.region}`))].sort()
    expect(keys(alarmFindings)).toEqual(keys(cleanAlarmFindings))
    expect(denied.compliant).toBe(false)
    const unaffected = (r: AuditResult) => verdicts(r).filter((v) => !v.startsWith('alarms-'))
    expect(unaffected(denied)).toEqual(unaffected(clean))
  })
  it('with GetMetricData denied, every activity threshold is an error naming cloudwatch:GetMetricData', async () => {
    ctx.sandbox.faults.set([{ kind: 'access-denied', service: 'cloudwatch', operation: 'GetMetricData' }])
    const denied = await audit(policy)
    // us-east-1's pools have metrics, so their numbers needed GetMetricData; eu-west-1's pool has none
    // (ListMetrics shows no series), so it needed no GetMetricData call and keeps its verdict.
    const usEast = denied.findings.filter((f) => f.checkId.startsWith('activity-') && f.region === 'us-east-1')
    expect(usEast.length).toBeGreaterThan(0)
    for (const f of usEast) {
      expect(f.status).toBe('error')
      expect(f.message).toContain('cloudwatch:GetMetricData')
    }
    expect(findingsOf(ctx, denied, 'activity-sign-in-failure-rate', 'f-audit')[0]?.status).toBe('error')
    expect(denied.compliant).toBe(false)
    const unaffected = (r: AuditResult) => verdicts(r).filter((v) => !/^activity-.* \| us-east-1_/.test(v))
    expect(unaffected(denied)).toEqual(unaffected(clean))
    expect(renderActivityMarkdown(denied.snapshot, denied.policy)).toContain('cloudwatch:GetMetricData')
  })

  it('with LookupEvents denied, the error-code breakdown says so and no verdict changes', async () => {
    ctx.sandbox.faults.set([{ kind: 'access-denied', service: 'cloudtrail', operation: 'LookupEvents' }])
    const denied = await audit(policy)
    expect(verdicts(denied)).toEqual(verdicts(clean))
    const md = renderActivityMarkdown(denied.snapshot, denied.policy)
    expect(md).toContain('cloudtrail:LookupEvents')
    expect(md).toMatch(/denied/)
  })

  // Every AWS operation the audit's live source calls, by service, and whether a check needs its answer
  // (then a failure is an error naming the permission; otherwise the audit carries on without it).
  const OPERATIONS: Record<string, { service: NonNullable<Fault['service']>; needed: boolean }> = {
    ListUserPools: { service: 'cognito-idp', needed: true },
    DescribeUserPool: { service: 'cognito-idp', needed: true },
    ListUserPoolClients: { service: 'cognito-idp', needed: true },
    DescribeRiskConfiguration: { service: 'cognito-idp', needed: true },
    DescribeAlarms: { service: 'cloudwatch', needed: true },
    ListMetrics: { service: 'cloudwatch', needed: true },
    GetMetricData: { service: 'cloudwatch', needed: true },
    DescribeTrails: { service: 'cloudtrail', needed: true },
    GetTrailStatus: { service: 'cloudtrail', needed: true },
    GetEventSelectors: { service: 'cloudtrail', needed: true },
    // The error-code breakdown only: it says the history could not be read, no threshold depends on it.
    LookupEvents: { service: 'cloudtrail', needed: false },
    // The account id (else taken from an ARN) and the applied quotas (else AWS's defaults).
    GetCallerIdentity: { service: 'sts', needed: false },
    ListServiceQuotas: { service: 'servicequotas', needed: false },
  }

  it('the list of operations is the one the live source calls (new XCommand( under src/sources/aws)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      )
    const called = new Set<string>()
    for (const f of files('src/sources/aws')) {
      const text = readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bnew (\w+)Command\(/g)) called.add(m[1]!)
      // Paginators call commands too: only Organizations' (list-accounts, not the audit) are used.
      const paginators = [...text.matchAll(/\bpaginate([A-Z]\w+)\b/g)].map((m) => m[1]!)
      if (!f.endsWith('organizations.ts')) expect(paginators, f).toEqual([])
    }
    expect([...called].sort()).toEqual(Object.keys(OPERATIONS).sort())
  })

  const key = (f: Finding) => [f.checkId, f.poolId ?? f.region, f.resource ?? ''].join(' | ')

  /** The fault-free run against a faulted one: what no fault may do. */
  function expectNoFalsePass(faulted: AuditResult, operation: string, kind: 'denied' | 'throttled') {
    const before = new Map(clean.findings.map((f) => [key(f), f.status]))
    // No status goes to pass from anything else (fail, error, warn …), and no pass appears from nowhere.
    const newPasses = faulted.findings
      .filter((f) => f.status === 'pass' && before.get(key(f)) !== 'pass')
      .map((f) => `${key(f)}: ${before.get(key(f)) ?? 'absent'} -> pass`)
    expect(newPasses, `${operation} ${kind}`).toEqual([])
    // Nothing judged before disappears unless an error in its region says why.
    const after = new Set(faulted.findings.map(key))
    const errorRegions = new Set(faulted.findings.filter((f) => f.status === 'error').map((f) => f.region))
    const dropped = clean.findings.filter((f) => !after.has(key(f)) && !errorRegions.has(f.region)).map(key)
    expect(dropped, `${operation} ${kind}`).toEqual([])
    const { service, needed } = OPERATIONS[operation]!
    const permission = `${service === 'cloudwatch' ? 'cloudwatch' : service}:${operation}`
    const naming = faulted.findings.filter((f) => f.status === 'error' && f.message.includes(permission))
    if (needed) {
      expect(naming.length, `${operation} ${kind}: an error names ${permission}`).toBeGreaterThan(0)
      expect(faulted.compliant).toBe(false)
    } else {
      // Not needed by any check: the verdicts stay the fault-free ones.
      expect(verdicts(faulted)).toEqual(verdicts(clean))
    }
  }

  for (const [operation, { service }] of Object.entries(OPERATIONS)) {
    it(`${operation} denied: no requirement passes that did not pass without the fault`, async () => {
      ctx.sandbox.faults.set([{ kind: 'access-denied', service, operation }])
      const faulted = await audit(policy, { maxAttempts: 2 })
      expect(ctx.sandbox.calls().some((c) => c.operation === operation && c.fault === 'access-denied')).toBe(true)
      expectNoFalsePass(faulted, operation, 'denied')
    })

    it(`${operation} throttled until retries are exhausted: no requirement passes that did not pass`, async () => {
      ctx.sandbox.faults.set([{ kind: 'throttle', service, operation }])
      const faulted = await audit(policy, { maxAttempts: 2 })
      const throttled = ctx.sandbox.calls().filter((c) => c.operation === operation && c.fault === 'throttle')
      // Retried (two attempts per call), then given up.
      expect(throttled.length).toBeGreaterThanOrEqual(2)
      expectNoFalsePass(faulted, operation, 'throttled')
    })
  }
})
