import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import {
  cfnLogicalId,
  hclQuote,
  shellCommand,
  shellQuote,
  tfName,
  tsQuote,
  visible,
  visibleLines,
  yamlQuote,
} from '../../../src/model/quote.js'

/** Values an attacker who can name a resource could choose. */
const HOSTILE = [
  "x'; touch pwned; echo '",
  '$(id)',
  '`id`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is the point
  '${HOME}',
  'a\nb',
  'a\r\nrm -rf ~',
  'tab\there',
  "it's",
  '"double"',
  'back\\slash',
  '!!',
  'hist!ory',
  '\u202eevil\u202c',
  '\u2066isolate\u2069',
  '\x1b[2J\x1b[31mred\x1b[0m',
  '\x07bell\x7f\u009b',
  'zero\u200bwidth',
  'line\u2028sep',
  '\u{e0041}tag',
  'café 日本',
  '*_[x](https://evil.example)_*',
  '--alarm-names',
  '=cmd',
  '~root',
  '#comment',
  'a b  c',
  '',
  'x'.repeat(2000),
  '%{if true}x%{endif}',
  '</script>',
]

function bashPrints(script: string): string {
  return execFileSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, LC_ALL: 'C' } })
}

describe('shellQuote', () => {
  it.each(HOSTILE)('bash reads back exactly the value, one argument, nothing run: %j', (value) => {
    const dir = mkdtempSync(join(tmpdir(), 'q-'))
    // printf prints each argument followed by a NUL: one NUL means one argument
    const script = `cd ${shellQuote(dir)} && printf '%s\\0' ${shellQuote(value)}`
    const out = execFileSync('bash', ['-c', script], { env: { PATH: process.env.PATH, LC_ALL: 'C' } })
    expect(out.toString('utf8')).toBe(`${value}\0`)
    // nothing the value might have run left a trace
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' })).toBe('')
  })

  it('interactive bash (history expansion on) reads the same', () => {
    for (const value of ['!!', 'a!b', "x'!'y", '\u202e!x']) {
      const r = spawnSync('bash', ['-i', '-o', 'histexpand', '-c', `printf %s ${shellQuote(value)}`], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, LC_ALL: 'C', HOME: tmpdir() },
      })
      expect(r.stdout).toBe(value)
    }
  })

  it('POSIX sh (dash) reads back values without hidden characters', () => {
    for (const value of HOSTILE.filter((v) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(v))) {
      const out = execFileSync('sh', ['-c', `printf %s ${shellQuote(value)}`], { encoding: 'utf8' })
      expect(out).toBe(value)
    }
  })

  it('leaves plain words bare and shows hidden characters as escapes in the command text', () => {
    expect(shellQuote('us-east-1')).toBe('us-east-1')
    expect(shellQuote('Name=UserPool,Value=eu-west-1_abc')).toBe('Name=UserPool,Value=eu-west-1_abc')
    expect(shellQuote('=cmd')).toBe("'=cmd'")
    expect(shellQuote("x'; touch pwned")).toBe(`'x'\\''; touch pwned'`)
    expect(shellQuote('a\nb')).toBe("$'a\\nb'")
    expect(shellQuote('\u202eevil')).toBe("$'\\xe2\\x80\\xaeevil'")
    expect(shellQuote('\x1b[2J')).toBe("$'\\x1b[2J'")
    expect(shellQuote('')).toBe("''")
    // printable text is never written as escapes: what is shown is what runs
    for (const v of HOSTILE) expect(shellQuote(v)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u)
  })

  it('builds a command whose every word is one argument', () => {
    const cmd = shellCommand(['printf', '%s|', 'a b', '$(id)', "it's"])
    expect(bashPrints(cmd)).toBe("a b|$(id)|it's|")
  })
})

describe('yamlQuote', () => {
  it.each(HOSTILE)('YAML reads back exactly the string, as the one value of its key: %j', (value) => {
    const doc = parseYaml(`Name: ${yamlQuote(value)}\nNext: 1\n`)
    expect(doc).toEqual({ Name: value, Next: 1 })
  })

  it('quotes words YAML would read as booleans, nulls, numbers or tags', () => {
    for (const v of ['yes', 'No', 'on', 'OFF', 'null', '~', 'true', '1e3', '0x1f', '.inf', '!Ref X', '- a', 'a: b'])
      expect(parseYaml(`k: ${yamlQuote(v)}`)).toEqual({ k: v })
    expect(yamlQuote('CognitoAlarm')).toBe('CognitoAlarm')
    expect(yamlQuote('eu-west-1_abc')).toBe('eu-west-1_abc')
    expect(yamlQuote('\u202eevil')).toBe('"\\u202eevil"')
  })
})

