/** Hostile names and the checks that prove a rendered report does not act on them. */
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { expect } from 'vitest'

/** GitHub-flavoured Markdown as GitHub parses it (tables, autolink literals, strikethrough), raw HTML allowed. */
export function renderGfm(md: string): string {
  return micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true })
}

/** The text a reader sees: tags dropped, character references decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
}

/**
 * What GitHub links in rendered text after Markdown (mentions, team mentions, issue and PR references,
 * bare URLs and e-mail addresses): none of these patterns may survive in a rendered name.
 */
export const GITHUB_LINKED = [/@[A-Za-z0-9]/, /#\d/, /\bGH-\d/i, /[a-z]:\/\//i, /\bwww\./i, /[\w.+-]@[\w-]+\./]

export const HOSTILE_NAMES = [
  "x'; touch pwned; echo '$(id)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is the point
  '`id` $(id) ${HOME}',
  'line\r\n| injected | row |',
  'cr\ronly',
  '[click](https://evil.example/x)',
  '![](https://evil.example/pixel.png)',
  'https://evil.example/bare and www.evil.example',
  'mail admin@evil.example',
  '@octocat and @org/team',
  'fixes #123 and GH-7 and owner/repo#9',
  '*bold* _em_ __strong__ ~~gone~~',
  '# heading',
  '#### closing #',
  '- list',
  '1. ordered',
  '> quote',
  '<img src=x onerror=alert(1)><script>alert(1)</script>',
  '&lt;entity&gt; &#64;x',
  '\x1b[2J\x1b[31mred\x1b[0m',
  'admin\u202egpj.exe',
  '\u2066isolate\u2069 zero\u200bwidth',
  '$x^2$ and $$y$$',
  '[ref]: https://evil.example',
  'back\\slash \\* \\|',
  '| pipe |',
  'a'.repeat(2000),
]

export function assertInert(html: string, value: string, extra: { tags?: RegExp } = {}) {
  const forbidden = /<(a|img|em|strong|del|h[1-6]|ol|ul|li|blockquote|pre|script|hr|input|iframe|p)\b/gi
  const allowed = extra.tags ?? /^$/
  const tags = [...html.matchAll(forbidden)].map((m) => m[1]!.toLowerCase()).filter((t) => !allowed.test(t))
  expect(tags, `${JSON.stringify(value)} rendered ${html}`).toEqual([])
  const text = textOf(html)
  for (const p of GITHUB_LINKED) expect(text, `${JSON.stringify(value)} keeps ${p}`).not.toMatch(p)
  // (the parser's own line breaks between elements aside)
  expect(text).not.toMatch(/[^\P{Cc}\n]|[\p{Zl}\p{Zp}]|[\u202a-\u202e\u2066-\u2069]/u)
}
