/**
 * The dummy AWS environment of unit tests that build real SDK clients: fake credentials, no instance
 * metadata, and an endpoint on a closed loopback port, so nothing can reach AWS. Restored afterwards.
 */
import { afterAll, beforeAll } from 'vitest'

export const DUMMY_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
} as const

/** Sets the dummy environment for the file's tests (call at the top level of a test file). */
export function useDummyAwsEnv(extra: Record<string, string> = {}): void {
  const saved: Record<string, string | undefined> = {}
  const vars = { ...DUMMY_AWS_ENV, ...extra }
  beforeAll(() => {
    for (const [k, v] of Object.entries(vars)) {
      saved[k] = process.env[k]
      process.env[k] = v
    }
  })
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
}
