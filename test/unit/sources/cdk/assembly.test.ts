import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Stack } from 'aws-cdk-lib'
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail'
import * as cw from 'aws-cdk-lib/aws-cloudwatch'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import { afterAll, describe, expect, it } from 'vitest'
import type { PlannedSourceInfo } from '../../../../src/model/plan.js'
import type { AccountSnapshot, UserPool } from '../../../../src/model/snapshot.js'
import { loadCdkAssembly } from '../../../../src/sources/cdk/index.js'
import { PlanInputError } from '../../../../src/sources/planned/errors.js'
import { cleanup, compliantApp, ENV, synth } from './apps.js'
import { itemsOf } from '../../../support/pools.js'

afterAll(cleanup)

const ROOT = join(import.meta.dirname, '../../../..')
const APPS = 'test/unit/sources/cdk/apps.ts'
const THIS = 'test/unit/sources/cdk/assembly.test.ts'

const load = (dir: string, region?: string) => loadCdkAssembly({ dir, root: ROOT, ...(region ? { region } : {}) })
const pools = (s: AccountSnapshot): UserPool[] => s.regions.flatMap((r) => itemsOf(r.cognito.pools))
const lineOf = (file: string, needle: string) =>
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle)) + 1

describe('CDK cloud assembly: compliant app', () => {
  const dir = synth((app) => compliantApp(app))

  it('reads the pool, its client and the ALL risk attachment as the pool default', async () => {
    const snap = await load(dir)
    expect(snap.source).toMatchObject({ kind: 'planned', format: 'cdk' })
    expect(snap.accountId).toBe('123456789012')
    expect(snap.regions.map((r) => r.region)).toEqual(['eu-west-1'])
    const [pool] = pools(snap)
    expect(pool).toMatchObject({ tier: 'PLUS', advancedSecurityMode: 'ENFORCED', region: 'eu-west-1' })
    expect(pool!.id).toMatch(/^planned:Auth\/Pool[0-9A-F]{8}$/)
    expect(itemsOf(pool!.clients)).toHaveLength(1)
    expect(pool!.riskConfiguration?.CompromisedCredentialsRiskConfiguration?.Actions.EventAction).toBe('BLOCK')
    expect(pool!.riskConfiguration?.AccountTakeoverRiskConfiguration?.Actions.HighAction).toEqual({
      EventAction: 'BLOCK',
      Notify: true,
    })
    // The client has no configuration of its own: it inherits the pool default.
    expect(itemsOf(pool!.clientRiskConfigurations)).toEqual([{ clientId: itemsOf(pool!.clients)[0]!.id, configuration: null }])
    expect(pool!.plan?.unknown).toBeUndefined()
  })

  it('points each object at the line of the user code that created it', async () => {
    const snap = await load(dir)
    const [pool] = pools(snap)
    expect(pool!.plan!.location).toMatchObject({
      file: APPS,
      line: lineOf(APPS, "new cognito.UserPool(stack, 'Pool'"),
      stack: 'Auth',
      constructPath: '/Auth/Pool/Resource',
    })
    expect(pool!.riskConfigurationPlan!.location).toMatchObject({
      file: APPS,
      line: lineOf(APPS, "new cognito.CfnUserPoolRiskConfigurationAttachment(stack, 'Risk'"),
    })
    const trail = itemsOf(snap.regions[0]!.cloudtrail!.trails)[0]!
    expect(trail.plan!.location).toMatchObject({
      file: APPS,
      line: lineOf(APPS, "new cloudtrail.Trail(stack, 'Trail')"),
    })
  })

  it('resolves alarm dimensions to the planned pool, math queries and the composite rule to planned ARNs', async () => {
    const snap = await load(dir)
    const [pool] = pools(snap)
    const alarms = snap.regions[0]!.alarms!
    const single = itemsOf(alarms.metricAlarms!).find((a) => a.metric?.metricName === 'AccountTakeoverRisk')!
    expect(single.metric!.dimensions).toContainEqual({ name: 'UserPoolId', value: pool!.id })
    expect(single.alarmActions).toHaveLength(1)
    expect(single.alarmActions[0]).toMatch(/^arn:aws:sns:eu-west-1:123456789012:/)
    const math = itemsOf(alarms.metricAlarms!).find((a) => a.queries)!
    expect(math.queries!.find((q) => q.returnData)!.expression).toBe('m1')
    expect(math.queries!.find((q) => q.id === 'm1')!.metric!.dimensions).toContainEqual({
      name: 'UserPoolId',
      value: pool!.id,
    })
    const [composite] = itemsOf(alarms.compositeAlarms!)
    // CDK names children by ARN through Fn::GetAtt inside Fn::Join: both must resolve to the children's ARNs.
    expect(composite!.alarmRule).toContain(`ALARM("${single.arn}")`)
    expect(composite!.alarmRule).toContain(`ALARM("${math.arn}")`)
    expect(composite!.alarmActions).toHaveLength(1)
  })

  it('reads the default Trail as logging, multi-region, with all management events (empty EventSelectors)', async () => {
    const trail = itemsOf((await load(dir)).regions[0]!.cloudtrail!.trails)[0]!
    expect(trail).toMatchObject({ isMultiRegion: true, logFileValidation: true, status: { isLogging: true } })
    expect(trail.selectors).toEqual({ eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] })
    expect(trail.plan!.defaulted?.selectors).toMatch(/all read and write management events/)
  })
})

