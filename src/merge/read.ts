/**
 * Reading one account's `report.json` for a merge, field by field: every field the merge relies on is
 * checked, and the first one that is missing or of the wrong type is named with its file, so a truncated
 * artifact or a file of another tool is one clear line instead of a wrong total.
 */
import { FAIL_ON_VALUES } from '../audit.js'
import { REQUIREMENTS } from '../checks/index.js'
import { INPUT_LIMITS, InputFileError, readInputFile } from '../input-file.js'
import { type JsonReport, REPORT_VERSION } from '../report/json.js'

export class ReportFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`report ${path}: ${problem}`)
    this.name = 'ReportFileError'
  }
}

export async function readReport(path: string): Promise<JsonReport> {
  let text: string
  try {
    text = await readInputFile(path, INPUT_LIMITS.report)
  } catch (err) {
    if (err instanceof InputFileError) throw new ReportFileError(path, err.reason)
    throw err
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new ReportFileError(path, `not valid JSON (${(err as Error).message})`)
  }
  const problem = reportProblem(data)
  if (problem) throw new ReportFileError(path, problem)
  return data as JsonReport
}

const STATUSES = ['pass', 'fail', 'warn', 'error', 'exempt'] as const
const CELLS = [...STATUSES, 'none'] as const

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'count'
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function kindProblem(v: unknown, kind: Kind): string | undefined {
  const ok =
    kind === 'array'
      ? Array.isArray(v)
      : kind === 'object'
        ? isObject(v)
        : kind === 'count'
          ? Number.isInteger(v) && (v as number) >= 0
          : typeof v === kind
  if (ok) return undefined
  const what = { array: 'a list', object: 'an object', count: 'a whole number ≥ 0' } as Record<Kind, string>
  return `is missing or not ${what[kind] ?? `a ${kind}`}`
}

/** `at.key` checked against `kind`; optional keys may be absent. */
function need(obj: Record<string, unknown>, at: string, key: string, kind: Kind, optional = false): string | undefined {
  if (optional && obj[key] === undefined) return undefined
  const p = kindProblem(obj[key], kind)
  return p ? `${at ? `${at}.` : ''}${key} ${p}` : undefined
}

function oneOf(obj: Record<string, unknown>, at: string, key: string, values: readonly unknown[]): string | undefined {
  return values.includes(obj[key])
    ? undefined
    : `${at}.${key} must be one of ${values.join(', ')} (got ${JSON.stringify(obj[key]) ?? 'nothing'})`
}

function first(...checks: Array<() => string | undefined>): string | undefined {
  for (const c of checks) {
    const p = c()
    if (p) return p
  }
  return undefined
}

