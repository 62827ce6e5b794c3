import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isUnknownMarker, type PlannedSourceInfo } from '../../../../src/model/plan.js'
import type { AccountSnapshot, RegionSnapshot } from '../../../../src/model/snapshot.js'
import { loadTerraformPlan } from '../../../../src/sources/terraform/index.js'
import { planInputFailure } from '../../../support/plan-input.js'
import { itemsOf } from '../../../support/pools.js'

const ROOT = join(import.meta.dirname, '../../../..')
const DIR = 'test/fixtures/plan/terraform'
const PLAN = join(ROOT, DIR, 'plan.json')

function tmpPlan(edit: (plan: Record<string, unknown>) => void): string {
  const plan = JSON.parse(readFileSync(PLAN, 'utf8'))
  edit(plan)
  const file = join(mkdtempSync(join(tmpdir(), 'tfplan-')), 'plan.json')
  writeFileSync(file, JSON.stringify(plan))
  return file
}

const failure = planInputFailure

describe('Terraform plan (format 1.x, written from the JSON output format documentation)', () => {
  let snap: AccountSnapshot
  let r: RegionSnapshot
  beforeAll(async () => {
    snap = await loadTerraformPlan({ file: PLAN, root: ROOT })
    r = snap.regions[0]!
  })
  const pool = (address: string) => itemsOf(r.cognito.pools).find((p) => p.plan!.location.address === address)!
  const alarm = (name: string) => itemsOf(r.alarms!.metricAlarms!).find((a) => a.name === name)!

  it("takes the region from the provider's var.region and the variables", () => {
    expect(snap.source).toMatchObject({ kind: 'planned', format: 'terraform' })
    expect(snap.regions.map((x) => x.region)).toEqual(['eu-west-1'])
  })

  it('a pool being created gets a planned id; an updated pool keeps its live id', () => {
    expect(pool('aws_cognito_user_pool.main')).toMatchObject({
      id: 'planned:aws_cognito_user_pool.main',
      name: 'users',
      tier: 'PLUS',
      advancedSecurityMode: 'ENFORCED',
      plan: { change: 'create', location: { file: `${DIR}/main.tf`, line: 10 } },
    })
    const legacy = pool('aws_cognito_user_pool.legacy')
    expect(legacy).toMatchObject({ id: 'eu-west-1_Legacy', advancedSecurityMode: 'OFF', plan: { change: 'update' } })
    expect(legacy.plan!.defaulted!.advancedSecurityMode).toBe('user_pool_add_ons left out: threat protection OFF')
  })

  it('user_pool_id references attach the client and both risk configurations to the planned pool', () => {
    const main = pool('aws_cognito_user_pool.main')
    expect(itemsOf(main.clients).map((c) => c.id)).toEqual(['planned:aws_cognito_user_pool_client.web'])
    // No client_id: the pool default. An optional + computed event_filter left out is the default (all events).
    expect(main.riskConfiguration).toEqual({
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: { Actions: { HighAction: { EventAction: 'BLOCK', Notify: true } } },
    })
    expect(main.riskConfigurationPlan!.location).toMatchObject({
      address: 'aws_cognito_risk_configuration.default',
      line: 27,
    })
    // client_id = the client's reference: a client-level configuration that replaces the default.
    expect(itemsOf(main.clientRiskConfigurations)).toEqual([
      expect.objectContaining({
        clientId: 'planned:aws_cognito_user_pool_client.web',
        configuration: {
          CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' }, EventFilter: ['SIGN_IN'] },
        },
      }),
    ])
  })

  it('for_each alarms in a module watch the pool passed in through var.pool_id, located in the module file', () => {
    const high = alarm('cognito-ato-High')
    expect(high.metric!.dimensions).toEqual([
      { name: 'Operation', value: 'SignIn' },
      { name: 'RiskLevel', value: 'High' },
      { name: 'UserPoolId', value: 'planned:aws_cognito_user_pool.main' },
    ])
    expect(high.plan!.location).toEqual({
      file: `${DIR}/modules/monitoring/main.tf`,
      line: 5,
      address: 'module.monitoring.aws_cloudwatch_metric_alarm.ato["High"]',
    })
    expect(high.plan!.unknown).toBeUndefined()
  })

  it('metric_query: the metric dimension reference resolves inside the nested block', () => {
    const math = alarm('cognito-compromised')
    expect(math.metric).toBeUndefined()
    expect(math.queries).toEqual([
      { id: 'e1', returnData: true, expression: 'm1' },
      {
        id: 'm1',
        returnData: false,
        metric: {
          namespace: 'AWS/Cognito',
          metricName: 'CompromisedCredentialRisk',
          dimensions: [
            { name: 'Operation', value: 'SignIn' },
            { name: 'UserPoolId', value: 'planned:aws_cognito_user_pool.main' },
          ],
        },
        stat: 'Sum',
        period: 300,
      },
    ])
  })

  it('a count instance with literal dimensions for a live pool', () => {
    const t = alarm('legacy-throttles-0')
    expect(t.metric!.dimensions).toContainEqual({ name: 'UserPool', value: 'eu-west-1_Legacy' })
    expect(t.plan!.location.address).toBe('aws_cloudwatch_metric_alarm.legacy_throttle[0]')
  })

  it('a dimension from a data source read at apply stays unknown: marker in the value, path in plan.unknown', () => {
    const ext = alarm('external-ato')
    const v = ext.metric!.dimensions[0]!.value
    expect(isUnknownMarker(v)).toBe(true)
    expect(ext.plan!.unknown).toEqual({
      'metric.dimensions[UserPoolId]':
        'aws_cloudwatch_metric_alarm.external.dimensions.UserPoolId (known only after apply)',
    })
  })

  it('composite: the rule as planned, an action on a topic created with it counts as an action', () => {
    const [c] = itemsOf(r.alarms!.compositeAlarms!)
    expect(c!.alarmRule).toBe('ALARM("cognito-ato-High") OR ALARM("cognito-compromised")')
    expect(c!.alarmActions).toHaveLength(1)
    expect(c!.plan!.unknown).toBeUndefined()
  })

  it('trail: advanced selectors that exclude cognito-idp; a deleted trail is listed as deleted', () => {
    const [trail] = itemsOf(r.cloudtrail!.trails)
    expect(trail).toMatchObject({
      name: 'org-trail',
      arn: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail',
      status: { isLogging: true },
      plan: { change: 'update', location: { line: 131 } },
    })
    expect(trail!.selectors!.advancedEventSelectors![0]!.FieldSelectors[1]).toEqual({
      Field: 'eventSource',
      NotEquals: ['cognito-idp.amazonaws.com'],
    })
    expect((snap.source as PlannedSourceInfo).deleted).toEqual([
      {
        kind: 'trail',
        id: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/old-trail',
        region: 'eu-west-1',
        location: { file: `${DIR}/plan.json`, address: 'aws_cloudtrail.old' },
      },
    ])
  })

  it('without the .tf files, a location is the plan file and the address', async () => {
    const file = tmpPlan(() => {})
    const s = await loadTerraformPlan({ file, root: ROOT })
    const p = itemsOf(s.regions[0]!.cognito.pools)[0]!
    expect(p.plan!.location.line).toBeUndefined()
    expect(p.plan!.location.address).toBe('aws_cognito_user_pool.main')
  })

  it('an advanced_security_mode known only after apply is unknown, not OFF-and-fine', async () => {
    const file = tmpPlan((plan) => {
      const rc = (
        plan.resource_changes as Array<{
          change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> }
        }>
      )[0]!
      rc.change.after.user_pool_add_ons = [{ advanced_security_additional_flows: [] }]
      rc.change.after_unknown.user_pool_add_ons = [{ advanced_security_mode: true }]
    })
    const p = itemsOf((await loadTerraformPlan({ file, root: ROOT })).regions[0]!.cognito.pools)[0]!
    expect(p.advancedSecurityMode).toBe('OFF')
    expect(p.plan!.unknown!.advancedSecurityMode).toBe(
      'aws_cognito_user_pool.main.user_pool_add_ons[0].advanced_security_mode (known only after apply)',
    )
  })
})