describe('CDK cloud assembly: tricky cases', () => {
  it('a default UserPool: threat protection OFF and tier ESSENTIALS, both reported as defaulted', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'Bare', { env: ENV })
      new cognito.UserPool(s, 'Pool')
    })
    const [pool] = pools(await load(dir))
    expect(pool).toMatchObject({ advancedSecurityMode: 'OFF', tier: 'ESSENTIALS', riskConfiguration: null })
    expect(pool!.customAuthMode).toBeUndefined()
    expect(Object.keys(pool!.plan!.defaulted!)).toEqual(
      expect.arrayContaining(['advancedSecurityMode', 'tier', 'riskConfiguration']),
    )
  })

  it('AUDIT_ONLY is AUDIT; a custom-auth mode alone still writes AdvancedSecurityMode OFF', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'Audit', { env: ENV })
      new cognito.UserPool(s, 'Pool', {
        featurePlan: cognito.FeaturePlan.PLUS,
        standardThreatProtectionMode: cognito.StandardThreatProtectionMode.AUDIT_ONLY,
      })
      new cognito.UserPool(s, 'CustomOnly', {
        featurePlan: cognito.FeaturePlan.PLUS,
        customThreatProtectionMode: cognito.CustomThreatProtectionMode.AUDIT_ONLY,
      })
    })
    const byName = new Map(pools(await load(dir)).map((p) => [p.plan!.location.constructPath, p]))
    expect(byName.get('/Audit/Pool/Resource')).toMatchObject({ advancedSecurityMode: 'AUDIT', tier: 'PLUS' })
    expect(byName.get('/Audit/CustomOnly/Resource')).toMatchObject({
      advancedSecurityMode: 'OFF',
      customAuthMode: 'AUDIT',
    })
  })

  it('a client-level attachment that only sets compromised credentials replaces the default for that client', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'ClientRisk', { env: ENV })
      const pool = new cognito.UserPool(s, 'Pool', {
        featurePlan: cognito.FeaturePlan.PLUS,
        standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      })
      const web = pool.addClient('Web')
      pool.addClient('Mobile')
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
    const [pool] = pools(await load(dir))
    const web = itemsOf(pool!.clients).find((c) => c.plan!.location.constructPath === '/ClientRisk/Pool/Web/Resource')!
    const mobile = itemsOf(pool!.clients).find((c) => c !== web)!
    expect(pool!.riskConfiguration?.AccountTakeoverRiskConfiguration).toBeDefined()
    const own = itemsOf(pool!.clientRiskConfigurations).find((c) => c.clientId === web.id)!
    expect(own.configuration).toEqual({
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
    })
    expect(own.plan!.location.file).toBe(THIS)
    expect(itemsOf(pool!.clientRiskConfigurations).find((c) => c.clientId === mobile.id)!.configuration).toBeNull()
  })

  it("an alarm on another pool's Ref names that pool, not this one", async () => {
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
    const snap = await load(dir)
    const other = pools(snap).find((p) => p.plan!.location.constructPath === '/TwoPools/Other/Resource')!
    const main = pools(snap).find((p) => p !== other)!
    const dims = itemsOf(snap.regions[0]!.alarms!.metricAlarms)[0]!.metric!.dimensions
    expect(dims).toContainEqual({ name: 'UserPoolId', value: other.id })
    expect(dims.some((d) => d.value === main.id)).toBe(false)
  })

  it('a trail whose advanced selectors exclude cognito-idp keeps that selector', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'Trails', { env: ENV })
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
    const trail = itemsOf((await load(dir)).regions[0]!.cloudtrail!.trails)[0]!
    expect(trail.hasCustomEventSelectors).toBe(true)
    expect(trail.selectors!.advancedEventSelectors![0]!.FieldSelectors).toContainEqual({
      Field: 'eventSource',
      NotEquals: ['cognito-idp.amazonaws.com'],
    })
  })

  it('several stacks are one planned account: an alarm stack watches a pool through a cross-stack export', async () => {
    const dir = synth((app) => {
      const auth = new Stack(app, 'Auth', { env: ENV })
      const pool = new cognito.UserPool(auth, 'Pool')
      const mon = new Stack(app, 'Monitoring', { env: ENV })
      new cw.Metric({
        namespace: 'AWS/Cognito',
        metricName: 'CompromisedCredentialRisk',
        dimensionsMap: { UserPoolId: pool.userPoolId, Operation: 'SignIn' },
        statistic: 'Sum',
      }).createAlarm(mon, 'Alarm', { threshold: 1, evaluationPeriods: 1 })
    })
    const snap = await load(dir)
    expect((snap.source as PlannedSourceInfo).stacks.map((s) => s.name).sort()).toEqual(['Auth', 'Monitoring'])
    const template = JSON.parse(readFileSync(join(dir, 'Monitoring.template.json'), 'utf8'))
    expect(JSON.stringify(template)).toContain('Fn::ImportValue')
    const [pool] = pools(snap)
    const alarm = itemsOf(snap.regions[0]!.alarms!.metricAlarms)[0]!
    expect(alarm.metric!.dimensions).toContainEqual({ name: 'UserPoolId', value: pool!.id })
    expect(alarm.plan!.location.stack).toBe('Monitoring')
  })

  it('a stack without env takes --region; without one, a stack with pools is bad input', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'Agnostic')
      new cognito.UserPool(s, 'Pool')
    })
    const snap = await load(dir, 'us-east-2')
    expect(pools(snap)[0]!.region).toBe('us-east-2')
    expect(snap.accountId).toBeUndefined()
    await expect(load(dir)).rejects.toThrow(
      /stack Agnostic declares user pools, alarms or trails but no region is given/,
    )
  })

  it('without creation stacks, a location falls back to the template line in the assembly', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'NoTrace', { env: ENV })
      new cognito.UserPool(s, 'Pool')
    })
    // Drop the metadata file: only the template remains to point at.
    rmSync(join(dir, 'NoTrace.metadata.json'), { force: true })
    const [pool] = pools(await load(dir))
    expect(pool!.plan!.location.file).toMatch(/NoTrace\.template\.json$/)
    expect(pool!.plan!.location.line).toBeGreaterThan(1)
  })
})

