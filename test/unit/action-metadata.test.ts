/** action.yml, the README's tables and the code agree on every input and output. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const read = (f: string) => readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8')
const action = parse(read('action.yml')) as {
  inputs: Record<string, { description: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}
const readme = read('README.md')
const main = read('src/main.ts')

describe('action metadata', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it.each(Object.keys(action.inputs))(
    'input %s is described, documented in the README and read by the action',
    (name) => {
      expect(action.inputs[name]!.description.length).toBeGreaterThan(10)
      expect(readme).toContain(`| \`${name}\` |`)
      expect(main).toMatch(new RegExp(`(getInput|bool)\\('${name}'`))
    },
  )

  it.each(Object.keys(action.outputs))('output %s is described, documented and set', (name) => {
    expect(action.outputs[name]!.description.length).toBeGreaterThan(10)
    expect(readme).toContain(`| \`${name}\` |`)
    expect(main).toContain(`setOutput('${name}'`)
  })
})
