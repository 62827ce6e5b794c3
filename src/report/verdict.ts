/** The one line a person reads first, shared by every reporter. */
import { type AuditResult, gatingCounts, type PlanCounts } from '../audit.js'
import { nothingAudited } from '../checks/pools/exists.js'
import { plural } from './markdown.js'

export function headline(result: AuditResult): { icon: string; text: string } {
  if (result.plan) return planHeadline(result, result.plan)
  const c = result.counts
  const scope = `${plural(c.pools, 'user pool')} in ${plural(c.regions, 'region')}`
  const unverified = c.error > 0 ? `; ${plural(c.error, 'requirement')} could not be verified` : ''
  const missing = c.missing > 0 ? ` (${plural(c.missing, 'named pool')} not found)` : ''
  const listed = result.snapshot.regions.filter((r) => r.cognito.errors.length === 0).map((r) => r.region)
  const timeLimit = result.timedOut ? ' (the audit reached its time limit)' : ''
  if (c.fail === 0 && c.pools === 0 && c.missing === 0 && listed.length > 0) {
    const others = c.error - (result.policy.pools.allowNone ? 0 : 1)
    return {
      icon: result.policy.pools.allowNone && c.error === 0 ? '✅' : '⚠️',
      text: `${nothingAudited(listed)}${result.policy.pools.allowNone ? ' (the policy allows none)' : ''}${others > 0 ? `; ${plural(others, 'other requirement')} could not be verified` : ''}${timeLimit}`,
    }
  }
  if (c.fail > 0) {
    return {
      icon: '❌',
      text: `${plural(c.fail, 'violation')} in ${c.poolsFailing} of ${scope}${missing}${unverified}${timeLimit}`,
    }
  }
  if (c.error > 0)
    return {
      icon: '⚠️',
      text: `No violations found, but ${plural(c.error, 'requirement')} could not be verified (${scope})${timeLimit}`,
    }
  if (c.pools === 0) return { icon: '⚠️', text: 'No user pools were audited: the policy selected none' }
  const extra = [c.warn > 0 ? plural(c.warn, 'advisory finding') : '', c.exempt > 0 ? `${c.exempt} exempt` : '']
    .filter(Boolean)
    .join(', ')
  return {
    icon: '✅',
    text: `Compliant: ${scope} ${c.pools === 1 ? 'meets' : 'meet'} the policy${extra ? ` (${extra})` : ''}`,
  }
}

/** A plan's headline: what the change introduces, and what is already in the account. */
function planHeadline(result: AuditResult, p: PlanCounts): { icon: string; text: string } {
  const introduced = p.introduced.fail + p.introduced.error
  const existing = p.existing.fail + p.existing.error
  const gating = gatingCounts(result)
  const parts = [
    `${plural(introduced, 'problem')} introduced by this change (${p.introduced.fail} violation${p.introduced.fail === 1 ? '' : 's'}, ${p.introduced.error} undecided)`,
    p.live
      ? `${plural(existing, 'problem')} already in the account${p.failOnExisting ? '' : ' (not failing the gate without fail-on-existing)'}`
      : 'live account not read',
  ]
  if (p.notInPlan > 0)
    parts.push(
      `${plural(p.notInPlan, 'requirement')} not in this plan${p.outsidePlan === 'ignore' ? ' (ignored by the policy)' : ''}`,
    )
  const pools = plural(result.counts.pools, 'user pool')
  const icon = gating.fail > 0 ? '❌' : gating.error > 0 ? '⚠️' : '✅'
  return { icon, text: `Plan (${p.format}, ${pools}): ${parts.join('; ')}` }
}

export const STATUS_ICON = {
  pass: '✅',
  fail: '❌',
  error: '⚠️',
  warn: '🟡',
  exempt: '⏸️',
  'not-in-plan': '🔲',
  none: '—',
} as const

const FIX_ORDER = { fail: 0, error: 1, warn: 2 } as const

/** The findings a reader must act on: violations first, then what could not be verified, then advisories. */
export function findingsToFix<F extends { status: string }>(findings: F[]): F[] {
  return findings
    .filter((f): f is F => f.status in FIX_ORDER)
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        FIX_ORDER[a.f.status as keyof typeof FIX_ORDER] - FIX_ORDER[b.f.status as keyof typeof FIX_ORDER] || a.i - b.i,
    )
    .map(({ f }) => f)
}