describe('CDK cloud assembly: bad input', () => {
  it('a directory without manifest.json', async () => {
    const dir = synth(() => {})
    rmSync(join(dir, 'manifest.json'))
    const err = await load(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PlanInputError)
    expect((err as Error).message).toMatch(/no manifest\.json \(not a cloud assembly; run "npx cdk synth"/)
  })

  it('a manifest.json that is a FIFO is refused, not waited on', async () => {
    const dir = synth(() => {})
    rmSync(join(dir, 'manifest.json'))
    execFileSync('mkfifo', [join(dir, 'manifest.json')])
    await expect(load(dir)).rejects.toThrow(
      `cdk-out ${join(dir, 'manifest.json')}: is a named pipe (FIFO), not a regular file`,
    )
  })

  it('a path that does not exist', async () => {
    await expect(load('/nonexistent/cdk.out')).rejects.toThrow('cdk-out /nonexistent/cdk.out: no such directory')
  })

  it('a template that refers to a resource it does not have', async () => {
    const dir = synth((app) => {
      const s = new Stack(app, 'Broken', { env: ENV })
      new cognito.UserPool(s, 'Pool')
    })
    const file = join(dir, 'Broken.template.json')
    const t = JSON.parse(readFileSync(file, 'utf8'))
    t.Resources.Alarm = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Dimensions: [{ Name: 'UserPoolId', Value: { Ref: 'Missing' } }] },
    }
    writeFileSync(file, JSON.stringify(t, null, 1))
    const err = (await load(dir).catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(PlanInputError)
    expect(err.message).toMatch(
      /Broken\.template\.json:\d+: Resources\.Alarm\.Properties\.Dimensions\[0\]\.Value: Ref Missing: no resource or parameter Missing/,
    )
    expect(err.message.split('\n')).toHaveLength(1)
  })
})
