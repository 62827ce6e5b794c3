import { describe, expect, it } from 'vitest'
import { upgradeSnapshot } from '../../../../src/sources/saved/upgrade.js'

const err = (service: string, action: string, resource?: string) => ({
  service,
  action,
  code: 'AccessDeniedException',
  message: 'denied',
  region: 'us-east-1',
  ...(resource ? { resource } : {}),
})

describe('version 1 snapshots read as version 2', () => {
  it('an empty list with its error becomes failed; every other list loaded; absent lists stay absent', () => {
    const pools = err('cognito-idp', 'ListUserPools')
    const clients = err('cognito-idp', 'ListUserPoolClients', 'us-east-1_A')
    const describe = err('cognito-idp', 'DescribeUserPool', 'us-east-1_B')
    const alarms = err('cloudwatch', 'DescribeAlarms')
    const usage = err('cloudwatch', 'ListMetrics', 'AWS/Usage')
    const trails = err('cloudtrail', 'DescribeTrails')
    const v1 = {
      schemaVersion: 1,
      collectedAt: '2026-12-07T00:00:00.000Z',
      regions: [
        { region: 'eu-west-1', cognito: { pools: [], missing: [], errors: [pools] } },
        {
          region: 'us-east-1',
          cognito: {
            pools: [
              { id: 'us-east-1_A', clients: [], clientRiskConfigurations: [], errors: [clients] },
              { id: 'us-east-1_B', clients: [], clientRiskConfigurations: [], errors: [describe] },
              { id: 'us-east-1_C', clients: [{ id: 'c', name: 'c' }], clientRiskConfigurations: [], errors: [] },
            ],
            missing: [],
            errors: [],
          },
          alarms: { usageMetrics: [], errors: [alarms, usage] },
          cloudtrail: { trails: [], otherRegionTrails: [], errors: [trails] },
        },
      ],
    }
    // biome-ignore lint/suspicious/noExplicitAny: upgraded JSON, inspected field by field
    const v2 = upgradeSnapshot(structuredClone(v1)) as { schemaVersion: number; regions: any[] }
    expect(v2.schemaVersion).toBe(2)
    const [eu, us] = v2.regions
    expect(eu!.cognito.pools).toEqual({ state: 'failed', error: pools })
    const [a, b, c] = us!.cognito.pools.items
    expect(a.clients).toEqual({ state: 'failed', error: clients })
    expect(a.clientRiskConfigurations).toEqual({ state: 'failed', error: clients })
    expect(b.clients).toEqual({ state: 'failed', error: describe })
    expect(c.clients).toEqual({ state: 'loaded', items: [{ id: 'c', name: 'c' }] })
    expect(c.clientRiskConfigurations).toEqual({ state: 'loaded', items: [] })
    // Absent because DescribeAlarms failed: failed. The usage list was read (ListMetrics named
    // AWS/Usage but the list is there). The Cognito metric list was never collected: still absent.
    expect(us!.alarms.metricAlarms).toEqual({ state: 'failed', error: alarms })
    expect(us!.alarms.compositeAlarms).toEqual({ state: 'failed', error: alarms })
    expect(us!.alarms.usageMetrics).toEqual({ state: 'loaded', items: [] })
    expect(us!.alarms).not.toHaveProperty('cognitoMetrics')
    expect(us!.cloudtrail.trails).toEqual({ state: 'failed', error: trails })
    // The errors arrays are kept as they were.
    expect(us!.alarms.errors).toEqual([alarms, usage])
  })

  it('leaves other versions and malformed data as they are, for validation to name', () => {
    const v3 = { schemaVersion: 3, regions: [{ cognito: { pools: [] } }] }
    expect(upgradeSnapshot(structuredClone(v3))).toEqual(v3)
    const odd = { schemaVersion: 1, regions: [null, { cognito: { pools: 'x' } }] }
    expect(upgradeSnapshot(structuredClone(odd))).toEqual({ ...odd, schemaVersion: 2 })
  })
})
