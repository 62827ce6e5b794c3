import { execFileSync } from 'node:child_process'
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INPUT_LIMITS } from '../../../../src/input-file.js'
import { isUnknownMarker } from '../../../../src/model/plan.js'
import type { AccountSnapshot } from '../../../../src/model/snapshot.js'
import { loadCloudFormation } from '../../../../src/sources/cloudformation/index.js'
import { parseTemplate } from '../../../../src/sources/cloudformation/template.js'
import { planInputFailure } from '../../../support/plan-input.js'
import { itemsOf } from '../../../support/pools.js'

const ROOT = join(import.meta.dirname, '../../../..')
const FIXTURES = 'test/fixtures/plan/cloudformation'
const fixture = (name: string) => join(ROOT, FIXTURES, name)

const load = (files: string[], extra: { parameters?: Record<string, string>; region?: string } = {}) =>
  loadCloudFormation({ files, region: 'eu-west-1', root: ROOT, ...extra })

function tmp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-'))
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

const failure = planInputFailure

describe('CloudFormation YAML with every short-form tag', () => {
  let snap: AccountSnapshot
  const region = () => snap.regions[0]!

  it('resolves !Sub, !FindInMap, !If over !And/!Not/!Equals/!Condition, !Join, !GetAtt', async () => {
    snap = await load([fixture('short-forms.yml')])
    const [pool] = itemsOf(region().cognito.pools)
    expect(pool).toMatchObject({
      id: 'planned:short-forms/Pool',
      name: 'prod-users',
      tier: 'PLUS',
      advancedSecurityMode: 'ENFORCED',
    })
    expect(itemsOf(pool!.clients)).toEqual([expect.objectContaining({ id: 'planned:short-forms/Client', name: 'prod-web' })])
    expect(pool!.riskConfiguration?.AccountTakeoverRiskConfiguration?.Actions.MediumAction).toEqual({
      EventAction: 'MFA_IF_CONFIGURED',
      Notify: true,
    })
  })

  it('puts every object at its logical id line', async () => {
    const [pool] = itemsOf(region().cognito.pools)
    expect(pool!.plan!.location).toEqual({
      file: `${FIXTURES}/short-forms.yml`,
      line: 25,
      column: 3,
      logicalId: 'Pool',
      stack: 'short-forms',
    })
    expect(pool!.riskConfigurationPlan!.location.line).toBe(37)
    expect(itemsOf(region().cloudtrail!.trails)[0]!.plan!.location.line).toBe(81)
  })

  it('an alarm dimension !Ref Pool names the planned pool; !Select over !Split and a list parameter', async () => {
    const [alarm] = itemsOf(region().alarms!.metricAlarms!)
    expect(alarm!.name).toBe('planned:short-forms/Pool-ato-High')
    expect(alarm!.metric!.dimensions).toEqual([
      { name: 'UserPoolId', value: 'planned:short-forms/Pool' },
      { name: 'Operation', value: 'SignIn' },
      { name: 'RiskLevel', value: 'High' },
    ])
  })

  it('a parameter without default is unknown: no action, with the property path and the way to set it', async () => {
    const [alarm] = itemsOf(region().alarms!.metricAlarms!)
    expect(alarm!.alarmActions).toEqual([])
    expect(alarm!.plan!.unknown).toEqual({
      alarmActions:
        'Resources.HighRisk.Properties.AlarmActions[0] (parameter AlertTopicArn has no Default; pass --parameter AlertTopicArn=VALUE)',
    })
  })

  it('a composite rule !Sub of Alarm.Arn names the child by its planned ARN; an export not in the plan is unknown', () => {
    const [composite] = itemsOf(region().alarms!.compositeAlarms!)
    const [alarm] = itemsOf(region().alarms!.metricAlarms!)
    expect(composite!.alarmRule).toBe(`ALARM("${alarm!.arn}")`)
    expect(composite!.plan!.unknown!.alarmActions).toMatch(/export shared-alerts-topic is not in this plan/)
  })

  it('trail: !Join with AWS::StackName, advanced selectors with !Split', () => {
    const [trail] = itemsOf(region().cloudtrail!.trails)
    expect(trail!.name).toBe('short-forms-trail')
    expect(trail!.selectors!.advancedEventSelectors![0]!.FieldSelectors[1]).toEqual({
      Field: 'eventSource',
      NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'],
    })
  })

  it('--parameter overrides a Default and changes what the conditions decide', async () => {
    const dev = await load([fixture('short-forms.yml')], {
      parameters: { Env: 'dev', AlertTopicArn: 'arn:aws:sns:eu-west-1:1:t' },
    })
    const [pool] = itemsOf(dev.regions[0]!.cognito.pools)
    expect(pool).toMatchObject({ name: 'dev-users', tier: 'ESSENTIALS', advancedSecurityMode: 'AUDIT' })
    // The alarm's condition (Either: prod or staging) is false for dev: the alarm is not in the plan.
    expect(dev.regions[0]!.alarms!.metricAlarms).toEqual({ state: 'loaded', items: [] })
  })

  it('the parameter given, the alarm has its action', async () => {
    const s = await load([fixture('short-forms.yml')], { parameters: { AlertTopicArn: 'arn:aws:sns:eu-west-1:1:t' } })
    const [alarm] = itemsOf(s.regions[0]!.alarms!.metricAlarms!)
    expect(alarm!.alarmActions).toEqual(['arn:aws:sns:eu-west-1:1:t'])
    expect(alarm!.plan!.unknown).toBeUndefined()
  })
})

