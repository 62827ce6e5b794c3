import { describe, expect, it } from 'vitest'
import { annotate } from '../../../src/report/annotations.js'
import { renderTerminal } from '../../../src/report/terminal.js'
import { finding, pool, resultOf, snapshotOf } from '../../support/result.js'

const HOSTILE = '\x1b[2J\x1b[1;1H\x1b]0;pwned\x07 all compliant\r\nadmin\u202egpj.exe\u2066x\u2069\u200b\u009b31m'

/** Our own colours (SGR `ESC[<n>m`, `ESC[0m`) are the only escape sequences allowed in terminal output. */
const stripOwnColour = (text: string) => text.replaceAll(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '')
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u

describe('terminal and log output show hidden characters escaped', () => {
  const p = pool('us-east-1_Evil', HOSTILE)
  const result = resultOf(snapshotOf([p]), [
    finding({
      status: 'fail',
      poolId: p.id,
      poolName: HOSTILE,
      resource: HOSTILE,
      message: `Pool ${HOSTILE} is off`,
      remediation: `aws x --name ${HOSTILE}\nsecond line`,
    }),
    finding({
      status: 'exempt',
      poolId: p.id,
      poolName: HOSTILE,
      message: 'exempt',
      exemption: { reason: HOSTILE, expires: '2099-01-01' },
    }),
  ])

  it.each([true, false])(
    'renderTerminal (colour %s) writes no control, bidi or separator character of a name',
    (color) => {
      const out = renderTerminal(result, { color, details: true })
      const lines = out.split('\n')
      for (const line of lines) expect(stripOwnColour(line)).not.toMatch(RAW)
      expect(out).toContain('\\x1b[2J\\x1b[1;1H\\x1b]0;pwned\\x07 all compliant\\r\\nadmin\\u202egpj.exe')
      // the remediation keeps its line structure (a builder quotes names, so a raw LF here is one of its own)
      expect(lines.filter((l) => l.startsWith('  | '))).toEqual([
        `  | aws x --name ${'\\x1b[2J\\x1b[1;1H\\x1b]0;pwned\\x07 all compliant\\r'}`,
        '  | admin\\u202egpj.exe\\u2066x\\u2069\\u200b\\x9b31m',
        '  | second line',
      ])
    },
  )

  it('annotations (the workflow log) escape names in messages and titles', () => {
    const seen: string[] = []
    const rec = (m: string, props: { title: string }) => seen.push(m, props.title)
    annotate(result.findings, { error: rec, warning: rec, notice: rec })
    expect(seen.length).toBeGreaterThan(0)
    for (const s of seen) expect(s).not.toMatch(RAW)
    expect(seen.join(' ')).toContain('\\u202e')
  })
})