/** The first problem of a parsed report.json as `key: what is wrong`, or undefined when it can be merged. */
export function reportProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'expected a JSON object (the report.json an audit writes)'
  if (data.reportVersion !== REPORT_VERSION) {
    return `reportVersion ${JSON.stringify(data.reportVersion) ?? 'is missing'}${data.reportVersion === undefined ? '' : ' is not supported'} (expected ${REPORT_VERSION})`
  }
  if (data.kind === 'merged') return 'is itself a merged report (merge the accounts’ own reports)'
  const top = first(
    () => need(data, '', 'tool', 'object'),
    () => need(data.tool as Record<string, unknown>, 'tool', 'name', 'string'),
    () => need(data.tool as Record<string, unknown>, 'tool', 'version', 'string'),
    () => need(data, '', 'collectedAt', 'string'),
    () =>
      data.accountId === undefined || (typeof data.accountId === 'string' && /^\d{12}$/.test(data.accountId))
        ? undefined
        : `accountId must be a 12-digit account id (got ${JSON.stringify(data.accountId)})`,
    () => need(data, '', 'policy', 'object'),
    () => need(data, '', 'verdict', 'object'),
    () => need(data, '', 'pools', 'array'),
    () => need(data, '', 'findings', 'array'),
    () => need(data, '', 'apiCalls', 'object'),
    () => need(data, '', 'activity', 'array', true),
  )
  if (top) return top
  const policy = data.policy as Record<string, unknown>
  const verdict = data.verdict as Record<string, unknown>
  const head = first(
    () => need(policy, 'policy', 'source', 'string'),
    () => need(policy, 'policy', 'regions', 'array'),
    () =>
      (policy.regions as unknown[]).every((r) => typeof r === 'string')
        ? undefined
        : 'policy.regions must hold strings',
    () => oneOf(policy, 'policy', 'failOn', FAIL_ON_VALUES),
    () => need(policy, 'policy', 'digest', 'string', true),
    () => need(verdict, 'verdict', 'compliant', 'boolean'),
    () => need(verdict, 'verdict', 'failed', 'boolean'),
    () => need(verdict, 'verdict', 'timeLimitReached', 'boolean', true),
    ...(['violations', 'errors', 'warnings', 'exempt', 'passed', 'pools', 'poolsFailing'] as const).map(
      (k) => () => need(verdict, 'verdict', k, 'count'),
    ),
    () =>
      verdict.compliant === (verdict.violations === 0 && verdict.errors === 0)
        ? undefined
        : `verdict.compliant is ${verdict.compliant} but the report counts ${verdict.violations} violations and ${verdict.errors} errors`,
    () =>
      Object.entries(data.apiCalls as Record<string, unknown>)
        .map(([k, v]) => (Number.isInteger(v) ? undefined : `apiCalls.${k} is not a whole number`))
        .find(Boolean),
  )
  if (head) return head
  for (const [i, p] of (data.pools as unknown[]).entries()) {
    const at = `pools[${i}]`
    if (!isObject(p)) return `${at} is not an object`
    const bad = first(
      () => need(p, at, 'id', 'string'),
      () => need(p, at, 'region', 'string'),
      () => need(p, at, 'name', 'string', true),
      () => need(p, at, 'tier', 'string', true),
      () => need(p, at, 'threatProtectionMode', 'string', true),
      () => (p.found === null || typeof p.found === 'boolean' ? undefined : `${at}.found must be true, false or null`),
      () => need(p, at, 'requirements', 'object'),
      () =>
        Object.keys(p.requirements as object)
          .map((k) => oneOf(p.requirements as Record<string, unknown>, `${at}.requirements`, k, CELLS))
          .find(Boolean),
    )
    if (bad) return bad
  }
  for (const [i, f] of (data.findings as unknown[]).entries()) {
    const at = `findings[${i}]`
    if (!isObject(f)) return `${at} is not an object`
    const bad = first(
      () => need(f, at, 'checkId', 'string'),
      () => oneOf(f, at, 'requirement', REQUIREMENTS),
      () => need(f, at, 'title', 'string'),
      () => oneOf(f, at, 'status', STATUSES),
      () => oneOf(f, at, 'severity', ['critical', 'high', 'medium', 'low']),
      () => need(f, at, 'region', 'string'),
      () => need(f, at, 'message', 'string'),
      () => need(f, at, 'poolId', 'string', true),
      () => need(f, at, 'poolName', 'string', true),
      () => need(f, at, 'resource', 'string', true),
      () => need(f, at, 'remediation', 'string', true),
      () => need(f, at, 'exemption', 'object', true),
    )
    if (bad) return bad
  }
  for (const [i, r] of ((data.activity as unknown[] | undefined) ?? []).entries()) {
    const at = `activity[${i}]`
    if (!isObject(r)) return `${at} is not an object`
    const bad = first(
      () => need(r, at, 'region', 'string'),
      () => need(r, at, 'window', 'object'),
      () => need(r.window as Record<string, unknown>, `${at}.window`, 'start', 'string'),
      () => need(r.window as Record<string, unknown>, `${at}.window`, 'end', 'string'),
      () => need(r.window as Record<string, unknown>, `${at}.window`, 'hours', 'number'),
      () => need(r, at, 'pools', 'array'),
    )
    if (bad) return bad
    for (const [j, p] of (r.pools as unknown[]).entries()) {
      const pat = `${at}.pools[${j}]`
      if (!isObject(p)) return `${pat} is not an object`
      const badPool = first(
        () => need(p, pat, 'id', 'string'),
        () => need(p, pat, 'name', 'string'),
        () => need(p, pat, 'read', 'boolean'),
        () => need(p, pat, 'signIn', 'object', true),
        ...(['requests', 'failures'] as const).map(
          (k) => () =>
            p.signIn === undefined
              ? undefined
              : need(p.signIn as Record<string, unknown>, `${pat}.signIn`, k, 'number'),
        ),
        () => need(p, pat, 'throttles', 'number', true),
        () => (p.risk === undefined || p.risk === 'off' || isObject(p.risk) ? undefined : `${pat}.risk is not valid`),
      )
      if (badPool) return badPool
    }
  }
  return undefined
}
