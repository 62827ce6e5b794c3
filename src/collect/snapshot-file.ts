/**
 * Saved snapshots: `--save-snapshot FILE` writes what was collected; `--snapshot FILE`
 * audits a saved one without calling AWS (offline re-evaluation, tests, CI smoke runs).
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { excerpt, writingTo } from '../errors.js'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../input-file.js'
import {
  type AccountSnapshot,
  type AwsError,
  type MissingPool,
  type RegionSnapshot,
  SNAPSHOT_SCHEMA_VERSION,
} from '../model/snapshot.js'
import { matchesPool, regionOfPoolId } from '../policy/match.js'
import type { Policy } from '../policy/types.js'
import { writeFileAtomic } from '../write-file.js'
import { selectPools } from './cognito.js'
import { NOT_IN_SNAPSHOT } from './errors.js'

export class SnapshotFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SnapshotFileError'
  }
}

export async function readSnapshot(path: string): Promise<AccountSnapshot> {
  let text: string
  try {
    text = await readInputFile(path, INPUT_LIMITS.snapshot)
  } catch (err) {
    if (err instanceof InputFileError) throw new SnapshotFileError(`snapshot ${err.message}`)
    throw err
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    // JSON.parse quotes the text around the mistake: say where it is, never what.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    throw new SnapshotFileError(`snapshot ${path}: not valid JSON${at ? ` (at character ${at})` : ''}`)
  }
  const snap = data as Partial<AccountSnapshot>
  if (typeof snap !== 'object' || snap === null || Array.isArray(snap)) {
    throw new SnapshotFileError(`snapshot ${path}: expected a JSON object written by --save-snapshot`)
  }
  if (snap.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    throw new SnapshotFileError(
      `snapshot ${path}: schemaVersion ${typeof snap.schemaVersion === 'number' ? snap.schemaVersion : excerpt(String(snap.schemaVersion))} is not supported (expected ${SNAPSHOT_SCHEMA_VERSION})`,
    )
  }
  if (!Array.isArray(snap.regions) || typeof snap.collectedAt !== 'string') {
    throw new SnapshotFileError(`snapshot ${path}: missing "regions" or "collectedAt"`)
  }
  const problem = shapeProblem(snap.regions)
  if (problem) throw new SnapshotFileError(`snapshot ${path}: ${problem} (not a snapshot written by --save-snapshot?)`)
  return snap as AccountSnapshot
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The first field the checks rely on that a saved snapshot lacks or has the wrong type of, as `where: what`. */
function shapeProblem(regions: unknown[]): string | undefined {
  const need = (obj: Record<string, unknown>, at: string, key: string, kind: 'string' | 'array' | 'object') => {
    const v = obj[key]
    const ok = kind === 'array' ? Array.isArray(v) : kind === 'object' ? isObject(v) : typeof v === 'string'
    return ok ? undefined : `${at}.${key} is missing or not ${kind === 'array' ? 'a list' : `a ${kind}`}`
  }
  for (const [i, r] of regions.entries()) {
    const at = `regions[${i}]`
    if (!isObject(r)) return `${at} is not an object`
    const bad = need(r, at, 'region', 'string') ?? need(r, at, 'cognito', 'object')
    if (bad) return bad
    const c = r.cognito as Record<string, unknown>
    const badCognito =
      need(c, `${at}.cognito`, 'pools', 'array') ??
      need(c, `${at}.cognito`, 'missing', 'array') ??
      need(c, `${at}.cognito`, 'errors', 'array')
    if (badCognito) return badCognito
    for (const [j, p] of (c.pools as unknown[]).entries()) {
      const pat = `${at}.cognito.pools[${j}]`
      if (!isObject(p)) return `${pat} is not an object`
      for (const [key, kind] of [
        ['id', 'string'],
        ['name', 'string'],
        ['region', 'string'],
        ['advancedSecurityMode', 'string'],
        ['clients', 'array'],
        ['clientRiskConfigurations', 'array'],
        ['errors', 'array'],
      ] as const) {
        const badPool = need(p, pat, key, kind)
        if (badPool) return badPool
      }
    }
    for (const section of ['alarms', 'cloudtrail', 'activity'] as const) {
      if (r[section] === undefined) continue
      if (!isObject(r[section])) return `${at}.${section} is not an object`
      const badSection = need(r[section] as Record<string, unknown>, `${at}.${section}`, 'errors', 'array')
      if (badSection) return badSection
    }
  }
  return undefined
}

export async function writeSnapshot(path: string, snapshot: AccountSnapshot): Promise<void> {
  await writingTo('snapshot', path, async () => {
    await mkdir(dirname(path), { recursive: true })
    await writeFileAtomic(path, `${JSON.stringify(snapshot, null, 2)}\n`)
  })
}

/**
 * A saved snapshot seen through `policy`, as if it had been collected with it: only the policy's regions
 * and the pools it selects. What the snapshot cannot answer is an error, never a silent pass: a region it
 * lacks, a pool id or name pattern it neither holds nor recorded as missing, or "every pool" when it was
 * collected for fewer. Ids and patterns it recorded as missing stay missing (a violation).
 */
export function scopeSnapshot(snapshot: AccountSnapshot, policy: Pick<Policy, 'regions' | 'pools'>): AccountSnapshot {
  const notIn = (region: string, message: string, resource?: string): AwsError => ({
    service: 'cognito-idp',
    action: 'ListUserPools',
    code: NOT_IN_SNAPSHOT,
    message,
    region,
    ...(resource ? { resource } : {}),
  })
  const collectedAll = snapshot.selection?.all
  const regions = policy.regions.map((region): RegionSnapshot => {
    const saved = snapshot.regions.find((r) => r.region === region)
    if (!saved) {
      return {
        region,
        cognito: { pools: [], missing: [], errors: [notIn(region, `region ${region} is not in the saved snapshot`)] },
      }
    }
    const { selected } = selectPools(saved.cognito.pools, region, policy)
    const pools = saved.cognito.pools.filter((p) => selected.some((s) => s.id === p.id))
    const recorded = saved.cognito.missing
    const regionIds = policy.pools.ids.filter((id) => regionOfPoolId(id) === region)
    const missing = recorded.filter((m) =>
      m.kind === 'id' ? regionIds.includes(m.selector) : policy.pools.names.includes(m.selector),
    )
    const errors = [...saved.cognito.errors]
    if (errors.length === 0) {
      // With the listing itself failed, the saved errors already say nothing here could be verified.
      // A selector the snapshot neither holds nor recorded as missing: collected with every pool, the
      // snapshot knows it does not exist; otherwise it cannot say.
      const account = (selector: string, kind: MissingPool['kind'], held: boolean, what: string) => {
        if (held || recorded.some((m) => m.kind === kind && m.selector === selector)) return
        if (collectedAll) missing.push({ selector, kind })
        else errors.push(notIn(region, `${what} not in the saved snapshot`, selector))
      }
      for (const id of regionIds) {
        account(
          id,
          'id',
          saved.cognito.pools.some((p) => p.id === id),
          `user pool ${id} is`,
        )
      }
      for (const glob of policy.pools.names) {
        account(
          glob,
          'name',
          saved.cognito.pools.some((p) => matchesPool(glob, p)),
          `the pools matching "${glob}" are`,
        )
      }
      if (policy.pools.all && collectedAll !== true) {
        errors.push(
          notIn(region, `the saved snapshot holds only the pools its own policy selected in ${region}, not every pool`),
        )
      }
    }
    return { ...saved, cognito: { pools, missing, errors } }
  })
  return { ...snapshot, regions }
}
