/**
 * CloudTrail capture judged over the region's logging trails together, through the whole pipeline:
 * reads by one trail and writes by another (basic and advanced selectors) record every Cognito
 * management event; a stopped trail contributes nothing.
 */

import { beforeAll, describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/audit.js'
import { audit, regionFindingOf, usePipelineSandbox } from './helpers/pipeline.js'

const policy = `
version: 1
regions: [us-east-1, eu-west-1]
threat-protection:
  mode: AUDIT
alarms:
  enabled: false
activity:
  enabled: false
`

describe('several trails together through the whole pipeline', () => {
  usePipelineSandbox('test/integration/scenarios/cloudtrail-together.yml')
  let result: AuditResult
  beforeAll(async () => {
    result = await audit(policy)
  })

  it('passes a region whose reads go to one trail and writes to another, naming both', () => {
    const f = regionFindingOf(result, 'cloudtrail-capture', 'us-east-1')
    expect(f.status).toBe('pass')
    expect(f.message).toContain(
      'Trails "reads-trail" and "writes-trail" are logging and together record Cognito events',
    )
    expect(f.message).toContain(`"writes-trail" records Cognito's write events`)
    expect(f.message).toContain(`"reads-trail" records Cognito's read-only events`)
  })

  it('fails when the trail with the writes is stopped', () => {
    const f = regionFindingOf(result, 'cloudtrail-capture', 'eu-west-1')
    expect(f.status).toBe('fail')
    expect(f.message).toContain('"eu-writes-stopped" is not logging')
  })
})
