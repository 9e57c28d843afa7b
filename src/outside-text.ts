// The one path for text that came from outside the action (server answers,
// GitHub text, and every message that quotes them): redact every form of every
// secret → escape for the sink → cut to the sink's limit. The sinks in log.ts
// (log lines, annotations, outputs, the job summary) and the thread comment take
// text only as this module hands it out.
//
// Why each sink escapes as it does:
// - The runner (actions/runner) reads a step's stdout with StreamReader.ReadLine,
//   so a line ends at "\n", "\r" or "\r\n" (src/Runner.Sdk/ProcessInvoker.cs), and
//   hands every line to ActionCommandManager.TryProcessCommand
//   (src/Runner.Worker/ActionCommandManager.cs), which tries two parsers
//   (src/Runner.Common/ActionCommand.cs): TryParseV2 takes `::name …::data` when
//   the line, after TrimStart(), StartsWith("::"); TryParse takes the legacy
//   `##[name …]data` wherever IndexOf("##[") finds it in the line. Both compare
//   with the current culture, where ICU ignores zero-width characters, so a
//   zero-width space between the colons is NOT safe. Instead the first colon of a
//   line-start `::` becomes U+FF1A FULLWIDTH COLON, and the `#` before `[` in any
//   `##[` becomes U+FF03 FULLWIDTH NUMBER SIGN: visually alike, and different
//   from `:` and `#` in every comparison that does not ignore width (the parsers
//   pass no IgnoreWidth). Leading whitespace, control and zero-width characters
//   are looked through, as TrimStart and ICU would.
// - The runner masks a registered secret in its own log in a few encodings
//   (src/Runner.Common/HostContext.cs: base64 at three byte shifts, JSON, URI,
//   XML escapes), but never in the job summary, in outputs or in a comment, and
//   never a fragment: every sink here redacts for itself, before escaping and
//   before any cut.
// - GitHub finds mentions in the text of the rendered HTML, entities decoded
//   (html-pipeline's MentionFilter: `(?:^|\W)@([a-z0-9][a-z0-9-]*)` over text
//   nodes), so `&#64;name` would still notify; `@` followed by a zero-width space
//   matches no mention, so that is what outside text gets.
import { Buffer } from 'node:buffer'

/** What a secret is replaced with. */
export const MASK = '***'
/** The mask inside Markdown, where bare asterisks would be emphasis. */
const MARKDOWN_MASK = '\\*\\*\\*'

/** GitHub refuses a comment body over 65,536 characters. */
export const COMMENT_MAX_CHARS = 65_536
/** GitHub drops a step's job summary whole when it is over 1 MiB. */
export const SUMMARY_MAX_BYTES = 1_048_576
/** Each output at most 64 KiB (UTF-8), so a hostile value cannot crowd the job's 1 MB of outputs. */
export const OUTPUT_MAX_BYTES = 65_536

// A derived form shorter than this is no evidence of the secret, and masking it
// would mangle ordinary text; the secret itself is always masked.
const MIN_FORM_LENGTH = 6

/**
 * Every form in which a secret may come back: raw, JSON-escaped (as JSON.stringify
 * writes it, and as Python writes non-ASCII), URL-encoded (encodeURIComponent,
 * form encoding with `+`, lower-case hex), base64 and base64url (alone, and the
 * part fixed by the secret inside longer base64 at each of the 3 byte alignments),
 * and as the Markdown escaper writes it.
 */
export function secretForms(secret: string): string[] {
  if (secret === '') return []
  const json = JSON.stringify(secret).slice(1, -1)
  const jsonAscii = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  const uri = encodeURIComponent(secret)
  const form = new URLSearchParams([['', secret]]).toString().slice(1)
  const encoded = [json, jsonAscii, jsonAscii.toUpperCase().replace(/\\U/g, '\\u'), uri, uri.replace(/%20/g, '+'), form]
  const bytes = Buffer.from(secret, 'utf8')
  const base64: string[] = []
  for (const alphabet of ['base64', 'base64url'] as const) {
    const whole = bytes.toString(alphabet)
    base64.push(whole, whole.replace(/=+$/, ''))
    for (let shift = 0; shift < 3; shift++) base64.push(fixedBase64(bytes, shift, alphabet))
  }
  const markdown = [markdownCell(secret), markdownEscape(secret)]
  const forms = [...encoded, ...encoded.map((f) => f.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())), ...base64, ...markdown]
  const derived = forms.filter((f) => f.length >= MIN_FORM_LENGTH && f !== secret)
  return [...new Set([secret, ...derived])]
}

