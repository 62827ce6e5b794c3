import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { alarmsSection } from '../../../src/checks/alarms/policy.js'
import { cloudTrailSection } from '../../../src/checks/cloudtrail/policy.js'
import { evaluate } from '../../../src/checks/index.js'
import type { Finding } from '../../../src/model/finding.js'
import { findingTarget, formatOf, locationText, plannedName } from '../../../src/model/finding-location.js'
import { type AccountSnapshot, loaded, SNAPSHOT_SCHEMA_VERSION } from '../../../src/model/snapshot.js'
import { loadCloudFormation } from '../../../src/sources/cloudformation/index.js'
import { loadTerraformPlan } from '../../../src/sources/terraform/index.js'
import { pool } from '../../support/pools.js'
import { testPolicy } from '../../support/policy.js'

const ROOT = join(import.meta.dirname, '../../..')
const REGION = 'eu-west-1'

const policy = () =>
  testPolicy({
    regions: [REGION],
    threatProtection: { mode: 'ENFORCED' },
    alarms: alarmsSection.normalize({ enabled: true }, { regions: [REGION] }),
    cloudtrail: cloudTrailSection.normalize({ enabled: true }, { regions: [REGION] }),
  })

function template(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'loc-'))
  const file = join(dir, 'app.yml')
  writeFileSync(file, text)
  return file
}

async function judge(file: string): Promise<{ snap: AccountSnapshot; findings: Finding[] }> {
  const snap = await loadCloudFormation({ files: [file], region: REGION, root: dirname(file) })
  return { snap, findings: evaluate(snap, policy(), '2026-12-07') }
}

const byCheck = (findings: Finding[], checkId: string, resource?: string) =>
  findings.find((f) => f.checkId === checkId && (resource === undefined || f.resource === resource))!

// Line numbers are part of the test: each resource's logical id is on the line named in the comment.
const TEMPLATE = `Resources:
  Pool:                                   # 2
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolTier: PLUS
      UserPoolAddOns:
        AdvancedSecurityMode: AUDIT
  Web:                                    # 8
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
  WebRisk:                                # 12
    Type: AWS::Cognito::UserPoolRiskConfigurationAttachment
    Properties:
      UserPoolId: !Ref Pool
      ClientId: !Ref Web
      CompromisedCredentialsRiskConfiguration:
        Actions: { EventAction: NO_ACTION }
  Ato:                                    # 19
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Cognito
      MetricName: AccountTakeoverRisk
      Dimensions:
        - { Name: UserPoolId, Value: !Ref Pool }
        - { Name: Operation, Value: SignIn }
        - { Name: RiskLevel, Value: High }
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      ActionsEnabled: false
      AlarmActions: [arn:aws:sns:eu-west-1:123456789012:alerts]
  Trail:                                  # 35
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: false
      IsMultiRegionTrail: true
      S3BucketName: logs
`

