/**
 * The job summary and the pull-request comment of a plan laid over the live account (`--live`): one
 * verdict table, planned pools (stack/logical id or Terraform address, and the file:line, a link to
 * that line on GitHub) beside live ones.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { describe, expect, it } from 'vitest'
import { type AuditResult, runAudit } from '../../../src/audit.js'
import { planSourceLinks } from '../../../src/main.js'
import { type AccountSnapshot, loaded, SNAPSHOT_SCHEMA_VERSION } from '../../../src/model/snapshot.js'
import { plannedSource } from '../../../src/plan/source.js'
import { parsePolicy } from '../../../src/policy/load.js'
import { commentBody } from '../../../src/report/pr-comment.js'
import { renderSummary, sourceLinks } from '../../../src/report/summary.js'
import { loadCloudFormation } from '../../../src/sources/cloudformation/index.js'
import type { SnapshotSource } from '../../../src/sources/source.js'
import { loadTerraformPlan } from '../../../src/sources/terraform/index.js'
import { pool } from '../../support/pools.js'

const silent = { info: () => {}, warn: () => {}, debug: () => {} }

const POLICY = parsePolicy(
  `version: 1
regions: [us-east-1]
threat-protection: { mode: AUDIT, require-blocking: false }
alarms: { enabled: false }
cloudtrail: { enabled: false }
activity: { enabled: false }
`,
  'policy.yml',
)

/** The live account: one pool with threat protection on, one without. */
function liveAccount(): SnapshotSource {
  const snapshot: AccountSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt: '2026-12-08T00:00:00.000Z',
    accountId: '123456789012',
    regions: [
      {
        region: 'us-east-1',
        cognito: {
          pools: loaded([
            pool({ id: 'us-east-1_Live', name: 'live-pool', advancedSecurityMode: 'AUDIT' }),
            pool({ id: 'us-east-1_Bare', name: 'bare-pool', advancedSecurityMode: 'OFF' }),
          ]),
          missing: [],
          errors: [],
        },
      },
    ],
  }
  return { description: 'live', needsAws: true, today: () => '2026-12-08', load: async () => ({ snapshot, calls: {} }) }
}

const TEMPLATE = `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: planned-pool
      UserPoolTier: PLUS
      UserPoolAddOns: { AdvancedSecurityMode: OFF }
`

async function overlayRun(file: string): Promise<{ result: AuditResult; root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'plan-summary-'))
  mkdirSync(join(root, 'infra'))
  const path = join(root, 'infra', file)
  writeFileSync(path, TEMPLATE)
  const planned = await loadCloudFormation({ files: [path], region: 'us-east-1', root })
  const result = await runAudit({ policy: POLICY, source: plannedSource(planned, liveAccount()), log: silent })
  return { result, root }
}

async function plannedOnly(): Promise<AccountSnapshot> {
  const root = mkdtempSync(join(tmpdir(), 'plan-summary-'))
  const path = join(root, 'auth.yml')
  writeFileSync(path, TEMPLATE)
  return loadCloudFormation({ files: [path], region: 'us-east-1', root })
}

/** The verdict table: the lines from its header to its last row. */
function verdictTable(markdown: string): string[] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((l) => l.startsWith('| User pool |'))
  expect(start).toBeGreaterThanOrEqual(0)
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'))
  return lines.slice(start, end)
}

const html = (md: string) =>
  micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] })