describe('hclQuote', () => {
  it.each(HOSTILE.slice(0, 6))('escapes what HCL would interpolate or end: %j', (value) => {
    const q = hclQuote(value)
    expect(q.startsWith('"') && q.endsWith('"')).toBe(true)
    expect(q.slice(1, -1)).not.toMatch(/(?<![$%\\])[$%]\{|(?<!\\)"/)
  })

  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0
  it.skipIf(!terraform)('terraform reads back exactly the value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hcl-'))
    const values = HOSTILE
    writeFileSync(
      join(dir, 'main.tf'),
      `locals {\n  values = [\n${values.map((v) => `    ${hclQuote(v)},`).join('\n')}\n  ]\n}\n`,
    )
    writeFileSync(join(dir, 'cli.tfrc'), '')
    const out = execFileSync('terraform', ['console'], {
      cwd: dir,
      input: 'base64encode(jsonencode(local.values))\n',
      encoding: 'utf8',
      env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: join(dir, 'cli.tfrc') },
    })
    // the console prints an HCL string; base64 keeps it free of anything HCL would escape
    const b64 = out.trim().replace(/^"|"$/g, '')
    expect(JSON.parse(Buffer.from(b64, 'base64').toString('utf8'))).toEqual(values)
  })
})

describe('tsQuote', () => {
  it.each(HOSTILE)('TypeScript reads one string literal with exactly the value: %j', (value) => {
    const q = tsQuote(value)
    const file = ts.createSourceFile('x.ts', `const x = ${q}`, ts.ScriptTarget.ES2022)
    const decl = (file.statements[0] as ts.VariableStatement).declarationList.declarations[0]!
    expect(file.statements).toHaveLength(1)
    expect(ts.isStringLiteral(decl.initializer!)).toBe(true)
    expect((decl.initializer as ts.StringLiteral).text).toBe(value)
    expect(q).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u)
  })
})

describe('identifiers', () => {
  it('CloudFormation logical ids are alphanumeric, never empty', () => {
    for (const v of HOSTILE) expect(cfnLogicalId([v, 'alarm'])).toMatch(/^[A-Za-z0-9]{1,255}$/)
    expect(cfnLogicalId(['$(id)'])).toBe('Id')
    expect(cfnLogicalId(['!!'])).toBe('Resource')
    expect(cfnLogicalId(['cognito', 'eu-west-1_abc', 'risk'])).toBe('CognitoEuWest1AbcRisk')
  })

  it('Terraform names start with a letter or _ and hold only letters, digits, _ and -', () => {
    for (const v of HOSTILE) expect(tfName([v])).toMatch(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/)
    expect(tfName(['1pool'])).toBe('_1pool')
    expect(tfName(['cognito', 'eu-west-1_abc'])).toBe('cognito_eu-west-1_abc')
    expect(tfName(['$(id)'])).toBe('id')
    expect(tfName(['!!'])).toBe('this')
  })
})

describe('visible', () => {
  it('shows ANSI, bidi, controls and separators as escapes, and keeps the rest', () => {
    expect(visible('\x1b[2J\x1b[31mred')).toBe('\\x1b[2J\\x1b[31mred')
    expect(visible('\u202eevil\u202c')).toBe('\\u202eevil\\u202c')
    expect(visible('a\nb\rc\td')).toBe('a\\nb\\rc\\td')
    expect(visible('\u009b\u200b\u2028\u{e0041}')).toBe('\\x9b\\u200b\\u2028\\u{e0041}')
    expect(visible('café 日本 back\\slash')).toBe('café 日本 back\\slash')
    for (const v of HOSTILE) expect(visible(v)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u)
  })

  it('visibleLines keeps intended line breaks', () => {
    expect(visibleLines('one \x1b[1m\ntwo')).toBe('one \\x1b[1m\ntwo')
  })
})
