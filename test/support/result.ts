/** Builders for AuditResult in reporter tests. */
import { type AuditResult, countFindings } from '../../src/audit.js'
import type { Finding } from '../../src/model/finding.js'
import { type AccountSnapshot, loaded, SNAPSHOT_SCHEMA_VERSION, type UserPool } from '../../src/model/snapshot.js'
import type { Policy } from '../../src/policy/types.js'
import { testPolicy } from './policy.js'

export function pool(id: string, name: string, extra: Partial<UserPool> = {}): UserPool {
  return {
    id,
    name,
    region: id.split('_')[0] as string,
    advancedSecurityMode: 'ENFORCED',
    clients: loaded([]),
    riskConfiguration: null,
    clientRiskConfigurations: loaded([]),
    errors: [],
    ...extra,
  }
}

export function snapshotOf(pools: UserPool[], collectedAt = '2026-11-20T12:00:00.000Z'): AccountSnapshot {
  const regions = [...new Set(pools.map((p) => p.region))].sort()
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    regions: regions.map((region) => ({
      region,
      cognito: { pools: loaded(pools.filter((p) => p.region === region)), missing: [], errors: [] },
    })),
  }
}

export function finding(over: Partial<Finding> & Pick<Finding, 'status'>): Finding {
  return {
    checkId: 'threat-protection',
    requirement: 'threat-protection',
    title: 'Threat protection is on',
    failTitle: 'Threat protection is off',
    severity: 'high',
    region: 'us-east-1',
    message: 'a message',
    ...over,
  }
}

export function resultOf(snapshot: AccountSnapshot, findings: Finding[], policy: Policy = testPolicy()): AuditResult {
  const counts = countFindings(snapshot, findings)
  return { policy, snapshot, findings, counts, compliant: counts.fail === 0 && counts.error === 0, calls: {} }
}
