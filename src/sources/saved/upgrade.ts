/**
 * Saved snapshots of schema version 1, read as version 2. Version 1 kept every list as a plain array: a
 * list whose read failed was empty, with the failure only in the nearest `errors` array. Version 2 makes
 * each such list a `Listing` (src/model/snapshot.ts), so the upgrade turns an empty list with a matching
 * error into `failed` (with that error) and every other list into `loaded`:
 *
 *  - `cognito.pools`: failed by a region error of ListUserPools (not one about a single named pool);
 *  - a pool's `clients`: failed by its ListUserPoolClients error, else by its DescribeUserPool error (the
 *    clients were never read); `clientRiskConfigurations` fails with them;
 *  - `alarms.metricAlarms` / `compositeAlarms` (absent when the read failed): failed by DescribeAlarms;
 *    `cognitoMetrics` / `usageMetrics`: failed by the ListMetrics error for their namespace; absent
 *    without such an error (not collected) they stay absent;
 *  - `cloudtrail.trails`: failed by DescribeTrails.
 *
 * The `errors` arrays are kept as they are. Works on parsed JSON before validation: whatever does not
 * have the expected shape is left as it is, for the schema check to name.
 */
type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function errorsOf(section: Json): Json[] {
  return Array.isArray(section.errors) ? section.errors.filter(isObject) : []
}

/** The v2 listing for a v1 array: failed by `error` when the array is empty and there is one. */
function listing(value: unknown, error: Json | undefined): unknown {
  if (!Array.isArray(value)) return value
  if (value.length === 0 && error) return { state: 'failed', error }
  return { state: 'loaded', items: value }
}

/** A v1 list that is absent when its read failed or it was not collected. */
function optionalListing(section: Json, key: string, error: Json | undefined): void {
  if (key in section) section[key] = listing(section[key], undefined)
  else if (error) section[key] = { state: 'failed', error }
}

function upgradePool(pool: unknown): void {
  if (!isObject(pool)) return
  const errors = errorsOf(pool)
  const clientsError =
    errors.find((e) => e.action === 'ListUserPoolClients') ?? errors.find((e) => e.action === 'DescribeUserPool')
  pool.clients = listing(pool.clients, clientsError)
  const clientsFailed = isObject(pool.clients) && pool.clients.state === 'failed'
  pool.clientRiskConfigurations =
    clientsFailed && Array.isArray(pool.clientRiskConfigurations) && pool.clientRiskConfigurations.length === 0
      ? { state: 'failed', error: clientsError }
      : listing(pool.clientRiskConfigurations, undefined)
}

function upgradeRegion(region: unknown): void {
  if (!isObject(region)) return
  const cognito = region.cognito
  if (isObject(cognito)) {
    // A region error has no resource, or names the region's listing rather than one pool.
    const listError = errorsOf(cognito).find((e) => e.action === 'ListUserPools' && e.resource === undefined)
    if (Array.isArray(cognito.pools)) for (const p of cognito.pools) upgradePool(p)
    cognito.pools = listing(cognito.pools, listError)
  }
  const alarms = region.alarms
  if (isObject(alarms)) {
    const errors = errorsOf(alarms)
    const describe = errors.find((e) => e.action === 'DescribeAlarms')
    const list = (ns: string) => errors.find((e) => e.action === 'ListMetrics' && e.resource === ns)
    optionalListing(alarms, 'metricAlarms', describe)
    optionalListing(alarms, 'compositeAlarms', describe)
    optionalListing(alarms, 'cognitoMetrics', list('AWS/Cognito'))
    optionalListing(alarms, 'usageMetrics', list('AWS/Usage'))
  }
  const cloudtrail = region.cloudtrail
  if (isObject(cloudtrail)) {
    const describe = errorsOf(cloudtrail).find((e) => e.action === 'DescribeTrails')
    cloudtrail.trails = listing(cloudtrail.trails, describe)
  }
}

/** Upgrades parsed snapshot data of version 1 to version 2 in place; data of any other version is left
 *  as it is (the validation refuses versions it does not read). */
export function upgradeSnapshot(data: unknown): unknown {
  if (!isObject(data) || data.schemaVersion !== 1) return data
  if (Array.isArray(data.regions)) for (const r of data.regions) upgradeRegion(r)
  data.schemaVersion = 2
  return data
}
