import { describe, expect, it } from 'vitest'
import { runCheck } from '../../../../src/checks/index.js'
import {
  threatProtectionEnforcement as check,
  judgeRiskConfiguration,
} from '../../../../src/checks/threat-protection/enforcement.js'
import {
  type ClientRiskConfiguration,
  failedListing,
  type RiskConfiguration,
  type UserPool,
} from '../../../../src/model/snapshot.js'
import { testPolicy } from '../../../support/policy.js'
import { allowAllRisk, awsError, blockingRisk, pool, snapshotOf } from '../../../support/pools.js'

const run = (p: UserPool, policy = testPolicy()) => runCheck(check, snapshotOf(p), policy)

/** Pool-level findings (no resource) and per-client findings (resource = client). */
const poolLevel = (p: UserPool, policy = testPolicy()) => run(p, policy).filter((f) => f.resource === undefined)

const withClients = (
  p: Partial<UserPool>,
  clients: Array<[id: string, name: string, configuration: RiskConfiguration | null | 'unread']>,
): UserPool =>
  pool({
    ...p,
    clients: clients.map(([id, name]) => ({ id, name })),
    clientRiskConfigurations: clients
      .filter(([, , c]) => c !== 'unread')
      .map(([clientId, , configuration]) => ({ clientId, configuration }) as ClientRiskConfiguration),
  })

describe('judgeRiskConfiguration', () => {
  it('accepts a configuration that blocks', () => {
    expect(judgeRiskConfiguration(blockingRisk())).toEqual({ problems: [], notes: [], unverified: [] })
  })

  it('accepts MFA_REQUIRED / MFA_IF_CONFIGURED for high risk and an omitted EventFilter', () => {
    const rc = blockingRisk({
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: {
        Actions: { HighAction: { Notify: true, EventAction: 'MFA_REQUIRED' } },
      },
    })
    const v = judgeRiskConfiguration(rc)
    expect(v.problems).toEqual([])
    expect(v.notes).toEqual([
      'medium-risk sign-ins have no action configured',
      'low-risk sign-ins have no action configured',
    ])
  })

  it('reports null as no configuration', () => {
    expect(judgeRiskConfiguration(null).problems).toEqual(['no risk configuration, nothing is blocked'])
  })

  it('lists every problem of an allow-all configuration; medium/low NO_ACTION are notes only', () => {
    const v = judgeRiskConfiguration(allowAllRisk())
    expect(v.problems).toEqual([
      'compromised credentials are detected but not blocked (EventAction NO_ACTION)',
      'high-risk account-takeover sign-ins are allowed (NO_ACTION)',
    ])
    expect(v.notes).toEqual([
      'medium-risk sign-ins are allowed (NO_ACTION)',
      'low-risk sign-ins are allowed (NO_ACTION)',
    ])
  })

  it('fails missing sections', () => {
    expect(
      judgeRiskConfiguration({ RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/8'] } }).problems,
    ).toEqual(['no compromised-credentials response is configured', 'no account-takeover response is configured'])
  })

  it('fails a missing HighAction even when medium and low block', () => {
    const rc = blockingRisk({
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { Notify: false, EventAction: 'BLOCK' },
          MediumAction: { Notify: false, EventAction: 'BLOCK' },
        },
      },
    })
    expect(judgeRiskConfiguration(rc).problems).toEqual([
      'high-risk account-takeover sign-ins have no action configured',
    ])
  })

  it('fails an EventFilter without SIGN_IN (also an empty one)', () => {
    const only = (EventFilter: string[]) =>
      judgeRiskConfiguration(
        blockingRisk({ CompromisedCredentialsRiskConfiguration: { EventFilter, Actions: { EventAction: 'BLOCK' } } }),
      ).problems
    expect(only(['PASSWORD_CHANGE', 'SIGN_UP'])).toEqual([
      'compromised credentials are blocked only for PASSWORD_CHANGE, SIGN_UP, not at sign-in (EventFilter lacks SIGN_IN)',
    ])
    expect(only([])).toEqual([
      'compromised credentials are blocked only for no events, not at sign-in (EventFilter lacks SIGN_IN)',
    ])
    expect(only(['SIGN_IN'])).toEqual([])
  })

  it('fails skipped ranges that cover every IPv4 or IPv6 address, not partial ones', () => {
    const skip = (SkippedIPRangeList: string[]) =>
      judgeRiskConfiguration(blockingRisk({ RiskExceptionConfiguration: { SkippedIPRangeList } })).problems
    const v4 = 'the always-allow list (SkippedIPRangeList) covers every IPv4 address, so risk is never evaluated'
    const v6 = 'the always-allow list (SkippedIPRangeList) covers every IPv6 address, so risk is never evaluated'
    expect(skip(['0.0.0.0/0'])).toEqual([v4])
    expect(skip(['0.0.0.0/1', '128.0.0.0/1'])).toEqual([v4])
    expect(skip(['::/0'])).toEqual([v6])
    expect(skip(['::/1', '8000::/1', '0.0.0.0/0'])).toEqual([v4, v6])
    expect(skip(['10.0.0.0/8', '192.168.0.0/16', '0.0.0.0/1'])).toEqual([])
  })
})

