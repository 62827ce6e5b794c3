/**
 * The end of reading a planned trail, the same for every format: a trail whose selectors are partly
 * unknown records what cannot be decided before deploy (never a pass), and a trail with no selectors at
 * all records every read and write management event (CloudTrail's documented default, recorded as
 * defaulted).
 */
import type { TrailRecord, TrailSelectors } from '../../model/cloudtrail.js'
import type { FieldReader } from './fields.js'

/** `absent` names the left-out properties in the format's own words. */
export function settleSelectors(
  rec: TrailRecord,
  selectors: TrailSelectors,
  f: FieldReader,
  absent: string,
): TrailRecord {
  if (f.plan.unknown?.selectors) {
    rec.hasCustomEventSelectors = true
  } else if (!selectors.eventSelectors && !selectors.advancedEventSelectors) {
    selectors.eventSelectors = [{ ReadWriteType: 'All', IncludeManagementEvents: true }]
    rec.hasCustomEventSelectors = false
    f.defaulted('selectors', `${absent}: all read and write management events`)
    rec.selectors = selectors
  } else {
    rec.hasCustomEventSelectors = true
    rec.selectors = selectors
  }
  return rec
}