describe('CloudFormation JSON: values unknown before deploy', () => {
  it('a mode from a parameter without default: OFF in the field, the path in plan.unknown', async () => {
    const snap = await load([fixture('unknowns.json')])
    const [pool] = itemsOf(snap.regions[0]!.cognito.pools)
    expect(pool!.advancedSecurityMode).toBe('OFF')
    expect(pool!.plan!.unknown!.advancedSecurityMode).toBe(
      'Resources.Pool.Properties.UserPoolAddOns.AdvancedSecurityMode (parameter Mode has no Default; pass --parameter Mode=VALUE)',
    )
    expect(pool!.plan!.location).toMatchObject({ file: `${FIXTURES}/unknowns.json`, line: 11 })
  })

  it('a dimension from a parameter: the unknown marker never equals a pool id', async () => {
    const snap = await load([fixture('unknowns.json')])
    const [alarm] = itemsOf(snap.regions[0]!.alarms!.metricAlarms!)
    const value = alarm!.metric!.dimensions.find((d) => d.name === 'UserPoolId')!.value
    expect(isUnknownMarker(value)).toBe(true)
    expect(value).toBe('unknown: Resources.LivePoolAlarm.Properties.Dimensions[0].Value')
    expect(alarm!.period).toBe(300)
  })

  it('a condition on an SSM parameter: the threshold and the trail existence cannot be decided', async () => {
    const snap = await load([fixture('unknowns.json')])
    const [alarm] = itemsOf(snap.regions[0]!.alarms!.metricAlarms!)
    expect(alarm!.threshold).toBeUndefined()
    expect(alarm!.plan!.unknown!.threshold).toMatch(
      /condition IsLive cannot be decided: parameter Stage is read from SSM/,
    )
    const [trail] = itemsOf(snap.regions[0]!.cloudtrail!.trails)
    expect(trail!.plan!.unknown!.exists).toMatch(/^Resources\.Trail\.Condition/)
  })

  it('the parameter given, the value is known', async () => {
    const snap = await load([fixture('unknowns.json')], { parameters: { Mode: 'ENFORCED', PoolId: 'eu-west-1_Live' } })
    const [pool] = itemsOf(snap.regions[0]!.cognito.pools)
    expect(pool!.advancedSecurityMode).toBe('ENFORCED')
    expect(pool!.plan!.unknown).toBeUndefined()
    const dims = itemsOf(snap.regions[0]!.alarms!.metricAlarms)[0]!.metric!.dimensions
    expect(dims[0]).toEqual({ name: 'UserPoolId', value: 'eu-west-1_Live' })
  })
})

describe('several templates are one planned account', () => {
  it('Fn::ImportValue resolves to the export of another template', async () => {
    const auth = tmp(
      'auth.yml',
      `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
Outputs:
  Id:
    Value: !Ref Pool
    Export: { Name: !Sub '\${AWS::StackName}-PoolId' }
`,
    )
    const mon = tmp(
      'mon.yaml',
      `Resources:
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Cognito
      MetricName: CompromisedCredentialRisk
      Dimensions: [{ Name: UserPoolId, Value: !ImportValue auth-PoolId }]
`,
    )
    const snap = await load([auth, mon])
    const [pool] = itemsOf(snap.regions[0]!.cognito.pools)
    expect(itemsOf(snap.regions[0]!.alarms!.metricAlarms)[0]!.metric!.dimensions[0]!.value).toBe(pool!.id)
  })
})

