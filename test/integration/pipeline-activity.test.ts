/**
 * The activity checks and the activity report through the full pipeline (ListMetrics, one batched
 * GetMetricData per region, paginated LookupEvents; real SDK clients over HTTP) against
 * examples/scenarios/activity-cases.yml: a steady pool, a pool with a credential-stuffing spike over two
 * app clients and throttling, a pool with too few sign-ins to judge, and a silent pool.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { type AuditResult, runAudit } from '../../src/audit.js'
import { silentLogger } from '../../src/model/logger.js'
import { parsePolicy } from '../../src/policy/load.js'
import { renderActivityMarkdown } from '../../src/report/activity.js'
import { renderSummary } from '../../src/report/summary.js'
import { createClients } from '../../src/sources/aws/clients.js'
import { liveSource } from '../../src/sources/aws/source.js'
import { savedSource } from '../../src/sources/saved/source.js'
import { audit, finding, usePipelineSandbox } from './helpers/pipeline.js'

const policy = (extra = '') => `
version: 1
regions: [us-east-1]
threat-protection:
  mode: AUDIT
  require-blocking: false
alarms:
  enabled: false
cloudtrail:
  enabled: false
activity:
  lookback: 24h
  event-pages: 1
  thresholds:
    max-sign-in-failure-rate: 20
    min-sign-in-attempts: 20
    max-throttles: 10
${extra}`

describe('activity through the whole pipeline', () => {
  const ctx = usePipelineSandbox('examples/scenarios/activity-cases.yml')
  let result: AuditResult
  let personal: AuditResult
  beforeAll(async () => {
    result = await audit(policy())
    personal = await audit(`${policy()}report:\n  personal-data: true\n`)
  })
  const rate = (pool: string) => finding(ctx, result, 'activity-sign-in-failure-rate', pool)

  it('reads the metrics of every pool of the region in one GetMetricData call and one ListMetrics', () => {
    expect(result.calls['cloudwatch:GetMetricData']).toBe(1)
    expect(result.calls['cloudwatch:ListMetrics']).toBe(1)
    // event-pages: 1 caps the event history at one page of 50.
    expect(result.calls['cloudtrail:LookupEvents']).toBe(1)
    expect(result.findings.filter((f) => f.status === 'error')).toEqual([])
  })

  it('sums both app clients: 12,200 sign-ins, 2,982 failed (SampleCount − Sum), 24.4 % > 20 %', () => {
    const f = rate('spike')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('24.4%')
    expect(f.message).toContain('2,982')
    expect(f.message).toContain('12,200')
  })

  it('passes the steady pool and does not judge a pool with too few sign-ins', () => {
    expect(rate('steady').status).toBe('pass')
    expect(rate('steady').message).toContain('3.0%')
    const few = rate('few')
    expect(few.status).toBe('pass')
    expect(few.message).toMatch(/6 sign-in attempts?.*fewer than the 20/)
  })

  it('fails the throttle threshold on the throttled pool only (20 an hour for three hours)', () => {
    const t = finding(ctx, result, 'activity-throttles', 'spike')
    expect(t.status).toBe('fail')
    expect(t.message).toContain('60 throttled requests in the last 24 h, above the limit of 10')
    expect(finding(ctx, result, 'activity-throttles', 'steady').status).toBe('pass')
  })

  it('breaks failures down by CloudTrail error code, attributed by app client, and says the page budget cut it', () => {
    const md = renderActivityMarkdown(result.snapshot, result.policy)
    const b = result.snapshot.regions[0]!.activity!.breakdown!
    expect(b).toMatchObject({ pagesRead: 1, pageBudget: 1, eventsRead: 50, partial: true })
    const spikeId = ctx.seeded.pools.spike!
    const spike = b.failures.filter((x) => x.poolId === spikeId)
    expect(spike.length).toBeGreaterThan(0)
    expect(spike.every((x) => x.eventName === 'InitiateAuth')).toBe(true)
    expect(md).toContain('The CloudTrail breakdown covers only the events since')
    expect(md).toContain('NotAuthorizedException')
  })

  it('paginates GetMetricData over HTTP: with 50 datapoints a page the numbers are the same', async () => {
    ctx.sandbox.proxy.state.metricDataPageLimit = 50
    try {
      const paged = await audit(policy())
      expect(paged.calls['cloudwatch:GetMetricData']).toBeGreaterThan(result.calls['cloudwatch:GetMetricData']!)
      expect(paged.snapshot.regions[0]!.activity!.metrics).toEqual(result.snapshot.regions[0]!.activity!.metrics)
      const key = (r: AuditResult) => r.findings.map((f) => `${f.checkId} ${f.poolId} ${f.status} ${f.message}`)
      expect(key(paged)).toEqual(key(result))
    } finally {
      ctx.sandbox.proxy.state.metricDataPageLimit = undefined
    }
  })

  it('keeps subs and IP addresses out of the summary unless the policy opts in, then only as top-5 counts', () => {
    const md = renderActivityMarkdown(result.snapshot, result.policy)
    expect(md).not.toMatch(/Users \(sub\)|Source IP addresses/)
    expect(JSON.stringify(result.snapshot)).not.toMatch(/"sourceIPAddress"|"sub":/)
    const withPersonal = renderActivityMarkdown(personal.snapshot, personal.policy)
    expect(withPersonal).toMatch(/Source IP addresses with failures: \d+ distinct; top: /)
  })

  it('a snapshot saved with 24 h of activity, audited with a 72 h policy: the thresholds are errors, and the method says 24 h', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'activity-window-'))
    try {
      const file = join(dir, 'snapshot.json')
      const live = await runAudit({
        policy: parsePolicy(policy(), 'policy.yml'),
        source: liveSource({ clients: createClients() }),
        saveSnapshotPath: file,
        log: silentLogger,
      })
      expect(live.snapshot.collected?.activity?.lookbackHours).toBe(24)
      const judged = live.findings.filter((f) => f.checkId.startsWith('activity-'))
      expect(judged.some((f) => f.status === 'fail')).toBe(true)

      const longer = parsePolicy(policy().replace('lookback: 24h', 'lookback: 72h'), 'policy.yml')
      const replay = await runAudit({ policy: longer, source: savedSource(file), log: silentLogger })
      const activity = replay.findings.filter((f) => f.checkId.startsWith('activity-'))
      // The same pools and thresholds, none judged over the 24 h the snapshot holds.
      expect(activity.map((f) => `${f.checkId} ${f.poolId}`).sort()).toEqual(
        judged.map((f) => `${f.checkId} ${f.poolId}`).sort(),
      )
      for (const f of activity) {
        expect(f.status).toBe('error')
        expect(f.message).toContain('The saved snapshot holds 24 h of activity; the policy asks for 72 h.')
      }
      expect(replay.compliant).toBe(false)
      const method = renderSummary(replay, { failOn: 'violation' })
        .markdown.split('\n')
        .find((l) => l.startsWith('- Activity:'))
      expect(method).toContain('metrics over the last 24 h ending at the last whole hour')
      expect(method).toContain('the policy asks for 72 h, so no activity threshold is judged')
      expect(method).not.toContain('last 72 h')

      // With the lookback it holds, the replay judges as the live run did.
      const same = await runAudit({
        policy: parsePolicy(policy(), 'policy.yml'),
        source: savedSource(file),
        log: silentLogger,
      })
      const verdict = (r: AuditResult) => r.findings.map((f) => `${f.checkId} ${f.poolId} ${f.status}`).sort()
      expect(verdict(same)).toEqual(verdict(live))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
