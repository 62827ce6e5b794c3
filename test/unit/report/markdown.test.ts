import { describe, expect, it } from 'vitest'
import { visible } from '../../../src/model/quote.js'
import { code, esc, MAX_NAME, name, shorten, table } from '../../../src/report/markdown.js'
import { assertInert, HOSTILE_NAMES, renderGfm, textOf } from '../../support/hostile.js'

/** What the reader sees of a name: its visible form, without the zero-width spaces the escaper adds. */
const seen = (html: string) => textOf(html).replaceAll('\u200b', '').trim()

describe('Markdown escaping of names', () => {
  it.each(HOSTILE_NAMES)('in a table cell: one cell, nothing active, the name readable (%j)', (value) => {
    const html = renderGfm(
      table(
        ['Pool', 'Status'],
        [
          [name(value), 'ok'],
          ['next', 'ok'],
        ],
      ),
    )
    assertInert(html, value)
    expect(html.match(/<tr>/g)).toHaveLength(3)
    expect(html.match(/<td>/g)).toHaveLength(4)
    const first = html.match(/<td>([\s\S]*?)<\/td>/)![1]!
    expect(seen(first)).toBe(shorten(visible(value).replaceAll('\u200b', ''), MAX_NAME).trim())
  })

  it.each(HOSTILE_NAMES)('in a list item, heading, paragraph and code: nothing active (%j)', (value) => {
    assertInert(renderGfm(`- ${name(value)}: failed`), value, { tags: /^(ul|li)$/ })
    const heading = renderGfm(`#### ${name(value)}`)
    assertInert(heading, value, { tags: /^h4$/ })
    expect(heading.match(/<h4>/g)).toHaveLength(1)
    assertInert(renderGfm(`${name(value)} failed`), value, { tags: /^p$/ })
    assertInert(renderGfm(`| ${code(value)} |\n|---|\n| ${code(value)} |`), value)
    assertInert(renderGfm(`<sub>${esc(value)}</sub>`), value, { tags: /^p$/ })
  })

  it('shortens long names with an ellipsis, and longer text at its own limit', () => {
    expect([...name('a'.repeat(2000))]).toHaveLength(MAX_NAME)
    expect(name('a'.repeat(2000)).endsWith('…')).toBe(true)
    expect(name('a'.repeat(MAX_NAME))).toBe('a'.repeat(MAX_NAME))
    expect([...esc('b'.repeat(5000))]).toHaveLength(1000)
  })

  it('keeps ordinary names as they are written', () => {
    expect(name('prod-users')).toBe('prod-users')
    expect(name('eu-west-1_AbC12')).toBe('eu-west-1_AbC12')
    expect(name('Web pool (EU)')).toBe('Web pool (EU)')
  })

  it('shows hidden characters visibly instead of passing them on', () => {
    expect(seen(renderGfm(name('a\u202eb')))).toBe('a\\u202eb')
    expect(seen(renderGfm(name('a\r\nb')))).toBe('a\\r\\nb')
  })
})
