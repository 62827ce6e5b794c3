/**
 * Check `threat-protection-enforcement`: a pool in ENFORCED mode must really block.
 *
 * ENFORCED only switches the engine on; the automatic responses live in the risk
 * configuration. A pool is "ENFORCED in name only" when the configuration that
 * applies to a sign-in takes no action on compromised credentials at sign-in, or
 * lets through account-takeover sign-ins at a risk level the policy lists
 * (`risk-levels`, default High), or has no configuration at all, or skips risk
 * evaluation for every IPv4 or IPv6 address.
 *
 * A level's action stops every risky sign-in when it is BLOCK or MFA_REQUIRED.
 * MFA_IF_CONFIGURED challenges only users who set MFA up and allows everyone else,
 * so it counts only when the pool requires MFA of every user (MfaConfiguration ON);
 * OFF or OPTIONAL is a violation naming the setting, and an unreported setting
 * (a snapshot written before it was collected) is an `error`, never a pass.
 * Levels the policy does not list are reported as notes.
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
import { shellQuote as q } from '../../model/quote.js'
import type { Check } from '../../model/requirement.js'
import { permissionOf } from '../../model/aws-error.js'
import {
  type AccountSnapshot,
  type AwsError,
  type EventAction,
  itemsRead,
  type MfaConfiguration,
  type RiskConfiguration,
  type UserPool,
} from '../../model/snapshot.js'
import { errorFinding, poolFinding } from '../finding.js'
import { coveredFamilies } from './cidr.js'
import { requirementFor } from './mode.js'
import { RISK_LEVELS, type RiskLevel, type ThreatProtectionPolicy } from './policy.js'
import { plannedEnforcementRemediation } from './remediation.js'

export const threatProtectionEnforcement: Check<ThreatProtectionPolicy> = {
  id: 'threat-protection-enforcement',
  title: 'ENFORCED threat protection really blocks',
  failTitle: 'ENFORCED threat protection does not block',
  requirement: 'threat-protection',
  severity: 'high',
  // Pools that could not be listed: the `threat-protection` check reports the error for the region.
  run: (snapshot: AccountSnapshot, tp: ThreatProtectionPolicy): Finding[] =>
    snapshot.regions.flatMap((r) =>
      r.cognito.pools.state === 'loaded' ? r.cognito.pools.items.flatMap((pool) => evaluatePool(pool, tp)) : [],
    ),
  // Only ENFORCED pools that must block are judged; the mode check covers the others.
  subjects: {
    per: 'pool',
    applies: (tp, pool) => pool.advancedSecurityMode === 'ENFORCED' && requirementFor(pool, tp).requireBlocking,
  },
}

/** What a risk configuration does, as the check sees it. */
export interface BlockingVerdict {
  /** Why it does not really block; empty when it does. */
  problems: string[]
  /** Worth knowing but not a failure (e.g. low/medium risk NO_ACTION when the policy does not ask for them). */
  notes: string[]
  /** What could not be confirmed (the pool's MFA setting was not reported): never a pass. */
  unverified: string[]
}

/** What the configuration is judged against: the levels the policy asks for and the pool's MFA setting. */
export interface BlockingContext {
  /** Account-takeover risk levels whose sign-ins must be stopped for every user. Default `[High]`. */
  riskLevels?: readonly RiskLevel[]
  /** The pool's `MfaConfiguration`; undefined = not reported. */
  mfaConfiguration?: MfaConfiguration
}

const LEVEL_KEYS = { High: 'HighAction', Medium: 'MediumAction', Low: 'LowAction' } as const

/** Evaluates one risk configuration (`null` = none). */
export function judgeRiskConfiguration(rc: RiskConfiguration | null, ctx: BlockingContext = {}): BlockingVerdict {
  const required = ctx.riskLevels ?? ['High']
  const mfa = ctx.mfaConfiguration
  if (rc === null) return { problems: ['no risk configuration, nothing is blocked'], notes: [], unverified: [] }
  const problems: string[] = []
  const notes: string[] = []
  const unverified: string[] = []

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
    for (const level of RISK_LEVELS) {
      const a = ato.Actions[LEVEL_KEYS[level]]
      const label = level.toLowerCase()
      if (!required.includes(level)) {
        if (!a) notes.push(`${label}-risk sign-ins have no action configured`)
        else if (a.EventAction === 'NO_ACTION') notes.push(`${label}-risk sign-ins are allowed (NO_ACTION)`)
        continue
      }
      if (!a) problems.push(`${label}-risk account-takeover sign-ins have no action configured`)
      else if (a.EventAction === 'NO_ACTION')
        problems.push(`${label}-risk account-takeover sign-ins are allowed (NO_ACTION)`)
      else if (a.EventAction === 'MFA_IF_CONFIGURED') {
        // MFA_IF_CONFIGURED challenges users who set MFA up and allows everyone else: it stops every
        // risky sign-in only when the pool requires MFA of every user.
        if (mfa === 'ON')
          notes.push(
            `${label}-risk sign-ins are challenged with MFA (MFA_IF_CONFIGURED), which every user has since the pool requires it (MfaConfiguration ON)`,
          )
        else if (mfa === undefined)
          unverified.push(
            `${label}-risk sign-ins are challenged only for users with MFA set up (MFA_IF_CONFIGURED), and the pool's MfaConfiguration was not reported, so it cannot be confirmed that every user has MFA`,
          )
        else
          problems.push(
            `${label}-risk account-takeover sign-ins of users without MFA are allowed: MFA_IF_CONFIGURED challenges only users who set MFA up, and the pool's MfaConfiguration is ${mfa}, so MFA is not required (use BLOCK or MFA_REQUIRED, or require MFA)`,
          )
      }
    }
  }

  const skipped = rc.RiskExceptionConfiguration?.SkippedIPRangeList ?? []
  for (const family of coveredFamilies(skipped)) {
    problems.push(
      `the always-allow list (SkippedIPRangeList) covers every ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address, so risk is never evaluated`,
    )
  }
  return { problems, notes, unverified }
}

