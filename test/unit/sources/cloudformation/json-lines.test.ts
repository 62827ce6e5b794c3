import { describe, expect, it } from 'vitest'
import { parseTemplate } from '../../../../src/sources/cloudformation/template.js'

describe('JSON template lines', () => {
  const text = JSON.stringify(
    {
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: 'Pool', Value: 'x' }], Pool: { a: 1 } } },
        Pool: { Type: 'AWS::Cognito::UserPool', Properties: { 'Odd "key"': true, UserPoolTier: 'PLUS' } },
      },
    },
    null,
    2,
  )
  const t = parseTemplate('t.json', text)
  const lineOfText = (needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length

  it('finds a resource at its own key, not at a same-named key inside an earlier resource', () => {
    const own = text.indexOf('"Pool": {\n      "Type"')
    expect(t.lineOf(['Resources', 'Pool'])!.line).toBe(lineOfText('"Pool"', own))
    expect(t.lineOf(['Resources', 'Topic', 'Properties', 'Pool'])!.line).toBe(lineOfText('"Pool": {'))
  })

  it('finds keys under arrays and keys with escapes; an unknown key gives its nearest parent', () => {
    expect(t.lineOf(['Resources', 'Topic', 'Properties', 'Tags', 0, 'Value'])!.line).toBe(lineOfText('"Value"'))
    expect(t.lineOf(['Resources', 'Pool', 'Properties', 'Odd "key"'])!.line).toBe(lineOfText('"Odd'))
    expect(t.lineOf(['Resources', 'Pool', 'Properties', 'Missing'])!.line).toBe(
      lineOfText('"Properties"', text.indexOf('AWS::Cognito::UserPool')),
    )
  })

  it('locates every resource of a 2,000-resource template', () => {
    const resources = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [
        `R${i}`,
        { Type: 'AWS::SNS::Topic', Properties: { Pad: 'x'.repeat(1000) } },
      ]),
    )
    const big = parseTemplate('big.json', JSON.stringify({ Resources: resources }, null, 1))
    for (let i = 0; i < 2000; i += 111) expect(big.lineOf(['Resources', `R${i}`])!.line).toBe(3 + i * 6)
    expect(big.lineOf(['Resources', 'R1999'])!.line).toBe(2 + 1999 * 6 + 1)
  })
})
