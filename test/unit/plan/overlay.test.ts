/**
 * Planned plus live (`--live`), without the sandbox: the Terraform fixture laid over a hand-made live
 * account. Created and updated objects replace their live counterpart or join the live ones, Terraform
 * deletions (`change.actions: ["delete"]`) disappear, everything else stays live.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TrailRecord } from '../../../src/model/cloudtrail.js'
import type { AccountSnapshot } from '../../../src/model/snapshot.js'
import { overlayPlan } from '../../../src/plan/overlay.js'
import { loadTerraformPlan } from '../../../src/sources/terraform/index.js'
import { alarmsSection, riskAlarm } from '../../support/alarms.js'
import { itemsOf, pool, snapshot } from '../../support/pools.js'

const ROOT = join(import.meta.dirname, '../../..')
const DIR = 'test/fixtures/plan/terraform'
const REGION = 'eu-west-1'
const ARN = (name: string) => `arn:aws:cloudtrail:${REGION}:123456789012:trail/${name}`

/** The fixture plus the deletion of a live alarm, as `terraform show -json` writes one. */
function planWithAlarmDeletion(): string {
  const plan = JSON.parse(readFileSync(join(ROOT, DIR, 'plan.json'), 'utf8'))
  plan.resource_changes.push({
    address: 'aws_cloudwatch_metric_alarm.retired',
    mode: 'managed',
    type: 'aws_cloudwatch_metric_alarm',
    name: 'retired',
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: ['delete'],
      before: { alarm_name: 'live-retired', id: 'live-retired' },
      after: null,
      after_unknown: {},
    },
  })
  const file = join(mkdtempSync(join(tmpdir(), 'overlay-')), 'plan.json')
  writeFileSync(file, JSON.stringify(plan))
  return file
}

const trail = (name: string): TrailRecord => ({
  name,
  arn: ARN(name),
  homeRegion: REGION,
  isMultiRegion: true,
  isOrganization: false,
  logFileValidation: true,
  errors: [],
})

function liveAccount(): AccountSnapshot {
  const legacy = pool({
    id: 'eu-west-1_Legacy',
    name: 'legacy',
    region: REGION,
    advancedSecurityMode: 'ENFORCED',
    clients: [{ id: 'live-client', name: 'live-client' }],
  })
  const other = pool({ id: 'eu-west-1_Other', name: 'other', region: REGION })
  const s = snapshot({ [REGION]: [legacy, other] })
  s.regions[0]!.alarms = alarmsSection({
    metricAlarms: [
      riskAlarm('live-kept', other.id),
      riskAlarm('live-retired', other.id),
      riskAlarm('cognito-compromised', other.id),
    ],
  })
  s.regions[0]!.cloudtrail = {
    trails: { state: 'loaded', items: [trail('org-trail'), trail('old-trail'), trail('keep-trail')] },
    otherRegionTrails: [],
    errors: [],
  }
  return s
}

describe('overlayPlan: the Terraform fixture over a live account', () => {
  it('updated objects replace the live ones, created ones join, deletions disappear, the rest stays live', async () => {
    const planned = await loadTerraformPlan({ file: planWithAlarmDeletion(), root: ROOT })
    const out = overlayPlan(liveAccount(), planned)
    expect(out.source).toMatchObject({ kind: 'planned', format: 'terraform', live: true })
    const r = out.regions.find((x) => x.region === REGION)!
    const pools = itemsOf(r.cognito.pools)

    // The updated pool is the planned one (threat protection left out: OFF), keeping its live app client.
    const legacy = pools.find((p) => p.id === 'eu-west-1_Legacy')!
    expect(legacy.plan?.change).toBe('update')
    expect(legacy.advancedSecurityMode).toBe('OFF')
    expect(itemsOf(legacy.clients).map((c) => c.id)).toEqual(['live-client'])
    // The created pool joins; the pool the plan does not touch stays live.
    expect(pools.find((p) => p.id === 'planned:aws_cognito_user_pool.main')?.plan?.change).toBe('create')
    expect(pools.find((p) => p.id === 'eu-west-1_Other')?.plan).toBeUndefined()
    expect(pools).toHaveLength(3)

    const alarms = itemsOf(r.alarms?.metricAlarms)
    const byName = (n: string) => alarms.filter((a) => a.name === n)
    // Same name: the planned alarm replaces the live one, once.
    expect(byName('cognito-compromised')).toHaveLength(1)
    expect(byName('cognito-compromised')[0]!.plan?.change).toBe('create')
    // Deleted by the plan: gone. Not in the plan: still live.
    expect(byName('live-retired')).toEqual([])
    expect(byName('live-kept')[0]!.plan).toBeUndefined()
    expect(byName('cognito-ato-High')).toHaveLength(1)

    const trails = itemsOf(r.cloudtrail?.trails)
    // org-trail is updated by the plan, old-trail deleted, keep-trail untouched.
    expect(trails.map((t) => [t.name, t.plan?.change ?? 'live'])).toEqual([
      ['keep-trail', 'live'],
      ['org-trail', 'update'],
    ])
  })

  it('the live snapshot it is laid over is not changed', async () => {
    const planned = await loadTerraformPlan({ file: planWithAlarmDeletion(), root: ROOT })
    const live = liveAccount()
    const before = JSON.stringify(live)
    overlayPlan(live, planned)
    expect(JSON.stringify(live)).toBe(before)
  })
})