/** The base64 characters that only the secret's bits decide, when it starts `shift` bytes into a longer text. */
function fixedBase64(bytes: Buffer, shift: number, alphabet: 'base64' | 'base64url'): string {
  const text = Buffer.concat([Buffer.alloc(shift), bytes, Buffer.alloc(2)]).toString(alphabet)
  const first = shift,
    last = shift + bytes.length - 1
  let from = 0
  while (from < text.length && Math.floor((6 * from) / 8) < first) from++
  let to = from
  while (to < text.length && Math.floor((6 * to + 5) / 8) <= last) to++
  return text.slice(from, to)
}

/** The secrets of a run; everything written is redacted with them. */
export class Secrets {
  private readonly values = new Set<string>()
  // Longest first, so a form holding another is masked whole.
  private forms: string[] = []

  /** Registers a secret; true when it is new. */
  add(secret: string): boolean {
    if (secret === '' || this.values.has(secret)) return false
    this.values.add(secret)
    this.forms = [...new Set([...this.forms, ...secretForms(secret)])].sort((a, b) => b.length - a.length)
    return true
  }

  /** Whether the text holds any form of a secret. */
  holds(text: string): boolean {
    return this.forms.some((form) => text.includes(form))
  }

  /** The text with every form of every secret replaced by the mask. */
  redact(text: string, mask = MASK): string {
    // A mask next to what is left may spell a form again: go on until none is left.
    for (let round = 0; round < 16 && this.holds(text); round++) {
      for (const form of this.forms) if (text.includes(form)) text = text.split(form).join(mask)
    }
    return text
  }
}

/** The process's secrets: the api-key, the github-token, and any session key a server gives. */
export const secrets = new Secrets()

// Characters the runner's TrimStart skips, or that ICU's comparison ignores.
const SKIPPED = '[\\s\\p{Z}\\p{Cc}\\p{Cf}\\p{Mn}\\p{Me}]'
const IGNORED = '[\\p{Cc}\\p{Cf}\\p{Mn}\\p{Me}]'
const LINE_COMMAND = new RegExp(`^(${SKIPPED}*):(?=${IGNORED}*:)`, 'u')
const LEGACY_COMMAND = new RegExp(`#(${IGNORED}*)#(${IGNORED}*)\\[`, 'gu')

/** Text in which the runner finds no workflow command: no `::` at a line start, no `##[` anywhere. */
export function neutraliseCommands(text: string): string {
  return text
    .replace(LEGACY_COMMAND, '#$1\uff03$2[')
    .split(/(\r\n|\r|\n)/)
    .map((line, i) => (i % 2 === 1 ? line : line.replace(LINE_COMMAND, '$1\uff1a')))
    .join('')
}

/** `@name` and `@org/team` made inert: a zero-width space after the `@`. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, '@\u200b')
}

/** Outside text as one Markdown table cell or line: no line breaks, no HTML, no table, link or emphasis syntax, no mention. */
function markdownCell(text: string): string {
  return neutraliseMentions(markdownEscape(text))
}

