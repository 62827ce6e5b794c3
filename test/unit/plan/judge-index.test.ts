/**
 * The pre-deploy gate's look-ups made once instead of per finding (bench:plan: 5.8 s → well under 1 s)
 * decide exactly what the per-finding searches decided. Each test compares with the plain search it
 * replaced, on inputs made to trip an index: ids inside other ids, repeats, NUL, escapes, case.
 */
import { describe, expect, it } from 'vitest'
import { alarmsRisk } from '../../../src/checks/alarms/checks.js'
import { runCheck } from '../../../src/checks/index.js'
import { textsContaining } from '../../../src/checks/plan/mentions.js'
import { judgePlan } from '../../../src/checks/plan/judge.js'
import type { CompositeAlarmInfo, MetricAlarmInfo } from '../../../src/model/alarms.js'
import type { Finding } from '../../../src/model/finding.js'
import { type PlannedInfo, UNKNOWN_PREFIX, unknownMarker } from '../../../src/model/plan.js'
import type { AccountSnapshot, UserPool } from '../../../src/model/snapshot.js'
import { jsonKeyPositions, parseTemplate } from '../../../src/sources/cloudformation/template.js'
import { composite, policy, riskAlarm, snap } from '../../support/alarms.js'
import { itemsOf, pool } from '../../support/pools.js'

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const word = (next: () => number, alphabet: string, max: number) =>
  Array.from({ length: Math.floor(next() * (max + 1)) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')

describe('textsContaining: which texts hold which patterns, as includes decides', () => {
  it('agrees with includes on random texts over a small alphabet (overlaps, repeats, prefixes, empty)', () => {
    const next = rng(10)
    for (let round = 0; round < 200; round++) {
      const alphabet = round % 2 === 0 ? 'ab' : 'ab\u0000"\\é'
      const patterns = Array.from({ length: 1 + Math.floor(next() * 8) }, () => word(next, alphabet, 4))
      if (round % 5 === 0) patterns.push(patterns[0]!) // a repeat
      const texts = Array.from({ length: Math.floor(next() * 6) }, () => word(next, alphabet, 30))
      const naive = patterns.map((p) => texts.flatMap((t, i) => (t.includes(p) ? [i] : [])))
      expect(textsContaining(patterns, texts), JSON.stringify({ patterns, texts })).toEqual(naive)
    }
  })

  it('finds a pool id inside a longer one and both in one text', () => {
    const texts = ['{"v":"planned:S/Pool10"}', '{"v":"planned:S/Pool1"}', '{"v":"x"}']
    expect(textsContaining(['planned:S/Pool1', 'planned:S/Pool10', 'Pool'], texts)).toEqual([[0, 1], [0], [0, 1]])
  })
})

describe('jsonKeyPositions: the first two levels are the same whether deeper keys are recorded or not', () => {
  const text = JSON.stringify(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: {
        Pool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolName: 'a "quoted" name', Tags: [{ Key: 'k' }] } },
        'Odd\\"Id': { Type: 'AWS::CloudWatch::Alarm', Properties: { Dimensions: [{ Name: 'Resources' }] } },
        Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { EventSelectors: [[], { Pool: 1 }] } },
      },
      Outputs: { Pool: { Value: { Ref: 'Pool' } } },
    },
    null,
    2,
  )

  it('every key of depth 1 and 2 has the position the full scan gives, and nothing deeper is recorded', () => {
    const shallow = jsonKeyPositions(text, 2)
    const deep = jsonKeyPositions(text, 8)
    const upToTwo = [...deep].filter(([k]) => k.split('\u0000').length <= 2)
    expect([...shallow].sort()).toEqual(upToTwo.sort())
    expect(shallow.size).toBeGreaterThan(5)
    expect(deep.size).toBeGreaterThan(shallow.size)
  })

  it('lineOf gives the resource line from the shallow scan and a property line from the full one', () => {
    const t = parseTemplate('t.json', text)
    const line = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length
    expect(t.lineOf(['Resources', 'Trail'])?.line).toBe(line('"Trail"'))
    expect(t.lineOf(['Resources', 'Pool', 'Properties', 'UserPoolName'])?.line).toBe(line('"UserPoolName"'))
    expect(t.lineOf(['Resources', 'Trail', 'Properties', 'EventSelectors', 1, 'Pool'])?.line).toBe(line('"Pool": 1'))
    // A missing deeper key gives its nearest recorded ancestor; a missing resource gives Resources.
    expect(t.lineOf(['Resources', 'Pool', 'Properties', 'Nope'])?.line).toBe(line('"Properties"'))
    expect(t.lineOf(['Resources', 'Nope'])?.line).toBe(line('"Resources"'))
  })
})

// ------------------------------------------------------------------------------------------------
// judgePlan: the alarms a pool's alarm findings rest on

