/**
 * The pre-deploy gate end to end through the CLI (`cognito-compliance plan`): CDK apps synthesized with
 * the real aws-cdk-lib, hand-written templates, the Terraform fixtures; each check's tricky cases judged
 * as a plan. No AWS call is made (no --live).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Stack } from 'aws-cdk-lib'
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail'
import * as cw from 'aws-cdk-lib/aws-cloudwatch'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import { afterAll, describe, expect, it } from 'vitest'
import type { Finding } from '../../../src/model/finding.js'
import { runCli } from '../../support/cli.js'
import { cleanup, compliantApp, ENV, synth } from '../sources/cdk/apps.js'

afterAll(cleanup)
const tmp = mkdtempSync(join(tmpdir(), 'plan-gate-'))

function policy(text: string): string {
  const path = join(tmp, `policy-${Math.random().toString(36).slice(2)}.yml`)
  writeFileSync(path, text)
  return path
}

const run = (args: string[]) => runCli(args)

async function judge(args: string[]): Promise<{ code: number; findings: Finding[]; verdict: Record<string, unknown> }> {
  const r = await run(['plan', ...args, '--json'])
  if (!r.out) throw new Error(r.err)
  const report = JSON.parse(r.out)
  return { code: r.code, findings: report.findings, verdict: report.verdict }
}

const of = (fs: Finding[], checkId: string) => fs.filter((f) => f.checkId === checkId)

describe('plan: every check on the CDK apps', () => {
  it('the compliant app: threat protection, enforcement and the trail pass, all introduced by the change', async () => {
    const dir = synth((app) => compliantApp(app))
    const { findings } = await judge(['--cdk-out', dir])
    for (const id of ['threat-protection', 'threat-protection-enforcement', 'cloudtrail-capture']) {
      expect(of(findings, id).map((f) => f.status)).toEqual(['pass'])
    }
    expect(findings.every((f) => f.origin === 'introduced')).toBe(true)
    expect(findings.some((f) => f.requirement === 'activity')).toBe(false)
  }, 60_000)

  it('a default UserPool fails threat protection and names the defaulted values; alarms and trail are not in the plan', async () => {
    const dir = synth((app) => {
      new cognito.UserPool(new Stack(app, 'Bare', { env: ENV }), 'Pool')
    })
    const { code, findings } = await judge(['--cdk-out', dir])
    expect(code).toBe(1)
    const [tp] = of(findings, 'threat-protection')
    expect(tp!.status).toBe('fail')
    expect(tp!.message).toMatch(/Defaulted \(not set in the plan\): .*UserPoolAddOns left out: threat protection OFF/)
    expect(tp!.message).toMatch(/UserPoolTier/)
    expect(of(findings, 'cloudtrail-capture').map((f) => f.status)).toEqual(['not-in-plan'])
    expect(of(findings, 'alarms-risk').every((f) => f.status === 'not-in-plan')).toBe(true)
    expect(of(findings, 'cloudtrail-capture')[0]!.message).toMatch(/Add --live .*or narrow the requirements/)
  })

  it('AUDIT_ONLY fails a policy that requires ENFORCED', async () => {
    const dir = synth((app) => {
      new cognito.UserPool(new Stack(app, 'Audit', { env: ENV }), 'Pool', {
        featurePlan: cognito.FeaturePlan.PLUS,
        standardThreatProtectionMode: cognito.StandardThreatProtectionMode.AUDIT_ONLY,
      })
    })
    const p = policy('version: 1\nthreat-protection: { mode: ENFORCED }\n')
    const { findings } = await judge(['--cdk-out', dir, '--policy', p])
    const [tp] = of(findings, 'threat-protection')
    expect(tp).toMatchObject({ status: 'fail' })
    expect(tp!.message).toMatch(/only AUDIT/)
  })

  it('a client-level attachment that only sets compromised credentials fails enforcement for that client', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'ClientRisk', { env: ENV })
      const pool = new cognito.UserPool(s, 'Pool', {
        featurePlan: cognito.FeaturePlan.PLUS,
        standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      })
      const web = pool.addClient('Web')
      new cognito.CfnUserPoolRiskConfigurationAttachment(s, 'AllClients', {
        userPoolId: pool.userPoolId,
        clientId: 'ALL',
        compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
        accountTakeoverRiskConfiguration: { actions: { highAction: { eventAction: 'BLOCK', notify: false } } },
      })
      new cognito.CfnUserPoolRiskConfigurationAttachment(s, 'WebOnly', {
        userPoolId: pool.userPoolId,
        clientId: web.userPoolClientId,
        compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
      })
    })
    const { findings } = await judge(['--cdk-out', dir])
    const enforcement = of(findings, 'threat-protection-enforcement')
    const client = enforcement.find((f) => f.resource !== undefined)!
    expect(client.status).toBe('fail')
    expect(client.message).toMatch(/account-takeover/)
    expect(enforcement.find((f) => f.resource === undefined)!.status).toBe('pass')
  })

  it("an alarm on another pool's Ref does not cover this pool", async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'TwoPools', { env: ENV })
      new cognito.UserPool(s, 'Main')
      const other = new cognito.UserPool(s, 'Other')
      new cw.Metric({
        namespace: 'AWS/Cognito',
        metricName: 'AccountTakeoverRisk',
        dimensionsMap: { UserPoolId: other.userPoolId, Operation: 'SignIn', RiskLevel: 'High' },
        statistic: 'Sum',
      }).createAlarm(s, 'Alarm', { threshold: 1, evaluationPeriods: 1 })
    })
    const { findings } = await judge(['--cdk-out', dir])
    const main = of(findings, 'alarms-risk').filter((f) => f.poolId?.includes('Main'))
    expect(main.length).toBeGreaterThan(0)
    expect(main.every((f) => f.status === 'fail')).toBe(true)
  })

  it('a trail whose advanced selectors exclude cognito-idp fails CloudTrail capture', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'Trails', { env: ENV })
      new cognito.UserPool(s, 'Pool')
      const trail = new cloudtrail.Trail(s, 'Trail')
      const cfn = trail.node.defaultChild as cloudtrail.CfnTrail
      cfn.eventSelectors = undefined
      cfn.advancedEventSelectors = [
        {
          name: 'management without Cognito',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Management'] },
            { field: 'eventSource', notEquals: ['cognito-idp.amazonaws.com'] },
          ],
        },
      ]
    })
    const { findings } = await judge(['--cdk-out', dir])
    expect(of(findings, 'cloudtrail-capture').map((f) => f.status)).toEqual(['fail'])
  })
})

describe('plan: unknown values and the outside-plan policy', () => {
  const template = (props: string) => {
    const path = join(tmp, `t-${Math.random().toString(36).slice(2)}.yml`)
    writeFileSync(
      path,
      `Parameters:\n  Mode:\n    Type: String\nResources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n${props}`,
    )
    return path
  }

  it('a mode from a parameter without default is error "cannot be decided before deploy", never a fail', async () => {
    const t = template('      UserPoolTier: PLUS\n      UserPoolAddOns:\n        AdvancedSecurityMode: !Ref Mode\n')
    const { findings } = await judge(['--template', t, '--region', 'eu-west-1'])
    const [tp] = of(findings, 'threat-protection')
    expect(tp!.status).toBe('error')
    expect(tp!.message).toMatch(
      /^Cannot be decided before deploy: Resources\.Pool\.Properties\.UserPoolAddOns\.AdvancedSecurityMode/,
    )
  })

  it('--parameter decides it', async () => {
    const t = template('      UserPoolTier: PLUS\n      UserPoolAddOns:\n        AdvancedSecurityMode: !Ref Mode\n')
    const { findings } = await judge(['--template', t, '--region', 'eu-west-1', '--parameter', 'Mode=ENFORCED'])
    expect(of(findings, 'threat-protection')[0]!.status).toBe('pass')
  })

  it('not in this plan fails the gate by default and not with plan.outside-plan: ignore', async () => {
    const t = template('      UserPoolTier: PLUS\n      UserPoolAddOns:\n        AdvancedSecurityMode: AUDIT\n')
    const only = 'version: 1\nalarms: { enabled: false }\nthreat-protection: { require-blocking: false }\n'
    const strict = await judge(['--template', t, '--region', 'eu-west-1', '--policy', policy(only)])
    expect(of(strict.findings, 'cloudtrail-capture').map((f) => f.status)).toEqual(['not-in-plan'])
    expect(strict.code).toBe(1)
    const lenient = await judge([
      '--template',
      t,
      '--region',
      'eu-west-1',
      '--policy',
      policy(`${only}plan: { outside-plan: ignore }\n`),
    ])
    expect(of(lenient.findings, 'cloudtrail-capture').map((f) => f.status)).toEqual(['not-in-plan'])
    expect(lenient.code).toBe(0)
  })

  it('the Terraform fixture: after_unknown dimensions make the alarm requirements error', async () => {
    const { findings } = await judge(['--terraform-plan', 'test/fixtures/plan/terraform/plan.json'])
    const risk = of(findings, 'alarms-risk').filter((f) => f.status !== 'pass')
    expect(risk.length).toBeGreaterThan(0)
    expect(risk.every((f) => f.status === 'error' && /known only after apply/.test(f.message))).toBe(true)
  })
})

describe('plan: bad input is one line, exit 2, before any AWS call', () => {
  const file = (name: string, text: string) => {
    const path = join(tmp, name)
    writeFileSync(path, text)
    return path
  }
  const cases: Array<[string, () => string[]]> = [
    [
      'a template that is not YAML or JSON',
      () => ['--template', file('bad.yml', 'Resources: [\n  : :\n'), '--region', 'eu-west-1'],
    ],
    [
      'a Terraform plan of another major format version',
      () => ['--terraform-plan', file('plan2.json', '{"format_version":"2.0","resource_changes":[]}')],
    ],
    ['a cdk.out without manifest', () => ['--cdk-out', mkdtempSync(join(tmp, 'cdk-'))]],
    ['a path that does not exist', () => ['--template', join(tmp, 'missing.yml'), '--region', 'eu-west-1']],
    [
      'a reference to a resource that does not exist',
      () => [
        '--template',
        file(
          'ref.yml',
          'Resources:\n  A:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Dimensions:\n        - Name: UserPoolId\n          Value: !Ref Nope\n',
        ),
        '--region',
        'eu-west-1',
      ],
    ],
    [
      'pools with no region',
      () => ['--template', file('noregion.yml', 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n')],
    ],
    ['no input at all', () => []],
    ['two inputs', () => ['--template', 'a.yml', '--cdk-out', 'cdk.out']],
    ['a malformed parameter', () => ['--template', 'a.yml', '--parameter', 'novalue']],
  ]
  it.each(cases)('%s', async (_name, args) => {
    const r = await run(['plan', ...args()])
    expect(r.code).toBe(2)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/^cognito-compliance: /)
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/)
  })
})
