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
import { type AccountSnapshot, itemsRead, type RegionSnapshot, type UserPool } from '../../model/snapshot.js'
import { textsContaining } from './mentions.js'

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
  /** `unknownPaths(candidates)` when already known. */
  candidateUnknowns?: string[]
}

/**
 * A region's planned alarms (metric, then composite), read once per `judgePlan` call: each one's text
 * (the alarm as JSON without its `plan`), whether that text holds an unknown marker, and, per pool, the
 * alarms that may decide its alarm findings. Built once per region instead of once per finding (a
 * 2,000-alarm plan has about as many alarm findings: that was millions of JSON.stringify calls).
 */
interface RegionAlarms {
  alarms: Array<MetricAlarmInfo | CompositeAlarmInfo>
  texts: string[]
  /** The alarm's text holds an unknown marker: a candidate for every pool of the region. */
  unknown: boolean[]
  /** The unknown paths of the alarms with an unknown marker, in alarm order. */
  unknownPaths: string[]
  /** Per pool id of the region: the alarms (by index, ascending) whose text holds it, found together. */
  mentioning?: Map<string, number[]>
  byPool: Map<string | undefined, AlarmCandidates>
}

interface AlarmCandidates {
  plans: Judged[]
  /** `unknownPaths(plans)`, computed once for the pool. */
  unknownPaths: string[]
}

function regionAlarms(region: RegionSnapshot): RegionAlarms {
  const a = region.alarms
  const alarms = [
    ...(a?.metricAlarms ? itemsRead(a.metricAlarms) : []),
    ...(a?.compositeAlarms ? itemsRead(a.compositeAlarms) : []),
  ].filter((x) => x.plan)
  const texts = alarms.map((a) => JSON.stringify({ ...a, plan: undefined }))
  const unknown = texts.map((t) => t.includes(UNKNOWN_PREFIX))
  return {
    alarms,
    texts,
    unknown,
    unknownPaths: unknownPaths(alarms.filter((_, i) => unknown[i]).map((a) => a.plan)),
    byPool: new Map(),
  }
}

/** The id as it is written inside a JSON string. */
const escaped = (id: string) => JSON.stringify(id).slice(1, -1)

/** The alarms whose text holds the id: looked up for every pool of the region at once. */
function mentioning(index: RegionAlarms, region: RegionSnapshot, id: string): number[] {
  if (!index.mentioning) {
    const ids = [...new Set([...itemsRead(region.cognito.pools).map((p) => p.id), id])]
    const found = textsContaining(ids.map(escaped), index.texts)
    index.mentioning = new Map(ids.map((x, k) => [x, found[k]!]))
  }
  let hits = index.mentioning.get(id)
  if (!hits) {
    hits = textsContaining([escaped(id)], index.texts)[0]!
    index.mentioning.set(id, hits)
  }
  return hits
}

/**
 * The planned alarms that mention the pool (its id anywhere in the alarm) or hold an unknown value, in
 * the region's order, and their unknown paths.
 */
function alarmCandidates(index: RegionAlarms, region: RegionSnapshot, pool: UserPool | undefined): AlarmCandidates {
  const key = pool?.id
  const cached = index.byPool.get(key)
  if (cached) return cached
  const hits = pool === undefined ? [] : mentioning(index, region, pool.id)
  const plans: Judged[] = []
  // True while every candidate without an unknown marker has no unknown path either: then the candidates'
  // paths are those of the alarms with a marker, already listed.
  let onlyUnknown = true
  // The alarms with an unknown marker and the ones that mention the pool, merged in alarm order.
  let h = 0
  for (let i = 0; i < index.alarms.length; i++) {
    const mentioned = hits[h] === i
    if (mentioned) h++
    const plan = index.alarms[i]!.plan
    if (index.unknown[i]) plans.push(plan)
    else if (mentioned) {
      plans.push(plan)
      if (plan?.unknown && Object.keys(plan.unknown).length > 0) onlyUnknown = false
    }
  }
  const out = { plans, unknownPaths: onlyUnknown ? index.unknownPaths : unknownPaths(plans) }
  index.byPool.set(key, out)
  return out
}

function basisOf(
  f: Finding,
  region: RegionSnapshot | undefined,
  pool: UserPool | undefined,
  alarmsOf: (region: RegionSnapshot) => RegionAlarms,
): Basis {
  const none: Basis = { own: [], candidates: [], plannedInRegion: 0 }
  if (!region) return none
  switch (f.requirement === 'threat-protection' && f.checkId !== 'pool-exists' ? f.checkId : f.requirement) {
    case 'threat-protection':
      return { own: [pool?.plan], candidates: [], plannedInRegion: 0 }
    case 'threat-protection-enforcement': {
      const client = (pool ? itemsRead(pool.clients) : []).find((c) => f.resource?.includes(c.id))
      return {
        own: [
          pool?.plan,
          pool?.riskConfigurationPlan,
          ...(pool ? itemsRead(pool.clientRiskConfigurations) : []).map((c) => c.plan),
          ...(pool ? itemsRead(pool.clients) : []).map((c) => c.plan),
          client?.plan,
        ],
        candidates: [],
        plannedInRegion: 0,
      }
    }
    case 'alarms': {
      const index = alarmsOf(region)
      const c = alarmCandidates(index, region, pool)
      return {
        own: [pool?.plan],
        candidates: c.plans,
        plannedInRegion: index.alarms.length,
        candidateUnknowns: c.unknownPaths,
      }
    }
    case 'cloudtrail': {
      const trails: TrailRecord[] = region.cloudtrail ? itemsRead(region.cloudtrail.trails) : []
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
  const regions = new Map<string, RegionSnapshot>()
  for (const r of snapshot.regions) if (!regions.has(r.region)) regions.set(r.region, r)
  // The first pool of each id, as a search of the list would give.
  const pools = new Map<RegionSnapshot, Map<string, UserPool>>()
  const poolOf = (region: RegionSnapshot, id: string) => {
    let byId = pools.get(region)
    if (!byId) {
      byId = new Map()
      for (const p of itemsRead(region.cognito.pools)) if (!byId.has(p.id)) byId.set(p.id, p)
      pools.set(region, byId)
    }
    return byId.get(id)
  }
  const alarmIndex = new Map<RegionSnapshot, RegionAlarms>()
  const alarmsOf = (region: RegionSnapshot) => {
    let index = alarmIndex.get(region)
    if (!index) {
      index = regionAlarms(region)
      alarmIndex.set(region, index)
    }
    return index
  }
  return findings.map((f) => {
    const region = regions.get(f.region)
    const pool = f.poolId && region ? poolOf(region, f.poolId) : undefined
    const basis = basisOf(f, region, pool, alarmsOf)

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
    const others = f.status === 'pass' ? [] : (basis.candidateUnknowns ?? unknownPaths(basis.candidates))
    // Both lists are without repeats: with none of its own, the finding's list is the candidates' (a copy:
    // the candidates' list is shared by the pool's findings).
    const undecided = own.length === 0 ? [...others] : [...new Set([...own, ...others])]
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
