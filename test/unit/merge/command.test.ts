import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountIdOf, generateReport } from '../../../sandbox/bench/reports.js'
import { mergeCommand } from '../../../src/merge/command.js'

let dir: string
const A = accountIdOf(1)
const B = accountIdOf(2)

async function run(...args: string[]) {
  let out = ''
  let err = ''
  const io = {
    stdout: (t: string) => {
      out += t
    },
    stderr: (t: string) => {
      err += t
    },
    env: {},
    isTTY: false,
  }
  const code = await mergeCommand(args, io)
  return { code, out, err }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'merge-cmd-'))
  const write = (name: string, report: unknown) => writeFile(join(dir, name), JSON.stringify(report))
  await write('a.json', generateReport({ accountId: A, regions: ['us-east-1'], pools: 2, violations: false }))
  await write('b.json', generateReport({ accountId: B, regions: ['us-east-1'], pools: 3 }))
  await write('a2.json', generateReport({ accountId: A, regions: ['us-east-1'], pools: 1, violations: false }))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('cognito-compliance merge', () => {
  it('passes when every expected account is compliant', async () => {
    const r = await run(join(dir, 'a.json'), '--expect', A)
    expect(r.code).toBe(0)
    expect(r.out).toContain('✅ Compliant: 1 account (2 user pools) meets the policy')
  })

  it('fails the gate on a failing account, writes the merged files', async () => {
    const out = join(dir, 'out')
    const r = await run(join(dir, 'a.json'), join(dir, 'b.json'), '--out', out)
    expect(r.code).toBe(1)
    expect(r.err).toContain('Gate failed (fail-on: violation): 2 policy violations.')
    expect(r.out).toMatch(new RegExp(`FAIL \\[threat-protection\\] ${B}: pool-00000 us-east-1_Gen00000`))
    const merged = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'))
    expect(merged).toMatchObject({ kind: 'merged', verdict: { accounts: 2, violations: 2 } })
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('### Accounts')
  })

  it('fails closed on an expected account without a report, even with nothing else wrong', async () => {
    const r = await run(join(dir, 'a.json'), '--expect', `${A},${B}`, '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).accounts[1]).toMatchObject({ accountId: B, status: 'report missing' })
  })

  it('a missing file is one warning line, and the merge fails', async () => {
    const r = await run(join(dir, 'a.json'), join(dir, 'gone.json'))
    expect(r.code).toBe(1)
    expect(r.err).toContain(`warning: report ${join(dir, 'gone.json')}: cannot read it (ENOENT: no such file)\n`)
  })

  it('a duplicate account and region is bad input naming both files', async () => {
    await expect(run(join(dir, 'a.json'), join(dir, 'a2.json'))).rejects.toThrow(
      `account ${A} region us-east-1 is in two reports: ${join(dir, 'a.json')} and ${join(dir, 'a2.json')}`,
    )
    await expect(run()).rejects.toThrow('merge: name at least one report.json')
    await expect(run(join(dir, 'a.json'), '--fail-on', 'sometimes')).rejects.toThrow('--fail-on must be one of')
  })
})

describe('hidden characters', () => {
  it('names and messages from a report reach the terminal escaped', async () => {
    const r = generateReport({
      accountId: accountIdOf(9),
      regions: ['us-east-1'],
      pools: 1,
      namePrefix: 'evil\u001b[2J\u202e',
    })
    await writeFile(join(dir, 'evil.json'), JSON.stringify(r))
    const out = await run(join(dir, 'evil.json'))
    expect(out.out.includes('\u001b') || out.out.includes('\u202e')).toBe(false)
    expect(out.out).toContain('evil\\x1b[2J\\u202epool-00000')
  })
})
