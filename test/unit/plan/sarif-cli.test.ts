/**
 * `--sarif FILE` through the CLI, for `plan` and `audit`: the file written is valid against the SARIF
 * 2.1.0 JSON schema, planned results point at their file and line relative to the working directory
 * (the repository root), and a bad path is one line, exit 2.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as Sarif from 'sarif'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'
import { sarifSchemaErrors } from '../../support/sarif-schema.js'

const tmp = mkdtempSync(join(tmpdir(), 'sarif-cli-'))
const read = (path: string): Sarif.Log => JSON.parse(readFileSync(path, 'utf8'))
const uris = (log: Sarif.Log) =>
  (log.runs[0]!.results ?? []).map((r) => {
    const p = r.locations![0]!.physicalLocation!
    return `${p.artifactLocation!.uri}:${p.region!.startLine}`
  })

describe('--sarif', () => {
  it('plan --terraform-plan writes a schema-valid SARIF log whose results point at the .tf blocks', async () => {
    const out = join(tmp, 'nested', 'dir', 'tf.sarif')
    const r = await runCli(['plan', '--terraform-plan', 'test/fixtures/plan/terraform/plan.json', '--sarif', out])
    expect(r.code).toBe(1)
    const log = read(out)
    expect(sarifSchemaErrors(log)).toEqual([])
    const at = uris(log)
    expect(at.length).toBeGreaterThan(0)
    expect(at.some((u) => /^test\/fixtures\/plan\/terraform\/(modules\/[^:]+\/)?[^/:]+\.tf:\d+$/.test(u))).toBe(true)
    expect(r.err).toMatch(
      new RegExp(`Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(SARIF, ${at.length} results?\\)\\.`),
    )
  }, 60_000)

  it('plan --template: the template resource line', async () => {
    const out = join(tmp, 'cfn.sarif')
    const r = await runCli([
      'plan',
      '--template',
      'test/fixtures/plan/cloudformation/short-forms.yml',
      '--region',
      'eu-west-1',
      '--sarif',
      out,
    ])
    expect(r.code).toBe(1)
    const log = read(out)
    expect(sarifSchemaErrors(log)).toEqual([])
    expect(uris(log).every((u) => u.startsWith('test/fixtures/plan/cloudformation/short-forms.yml:'))).toBe(true)
  }, 60_000)

  it('audit --snapshot: live findings point at the policy file, line 1', async () => {
    const out = join(tmp, 'audit.sarif')
    const r = await runCli([
      'audit',
      '--policy',
      'examples/policies/demo.yml',
      '--snapshot',
      'examples/snapshots/demo-account.json',
      '--sarif',
      out,
    ])
    expect(r.code).toBe(1)
    const log = read(out)
    expect(sarifSchemaErrors(log)).toEqual([])
    const at = uris(log)
    expect(at.length).toBeGreaterThanOrEqual(6)
    expect(new Set(at)).toEqual(new Set(['examples/policies/demo.yml:1']))
  }, 60_000)

  it('an empty name or a path that cannot be written is one line, exit 2', async () => {
    const empty = await runCli(['plan', '--terraform-plan', 'test/fixtures/plan/terraform/plan.json', '--sarif', ''])
    expect(empty).toMatchObject({ code: 2, err: 'cognito-compliance: --sarif needs a file name\n' })
    const dir = await runCli(['plan', '--terraform-plan', 'test/fixtures/plan/terraform/plan.json', '--sarif', tmp])
    expect(dir.code).toBe(2)
    expect(dir.err.trim().split('\n')).toHaveLength(1)
    expect(dir.err).toMatch(/^cognito-compliance: sarif file .*: cannot write it \(EISDIR: it is a directory\)\n$/)
  }, 60_000)
})
