/**
 * Names from the account are data, never code. Hostile names (quotes, $(), backticks, CR/LF, links,
 * images, URLs, mentions, references, emphasis, ANSI, bidi overrides, 2,000 characters) go through the
 * real checks and every renderer: terminal, Markdown summary, PR comment, annotations, JSON, and the
 * remediation commands. Each output is compared with the same audit of a benign name: the hostile one may
 * add no link, image, heading, list item, table row or cell, emphasis, control sequence or shell word.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { countFindings } from '../../../src/audit.js'
import { evaluate } from '../../../src/checks/index.js'
import { type AccountSnapshot, loaded } from '../../../src/model/snapshot.js'
import { annotate } from '../../../src/report/annotations.js'
import { renderSarif } from '../../../src/report/sarif.js'
import { buildJsonReport, toJsonText } from '../../../src/report/json.js'
import { commentBody } from '../../../src/report/pr-comment.js'
import { renderSummary } from '../../../src/report/summary.js'
import { renderTerminal } from '../../../src/report/terminal.js'
import { trackerBody } from '../../../src/report/tracking-issue.js'
import { policy as alarmsPolicy, snap, throttleAlarm } from '../../support/alarms.js'
import { GITHUB_LINKED, HOSTILE_NAMES, renderGfm, textOf } from '../../support/hostile.js'
import { allowAllRisk } from '../../support/pools.js'
import { pool } from '../../support/result.js'

const TODAY = '2026-01-01'

/** Two pools named `name`, one of its app clients named `name`, and an alarm named `name` with actions off. */
function audit(name: string) {
  const off = pool('us-east-1_Off', name, { advancedSecurityMode: 'OFF', clients: loaded([{ id: 'client1', name }]) })
  const weak = pool('us-east-1_Weak', name, {
    advancedSecurityMode: 'ENFORCED',
    riskConfiguration: allowAllRisk(),
    clients: loaded([{ id: 'client2', name }]),
  })
  const snapshot: AccountSnapshot = snap([off, weak], {
    metricAlarms: [throttleAlarm(name, 'us-east-1_Off', 'client1', { actionsEnabled: false })],
  })
  const policy = { ...alarmsPolicy(), source: 'policy.yml' }
  const findings = evaluate(snapshot, policy, TODAY)
  const counts = countFindings(snapshot, findings)
  return { policy, snapshot, findings, counts, compliant: false, calls: {} }
}

/** The tracking issue's body for an audit's violations. */
function issueBody(result: ReturnType<typeof audit>): string {
  const violations = result.findings
    .filter((f) => f.status === 'fail')
    .map((f, i) => ({ ...f, id: `v${i}`, message: f.message }))
  return trackerBody({
    mode: 'always',
    owner: 'o',
    repo: 'r',
    policySource: 'policy.yml',
    accountId: '123456789012',
    collectedAt: '2026-01-01T00:00:00.000Z',
    violations,
    counts: { fail: result.counts.fail, error: result.counts.error, pass: result.counts.pass },
  })
}

const tagHistogram = (html: string) => {
  const counts: Record<string, number> = {}
  for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b/gi))
    counts[m[1]!.toLowerCase()] = (counts[m[1]!.toLowerCase()] ?? 0) + 1
  return counts
}
const linkedCounts = (text: string) =>
  GITHUB_LINKED.map((p) => (text.match(new RegExp(p.source, `${p.flags}g`)) ?? []).length)
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u
/** Hidden characters in rendered Markdown text, but for line breaks and the zero-width spaces the escaper adds. */
const HIDDEN_MD = /[^\P{Cc}\n]|[^\P{Cf}\u200b]|[\p{Zl}\p{Zp}]/u
/** Rendered text outside code blocks (GitHub links nothing inside them). */
const proseOf = (html: string) => textOf(html.replace(/<pre>[\s\S]*?<\/pre>/g, ''))
const ownColour = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g')

/** The shell commands of a remediation: `CLI: …` lines, continued `\` lines, and `aws … --alarm-names X --region R`. */
function commandsOf(remediation: string): string[] {
  const out: string[] = []
  const lines = remediation.split('\n')
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!
    if (line.startsWith('aws ')) {
      while (line.endsWith(' \\') && i + 1 < lines.length) line = `${line}\n${lines[++i]}`
      out.push(line)
    } else if (line.startsWith('CLI: ')) out.push(line.slice(5))
    const enable = /aws cloudwatch enable-alarm-actions .*? --region us-east-1/.exec(line)
    if (enable) out.push(enable[0])
  }
  return out
}

