/**
 * The GitHub Action: reads inputs, runs the audit, writes the job summary, the JSON
 * report and annotations, sets outputs, and fails the step when the gate says so.
 * Bad input exits 2 with one clear line; nothing here prints a stack trace.
 */
import * as core from '@actions/core'
import * as github from '@actions/github'
import { runAccountsAction } from './accounts/action.js'
import { checkAccountIds, checkParentIds, checkRoleTemplate } from './accounts/matrix.js'
import { type AuditResult, type FailOn, gate, runAudit } from './audit.js'
import { compareReports } from './baseline/compare.js'
import {
  comparableOf,
  DEFAULT_BASELINE_ARTIFACT,
  type GitHubRun,
  isNewAgainstBaseline,
  loadBaseline,
  newViolationCount,
  trackedFindings,
} from './baseline/source.js'
import { errorMessage, excerpt, InputError, isBadInput } from './errors.js'
import { runMergeAction } from './merge/action.js'
import { mergedCommentBody, mergedCommentHeader, mergedTrackingFacts } from './merge/track.js'
import type { Severity } from './model/finding.js'
import type { Logger } from './model/logger.js'
import { visible, visibleLines } from './model/quote.js'
import { formatProblem, PolicyError } from './policy/errors.js'
import { parseListInput } from './policy/inputs.js'
import { DEFAULT_POLICY_PATH } from './policy/load.js'
import { annotate } from './report/annotations.js'
import { deltaHeadline } from './report/delta.js'
import { writeReportFiles, writeSarifFile } from './report/files.js'
import { ownLogin } from './report/github-identity.js'
import { githubClient } from './report/octokit.js'
import {
  type CommentApi,
  PR_COMMENT_MODES,
  type PrCommentMode,
  type UpsertOutcome,
  upsertComment,
  upsertMarkedComment,
} from './report/pr-comment.js'
import { type SourceLinks, sourceLinks } from './report/summary.js'
import { DEFAULT_ISSUE_LABEL, ISSUE_MODES, type IssueMode } from './report/tracking-issue.js'
import { runTrackingStep, type TrackingStep } from './report/tracking-step.js'
import {
  ACTION_DIALECT,
  checkCombinations,
  parseFailOn,
  parseFailOnSeverity,
  prepareRun,
  type RunRequest,
} from './run-options.js'

export interface ActionInputs {
  /** What the run audits and how: the rules the CLI shares (run-options.ts). */
  request: RunRequest
  failOn: FailOn
  failOnSeverity: Severity
  outputDir: string
  /** Where to write the SARIF log (`sarif`); empty: none. */
  sarif: string
  annotations: boolean
  jobSummary: boolean
  prComment: PrCommentMode
  /** What tells this job's comment apart (`comment-header`); empty: the policy file and the account. */
  commentHeader: string
  githubToken: string
  /** A path, or `previous-run`. */
  baseline?: string
  baselineArtifact: string
  issue: IssueMode
  issueLabel: string
}

function bool(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase()
  if (raw === '') return fallback
  if (['true', 'yes', 'on'].includes(raw)) return true
  if (['false', 'no', 'off'].includes(raw)) return false
  throw new InputError(`Input '${name}' must be true or false (got ${excerpt(raw)}).`)
}

/** The pre-deploy gate's inputs; absent when none of `template`, `cdk-out`, `terraform-plan` is set. */
function planInputs(): Pick<RunRequest, 'plan'> {
  const templates = parseListInput(core.getInput('template'))
  const cdkOut = core.getInput('cdk-out').trim()
  const terraformPlan = core.getInput('terraform-plan').trim()
  const live = bool('live', false)
  const failOnExisting = bool('fail-on-existing', false)
  const parameters = parseListInput(core.getInput('parameters'))
  if (templates.length === 0 && !cdkOut && !terraformPlan) {
    const stray = live ? 'live' : failOnExisting ? 'fail-on-existing' : parameters.length ? 'parameters' : undefined
    if (stray)
      throw new InputError(
        `Input '${stray}' applies to the pre-deploy gate: set 'template', 'cdk-out' or 'terraform-plan'.`,
      )
    return {}
  }
  return {
    plan: {
      templates,
      ...(cdkOut ? { cdkOut } : {}),
      ...(terraformPlan ? { terraformPlan } : {}),
      parameters,
      live,
      failOnExisting,
    },
  }
}