const GOOD_COMPROMISED = '{"EventFilter":["SIGN_IN","PASSWORD_CHANGE","SIGN_UP"],"Actions":{"EventAction":"BLOCK"}}'

/** The action at one risk level of a configuration that stops every level the policy requires, for every user. */
function takeoverAction(level: RiskLevel, required: readonly RiskLevel[]): EventAction {
  return level === 'High'
    ? 'BLOCK'
    : required.includes(level)
      ? 'MFA_REQUIRED'
      : level === 'Medium'
        ? 'MFA_IF_CONFIGURED'
        : 'NO_ACTION'
}

/** An account-takeover configuration that stops every level the policy requires, for every user. */
function goodTakeover(required: readonly RiskLevel[]): string {
  const part = (level: RiskLevel) =>
    `"${LEVEL_KEYS[level]}":{"Notify":false,"EventAction":"${takeoverAction(level, required)}"}`
  return `{"Actions":{${part('Low')},${part('Medium')},${part('High')}}}`
}

/** What makes the configuration block: for a planned pool the properties or resource in its own language,
 *  for a live one the CLI command and the CloudFormation resource. */
export function enforcementRemediation(
  pool: UserPool,
  clientId?: string,
  required: readonly RiskLevel[] = ['High'],
): string {
  const planned = plannedEnforcementRemediation(pool, clientId, (l) => takeoverAction(l, required))
  if (planned) return planned
  const clientArg = clientId ? ` --client-id ${q(clientId)}` : ''
  const levels = required.map((l) => `${l}Action`).join(', ')
  return [
    `CLI: aws cognito-idp set-risk-configuration --user-pool-id ${q(pool.id)}${clientArg} --compromised-credentials-risk-configuration ${q(GOOD_COMPROMISED)} --account-takeover-risk-configuration ${q(goodTakeover(required))} --region ${q(pool.region)}`,
    'set-risk-configuration replaces the whole configuration: add --risk-exception-configuration to keep your IP lists (never one that covers every address), and a NotifyConfiguration (SES SourceArn) if you set Notify to true.',
    `CloudFormation: AWS::Cognito::UserPoolRiskConfigurationAttachment with UserPoolId: ${pool.id}, ClientId: ${clientId ?? 'ALL'}, CompromisedCredentialsRiskConfiguration (Actions.EventAction: BLOCK, EventFilter including SIGN_IN) and AccountTakeoverRiskConfiguration (${levels}.EventAction: BLOCK or MFA_REQUIRED; MFA_IF_CONFIGURED only on a pool with MfaConfiguration ON).`,
  ].join('\n')
}

function noteText(verdict: BlockingVerdict): string {
  return verdict.notes.length ? ` Note: ${verdict.notes.join('; ')}.` : ''
}

/** `high-risk`, `high- and medium-risk`, `high-, medium- and low-risk`. */
function levelsText(levels: readonly RiskLevel[]): string {
  const names = RISK_LEVELS.filter((l) => levels.includes(l)).map((l) => l.toLowerCase())
  if (names.length <= 1) return `${names[0] ?? 'high'}-risk`
  return `${names.slice(0, -1).join('-, ')}- and ${names[names.length - 1]}-risk`
}

/** Nothing wrong was found, but what would make it block could not be confirmed: never a pass. */
function unverifiedFinding(pool: UserPool, verdict: BlockingVerdict, extra: Partial<Finding>): Finding {
  return poolFinding(
    threatProtectionEnforcement,
    pool,
    'error',
    `Could not verify that ENFORCED really blocks: ${verdict.unverified.join('; ')}.`,
    {
      ...extra,
      remediation:
        'Re-run the audit against the account (cognito-idp:DescribeUserPool reports MfaConfiguration), or set the action to BLOCK or MFA_REQUIRED.',
    },
  )
}

