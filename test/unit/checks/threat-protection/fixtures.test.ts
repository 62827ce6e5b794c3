/** The saved snapshots in test/fixtures/snapshots, evaluated by the threat-protection checks end to end. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCheck } from '../../../../src/checks/index.js'
import { poolExists } from '../../../../src/checks/pools/exists.js'
import { threatProtectionEnforcement } from '../../../../src/checks/threat-protection/enforcement.js'
import { threatProtection } from '../../../../src/checks/threat-protection/mode.js'
import type { AccountSnapshot } from '../../../../src/model/snapshot.js'
import { upgradeSnapshot } from '../../../../src/sources/saved/upgrade.js'
import { testPolicy } from '../../../support/policy.js'

const load = (name: string): AccountSnapshot =>
  upgradeSnapshot(
    JSON.parse(readFileSync(new URL(`../../../fixtures/snapshots/${name}.json`, import.meta.url), 'utf8')),
  ) as AccountSnapshot

const table = (snapshot: AccountSnapshot, policy = testPolicy({ regions: snapshot.regions.map((r) => r.region) })) =>
  [poolExists, threatProtection, threatProtectionEnforcement]
    .flatMap((c) => runCheck(c, snapshot, policy))
    .map((f) => [f.checkId, f.poolName ?? f.poolId, f.resource ?? '', f.status].join(' | '))

describe('snapshot fixtures', () => {
  it('compliant.json passes everything', () => {
    expect(table(load('compliant'))).toEqual([
      'threat-protection | prod-api |  | pass',
      'threat-protection | staging-api |  | pass',
      'threat-protection-enforcement | prod-api | mobile (1example23456789012345678b) | pass',
      'threat-protection-enforcement | prod-api |  | pass',
    ])
  })

  it('compliant.json fails the AUDIT pool when the policy requires ENFORCED for it', () => {
    const snapshot = load('compliant')
    const policy = testPolicy({ threatProtection: { overrides: [{ pool: 'staging-*', mode: 'ENFORCED' }] } })
    expect(table(snapshot, policy)).toContain('threat-protection | staging-api |  | fail')
  })

  it('violations.json shows every kind of violation and the unverifiable pool as error', () => {
    expect(table(load('violations'))).toEqual([
      'pool-exists | eu-west-1_Missing01 |  | fail',
      'threat-protection | prod-eu |  | pass',
      'threat-protection | prod-api |  | pass',
      'threat-protection | legacy |  | fail',
      'threat-protection | partner-portal |  | pass',
      'threat-protection | internal-tools |  | pass',
      'threat-protection-enforcement | prod-eu |  | fail',
      'threat-protection-enforcement | prod-api |  | fail',
      'threat-protection-enforcement | partner-portal | partner-sso (3example23456789012345678b) | fail',
      'threat-protection-enforcement | partner-portal |  | pass',
      'threat-protection-enforcement | internal-tools |  | error',
    ])
  })
})
