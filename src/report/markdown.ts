/** Markdown/HTML helpers for reports. `core.summary` does not escape anything: we do. */

/** Escapes text for a Markdown table cell or paragraph rendered as GitHub-flavoured Markdown with HTML. */
export function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll('|', '&#124;')
    .replaceAll('`', '&#96;')
    .replaceAll('\n', ' ')
}

/** Inline code span for an identifier: backticks inside cannot break out. */
export function code(text: string): string {
  return `<code>${esc(text)}</code>`
}

export function table(header: string[], rows: string[][], align?: Array<'left' | 'center' | 'right'>): string {
  const sep = header.map((_, i) => {
    const a = align?.[i] ?? 'left'
    return a === 'center' ? ':---:' : a === 'right' ? '---:' : '---'
  })
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function fenced(body: string, lang = ''): string {
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
