/**
 * The JSON report (versioned). Path: `<output-dir>/report.json`, default
 * `cognito-compliance/report.json`. Consumers should check `reportVersion`.
 */

import { createHash } from 'node:crypto'
import type { AuditResult, FailOn } from '../audit.js'
import type { DeltaState, LastKnown, ReportScope } from '../baseline/compare.js'
import { deltaFields, newViolationCount, scopeOf, trackedFindings } from '../baseline/source.js'
import type { Finding } from '../model/finding.js'
import { itemsRead } from '../model/snapshot.js'
import type { Policy } from '../policy/types.js'
import { TOOL_NAME, VERSION } from '../version.js'
import { type ActivityOverviewRegion, activityOverview } from './activity-overview.js'
import { buildMatrix, type CellStatus } from './matrix.js'

export const REPORT_VERSION = 1

export interface JsonReport {
  reportVersion: typeof REPORT_VERSION
  tool: { name: string; version: string }
  collectedAt: string
  accountId?: string
  /** `digest`: a hash of the requirement settings (everything but the source, regions and pool selection),
   *  so reports audited under different policies can be told apart when they are merged. */
  policy: { source: string; regions: string[]; failOn: FailOn; digest: string }
  /** What this run covered, so a later run compares only on what both cover. */
  scope: ReportScope
  verdict: {
    compliant: boolean
    /** Whether the gate failed the build, and why. */
    failed: boolean
    reason?: string
    /** Present when the audit's time limit stopped the collection (what it could not collect is an error). */
    timeLimitReached?: true
    violations: number
    errors: number
    warnings: number
    exempt: number
    passed: number
    pools: number
    poolsFailing: number
    /** With a baseline: violations it does not hold (new, and outside what it covered). */
    newViolations?: number
    /** With a baseline: its violations that are resolved now. */
    resolved?: number
  }
  /** The comparison with the baseline, when one was given. */
  baseline?: {
    source: string
    kind: 'report' | 'baseline'
    collectedAt: string
    accountId?: string
    counts: Record<DeltaState, number> & { outOfScope: number }
    notes: string[]
    /** The baseline's violations resolved since (they are no longer in `findings` as violations). */
    resolved: Array<{
      id: string
      checkId: string
      region: string
      poolId?: string
      resource?: string
      firstSeen?: string
      now: string
    }>
  }
  pools: Array<{
    id: string
    name?: string
    region: string
    /** false: named in the policy but does not exist; null: its region's pools could not be listed
     *  (id `*` stands for every pool of such a region when the policy names none there). */
    found: boolean | null
    tier?: string
    threatProtectionMode?: string
    requirements: Record<string, CellStatus>
  }>
  /** Each finding with its stable `id`; with a baseline also its `delta` state, `firstSeen` (when the
   *  violation was first reported) and, on an `error`, the `lastKnown` state carried over. */
  findings: Array<Finding & { id: string; delta?: DeltaState; firstSeen?: string; lastKnown?: LastKnown }>
  /** The activity overview per region, when activity was collected. */
  activity?: ActivityOverviewRegion[]
  /** API attempts by `service:Operation`, retries included. */
  apiCalls: Record<string, number>
}

export function buildJsonReport(result: AuditResult, failOn: FailOn, gateReason: string | undefined): JsonReport {
  const c = result.counts
  const pools = new Map(result.snapshot.regions.flatMap((r) => itemsRead(r.cognito.pools)).map((p) => [p.id, p]))
  const ids = trackedFindings(result)
  const comparison = result.baseline?.comparison
  const delta = deltaFields(comparison)
  return {
    reportVersion: REPORT_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    collectedAt: result.snapshot.collectedAt,
    ...(result.snapshot.accountId ? { accountId: result.snapshot.accountId } : {}),
    policy: {
      source: result.policy.source,
      regions: result.policy.regions,
      failOn,
      digest: policyDigest(result.policy),
    },
    scope: scopeOf(result),
    verdict: {
      compliant: result.compliant,
      failed: gateReason !== undefined,
      ...(gateReason ? { reason: gateReason } : {}),
      ...(result.timedOut ? { timeLimitReached: true as const } : {}),
      violations: c.fail,
      errors: c.error,
      warnings: c.warn,
      exempt: c.exempt,
      passed: c.pass,
      pools: c.pools,
      poolsFailing: c.poolsFailing,
      ...(comparison ? { newViolations: newViolationCount(comparison), resolved: comparison.counts.resolved } : {}),
    },
    ...(result.baseline && comparison
      ? {
          baseline: {
            source: result.baseline.source,
            kind: comparison.baseline.kind,
            collectedAt: comparison.baseline.collectedAt,
            ...(comparison.baseline.accountId ? { accountId: comparison.baseline.accountId } : {}),
            counts: comparison.counts,
            notes: comparison.notes,
            resolved: comparison.entries
              .filter((e) => e.state === 'resolved')
              .map((e) => ({
                id: e.finding.id,
                checkId: e.finding.checkId,
                region: e.finding.region,
                ...(e.finding.poolId ? { poolId: e.finding.poolId } : {}),
                ...(e.finding.resource ? { resource: e.finding.resource } : {}),
                ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}),
                now: e.resolvedAs ?? 'pass',
              })),
          },
        }
      : {}),
    pools: buildMatrix(result).map((row) => {
      const p = pools.get(row.poolId)
      return {
        id: row.poolId,
        ...(row.poolName ? { name: row.poolName } : {}),
        region: row.region,
        // null: the pool could not be listed, so whether it exists is not known.
        found: row.unverified ? null : !row.missing,
        ...(p?.tier ? { tier: p.tier } : {}),
        ...(p ? { threatProtectionMode: p.advancedSecurityMode } : {}),
        requirements: row.cells,
      }
    }),
    findings: result.findings.map((f, i) => {
      const id = ids[i]!.id
      const d = delta.get(id)
      return { id, ...f, ...(d ?? {}) }
    }),
    ...(result.policy.activity.enabled ? { activity: activityOverview(result.snapshot) } : {}),
    apiCalls: result.calls,
  }
}

/** The first 16 hex digits of the SHA-256 of the policy's requirement settings. */
export function policyDigest(policy: Policy): string {
  const { source: _s, regions: _r, pools: _p, ...settings } = policy
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16)
}

/**
 * The JSON text of a report: the data exactly as it is, with invisible, bidirectional and C1 control
 * characters written as `\u` escapes (C0 controls already are), so a name cannot disguise itself or
 * repaint a terminal when the file is viewed, and every JSON parser still reads the same strings.
 */
export function toJsonText(value: unknown): string {
  const units = (ch: string) =>
    Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')
  return `${JSON.stringify(value, null, 2).replace(/[\p{Cf}\p{Zl}\p{Zp}\u007f-\u009f]/gu, units)}\n`
}
