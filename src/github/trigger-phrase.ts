// The trigger phrase counts only as a whole word: `@openhands` must not fire on
// `@openhands-bot`, `me@openhands` or `@openhands.dev`, but does on
// "@openhands, please" and "thanks @openhands.".
import { escapeRegExp } from '../regexp.js'

const NOT_AFTER_WORD = String.raw`(?<![\p{L}\p{N}_\-.@/])`
const NOT_BEFORE_WORD = String.raw`(?![\p{L}\p{N}_\-@/]|\.[\p{L}\p{N}_])`

function pattern(phrase: string, flags: string): RegExp {
  return new RegExp(`${NOT_AFTER_WORD}${escapeRegExp(phrase)}${NOT_BEFORE_WORD}`, `iu${flags}`)
}

export function containsPhrase(text: string, phrase: string): boolean {
  return pattern(phrase, '').test(text)
}

/** The text without the phrase (and one space after it), so the agent gets the request rather than its address. */
export function removePhrase(text: string, phrase: string): string {
  const withSpace = new RegExp(`${pattern(phrase, '').source}[ \\t]?`, 'giu')
  return text.replace(withSpace, '').trim()
}
