import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { cloudTrailCapture } from '../../../../../src/checks/cloudtrail/capture.js'
import { CLOUDTRAIL_POLICY_DEFAULTS } from '../../../../../src/checks/cloudtrail/policy.js'
import { runCheck } from '../../../../../src/checks/index.js'
import type { CloudTrailRegion } from '../../../../../src/model/cloudtrail.js'
import { silentLogger } from '../../../../../src/model/logger.js'
import { createClients } from '../../../../../src/sources/aws/clients.js'
import { collectCloudTrail } from '../../../../../src/sources/aws/cloudtrail/trails.js'
import type { CollectContext } from '../../../../../src/sources/aws/context.js'
import { testPolicy } from '../../../../support/policy.js'
import { itemsOf, pool } from '../../../../support/pools.js'
import { loaded, SNAPSHOT_SCHEMA_VERSION } from '../../../../../src/model/snapshot.js'

const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
}
const saved: Record<string, string | undefined> = {}
beforeAll(() => {
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k]
    process.env[k] = v
  }
})
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

const ct = mockClient(CloudTrailClient)
beforeEach(() => ct.reset())

const ACCOUNT = '123456789012'
const arn = (region: string, name: string) => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`

const ORG: Trail = {
  Name: 'org',
  TrailARN: arn('us-east-1', 'org'),
  HomeRegion: 'us-east-1',
  IsMultiRegionTrail: true,
  IsOrganizationTrail: true,
  LogFileValidationEnabled: true,
  KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
  S3BucketName: 'org-logs',
  HasCustomEventSelectors: false,
}
const WEST: Trail = {
  Name: 'west-multi',
  TrailARN: arn('us-west-2', 'west-multi'),
  HomeRegion: 'us-west-2',
  IsMultiRegionTrail: true,
  IsOrganizationTrail: false,
}
const EU_LOCAL: Trail = {
  Name: 'eu-local',
  TrailARN: arn('eu-west-1', 'eu-local'),
  HomeRegion: 'eu-west-1',
  IsMultiRegionTrail: false,
  IsOrganizationTrail: false,
  CloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:ct',
}

const DESCRIBED: Record<string, Trail[]> = {
  'us-east-1': [ORG, WEST],
  'eu-west-1': [ORG, EU_LOCAL, WEST],
  'ap-south-1': [WEST, ORG],
}

const DELIVERED = new Date('2026-11-20T11:00:00.000Z')

function context(): CollectContext {
  return { clients: createClients({ quotas: false }), now: new Date('2026-11-20T12:00:00.000Z'), log: silentLogger }
}

/** Records the region of every call, by command. */
function mockAccount(calls: Array<{ command: string; region: string; name?: string }>) {
  ct.on(DescribeTrailsCommand).callsFake(async (input, getClient) => {
    const region = await getClient().config.region()
    calls.push({ command: 'DescribeTrails', region })
    expect(input.includeShadowTrails).toBe(true)
    return { trailList: DESCRIBED[region] ?? [] }
  })
  ct.on(GetTrailStatusCommand).callsFake(async (input, getClient) => {
    const region = await getClient().config.region()
    calls.push({ command: 'GetTrailStatus', region, name: input.Name })
    return { IsLogging: true, LatestDeliveryTime: DELIVERED, StartLoggingTime: new Date('2026-01-01T00:00:00.000Z') }
  })
  ct.on(GetEventSelectorsCommand).callsFake(async (input, getClient) => {
    const region = await getClient().config.region()
    calls.push({ command: 'GetEventSelectors', region, name: input.TrailName })
    if (input.TrailName === WEST.TrailARN) {
      return {
        TrailARN: input.TrailName,
        AdvancedEventSelectors: [
          {
            Name: 'mgmt',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
            ],
          },
        ],
      }
    }
    return { TrailARN: input.TrailName, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }
  })
}

describe('collectCloudTrail', () => {
  const regions = ['ap-south-1', 'eu-west-1', 'us-east-1']

  it('describes each region once and reads each distinct trail once, in its home region, with its ARN', async () => {
    const calls: Array<{ command: string; region: string; name?: string }> = []
    mockAccount(calls)
    const out = await collectCloudTrail(context(), regions, testPolicy({ regions }))

    expect(ct.commandCalls(DescribeTrailsCommand)).toHaveLength(3)
    expect(
      calls
        .filter((c) => c.command === 'DescribeTrails')
        .map((c) => c.region)
        .sort(),
    ).toEqual(regions)
    // ORG and WEST show up in all three regions, EU_LOCAL in one: three distinct trails.
    for (const command of ['GetTrailStatus', 'GetEventSelectors']) {
      const reads = calls.filter((c) => c.command === command)
      expect(reads).toHaveLength(3)
      expect(reads.map((c) => [c.name, c.region]).sort()).toEqual([
        [EU_LOCAL.TrailARN, 'eu-west-1'],
        [ORG.TrailARN, 'us-east-1'],
        // homed in a region that is not audited: still read there
        [WEST.TrailARN, 'us-west-2'],
      ])
    }

    expect(Object.keys(out).sort()).toEqual(regions)
    const names = (r: CloudTrailRegion) => itemsOf(r.trails).map((t) => t.name)
    expect(names(out['us-east-1'] as CloudTrailRegion)).toEqual(['org', 'west-multi'])
    expect(names(out['eu-west-1'] as CloudTrailRegion)).toEqual(['org', 'eu-local', 'west-multi'])
    expect(names(out['ap-south-1'] as CloudTrailRegion)).toEqual(['west-multi', 'org'])
    expect(out['us-east-1']?.otherRegionTrails).toEqual([
      { name: 'eu-local', arn: EU_LOCAL.TrailARN, homeRegion: 'eu-west-1' },
    ])
    expect(out['eu-west-1']?.otherRegionTrails).toEqual([])
    for (const r of Object.values(out)) expect(r.errors).toEqual([])
  })

  it('produces plain data: ISO dates, trail fields, selectors in AWS shape', async () => {
    mockAccount([])
    const out = await collectCloudTrail(context(), regions, testPolicy({ regions }))
    const org = itemsOf(out['eu-west-1']?.trails).find((t) => t.name === 'org')
    expect(org).toEqual({
      name: 'org',
      arn: ORG.TrailARN,
      homeRegion: 'us-east-1',
      isMultiRegion: true,
      isOrganization: true,
      logFileValidation: true,
      kmsKeyId: ORG.KmsKeyId,
      s3BucketName: 'org-logs',
      hasCustomEventSelectors: false,
      status: {
        isLogging: true,
        latestDeliveryTime: '2026-11-20T11:00:00.000Z',
        startLoggingTime: '2026-01-01T00:00:00.000Z',
      },
      selectors: { eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
      errors: [],
    })
    const west = itemsOf(out['ap-south-1']?.trails).find((t) => t.name === 'west-multi')
    expect(west?.selectors).toEqual({
      advancedEventSelectors: [
        {
          Name: 'mgmt',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] },
          ],
        },
      ],
    })
    expect(JSON.parse(JSON.stringify(out))).toEqual(out)
    // Copies per region, not shared objects that one consumer could mutate for another.
    expect(itemsOf(out['us-east-1']?.trails)[0]).not.toBe(itemsOf(out['eu-west-1']?.trails)[0])
  })

  it('records a denied GetTrailStatus on the trail, and the check reports error, not pass', async () => {
    mockAccount([])
    ct.on(GetTrailStatusCommand, { Name: ORG.TrailARN }).rejects(
      Object.assign(new Error('User is not authorized to perform cloudtrail:GetTrailStatus'), {
        name: 'AccessDeniedException',
      }),
    )
    const only = ['us-east-1']
    DESCRIBED['us-east-1'] = [ORG]
    try {
      const out = await collectCloudTrail(context(), only, testPolicy({ regions: only }))
      const org = itemsOf(out['us-east-1']?.trails)[0]
      expect(org?.status).toBeUndefined()
      expect(org?.selectors).toBeDefined()
      expect(org?.errors).toEqual([
        expect.objectContaining({
          service: 'cloudtrail',
          action: 'GetTrailStatus',
          code: 'AccessDeniedException',
          region: 'us-east-1',
          resource: ORG.TrailARN,
        }),
      ])
      const findings = runCheck(
        cloudTrailCapture,
        {
          schemaVersion: SNAPSHOT_SCHEMA_VERSION,
          collectedAt: '2026-11-20T12:00:00.000Z',
          regions: [
            {
              region: 'us-east-1',
              cognito: { pools: loaded([pool()]), missing: [], errors: [] },
              cloudtrail: out['us-east-1'] as CloudTrailRegion,
            },
          ],
        },
        testPolicy({ cloudtrail: CLOUDTRAIL_POLICY_DEFAULTS }),
      )
      expect(findings.map((f) => f.status)).toEqual(['error'])
      expect(findings[0]?.message).toContain('cloudtrail:GetTrailStatus')
    } finally {
      DESCRIBED['us-east-1'] = [ORG, WEST]
    }
  })

  it('records a failed DescribeTrails as a region-level error and still collects the other regions', async () => {
    mockAccount([])
    ct.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region()
      if (region === 'ap-south-1') throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' })
      return { trailList: DESCRIBED[region] ?? [] }
    })
    const out = await collectCloudTrail(context(), regions, testPolicy({ regions }))
    expect(out['ap-south-1']).toEqual({
      // Not an empty list: the trails could not be described.
      trails: { state: 'failed', error: expect.objectContaining({ action: 'DescribeTrails' }) },
      otherRegionTrails: [{ name: 'eu-local', arn: EU_LOCAL.TrailARN, homeRegion: 'eu-west-1' }],
      errors: [
        expect.objectContaining({ action: 'DescribeTrails', code: 'AccessDeniedException', region: 'ap-south-1' }),
      ],
    })
    expect(itemsOf(out['us-east-1']?.trails).map((t) => t.name)).toEqual(['org', 'west-multi'])
  })

  it('records denied GetEventSelectors for an organization trail seen from a member account', async () => {
    mockAccount([])
    ct.on(GetEventSelectorsCommand, { TrailName: ORG.TrailARN }).rejects(
      Object.assign(new Error('Trail not found'), { name: 'TrailNotFoundException' }),
    )
    const out = await collectCloudTrail(context(), ['eu-west-1'], testPolicy({ regions: ['eu-west-1'] }))
    const org = itemsOf(out['eu-west-1']?.trails).find((t) => t.name === 'org')
    expect(org?.selectors).toBeUndefined()
    expect(org?.status?.isLogging).toBe(true)
    expect(org?.errors.map((e) => [e.action, e.code, e.region])).toEqual([
      ['GetEventSelectors', 'TrailNotFoundException', 'us-east-1'],
    ])
  })

  it('keeps only trails that apply: a single-region trail homed elsewhere is listed as other-region only', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [EU_LOCAL] })
    ct.on(GetTrailStatusCommand).resolves({ IsLogging: true, LatestDeliveryTime: DELIVERED })
    ct.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ ReadWriteType: 'All' }] })
    const out = await collectCloudTrail(context(), ['us-east-1'], testPolicy())
    expect(out['us-east-1']?.trails).toEqual({ state: 'loaded', items: [] })
    expect(out['us-east-1']?.otherRegionTrails.map((t) => t.name)).toEqual(['eu-local'])
    // It applies to no audited region, so its details are not read.
    expect(ct.commandCalls(GetTrailStatusCommand)).toHaveLength(0)
    expect(ct.commandCalls(GetEventSelectorsCommand)).toHaveLength(0)
  })

  it('a single-region organization trail applies only to its home region', async () => {
    const orgLocal: Trail = {
      ...ORG,
      Name: 'org-local',
      TrailARN: arn('us-east-1', 'org-local'),
      IsMultiRegionTrail: false,
    }
    ct.on(DescribeTrailsCommand).resolves({ trailList: [orgLocal] })
    ct.on(GetTrailStatusCommand).resolves({ IsLogging: true, LatestDeliveryTime: DELIVERED })
    ct.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ ReadWriteType: 'All' }] })
    const out = await collectCloudTrail(context(), ['eu-west-1', 'us-east-1'], testPolicy())
    expect(itemsOf(out['us-east-1']?.trails).map((t) => t.name)).toEqual(['org-local'])
    expect(out['eu-west-1']?.trails).toEqual({ state: 'loaded', items: [] })
    expect(out['eu-west-1']?.otherRegionTrails.map((t) => [t.name, t.homeRegion])).toEqual([['org-local', 'us-east-1']])
    expect(ct.commandCalls(GetTrailStatusCommand)).toHaveLength(1)
  })
})