const plan = (name: string, unknown?: Record<string, string>): PlannedInfo => ({
  location: { file: 'plan.json', address: name },
  change: 'create',
  ...(unknown ? { unknown } : {}),
})

const unknownPaths = (objs: Array<PlannedInfo | undefined>) => [
  ...new Set(objs.flatMap((p) => (p?.unknown ? Object.values(p.unknown) : []))),
]

/** The per-finding search judgePlan did before the index: every planned alarm, as JSON, per finding. */
function expected(f: Finding, s: AccountSnapshot): Judged {
  const region = s.regions.find((r) => r.region === f.region)!
  const p = itemsOf(region.cognito.pools).find((x) => x.id === f.poolId)
  const alarms = [...itemsOf(region.alarms?.metricAlarms), ...itemsOf(region.alarms?.compositeAlarms)]
  const mentions = (a: MetricAlarmInfo | CompositeAlarmInfo) => {
    const text = JSON.stringify({ ...a, plan: undefined })
    return text.includes(UNKNOWN_PREFIX) || (p !== undefined && text.includes(JSON.stringify(p.id).slice(1, -1)))
  }
  const candidates = alarms.filter((a) => a.plan && mentions(a)).map((a) => a.plan)
  const own = unknownPaths([p?.plan])
  const others = f.status === 'pass' ? [] : unknownPaths(candidates)
  const live = s.source?.kind === 'planned' && s.source.live === true
  if (!live && f.status !== 'pass' && !alarms.some((a) => a.plan)) return { status: 'not-in-plan', undecidable: [] }
  const planned = [p?.plan, ...candidates].some((x) => x !== undefined)
  const undecidable = [...new Set([...own, ...others])]
  return {
    status: undecidable.length > 0 ? 'error' : f.status,
    undecidable,
    origin: !live || planned ? 'introduced' : 'existing',
  }
}

interface Judged {
  status: Finding['status']
  undecidable: string[]
  origin?: Finding['origin']
}

const judged = (f: Finding): Judged => ({
  status: f.status,
  undecidable: (f.evidence as { undecidable?: string[] } | undefined)?.undecidable ?? [],
  ...(f.origin ? { origin: f.origin } : {}),
})

function finding(p: UserPool | undefined, status: Finding['status']): Finding {
  return {
    checkId: 'alarms-risk',
    requirement: 'alarms',
    title: 't',
    status,
    severity: 'high',
    region: 'us-east-1',
    ...(p ? { poolId: p.id, poolName: p.name } : {}),
    message: 'm',
  }
}

function plannedSnapshot(
  pools: UserPool[],
  metricAlarms: MetricAlarmInfo[],
  composites: CompositeAlarmInfo[],
  live: boolean,
) {
  const s = snap(pools, { metricAlarms, compositeAlarms: composites })
  s.source = { kind: 'planned', format: 'terraform', inputs: ['plan.json'], stacks: [], deleted: [], live }
  return s
}

