/** Bad pre-deploy input: the promise rejects with a PlanInputError of exactly one line, returned. */
import { expect } from 'vitest'
import { PlanInputError } from '../../src/sources/planned/errors.js'

export async function planInputFailure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(PlanInputError)
  const msg = (err as Error).message
  expect(msg.split('\n')).toHaveLength(1)
  return msg
}
