/**
 * Generated report.json files for the merge tests and the merge benchmark: an in-memory snapshot per
 * account (pools cycling threat protection OFF / AUDIT / ENFORCED, some ENFORCED pools letting high-risk
 * sign-ins through, a day of hourly sign-in metrics per pool) run through the real checks and the real
 * JSON report, so a merge sees what an audit writes. Nothing is written to disk here.
 */
import { countFindings } from '../../src/audit.js'
import { evaluate } from '../../src/checks/index.js'
import type { SeriesData } from '../../src/model/activity.js'
import { type AccountSnapshot, loaded, SNAPSHOT_SCHEMA_VERSION, type UserPool } from '../../src/model/snapshot.js'
import { parsePolicy } from '../../src/policy/load.js'
import { buildJsonReport, type JsonReport } from '../../src/report/json.js'

export interface GeneratedReportOptions {
  accountId?: string
  regions: string[]
  /** Pools per region. */
  pools: number
  /** Overrides the tool version written in the report. */
  toolVersion?: string
  /** Extra policy YAML (appended after `version` and `regions`), e.g. `threat-protection: { mode: ENFORCED }`. */
  policyYaml?: string
  /** Include the activity requirement with hourly sign-in metrics (default true). */
  activity?: boolean
  /** false: every pool meets the policy (default true: every third pool has threat protection off, and
   *  every seventh ENFORCED one lets high-risk sign-ins through). */
  violations?: boolean
  /** Give pool names this prefix (to test escaping). */
  namePrefix?: string
}

const COLLECTED_AT = '2026-11-22T04:30:00.000Z'
const MODES = ['OFF', 'AUDIT', 'ENFORCED'] as const

function hoursBack(n: number): string[] {
  const end = Date.parse('2026-11-22T04:00:00.000Z')
  return Array.from({ length: n }, (_, i) => new Date(end - (n - i) * 3_600_000).toISOString())
}

const HOURS = hoursBack(48)

function signInSeries(poolId: string, seed: number): SeriesData[] {
  const dims = { UserPool: poolId, UserPoolClient: 'web' }
  const attempts = HOURS.map((h, i): [string, number] => [h, 50 + ((seed + i) % 7) * 10])
  const ok = attempts.map(([h, n], i): [string, number] => [h, n - ((seed * 3 + i) % 5)])
  return [
    { metric: 'SignInSuccesses', stat: 'SampleCount', dimensions: dims, points: attempts },
    { metric: 'SignInSuccesses', stat: 'Sum', dimensions: dims, points: ok },
  ]
}

function poolOf(region: string, i: number, prefix: string, violations: boolean): UserPool {
  const mode = violations ? MODES[i % 3]! : MODES[1 + (i % 2)]!
  const id = `${region}_Gen${String(i).padStart(5, '0')}`
  const pool: UserPool = {
    id,
    name: `${prefix}pool-${String(i).padStart(5, '0')}`,
    region,
    tier: mode === 'OFF' ? 'ESSENTIALS' : 'PLUS',
    advancedSecurityMode: mode,
    mfaConfiguration: 'OPTIONAL',
    clients: loaded([{ id: 'web', name: 'web' }]),
    riskConfiguration: null,
    clientRiskConfigurations: loaded([]),
    errors: [],
  }
  if (mode === 'ENFORCED') {
    const high = violations && i % 7 === 2 ? 'MFA_IF_CONFIGURED' : 'BLOCK'
    pool.riskConfiguration = {
      CompromisedCredentialsRiskConfiguration: {
        EventFilter: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'],
        Actions: { EventAction: 'BLOCK' },
      },
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { Notify: false, EventAction: 'NO_ACTION' },
          MediumAction: { Notify: false, EventAction: 'MFA_IF_CONFIGURED' },
          HighAction: { Notify: true, EventAction: high },
        },
      },
    }
    pool.clientRiskConfigurations = loaded([{ clientId: 'web', configuration: null }])
  }
  return pool
}

/** One account's report.json as the audit would write it. */
export function generateReport(o: GeneratedReportOptions): JsonReport {
  const activity = o.activity ?? true
  const yaml = [
    'version: 1',
    `regions: [${o.regions.join(', ')}]`,
    'alarms: { enabled: false }',
    'cloudtrail: { enabled: false }',
    activity ? 'activity: { lookback: 24h }' : 'activity: { enabled: false }',
    o.policyYaml ?? '',
  ].join('\n')
  const policy = parsePolicy(yaml, 'policy.yml')
  const snapshot: AccountSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: COLLECTED_AT,
    ...(o.accountId ? { accountId: o.accountId } : {}),
    selection: { ids: [], names: [], all: true },
    regions: o.regions.map((region) => {
      const pools = Array.from({ length: o.pools }, (_, i) =>
        poolOf(region, i, o.namePrefix ?? '', o.violations ?? true),
      )
      return {
        region,
        cognito: { pools: loaded(pools), missing: [], errors: [] },
        ...(activity
          ? {
              activity: {
                window: {
                  previousStart: HOURS[0]!,
                  start: HOURS[24]!,
                  end: '2026-11-22T04:00:00.000Z',
                  hours: 24,
                  periodSeconds: 3600,
                },
                metrics: pools.map((p, i) => ({ poolId: p.id, series: signInSeries(p.id, i) })),
                breakdown: { pagesRead: 1, pageBudget: 40, eventsRead: 0, partial: false, failures: [] },
                errors: [],
              },
            }
          : {}),
      }
    }),
  }
  const findings = evaluate(snapshot, policy, COLLECTED_AT.slice(0, 10))
  const counts = countFindings(snapshot, findings)
  const compliant = counts.fail === 0 && counts.error === 0
  const report = buildJsonReport(
    { policy, snapshot, findings, counts, compliant, calls: { 'cognito-idp:ListUserPools': o.regions.length } },
    'violation',
    compliant ? undefined : `${counts.fail} policy violations`,
  )
  if (o.toolVersion) report.tool.version = o.toolVersion
  return report
}

/** A 12-digit account id for account number `n`. */
export function accountIdOf(n: number): string {
  return String(100000000000 + n)
}
