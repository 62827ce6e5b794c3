/**
 * Saved snapshots: `--save-snapshot FILE` writes what was collected; `--snapshot FILE`
 * audits a saved one without calling AWS (offline re-evaluation, tests, CI smoke runs).
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writingTo } from '../../errors.js'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../../input-file.js'
import { NOT_IN_SNAPSHOT } from '../../model/aws-error.js'
import { matchesPool, regionOfPoolId, selectPools } from '../../model/match.js'
import {
  type AccountSnapshot,
  type AwsError,
  failedListing,
  loaded,
  type MissingPool,
  type RegionSnapshot,
} from '../../model/snapshot.js'
import type { Policy } from '../../policy/types.js'
import { writeFileAtomic } from '../../write-file.js'
import { upgradeSnapshot } from './upgrade.js'
import { parseSnapshotJson, snapshotProblem } from './validate.js'

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
    data = parseSnapshotJson(text)
  } catch (err) {
    throw new SnapshotFileError(`snapshot ${path}: ${(err as Error).message}`)
  }
  // Version 1 read as version 2; then against the schema generated from the snapshot types, then
  // duplicates and region mismatches.
  const v1 = (data as { schemaVersion?: unknown } | null)?.schemaVersion === 1
  data = upgradeSnapshot(data)
  const problem = snapshotProblem(data)
  // A version 1 file has plain lists: name the place as it is written there.
  if (problem) throw new SnapshotFileError(`snapshot ${path}: ${v1 ? asVersion1(problem) : problem}`)
  return data as AccountSnapshot
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
      const error = notIn(region, `region ${region} is not in the saved snapshot`)
      return { region, cognito: { pools: failedListing(error), missing: [], errors: [error] } }
    }
    // Pools that could not be listed then are unknown under any policy.
    if (saved.cognito.pools.state === 'failed') return saved
    const savedPools = saved.cognito.pools.items
    const { selected } = selectPools(savedPools, region, policy.pools)
    const chosen = new Set(selected.map((s) => s.id))
    const savedIds = new Set(savedPools.map((p) => p.id))
    const pools = savedPools.filter((p) => chosen.has(p.id))
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
        account(id, 'id', savedIds.has(id), `user pool ${id} is`)
      }
      for (const glob of policy.pools.names) {
        account(
          glob,
          'name',
          savedPools.some((p) => matchesPool(glob, p)),
          `the pools matching "${glob}" are`,
        )
      }
      if (policy.pools.all && collectedAll !== true) {
        errors.push(
          notIn(region, `the saved snapshot holds only the pools its own policy selected in ${region}, not every pool`),
        )
      }
    }
    return { ...saved, cognito: { pools: loaded(pools), missing, errors } }
  })
  return { ...snapshot, regions }
}

/** `regions[0].cognito.pools.items[2]` as a version 1 file writes it: `regions[0].cognito.pools[2]`. */
function asVersion1(problem: string): string {
  return problem.replace(
    /\.(pools|clients|clientRiskConfigurations|metricAlarms|compositeAlarms|cognitoMetrics|usageMetrics|trails)\.items\[/g,
    '.$1[',
  )
}