/** Runs commands (one bash) with `aws` replaced by a function that prints its arguments; returns them. */
function argsOf(commands: string[]): { args: string[][]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cmd-'))
  const script = commands.map((c) => `${c}\nprintf '\\1'`).join('\n')
  const out = execFileSync('bash', ['-c', `cd "$1" && aws() { printf '%s\\0' "$@"; }\n${script}`, 'bash', dir], {
    env: { PATH: process.env.PATH, LC_ALL: 'C' },
  })
  const runs = out.toString('utf8').split('\u0001').slice(0, -1)
  return { args: runs.map((r) => r.split('\0').slice(0, -1)), dir }
}

describe('hostile names through every renderer', () => {
  const benign = audit('benign')
  const benignSummary = renderGfm(renderSummary(benign, { failOn: 'violation' }).markdown)
  const benignComment = renderGfm(commentBody(benign, 'violation'))
  const benignIssue = renderGfm(issueBody(benign))
  const benignTerminal = renderTerminal(benign, { color: true })
  const benignCommands = argsOf(benign.findings.flatMap((f) => commandsOf(f.remediation ?? ''))).args

  it('the benign audit has what the hostile one is compared on', () => {
    expect(benign.findings.some((f) => f.status === 'fail' && f.remediation?.includes('enable-alarm-actions'))).toBe(
      true,
    )
    expect(benignCommands.length).toBeGreaterThanOrEqual(4)
    expect(tagHistogram(benignSummary).table).toBeGreaterThan(0)
  })

  it.each(HOSTILE_NAMES)('%j', { timeout: 120_000 }, (name) => {
    const result = audit(name)
    expect(result.findings.map((f) => [f.checkId, f.status])).toEqual(benign.findings.map((f) => [f.checkId, f.status]))

    // Markdown: summary and PR comment, parsed as GitHub-flavoured Markdown
    const level = renderSummary(result, { failOn: 'violation' }).level
    for (const [md, base] of [
      [renderSummary(result, { failOn: 'violation' }).markdown, benignSummary],
      [commentBody(result, 'violation'), benignComment],
      [issueBody(result), benignIssue],
    ] as const) {
      const html = renderGfm(md)
      const [got, want] = [tagHistogram(html), tagHistogram(base)]
      if (level === 'full' && !/shortened|omitted/i.test(md)) expect(got).toEqual(want)
      else {
        // shortened for size (2,000-character names in the commands): it may only lose elements, never gain one
        for (const t of ['a', 'img', 'em', 'strong', 'del', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'tr', 'td'])
          expect(got[t] ?? 0, t).toBeLessThanOrEqual(want[t] ?? 0)
      }
      expect(linkedCounts(proseOf(html))).toEqual(linkedCounts(proseOf(base)))
      expect(textOf(html)).not.toMatch(HIDDEN_MD)
    }

    // Terminal: no escape sequence but our colours, no extra line
    const terminal = renderTerminal(result, { color: true })
    expect(terminal.replace(ownColour, '').replace(/\n/g, '')).not.toMatch(HIDDEN)
    expect(terminal.split('\n')).toHaveLength(benignTerminal.split('\n').length)

    // Annotations (the workflow log)
    const logged: string[] = []
    const rec = (m: string, p: { title: string }) => logged.push(m, p.title)
    annotate(result.findings, { error: rec, warning: rec, notice: rec })
    for (const l of logged) expect(l).not.toMatch(HIDDEN)

    // JSON: the data intact, the text free of invisible characters
    const report = buildJsonReport(result, 'violation', undefined)
    const text = toJsonText(report)
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)))
    expect(text).not.toMatch(/[\p{Cf}\p{Zl}\p{Zp}\u007f-\u009f]/u)
    expect(text.replace(/\n/g, '')).not.toMatch(HIDDEN)
    expect(JSON.stringify(JSON.parse(text))).toContain(JSON.stringify(name).slice(1, -1))

    // Remediation commands: the same words as for a benign name, the name one argument, nothing run
    const commands = result.findings.flatMap((f) => commandsOf(f.remediation ?? ''))
    expect(commands).toHaveLength(benignCommands.length)
    const { args: run, dir } = argsOf(commands)
    expect(readdirSync(dir)).toEqual([])
    expect(run).toHaveLength(benignCommands.length)
    run.forEach((args, i) => {
      // the same words; where the benign command has `benign`, the hostile one has exactly the name
      expect(args).toEqual(benignCommands[i]!.map((a) => a.replaceAll('benign', () => name)))
    })
  })
})

