/** action.yml, the README's tables and the code agree on every input and output. */
import { readdirSync, readFileSync } from 'node:fs'
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

describe('example workflows', () => {
  type Step = { uses?: string; run?: string; with?: Record<string, unknown> }
  type Workflow = { permissions?: Record<string, string>; jobs: Record<string, { steps: Step[] }> }
  const examples = readdirSync(new URL('../../examples/workflows/', import.meta.url)).filter((f) => f.endsWith('.yml'))
  const workflow = (f: string) => parse(read(`examples/workflows/${f}`)) as Workflow
  const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps)
  const isAction = (s: Step) => /cognito-compliance-action@/.test(s.uses ?? '')

  it.each(examples)('%s runs the action with inputs action.yml declares', (f) => {
    const used = steps(workflow(f)).filter(isAction)
    expect(used.length).toBeGreaterThan(0)
    for (const s of used) for (const k of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs)).toContain(k)
  })

  it.each([
    ['cdk-gate.yml', ['npx cdk synth'], 'cdk-out'],
    [
      'terraform-gate.yml',
      ['terraform plan', '-out=plan.out', 'terraform show -json plan.out > plan.json'],
      'terraform-plan',
    ],
  ])('%s: builds the input, runs the gate on it and uploads its SARIF to code scanning', (f, commands, input) => {
    const w = workflow(f)
    const all = steps(w)
    const gate = all.findIndex(isAction)
    const before = all
      .slice(0, gate)
      .map((s) => s.run ?? '')
      .join('\n')
    for (const c of commands) expect(before).toContain(c)
    const sarif = all[gate]!.with?.sarif
    expect(all[gate]!.with?.[input]).toBeTruthy()
    expect(sarif).toBeTruthy()
    const upload = all.slice(gate + 1).find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))
    expect(upload?.with?.sarif_file).toBe(sarif)
    expect(w.permissions?.['security-events']).toBe('write')
  })
})