describe('plan --live: the summary and the PR comment show planned pools beside live ones', () => {
  it('one table: the planned pool by stack/logical id with its file:line linked, the live pools marked live', async () => {
    const { result, root } = await overlayRun('auth.yml')
    expect(result.plan?.live).toBe(true)
    const links = sourceLinks('https://github.com', 'octo', 'infra', 'abc123', root)!
    const summary = renderSummary(result, { failOn: 'violation', sourceLinks: links }).markdown
    const comment = commentBody(result, 'violation', undefined, undefined, links)
    for (const md of [summary, comment]) {
      const table = verdictTable(md)
      // Header, alignment, and one row per pool: two live, one planned.
      expect(table).toHaveLength(5)
      const planned = table.find((l) => l.includes('auth/Pool'))!
      expect(planned).toContain('planned-pool<br><code>auth/Pool</code><br>')
      expect(planned).toContain(
        '<a href="https://github.com/octo/infra/blob/abc123/infra/auth.yml#L2"><code>infra/auth.yml:2</code></a>',
      )
      expect(planned).toContain('<sub>planned · Plus plan · threat protection OFF</sub>')
      // Its placeholder id is not shown as if it were a pool id.
      expect(planned).not.toContain('planned:auth/Pool')
      expect(planned).toContain('❌')
      const live = table.find((l) => l.includes('us-east-1_Live'))!
      expect(live).toContain(
        'live-pool<br><code>us-east-1_Live</code><br><sub>live · Plus plan · threat protection AUDIT</sub>',
      )
      expect(live).toContain('✅')
      expect(table.find((l) => l.includes('us-east-1_Bare'))).toContain('<sub>live · ')
      // GitHub renders the link inside the table cell.
      expect(html(md)).toContain(
        '<a href="https://github.com/octo/infra/blob/abc123/infra/auth.yml#L2"><code>infra/auth.yml:2</code></a>',
      )
    }
    expect(verdictTable(comment)).toEqual(verdictTable(summary))
  })

  it('the headline gives both numbers: introduced by this change and already in the account', async () => {
    const { result } = await overlayRun('auth.yml')
    const md = renderSummary(result, { failOn: 'violation' }).markdown
    expect(md).toContain(
      '### ❌ Plan (cloudformation, 3 user pools): 1 problem introduced by this change (1 violation, 0 undecided); 1 problem already in the account (not failing the gate without fail-on-existing)',
    )
    const strict = await runAudit({
      policy: POLICY,
      source: plannedSource(await plannedOnly(), liveAccount()),
      log: silent,
      failOnExisting: true,
    })
    expect(renderSummary(strict, { failOn: 'violation' }).markdown).toContain('; 1 problem already in the account\n')
  })

  it('without links (the CLI) the file:line is text; an audit of the live account alone marks nothing', async () => {
    const { result } = await overlayRun('auth.yml')
    const planned = verdictTable(renderSummary(result, { failOn: 'violation' }).markdown).find((l) =>
      l.includes('auth/Pool'),
    )!
    expect(planned).toContain('<br><code>infra/auth.yml:2</code><br>')
    expect(planned).not.toContain('<a ')
    const live = await runAudit({ policy: POLICY, source: liveAccount(), log: silent })
    const rows = verdictTable(renderSummary(live, { failOn: 'violation' }).markdown)
    expect(rows.join('\n')).not.toMatch(/live ·|planned/)
  })

  it('a file name with markdown, quote and URL characters cannot break the link or the table', async () => {
    const { result, root } = await overlayRun('a (b)|"c"#d.yml')
    const links = sourceLinks('https://github.com', 'octo', 'infra', 'abc123', root)!
    const md = renderSummary(result, { failOn: 'violation', sourceLinks: links }).markdown
    const row = verdictTable(md).find((l) => l.includes('Pool</code>'))!
    expect(row).toContain('href="https://github.com/octo/infra/blob/abc123/infra/a%20%28b%29%7C%22c%22%23d.yml#L2"')
    // Still one cell per column: the | in the name is an entity.
    expect(row.split(' | ')).toHaveLength(verdictTable(md)[0]!.split(' | ').length)
  })

  it('a Terraform plan: a created pool by its address, an updated one with its live id, linked to the .tf block', async () => {
    const root = join(import.meta.dirname, '../../fixtures/plan/terraform')
    const planned = await loadTerraformPlan({ file: join(root, 'plan.json'), root })
    const policy = parsePolicy('version: 1\nregions: [eu-west-1]\nactivity: { enabled: false }\n', 'p.yml')
    const result = await runAudit({ policy, source: plannedSource(planned, undefined), log: silent })
    const links = sourceLinks('https://github.example.com/', 'octo', 'infra', 'abc123', root)!
    const table = verdictTable(renderSummary(result, { failOn: 'violation', sourceLinks: links }).markdown)
    const main = table.find((l) => l.includes('<code>aws_cognito_user_pool.main</code>'))
    expect(main).toContain(
      '<a href="https://github.example.com/octo/infra/blob/abc123/main.tf#L10"><code>main.tf:10</code></a>',
    )
    expect(main).toContain('<sub>planned: created · ')
    const legacy = table.find((l) => l.includes('<code>aws_cognito_user_pool.legacy</code>'))
    expect(legacy).toContain(' · <code>eu-west-1_Legacy</code>')
    expect(legacy).toContain('<sub>planned: updated · ')
  })
})

