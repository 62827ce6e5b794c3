/**
 * `npm run bench:plan [-- --tenants N --copies M --runs R]`
 *
 * The pre-deploy gate's read + judge time on large inputs, generated at run time into a temporary
 * directory (never committed):
 *  - a synthesized-like CDK cloud assembly: one stack of about 5 MB (`--tenants`, default 420: a pool,
 *    an app client, a pool-level risk attachment, two risk alarms, a metric-math throttle alarm and a
 *    composite alarm per tenant, each with its IAM role and Lambda trigger as CDK writes them, and one
 *    trail), its manifest and its `<Stack>.metadata.json` with creation stacks;
 *  - a Terraform plan JSON of about 2,000 resources (`--copies`, default 200, of the root-module resources
 *    of the test fixture written from the plan format documentation, with its modules and trails once).
 *
 * For each input it prints the median of `--runs` (default 5) of: parsing alone (JSON.parse of every file
 * read), read + judge (the source building the planned snapshot, then every check), and their ratio, in
 * wall time and in CPU time (`process.cpuUsage`, user + system, every thread of the process): on a
 * machine shared with other work the wall time includes waiting for a core, the CPU time does not.
 * Not a timed test: the numbers go into the README's performance section.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { evaluate } from '../src/checks/index.js'
import { type AccountSnapshot, itemsRead } from '../src/model/snapshot.js'
import { parsePolicy } from '../src/policy/load.js'
import { loadCdkAssembly } from '../src/sources/cdk/index.js'
import { loadTerraformPlan } from '../src/sources/terraform/index.js'

const REGION = 'eu-west-1'
const ROOT = join(import.meta.dirname, '..')

function options(): { tenants: number; copies: number; runs: number } {
  const { values } = parseArgs({
    options: {
      tenants: { type: 'string', default: '420' },
      copies: { type: 'string', default: '200' },
      runs: { type: 'string', default: '5' },
    },
  })
  const n = (name: string, v: string | undefined) => {
    const x = Number(v)
    if (!Number.isInteger(x) || x < 1) {
      console.error(`--${name} must be a positive integer`)
      process.exit(2)
    }
    return x
  }
  return { tenants: n('tenants', values.tenants), copies: n('copies', values.copies), runs: n('runs', values.runs) }
}

/** Every requirement a plan can be judged on, on. */
const POLICY = `version: 1
regions: [${REGION}]
threat-protection:
  mode: ENFORCED
alarms:
  enabled: true
cloudtrail:
  enabled: true
activity:
  enabled: false
`

// ---------------------------------------------------------------------------------------------------
// A synthesized-like CDK stack

