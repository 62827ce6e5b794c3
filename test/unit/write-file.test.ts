import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomic } from '../../src/write-file.js'

describe('writeFileAtomic', () => {
  it('two writers and a reader: the reader only ever sees one whole file, never a mix or a half', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    const path = join(dir, 'report.json')
    // large enough that a plain writeFile is seen half written by a concurrent reader
    const body = (run: string) => `${JSON.stringify({ run, pad: run.repeat(400_000) })}\n`
    writeFileSync(path, body('0'))
    let reading = true
    const seen = new Set<string>()
    const reader = (async () => {
      while (reading) {
        const text = readFileSync(path, 'utf8')
        seen.add((JSON.parse(text) as { run: string }).run)
        await new Promise((r) => setImmediate(r))
      }
    })()
    const writer = async (run: string) => {
      for (let i = 0; i < 15; i++) await writeFileAtomic(path, body(run))
    }
    await Promise.all([writer('A'), writer('B')])
    reading = false
    await reader
    expect([...seen].every((r) => ['0', 'A', 'B'].includes(r))).toBe(true)
    expect(readdirSync(dir)).toEqual(['report.json'])
  })

  it('leaves no temporary file behind when the rename fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'))
    mkdirSync(join(dir, 'report.json', 'inside'), { recursive: true })
    await expect(writeFileAtomic(join(dir, 'report.json'), 'x')).rejects.toThrow()
    expect(readdirSync(dir)).toEqual(['report.json'])
  })
})