export function readInputs(): ActionInputs {
  const policy = core.getInput('policy').trim()
  const snapshot = core.getInput('snapshot').trim()
  const saveSnapshot = core.getInput('save-snapshot').trim()
  const request: RunRequest = {
    ...(policy !== '' && policy !== DEFAULT_POLICY_PATH ? { policyPath: policy } : {}),
    userPoolIds: parseListInput(core.getInput('user-pool-ids')),
    regions: parseListInput(core.getInput('regions')),
    failOn: core.getInput('fail-on'),
    ...(snapshot ? { snapshot } : {}),
    ...(saveSnapshot ? { saveSnapshot } : {}),
    lookback: core.getInput('lookback'),
    timeout: core.getInput('timeout'),
    maxQuotaShare: core.getInput('max-quota-share'),
    ...planInputs(),
  }
  const failOn = parseFailOn(request.failOn, ACTION_DIALECT)
  const prComment = (core.getInput('pr-comment').trim() || 'never') as PrCommentMode
  if (!PR_COMMENT_MODES.includes(prComment)) {
    throw new InputError(
      `Input 'pr-comment' must be one of ${PR_COMMENT_MODES.join(', ')} (got ${excerpt(prComment)}).`,
    )
  }
  checkCombinations(request, ACTION_DIALECT)
  const failOnSeverity = parseFailOnSeverity(core.getInput('fail-on-severity'), ACTION_DIALECT)
  const issue = (core.getInput('issue').trim() || 'never') as IssueMode
  if (!ISSUE_MODES.includes(issue)) {
    throw new InputError(`Input 'issue' must be one of ${ISSUE_MODES.join(', ')} (got ${excerpt(issue)}).`)
  }
  const baseline = core.getInput('baseline').trim()
  return {
    request,
    failOn,
    failOnSeverity,
    outputDir: core.getInput('output-dir').trim() || 'cognito-compliance',
    sarif: core.getInput('sarif').trim(),
    annotations: bool('annotations', true),
    jobSummary: bool('job-summary', true),
    prComment,
    commentHeader: core.getInput('comment-header').trim(),
    githubToken: core.getInput('github-token').trim(),
    ...(baseline ? { baseline } : {}),
    baselineArtifact: core.getInput('baseline-artifact').trim() || DEFAULT_BASELINE_ARTIFACT,
    issue,
    issueLabel: core.getInput('issue-label').trim() || DEFAULT_ISSUE_LABEL,
  }
}

/** This workflow run, for `baseline: previous-run`; undefined outside GitHub Actions. */
function currentRun(inputs: ActionInputs): GitHubRun | undefined {
  if (!process.env.GITHUB_REPOSITORY || !process.env.GITHUB_RUN_ID) return undefined
  const { context } = github
  return {
    token: inputs.githubToken,
    ...context.repo,
    runId: context.runId,
    artifactName: inputs.baselineArtifact,
    apiUrl: context.apiUrl,
  }
}

/** What the tracking issue is about: an audit's facts, or a merged report's. */
type TrackedFacts = Omit<TrackingStep, 'mode' | 'label' | 'token' | 'owner' | 'repo' | 'runUrl' | 'apiUrl'>

/** The tracking issue of this audit (or merge); GitHub-side problems are warnings that never change the verdict. */
async function trackInIssue(inputs: ActionInputs, facts: TrackedFacts): Promise<void> {
  if (inputs.issue === 'never') return
  if (!process.env.GITHUB_REPOSITORY) {
    core.info(`issue: ${inputs.issue}, but this is not a GitHub Actions run; no tracking issue.`)
    return
  }
  const { context } = github
  await runTrackingStep(
    {
      mode: inputs.issue,
      label: inputs.issueLabel,
      token: inputs.githubToken,
      ...context.repo,
      ...facts,
      runUrl: `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`,
      apiUrl: context.apiUrl,
    },
    actionLogger,
  )
}

function auditFacts(result: AuditResult): TrackedFacts {
  return {
    policySource: result.policy.source,
    ...(result.snapshot.accountId ? { accountId: result.snapshot.accountId } : {}),
    collectedAt: result.snapshot.collectedAt,
    findings: trackedFindings(result),
    counts: result.counts,
    timedOut: result.timedOut !== undefined,
    ...(result.baseline ? { comparison: result.baseline.comparison } : {}),
  }
}

/**
 * Where a plan's files can be opened on GitHub, for the `file:line` links of planned pools in the job
 * summary and the pull-request comment: the repository at the pull request's head commit (the files as
 * the author wrote them), else at the commit the run is for. Undefined outside GitHub Actions.
 */
export function planSourceLinks(context: typeof github.context, root: string): SourceLinks | undefined {
  if (!process.env.GITHUB_REPOSITORY) return undefined
  const head = (context.payload.pull_request as { head?: { sha?: unknown } } | undefined)?.head?.sha
  const sha = typeof head === 'string' && head !== '' ? head : context.sha
  return sourceLinks(context.serverUrl, context.repo.owner, context.repo.repo, sha, root)
}

/** The fork a pull request comes from, when it is not this repository: its token is read-only. */
export function forkOf(payload: typeof github.context.payload): string | undefined {
  const head = (payload.pull_request as { head?: { repo?: { full_name?: string } | null } } | undefined)?.head
  const base = payload.repository?.full_name
  const from = head?.repo?.full_name
  return from && base && from !== base ? from : undefined
}

