import { describe, expect, it } from 'vitest'
import { evaluate } from '../../../../src/checks/index.js'
import type { AccountSnapshot } from '../../../../src/model/snapshot.js'
import { scopeSnapshot } from '../../../../src/sources/saved/snapshot-file.js'
import { testPolicy } from '../../../support/policy.js'
import { itemsOf, pool, snapshot } from '../../../support/pools.js'

const shop = pool({ id: 'us-east-1_Shop', name: 'shop-customers' })
const admin = pool({
  id: 'us-east-1_Admin',
  name: 'legacy-admin',
  advancedSecurityMode: 'OFF',
  riskConfiguration: null,
})

function saved(
  selection: AccountSnapshot['selection'],
  missing: AccountSnapshot['regions'][0]['cognito']['missing'] = [],
) {
  const s = snapshot({ 'us-east-1': { pools: [shop, admin], missing } })
  return selection ? { ...s, selection } : s
}
const statuses = (s: AccountSnapshot, p = testPolicy()) => evaluate(s, p, '2026-01-01').map((f) => f.status)

describe('a saved snapshot is audited through the current policy', () => {
  it('audits only the pools the policy selects', () => {
    const p = testPolicy({ pools: { ids: ['us-east-1_Shop'] } })
    const s = scopeSnapshot(saved({ ids: [], names: [], all: true }), p)
    expect(itemsOf(s.regions[0]!.cognito.pools).map((x) => x.id)).toEqual(['us-east-1_Shop'])
    expect(s.regions[0]!.cognito.errors).toEqual([])
  })

  it('a policy region the snapshot lacks cannot be verified', () => {
    const p = testPolicy({ regions: ['us-east-1', 'eu-central-1'] })
    const s = scopeSnapshot(saved({ ids: [], names: [], all: true }), p)
    expect(s.regions.map((r) => r.region)).toEqual(['us-east-1', 'eu-central-1'])
    const eu = s.regions[1]!.cognito.errors[0]!
    expect(eu).toMatchObject({ code: 'NotInSnapshot', region: 'eu-central-1' })
    const f = evaluate(s, p, '2026-01-01').find((x) => x.region === 'eu-central-1')!
    expect(f.status).toBe('error')
    expect(f.message).toContain('region eu-central-1 is not in the saved snapshot')
    expect(f.remediation).toContain('Collect a new one with this policy')
  })

  it('a named pool the snapshot neither holds nor recorded as missing cannot be verified', () => {
    const p = testPolicy({ pools: { ids: ['us-east-1_Other'] } })
    const s = scopeSnapshot(saved({ ids: ['us-east-1_Shop'], names: [], all: false }), p)
    expect(s.regions[0]!.cognito.pools).toEqual({ state: 'loaded', items: [] })
    expect(statuses(s, p)).toEqual(['error'])
  })

  it('collected with every pool, a named pool it lacks does not exist: a violation', () => {
    const p = testPolicy({ pools: { ids: ['us-east-1_Gone'], names: ['nothing-*'] } })
    const s = scopeSnapshot(saved({ ids: [], names: [], all: true }), p)
    expect(s.regions[0]!.cognito.missing).toEqual([
      { selector: 'us-east-1_Gone', kind: 'id' },
      { selector: 'nothing-*', kind: 'name' },
    ])
    expect(statuses(s, p)).toEqual(['fail', 'fail'])
  })

  it('what the snapshot recorded as missing stays missing', () => {
    const p = testPolicy({ pools: { ids: ['us-east-1_Gone'] } })
    const s = scopeSnapshot(
      saved({ ids: ['us-east-1_Gone'], names: [], all: false }, [{ selector: 'us-east-1_Gone', kind: 'id' }]),
      p,
    )
    expect(statuses(s, p)).toEqual(['fail'])
  })

  it('"every pool" cannot be verified from a snapshot collected for fewer (or of unknown selection)', () => {
    const p = testPolicy()
    for (const sel of [{ ids: ['us-east-1_Shop'], names: [], all: false }, undefined]) {
      const s = scopeSnapshot(saved(sel), p)
      const err = s.regions[0]!.cognito.errors[0]
      expect(err?.message).toContain('holds only the pools its own policy selected')
      expect(statuses(s, p)).toContain('error')
    }
  })

  it('a name pattern is matched against the saved pools', () => {
    const p = testPolicy({ pools: { names: ['shop-*'] } })
    const s = scopeSnapshot(saved({ ids: [], names: ['*'], all: false }), p)
    expect(itemsOf(s.regions[0]!.cognito.pools).map((x) => x.name)).toEqual(['shop-customers'])
    expect(s.regions[0]!.cognito.errors).toEqual([])
    const unknown = scopeSnapshot(
      saved({ ids: [], names: ['shop-*'], all: false }),
      testPolicy({ pools: { names: ['pay-*'] } }),
    )
    expect(unknown.regions[0]!.cognito.errors[0]?.message).toContain(
      'the pools matching "pay-*" are not in the saved snapshot',
    )
  })

  it('regions the policy does not audit are dropped', () => {
    const s = snapshot({ 'us-east-1': [shop], 'eu-west-1': [pool({ region: 'eu-west-1' })] })
    const scoped = scopeSnapshot({ ...s, selection: { ids: [], names: [], all: true } }, testPolicy())
    expect(scoped.regions.map((r) => r.region)).toEqual(['us-east-1'])
  })
})

describe('reading a saved snapshot', () => {
  it('names the file and the first field the checks need that is missing', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { readSnapshot } = await import('../../../../src/sources/saved/snapshot-file.js')
    const dir = await mkdtemp(join(tmpdir(), 'cca-snap-'))
    const good = snapshot({ 'us-east-1': [shop] })
    const file = join(dir, 's.json')
    await writeFile(file, JSON.stringify(good))
    await expect(readSnapshot(file)).resolves.toMatchObject({ regions: [{ region: 'us-east-1' }] })
    const { clientRiskConfigurations: _dropped, ...broken } = shop
    await writeFile(file, JSON.stringify(snapshot({ 'us-east-1': [broken as never] })))
    await expect(readSnapshot(file)).rejects.toThrow(
      `snapshot ${file}: regions[0].cognito.pools.items[0].clientRiskConfigurations is missing`,
    )
    await writeFile(file, JSON.stringify({ ...good, regions: [{ region: 'us-east-1', cognito: { pools: { state: 'loaded', items: [] } } }] }))
    await expect(readSnapshot(file)).rejects.toThrow('regions[0].cognito.missing is missing')
    await writeFile(file, JSON.stringify({ ...good, regions: [{ ...good.regions[0], alarms: { metricAlarms: [] } }] }))
    await expect(readSnapshot(file)).rejects.toThrow('regions[0].alarms.errors is missing')
    await expect(readSnapshot(file)).rejects.toMatchObject({ name: 'SnapshotFileError' })
  })
})