function clientLabel(pool: UserPool, clientId: string): string {
  const name = itemsRead(pool.clients).find((c) => c.id === clientId)?.name
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
  const blocking: BlockingContext = {
    riskLevels: req.riskLevels,
    ...(pool.mfaConfiguration ? { mfaConfiguration: pool.mfaConfiguration } : {}),
  }
  const mfaEvidence = { mfaConfiguration: pool.mfaConfiguration ?? null, riskLevels: req.riskLevels }
  const riskError = (resource: string): AwsError | undefined =>
    pool.errors.find((e) => e.action === 'DescribeRiskConfiguration' && (e.resource ?? pool.id) === resource)

  // App clients: own configurations, inheritors, and those whose state is unknown. Clients that could
  // not be listed (or whose configurations could not be) may each inherit the pool's: an error.
  const listError =
    pool.clients.state === 'failed'
      ? pool.clients.error
      : pool.clientRiskConfigurations.state === 'failed'
        ? pool.clientRiskConfigurations.error
        : undefined
  if (listError) out.push(errorFinding(check, listError, pool))
  const clients = pool.clients.state === 'loaded' ? pool.clients.items : []
  const own = new Map(
    pool.clientRiskConfigurations.state === 'loaded'
      ? pool.clientRiskConfigurations.items.map((c) => [c.clientId, c.configuration])
      : [],
  )
  const inheriting: string[] = []
  const unknown: string[] = []
  for (const client of listError ? [] : clients) {
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
    const verdict = judgeRiskConfiguration(configuration, blocking)
    const evidence = {
      level: 'app-client',
      clientId: client.id,
      problems: verdict.problems,
      notes: verdict.notes,
      ...mfaEvidence,
    }
    const remediation = enforcementRemediation(pool, client.id, req.riskLevels)
    out.push(
      verdict.problems.length > 0
        ? poolFinding(
            check,
            pool,
            'fail',
            `ENFORCED in name only for this app client: its own risk configuration overrides the pool’s and ${verdict.problems.join('; ')}.`,
            { resource, evidence, remediation },
          )
        : verdict.unverified.length > 0
          ? unverifiedFinding(pool, verdict, { resource, evidence })
          : poolFinding(
              check,
              pool,
              'pass',
              `The app client’s own risk configuration blocks risky sign-ins.${noteText(verdict)}`,
              { resource, evidence },
            ),
    )
  }

  // Pool level: applies to every client without its own configuration.
  if (pool.riskConfiguration === undefined) {
    const err = riskError(pool.id)
    out.push(err ? errorFinding(check, err, pool) : notCollected(pool, 'pool-level risk configuration'))
    return out
  }
  const verdict = judgeRiskConfiguration(pool.riskConfiguration, blocking)
  const exposed = inheriting.length > 0 || unknown.length > 0 || listError !== undefined || clients.length === 0
  const evidence = {
    level: 'pool',
    problems: verdict.problems,
    notes: verdict.notes,
    ...mfaEvidence,
    inheritingClients: inheriting.length,
    clientsWithOwnConfiguration: listError ? 0 : clients.length - inheriting.length - unknown.length,
    ...(req.override ? { override: req.override } : {}),
  }
  const remediation = enforcementRemediation(pool, undefined, req.riskLevels)
  if (verdict.problems.length === 0 && verdict.unverified.length > 0 && exposed) {
    out.push(unverifiedFinding(pool, verdict, { evidence }))
  } else if (verdict.problems.length === 0 && verdict.unverified.length === 0) {
    out.push(
      poolFinding(
        check,
        pool,
        'pass',
        `ENFORCED and the pool-level risk configuration blocks compromised credentials and ${levelsText(req.riskLevels)} sign-ins.${noteText(verdict)}`,
        { evidence },
      ),
    )
  } else if (exposed) {
    const who = listError
      ? `the app clients could not be listed (${permissionOf(listError)}); any of them may inherit it`
      : inheriting.length > 0
        ? `${inheriting.length} app client(s) inherit it`
        : unknown.length > 0
          ? 'app clients whose settings could not be read may inherit it'
          : 'the pool has no app client yet; every new one inherits it'
    out.push(
      poolFinding(check, pool, 'fail', `ENFORCED in name only: ${verdict.problems.join('; ')} (${who}).`, {
        evidence,
        remediation,
      }),
    )
  } else {
    out.push(
      poolFinding(
        check,
        pool,
        'warn',
        `Every app client has its own risk configuration, but the pool-level one does not block (${[...verdict.problems, ...verdict.unverified].join('; ')}); a new app client would inherit it.`,
        { evidence, remediation },
      ),
    )
  }
  return out
}
