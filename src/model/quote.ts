/**
 * Names and messages from the audited account are data, never code. Every value that is printed into
 * something a person may run or paste (a shell command, a CloudFormation/CDK/Terraform snippet) or that is
 * shown on a terminal goes through one helper per target language here. Each helper returns text that,
 * read back by that language, yields exactly the input value and nothing else.
 */

/**
 * Characters that are invisible, move the cursor, or reorder text: C0/C1 controls (ESC starts ANSI
 * sequences), format characters (bidirectional overrides and isolates, zero-width characters, the tag
 * characters), line and paragraph separators, and lone surrogates.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu')

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

/** True when `text` holds a character that a terminal or a reader would not show as itself. */
export function hasHidden(text: string): boolean {
  return HIDDEN.test(text)
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** One hidden character as a visible escape: `\n`, `\x1b`, `\u202e`, `\u{e0041}`. */
function visibleChar(ch: string): string {
  const named = NAMED[ch]
  if (named) return named
  const cp = ch.codePointAt(0) ?? 0
  if (cp < 0x100) return `\\x${hex(cp, 2)}`
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`
  return `\\u{${cp.toString(16)}}`
}

/**
 * Text for a terminal or a log line: every control, format and separator character is shown as a
 * visible escape (`\x1b[2J`, `\u202e`, `\n`), so a name can neither repaint the screen, start a fake
 * line, nor disguise itself. Everything else, backslashes included, is kept as it is.
 */
export function visible(text: string): string {
  return text.replace(HIDDEN_ALL, visibleChar)
}

/** `visible` for text made of several lines on purpose: each line is escaped, the line breaks stay. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n')
}

// ---------------------------------------------------------------------------------------------------
// POSIX shell

/** Words that need no quotes in sh, bash and zsh (`=` not first: zsh expands `=cmd`). */
const SHELL_SAFE = /^[A-Za-z0-9_./:@,+-][A-Za-z0-9_./:@,+=-]*$/

/** Bytes that are spelled out inside `$'…'`: everything outside printable ASCII, and the quoting characters. */
function ansiCQuote(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte)
    if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\\') out += '\\\\'
    // ' and ! as hex: nothing (not even interactive history expansion) can read them as syntax
    else if (byte < 0x20 || byte >= 0x7f || ch === "'" || ch === '!') out += `\\x${hex(byte, 2)}`
    else out += ch
  }
  return `$'${out}'`
}

/**
 * Quotes one word for sh, bash and zsh: bare when only safe characters, in single quotes otherwise
 * (`'it'\''s'`), and as `$'…'` with every byte outside printable ASCII spelled `\xHH` when the value holds
 * a control, bidirectional or other hidden character (so the pasted command shows what it does, and
 * does not depend on the locale). `$'…'` is in bash, zsh, ksh and POSIX.1-2024 sh. A NUL cannot be
 * passed in an argument by any shell; nothing an AWS name allows contains one.
 */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) return value
  // Printable non-ASCII (é, 日本) stays readable in single quotes; only hidden characters need `$'…'`.
  if (HIDDEN.test(value)) return ansiCQuote(value)
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/** A command line from words; every word is quoted. */
export function shellCommand(words: string[]): string {
  return words.map(shellQuote).join(' ')
}

// ---------------------------------------------------------------------------------------------------
// YAML (CloudFormation templates)

/** Plain scalars YAML 1.1 or 1.2 would read as something other than the string itself. */
const YAML_RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i

function yamlEscapeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0
  switch (ch) {
    case '"':
      return '\\"'
    case '\\':
      return '\\\\'
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
  }
  if (cp < 0x100) return `\\x${hex(cp, 2)}`
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`
  return `\\U${hex(cp, 8)}`
}

/**
 * A YAML scalar that reads back as exactly `value`, a string: plain when it is a simple word that no
 * YAML version takes for a boolean, null or number; double-quoted otherwise, with `"`, `\`, controls and
 * hidden characters escaped (`\u202e`), so a name cannot end the scalar, start a tag (`!Ref`), a comment,
 * or a new key.
 */
export function yamlQuote(value: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !YAML_RESERVED.test(value)) return value
  return `"${value.replace(/["\\]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, yamlEscapeChar)}"`
}

// ---------------------------------------------------------------------------------------------------
// HCL (Terraform)

/**
 * A Terraform string literal: `"…"` with `\`, `"` and hidden characters escaped, and the template
 * introducers `${` and `%{` doubled (`$${`, `%%{`) so a name cannot interpolate or run a directive.
 */
export function hclQuote(value: string): string {
  const body = value
    .replace(/["\\]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, (ch) => {
      if (ch === '"') return '\\"'
      if (ch === '\\') return '\\\\'
      if (ch === '\n') return '\\n'
      if (ch === '\r') return '\\r'
      if (ch === '\t') return '\\t'
      const cp = ch.codePointAt(0) ?? 0
      return cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`
    })
    .replace(/([$%])\{/g, '$1$1{')
  return `"${body}"`
}

// ---------------------------------------------------------------------------------------------------
// TypeScript / JavaScript (CDK)

/** A TypeScript string literal (double quotes) with controls and hidden characters as `\u` escapes. */
export function tsQuote(value: string): string {
  return JSON.stringify(value).replace(/[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u007f-\u009f]/gu, (ch) => {
    const cp = ch.codePointAt(0) ?? 0
    return cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\u{${cp.toString(16)}}`
  })
}

// ---------------------------------------------------------------------------------------------------
// Identifiers

/**
 * A CloudFormation logical id from name parts: alphanumeric only (the template format allows nothing
 * else), each part's words capitalised, at most 255 characters; `fallback` when nothing is left.
 */
export function cfnLogicalId(parts: string[], fallback = 'Resource'): string {
  const id = parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')
    .slice(0, 255)
  return id || fallback
}

/**
 * A Terraform resource name (the second part of an address such as `aws_cloudwatch_metric_alarm.NAME`):
 * letters, digits, `_` and `-`, starting with a letter or `_`; anything else becomes `_`. At most 64
 * characters; `fallback` when nothing is left.
 */
export function tfName(parts: string[], fallback = 'this'): string {
  const name = parts
    .join('_')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
  if (!name) return fallback
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`.slice(0, 64)
}
