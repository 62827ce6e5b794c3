/**
 * Check `threat-protection-enforcement`: a pool in ENFORCED mode must really block.
 *
 * ENFORCED only switches the engine on; the automatic responses live in the risk
 * configuration. A pool is "ENFORCED in name only" when the configuration that
 * applies to a sign-in takes no action on compromised credentials at sign-in, or
 * on high-risk account-takeover sign-ins, or has no configuration at all, or
 * skips risk evaluation for every IPv4 or IPv6 address.
 *
 * App clients: a client with its own configuration is evaluated on it (and gets
 * its own finding, resource = client). Clients without one inherit the pool-level
 * configuration, so the pool-level finding:
 *  - fails when the pool-level configuration does not block and at least one client
 *    inherits it, or might (its configuration could not be read), or the pool has no
 *    client yet (every future client inherits it);
 *  - warns (advisory, never fails the build) when it does not block but every current
 *    client overrides it with its own: nobody is exposed today, but a new client would be.
 * Pools not in ENFORCED mode get no finding here: the `threat-protection` check covers them.
 */
import type { Finding } from '../../model/finding.js'
import type { Check } from '../../model/requirement.js'
import type { AccountSnapshot, AwsError, RiskConfiguration, UserPool } from '../../model/snapshot.js'
import { errorFinding, poolFinding } from '../finding.js'
import { coveredFamilies } from './cidr.js'
import { requirementFor } from './mode.js'
import type { ThreatProtectionPolicy } from './policy.js'

export const threatProtectionEnforcement: Check<ThreatProtectionPolicy> = {
  id: 'threat-protection-enforcement',
  title: 'ENFORCED threat protection really blocks',
  failTitle: 'ENFORCED threat protection does not block',
  requirement: 'threat-protection',
  severity: 'high',
  run: (snapshot: AccountSnapshot, tp: ThreatProtectionPolicy): Finding[] =>
    snapshot.regions.flatMap((r) => r.cognito.pools.flatMap((pool) => evaluatePool(pool, tp))),
}

/** What a risk configuration does, as the check sees it. */
export interface BlockingVerdict {
  /** Why it does not really block; empty when it does. */
  problems: string[]
  /** Worth knowing but not a failure (e.g. low/medium risk NO_ACTION). */
  notes: string[]
}

/** Evaluates one risk configuration (`null` = none). */
export function judgeRiskConfiguration(rc: RiskConfiguration | null): BlockingVerdict {
  if (rc === null) return { problems: ['no risk configuration, nothing is blocked'], notes: [] }
  const problems: string[] = []
  const notes: string[] = []

  const cc = rc.CompromisedCredentialsRiskConfiguration
  if (!cc) {
    problems.push('no compromised-credentials response is configured')
  } else if (cc.Actions.EventAction !== 'BLOCK') {
    problems.push(`compromised credentials are detected but not blocked (EventAction ${cc.Actions.EventAction})`)
  } else if (cc.EventFilter && !cc.EventFilter.includes('SIGN_IN')) {
    // An omitted EventFilter means every event type; a list without SIGN_IN (even an empty one) leaves sign-in open.
    problems.push(
      `compromised credentials are blocked only for ${cc.EventFilter.join(', ') || 'no events'}, not at sign-in (EventFilter lacks SIGN_IN)`,
    )
  }

  const ato = rc.AccountTakeoverRiskConfiguration
  if (!ato) {
    problems.push('no account-takeover response is configured')
  } else {
    const high = ato.Actions.HighAction
    if (!high) problems.push('high-risk account-takeover sign-ins have no action configured')
    else if (high.EventAction === 'NO_ACTION')
      problems.push('high-risk account-takeover sign-ins are allowed (NO_ACTION)')
    else if (high.EventAction === 'MFA_IF_CONFIGURED')
      notes.push(
        'high-risk sign-ins are challenged only for users with MFA set up (MFA_IF_CONFIGURED): users without it get through; BLOCK or MFA_REQUIRED closes that gap',
      )
    for (const level of ['MediumAction', 'LowAction'] as const) {
      const a = ato.Actions[level]
      const label = level === 'MediumAction' ? 'medium' : 'low'
      if (!a) notes.push(`${label}-risk sign-ins have no action configured`)
      else if (a.EventAction === 'NO_ACTION') notes.push(`${label}-risk sign-ins are allowed (NO_ACTION)`)
    }
  }

  const skipped = rc.RiskExceptionConfiguration?.SkippedIPRangeList ?? []
  for (const family of coveredFamilies(skipped)) {
    problems.push(
      `the always-allow list (SkippedIPRangeList) covers every ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address, so risk is never evaluated`,
    )
  }
  return { problems, notes }
}

const GOOD_CONFIGURATION = {
  compromised: '{"EventFilter":["SIGN_IN","PASSWORD_CHANGE","SIGN_UP"],"Actions":{"EventAction":"BLOCK"}}',
  takeover:
    '{"Actions":{"LowAction":{"Notify":false,"EventAction":"NO_ACTION"},"MediumAction":{"Notify":false,"EventAction":"MFA_IF_CONFIGURED"},"HighAction":{"Notify":false,"EventAction":"BLOCK"}}}',
}