function cdkStack(tenants: number): { template: object; metadata: Record<string, unknown[]> } {
  const resources: Record<string, unknown> = {}
  const metadata: Record<string, unknown[]> = {}
  const add = (path: string, id: string, resource: object, line: number) => {
    resources[id] = { ...resource, Metadata: { 'aws:cdk:path': `Bench${path}` } }
    metadata[`/Bench${path}`] = [
      { type: 'aws:cdk:logicalId', data: id },
      {
        type: 'aws:cdk:creationStack',
        data: [
          'new UserPool2 (/work/app/node_modules/aws-cdk-lib/aws-cognito/lib/user-pool.js:1:1)',
          `Tenant.constructor (${join(ROOT, 'bench-app.js')}:${line}:14)`,
          'Module._compile (node:internal/modules/cjs/loader:1554:14)',
        ],
      },
    ]
  }
  for (let i = 0; i < tenants; i++) {
    const t = `Tenant${i}`
    const pool = `${t}Pool9A1B2C3D`
    const client = `${t}PoolClientE4F5A6B7`
    const role = `${t}TriggerServiceRole1A2B3C4D`
    const fn = `${t}Trigger5E6F7A8B`
    const policyStatements = Array.from({ length: 6 }, (_, k) => ({
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', `ssm:GetParameter${k}`],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':*']] },
    }))
    add(
      `/${t}/Trigger/ServiceRole/Resource`,
      role,
      {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
            Version: '2012-10-17',
          },
          ManagedPolicyArns: [
            {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
              ],
            },
          ],
          Policies: [{ PolicyName: 'inline', PolicyDocument: { Statement: policyStatements, Version: '2012-10-17' } }],
        },
      },
      10,
    )
    add(
      `/${t}/Trigger/Resource`,
      fn,
      {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { ZipFile: `exports.handler = async (event) => { /* tenant ${i} */ ${'return event; '.repeat(60)} }` },
          Handler: 'index.handler',
          Role: { 'Fn::GetAtt': [role, 'Arn'] },
          Runtime: 'nodejs20.x',
          Environment: { Variables: { TENANT: `tenant-${i}`, STAGE: 'prod' } },
        },
        DependsOn: [role],
      },
      11,
    )
    add(
      `/${t}/Pool/Resource`,
      pool,
      {
        Type: 'AWS::Cognito::UserPool',
        Properties: {
          UserPoolName: `tenant-${i}-users`,
          UserPoolTier: 'PLUS',
          UserPoolAddOns: { AdvancedSecurityMode: i % 7 === 0 ? 'AUDIT' : 'ENFORCED' },
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          AutoVerifiedAttributes: ['email'],
          LambdaConfig: { PreSignUp: { 'Fn::GetAtt': [fn, 'Arn'] } },
          Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireNumbers: true } },
          Schema: Array.from({ length: 8 }, (_, k) => ({
            Name: `custom${k}`,
            AttributeDataType: 'String',
            Mutable: true,
            StringAttributeConstraints: { MaxLength: '256', MinLength: '1' },
          })),
          UsernameAttributes: ['email'],
          VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailMessage: 'Code: {####}' },
        },
        UpdateReplacePolicy: 'Retain',
        DeletionPolicy: 'Retain',
      },
      12,
    )
    add(
      `/${t}/Pool/Client/Resource`,
      client,
      {
        Type: 'AWS::Cognito::UserPoolClient',
        Properties: {
          UserPoolId: { Ref: pool },
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          CallbackURLs: [`https://tenant-${i}.example.com/callback`],
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          SupportedIdentityProviders: ['COGNITO'],
        },
      },
      13,
    )
    add(
      `/${t}/Risk`,
      `${t}Risk0C1D2E3F`,
      {
        Type: 'AWS::Cognito::UserPoolRiskConfigurationAttachment',
        Properties: {
          UserPoolId: { Ref: pool },
          ClientId: 'ALL',
          CompromisedCredentialsRiskConfiguration: {
            Actions: { EventAction: 'BLOCK' },
            EventFilter: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'],
          },
          AccountTakeoverRiskConfiguration: {
            Actions: {
              HighAction: { EventAction: 'BLOCK', Notify: false },
              MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false },
              LowAction: { EventAction: 'NO_ACTION', Notify: false },
            },
          },
        },
      },
      14,
    )
    const alarms: string[] = []
    for (const [metric, level] of [
      ['AccountTakeoverRisk', 'High'],
      ['CompromisedCredentialRisk', 'High'],
    ] as const) {
      const id = `${t}${metric}Alarm1F2E3D4C`
      alarms.push(id)
      add(
        `/${t}/${metric}/Resource`,
        id,
        {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            EvaluationPeriods: 1,
            Dimensions: [
              { Name: 'UserPoolId', Value: { Ref: pool } },
              { Name: 'Operation', Value: 'SignIn' },
              { Name: 'RiskLevel', Value: level },
            ],
            MetricName: metric,
            Namespace: 'AWS/Cognito',
            Period: 300,
            Statistic: 'Sum',
            Threshold: 1,
            TreatMissingData: 'notBreaching',
            AlarmActions: [{ 'Fn::ImportValue': 'shared-alerts-topic' }],
          },
        },
        15,
      )
    }
    const throttles = `${t}ThrottlesAlarm5A6B7C8D`
    alarms.push(throttles)
    add(
      `/${t}/Throttles/Resource`,
      throttles,
      {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          Metrics: [
            { Expression: 'm1', Id: 'expr_1', ReturnData: true },
            {
              Id: 'm1',
              MetricStat: {
                Metric: {
                  Dimensions: [
                    { Name: 'UserPool', Value: { Ref: pool } },
                    { Name: 'UserPoolClient', Value: { Ref: client } },
                  ],
                  MetricName: 'SignInThrottles',
                  Namespace: 'AWS/Cognito',
                },
                Period: 300,
                Stat: 'Sum',
              },
              ReturnData: false,
            },
          ],
          Threshold: 10,
          AlarmActions: [{ 'Fn::ImportValue': 'shared-alerts-topic' }],
        },
      },
      16,
    )
    add(
      `/${t}/AnyRisk/Resource`,
      `${t}AnyRisk9E8D7C6B`,
      {
        Type: 'AWS::CloudWatch::CompositeAlarm',
        Properties: {
          AlarmRule: {
            'Fn::Join': [
              '',
              alarms
                .flatMap((a, k) => [k === 0 ? '(ALARM("' : '") OR ALARM("', { 'Fn::GetAtt': [a, 'Arn'] }])
                .concat(['"))']),
            ],
          },
          AlarmActions: [{ 'Fn::ImportValue': 'shared-alerts-topic' }],
        },
      },
      17,
    )
  }
  add(
    '/Trail/Resource',
    'TrailA1B2C3D4',
    {
      Type: 'AWS::CloudTrail::Trail',
      Properties: {
        IsLogging: true,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        EventSelectors: [],
        S3BucketName: 'bench-trail-logs',
      },
    },
    30,
  )
  return { template: { Resources: resources }, metadata }
}

