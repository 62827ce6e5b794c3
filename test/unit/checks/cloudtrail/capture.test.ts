import { describe, expect, it } from 'vitest'
import { cloudTrailCapture } from '../../../../src/checks/cloudtrail/capture.js'
import { cloudTrailRequirement } from '../../../../src/checks/cloudtrail/index.js'
import { CLOUDTRAIL_POLICY_DEFAULTS, type CloudTrailPolicy } from '../../../../src/checks/cloudtrail/policy.js'
import { mergedSelectors, recordAllManagementEvents } from '../../../../src/checks/cloudtrail/remediation.js'
import { runCheck } from '../../../../src/checks/index.js'
import type { CloudTrailRegion, TrailRecord } from '../../../../src/model/cloudtrail.js'
import type { Finding } from '../../../../src/model/finding.js'
import { type AccountSnapshot, type RegionSnapshot, SNAPSHOT_SCHEMA_VERSION } from '../../../../src/model/snapshot.js'
import type { Policy } from '../../../../src/policy/types.js'
import { testPolicy } from '../../../support/policy.js'
import { asListing, type CognitoInput, type ListInput, pool } from '../../../support/pools.js'

const NOW = '2026-11-20T12:00:00.000Z'
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString()

function trail(name: string, overrides: Partial<TrailRecord> = {}): TrailRecord {
  const homeRegion = overrides.homeRegion ?? 'us-east-1'
  return {
    name,
    arn: `arn:aws:cloudtrail:${homeRegion}:123456789012:trail/${name}`,
    homeRegion,
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

function ct(
  trails: TrailRecord[],
  extra: Partial<Omit<CloudTrailRegion, 'trails'>> & { trails?: ListInput<TrailRecord> } = {},
): CloudTrailRegion {
  return { otherRegionTrails: [], errors: [], ...extra, trails: asListing(extra.trails ?? trails) }
}

function region(name: string, cloudtrail: CloudTrailRegion | undefined, cognito?: CognitoInput): RegionSnapshot {
  const r: RegionSnapshot = {
    region: name,
    cognito: {
      missing: [],
      errors: [],
      ...cognito,
      pools: asListing(cognito?.pools ?? [pool({ region: name })]),
    },
  }
  if (cloudtrail) r.cloudtrail = cloudtrail
  return r
}

function snap(...regions: RegionSnapshot[]): AccountSnapshot {
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, collectedAt: NOW, regions }
}

function policy(ctp: Partial<CloudTrailPolicy> = {}): Policy {
  return testPolicy({ cloudtrail: { ...CLOUDTRAIL_POLICY_DEFAULTS, ...ctp } })
}

function run(s: AccountSnapshot, ctp: Partial<CloudTrailPolicy> = {}): Finding[] {
  return runCheck(cloudTrailCapture, s, policy(ctp))
}

function only(s: AccountSnapshot, ctp: Partial<CloudTrailPolicy> = {}): Finding {
  const f = run(s, ctp)
  expect(f).toHaveLength(1)
  return f[0] as Finding
}

describe('cloudtrail-capture check', () => {
  it('is registered with the cloudtrail requirement', () => {
    expect(cloudTrailRequirement.checks).toContain(cloudTrailCapture)
    expect(cloudTrailCapture.requirement).toBe('cloudtrail')
  })

  it('passes naming the capturing trail, as a region-level finding', () => {
    const f = only(snap(region('us-east-1', ct([trail('main')]))))
    expect(f.status).toBe('pass')
    expect(f.poolId).toBeUndefined()
    expect(f.region).toBe('us-east-1')
    expect(f.resource).toBe('arn:aws:cloudtrail:us-east-1:123456789012:trail/main')
    expect(f.message).toContain('"main"')
    expect(f.remediation).toBeUndefined()
  })

  it('emits nothing when the requirement is disabled', () => {
    expect(run(snap(region('us-east-1', ct([]))), { enabled: false })).toEqual([])
  })

  it('emits nothing for a region without audited or missing pools', () => {
    const empty = region('eu-west-1', ct([]), { pools: [] })
    expect(run(snap(empty))).toEqual([])
    const missing = region('eu-west-1', ct([]), { pools: [], missing: [{ selector: 'prod-*', kind: 'name' }] })
    expect(only(snap(missing)).status).toBe('fail')
  })

  it('is an error when trails were not collected for the region', () => {
    const f = only(snap(region('us-east-1', undefined)))
    expect(f.status).toBe('error')
    expect(f.message).toMatch(/^Could not verify/)
  })

  it('fails when no trail applies, with create-trail commands', () => {
    const f = only(snap(region('us-east-1', ct([]))))
    expect(f.status).toBe('fail')
    expect(f.message).toBe('No CloudTrail trail records events in us-east-1.')
    expect(f.remediation).toContain('aws cloudtrail create-trail')
    expect(f.remediation).toContain('--is-multi-region-trail')
    expect(f.remediation).toContain('aws cloudtrail start-logging')
    expect(f.remediation).toContain('AWS::CloudTrail::Trail')
  })

  it('fails when only single-region trails of other regions exist', () => {
    const other = { name: 'west', arn: 'arn:aws:cloudtrail:us-west-2:123456789012:trail/west', homeRegion: 'us-west-2' }
    const f = only(snap(region('us-east-1', ct([], { otherRegionTrails: [other] }))))
    expect(f.status).toBe('fail')
    expect(f.message).toContain('only single-region trails homed in other regions')
    expect(f.message).toContain('"west" (us-west-2)')
    expect(f.remediation).toContain(`update-trail --name ${other.arn} --is-multi-region-trail --region us-west-2`)
  })

  it('fails naming a stopped trail', () => {
    const t = trail('stopped', { status: { isLogging: false, stopLoggingTime: hoursAgo(3) } })
    const f = only(snap(region('us-east-1', ct([t]))))
    expect(f.status).toBe('fail')
    expect(f.severity).toBe('high')
    expect(f.message).toContain('"stopped"')
    expect(f.message).toContain('is not logging')
    expect(f.remediation).toContain(`aws cloudtrail start-logging --name ${t.arn} --region us-east-1`)
    expect(f.remediation).toContain('IsLogging: true')
  })

  it('fails on a delivery error', () => {
    const t = trail('broken', {
      status: { isLogging: true, latestDeliveryTime: hoursAgo(1), latestDeliveryError: 'AccessDenied' },
    })
    const f = only(snap(region('us-east-1', ct([t]))))
    expect(f.status).toBe('fail')
    expect(f.message).toContain('fails to deliver log files (AccessDenied)')
    expect(f.remediation).toContain('bucket audit-logs')
  })

  it('fails on a delivery older than max-delivery-age, and honours the setting', () => {
    const t = trail('stale', { status: { isLogging: true, latestDeliveryTime: hoursAgo(30) } })
    const f = only(snap(region('us-east-1', ct([t]))))
    expect(f.status).toBe('fail')
    expect(f.message).toContain('last delivered log files 30 h ago')
    expect(f.message).toContain('24 h')
    expect(only(snap(region('us-east-1', ct([t]))), { maxDeliveryAgeHours: 48 }).status).toBe('pass')
  })

  it('fails a logging trail that never delivered, unless it started within the allowed age', () => {
    const never = trail('never', { status: { isLogging: true, startLoggingTime: hoursAgo(100) } })
    expect(only(snap(region('us-east-1', ct([never])))).message).toContain('has no recorded log file delivery')
    const fresh = trail('fresh', { status: { isLogging: true, startLoggingTime: hoursAgo(1) } })
    expect(only(snap(region('us-east-1', ct([fresh])))).status).toBe('pass')
  })

  it('fails a ReadOnly trail: it misses InitiateAuth', () => {
    const t = trail('reads', { selectors: { eventSelectors: [{ ReadWriteType: 'ReadOnly' }] } })
    const f = only(snap(region('us-east-1', ct([t]))))
    expect(f.status).toBe('fail')
    expect(f.message).toContain('InitiateAuth')
    expect(f.remediation).toContain(`put-event-selectors --trail-name ${t.arn}`)
    expect(f.remediation).toContain('"ReadWriteType":"All"')
    expect(f.evidence?.trails).toEqual([
      expect.objectContaining({
        name: 'reads',
        dropped: ['InitiateAuth', 'RespondToAuthChallenge', 'SignUp', 'AdminInitiateAuth'],
      }),
    ])
  })

  it('fails a WriteOnly trail by default and warns when accept-write-only is set', () => {
    const t = trail('writes', { selectors: { eventSelectors: [{ ReadWriteType: 'WriteOnly' }] } })
    const rejected = only(snap(region('us-east-1', ct([t]))))
    expect(rejected.status).toBe('fail')
    expect(rejected.message).toContain('Login_GET')
    const accepted = only(snap(region('us-east-1', ct([t]))), { acceptWriteOnly: true })
    expect(accepted.status).toBe('warn')
    expect(accepted.message).toContain('"writes"')
    expect(accepted.message).toContain('accept-write-only')
    expect(accepted.remediation).toContain('put-event-selectors')
  })

  it('accept-write-only does not excuse a trail that also drops write events', () => {
    const t = trail('narrow', {
      selectors: {
        advancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'eventName', NotEquals: ['InitiateAuth', 'Login_GET'] },
            ],
          },
        ],
      },
    })
    const f = only(snap(region('us-east-1', ct([t]))), { acceptWriteOnly: true })
    expect(f.status).toBe('fail')
    const [evidence] = (f.evidence?.trails ?? []) as Array<{ problems: Array<{ kind: string; status: string }> }>
    expect(evidence?.problems.map((p) => [p.kind, p.status])).toEqual([
      ['drops-write-events', 'fail'],
      ['drops-read-only-events', 'fail'],
    ])
    expect(f.message).not.toContain('accepted')
  })

  it.each([
    [
      'NotEquals cognito-idp',
      [{ Field: 'eventSource', NotEquals: ['cognito-idp.amazonaws.com'] }],
      'records no Cognito events',
    ],
    ['NotStartsWith cognito', [{ Field: 'eventSource', NotStartsWith: ['cognito'] }], 'records no Cognito events'],
    [
      'an eventName allow-list without InitiateAuth',
      [
        {
          Field: 'eventName',
          Equals: ['SignUp', 'Login_GET', 'DescribeUserPool', 'ListUsers', 'RespondToAuthChallenge'],
        },
      ],
      "does not record Cognito's InitiateAuth, AdminInitiateAuth events",
    ],
  ])('fails advanced selectors excluding Cognito: %s', (_n, fields, text) => {
    const t = trail('adv', {
      selectors: {
        advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...fields] }],
      },
    })
    const f = only(snap(region('us-east-1', ct([t]))))
    expect(f.status).toBe('fail')
    expect(f.message).toContain(text)
    expect(f.remediation).toContain('--advanced-event-selectors')
  })

  it('passes on an organization trail homed in another region', () => {
    const org = trail('org', { homeRegion: 'us-east-1', isMultiRegion: true, isOrganization: true })
    const f = only(snap(region('eu-west-1', ct([org]))))
    expect(f.status).toBe('pass')
    expect(f.region).toBe('eu-west-1')
    expect(f.message).toContain('organization, multi-region, home region us-east-1')
  })

  it('passes in every region a multi-region trail covers', () => {
    const multi = trail('everywhere', { isMultiRegion: true })
    const f = run(
      snap(region('us-east-1', ct([multi])), region('eu-west-1', ct([multi])), region('ap-south-1', ct([multi]))),
    )
    expect(f.map((x) => [x.region, x.status])).toEqual([
      ['us-east-1', 'pass'],
      ['eu-west-1', 'pass'],
      ['ap-south-1', 'pass'],
    ])
  })

  it('the best trail wins; the others’ problems stay in the evidence', () => {
    const stopped = trail('a-stopped', { status: { isLogging: false } })
    const good = trail('b-good')
    const f = only(snap(region('us-east-1', ct([stopped, good]))))
    expect(f.status).toBe('pass')
    expect(f.resource).toContain('trail/b-good')
    const evidence = f.evidence?.trails as Array<{ name: string; verdict: string }>
    expect(evidence.map((t) => [t.name, t.verdict])).toEqual([
      ['b-good', 'pass'],
      ['a-stopped', 'fail'],
    ])
  })

  it('names every failing trail when none captures', () => {
    const stopped = trail('stopped', { status: { isLogging: false } })
    const reads = trail('reads', { selectors: { eventSelectors: [{ ReadWriteType: 'ReadOnly' }] } })
    const f = only(snap(region('us-east-1', ct([stopped, reads]))))
    expect(f.status).toBe('fail')
    expect(f.message).toContain('"stopped"')
    expect(f.message).toContain('"reads"')
  })

  describe('what cannot be verified is never a pass', () => {
    it('denied GetTrailStatus ⇒ error naming the trail and the permission', () => {
      const denied = trail('org', {
        isMultiRegion: true,
        isOrganization: true,
        status: undefined,
        errors: [
          {
            service: 'cloudtrail',
            action: 'GetTrailStatus',
            code: 'AccessDeniedException',
            message: 'not authorized',
            region: 'us-east-1',
            resource: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org',
          },
        ],
      })
      const f = only(snap(region('us-east-1', ct([denied]))))
      expect(f.status).toBe('error')
      expect(f.message).toContain('Could not verify trail "org"')
      expect(f.message).toContain('cloudtrail:GetTrailStatus')
      expect(f.remediation).toContain('cloudtrail:GetTrailStatus')
    })

    it('unreadable selectors ⇒ error', () => {
      const t = trail('t', {
        selectors: undefined,
        errors: [
          {
            service: 'cloudtrail',
            action: 'GetEventSelectors',
            code: 'TrailNotFoundException',
            message: 'x',
            region: 'us-east-1',
          },
        ],
      })
      const f = only(snap(region('us-east-1', ct([t]))))
      expect(f.status).toBe('error')
      expect(f.message).toContain('TrailNotFoundException')
      expect(f.remediation).toContain('management or delegated administrator account')
    })

    it('an unverifiable trail outranks verified failures (it might capture)', () => {
      const stopped = trail('stopped', { status: { isLogging: false } })
      const unknown = trail('unknown', { status: undefined })
      const f = only(snap(region('us-east-1', ct([stopped, unknown]))))
      expect(f.status).toBe('error')
      expect(f.message).toContain('Other trails: "stopped" is not logging')
    })

    it('a stopped trail is a failure even when its selectors could not be read', () => {
      const t = trail('t', { status: { isLogging: false }, selectors: undefined })
      expect(only(snap(region('us-east-1', ct([t])))).status).toBe('fail')
    })

    it('DescribeTrails denied ⇒ error with the permission', () => {
      const f = only(
        snap(
          region(
            'us-east-1',
            ct([], {
              errors: [
                {
                  service: 'cloudtrail',
                  action: 'DescribeTrails',
                  code: 'AccessDeniedException',
                  message: 'no',
                  region: 'us-east-1',
                },
              ],
            }),
          ),
        ),
      )
      expect(f.status).toBe('error')
      expect(f.message).toContain('cloudtrail:DescribeTrails')
    })
  })

  describe('optional trail settings', () => {
    const bare = () => trail('bare', { logFileValidation: false })

    it('are not checked by default', () => {
      expect(only(snap(region('us-east-1', ct([bare()])))).status).toBe('pass')
    })

    it.each([
      ['logFileValidation', '--enable-log-file-validation', 'EnableLogFileValidation'],
      ['kmsEncryption', '--kms-key-id', 'KMSKeyId'],
      ['cloudWatchLogs', '--cloud-watch-logs-log-group-arn', 'CloudWatchLogsLogGroupArn'],
    ] as const)('%s: warn ⇒ warn (medium), require ⇒ fail', (key, cli, cfn) => {
      const warn = only(snap(region('us-east-1', ct([bare()]))), { [key]: 'warn' })
      expect(warn.status).toBe('warn')
      expect(warn.severity).toBe('medium')
      expect(warn.remediation).toContain(cli)
      expect(warn.remediation).toContain(cfn)
      const fail = only(snap(region('us-east-1', ct([bare()]))), { [key]: 'require' })
      expect(fail.status).toBe('fail')
      expect(fail.severity).toBe('medium')
    })

    it('are met by a trail that has them', () => {
      const full = trail('full', {
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
        cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ct',
      })
      const settings = { logFileValidation: 'require', kmsEncryption: 'require', cloudWatchLogs: 'require' } as const
      expect(only(snap(region('us-east-1', ct([bare(), full]))), settings).status).toBe('pass')
    })

    it('a CloudWatch Logs delivery error counts when CloudWatch Logs is required', () => {
      const t = trail('cw', {
        cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ct',
        status: { isLogging: true, latestDeliveryTime: hoursAgo(1), latestCloudWatchLogsDeliveryError: 'AccessDenied' },
      })
      expect(only(snap(region('us-east-1', ct([t]))), { cloudWatchLogs: 'require' }).status).toBe('fail')
      expect(only(snap(region('us-east-1', ct([t])))).status).toBe('pass')
    })
  })
})