describe('Terraform plan: bad input', () => {
  it('another format major', async () => {
    const file = tmpPlan((plan) => {
      plan.format_version = '2.0'
    })
    expect(await failure(loadTerraformPlan({ file, root: ROOT }))).toMatch(
      /plan\.json: Terraform JSON format_version 2\.0 is not supported \(this gate reads format 1\.x\)$/,
    )
  })

  it('not JSON, not a plan, a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfplan-'))
    writeFileSync(join(dir, 'a.json'), 'Terraform will perform the following actions:')
    expect(await failure(loadTerraformPlan({ file: join(dir, 'a.json') }))).toMatch(
      /a\.json: not valid JSON .*terraform show -json PLANFILE/,
    )
    writeFileSync(join(dir, 'b.json'), '{"hello": 1}')
    expect(await failure(loadTerraformPlan({ file: join(dir, 'b.json') }))).toMatch(/b\.json: no format_version/)
    expect(await failure(loadTerraformPlan({ file: join(dir, 'none.json') }))).toMatch(
      /terraform-plan .*none\.json: no such file/,
    )
  })

  it('.tf files are read as input files: a FIFO or an oversized main.tf is refused in one line; a directory named x.tf is skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfplan-'))
    copyFileSync(PLAN, join(dir, 'plan.json'))
    const tf = join(dir, 'main.tf')
    copyFileSync(join(ROOT, DIR, 'main.tf'), tf)
    mkdirSync(join(dir, 'old.tf'))
    const ok = await loadTerraformPlan({ file: join(dir, 'plan.json'), root: dir })
    const p = itemsOf(ok.regions[0]!.cognito.pools).find(
      (x) => x.plan!.location.address === 'aws_cognito_user_pool.main',
    )!
    expect(p.plan!.location).toMatchObject({ file: 'main.tf', line: 10 })

    // A size over the limit is refused from the file's size, before a byte is read (a sparse file here).
    truncateSync(tf, 33 * 1024 * 1024)
    expect(await failure(loadTerraformPlan({ file: join(dir, 'plan.json'), root: dir }))).toMatch(
      /^terraform file .*main\.tf: is 33 MiB, over the 32 MiB limit for this file$/,
    )
    // A FIFO would block the read for ever.
    const fifoDir = mkdtempSync(join(tmpdir(), 'tfplan-'))
    copyFileSync(PLAN, join(fifoDir, 'plan.json'))
    execFileSync('mkfifo', [join(fifoDir, 'main.tf')])
    expect(await failure(loadTerraformPlan({ file: join(fifoDir, 'plan.json'), root: fifoDir }))).toMatch(
      /^terraform file .*main\.tf: is a named pipe \(FIFO\), not a regular file$/,
    )
  })

  it('a provider region that the plan does not show, and no --region', async () => {
    const file = tmpPlan((plan) => {
      plan.variables = {}
    })
    expect(await failure(loadTerraformPlan({ file, root: ROOT }))).toMatch(/has no region in the plan .*pass --region/)
    const s = await loadTerraformPlan({ file, root: ROOT, region: 'us-west-2' })
    expect(s.regions.map((x) => x.region)).toEqual(['us-west-2'])
  })
})
