import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { MIN_NODE_MAJOR, nodeSupportNotice, sayNodeSupport } from '../../src/node-support.js'

describe('the supported Node.js range, said once', () => {
  it.each([
    ['v20.19.5', true],
    ['v18.0.0', true],
    ['v21.7.3', true],
    ['v22.0.0', false],
    ['v24.11.1', false],
    ['v30.1.0', false],
  ])('%s: a notice %s', (version, expected) => {
    const notice = nodeSupportNotice(version)
    expect(notice !== undefined).toBe(expected)
    if (notice) {
      expect(notice).toContain(version)
      expect(notice).toContain(`Node.js ${MIN_NODE_MAJOR} or 24`)
      expect(notice).not.toContain('\n')
    }
  })

  it('matches engines in package.json', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      engines: { node: string }
    }
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_MAJOR}`)
  })

  it('on an old Node.js: one line, and the SDK told to keep its 7-line notice to itself', () => {
    const env: Record<string, string | undefined> = {}
    const lines: string[] = []
    expect(sayNodeSupport('v20.1.0', env, (t) => lines.push(t))).toBe(true)
    expect(lines).toHaveLength(1)
    expect(lines[0]!.endsWith('\n')).toBe(true)
    expect(lines[0]!.trimEnd()).not.toContain('\n')
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true')
  })

  it('nothing on a supported Node.js, the SDK variable untouched', () => {
    const env: Record<string, string | undefined> = {}
    const lines: string[] = []
    expect(sayNodeSupport('v24.0.0', env, (t) => lines.push(t))).toBe(false)
    expect(lines).toEqual([])
    expect(env).toEqual({})
  })

  it('nothing when the user already silenced the SDK notice', () => {
    const env: Record<string, string | undefined> = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
    const lines: string[] = []
    expect(sayNodeSupport('v20.1.0', env, (t) => lines.push(t))).toBe(false)
    expect(lines).toEqual([])
  })

  it('the SDK itself prints no notice once the variable is set (the documented switch works)', () => {
    const script = `
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = process.argv[1]
      const { emitWarningIfUnsupportedVersion } = require('@aws-sdk/core/client')
      emitWarningIfUnsupportedVersion('v20.0.0')
      setTimeout(() => {}, 50)`
    const run = (value: string) =>
      spawnSync(process.execPath, ['-e', script, value], { encoding: 'utf8', env: { PATH: process.env.PATH } })
    expect(run('false').stderr).toContain('NodeVersionSupportWarning')
    expect(run('true').stderr).not.toContain('NodeVersionSupportWarning')
  })
})
