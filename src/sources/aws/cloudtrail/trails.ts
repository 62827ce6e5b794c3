/**
 * CloudTrail trails collector: every audited region at once, so each trail is read once.
 *
 *  1. DescribeTrails (with shadow trails) once per audited region: the trails that apply there.
 *  2. Trails deduplicated by ARN across regions; for each distinct trail, GetTrailStatus and
 *     GetEventSelectors once, with the ARN, against the trail's home-region client (also when that
 *     region is not audited), all concurrently.
 *  3. Per audited region: the applicable trails (homed there, or multi-region) with their status and
 *     selectors, plus the single-region trails homed in other audited regions ("other region only").
 * Known limit: GetTrailStatus answers per region (the status a region's endpoint reports), and it is read once, in the home region, so a
 * multi-region trail's delivery error seen only from another region is not caught.
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetTrailStatusResponse,
  type AdvancedEventSelector as SdkAdvancedEventSelector,
  type EventSelector as SdkEventSelector,
  type Trail,
} from '@aws-sdk/client-cloudtrail'
import { explainAwsError } from '../../../model/aws-error.js'
import type {
  AdvancedEventSelector,
  BasicEventSelector,
  CloudTrailRegion,
  OtherRegionTrail,
  TrailRecord,
  TrailSelectors,
  TrailStatus,
} from '../../../model/cloudtrail.js'
import { type AwsError, failedListing, loaded } from '../../../model/snapshot.js'
import type { Policy } from '../../../policy/types.js'
import type { CollectContext } from '../context.js'
import { toAwsError } from '../errors.js'

interface Described {
  region: string
  trails: Trail[]
  error?: AwsError
}

interface TrailDetails {
  status?: TrailStatus
  selectors?: TrailSelectors
  errors: AwsError[]
}

export async function collectCloudTrail(
  ctx: CollectContext,
  regions: string[],
  _policy: Policy,
): Promise<Record<string, CloudTrailRegion>> {
  const described = await Promise.all(regions.map((region) => describeTrails(ctx, region)))

  // Distinct trails that apply to some audited region, by ARN, with the region their details are read in.
  const distinct = new Map<string, { arn: string; homeRegion: string }>()
  for (const d of described) {
    for (const t of d.trails) {
      if (!appliesTo(t, d.region)) continue
      const arn = trailArn(t, d.region)
      if (!distinct.has(arn)) distinct.set(arn, { arn, homeRegion: homeRegionOf(t, d.region) })
    }
  }
  const details = new Map<string, TrailDetails>()
  await Promise.all(
    [...distinct.values()].map(async ({ arn, homeRegion }) => {
      details.set(arn, await readTrail(ctx, arn, homeRegion))
    }),
  )

  // Single-region trails, by the region they are homed in.
  const singleRegion: OtherRegionTrail[] = []
  const seen = new Set<string>()
  for (const d of described) {
    for (const t of d.trails) {
      const arn = trailArn(t, d.region)
      if (t.IsMultiRegionTrail || seen.has(arn)) continue
      seen.add(arn)
      singleRegion.push({ name: t.Name ?? arn, arn, homeRegion: homeRegionOf(t, d.region) })
    }
  }

  const out: Record<string, CloudTrailRegion> = {}
  for (const d of described) {
    const trails: TrailRecord[] = []
    for (const t of d.trails) {
      const arn = trailArn(t, d.region)
      if (!appliesTo(t, d.region) || trails.some((x) => x.arn === arn)) continue
      trails.push(toRecord(t, arn, homeRegionOf(t, d.region), details.get(arn) ?? { errors: [] }))
    }
    out[d.region] = {
      trails: d.error ? failedListing(d.error) : loaded(trails),
      otherRegionTrails: singleRegion.filter((s) => s.homeRegion !== d.region),
      errors: d.error ? [d.error] : [],
    }
  }
  ctx.log.debug(`cloudtrail: ${distinct.size} distinct trail(s) across ${regions.length} region(s)`)
  return out
}

async function describeTrails(ctx: CollectContext, region: string): Promise<Described> {
  try {
    const res = await ctx.clients.cloudtrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }))
    return { region, trails: res.trailList ?? [] }
  } catch (err) {
    const error = toAwsError(err, 'cloudtrail', 'DescribeTrails', region)
    ctx.log.warn(explainAwsError(error))
    return { region, trails: [], error }
  }
}

async function readTrail(ctx: CollectContext, arn: string, homeRegion: string): Promise<TrailDetails> {
  const client = ctx.clients.cloudtrail(homeRegion)
  const errors: AwsError[] = []
  const [status, selectors] = await Promise.all([
    client.send(new GetTrailStatusCommand({ Name: arn })).then(toStatus, (err) => {
      errors.push(toAwsError(err, 'cloudtrail', 'GetTrailStatus', homeRegion, arn))
      return undefined
    }),
    client.send(new GetEventSelectorsCommand({ TrailName: arn })).then(
      (res) => toSelectors(res.EventSelectors, res.AdvancedEventSelectors),
      (err) => {
        errors.push(toAwsError(err, 'cloudtrail', 'GetEventSelectors', homeRegion, arn))
        return undefined
      },
    ),
  ])
  for (const e of errors) ctx.log.warn(explainAwsError(e))
  const out: TrailDetails = { errors }
  if (status) out.status = status
  if (selectors) out.selectors = selectors
  return out
}

/**
 * A trail applies to a region when it is homed there or is multi-region (organization trails included:
 * a single-region organization trail records only its home region, in every member account).
 */
