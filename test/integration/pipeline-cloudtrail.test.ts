/**
 * The CloudTrail check through the full pipeline against the sandbox (moto's trails, status and both
 * kinds of event selectors). Two accounts, seeded one after the other in the same sandbox:
 *  - a multi-region trail homed in us-east-1 that captures both audited regions;
 *  - one region per way of not capturing: stopped, ReadOnly, WriteOnly, advanced selectors excluding
 *    Cognito, and a region whose only trail is single-region in another region (plus its home region,
 *    which passes).
 */

import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/audit.js'
import { audit, regionFindingOf, usePipelineSandbox } from './helpers/pipeline.js'

const policy = (regions: string[], extra = '') => `
version: 1
regions: [${regions.join(', ')}]
alarms:
  enabled: false
activity:
  enabled: false
${extra}`

const GAP_REGIONS = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ca-central-1',
  'sa-east-1',
  'ap-southeast-2',
  'ap-northeast-1',
]

describe('cloudtrail-capture through the whole pipeline', () => {
  const ctx = usePipelineSandbox('test/integration/scenarios/cloudtrail-multi-region.yml')

  describe('an active multi-region trail recording all management events', () => {
    let result: AuditResult
    beforeAll(async () => {
      result = await audit(policy(['us-east-1', 'eu-west-1']))
    })

    it('passes its home region and the region that sees it as a shadow trail, naming the trail', () => {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const f = regionFindingOf(result, 'cloudtrail-capture', region)
        expect(f.status).toBe('pass')
        expect(f.message).toMatch(/Trail "org-all-regions" \(multi-region, home region us-east-1\) is logging/)
        expect(f.resource).toBe(ctx.seeded.trails['org-all-regions'])
      }
      expect(result.compliant).toBe(true)
    })

    it('describes the trail once, not once per region that shows it', () => {
      expect(result.calls['cloudtrail:DescribeTrails']).toBe(2)
      expect(result.calls['cloudtrail:GetTrailStatus']).toBe(1)
      expect(result.calls['cloudtrail:GetEventSelectors']).toBe(1)
    })
  })

  describe('one region per way of not capturing Cognito events', () => {
    let result: AuditResult
    let acceptWriteOnly: AuditResult
    beforeAll(async () => {
      await ctx.sandbox.reset()
      ctx.seeded = await ctx.sandbox.seed('test/integration/scenarios/cloudtrail-gaps.yml')
      result = await audit(policy(GAP_REGIONS))
      acceptWriteOnly = await audit(policy(GAP_REGIONS, 'cloudtrail:\n  accept-write-only: true\n'))
    })
    const capture = (region: string, r = result) => regionFindingOf(r, 'cloudtrail-capture', region)

    it('gives every audited region exactly one verdict and no errors', () => {
      expect(
        result.findings
          .filter((f) => f.checkId === 'cloudtrail-capture')
          .map((f) => f.region)
          .sort(),
      ).toEqual([...GAP_REGIONS].sort())
      expect(result.findings.filter((f) => f.status === 'error')).toEqual([])
      expect(result.compliant).toBe(false)
    })

    it('fails a stopped trail, naming it', () => {
      const f = capture('us-east-1')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/trail "stopped-trail" .* is not logging/)
      expect(f.resource).toBe(ctx.seeded.trails['stopped-trail'])
      expect(f.remediation).toMatch(/start-logging/)
    })

    it('fails a ReadOnly trail: it misses InitiateAuth', () => {
      const f = capture('us-west-2')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/trail "read-only-trail" .* does not record Cognito's InitiateAuth/)
      expect(f.message).toMatch(/records only read-only events/)
    })

    it('fails a WriteOnly trail by default: it misses the read-only events', () => {
      const f = capture('eu-west-1')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/trail "write-only-trail" .* does not record Cognito's read-only/)
      expect(f.message).toMatch(/records only write events/)
    })

    it('accepts the WriteOnly trail when the policy says accept-write-only, and nothing else changes', () => {
      const f = capture('eu-west-1', acceptWriteOnly)
      // Accepted partial capture: a warning (not counted as a violation), still naming the trail.
      expect(f.status).toBe('warn')
      expect(f.message).toMatch(/write-only-trail/)
      // ap-northeast-1's advanced `readOnly Equals false` is the same partial capture.
      expect(capture('ap-northeast-1', acceptWriteOnly).status).toBe('warn')
      for (const region of GAP_REGIONS.filter((r) => r !== 'eu-west-1' && r !== 'ap-northeast-1')) {
        expect(capture(region, acceptWriteOnly).status).toBe(capture(region).status)
      }
    })

    it('fails advanced selectors with eventSource NotEquals cognito-idp.amazonaws.com, quoting the selector', () => {
      const f = capture('eu-central-1')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/trail "no-cognito-trail" .* records no Cognito events/)
      expect(f.message).toContain('eventSource NotEquals "cognito-idp.amazonaws.com"')
    })

    it('passes the home region of a single-region trail and fails the region that has none', () => {
      expect(capture('ca-central-1').status).toBe('pass')
      expect(capture('ca-central-1').message).toMatch(
        /Trail "canada-only-trail" \(single-region, home region ca-central-1\)/,
      )
      const f = capture('sa-east-1')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/No trail records Cognito events in sa-east-1/)
      expect(f.message).toMatch(/"canada-only-trail" \(ca-central-1\)/)
    })

    it('fails a trail that excludes cognito-idp.amazonaws.com from management events; the fix keeps its data events', () => {
      const f = capture('ap-southeast-2')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/trail "excludes-cognito-trail" .* records no Cognito events/)
      expect(f.message).toContain('excludes the event source cognito-idp.amazonaws.com')
      expect(f.remediation).toContain('put-event-selectors')
      expect(f.remediation).toContain('arn:aws:s3:::audit-bucket/')
      expect(f.remediation).toContain('keeps its 1 other selector (data events)')
    })

    it('fails advanced selectors that keep only write events (readOnly Equals false) by default', () => {
      const f = capture('ap-northeast-1')
      expect(f.status).toBe('fail')
      expect(f.message).toMatch(/trail "write-events-trail" .* does not record Cognito's read-only Login_GET/)
      expect(f.message).toContain('readOnly Equals ["false"] omits "true"')
    })

    it('marks every pool of a failing region as failing (region-level findings apply to each pool)', () => {
      expect(result.counts.poolsFailing).toBe(7)
    })
  })
})