describe('threat-protection-enforcement: pools', () => {
  it('passes an ENFORCED pool whose configuration blocks', () => {
    const p = pool()
    const findings = run(p)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({
      checkId: 'threat-protection-enforcement',
      requirement: 'threat-protection',
      status: 'pass',
      poolId: p.id,
      evidence: { level: 'pool', problems: [], inheritingClients: 0 },
    })
  })

  it('mentions medium/low NO_ACTION in a passing finding', () => {
    const rc = blockingRisk()
    rc.AccountTakeoverRiskConfiguration = {
      Actions: {
        LowAction: { Notify: false, EventAction: 'NO_ACTION' },
        HighAction: { Notify: false, EventAction: 'BLOCK' },
      },
    }
    const [f] = run(pool({ riskConfiguration: rc }))
    expect(f?.status).toBe('pass')
    expect(f?.message).toContain('Note: medium-risk sign-ins have no action configured; low-risk sign-ins are allowed')
  })

  it('fails ENFORCED with no risk configuration: ENFORCED in name only', () => {
    const p = pool({ riskConfiguration: null })
    const [f] = run(p)
    expect(f?.status).toBe('fail')
    expect(f?.message).toBe(
      'ENFORCED in name only: no risk configuration, nothing is blocked (the pool has no app client yet; every new one inherits it).',
    )
    expect(f?.remediation).toContain(`aws cognito-idp set-risk-configuration --user-pool-id ${p.id} --compromised`)
    expect(f?.remediation).toContain('"HighAction":{"Notify":false,"EventAction":"BLOCK"}')
    expect(f?.remediation).toContain('AWS::Cognito::UserPoolRiskConfigurationAttachment')
    expect(f?.remediation).toContain('ClientId: ALL')
  })

  it('fails ENFORCED that allows everything (all NO_ACTION)', () => {
    const [f] = run(withClients({ riskConfiguration: allowAllRisk() }, [['c1', 'web', null]]))
    expect(f?.status).toBe('fail')
    expect(f?.message).toBe(
      'ENFORCED in name only: compromised credentials are detected but not blocked (EventAction NO_ACTION); ' +
        'high-risk account-takeover sign-ins are allowed (NO_ACTION) (1 app client(s) inherit it).',
    )
    expect(f?.evidence).toMatchObject({
      notes: ['medium-risk sign-ins are allowed (NO_ACTION)', 'low-risk sign-ins are allowed (NO_ACTION)'],
      inheritingClients: 1,
    })
  })

  it('fails a pool whose skipped ranges cover everything', () => {
    const [f] = run(
      pool({ riskConfiguration: blockingRisk({ RiskExceptionConfiguration: { SkippedIPRangeList: ['0.0.0.0/0'] } }) }),
    )
    expect(f?.status).toBe('fail')
    expect(f?.message).toContain('covers every IPv4 address')
  })

  it('fails split /1 ranges', () => {
    const rc = blockingRisk({ RiskExceptionConfiguration: { SkippedIPRangeList: ['128.0.0.0/1', '0.0.0.0/1'] } })
    expect(run(pool({ riskConfiguration: rc }))[0]?.status).toBe('fail')
  })

  it('says nothing about pools not in ENFORCED mode (the threat-protection check covers them)', () => {
    expect(run(pool({ advancedSecurityMode: 'AUDIT', riskConfiguration: null }))).toEqual([])
    expect(run(pool({ advancedSecurityMode: 'OFF', riskConfiguration: null }))).toEqual([])
  })

  it('says nothing when the policy does not require blocking, by default or by override', () => {
    const p = pool({ name: 'lab-1', riskConfiguration: null })
    expect(run(p, testPolicy({ threatProtection: { requireBlocking: false } }))).toEqual([])
    expect(
      run(p, testPolicy({ threatProtection: { overrides: [{ pool: 'lab-*', requireBlocking: false }] } })),
    ).toEqual([])
    // An override can also require blocking where the default does not.
    const strict = testPolicy({
      threatProtection: { requireBlocking: false, overrides: [{ pool: 'lab-?', requireBlocking: true }] },
    })
    expect(run(p, strict)[0]?.status).toBe('fail')
    expect(run(p, strict)[0]?.evidence).toMatchObject({ override: 'lab-?' })
  })

  it('reports an unreadable pool-level configuration as error with the API action', () => {
    const err = awsError('DescribeRiskConfiguration', { resource: 'us-east-1_P' })
    const [f] = run(pool({ id: 'us-east-1_P', riskConfiguration: undefined, errors: [err] }))
    expect(f?.status).toBe('error')
    expect(f?.message).toContain('cognito-idp:DescribeRiskConfiguration')
    expect(f?.evidence).toEqual({ awsError: err })
  })

  it('reports a configuration missing without a recorded error as error, never pass', () => {
    const [f] = run(pool({ riskConfiguration: undefined }))
    expect(f?.status).toBe('error')
    expect(f?.message).toContain('pool-level risk configuration was not collected')
  })
})

