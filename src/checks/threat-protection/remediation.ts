/**
 * Remediation for planned pools, in the language they are written in: the CloudFormation properties, the
 * CDK props or the Terraform arguments to set (or the risk-configuration resource to add), instead of the
 * AWS CLI commands a live pool gets. Values pass through the quoting helpers (`model/iac-snippet.ts`).
 */
import { formatOf } from '../../model/finding-location.js'
import { addResource, referenceTo, type SnippetValue, setProperties, tsEnum } from '../../model/iac-snippet.js'
import type { PlannedInfo } from '../../model/plan.js'
import { type EventAction, itemsRead, type UserPool } from '../../model/snapshot.js'
import type { RequiredMode, RiskLevel } from './policy.js'

const CDK_MODE = { AUDIT: 'AUDIT_ONLY', ENFORCED: 'FULL_FUNCTION' } as const

/** The properties that put a planned pool's threat protection at `required` (standard or custom-auth flows). */
export function plannedModeRemediation(
  pool: UserPool,
  plan: PlannedInfo,
  required: RequiredMode,
  flow: 'standard' | 'custom',
): string {
  const format = formatOf(plan.location)
  const plus = pool.tier !== 'PLUS'
  // Custom-auth protection needs standard protection on too: at least AUDIT.
  const standard: RequiredMode =
    flow === 'standard' ? required : pool.advancedSecurityMode === 'OFF' ? 'AUDIT' : pool.advancedSecurityMode
  const custom = flow === 'custom' ? required : pool.customAuthMode
  const cfnAddOns: { [k: string]: SnippetValue } = { AdvancedSecurityMode: standard }
  const tfAddOns: { [k: string]: SnippetValue } = { advanced_security_mode: standard }
  if (custom) {
    cfnAddOns.AdvancedSecurityAdditionalFlows = { CustomAuthMode: custom }
    tfAddOns.advanced_security_additional_flows = { custom_auth_mode: custom }
  }
  const cdk: { [k: string]: SnippetValue } = {}
  if (plus) cdk.featurePlan = tsEnum('cognito.FeaturePlan.PLUS')
  cdk.standardThreatProtectionMode = tsEnum(`cognito.StandardThreatProtectionMode.${CDK_MODE[standard]}`)
  if (custom) cdk.customThreatProtectionMode = tsEnum(`cognito.CustomThreatProtectionMode.${CDK_MODE[custom]}`)
  const lines = [
    setProperties(plan.location, format, {
      cloudformation: { ...(plus ? { UserPoolTier: 'PLUS' } : {}), UserPoolAddOns: cfnAddOns },
      cdk,
      terraform: { ...(plus ? { user_pool_tier: 'PLUS' } : {}), user_pool_add_ons: tfAddOns },
    }),
  ]
  if (format === 'cdk') {
    lines.push(
      'These replace the deprecated advancedSecurityMode prop: remove it if it is set (CDK refuses both together).',
    )
  }
  if (plus) lines.push('Threat protection needs the Plus feature plan (billed per monthly active user).')
  return lines.join('\n')
}

type Action = EventAction

/** A risk configuration that blocks (the one `enforcementRemediation` gives live pools), per language;
 *  `action` is the account-takeover response at each risk level. */
function riskConfiguration(action: (level: RiskLevel) => Action) {
  const [low, medium, high] = [action('Low'), action('Medium'), action('High')]
  const filter = ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP']
  return {
    cloudformation: {
      CompromisedCredentialsRiskConfiguration: { EventFilter: filter, Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { Notify: false, EventAction: low },
          MediumAction: { Notify: false, EventAction: medium },
          HighAction: { Notify: false, EventAction: high },
        },
      },
    },
    cdk: {
      compromisedCredentialsRiskConfiguration: { eventFilter: filter, actions: { eventAction: 'BLOCK' } },
      accountTakeoverRiskConfiguration: {
        actions: {
          lowAction: { notify: false, eventAction: low },
          mediumAction: { notify: false, eventAction: medium },
          highAction: { notify: false, eventAction: high },
        },
      },
    },
    terraform: {
      compromised_credentials_risk_configuration: { event_filter: filter, actions: { event_action: 'BLOCK' } },
      account_takeover_risk_configuration: {
        actions: {
          low_action: { event_action: low, notify: false },
          medium_action: { event_action: medium, notify: false },
          high_action: { event_action: high, notify: false },
        },
      },
    },
  }
}

const DEFAULT_ACTION = (level: RiskLevel): Action =>
  level === 'High' ? 'BLOCK' : level === 'Medium' ? 'MFA_IF_CONFIGURED' : 'NO_ACTION'

/**
 * The risk configuration of a planned pool (or one app client) that blocks: the properties to set on the
 * planned configuration when there is one, else the resource to add beside the pool.
 */
export function plannedEnforcementRemediation(
  pool: UserPool,
  clientId?: string,
  action: (level: RiskLevel) => Action = DEFAULT_ACTION,
): string | undefined {
  const risk = riskConfiguration(action)
  const own = clientId
    ? itemsRead(pool.clientRiskConfigurations).find((c) => c.clientId === clientId)?.plan
    : pool.riskConfigurationPlan
  const note =
    'This is the whole configuration: keep your RiskExceptionConfiguration (IP lists) if you have one, never one that skips every address; setting any Notify to true also needs a NotifyConfiguration (an SES identity as SourceArn).'
  if (own) {
    return [setProperties(own.location, formatOf(own.location), risk), note].join('\n')
  }
  const plan = pool.plan
  if (!plan) return undefined
  const poolRef = referenceTo(plan.location, 'id', 'userPool.userPoolId')
  const client = clientId ? itemsRead(pool.clients).find((c) => c.id === clientId) : undefined
  const clientRef: SnippetValue = client?.plan
    ? referenceTo(client.plan.location, 'id', 'userPoolClient.userPoolClientId')
    : (clientId ?? 'ALL')
  const base = [plan.location.logicalId ?? plan.location.address ?? pool.name, clientId ? 'client' : '', 'risk']
  const tfClient: { [k: string]: SnippetValue } = clientId ? { client_id: clientRef } : {}
  return [
    addResource(plan.location, formatOf(plan.location), {
      cloudformation: {
        id: base,
        type: 'AWS::Cognito::UserPoolRiskConfigurationAttachment',
        properties: { UserPoolId: poolRef, ClientId: clientRef, ...risk.cloudformation },
      },
      cdk: {
        construct: 'cognito.CfnUserPoolRiskConfigurationAttachment',
        id: clientId ? 'ClientRiskConfiguration' : 'RiskConfiguration',
        props: { userPoolId: poolRef, clientId: clientRef, ...risk.cdk },
      },
      terraform: {
        type: 'aws_cognito_risk_configuration',
        name: [plan.location.address?.split('.').at(-1)?.replace(/\[.*$/, '') ?? pool.name, clientId ? 'client' : ''],
        body: { user_pool_id: poolRef, ...tfClient, ...risk.terraform },
      },
      note: clientId ? 'this replaces the pool-level configuration for that client' : 'ClientId ALL: the pool default',
    }),
    note,
  ].join('\n')
}