describe('judgePlan: the alarms that decide a pool', () => {
  it('matches the per-finding search on a hand-made region (ids inside ids, unknowns without a marker, composites)', () => {
    const p1 = pool({ id: 'planned:S/Pool1', plan: plan('p1') })
    const p10 = pool({ id: 'planned:S/Pool10', plan: plan('p10', { tier: 'UserPoolTier' }) })
    const live = pool({ id: 'us-east-1_Live' })
    const a = [
      // mentions Pool10 (so Pool1 too, as text), unknown only in its plan: no marker in the alarm
      { ...riskAlarm('a10', p10.id), plan: plan('a10', { actions: 'a10.alarm_actions' }) },
      // a marker: a candidate for every pool
      { ...riskAlarm('any', unknownMarker('any.dimensions.UserPoolId')), plan: plan('any', { d: 'any.dimensions' }) },
      { ...riskAlarm('a1', p1.id), plan: plan('a1') },
      riskAlarm('live-alarm', live.id), // live: never a candidate
      { ...riskAlarm('q"uote', 'x"y'), plan: plan('q', { n: 'q.name' }) },
    ]
    const c = [
      { ...composite('c1', `ALARM("${p1.id}-ato")`), plan: plan('c1', { r: 'c1.alarm_rule' }) },
      { ...composite('c2', 'ALARM(other)'), plan: plan('c2', { r: 'c2.alarm_rule' }) },
    ]
    const xy = pool({ id: 'x"y', plan: plan('xy') })
    for (const isLive of [false, true]) {
      const s = plannedSnapshot([p1, p10, live, xy], a, c, isLive)
      const findings = [p1, p10, live, xy, undefined].flatMap((p) => [finding(p, 'fail'), finding(p, 'pass')])
      const out = judgePlan(findings, s)
      out.forEach((f, i) => {
        expect(judged(f), `${findings[i]!.poolId} ${findings[i]!.status}`).toEqual(expected(findings[i]!, s))
      })
      // Pool1's list: a10 (its text holds Pool1), the marked alarm, then c1, in the region's order.
      expect((out[0]!.evidence as { undecidable: string[] }).undecidable).toEqual([
        'a10.alarm_actions',
        'any.dimensions',
        'c1.alarm_rule',
      ])
    }
  })

  it('matches the per-finding search on random regions', () => {
    const next = rng(7)
    for (let round = 0; round < 60; round++) {
      const ids = Array.from({ length: 1 + Math.floor(next() * 5) }, (_, i) =>
        next() < 0.5 ? `planned:S/P${i}` : `planned:S/P${i}${i}`,
      )
      const pools = ids.map((id, i) =>
        pool({ id, ...(next() < 0.8 ? { plan: plan(`p${i}`, next() < 0.3 ? { m: `p${i}.mode` } : undefined) } : {}) }),
      )
      const alarms = Array.from({ length: Math.floor(next() * 8) }, (_, k) => {
        const target = next() < 0.2 ? unknownMarker(`a${k}.d`) : (ids[Math.floor(next() * ids.length)] ?? 'none')
        const a = riskAlarm(`a${k}`, target)
        const r = next()
        return r < 0.2 ? a : { ...a, plan: plan(`a${k}`, r < 0.6 ? { x: `a${k}.x`, y: `shared.y` } : undefined) }
      })
      const comps = Array.from({ length: Math.floor(next() * 3) }, (_, k) => ({
        ...composite(`c${k}`, `ALARM("${ids[k % ids.length]}")`),
        plan: plan(`c${k}`, next() < 0.5 ? { r: `c${k}.rule` } : undefined),
      }))
      const s = plannedSnapshot(pools, alarms, comps, next() < 0.5)
      const findings = pools.flatMap((p) => [finding(p, 'fail'), finding(p, 'pass')])
      const out = judgePlan(findings, s)
      out.forEach((f, i) => {
        expect(judged(f), `round ${round}, finding ${i}`).toEqual(expected(findings[i]!, s))
      })
    }
  })

  it('two findings of one pool do not share their list of undecidable paths', () => {
    const p = pool({ id: 'planned:S/Pool', plan: plan('p') })
    const a = { ...riskAlarm('a', p.id), plan: plan('a', { x: 'a.x' }) }
    const s = plannedSnapshot([p], [a], [], false)
    const [f1, f2] = judgePlan([finding(p, 'fail'), finding(p, 'warn')], s)
    const l1 = (f1!.evidence as { undecidable: string[] }).undecidable
    const l2 = (f2!.evidence as { undecidable: string[] }).undecidable
    expect(l1).toEqual(['a.x'])
    expect(l1).not.toBe(l2)
  })
})

// ------------------------------------------------------------------------------------------------
// coverTarget: another pool's alarm explains a gap only when its name mentions this pool

describe("alarms: another pool's alarm whose name mentions this pool", () => {
  const closest = (p: UserPool, alarms: MetricAlarmInfo[]) => {
    const [f] = runCheck(
      alarmsRisk,
      snap([p], { metricAlarms: alarms }),
      policy({ risk: { metrics: ['AccountTakeoverRisk'] } }),
    )
    return (f!.evidence as { series: Array<{ closestAlarm?: string }> }).series[0]!.closestAlarm
  }

  it('by the pool name in another case, by the pool id, the first by alarm name; not by a name that only looks alike', () => {
    const p = pool({ name: 'Shop-Users' })
    const others = [
      riskAlarm('z-unrelated', 'us-east-1_Other0'),
      riskAlarm('m-shop-users-ato', 'us-east-1_Other1'),
      riskAlarm('k-SHOP-USERS-copy', 'us-east-1_Other2'),
      riskAlarm('b-shop-user-ato', 'us-east-1_Other3'), // not the name: one letter short
    ]
    expect(closest(p, others)).toBe('k-SHOP-USERS-copy')
    expect(closest(p, [...others, riskAlarm(`a-${p.id.toUpperCase()}`, 'us-east-1_Other4')])).toBe(
      `a-${p.id.toUpperCase()}`,
    )
    expect(closest(p, [riskAlarm('z-unrelated', 'us-east-1_Other0')])).toBeUndefined()
  })

  it('a pool name holding NUL is compared name by name, never across two alarm names', () => {
    const p = pool({ name: 'ab\u0000cd' })
    // Joined by NUL in alarm-name order, 'a-ab' and 'cd-y' would read as the pool name: neither name holds it.
    expect(closest(p, [riskAlarm('cd-y', 'us-east-1_O2'), riskAlarm('a-ab', 'us-east-1_O1')])).toBeUndefined()
    expect(closest(p, [riskAlarm('x-ab\u0000cd-y', 'us-east-1_O1')])).toBe('x-ab\u0000cd-y')
  })
})