describe('threat-protection-enforcement: app clients', () => {
  it('fails a client whose own configuration weakens a good pool; the pool itself still passes', () => {
    const p = withClients({}, [
      ['c1', 'web', null],
      ['c2', 'legacy', allowAllRisk()],
    ])
    const findings = run(p)
    const client = findings.find((f) => f.resource === 'legacy (c2)')
    expect(client).toMatchObject({ status: 'fail', evidence: { level: 'app-client', clientId: 'c2' } })
    expect(client?.message).toContain('ENFORCED in name only for this app client: its own risk configuration overrides')
    expect(client?.remediation).toContain(`--user-pool-id ${p.id} --client-id c2 --compromised`)
    expect(client?.remediation).toContain('ClientId: c2')
    expect(poolLevel(p)).toMatchObject([
      { status: 'pass', evidence: { inheritingClients: 1, clientsWithOwnConfiguration: 1 } },
    ])
    expect(findings).toHaveLength(2) // inheriting clients get no finding of their own
  })

  it('passes a client whose own configuration blocks', () => {
    const findings = run(withClients({}, [['c1', 'c1', blockingRisk()]]))
    expect(findings.find((f) => f.resource === 'c1')?.status).toBe('pass') // name equal to id: shown once
  })

  it('a client override that fixes a bad pool does not fix the clients that inherit the pool', () => {
    const p = withClients({ riskConfiguration: null }, [
      ['c1', 'good', blockingRisk()],
      ['c2', 'inherits', null],
    ])
    expect(run(p).find((f) => f.resource === 'good (c1)')?.status).toBe('pass')
    const [f] = poolLevel(p)
    expect(f?.status).toBe('fail')
    expect(f?.message).toContain('(1 app client(s) inherit it)')
  })

  it('warns (not fails) when every client overrides a bad pool: nobody inherits it today', () => {
    const p = withClients({ riskConfiguration: allowAllRisk() }, [
      ['c1', 'a', blockingRisk()],
      ['c2', 'b', blockingRisk()],
    ])
    const [f] = poolLevel(p)
    expect(f?.status).toBe('warn')
    expect(f?.message).toContain(
      'Every app client has its own risk configuration, but the pool-level one does not block',
    )
    expect(f?.remediation).toContain('set-risk-configuration')
    expect(
      run(p)
        .filter((x) => x.resource)
        .map((x) => x.status),
    ).toEqual(['pass', 'pass'])
  })

  it('reports a client whose configuration could not be read as error, and keeps a bad pool failing', () => {
    const err = awsError('DescribeRiskConfiguration', { resource: 'c2' })
    const p = withClients({ riskConfiguration: null, errors: [err] }, [
      ['c1', 'a', blockingRisk()],
      ['c2', 'b', 'unread'],
    ])
    const findings = run(p)
    expect(findings.find((f) => f.resource === 'b (c2)')).toMatchObject({
      status: 'error',
      evidence: { awsError: err },
    })
    const [f] = poolLevel(p)
    expect(f?.status).toBe('fail')
    expect(f?.message).toContain('app clients whose settings could not be read may inherit it')
  })

  it('reports a client missing from the snapshot without an error as error', () => {
    const p = withClients({}, [['c1', 'a', 'unread']])
    expect(run(p).find((f) => f.resource === 'a (c1)')).toMatchObject({ status: 'error' })
  })

  it('reports ListUserPoolClients errors, and a bad pool level fails since any client may inherit it', () => {
    const err = awsError('ListUserPoolClients', { resource: 'us-east-1_L' })
    const good = pool({ id: 'us-east-1_L', errors: [err], clients: failedListing(err) })
    expect(
      run(good)
        .map((f) => f.status)
        .sort(),
    ).toEqual(['error', 'pass'])
    const bad = pool({ id: 'us-east-1_L', errors: [err], clients: failedListing(err), riskConfiguration: null })
    const findings = run(bad)
    expect(findings.find((f) => f.status === 'error')?.message).toContain('cognito-idp:ListUserPoolClients')
    expect(findings.find((f) => f.status === 'fail')?.message).toContain('the app clients could not be listed')
  })
})

