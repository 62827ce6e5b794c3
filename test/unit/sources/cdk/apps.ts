/**
 * CDK apps for the cloud assembly tests, synthesized in process with the real aws-cdk-lib into a
 * temporary directory (nothing synthesized is kept in the repository).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, Stack, type StackProps } from 'aws-cdk-lib'
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail'
import * as cw from 'aws-cdk-lib/aws-cloudwatch'
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import * as sns from 'aws-cdk-lib/aws-sns'

export const ENV = { account: '123456789012', region: 'eu-west-1' }
const dirs: string[] = []

/** Synthesizes `build(app)` and returns the cloud assembly directory. */
export function synth(build: (app: App) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'))
  dirs.push(outdir)
  const app = new App({ outdir })
  build(app)
  app.synth()
  return outdir
}

export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
}

export function riskAlarm(stack: Stack, id: string, pool: cognito.IUserPool, topic: sns.ITopic): cw.Alarm {
  const alarm = new cw.Metric({
    namespace: 'AWS/Cognito',
    metricName: 'AccountTakeoverRisk',
    dimensionsMap: { UserPoolId: pool.userPoolId, Operation: 'SignIn', RiskLevel: 'High' },
    statistic: 'Sum',
  }).createAlarm(stack, id, {
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cw.TreatMissingData.NOT_BREACHING,
  })
  alarm.addAlarmAction(new actions.SnsAction(topic))
  return alarm
}

/** PLUS, FULL_FUNCTION, risk attachment for ALL clients, a metric alarm, a math alarm, a composite, a trail. */
export function compliantApp(app: App, props: StackProps = { env: ENV }): void {
  const stack = new Stack(app, 'Auth', props)
  const pool = new cognito.UserPool(stack, 'Pool', {
    featurePlan: cognito.FeaturePlan.PLUS,
    standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
  })
  pool.addClient('Web')
  new cognito.CfnUserPoolRiskConfigurationAttachment(stack, 'Risk', {
    userPoolId: pool.userPoolId,
    clientId: 'ALL',
    compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
    accountTakeoverRiskConfiguration: {
      actions: {
        highAction: { eventAction: 'BLOCK', notify: true },
        mediumAction: { eventAction: 'MFA_REQUIRED', notify: true },
        lowAction: { eventAction: 'NO_ACTION', notify: false },
      },
    },
  })
  const topic = new sns.Topic(stack, 'Alerts')
  const high = riskAlarm(stack, 'HighRisk', pool, topic)
  const math = new cw.MathExpression({
    expression: 'm1',
    usingMetrics: {
      m1: new cw.Metric({
        namespace: 'AWS/Cognito',
        metricName: 'CompromisedCredentialRisk',
        dimensionsMap: { UserPoolId: pool.userPoolId, Operation: 'SignIn' },
        statistic: 'Sum',
      }),
    },
  }).createAlarm(stack, 'Compromised', { threshold: 1, evaluationPeriods: 1 })
  const composite = new cw.CompositeAlarm(stack, 'AnyRisk', {
    alarmRule: cw.AlarmRule.anyOf(
      cw.AlarmRule.fromAlarm(high, cw.AlarmState.ALARM),
      cw.AlarmRule.fromAlarm(math, cw.AlarmState.ALARM),
    ),
  })
  composite.addAlarmAction(new actions.SnsAction(topic))
  new cloudtrail.Trail(stack, 'Trail')
}