/** The sticky comment on the pull request this run is for; GitHub-side problems are warnings. */
async function commentOnPullRequest(
  inputs: ActionInputs,
  post: (api: CommentApi, runUrl: string) => Promise<UpsertOutcome>,
): Promise<void> {
  if (inputs.prComment === 'never') return
  const { context } = github
  const number = context.payload.pull_request?.number
  if (number === undefined) {
    core.info(
      `pr-comment: ${inputs.prComment}, but this run is not for a pull request (${context.eventName}); no comment.`,
    )
    return
  }
  const fork = forkOf(context.payload)
  if (fork) {
    core.notice(
      `Pull request #${number} comes from the fork ${fork}, whose token cannot write comments: no comment (the job summary has the report).`,
      { title: 'Cognito compliance' },
    )
    return
  }
  if (!inputs.githubToken) {
    core.warning('pr-comment is set but no github-token was given; no pull-request comment written.')
    return
  }
  const octokit = githubClient(inputs.githubToken, (m) => core.info(m))
  const target = { ...context.repo, issue_number: number }
  const api: CommentApi = {
    list: () => octokit.paginate(octokit.rest.issues.listComments, { ...target, per_page: 100 }),
    self: () => ownLogin(octokit),
    create: async (body) => {
      await octokit.rest.issues.createComment({ ...target, body })
    },
    update: async (id, body) => {
      await octokit.rest.issues.updateComment({ ...context.repo, comment_id: id, body })
    },
  }
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`
  try {
    const done = await post(api, runUrl)
    core.info(`Pull request #${number}: comment ${done.action}.`)
    if (done.ignored.length > 0) {
      core.warning(
        `Pull request #${number}: ${done.ignored.length} comment(s) carry this action's marker but were written by someone else (${done.ignored.map((id) => `#${id}`).join(', ')}); left untouched.`,
      )
    }
  } catch (err) {
    const status = (err as { status?: number }).status
    core.warning(
      status === 403 || status === 404
        ? `Could not comment on pull request #${number} (HTTP ${status}): give the workflow 'permissions: pull-requests: write'.`
        : `Could not comment on pull request #${number}: ${errorMessage(err)}`,
    )
  }
}

const actionLogger: Logger = {
  info: (m) => core.info(visible(m)),
  warn: (m) => core.warning(visible(m)),
  debug: (m) => core.debug(visible(m)),
}

/** Besides auditing, the action lists the organisation's accounts (`list-accounts`) or merges many
 *  audits' reports (`merge`). Returns the mode's run, or undefined to audit. */