describe('defaults', () => {
  it('a pool with nothing set, a trail without selectors, an alarm without ActionsEnabled', async () => {
    const file = tmp(
      't.yml',
      `Resources:
  Pool: { Type: AWS::Cognito::UserPool }
  Trail: { Type: AWS::CloudTrail::Trail, Properties: { IsLogging: true, S3BucketName: b } }
  Alarm: { Type: AWS::CloudWatch::Alarm, Properties: { Namespace: AWS/Cognito, MetricName: X } }
`,
    )
    const snap = await load([file])
    const r = snap.regions[0]!
    expect(itemsOf(r.cognito.pools)[0]).toMatchObject({
      advancedSecurityMode: 'OFF',
      tier: 'ESSENTIALS',
      riskConfiguration: null,
    })
    expect(itemsOf(r.cognito.pools)[0]!.plan!.defaulted).toMatchObject({
      advancedSecurityMode: 'UserPoolAddOns left out: threat protection OFF',
      tier: 'UserPoolTier left out: ESSENTIALS',
    })
    expect(itemsOf(r.cloudtrail!.trails)[0]).toMatchObject({
      name: 't-Trail',
      isMultiRegion: false,
      hasCustomEventSelectors: false,
      selectors: { eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
    })
    expect(itemsOf(r.alarms!.metricAlarms)[0]).toMatchObject({
      name: 't-Alarm',
      actionsEnabled: true,
      alarmActions: [],
    })
  })
})

describe('bad input: one line naming the file', () => {
  it('not YAML or JSON', async () => {
    const msg = await failure(load([tmp('x.yml', 'Resources:\n  Pool: [unclosed\n')]))
    expect(msg).toMatch(/x\.yml:\d+: not valid YAML/)
    const json = await failure(load([tmp('x.json', '{"Resources": {,}}')]))
    expect(json).toMatch(/x\.json: not valid JSON \(line 1\)/)
  })

  it('YAML that is not a template', async () => {
    expect(await failure(load([tmp('x.yml', 'just: text\n')]))).toMatch(
      /x\.yml: not a CloudFormation template \(no Resources section\)/,
    )
  })

  it('an unknown tag', async () => {
    expect(await failure(load([tmp('x.yml', 'Resources:\n  A: !Reff B\n')]))).toMatch(
      /x\.yml:2: not valid YAML: unknown tag !Reff/,
    )
  })

  it('a path that does not exist', async () => {
    expect(await failure(load(['/nonexistent/template.yml']))).toBe('template /nonexistent/template.yml: no such file')
  })

  it('a FIFO or a file over the template limit is refused before a byte is read (a FIFO would block)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-'))
    const fifo = join(dir, 'pipe.yml')
    execFileSync('mkfifo', [fifo])
    expect(await failure(load([fifo]))).toBe(`template ${fifo}: is a named pipe (FIFO), not a regular file`)
    const big = join(dir, 'big.json')
    writeFileSync(big, '')
    truncateSync(big, INPUT_LIMITS.template + 1)
    expect(await failure(load([big]))).toBe(`template ${big}: is 32.0 MiB, over the 32 MiB limit for this file`)
  })

  it('a reference to a resource that does not exist, with its line', async () => {
    const file = tmp(
      'x.yml',
      `Resources:
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Dimensions:
        - Name: UserPoolId
          Value: !GetAtt Pol.UserPoolId
`,
    )
    expect(await failure(load([file]))).toMatch(
      /x\.yml:7: Resources\.Alarm\.Properties\.Dimensions\[0\]\.Value: Fn::GetAtt Pol: no resource Pol in the template/,
    )
  })

  it('a variable in !Sub that names nothing', async () => {
    const file = tmp(
      'x.yml',
      'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub "$' + '{Nope}-x"\n',
    )
    expect(await failure(load([file]))).toMatch(/Fn::Sub \$\{Nope\}: no resource, parameter or variable Nope/)
  })

  it('--parameter for a parameter no template declares', async () => {
    expect(await failure(load([fixture('unknowns.json')], { parameters: { Nope: 'x' } }))).toBe(
      '--parameter Nope: no template declares a parameter Nope',
    )
  })

  it('pools without a region', async () => {
    const msg = await failure(loadCloudFormation({ files: [fixture('unknowns.json')], root: ROOT }))
    expect(msg).toMatch(/declares user pools, alarms or trails but no region is given \(pass --region/)
  })
})

describe('template lines', () => {
  it('JSON: the line of a nested key, found from its enclosing key', () => {
    const t = parseTemplate(
      't.json',
      '{\n "Resources": {\n  "A": {\n   "Type": "X",\n   "Properties": {"Type": 1}\n  }\n }\n}',
    )
    expect(t.lineOf(['Resources', 'A'])).toEqual({ line: 3, column: 3 })
    expect(t.lineOf(['Resources', 'A', 'Properties', 'Type'])).toEqual({ line: 5, column: 19 })
    expect(t.lineOf(['Resources', 'A', 'Missing'])).toEqual({ line: 3, column: 3 })
  })
})
