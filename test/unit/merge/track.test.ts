/** A merged report's pull-request comment: the sticky-comment code of an audit, with the merged summary. */
import { describe, expect, it } from 'vitest'
import { accountIdOf, generateReport } from '../../../sandbox/bench/reports.js'
import { mergeReports } from '../../../src/merge/merge.js'
import { mergedCommentBody, mergedCommentHeader, mergedTrackingFacts } from '../../../src/merge/track.js'
import {
  type CommentApi,
  MAX_COMMENT_BYTES,
  type PrComment,
  upsertMarkedComment,
} from '../../../src/report/pr-comment.js'

function fakeApi(comments: PrComment[]): CommentApi {
  return {
    list: async () => comments,
    self: async () => 'github-actions[bot]',
    create: async (body) => {
      comments.push({ id: comments.length + 1, body, user: { login: 'github-actions[bot]' } })
    },
    update: async (id, body) => {
      const c = comments.find((x) => x.id === id)!
      c.body = body
    },
  }
}

describe('the merged pull-request comment', () => {
  const merged = mergeReports(
    Array.from({ length: 200 }, (_, i) => ({
      path: `r/${i}.json`,
      report: generateReport({ accountId: accountIdOf(i), regions: ['us-east-1'], pools: 20, violations: i % 3 === 0 }),
    })),
    { failOn: 'violation' },
  )

  it('is created once and updated in place, under the comment limit for 200 accounts', async () => {
    const comments: PrComment[] = [{ id: 1, body: '<!-- cognito-compliance-action: policy.yml 100000000001 -->\n…' }]
    const header = mergedCommentHeader(merged)
    expect(header).toBe('merged policy.yml')
    const o = {
      mode: 'on-failure' as const,
      failed: merged.verdict.failed,
      header,
      body: () => mergedCommentBody(merged, header, 'https://x/run'),
    }
    expect(await upsertMarkedComment(fakeApi(comments), o)).toMatchObject({ action: 'created' })
    expect(await upsertMarkedComment(fakeApi(comments), o)).toMatchObject({ action: 'updated' })
    // An account's own comment (another header) is left alone.
    expect(comments).toHaveLength(2)
    const body = comments[1]!.body!
    expect(body.startsWith('<!-- cognito-compliance-action: merged policy.yml -->\n## Cognito compliance audit')).toBe(
      true,
    )
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES + 200)
    expect(body).toContain('This summary was shortened')
  })

  it('the tracking facts name each violation’s account and count the merge’s errors', () => {
    const facts = mergedTrackingFacts(merged)
    expect(facts.merged).toEqual({ accounts: 200 })
    expect(facts.counts).toEqual({ fail: merged.verdict.violations, error: 0, pass: merged.verdict.passed })
    expect(facts.findings.filter((f) => f.status === 'fail').every((f) => /^\d{12}$/.test(f.account ?? ''))).toBe(true)
  })
})