describe('threat-protection-enforcement: MFA_IF_CONFIGURED on high risk', () => {
  // MFA_IF_CONFIGURED lets users without MFA through: it stops every high-risk sign-in only when the pool
  // requires MFA (see mfa-if-configured.test.ts for the findings).
  const rc = blockingRisk({
    AccountTakeoverRiskConfiguration: {
      Actions: {
        HighAction: { Notify: true, EventAction: 'MFA_IF_CONFIGURED' },
        MediumAction: { Notify: true, EventAction: 'MFA_IF_CONFIGURED' },
        LowAction: { Notify: false, EventAction: 'MFA_IF_CONFIGURED' },
      },
    },
  })

  it('is a problem when the pool does not require MFA, naming its setting', () => {
    const v = judgeRiskConfiguration(rc, { mfaConfiguration: 'OPTIONAL' })
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]).toContain('high-risk account-takeover sign-ins of users without MFA are allowed')
    expect(v.problems[0]).toContain("the pool's MfaConfiguration is OPTIONAL")
  })

  it('blocks when the pool requires MFA of every user', () => {
    const v = judgeRiskConfiguration(rc, { mfaConfiguration: 'ON' })
    expect(v.problems).toEqual([])
    expect(v.unverified).toEqual([])
  })

  it('cannot be confirmed when the pool’s MFA setting is unknown', () => {
    const v = judgeRiskConfiguration(rc)
    expect(v.problems).toEqual([])
    expect(v.unverified.join(' ')).toContain('MfaConfiguration was not reported')
  })
})