describe('cloudtrail remediation keeps the trail’s other selectors', () => {
  const base = {
    name: 't',
    arn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t',
    homeRegion: 'us-east-1',
    isMultiRegion: true,
    isOrganization: false,
    logFileValidation: true,
    errors: [],
  }
  it('basic: data-event selectors stay, management becomes All, other exclusions stay', () => {
    const merged = mergedSelectors(
      {
        ...base,
        selectors: {
          eventSelectors: [
            {
              ReadWriteType: 'WriteOnly',
              IncludeManagementEvents: true,
              ExcludeManagementEventSources: ['kms.amazonaws.com', 'cognito-idp.amazonaws.com'],
              DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::bucket/'] }],
            },
          ],
        },
      },
      false,
    )
    expect(merged).toEqual([
      {
        ReadWriteType: 'WriteOnly',
        IncludeManagementEvents: false,
        DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::bucket/'] }],
      },
      { ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] },
    ])
  })

  it('advanced: non-management selectors stay; the management one keeps other eventSource exclusions', () => {
    const s3 = {
      Name: 'S3 data',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ],
    }
    const merged = mergedSelectors(
      {
        ...base,
        selectors: {
          advancedEventSelectors: [
            s3,
            {
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Management'] },
                { Field: 'eventSource', NotEquals: ['cognito-idp.amazonaws.com', 'kms.amazonaws.com'] },
                { Field: 'readOnly', Equals: ['false'] },
              ],
            },
          ],
        },
      },
      true,
    )
    expect(merged).toEqual([
      s3,
      {
        Name: 'Management events',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
        ],
      },
    ])
    const text = recordAllManagementEvents({ ...base, selectors: { advancedEventSelectors: [s3] } }, true)
    expect(text).toContain('keeps its 1 other selector (data events)')
    expect(text).toContain('"resources.type"')
  })
})

