import { describe, expect, it } from 'vitest'
import { generateReport } from '../../../sandbox/bench/reports.js'
import { reportProblem } from '../../../src/merge/read.js'

const base = () =>
  JSON.parse(JSON.stringify(generateReport({ accountId: '123456789012', regions: ['us-east-1'], pools: 2 })))

describe('report.json validation', () => {
  it('a report the audit wrote is accepted', () => {
    expect(reportProblem(base())).toBeUndefined()
  })

  type R = ReturnType<typeof base>
  const cases: Array<[string, (r: R) => unknown, string]> = [
    ['not an object', () => [], 'expected a JSON object (the report.json an audit writes)'],
    [
      'another version',
      (r) => {
        r.reportVersion = 2
      },
      'reportVersion 2 is not supported (expected 1)',
    ],
    [
      'no version',
      (r) => {
        delete r.reportVersion
      },
      'reportVersion is missing (expected 1)',
    ],
    [
      'a merged report',
      (r) => {
        r.kind = 'merged'
      },
      'is itself a merged report',
    ],
    [
      'tool.version',
      (r) => {
        delete r.tool.version
      },
      'tool.version is missing or not a string',
    ],
    [
      'accountId',
      (r) => {
        r.accountId = '1234'
      },
      'accountId must be a 12-digit account id (got "1234")',
    ],
    [
      'policy.failOn',
      (r) => {
        r.policy.failOn = 'sometimes'
      },
      'policy.failOn must be one of violation, new-violation, error, never (got "sometimes")',
    ],
    [
      'policy.regions',
      (r) => {
        r.policy.regions = [1]
      },
      'policy.regions must hold strings',
    ],
    [
      'verdict.pools',
      (r) => {
        r.verdict.pools = -1
      },
      'verdict.pools is missing or not a whole number ≥ 0',
    ],
    [
      'verdict.compliant',
      (r) => {
        r.verdict.compliant = true
      },
      'verdict.compliant is true but the report counts 1 violations and 0 errors',
    ],
    [
      'pools[1].found',
      (r) => {
        r.pools[1].found = 'yes'
      },
      'pools[1].found must be true, false or null',
    ],
    [
      'pools[0].requirements',
      (r) => {
        r.pools[0].requirements.alarms = 'ok'
      },
      'pools[0].requirements.alarms must be one of pass, fail, warn, error, exempt, none (got "ok")',
    ],
    [
      'findings[0].status',
      (r) => {
        r.findings[0].status = 'bad'
      },
      'findings[0].status must be one of pass, fail, warn, error, exempt (got "bad")',
    ],
    [
      'findings[0].message',
      (r) => {
        delete r.findings[0].message
      },
      'findings[0].message is missing or not a string',
    ],
    [
      'activity[0].window',
      (r) => {
        delete r.activity[0].window.end
      },
      'activity[0].window.end is missing or not a string',
    ],
    [
      'activity signIn',
      (r) => {
        r.activity[0].pools[0].signIn.requests = 'many'
      },
      'activity[0].pools[0].signIn.requests is missing or not a number',
    ],
    [
      'apiCalls',
      (r) => {
        r.apiCalls.x = 'two'
      },
      'apiCalls.x is not a whole number',
    ],
  ]
  for (const [name, mutate, message] of cases) {
    it(`names the key: ${name}`, () => {
      const r = base()
      const replaced = mutate(r)
      expect(reportProblem(replaced ?? r)).toContain(message)
    })
  }
})
