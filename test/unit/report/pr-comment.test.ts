import { describe, expect, it } from 'vitest'
import {
  type CommentApi,
  commentBody,
  MAX_COMMENT_BYTES,
  marker,
  upsertComment,
} from '../../../src/report/pr-comment.js'
import { testPolicy } from '../../support/policy.js'
import { finding, pool, resultOf, snapshotOf } from '../../support/result.js'

function fakeApi(existing: Array<{ id: number; body: string }> = []) {
  const calls: string[] = []
  const comments = [...existing]
  const api: CommentApi = {
    list: async () => comments,
    create: async (body) => {
      calls.push('create')
      comments.push({ id: 99, body })
    },
    update: async (id, body) => {
      calls.push(`update ${id}`)
      comments.find((c) => c.id === id)!.body = body
    },
  }
  return { api, calls, comments }
}

const p = pool('us-east-1_a', 'shop')
const failing = resultOf(snapshotOf([p]), [
  finding({ status: 'fail', poolId: p.id, poolName: 'shop', remediation: 'fix it' }),
])
const passing = resultOf(snapshotOf([p]), [finding({ status: 'pass', poolId: p.id, poolName: 'shop' })])

describe('the sticky pull-request comment', () => {
  it('is created once, then updated in place (found by its marker), other comments untouched', async () => {
    const { api, calls, comments } = fakeApi([{ id: 1, body: 'LGTM' }])
    expect(await upsertComment(api, 'always', failing, 'violation', true, 'https://github.example/run/1')).toBe(
      'created',
    )
    expect(await upsertComment(api, 'always', passing, 'violation', false)).toBe('updated')
    expect(calls).toEqual(['create', 'update 99'])
    expect(comments[0]!.body).toBe('LGTM')
    expect(comments[1]!.body.startsWith(marker('test'))).toBe(true)
    expect(comments[1]!.body).toContain('### ✅')
  })

  it('on-failure: no comment for a passing run, but an earlier failure comment is updated to the pass', async () => {
    const none = fakeApi()
    expect(await upsertComment(none.api, 'on-failure', passing, 'violation', false)).toBe('skipped')
    expect(none.calls).toEqual([])
    const earlier = fakeApi([{ id: 5, body: `${marker('test')}\nold failure` }])
    expect(await upsertComment(earlier.api, 'on-failure', passing, 'violation', false)).toBe('updated')
    expect(await upsertComment(earlier.api, 'never', failing, 'violation', true)).toBe('skipped')
  })

  it('one comment per policy file: another policy’s comment is not overwritten', async () => {
    const other = resultOf(snapshotOf([p]), [], { ...testPolicy(), source: '.github/prod.yml' })
    const { api, calls } = fakeApi([{ id: 7, body: `${marker('.github/staging.yml')}\nstaging` }])
    expect(await upsertComment(api, 'always', other, 'violation', false)).toBe('created')
    expect(calls).toEqual(['create'])
  })

  it('fits a comment: shortened like the summary, with a link to the run', () => {
    const many = Array.from({ length: 3000 }, (_, i) => pool(`us-east-1_p${i}`, `pool-${i}`))
    const big = resultOf(
      snapshotOf(many),
      many.map((x) => finding({ status: 'fail', poolId: x.id, remediation: 'x'.repeat(200) })),
    )
    const body = commentBody(big, 'violation', 'https://github.example/run/2')
    expect(Buffer.byteLength(body)).toBeLessThan(65_536)
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES + 200)
    expect(body).toContain('This summary was shortened')
    expect(body).toContain('[this workflow run](https://github.example/run/2)')
  })
})