function markdownEscape(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\|[\]*_`])/g, '\\$1')
}

/**
 * Redacts, escapes, then masks whatever the escaping may have spelled (a mask
 * never ends a line or holds `:`, `#`, `[` or `@`, so it undoes no escaping).
 */
function through(text: string, using: Secrets, escape: (text: string) => string, maskAfter = MASK): string {
  const result = escape(using.redact(text))
  return using.holds(result) ? using.redact(result, maskAfter) : result
}

/** A log line (info, debug, warning, notice) or an annotation message. */
export function forLog(text: string, using: Secrets = secrets): string {
  return through(text, using, neutraliseCommands)
}

/** A step output: redacted, no workflow command (a later step may print it), at most OUTPUT_MAX_BYTES. */
export function forOutput(value: string, using: Secrets = secrets): string {
  const safe = through(value, using, neutraliseCommands)
  return cut(safe, OUTPUT_MAX_BYTES, utf8Bytes, ' …(cut)', using, neutraliseCommands)
}

/** Redacted outside text cut to at most `maxChars`, never inside a secret: for messages that quote an answer. */
export function cutOutside(text: string, maxChars: number, using: Secrets = secrets): string {
  return cut(
    using.redact(text),
    maxChars,
    (t) => t.length,
    '…',
    using,
    (t) => t
  )
}

declare const built: unique symbol

/** Markdown the action composed: its own structure, with every outside value in it escaped. */
export class Markdown {
  declare private readonly [built]: true
  constructor(
    /** Trusted Markdown and outside text, in order. */
    readonly parts: ReadonlyArray<{ trusted: string } | { outside: string }>
  ) {}
}

/**
 * Markdown from a template: the literal parts are the action's own, a string
 * value is outside text (escaped as a cell), a Markdown value is nested as is.
 */
export function md(strings: TemplateStringsArray, ...values: ReadonlyArray<string | Markdown>): Markdown {
  const parts: Array<{ trusted: string } | { outside: string }> = []
  strings.forEach((literal, i) => {
    parts.push({ trusted: literal })
    const value = values[i]
    if (value instanceof Markdown) parts.push(...value.parts)
    else if (value !== undefined) parts.push({ outside: value })
  })
  return new Markdown(parts)
}

/** Markdown the action built itself from checked values (a link to its own address, a validated name). */
export function trusted(text: string): Markdown {
  return new Markdown([{ trusted: text }])
}

// A line that would start a heading, a quote, a list or a rule in Markdown.
const BLOCK_START = /^\s*(?:[#>+\-=]|\d+[.)])/

/**
 * Outside text of several lines as plain Markdown text: each line escaped as a
 * cell is, line breaks kept as hard breaks, and no line read as a heading, list
 * or quote. For text a person should read as written (the agent's last message).
 */
export function outsideLines(text: string): Markdown {
  const lines = text.split(/\r\n|\r|\n/)
  return joinMarkdown(
    lines.map((line) => (BLOCK_START.test(line) ? md`${trusted('\\')}${line.trimStart()}` : md`${line}`)),
    '  \n'
  )
}

/** Joins Markdown with a trusted separator. */
export function joinMarkdown(items: readonly Markdown[], separator: string): Markdown {
  return new Markdown(items.flatMap((item, i) => (i === 0 ? item.parts : [{ trusted: separator }, ...item.parts])))
}

/** A two-column table of name → value. */
export function markdownTable(rows: ReadonlyArray<readonly [string, Markdown]>): Markdown {
  return joinMarkdown([trusted('| | |\n| --- | --- |'), ...rows.map(([name, value]) => md`| ${trusted(name)} | ${value} |`)], '\n')
}

function render(markdown: Markdown, using: Secrets): string {
  const text = markdown.parts.map((part) => ('trusted' in part ? part.trusted : through(part.outside, using, markdownCell, MARKDOWN_MASK))).join('')
  // The action's own parts may quote a secret too (a URL), and the escaping may spell one.
  return using.redact(text, MARKDOWN_MASK)
}

declare const sink: unique symbol
/** Text ready for the job summary: only forSummary makes it. */
export type SummaryText = string & { readonly [sink]: 'summary' }
/** Text ready for a comment body: only forComment makes it. */
export type CommentText = string & { readonly [sink]: 'comment' }

export function forSummary(markdown: Markdown, using: Secrets = secrets): SummaryText {
  const note = '\n\n_(cut: the rest did not fit in a job summary, which GitHub limits to 1 MiB)_\n'
  return cut(render(markdown, using), SUMMARY_MAX_BYTES, utf8Bytes, note, using, (t) => t, markdownSafeEnd) as SummaryText
}

export function forComment(markdown: Markdown, using: Secrets = secrets): CommentText {
  const note = '\n\n_(cut: the rest did not fit in a comment, which GitHub limits to 65,536 characters)_'
  return cut(
    render(markdown, using),
    COMMENT_MAX_CHARS,
    (t) => t.length,
    note,
    using,
    (t) => t,
    markdownSafeEnd
  ) as CommentText
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** Where a Markdown prefix may end: not inside an escape, an entity or a tag, nor on an `@` cut from its guard. */
function markdownSafeEnd(prefix: string): string {
  let end = prefix.replace(/@$/, '')
  const entity = /&[#A-Za-z0-9]{0,12}$/.exec(end)
  if (entity) end = end.slice(0, entity.index)
  const tag = /<[^<>]*$/.exec(end)
  if (tag) end = end.slice(0, tag.index)
  const backslashes = /\\+$/.exec(end)?.[0].length ?? 0
  if (backslashes % 2 === 1) end = end.slice(0, -1)
  return end
}

/**
 * The text if it fits; else its longest prefix that fits with the note, ended
 * where `safeEnd` allows and never inside a surrogate pair, with no secret
 * spelled where the prefix meets the note.
 */
function cut(
  text: string,
  limit: number,
  size: (text: string) => number,
  note: string,
  using: Secrets,
  escape: (text: string) => string,
  safeEnd: (prefix: string) => string = (prefix) => prefix
): string {
  if (size(text) <= limit) return text
  const budget = limit - size(note)
  // The longest prefix within the budget: sizes grow with the prefix, so halve the range.
  let low = 0
  let high = Math.min(text.length, budget)
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (size(text.slice(0, mid)) <= budget) low = mid
    else high = mid - 1
  }
  let prefix = text.slice(0, low)
  if (/[\ud800-\udbff]$/.test(prefix)) prefix = prefix.slice(0, -1)
  prefix = safeEnd(prefix)
  let result = escape(prefix + note)
  while (using.holds(result) && prefix !== '') {
    prefix = safeEnd(prefix.slice(0, -1))
    result = escape(prefix + note)
  }
  return result
}