describe('finding → location (CloudFormation)', () => {
  let snap: AccountSnapshot
  let findings: Finding[]
  const file = 'app.yml'
  beforeAll(async () => {
    ;({ snap, findings } = await judge(template(TEMPLATE)))
  })

  it('threat protection points at the pool, with the property as CloudFormation spells it', () => {
    const t = findingTarget(byCheck(findings, 'threat-protection'), snap)
    expect(t.located).toEqual({
      kind: 'pool',
      location: expect.objectContaining({ file, line: 2, logicalId: 'Pool', stack: 'app' }),
      change: 'declared',
      format: 'cloudformation',
      setting: 'UserPoolAddOns.AdvancedSecurityMode',
    })
    expect(t.resource).toBe('app/Pool')
    expect(t.property).toBe('AdvancedSecurityMode')
    expect(t.identity).toBe('threat-protection/eu-west-1/app%2FPool/-/AdvancedSecurityMode')
  })

  it('a client-level risk configuration finding points at its attachment, not the pool', async () => {
    // AUDIT pools get no enforcement finding: judge the same template with the pool ENFORCED.
    const enforced = await judge(
      template(TEMPLATE.replace('AdvancedSecurityMode: AUDIT', 'AdvancedSecurityMode: ENFORCED')),
    )
    const clientFinding = enforced.findings.find(
      (f) => f.checkId === 'threat-protection-enforcement' && f.evidence?.level === 'app-client',
    )!
    expect(clientFinding.status).toBe('fail')
    const t = findingTarget(clientFinding, enforced.snap)
    expect(t.located).toMatchObject({ kind: 'risk-configuration', location: { line: 12, logicalId: 'WebRisk' } })
    expect(t.located!.setting).toBe('AWS::Cognito::UserPoolRiskConfigurationAttachment')
    expect(t.identity).toBe(
      'threat-protection-enforcement/eu-west-1/app%2FPool/client=planned:app%2FWeb/RiskConfiguration',
    )
    // The pool-level configuration is missing: the finding points at the pool whose lack it is.
    const poolFinding = enforced.findings.find(
      (f) => f.checkId === 'threat-protection-enforcement' && f.evidence?.level === 'pool',
    )!
    expect(findingTarget(poolFinding, enforced.snap).located).toMatchObject({ kind: 'pool', location: { line: 2 } })
  })

  it('an alarm finding points at the closest alarm; a metric without any alarm at the pool', () => {
    const ato = findingTarget(byCheck(findings, 'alarms-risk', 'AccountTakeoverRisk'), snap)
    expect(ato.located).toMatchObject({ kind: 'metric-alarm', location: { line: 19, logicalId: 'Ato' } })
    const other = findings.find((f) => f.checkId === 'alarms-risk' && f.resource !== 'AccountTakeoverRisk')!
    expect(other.resource).toMatch(/CompromisedCredential/)
    expect(findingTarget(other, snap).located).toMatchObject({ kind: 'pool', location: { line: 2 } })
    // One identity per metric, both about the same pool.
    expect(ato.identity).not.toBe(findingTarget(other, snap).identity)
    expect(ato.identity).toBe('alarms-risk/eu-west-1/app%2FPool/AccountTakeoverRisk/Alarm')
  })

  it('the trail finding points at the planned trail; its identity names the region, not the trail', () => {
    const f = byCheck(findings, 'cloudtrail-capture')
    expect(f.status).toBe('fail')
    const t = findingTarget(f, snap)
    expect(t.located).toMatchObject({ kind: 'trail', location: { line: 35, logicalId: 'Trail' } })
    expect(t.identity).toBe('cloudtrail-capture/eu-west-1/-/-/Trail')
    expect(locationText(t.located!.location)).toBe(`${file}:35`)
  })

  it('the identity ignores line, message and status: moving the pool down keeps it', async () => {
    const moved = await judge(template(`# a comment\n# another\n${TEMPLATE}`))
    const before = findingTarget(byCheck(findings, 'threat-protection'), snap)
    const after = findingTarget(byCheck(moved.findings, 'threat-protection'), moved.snap)
    expect(after.located!.location.line).toBe(4)
    expect(after.identity).toBe(before.identity)
  })

  it('a value that cannot be known before deploy is named as its property path', async () => {
    const t = await judge(
      template(TEMPLATE.replace('AdvancedSecurityMode: AUDIT', 'AdvancedSecurityMode: !ImportValue shared-mode')),
    )
    const target = findingTarget(byCheck(t.findings, 'threat-protection'), t.snap)
    expect(target.located!.setting).toBe(
      'Resources.Pool.Properties.UserPoolAddOns.AdvancedSecurityMode (export shared-mode is not in this plan)',
    )
  })

  it('a region without any planned trail points at its first planned pool', async () => {
    const t = await judge(template(TEMPLATE.slice(0, TEMPLATE.indexOf('  Trail:'))))
    const target = findingTarget(byCheck(t.findings, 'cloudtrail-capture'), t.snap)
    expect(target.located).toMatchObject({ kind: 'pool', location: { line: 2 }, setting: 'AWS::CloudTrail::Trail' })
  })
})

describe('finding → location (Terraform)', () => {
  const DIR = 'test/fixtures/plan/terraform'
  let snap: AccountSnapshot
  let findings: Finding[]
  beforeAll(async () => {
    snap = await loadTerraformPlan({ file: join(ROOT, DIR, 'plan.json'), root: ROOT })
    findings = evaluate(snap, policy(), '2026-12-07')
  })

  it('points at the resource block in the .tf file, with the Terraform argument and the address as resource', () => {
    const legacy = findings.find((f) => f.checkId === 'threat-protection' && f.status === 'fail')!
    const t = findingTarget(legacy, snap)
    expect(t.located).toMatchObject({
      kind: 'pool',
      format: 'terraform',
      change: 'update',
      location: { file: `${DIR}/main.tf`, line: 18, address: 'aws_cognito_user_pool.legacy' },
      setting: 'user_pool_add_ons.advanced_security_mode',
    })
    // The identity uses the address, not the live id the pool has before the plan is applied.
    expect(t.resource).toBe('aws_cognito_user_pool.legacy')
    expect(t.identity).toContain('aws_cognito_user_pool.legacy')
    expect(t.identity).not.toContain('eu-west-1_Legacy')
  })
})

describe('finding → location (live and unlocated findings)', () => {
  it('a live finding has an identity from its pool id and no location', () => {
    const p = pool({ id: 'eu-west-1_Live', region: REGION, advancedSecurityMode: 'OFF' })
    const snap: AccountSnapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      collectedAt: '2026-12-07T00:00:00Z',
      regions: [{ region: REGION, cognito: { pools: loaded([p]), missing: [], errors: [] } }],
    }
    const f = evaluate(snap, policy(), '2026-12-07').find((x) => x.checkId === 'threat-protection')!
    const t = findingTarget(f, snap)
    expect(t.located).toBeUndefined()
    expect(t.identity).toBe('threat-protection/eu-west-1/eu-west-1_Live/-/AdvancedSecurityMode')
  })

  it('formats and names from locations', () => {
    expect(formatOf({ file: 'a.tf', address: 'aws_x.y' })).toBe('terraform')
    expect(formatOf({ file: 'app.ts', constructPath: '/S/Pool/Resource', logicalId: 'PoolD3F588B8' })).toBe('cdk')
    expect(formatOf({ file: 't.yml', logicalId: 'Pool' })).toBe('cloudformation')
    expect(plannedName({ file: 't.yml', logicalId: 'Pool', stack: 's' })).toBe('s/Pool')
    expect(locationText({ file: 'plan.json', address: 'aws_x.y' })).toBe('plan.json (aws_x.y)')
  })
})
