/** Through the orchestrator: one DescribeAlarms sequence per region, whatever the number of pools. */
import { DescribeAlarmsCommand, type DescribeAlarmsCommandInput, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import {
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { normalizeAlarms } from '../../../../src/checks/alarms/policy.js'
import { silentLogger } from '../../../../src/model/logger.js'
import { createClients } from '../../../../src/sources/aws/clients.js'
import { collectAccount } from '../../../../src/sources/aws/index.js'
import { useDummyAwsEnv } from '../../../support/aws-env.js'
import { testPolicy } from '../../../support/policy.js'
import { itemsOf } from '../../../support/pools.js'

useDummyAwsEnv()

describe('collectAccount with the alarms section', () => {
  it('reads alarms once per region (paginated), not once per pool', async () => {
    const regions = ['eu-west-1', 'us-east-1']
    const poolsPerRegion = 6
    const clients = createClients({ quotas: false, maxAttempts: 1 })
    const cloudwatch = Object.fromEntries(
      regions.map((region) => {
        const cog = mockClient(clients.cognito(region))
        cog.on(ListUserPoolsCommand).resolves({
          UserPools: Array.from({ length: poolsPerRegion }, (_, i) => ({ Id: `${region}_P${i}`, Name: `p${i}` })),
        })
        cog.on(DescribeUserPoolCommand).callsFake((input: { UserPoolId: string }) => ({
          UserPool: { Id: input.UserPoolId, Name: input.UserPoolId, UserPoolAddOns: { AdvancedSecurityMode: 'OFF' } },
        }))
        cog.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] })
        cog.on(DescribeRiskConfigurationCommand).resolves({ RiskConfiguration: {} })

        const cw = mockClient(clients.cloudwatch(region))
        cw.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => {
          const start = Number(input.NextToken ?? 0)
          const page = Array.from({ length: Math.min(100, 150 - start) }, (_, i) => ({
            AlarmName: `${region}-a${start + i}`,
            Namespace: 'AWS/Cognito',
            MetricName: 'SignInThrottles',
            Dimensions: [{ Name: 'UserPool', Value: `${region}_P0` }],
          }))
          return { MetricAlarms: page, NextToken: start + 100 < 150 ? String(start + 100) : undefined }
        })
        cw.on(ListMetricsCommand).resolves({ Metrics: [] })
        return [region, cw]
      }),
    )

    const policy = testPolicy({ regions, alarms: normalizeAlarms({}) })
    const snap = await collectAccount(policy, { clients, now: new Date(), log: silentLogger })

    expect(snap.regions.map((r) => itemsOf(r.cognito.pools).length)).toEqual([poolsPerRegion, poolsPerRegion])
    for (const r of snap.regions) {
      const cw = cloudwatch[r.region]!
      expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(2)
      // AWS/Cognito and AWS/Usage once each.
      expect(cw.commandCalls(ListMetricsCommand)).toHaveLength(2)
      expect(itemsOf(r.alarms?.metricAlarms)).toHaveLength(150)
      expect(itemsOf(r.alarms?.metricAlarms).every((a) => a.name.startsWith(r.region))).toBe(true)
      expect(r.alarms?.errors).toEqual([])
    }
  })
})