async function writeAssembly(dir: string, tenants: number): Promise<string[]> {
  const out = join(dir, 'cdk.out')
  await mkdir(out)
  const { template, metadata } = cdkStack(tenants)
  writeFileSync(join(out, 'Bench.template.json'), JSON.stringify(template, null, 1))
  writeFileSync(join(out, 'Bench.metadata.json'), JSON.stringify(metadata))
  writeFileSync(
    join(out, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: {
        Bench: {
          type: 'aws:cloudformation:stack',
          environment: `aws://123456789012/${REGION}`,
          properties: { templateFile: 'Bench.template.json' },
          additionalMetadataFile: 'Bench.metadata.json',
        },
      },
    }),
  )
  return ['manifest.json', 'Bench.template.json', 'Bench.metadata.json'].map((f) => join(out, f))
}

// ---------------------------------------------------------------------------------------------------
// A Terraform plan of about 2,000 resources

type Json = Record<string, unknown>

function writePlan(dir: string, copies: number): { file: string; resources: number } {
  const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/plan/terraform/plan.json'), 'utf8')) as Json
  const changes = fixture.resource_changes as Json[]
  const config = (fixture.configuration as Json).root_module as Json
  const configResources = config.resources as Json[]
  const copied = (r: Json) =>
    !String(r.address).startsWith('module.') && r.mode === 'managed' && r.type !== 'aws_cloudtrail'
  const names = [
    ...new Set(
      changes.flatMap((c) => {
        const after = (c.change as Json).after as Json | null
        return after && typeof after.alarm_name === 'string' ? [after.alarm_name] : []
      }),
    ),
  ]
  const rename = (text: string, i: number) => {
    let t = text.replace(/\b(aws_[a-z0-9_]+)\.([a-z][a-z0-9_]*)\b/g, (_, type: string, name: string) =>
      type.startsWith('aws_') && !['aws_region'].includes(type) ? `${type}.${name}_c${i}` : `${type}.${name}`,
    )
    t = t.replaceAll('eu-west-1_Legacy', `eu-west-1_Legacy${i}`)
    for (const n of names)
      t = t.replace(new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), `${n}-c${i}`)
    return t
  }
  const outChanges: Json[] = changes.filter((c) => !copied(c))
  const outConfig: Json[] = configResources.filter((c) => !copied(c))
  for (let i = 0; i < copies; i++) {
    for (const c of changes.filter(copied)) {
      const r = JSON.parse(rename(JSON.stringify(c), i)) as Json
      r.name = `${String(c.name)}_c${i}`
      outChanges.push(r)
    }
    for (const c of configResources.filter(copied)) {
      const r = JSON.parse(rename(JSON.stringify(c), i)) as Json
      r.name = `${String(c.name)}_c${i}`
      outConfig.push(r)
    }
  }
  const plan = {
    ...fixture,
    resource_changes: outChanges,
    configuration: { ...(fixture.configuration as Json), root_module: { ...config, resources: outConfig } },
  }
  const file = join(dir, 'plan.json')
  writeFileSync(file, JSON.stringify(plan))
  return { file, resources: outChanges.length }
}

