/**
 * Remediation of planned findings is written in the plan's own language (template YAML/JSON, CDK,
 * Terraform) instead of the AWS CLI, and every snippet reads back as what it says: template snippets are
 * parsed back with the template reader, values from the plan pass through the quoting helpers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { alarmsSection } from '../../../src/checks/alarms/policy.js'
import { cloudTrailSection } from '../../../src/checks/cloudtrail/policy.js'
import { evaluate } from '../../../src/checks/index.js'
import type { Finding } from '../../../src/model/finding.js'
import type { PlannedInfo } from '../../../src/model/plan.js'
import { type AccountSnapshot, loaded, SNAPSHOT_SCHEMA_VERSION } from '../../../src/model/snapshot.js'
import { loadCloudFormation } from '../../../src/sources/cloudformation/index.js'
import { parseTemplate } from '../../../src/sources/cloudformation/template.js'
import { loadTerraformPlan } from '../../../src/sources/terraform/index.js'
import { pool } from '../../support/pools.js'
import { testPolicy } from '../../support/policy.js'

const ROOT = join(import.meta.dirname, '../../..')
const REGION = 'eu-west-1'
const policy = (requireBlocking = true) =>
  testPolicy({
    regions: [REGION],
    threatProtection: { mode: 'ENFORCED', requireBlocking },
    alarms: alarmsSection.normalize({ enabled: true }, { regions: [REGION] }),
    cloudtrail: cloudTrailSection.normalize({ enabled: true }, { regions: [REGION] }),
  })

async function cfn(text: string, name = 'app.yml', requireBlocking = true): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rem-'))
  writeFileSync(join(dir, name), text)
  const snap = await loadCloudFormation({ files: [join(dir, name)], region: REGION, root: dir })
  return evaluate(snap, policy(requireBlocking), '2026-12-07')
}

const find = (fs: Finding[], checkId: string, resource?: string) =>
  fs.find((f) => f.checkId === checkId && f.status !== 'pass' && (resource === undefined || f.resource === resource))!

/** The YAML snippet of a remediation (the lines after its first), read back by the template reader. */
function yamlBack(remediation: string, wrap: (body: string) => string): Record<string, unknown> {
  const body = remediation.split('\n').slice(1).join('\n')
  return parseTemplate('snippet.yml', wrap(body)).body
}

const POOL = `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: "users: the \\"main\\" #1"
      UserPoolAddOns:
        AdvancedSecurityMode: AUDIT
  Web:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
`

describe('planned remediation: CloudFormation YAML', () => {
  it('threat protection: the properties to set, at the pool, and no CLI command', async () => {
    const f = find(await cfn(POOL), 'threat-protection')
    expect(f.remediation!.split('\n')[0]).toBe('CloudFormation: in app.yml:2 (Pool), under Properties, set:')
    expect(f.remediation).not.toMatch(/aws cognito-idp/)
    const props = yamlBack(
      f.remediation!.split('\n').slice(0, 4).join('\n'),
      (b) => `Resources:\n  P:\n    Properties:\n${b.replace(/^/gm, '    ')}`,
    )
    expect((props.Resources as Record<string, { Properties: unknown }>).P!.Properties).toEqual({
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    })
  })

  it('a missing pool-level risk configuration: the attachment to add, with !Ref to the pool', async () => {
    const f = find(
      await cfn(
        POOL.replace('AUDIT', 'ENFORCED').replace(
          '      UserPoolAddOns',
          '      UserPoolTier: PLUS\n      UserPoolAddOns',
        ),
      ),
      'threat-protection-enforcement',
    )
    const lines = f.remediation!.split('\n')
    expect(lines[0]).toBe('CloudFormation: add to Resources beside app.yml:2 (Pool):')
    const snippet = lines.slice(
      2,
      lines.findIndex((l) => l.startsWith('This is the whole configuration')),
    )
    const back = parseTemplate('s.yml', `Resources:\n${snippet.map((l) => `  ${l}`).join('\n')}`).body
      .Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>
    expect(back.PoolRisk).toMatchObject({
      Type: 'AWS::Cognito::UserPoolRiskConfigurationAttachment',
      Properties: {
        UserPoolId: { Ref: 'Pool' },
        ClientId: 'ALL',
        CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
        AccountTakeoverRiskConfiguration: { Actions: { HighAction: { EventAction: 'BLOCK', Notify: false } } },
      },
    })
  })

  it('alarms: the alarm resource with !Ref dimensions and a quoted description', async () => {
    const fs = await cfn(POOL, 'app.yml', false)
    const f = find(fs, 'alarms-throttles', 'SignInThrottles')
    const lines = f.remediation!.split('\n')
    expect(lines[0]).toBe('Add the alarm:')
    expect(lines[1]).toBe('CloudFormation: add to Resources beside app.yml:2 (Pool):')
    const snippet = lines.slice(3)
    const back = parseTemplate('s.yml', `Resources:\n${snippet.map((l) => `  ${l}`).join('\n')}`).body
      .Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>
    const [alarm] = Object.values(back)
    expect(alarm!.Type).toBe('AWS::CloudWatch::Alarm')
    expect(alarm!.Properties.Dimensions).toEqual([
      { Name: 'UserPool', Value: { Ref: 'Pool' } },
      { Name: 'UserPoolClient', Value: { Ref: 'Web' } },
    ])
    expect(alarm!.Properties.AlarmDescription).toBe('SignInThrottles for Cognito user pool users: the "main" #1 (Pool)')
    expect(alarm!.Properties.AlarmActions).toEqual([{ Ref: 'AlertTopic' }])
    expect(String(alarm!.Properties.AlarmName)).not.toContain('planned:')
  })

  it('a planned trail that does not log: IsLogging true; no trail at all: a trail beside the pool', async () => {
    const trail = `${POOL}  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: false\n      IsMultiRegionTrail: true\n      S3BucketName: logs\n`
    const f = find(await cfn(trail), 'cloudtrail-capture')
    expect(f.remediation).toBe('CloudFormation: in app.yml:12 (Trail), under Properties, set:\n  IsLogging: true')
    const none = find(await cfn(POOL), 'cloudtrail-capture')
    expect(none.remediation!.split('\n')[0]).toBe('CloudFormation: add to Resources beside app.yml:2 (Pool):')
    expect(none.remediation).toContain('Type: AWS::CloudTrail::Trail')
    expect(none.remediation).not.toMatch(/aws cloudtrail/)
  })
})