function appliesTo(t: Trail, region: string): boolean {
  return homeRegionOf(t, region) === region || t.IsMultiRegionTrail === true
}

function trailArn(t: Trail, region: string): string {
  return t.TrailARN ?? `arn:aws:cloudtrail:${homeRegionOf(t, region)}:unknown:trail/${t.Name ?? 'unnamed'}`
}

function homeRegionOf(t: Trail, region: string): string {
  return t.HomeRegion ?? t.TrailARN?.split(':')[3] ?? region
}

function toRecord(t: Trail, arn: string, homeRegion: string, details: TrailDetails): TrailRecord {
  const rec: TrailRecord = {
    name: t.Name ?? arn.split('/').pop() ?? arn,
    arn,
    homeRegion,
    isMultiRegion: t.IsMultiRegionTrail === true,
    isOrganization: t.IsOrganizationTrail === true,
    logFileValidation: t.LogFileValidationEnabled === true,
    errors: details.errors.map((e) => ({ ...e })),
  }
  if (t.KmsKeyId) rec.kmsKeyId = t.KmsKeyId
  if (t.CloudWatchLogsLogGroupArn) rec.cloudWatchLogsLogGroupArn = t.CloudWatchLogsLogGroupArn
  if (t.S3BucketName) rec.s3BucketName = t.S3BucketName
  if (t.HasCustomEventSelectors !== undefined) rec.hasCustomEventSelectors = t.HasCustomEventSelectors
  if (details.status) rec.status = { ...details.status }
  if (details.selectors) rec.selectors = structuredClone(details.selectors)
  return rec
}

function iso(d: Date | undefined): string | undefined {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined
}

function toStatus(res: GetTrailStatusResponse): TrailStatus {
  const s: TrailStatus = { isLogging: res.IsLogging === true }
  const set = (key: keyof TrailStatus & `${string}Time`, d: Date | undefined) => {
    const v = iso(d)
    if (v) s[key] = v
  }
  set('latestDeliveryTime', res.LatestDeliveryTime)
  set('startLoggingTime', res.StartLoggingTime)
  set('stopLoggingTime', res.StopLoggingTime)
  set('latestCloudWatchLogsDeliveryTime', res.LatestCloudWatchLogsDeliveryTime)
  set('latestDigestDeliveryTime', res.LatestDigestDeliveryTime)
  if (res.LatestDeliveryError) s.latestDeliveryError = res.LatestDeliveryError
  if (res.LatestCloudWatchLogsDeliveryError) s.latestCloudWatchLogsDeliveryError = res.LatestCloudWatchLogsDeliveryError
  if (res.LatestDigestDeliveryError) s.latestDigestDeliveryError = res.LatestDigestDeliveryError
  return s
}

function toSelectors(
  basic: SdkEventSelector[] | undefined,
  advanced: SdkAdvancedEventSelector[] | undefined,
): TrailSelectors {
  const out: TrailSelectors = {}
  if (basic && basic.length > 0) {
    out.eventSelectors = basic.map((b) => {
      const sel: BasicEventSelector = {}
      if (b.ReadWriteType) sel.ReadWriteType = b.ReadWriteType
      if (b.IncludeManagementEvents !== undefined) sel.IncludeManagementEvents = b.IncludeManagementEvents
      if (b.ExcludeManagementEventSources) sel.ExcludeManagementEventSources = [...b.ExcludeManagementEventSources]
      if (b.DataResources) {
        sel.DataResources = b.DataResources.map((r) => ({
          ...(r.Type ? { Type: r.Type } : {}),
          ...(r.Values ? { Values: [...r.Values] } : {}),
        }))
      }
      return sel
    })
  }
  if (advanced && advanced.length > 0) {
    out.advancedEventSelectors = advanced.map((a) => {
      const sel: AdvancedEventSelector = {
        FieldSelectors: (a.FieldSelectors ?? []).map((f) => {
          const fs: AdvancedEventSelector['FieldSelectors'][number] = { Field: f.Field ?? '' }
          for (const op of ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const) {
            const v = f[op]
            if (v) fs[op] = [...v]
          }
          return fs
        }),
      }
      if (a.Name) sel.Name = a.Name
      return sel
    })
  }
  return out
}