/** A planned pool named `name` (threat protection off, no alarm) written in `format`, with `name` in its address too. */
function plannedAudit(name: string, format: 'cloudformation' | 'cdk' | 'terraform') {
  const location =
    format === 'terraform'
      ? { file: 'infra/main.tf', line: 3, address: `aws_cognito_user_pool.this[${JSON.stringify(name)}]` }
      : format === 'cdk'
        ? { file: 'bin/app.ts', line: 7, logicalId: 'Pool', stack: 'S', constructPath: '/S/Pool/Resource' }
        : { file: 'infra/auth.yml', line: 2, logicalId: 'Pool', stack: 'auth' }
  const p = pool('planned:S/Pool', name, {
    region: 'us-east-1',
    advancedSecurityMode: 'OFF',
    clients: loaded([{ id: 'planned:S/Web', name }]),
    plan: { location, change: 'create' },
  })
  const snapshot: AccountSnapshot = {
    ...snap([p], {}),
    source: { kind: 'planned', format, live: false },
  } as AccountSnapshot
  const policy = { ...alarmsPolicy(), source: 'policy.yml' }
  const findings = evaluate(snapshot, policy, TODAY)
  return { policy, snapshot, findings, counts: countFindings(snapshot, findings), compliant: false, calls: {} }
}

describe('hostile names in a plan: remediation snippets, SARIF and annotations', () => {
  for (const format of ['cloudformation', 'cdk', 'terraform'] as const) {
    const benign = plannedAudit('benign', format)
    const lines = (r: ReturnType<typeof plannedAudit>) =>
      r.findings.map((f) => (f.remediation ?? '').split('\n').length)
    it.each(HOSTILE_NAMES.map((n) => [JSON.stringify(n).slice(0, 40), n]))(`${format}: %s`, (_label, name) => {
      const result = plannedAudit(name, format)
      expect(result.findings.map((f) => f.checkId)).toEqual(benign.findings.map((f) => f.checkId))
      expect(result.findings.some((f) => f.remediation?.includes('user pool'))).toBe(true)
      for (const f of result.findings) {
        const fix = f.remediation ?? ''
        // No line break, control or bidirectional character of the name survives into a snippet.
        expect(fix.replaceAll('\n', '')).not.toMatch(HIDDEN)
        // Terraform: no interpolation or template directive from the name in the code ($${ and %%{ are
        // literal); the header line naming the address is prose.
        const code = fix
          .split('\n')
          .filter((l) => !/^(Terraform|CDK|CloudFormation): /.test(l))
          .join('\n')
        if (format === 'terraform') expect(code.replaceAll('$${', '').replaceAll('%%{', '')).not.toMatch(/[$%]\{/)
      }
      // A line break in the name adds no line to any snippet.
      expect(lines(result)).toEqual(lines(benign))

      const sarif = renderSarif(result as never, { root: '/repo' })
      for (const r of sarif.log.runs[0]!.results!) {
        expect(r.message.text!.replaceAll('\n', '')).not.toMatch(HIDDEN)
        expect(JSON.stringify(r.properties)).not.toMatch(HIDDEN)
      }
      expect(sarif.results).toBe(renderSarif(benign as never, { root: '/repo' }).results)

      const notes: Array<{ message: string; title: string }> = []
      const rec = (message: string, p: { title: string }) => notes.push({ message, title: p.title })
      annotate(result.findings, { error: rec, warning: rec, notice: rec }, 'violation', undefined, {
        snapshot: result.snapshot,
        root: '/repo',
      })
      expect(notes.length).toBeGreaterThan(0)
      for (const n of notes) {
        expect(n.message).not.toMatch(HIDDEN)
        expect(n.title).not.toMatch(HIDDEN)
      }
    })
  }
})
