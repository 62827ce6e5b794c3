/**
 * Findings: the one currency between checks and reporters.
 *
 * A finding is a verdict on one requirement for one pool (or one region, for
 * account-level requirements such as CloudTrail capture or the AWS/Usage
 * ThrottleCount alarm).
 */

/** pass: verified compliant. fail: violates the policy (fails the build).
 *  warn: misses an advisory requirement (reported, never fails the build).
 *  error: could not be verified (AWS error, missing permission); never compliant.
 *  exempt: would fail, but a current exemption in the policy covers it.
 *  not-in-plan: judged on a plan without the live account, and the requirement's resources are not in the
 *  plan (never a pass; the policy's `plan.outside-plan` decides whether it fails the gate). */
export type Status = 'pass' | 'fail' | 'warn' | 'error' | 'exempt' | 'not-in-plan'

export type Severity = 'critical' | 'high' | 'medium' | 'low'

/** A column of the pools × requirements table: a requirement's id (the registry in src/checks/index.ts
 *  lists them). */
export type Requirement = string

export interface Finding {
  /** Stable id of the check that produced it, e.g. `threat-protection-enforcement`. */
  checkId: string
  requirement: Requirement
  /** Short title of the check: what passing means ("Threat protection is on"). */
  title: string
  /** What is wrong when it does not pass ("Threat protection is off"): the heading a reader sees. */
  failTitle?: string
  status: Status
  severity: Severity
  region: string
  /** Absent for region-level findings (they apply to every audited pool of the region). */
  poolId?: string
  poolName?: string
  /** The specific thing the finding is about when narrower than the pool: an alarm, trail, app client. */
  resource?: string
  /** One line a person understands. No personal data. */
  message: string
  /** What to do: a CLI command, CloudFormation/CDK property. Present on fail/warn/error. */
  remediation?: string
  /** Plain data for the JSON report (e.g. which alarm covered, which selector dropped events). */
  evidence?: Record<string, unknown>
  /** A pass that judged nothing (too few sign-ins to judge a rate): shown as "not judged", never as ✅. */
  notJudged?: boolean
  /** The check whose failure on the same pool causes this one (e.g. `threat-protection` for a risk
   *  alarm on a pool without threat protection): reports list it under that finding. */
  followsFrom?: string
  /** Set when status is `exempt`, or when an expired exemption was ignored. */
  exemption?: { reason: string; expires?: string; expired?: boolean }
  /** Findings of a plan: about an object the change creates or modifies (`introduced`), or only about
   *  live objects (`existing`: already in the account, fails the gate only with fail-on-existing). */
  origin?: 'introduced' | 'existing'
}