describe('cloudtrail-capture: conditions the audit cannot evaluate', () => {
  const onlyCi = {
    advancedEventSelectors: [
      {
        Name: 'not CI',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::123456789012:assumed-role/Ci'] },
        ],
      },
    ],
  }
  it('a condition on userIdentity.arn cannot be verified: error, never a pass and never a violation', () => {
    const f = only(snap(region('us-east-1', ct([trail('main', { selectors: onlyCi })]))))
    expect(f.status).toBe('error')
    expect(f.message).toContain("could not be verified to record Cognito's InitiateAuth")
    expect(f.message).toContain('userIdentity.arn')
    expect(f.message).not.toContain('records no Cognito events')
  })

  it('a definite drop still outweighs an unknown one within the trail', () => {
    const sel = {
      advancedEventSelectors: [
        {
          FieldSelectors: [
            ...onlyCi.advancedEventSelectors[0]!.FieldSelectors,
            { Field: 'readOnly', Equals: ['true'] },
          ],
        },
      ],
    }
    const f = only(snap(region('us-east-1', ct([trail('main', { selectors: sel })]))))
    expect(f.status).toBe('fail')
    expect(f.message).toContain("does not record Cognito's InitiateAuth")
  })
})

describe('cloudtrail-capture: wording and severity of what is not about capture', () => {
  it('a capturing trail missing only a required setting says it captures', () => {
    const f = only(snap(region('us-east-1', ct([trail('main', { logFileValidation: false })]))), {
      logFileValidation: 'require',
    })
    expect(f.status).toBe('fail')
    expect(f.severity).toBe('medium')
    expect(f.message).toBe(
      'Trail "main" (single-region, home region us-east-1) records Cognito events, but the policy requires more: it has no log file validation.',
    )
  })

  it('an accepted write-only trail is a medium-severity advisory', () => {
    const wo = trail('main', { selectors: { eventSelectors: [{ ReadWriteType: 'WriteOnly' }] } })
    const f = only(snap(region('us-east-1', ct([wo]))), { acceptWriteOnly: true })
    expect(f.status).toBe('warn')
    expect(f.severity).toBe('medium')
  })
})

describe('cloudtrail-capture: organization trails are fixed from the account that owns them', () => {
  it('a stopped organization trail tells the member account where to run the fix', () => {
    const org = trail('org', { isOrganization: true, isMultiRegion: true, status: { isLogging: false } })
    const f = only(snap(region('us-east-1', ct([org]))))
    expect(f.status).toBe('fail')
    expect(f.remediation).toMatch(/^This is an organization trail: run this from the organization's management account/)
    expect(f.remediation).toContain('aws cloudtrail start-logging')
  })
})
