/**
 * SARIF 2.1.0 for GitHub code scanning (`sarif` input, `--sarif FILE`): a pure function of the audit
 * result, typed with `@types/sarif` (types only; no builder library: the maintained one needs Node 22).
 *
 * - One rule per check of the registry: its title, its severity as `defaultConfiguration.level` and
 *   `properties.security-severity` (the number code scanning ranks security alerts by), and help text
 *   saying how to fix it.
 * - One result per finding that needs attention (fail, warn, error; passes and exemptions are left out),
 *   worst first. Its message carries the finding's own remediation (the template property, CDK prop or
 *   Terraform argument for planned findings, the AWS CLI command for live ones).
 * - Locations: a planned finding points at its object's file and line (`findingTarget`). Code scanning
 *   shows no result without a file location, so a finding about live objects only (or a Terraform
 *   address whose `.tf` file was not found) points at the policy file, line 1: the file in the repository
 *   that asks for the requirement. Without a policy file in the repository (policy from inputs) such
 *   findings are left out, and a notification in the run says how many.
 * - `partialFingerprints`: from the finding identity (check, region, resource, subject, property, and the
 *   account when known), never from the line or the message, so code scanning tracks an alert across runs,
 *   moves and rewordings. `primaryLocationLineHash` is set too: the upload action would otherwise hash the
 *   line's text, which changes when the line does.
 * - Limits (code scanning's documented ones): at most 25,000 results per run and 10 MB per file, gzipped
 *   (the form the upload sends). Past either, the worst results are kept and a notification says how many
 *   were left out.
 */
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type * as Sarif from 'sarif'
import type { AuditResult } from '../audit.js'
import { CHECKS, descriptorOf } from '../checks/index.js'
import type { Finding, Severity, Status } from '../model/finding.js'
import { type FindingTarget, findingTarget } from '../model/finding-location.js'
import { visibleLines } from '../model/quote.js'
import type { Check } from '../model/requirement.js'
import { TOOL_NAME, VERSION } from '../version.js'
import { repoRelative } from './repo-path.js'

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
/** Code scanning: results per run. */
export const MAX_RESULTS = 25_000
/** Code scanning: 10 MB per file, gzip-compressed (as the upload sends it); 10^6 bytes to the MB, to be safe. */
export const MAX_GZIP_BYTES = 10_000_000
/** A message longer than this is cut (a remediation is a few kB at most; this bounds hostile names). */
const MAX_MESSAGE_CHARS = 20_000
/** Code scanning: `fullDescription` at most 1,024 characters. */
const MAX_DESCRIPTION_CHARS = 1_024

/** The `security-severity` code scanning ranks by: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
}

const SEVERITY_LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
}

/** How to fix each check, in general; the result's message carries the finding's own commands. */
const HELP: Record<string, string> = {
  'threat-protection':
    'Put the pool on the Plus feature plan and set its threat protection to the mode the policy requires: ' +
    'CloudFormation UserPoolTier: PLUS and UserPoolAddOns.AdvancedSecurityMode; CDK featurePlan: FeaturePlan.PLUS and ' +
    'standardThreatProtectionMode (customThreatProtectionMode for custom authentication); Terraform user_pool_tier = "PLUS" ' +
    'and user_pool_add_ons { advanced_security_mode }; on a live pool aws cognito-idp update-user-pool.',
  'threat-protection-enforcement':
    'ENFORCED mode blocks only what the risk configuration tells it to: configure compromised-credentials BLOCK ' +
    '(EventFilter including SIGN_IN) and high-risk account-takeover BLOCK or MFA_REQUIRED, at pool level ' +
    '(AWS::Cognito::UserPoolRiskConfigurationAttachment with ClientId: ALL, aws_cognito_risk_configuration without ' +
    'client_id) and for every app client with a configuration of its own; never skip risk evaluation for every address.',
  'alarms-risk':
    'Create a CloudWatch alarm on the AWS/Cognito risk metric for the pool (UserPoolId, Operation, RiskLevel ' +
    'dimensions) with statistic Sum, a threshold the policy accepts, actions enabled and an alarm action.',
  'alarms-throttles':
    'Create a CloudWatch alarm on the pool’s throttle metric for each app client (UserPool, UserPoolClient ' +
    'dimensions) with statistic Sum, a threshold the policy accepts, actions enabled and an alarm action.',
  'alarms-usage':
    'Create a CloudWatch alarm on AWS/Usage ThrottleCount for Cognito (Service, Type, Resource, Class dimensions ' +
    'as ListMetrics shows them) with actions enabled and an alarm action.',
  'cloudtrail-capture':
    'Keep an active multi-region (or organization) trail whose event selectors record management events of ' +
    'cognito-idp.amazonaws.com: IsLogging / enable_logging true, and no selector that excludes Cognito.',
  'pool-exists': 'Fix the pool id or name in the policy, or create the pool it names.',
  'policy-selectors': 'Fix the pool selector in the policy so that it names an audited pool.',
}