function otherMode(inputs: ActionInputs): (() => Promise<void>) | undefined {
  const list = bool('list-accounts', false)
  const merge = core.getInput('merge').trim()
  if (list && merge) throw new InputError("Inputs 'list-accounts' and 'merge' cannot be used together.")
  if (list) {
    const opts = {
      role: core.getInput('audit-role').trim(),
      ous: parseListInput(core.getInput('organizational-units')),
      excludeOus: parseListInput(core.getInput('exclude-organizational-units')),
      accounts: parseListInput(core.getInput('accounts')),
      excludeAccounts: parseListInput(core.getInput('exclude-accounts')),
    }
    checkRoleTemplate(opts.role, "Input 'audit-role'")
    checkParentIds(opts.ous, "Input 'organizational-units'")
    checkParentIds(opts.excludeOus, "Input 'exclude-organizational-units'")
    checkAccountIds(opts.accounts, "Input 'accounts'")
    checkAccountIds(opts.excludeAccounts, "Input 'exclude-accounts'")
    return async () => {
      core.setOutput('matrix', await runAccountsAction(opts))
    }
  }
  if (merge) {
    const github = currentRun(inputs)
    return async () => {
      await runMergeAction({
        patterns: merge,
        expectedAccounts: core.getInput('expected-accounts'),
        failOn: inputs.failOn,
        outputDir: inputs.outputDir,
        jobSummary: inputs.jobSummary,
        ...(inputs.baseline ? { baseline: inputs.baseline } : {}),
        ...(github ? { github } : {}),
        // The merged verdict drives the same tracking issue and pull-request comment as an audit's.
        after: async (merged) => {
          await commentOnPullRequest(inputs, (api, runUrl) => {
            const header = inputs.commentHeader.trim() || mergedCommentHeader(merged)
            return upsertMarkedComment(api, {
              mode: inputs.prComment,
              failed: merged.verdict.failed,
              header,
              body: () => mergedCommentBody(merged, header, runUrl),
            })
          })
          await trackInIssue(inputs, mergedTrackingFacts(merged))
        },
      })
    }
  }
  return undefined
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    const mode = otherMode(inputs)
    if (mode) {
      await mode()
      return
    }
    const { policy, source, failOnExisting } = await prepareRun(inputs.request, ACTION_DIALECT)
    core.info(`Policy ${policy.source}: ${policy.regions.length} region(s): ${policy.regions.join(', ')}.`)
    // Read before any AWS call: an unreadable baseline file is bad input.
    const baseline = await loadBaseline(inputs.baseline, {
      log: actionLogger,
      github: currentRun(inputs),
      what: "Input 'baseline'",
    })
    const result = await runAudit({
      policy,
      source,
      ...(inputs.request.saveSnapshot ? { saveSnapshotPath: inputs.request.saveSnapshot } : {}),
      ...(failOnExisting ? { failOnExisting } : {}),
      log: actionLogger,
    })
    if (baseline) {
      result.baseline = { comparison: compareReports(baseline.report, comparableOf(result)), source: baseline.source }
    }
    const reason = gate(result, inputs.failOn, inputs.failOnSeverity)
    // Paths in annotations and SARIF are relative to the checkout, as GitHub resolves them. A JavaScript
    // action runs in the workspace, and the plan's locations are relative to the working directory.
    const workspace = process.cwd()
    const links = result.plan ? planSourceLinks(github.context, workspace) : undefined
    const written = await writeReportFiles(inputs.outputDir, result, inputs.failOn, reason, links)
    if (inputs.jobSummary) {
      if (process.env.GITHUB_STEP_SUMMARY) {
        try {
          await core.summary.addRaw(written.markdown).write()
        } catch (err) {
          core.warning(`Could not write the job summary: ${errorMessage(err)}`)
        }
      } else {
        core.info('GITHUB_STEP_SUMMARY is not set: no job summary written (the Markdown is in the output directory).')
      }
    }
    if (inputs.annotations) {
      annotate(
        result.findings,
        core,
        inputs.failOn,
        isNewAgainstBaseline(result),
        {
          snapshot: result.snapshot,
          root: workspace,
          ...(result.plan ? { plan: result.plan } : {}),
        },
        inputs.failOnSeverity,
      )
    }
    if (inputs.sarif) {
      const sarif = await writeSarifFile(inputs.sarif, result, workspace)
      for (const note of sarif.notes) core.warning(`${sarif.path}: ${note}`)
      core.info(`SARIF: ${sarif.path} (${sarif.results} result${sarif.results === 1 ? '' : 's'}).`)
      core.setOutput('sarif-path', sarif.path)
    }
    await commentOnPullRequest(inputs, (api, runUrl) =>
      upsertComment(api, {
        mode: inputs.prComment,
        result,
        failOn: inputs.failOn,
        failed: reason !== undefined,
        runUrl,
        header: inputs.commentHeader,
        ...(links ? { sourceLinks: links } : {}),
      }),
    )
    await trackInIssue(inputs, auditFacts(result))
    core.setOutput('compliant', String(result.compliant))
    core.setOutput('violations', String(result.counts.fail))
    core.setOutput('errors', String(result.counts.error))
    const comparison = result.baseline?.comparison
    // Without a baseline every violation is new.
    core.setOutput('new-violations', String(comparison ? newViolationCount(comparison) : result.counts.fail))
    core.setOutput('resolved', String(comparison?.counts.resolved ?? 0))
    core.setOutput('report-path', written.reportPath)
    core.setOutput('summary-path', written.summaryPath)
    const h = result.compliant ? 'compliant' : `${result.counts.fail} violation(s), ${result.counts.error} error(s)`
    core.info(`Cognito compliance: ${h}. Report: ${written.reportPath}`)
    if (comparison) core.info(visible(`Since the baseline (${result.baseline?.source}): ${deltaHeadline(comparison)}.`))
    if (reason) core.setFailed(`Cognito compliance: ${reason}. See the job summary for what to fix.`)
  } catch (err) {
    if (err instanceof PolicyError) {
      // One annotation per problem, pinned to the policy file and line, so GitHub shows it on the file.
      for (const p of err.problems) {
        core.error(visibleLines(formatProblem(p)), {
          title: 'Cognito compliance: invalid policy',
          ...(p.source !== 'inputs' ? { file: p.source } : {}),
          ...(p.line !== undefined ? { startLine: p.line } : {}),
          ...(p.column !== undefined ? { startColumn: p.column } : {}),
        })
      }
      process.exitCode = 2
      return
    }
    if (isBadInput(err)) {
      core.error(visibleLines(err.message), { title: 'Cognito compliance: invalid input' })
      process.exitCode = 2
      return
    }
    core.debug(err instanceof Error && err.stack ? err.stack : String(err))
    core.setFailed(`Cognito compliance audit could not run: ${visibleLines(errorMessage(err))}`)
  }
}
