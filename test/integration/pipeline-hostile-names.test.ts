/**
 * Hostile names through the whole pipeline (issue 16, items 6 and 7): pools, app clients and alarms
 * whose names hold backticks, line breaks, mentions, issue references, pipes, HTML and bidirectional
 * overrides, each beside a benign twin configured the same way. Every requirement judges each hostile
 * pool exactly as its twin (nothing silently dropped: the risk and throttle alarms once yielded nothing
 * for such names), and the job summary lets no mention or reference through. Trail names are not
 * among them: CloudTrail allows only letters, digits, `.`, `_` and `-` in them (the unit test covers
 * hostile trail names in saved snapshots).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Scenario } from '../../sandbox/index.js'
import type { PoolSpec } from '../../sandbox/scenario.js'
import type { AuditResult } from '../../src/audit.js'
import { renderSummary } from '../../src/report/summary.js'
import { GITHUB_LINKED, renderGfm, textOf } from '../support/hostile.js'
import { itemsOf } from '../support/pools.js'
import { audit, usePipelineSandbox } from './helpers/pipeline.js'

const HOSTILE = [
  'pay `ments`\nline two',
  '@octocat fixes #123',
  'a | b <img src=x onerror=alert(1)>',
  'admin\u202egpj.exe \u2066x\u2069',
  'cr\r\nlf **bold** [x](https://evil.example)',
]
const TWIN = (i: number) => `twin-${i}`
const SNS = 'arn:aws:sns:us-east-1:123456789012:security'

function scenario(): Scenario {
  const names = HOSTILE.flatMap((h, i) => [
    { pool: h, client: `${h} client`, alarm: `${h} alarm` },
    { pool: TWIN(i), client: 'web', alarm: `${TWIN(i)}-alarm` },
  ])
  const pools: PoolSpec[] = names.map((n) => ({
    name: n.pool,
    mode: 'ENFORCED',
    clients: [n.client, `${n.client} 2`],
    risk: {
      'compromised-credentials': { action: 'BLOCK' },
      'account-takeover': { high: 'BLOCK' },
    },
  }))
  return {
    regions: {
      'us-east-1': {
        pools,
        alarms: names.flatMap((n) => [
          // AccountTakeoverRisk covered, CompromisedCredentialRisk missing: one pass, one fail.
          {
            name: n.alarm,
            metric: 'AccountTakeoverRisk',
            pool: n.pool,
            dimensions: { Operation: 'SignIn', RiskLevel: 'High' },
            actions: [SNS],
          },
          // The first client's throttles covered, the second's not: a fail naming it.
          { name: `${n.alarm} throttles`, metric: 'SignInThrottles', pool: n.pool, client: n.client, actions: [SNS] },
        ]),
        trails: [{ name: 'main-trail', 'event-selectors': [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }],
      },
    },
  }
}

const policy = `
version: 1
regions: [us-east-1]
threat-protection:
  mode: ENFORCED
alarms:
  usage:
    enabled: false
activity:
  enabled: false
`

describe('hostile pool, app client and alarm names through the whole pipeline', () => {
  const ctx = usePipelineSandbox(scenario())
  let result: AuditResult
  beforeAll(async () => {
    result = await audit(policy)
  })

  const of = (poolName: string) => {
    const id = ctx.seeded.pools[poolName]
    expect(id, poolName).toBeDefined()
    return result.findings
      .filter((f) => f.poolId === id)
      .map((f) => `${f.checkId} | ${f.resource ?? ''} | ${f.status}`)
      .sort()
  }

  it('the names reached the account as given', () => {
    const pools = result.snapshot.regions[0]!.cognito.pools
    for (const h of HOSTILE) {
      const p = itemsOf(pools).find((x) => x.name === h)
      expect(p, JSON.stringify(h)).toBeDefined()
      expect(itemsOf(p!.clients).map((c) => c.name).sort()).toEqual([`${h} client`, `${h} client 2`])
    }
    const alarms = itemsOf(result.snapshot.regions[0]!.alarms!.metricAlarms!).map((a) => a.name)
    for (const h of HOSTILE) expect(alarms).toContain(`${h} alarm`)
  })

  it('every requirement judges each hostile pool as its benign twin, and none went silent', () => {
    expect(result.findings.filter((f) => f.status === 'error')).toEqual([])
    HOSTILE.forEach((h, i) => {
      const twin = of(TWIN(i))
      for (const check of ['threat-protection', 'threat-protection-enforcement', 'alarms-risk', 'alarms-throttles'])
        expect(
          twin.some((v) => v.startsWith(`${check} |`)),
          `${TWIN(i)} ${check}`,
        ).toBe(true)
      expect(twin.some((v) => v.endsWith('| fail'))).toBe(true)
      expect(of(h), JSON.stringify(h)).toEqual(twin)
    })
    expect(result.compliant).toBe(false)
  })

  it('the job summary links no mention or reference, and adds no image or script', () => {
    const html = renderGfm(renderSummary(result, { failOn: 'violation' }).markdown)
    const text = textOf(html)
    // Outside code blocks: GitHub links nothing inside them, and a remediation command quotes the name as it
    // is (which pool's commands a group shows depends on the order of the sandbox's random pool ids).
    const prose = textOf(html.replace(/<pre>[\s\S]*?<\/pre>/g, ''))
    for (const p of GITHUB_LINKED) expect(prose, String(p)).not.toMatch(p)
    expect(html).not.toMatch(/<(img|script)\b/i)
    // The names are shown (escaped), not dropped.
    expect(text).toContain('octocat')
  })
})