function helpOf(check: Check<unknown>): string {
  return HELP[check.id] ?? `${check.title}. See the README for what this requirement checks and how to meet it.`
}

function levelOf(f: Finding): Sarif.Result.level {
  const byStatus: Partial<Record<Status, Sarif.Result.level>> = { warn: 'note', error: 'warning' }
  return byStatus[f.status] ?? SEVERITY_LEVEL[f.severity]
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/** A repository-relative path as a URI reference (`/` separators, each segment percent-encoded). */
export function repoUri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/')
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

export interface SarifOptions {
  /** The repository root (GITHUB_WORKSPACE, or the working directory); URIs are relative to it. */
  root: string
}

export interface SarifOutput {
  log: Sarif.Log
  /** Results in the log. */
  results: number
  /** Findings left out because code scanning needs a file and there was none (no policy file). */
  unlocated: number
  /** Results left out to stay within code scanning's limits. */
  truncated: number
}

function physical(uri: string, line: number, column?: number): Sarif.Location {
  const region: Sarif.Region = { startLine: line }
  if (column !== undefined) region.startColumn = column
  return { physicalLocation: { artifactLocation: { uri: repoUri(uri) }, region } }
}

function locationOf(target: FindingTarget, root: string, policyFile: string | undefined): Sarif.Location | undefined {
  const loc = target.located?.location
  if (loc?.line !== undefined) {
    const file = repoRelative(root, loc.file)
    if (file !== undefined) return physical(file, loc.line, loc.column)
  }
  if (policyFile === undefined) return undefined
  const at = physical(policyFile, 1)
  if (loc) at.message = { text: visibleLines(loc.address ?? loc.logicalId ?? loc.file) }
  return at
}

function messageOf(f: Finding, target: FindingTarget): string {
  const where = target.located?.location
  const subject = [f.poolName ?? f.poolId, f.resource].filter(Boolean).join(' · ')
  const head = subject ? `${subject}: ${f.message}` : `${f.region}: ${f.message}`
  const planned = where?.address ?? where?.logicalId
  const lines = [planned && !head.includes(planned) ? `${head} (${planned})` : head]
  if (f.remediation) lines.push('', 'How to fix:', f.remediation)
  return cut(visibleLines(lines.join('\n')), MAX_MESSAGE_CHARS)
}

function ruleOf(check: Check<unknown>): Sarif.ReportingDescriptor {
  const label = (() => {
    try {
      return descriptorOf(check.requirement).label ?? check.requirement
    } catch {
      return check.requirement
    }
  })()
  return {
    id: check.id,
    name: check.id
      .split('-')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: check.title },
    fullDescription: { text: cut(`${check.title} (requirement: ${label}).`, MAX_DESCRIPTION_CHARS) },
    help: { text: helpOf(check) },
    defaultConfiguration: { level: SEVERITY_LEVEL[check.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[check.severity],
      tags: ['security', 'aws', 'cognito', check.requirement],
      precision: 'very-high',
    },
  }
}

/** The SARIF log of an audit (live, planned, or planned over live). */
export function renderSarif(result: AuditResult, opts: SarifOptions): SarifOutput {
  const rules = CHECKS.map(ruleOf)
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  const policyFile = result.policy.source === 'inputs' ? undefined : repoRelative(opts.root, result.policy.source)
  const account = result.snapshot.accountId

  const results: Sarif.Result[] = []
  let unlocated = 0
  const seen = new Map<string, number>()
  for (const f of result.findings) {
    if (f.status === 'pass' || f.status === 'exempt') continue
    const target = findingTarget(f, result.snapshot)
    const location = locationOf(target, opts.root, policyFile)
    if (!location) {
      unlocated++
      continue
    }
    // Two findings with one identity (none today) keep distinct fingerprints, in the order given.
    const base = account ? `${target.identity}@${account}` : target.identity
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    const key = n === 1 ? base : `${base}#${n}`
    const hash = digest(key)
    const r: Sarif.Result = {
      ruleId: f.checkId,
      level: levelOf(f),
      message: { text: messageOf(f, target) },
      locations: [location],
      partialFingerprints: { 'cognitoComplianceIdentity/v1': hash, primaryLocationLineHash: `${hash.slice(0, 16)}:1` },
      properties: {
        status: f.status,
        severity: f.severity,
        region: f.region,
        identity: visibleLines(key),
        ...(target.located ? { planned: target.located.change, format: target.located.format } : {}),
        ...(target.located?.setting ? { setting: visibleLines(target.located.setting) } : {}),
      },
    }
    const index = ruleIndex.get(f.checkId)
    if (index !== undefined) r.ruleIndex = index
    results.push(r)
  }

  const notifications: Sarif.Notification[] = []
  if (unlocated > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${unlocated} finding${unlocated === 1 ? '' : 's'} about live resources left out: code scanning needs a file, and the policy came from inputs, not a file in the repository.`,
      },
    })
  }

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: VERSION,
        semanticVersion: VERSION,
        rules,
      },
    },
    results,
    columnKind: 'unicodeCodePoints',
  }
  const log: Sarif.Log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }

  // Limits: keep the worst results (findings come sorted worst first) within the count and the size.
  let truncated = 0
  if (results.length > MAX_RESULTS) {
    truncated = results.length - MAX_RESULTS
    results.length = MAX_RESULTS
  }
  // The gzipped size is measured only when the plain text exceeds the limit, at the fastest level (which
  // never compresses better than the upload does). Each result compressed on its own is never smaller
  // than its share of the whole file compressed, so the prefix whose separately compressed results fit
  // is kept; the whole is then measured once to be sure.
  const gzipped = (value: unknown) => gzipSync(JSON.stringify(value), { level: 1 }).length
  const limit = MAX_GZIP_BYTES - 4_096
  if (Buffer.byteLength(JSON.stringify(log)) > limit) {
    let used = gzipped({ ...log, runs: [{ ...run, results: [] }] })
    let keep = 0
    while (keep < results.length) {
      used += gzipped(results[keep])
      if (used > limit) break
      keep++
    }
    truncated += results.length - keep
    results.length = keep
    while (results.length > 0 && gzipped(log) > limit) {
      const drop = Math.max(1, Math.ceil(results.length / 20))
      results.length -= drop
      truncated += drop
    }
  }
  if (truncated > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${truncated} result${truncated === 1 ? '' : 's'} left out to stay within code scanning's limits (25,000 results per run, 10 MB per compressed file); the JSON report lists every finding.`,
      },
    })
  }
  if (notifications.length > 0) {
    run.invocations = [{ executionSuccessful: true, toolExecutionNotifications: notifications }]
  }
  return { log, results: results.length, unlocated, truncated }
}