/** The CLI command and CloudFormation resource that make the configuration block. */
export function enforcementRemediation(pool: UserPool, clientId?: string): string {
  const clientArg = clientId ? ` --client-id ${clientId}` : ''
  return [
    `CLI: aws cognito-idp set-risk-configuration --user-pool-id ${pool.id}${clientArg} --compromised-credentials-risk-configuration '${GOOD_CONFIGURATION.compromised}' --account-takeover-risk-configuration '${GOOD_CONFIGURATION.takeover}'`,
    'set-risk-configuration replaces the whole configuration: add --risk-exception-configuration to keep your IP lists (never one that covers every address), and a NotifyConfiguration (SES SourceArn) if you set Notify to true.',
    `CloudFormation: AWS::Cognito::UserPoolRiskConfigurationAttachment with UserPoolId: ${pool.id}, ClientId: ${clientId ?? 'ALL'}, CompromisedCredentialsRiskConfiguration (Actions.EventAction: BLOCK, EventFilter including SIGN_IN) and AccountTakeoverRiskConfiguration (HighAction.EventAction: BLOCK or MFA_REQUIRED).`,
  ].join('\n')
}

function clientLabel(pool: UserPool, clientId: string): string {
  const name = pool.clients.find((c) => c.id === clientId)?.name
  return name && name !== clientId ? `${name} (${clientId})` : clientId
}

function notCollected(pool: UserPool, what: string, resource?: string): Finding {
  return poolFinding(
    threatProtectionEnforcement,
    pool,
    'error',
    `Could not verify: the ${what} was not collected, so enforcement cannot be confirmed.`,
    {
      ...(resource ? { resource } : {}),
      remediation: 'Re-run the audit with cognito-idp:DescribeRiskConfiguration allowed (see the README IAM policy).',
    },
  )
}

function evaluatePool(pool: UserPool, tp: ThreatProtectionPolicy): Finding[] {
  if (pool.advancedSecurityMode !== 'ENFORCED') return []
  const req = requirementFor(pool, tp)
  if (!req.requireBlocking) return []
  const check = threatProtectionEnforcement
  const out: Finding[] = []
  const riskError = (resource: string): AwsError | undefined =>
    pool.errors.find((e) => e.action === 'DescribeRiskConfiguration' && (e.resource ?? pool.id) === resource)

  // App clients: own configurations, inheritors, and those whose state is unknown.
  const listError = pool.errors.find((e) => e.action === 'ListUserPoolClients')
  if (listError) out.push(errorFinding(check, listError, pool))
  const own = new Map(pool.clientRiskConfigurations.map((c) => [c.clientId, c.configuration]))
  const inheriting: string[] = []
  const unknown: string[] = []
  for (const client of pool.clients) {
    const resource = clientLabel(pool, client.id)
    if (!own.has(client.id)) {
      unknown.push(client.id)
      const err = riskError(client.id)
      out.push(
        err
          ? { ...errorFinding(check, err, pool), resource }
          : notCollected(pool, 'app client risk configuration', resource),
      )
      continue
    }
    const configuration = own.get(client.id) ?? null
    if (configuration === null) {
      inheriting.push(client.id)
      continue
    }
    const verdict = judgeRiskConfiguration(configuration)
    const evidence = { level: 'app-client', clientId: client.id, problems: verdict.problems, notes: verdict.notes }
    out.push(
      verdict.problems.length === 0
        ? poolFinding(check, pool, 'pass', 'The app client’s own risk configuration blocks risky sign-ins.', {
            resource,
            evidence,
          })
        : poolFinding(
            check,
            pool,
            'fail',
            `ENFORCED in name only for this app client: its own risk configuration overrides the pool’s and ${verdict.problems.join('; ')}.`,
            { resource, evidence, remediation: enforcementRemediation(pool, client.id) },
          ),
    )
  }

  // Pool level: applies to every client without its own configuration.
  if (pool.riskConfiguration === undefined) {
    const err = riskError(pool.id)
    out.push(err ? errorFinding(check, err, pool) : notCollected(pool, 'pool-level risk configuration'))
    return out
  }
  const verdict = judgeRiskConfiguration(pool.riskConfiguration)
  const exposed = inheriting.length > 0 || unknown.length > 0 || listError !== undefined || pool.clients.length === 0
  const evidence = {
    level: 'pool',
    problems: verdict.problems,
    notes: verdict.notes,
    inheritingClients: inheriting.length,
    clientsWithOwnConfiguration: pool.clients.length - inheriting.length - unknown.length,
    ...(req.override ? { override: req.override } : {}),
  }
  if (verdict.problems.length === 0) {
    const notes = verdict.notes.length ? ` Note: ${verdict.notes.join('; ')}.` : ''
    out.push(
      poolFinding(
        check,
        pool,
        'pass',
        `ENFORCED and the pool-level risk configuration blocks compromised credentials and high-risk sign-ins.${notes}`,
        { evidence },
      ),
    )
  } else if (exposed) {
    const who = listError
      ? 'the app clients could not be listed; any of them may inherit it'
      : inheriting.length > 0
        ? `${inheriting.length} app client(s) inherit it`
        : unknown.length > 0
          ? 'app clients whose settings could not be read may inherit it'
          : 'the pool has no app client yet; every new one inherits it'
    out.push(
      poolFinding(check, pool, 'fail', `ENFORCED in name only: ${verdict.problems.join('; ')} (${who}).`, {
        evidence,
        remediation: enforcementRemediation(pool),
      }),
    )
  } else {
    out.push(
      poolFinding(
        check,
        pool,
        'warn',
        `Every app client has its own risk configuration, but the pool-level one does not block (${verdict.problems.join('; ')}); a new app client would inherit it.`,
        { evidence, remediation: enforcementRemediation(pool) },
      ),
    )
  }
  return out
}
