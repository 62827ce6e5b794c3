/**
 * Several trails together: each trail delivers what its own selectors match, so reads recorded by one
 * logging trail and writes by another record every Cognito management event. The region is judged on
 * what its logging trails record together, naming them; "logging" and management-event semantics stay
 * per trail (a stopped trail contributes nothing).
 */
import { describe, expect, it } from 'vitest'
import { cloudTrailCapture } from '../../../../src/checks/cloudtrail/capture.js'
import { CLOUDTRAIL_POLICY_DEFAULTS, type CloudTrailPolicy } from '../../../../src/checks/cloudtrail/policy.js'
import { runCheck } from '../../../../src/checks/index.js'
import type { CloudTrailRegion, TrailRecord } from '../../../../src/model/cloudtrail.js'
import type { Finding } from '../../../../src/model/finding.js'
import { type AccountSnapshot, loaded, SNAPSHOT_SCHEMA_VERSION } from '../../../../src/model/snapshot.js'
import { testPolicy } from '../../../support/policy.js'
import { pool } from '../../../support/pools.js'

const NOW = '2026-11-20T12:00:00.000Z'
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString()
const ARN = (name: string) => `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`

function trail(name: string, overrides: Partial<TrailRecord> = {}): TrailRecord {
  return {
    name,
    arn: ARN(name),
    homeRegion: 'us-east-1',
    isMultiRegion: false,
    isOrganization: false,
    logFileValidation: true,
    s3BucketName: 'audit-logs',
    status: { isLogging: true, latestDeliveryTime: hoursAgo(1), startLoggingTime: hoursAgo(500) },
    selectors: { eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
    errors: [],
    ...overrides,
  }
}
const readOnly = (name: string, o: Partial<TrailRecord> = {}) =>
  trail(name, { selectors: { eventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }, ...o })
const writeOnly = (name: string, o: Partial<TrailRecord> = {}) =>
  trail(name, { selectors: { eventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }, ...o })

function snap(trails: TrailRecord[]): AccountSnapshot {
  const cloudtrail: CloudTrailRegion = { trails: loaded(trails), otherRegionTrails: [], errors: [] }
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: NOW,
    regions: [{ region: 'us-east-1', cognito: { pools: loaded([pool()]), missing: [], errors: [] }, cloudtrail }],
  }
}
function only(trails: TrailRecord[], ctp: Partial<CloudTrailPolicy> = {}): Finding {
  const f = runCheck(
    cloudTrailCapture,
    snap(trails),
    testPolicy({ cloudtrail: { ...CLOUDTRAIL_POLICY_DEFAULTS, ...ctp } }),
  )
  expect(f).toHaveLength(1)
  return f[0]!
}

describe('cloudtrail-capture: trails judged together', () => {
  it('passes reads recorded by one trail and writes by another, naming both and what each records', () => {
    const f = only([readOnly('reads'), writeOnly('writes')])
    expect(f.status).toBe('pass')
    expect(f.message).toContain('together')
    expect(f.message).toContain('"reads"')
    expect(f.message).toContain('"writes"')
    expect(f.message).toMatch(/"writes" records Cognito's write events/)
    expect(f.message).toMatch(/"reads" records Cognito's read-only events/)
    expect(f.evidence).toMatchObject({ together: ['reads', 'writes'] })
  })

  it('also with advanced selectors (readOnly true on one trail, false on the other)', () => {
    const adv = (name: string, ro: string) =>
      trail(name, {
        selectors: {
          advancedEventSelectors: [
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Management'] },
                { Field: 'readOnly', Equals: [ro] },
              ],
            },
          ],
        },
      })
    expect(only([adv('ro', 'true'), adv('rw', 'false')]).status).toBe('pass')
  })

  it('a stopped trail contributes nothing: "active" stays per trail', () => {
    const f = only([readOnly('reads', { status: { isLogging: false } }), writeOnly('writes')])
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/"reads" is not logging/)
  })

  it('a trail that excludes management events contributes nothing', () => {
    const noMgmt = trail('data-only', {
      selectors: { eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }] },
    })
    expect(only([noMgmt, writeOnly('writes')]).status).toBe('fail')
  })

  it('a trail that excludes the Cognito event source contributes nothing for Cognito', () => {
    const excluding = readOnly('reads', {
      selectors: {
        eventSelectors: [
          {
            ReadWriteType: 'ReadOnly',
            IncludeManagementEvents: true,
            ExcludeManagementEventSources: ['cognito-idp.amazonaws.com'],
          },
        ],
      },
    })
    expect(only([excluding, writeOnly('writes')]).status).toBe('fail')
  })

  it('two write-only trails together still miss read-only events', () => {
    const f = only([writeOnly('w1'), writeOnly('w2')])
    expect(f.status).toBe('fail')
  })

  it('a trail that records everything still decides alone (no combination named)', () => {
    const f = only([trail('all'), readOnly('reads')])
    expect(f.status).toBe('pass')
    expect(f.message).not.toContain('together')
    expect(f.resource).toBe(ARN('all'))
  })

  it('a required setting missing on a contributing trail fails, naming the trail', () => {
    const f = only([readOnly('reads', { logFileValidation: false }), writeOnly('writes')], {
      logFileValidation: 'require',
    })
    expect(f.status).toBe('fail')
    expect(f.message).toMatch(/together record Cognito events .*, but the policy requires more/)
    expect(f.message).toContain('"reads" has no log file validation')
  })

  it('an unreadable trail next to two that together record everything does not matter', () => {
    const unreadable = trail('unknown', { status: undefined, errors: [] })
    expect(only([unreadable, readOnly('reads'), writeOnly('writes')]).status).toBe('pass')
  })
})