// ---------------------------------------------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

async function measure(
  label: string,
  files: string[],
  runs: number,
  load: () => Promise<AccountSnapshot>,
): Promise<void> {
  const p = parsePolicy(POLICY, 'bench policy')
  const parse: number[] = []
  const full: number[] = []
  const judge: number[] = []
  const parseCpu: number[] = []
  const fullCpu: number[] = []
  const judgeCpu: number[] = []
  const cpu = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  let findings = 0
  let objects = 0
  for (let i = 0; i < runs + 1; i++) {
    const [t0, c0] = [performance.now(), cpu()]
    for (const f of files) JSON.parse(readFileSync(f, 'utf8'))
    const [t1, c1] = [performance.now(), cpu()]
    const snapshot = await load()
    const [tLoaded, cLoaded] = [performance.now(), cpu()]
    const result = evaluate(snapshot, p, '2026-12-07')
    const [t2, c2] = [performance.now(), cpu()]
    if (i === 0) {
      // The first run warms up the JIT; it is not counted.
      findings = result.length
      objects = snapshot.regions.reduce(
        (n, r) =>
          n +
          itemsRead(r.cognito.pools).length +
          (r.alarms?.metricAlarms ? itemsRead(r.alarms.metricAlarms).length : 0) +
          (r.alarms?.compositeAlarms ? itemsRead(r.alarms.compositeAlarms).length : 0) +
          (r.cloudtrail ? itemsRead(r.cloudtrail.trails).length : 0),
        0,
      )
      continue
    }
    parse.push(t1 - t0)
    full.push(t2 - t1)
    judge.push(t2 - tLoaded)
    parseCpu.push(c1 - c0)
    fullCpu.push(c2 - c1)
    judgeCpu.push(c2 - cLoaded)
  }
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0)
  const line = (what: string, ps: number[], fs: number[], js: number[]) => {
    const [p50, f50] = [median(ps), median(fs)]
    return (
      `  ${what}: parse alone ${p50.toFixed(0)} ms, read + judge ${f50.toFixed(0)} ms ` +
      `(of which judging ${median(js).toFixed(0)} ms); ratio ${(f50 / p50).toFixed(2)}`
    )
  }
  console.log(
    `${label}: ${(bytes / 1e6).toFixed(1)} MB read, ${objects} planned pools/alarms/trails, ${findings} findings; median of ${runs}\n` +
      `${line('wall', parse, full, judge)}\n${line('CPU ', parseCpu, fullCpu, judgeCpu)}`,
  )
}

async function main(): Promise<void> {
  const opts = options()
  const dir = mkdtempSync(join(tmpdir(), 'bench-plan-'))
  try {
    const cdkFiles = await writeAssembly(dir, opts.tenants)
    await measure(`CDK assembly (${opts.tenants} tenants)`, cdkFiles, opts.runs, () =>
      loadCdkAssembly({ dir: join(dir, 'cdk.out'), root: ROOT }),
    )
    const { file, resources } = writePlan(dir, opts.copies)
    await measure(`Terraform plan (${resources} resources)`, [file], opts.runs, () =>
      loadTerraformPlan({ file, root: ROOT, region: REGION }),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
