/** Shared helpers for the policy loader tests. */
import { expect } from 'vitest'
import { PolicyError } from '../../../src/policy/errors.js'
import type { PolicyInputs } from '../../../src/policy/inputs.js'
import { parsePolicy } from '../../../src/policy/load.js'
import type { PolicySections } from '../../../src/policy/schema.js'

export const FILE = '.github/cognito-compliance.yml'

/** Joins lines with newlines: keeps YAML fixtures readable (no indentation surprises). */
export const yaml = (...lines: string[]) => `${lines.join('\n')}\n`

/** The PolicyError thrown by `fn` (fails the test when it returns or throws something else). */
export function policyError(fn: () => unknown): PolicyError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError)
    return e as PolicyError
  }
  throw new Error('expected a PolicyError, but the policy was accepted')
}

export async function policyErrorAsync(fn: () => Promise<unknown>): Promise<PolicyError> {
  try {
    await fn()
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError)
    return e as PolicyError
  }
  throw new Error('expected a PolicyError, but the policy was accepted')
}

/** The formatted problem lines for a policy text. */
export function problemsOf(text: string, inputs: PolicyInputs = {}, sections?: PolicySections): string[] {
  const err = policyError(() => parsePolicy(text, FILE, inputs, sections))
  return err.message.split('\n')
}
