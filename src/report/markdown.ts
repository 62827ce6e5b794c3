/**
 * Markdown/HTML helpers for reports. `core.summary` does not escape anything: we do. Every name and message
 * from the account that reaches Markdown (summary, PR comment, tracking issue) goes through `esc`, `name`
 * or `code` here, and nothing else escapes Markdown.
 */
import { visible, visibleLines } from '../model/quote.js'

/** Names (pool, alarm, trail, resource ids) longer than this are shortened with an ellipsis. */
export const MAX_NAME = 256
/** Sentences (messages, reasons) longer than this are shortened with an ellipsis. */
export const MAX_TEXT = 1000

/** At most `max` characters (code points), the last one an ellipsis when something was cut. */
export function shorten(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}

/** What breaks a pattern GitHub links after rendering (mentions, #123, GH-123, URLs): a zero-width space. */
const ZWSP = '&#8203;'

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '`': '&#96;',
  '\\': '&#92;',
  '[': '&#91;',
  ']': '&#93;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  $: '&#36;',
}

/**
 * Markdown-active characters, and the places GitHub links plain text: `#` and `@` always (headings,
 * `#123`, `@user`, `a@b.example`), `GH-` before a digit, the `:` of `://` and the `.` after `www`
 * (bare URLs). `_` only at a word edge: inside a word (`eu-west-1_abc`) it cannot emphasise.
 */
const ACTIVE = /[&<>"|`\\[\]*~$]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])|[#@]|(?<=\bgh-)(?=\d)|:(?=\/\/)|(?<=\bwww)\./giu

function neutralise(text: string): string {
  return text
    .replace(ACTIVE, (m) => {
      if (m === '') return ZWSP
      if (m === '.') return `${ZWSP}.`
      if (m === '#' || m === '@' || m === ':') return `${m}${ZWSP}`
      return ENTITY[m] ?? m
    })
    .replace(/^([-+=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}${ZWSP}` : `&#${m.charCodeAt(0)};`))
}

/**
 * Text for a Markdown table cell, paragraph, list item or heading (GitHub-flavoured Markdown with HTML):
 * hidden characters shown as escapes (`\n`, `\u202e`, so neither CR nor LF can break a table), shortened
 * to `max` characters, then every character Markdown or GitHub would act on neutralised: no link, image,
 * emphasis, heading, list, HTML, table break, math, mention, issue reference or bare URL can form.
 */
export function esc(text: string, max = MAX_TEXT): string {
  return neutralise(shorten(visible(text), max))
}

/** A name from the account, for running text: `esc` with the name length limit. */
export function name(text: string): string {
  return esc(text, MAX_NAME)
}

/** Inline code for an identifier (HTML `<code>`, inside which Markdown still applies: so escaped). */
export function code(text: string): string {
  return `<code>${esc(text, MAX_NAME)}</code>`
}

/** An account in Markdown: its 12-digit id as code, any other label (the report file of a merged report
 *  that names no account) as text. */
export function accountName(label: string): string {
  return /^\d{12}$/.test(label) ? code(label) : esc(label)
}

export function table(header: string[], rows: string[][], align?: Array<'left' | 'center' | 'right'>): string {
  const sep = header.map((_, i) => {
    const a = align?.[i] ?? 'left'
    return a === 'center' ? ':---:' : a === 'right' ? '---:' : '---'
  })
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

/**
 * A fenced block whose fence is longer than any backtick run inside it; hidden characters are shown as
 * escapes there too (a code block renders them as they are).
 */
export function fenced(text: string, lang = ''): string {
  const body = visibleLines(text)
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${lang}\n${body.replace(/\n+$/, '')}\n${fence}`
}

export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