describe('planned remediation: CloudFormation JSON', () => {
  it('a JSON template gets JSON properties', async () => {
    const json = JSON.stringify(
      {
        Resources: { Pool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolTier: 'PLUS' } } },
      },
      null,
      2,
    )
    const f = find(await cfn(json, 'app.json'), 'threat-protection')
    const [head, ...rest] = f.remediation!.split('\n')
    expect(head).toBe('CloudFormation: in app.json:3 (Pool), under "Properties", set:')
    expect(JSON.parse(`{${rest.join('\n')}}`)).toEqual({ UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } })
  })
})

describe('planned remediation: Terraform', () => {
  it('arguments and blocks in the .tf file; references by address', async () => {
    const fixture = join(ROOT, 'test/fixtures/plan/terraform')
    // The fixture's alarm 'external' watches a pool id known only after apply: with it in the plan,
    // every pool's alarm requirement is an error (undecidable), not a failure with a fix.
    const withUnknown = evaluate(
      await loadTerraformPlan({ file: join(fixture, 'plan.json'), root: ROOT }),
      policy(),
      '2026-12-07',
    )
    const undecided = withUnknown.find((f) => f.checkId === 'alarms-risk' && f.poolId === 'eu-west-1_Legacy')!
    expect(undecided.status).toBe('error')
    expect(undecided.message).toContain('aws_cloudwatch_metric_alarm.external.dimensions.UserPoolId')
    // Without it, the Legacy pool's missing alarms are failures, fixed in Terraform.
    const plan = JSON.parse(readFileSync(join(fixture, 'plan.json'), 'utf8'))
    const notExternal = (r: { address?: string }) => r.address !== 'aws_cloudwatch_metric_alarm.external'
    plan.resource_changes = plan.resource_changes.filter(notExternal)
    plan.configuration.root_module.resources = plan.configuration.root_module.resources.filter(notExternal)
    const file = join(mkdtempSync(join(tmpdir(), 'rem-tf-')), 'plan.json')
    writeFileSync(file, JSON.stringify(plan))
    const snap = await loadTerraformPlan({ file, tfDir: fixture, root: ROOT })
    const fs = evaluate(snap, policy(), '2026-12-07')
    const legacy = fs.find((f) => f.checkId === 'threat-protection' && f.poolId === 'eu-west-1_Legacy')!
    expect(legacy.remediation).toBe(
      [
        'Terraform: in test/fixtures/plan/terraform/main.tf:18 (aws_cognito_user_pool.legacy), set:',
        '  user_pool_tier = "PLUS"',
        '  user_pool_add_ons {',
        '    advanced_security_mode = "ENFORCED"',
        '  }',
        'Threat protection needs the Plus feature plan (billed per monthly active user).',
      ].join('\n'),
    )
    const alarm = fs.find((f) => f.checkId === 'alarms-risk' && f.poolId === 'eu-west-1_Legacy' && f.status === 'fail')!
    expect(alarm.remediation).toContain('resource "aws_cloudwatch_metric_alarm"')
    expect(alarm.remediation).toContain('UserPoolId = aws_cognito_user_pool.legacy.id')
    expect(alarm.remediation).not.toContain('put-metric-alarm')
  })

  it('hostile names are HCL-quoted: no interpolation, no escape from the string', () => {
    const plan: PlannedInfo = {
      location: { file: 'main.tf', line: 3, address: 'aws_cognito_user_pool.this["a\\"b"]' },
      change: 'create',
    }
    const p = pool({
      id: 'planned:x',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is the point
      name: 'x"${file("/etc/passwd")}%{if 1}',
      region: REGION,
      advancedSecurityMode: 'ENFORCED',
      plan,
    })
    const snap: AccountSnapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: '2026-12-07T00:00:00Z',
      regions: [
        {
          region: REGION,
          cognito: { pools: loaded([p]), missing: [], errors: [] },
          alarms: { metricAlarms: loaded([]), compositeAlarms: loaded([]), errors: [] },
        },
      ],
    }
    const f = evaluate(snap, policy(), '2026-12-07').find((x) => x.checkId === 'alarms-risk')!
    expect(f.remediation).toContain(
      'alarm_description = "AccountTakeoverRisk for Cognito user pool x\\"$${file(\\"/etc/passwd\\")}%%{if 1} (this[\\"a\\\\\\"b\\"])"',
    )
    expect(f.remediation).toContain('UserPoolId = aws_cognito_user_pool.this["a\\"b"].id')
  })
})

