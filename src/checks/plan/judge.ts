/**
 * What a plan changes in the verdicts: run after the checks on a planned snapshot (a template, cloud
 * assembly or Terraform plan, alone or laid over the live account).
 *
 *  - A finding whose decision depends on a value that cannot be known before deploy (`plan.unknown` of
 *    the objects it judges) is `error` "cannot be decided before deploy: <path>", never a pass or a fail.
 *  - Without the live account, a requirement whose resources are not in the plan (no alarm, no trail,
 *    a pool the policy names that the plan does not hold) is `not-in-plan`: shown, never a pass.
 *  - Each other finding is "introduced by this change" when it is about an object the plan holds, or
 *    "already in the account" when it is about live objects only.
 *  - Values left to their documented defaults are named in the finding.
 */
import type { CompositeAlarmInfo, MetricAlarmInfo } from '../../model/alarms.js'
import type { TrailRecord } from '../../model/cloudtrail.js'
import type { Finding } from '../../model/finding.js'
import { type PlannedInfo, type PlannedSourceInfo, UNKNOWN_PREFIX, undecidableMessage } from '../../model/plan.js'
import type { AccountSnapshot, RegionSnapshot, UserPool } from '../../model/snapshot.js'

export function plannedSource(snapshot: AccountSnapshot): PlannedSourceInfo | undefined {
  return snapshot.source?.kind === 'planned' ? snapshot.source : undefined
}

type Judged = PlannedInfo | undefined

/** The objects a finding's decision rests on: the first ones are its own (any unknown there decides). */
interface Basis {
  /** Objects whose unknown values make any verdict undecidable. */
  own: Judged[]
  /** Objects among which one may satisfy the requirement: their unknowns make a non-pass undecidable. */
  candidates: Judged[]
  /** Planned objects of the requirement in the region (for "not in this plan"). */
  plannedInRegion: number
}

const mentions = (a: MetricAlarmInfo | CompositeAlarmInfo, pool?: UserPool) => {
  const text = JSON.stringify({ ...a, plan: undefined })
  return text.includes(UNKNOWN_PREFIX) || (pool !== undefined && text.includes(JSON.stringify(pool.id).slice(1, -1)))
}

function basisOf(f: Finding, region: RegionSnapshot | undefined, pool: UserPool | undefined): Basis {
  const none: Basis = { own: [], candidates: [], plannedInRegion: 0 }
  if (!region) return none
  switch (f.requirement === 'threat-protection' && f.checkId !== 'pool-exists' ? f.checkId : f.requirement) {
    case 'threat-protection':
      return { own: [pool?.plan], candidates: [], plannedInRegion: 0 }
    case 'threat-protection-enforcement': {
      const client = pool?.clients.find((c) => f.resource?.includes(c.id))
      return {
        own: [
          pool?.plan,
          pool?.riskConfigurationPlan,
          ...(pool?.clientRiskConfigurations ?? []).map((c) => c.plan),
          ...(pool?.clients ?? []).map((c) => c.plan),
          client?.plan,
        ],
        candidates: [],
        plannedInRegion: 0,
      }
    }
    case 'alarms': {
      const alarms = [...(region.alarms?.metricAlarms ?? []), ...(region.alarms?.compositeAlarms ?? [])]
      return {
        own: [pool?.plan],
        candidates: alarms.filter((a) => a.plan && mentions(a, pool)).map((a) => a.plan),
        plannedInRegion: alarms.filter((a) => a.plan).length,
      }
    }
    case 'cloudtrail': {
      const trails: TrailRecord[] = region.cloudtrail?.trails ?? []
      return {
        own: [],
        candidates: trails.map((t) => t.plan),
        plannedInRegion: trails.filter((t) => t.plan).length,
      }
    }
    default:
      return { own: [pool?.plan], candidates: [], plannedInRegion: 0 }
  }
}

const unknownPaths = (objs: Judged[]) => [...new Set(objs.flatMap((p) => (p?.unknown ? Object.values(p.unknown) : [])))]

const defaults = (objs: Judged[]) => [...new Set(objs.flatMap((p) => (p?.defaulted ? Object.values(p.defaulted) : [])))]

const NARROW: Record<string, string> = {
  alarms: 'alarms.enabled: false',
  cloudtrail: 'cloudtrail.enabled: false',
}

function outsidePlan(f: Finding, what: string): Finding {
  const narrow = NARROW[f.requirement]
  return {
    ...f,
    status: 'not-in-plan',
    message: `Not in this plan: ${what}. Add --live (input live: true) to judge it on the live account${narrow ? `, or narrow the requirements (${narrow})` : ''}.`,
    evidence: { ...f.evidence, wouldBe: { status: f.status, message: f.message } },
  }
}

/** Applies the plan's semantics to the findings of a planned snapshot; other snapshots pass through. */
export function judgePlan(findings: Finding[], snapshot: AccountSnapshot): Finding[] {
  const source = plannedSource(snapshot)
  if (!source) return findings
  const live = source.live === true
  return findings.map((f) => {
    const region = snapshot.regions.find((r) => r.region === f.region)
    const pool = f.poolId ? region?.cognito.pools.find((p) => p.id === f.poolId) : undefined
    const basis = basisOf(f, region, pool)

    if (!live && f.status !== 'pass') {
      if (f.checkId === 'pool-exists') {
        const kind = (f.evidence as { kind?: string } | undefined)?.kind
        if (kind === 'none') return outsidePlan(f, 'the plan holds no user pool')
        if (f.status === 'fail')
          return outsidePlan(f, `${f.poolId ?? 'this pool'} is named in the policy but the plan does not hold it`)
      }
      if (f.requirement === 'alarms' && basis.plannedInRegion === 0)
        return outsidePlan(f, `the plan holds no CloudWatch alarm in ${f.region}`)
      if (f.requirement === 'cloudtrail' && basis.plannedInRegion === 0)
        return outsidePlan(f, `the plan holds no CloudTrail trail recording ${f.region}`)
    }

    const own = unknownPaths(basis.own)
    const others = f.status === 'pass' ? [] : unknownPaths(basis.candidates)
    const undecided = [...new Set([...own, ...others])]
    const planned = [...basis.own, ...basis.candidates].some((p) => p !== undefined)
    const origin: Finding['origin'] = !live || planned ? 'introduced' : 'existing'
    if (undecided.length > 0 && f.status !== 'exempt') {
      return {
        ...f,
        status: 'error',
        origin,
        message: `${capital(undecidableMessage(undecided.join('; ')))}.`,
        remediation:
          'Give the value in the template or plan (a literal, a parameter default or --parameter Key=Value), or judge it after deploy.',
        evidence: { ...f.evidence, undecidable: undecided, wouldBe: { status: f.status, message: f.message } },
      }
    }
    const defaulted = defaults([...basis.own, ...(f.requirement === 'cloudtrail' ? basis.candidates : [])])
    return {
      ...f,
      origin,
      ...(defaulted.length > 0
        ? {
            message: `${f.message} Defaulted (not set in the plan): ${defaulted.join('; ')}.`,
            evidence: { ...f.evidence, defaulted },
          }
        : {}),
    }
  })
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
