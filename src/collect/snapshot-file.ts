/**
 * Saved snapshots: `--save-snapshot FILE` writes what was collected; `--snapshot FILE`
 * audits a saved one without calling AWS (offline re-evaluation, tests, CI smoke runs).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type AccountSnapshot, SNAPSHOT_SCHEMA_VERSION } from '../model/snapshot.js'

export class SnapshotFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SnapshotFileError'
  }
}

export async function readSnapshot(path: string): Promise<AccountSnapshot> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new SnapshotFileError(`snapshot ${path}: cannot read it (${code ?? String(err)})`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new SnapshotFileError(`snapshot ${path}: not valid JSON (${(err as Error).message})`)
  }
  const snap = data as Partial<AccountSnapshot>
  if (typeof snap !== 'object' || snap === null || Array.isArray(snap)) {
    throw new SnapshotFileError(`snapshot ${path}: expected a JSON object written by --save-snapshot`)
  }
  if (snap.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    throw new SnapshotFileError(
      `snapshot ${path}: schemaVersion ${JSON.stringify(snap.schemaVersion)} is not supported (expected ${SNAPSHOT_SCHEMA_VERSION})`,
    )
  }
  if (!Array.isArray(snap.regions) || typeof snap.collectedAt !== 'string') {
    throw new SnapshotFileError(`snapshot ${path}: missing "regions" or "collectedAt"`)
  }
  return snap as AccountSnapshot
}

export async function writeSnapshot(path: string, snapshot: AccountSnapshot): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, `${JSON.stringify(snapshot, null, 2)}\n`)
}