describe('planned remediation: CDK', () => {
  it('props in the construct, enums as code, references to the constructs', () => {
    const plan: PlannedInfo = {
      location: {
        file: 'bin/app.ts',
        line: 7,
        column: 14,
        logicalId: 'PoolD3F588B8',
        stack: 'S',
        constructPath: '/S/Pool/Resource',
      },
      change: 'declared',
    }
    const p = pool({
      id: 'planned:S/PoolD3F588B8',
      name: 'users',
      region: REGION,
      tier: 'ESSENTIALS',
      advancedSecurityMode: 'OFF',
      plan,
    })
    const snap: AccountSnapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: '2026-12-07T00:00:00Z',
      regions: [
        {
          region: REGION,
          cognito: { pools: loaded([p]), missing: [], errors: [] },
          alarms: { metricAlarms: loaded([]), compositeAlarms: loaded([]), errors: [] },
        },
      ],
    }
    const fs = evaluate(snap, policy(), '2026-12-07')
    expect(find(fs, 'threat-protection').remediation).toBe(
      [
        "CDK: in the construct's props at bin/app.ts:7 (PoolD3F588B8), set:",
        '  featurePlan: cognito.FeaturePlan.PLUS,',
        '  standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,',
        'These replace the deprecated advancedSecurityMode prop: remove it if it is set (CDK refuses both together).',
        'Threat protection needs the Plus feature plan (billed per monthly active user).',
      ].join('\n'),
    )
    const alarm = find(fs, 'alarms-risk', 'AccountTakeoverRisk').remediation!
    expect(alarm).toContain('new cloudwatch.Alarm(this, ')
    expect(alarm).toContain('UserPoolId: userPool.userPoolId,')
    expect(alarm).toContain('period: Duration.minutes(5),')
    expect(alarm).toContain('}).addAlarmAction(new cloudwatchActions.SnsAction(alertTopic))')
  })
})

describe('live findings keep the AWS CLI', () => {
  it('a live pool gets update-user-pool', () => {
    const p = pool({ region: REGION, advancedSecurityMode: 'OFF' })
    const snap: AccountSnapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: '2026-12-07T00:00:00Z',
      regions: [{ region: REGION, cognito: { pools: loaded([p]), missing: [], errors: [] } }],
    }
    const f = find(evaluate(snap, policy(), '2026-12-07'), 'threat-protection')
    expect(f.remediation).toMatch(/CLI: aws cognito-idp update-user-pool --user-pool-id/)
  })
})