describe('plan: the method section says what was read, and that activity does not apply', () => {
  const withActivity = parsePolicy(
    `version: 1
regions: [us-east-1]
threat-protection: { mode: AUDIT, require-blocking: false }
alarms: { enabled: false }
cloudtrail: { enabled: false }
activity: { enabled: true, thresholds: { max-sign-in-failure-rate: 0.2 } }
`,
    'policy.yml',
  )
  const method = (md: string) => md.slice(md.indexOf('What was checked and how'))

  it('activity thresholds are not judged on a plan, and the summary says so instead of claiming metrics were read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'plan-summary-'))
    const path = join(root, 'auth.yml')
    writeFileSync(path, TEMPLATE)
    const planned = await loadCloudFormation({ files: [path], region: 'us-east-1', root })
    for (const live of [undefined, liveAccount()]) {
      const result = await runAudit({ policy: withActivity, source: plannedSource(planned, live), log: silent })
      expect(result.findings.filter((f) => f.requirement === 'activity')).toEqual([])
      const md = method(renderSummary(result, { failOn: 'violation' }).markdown)
      expect(md).toContain('- Activity: does not apply to a plan: activity thresholds need the account')
      expect(md).not.toContain('metrics over the last')
      expect(md).not.toContain('saved snapshot')
      expect(md).toContain(
        live
          ? `- Plan: cloudformation <code>${path}</code>, laid over the live account collected <code>2026-12-08T00:00:00.000Z</code>.`
          : `- Plan: cloudformation <code>${path}</code> (the live account was not read: no AWS calls).`,
      )
    }
  })

  it('an audit of the live account keeps its activity and snapshot lines', async () => {
    const result = await runAudit({ policy: withActivity, source: liveAccount(), log: silent })
    const md = method(renderSummary(result, { failOn: 'violation' }).markdown)
    expect(md).toContain('- Activity: CloudWatch <code>AWS/Cognito</code> metrics over the last 24 h')
    expect(md).toContain('- Snapshot collected <code>2026-12-08T00:00:00.000Z</code>')
  })
})

describe('sourceLinks', () => {
  it('needs every part and an http(s) server; encodes owner, repository and commit', () => {
    expect(sourceLinks('https://github.com', 'o', 'r', 'sha', '/w')?.blobUrl).toBe('https://github.com/o/r/blob/sha')
    expect(sourceLinks('https://github.com', 'o', 'r', '', '/w')).toBeUndefined()
    expect(sourceLinks('javascript:alert(1)', 'o', 'r', 'sha', '/w')).toBeUndefined()
    expect(sourceLinks('not a url', 'o', 'r', 'sha', '/w')).toBeUndefined()
    expect(sourceLinks('https://ghe.example/x/', 'o"', 'r>', 's h', '/w')?.blobUrl).toBe(
      'https://ghe.example/x/o%22/r%3E/blob/s%20h',
    )
  })

  it("in the action: the pull request's head commit, else the run's commit; none outside Actions", () => {
    const saved = process.env.GITHUB_REPOSITORY
    try {
      process.env.GITHUB_REPOSITORY = 'octo/infra'
      const context = {
        serverUrl: 'https://github.com',
        repo: { owner: 'octo', repo: 'infra' },
        sha: 'merge-sha',
        payload: { pull_request: { number: 1, head: { sha: 'head-sha' } } },
      } as unknown as Parameters<typeof planSourceLinks>[0]
      expect(planSourceLinks(context, '/w')?.blobUrl).toBe('https://github.com/octo/infra/blob/head-sha')
      const push = { ...context, payload: {} } as typeof context
      expect(planSourceLinks(push, '/w')?.blobUrl).toBe('https://github.com/octo/infra/blob/merge-sha')
      delete process.env.GITHUB_REPOSITORY
      expect(planSourceLinks(context, '/w')).toBeUndefined()
    } finally {
      if (saved === undefined) delete process.env.GITHUB_REPOSITORY
      else process.env.GITHUB_REPOSITORY = saved
    }
  })
})
