// How long a 429 asks us to wait, from the headers servers actually send.

/** An answer's headers by name, case-insensitive (fetch's Headers is one). */
export interface HeaderReader {
  get(name: string): string | null
}

/**
 * The later of what `Retry-After` (seconds or an HTTP date) and, when the
 * request window is spent, `X-RateLimit-Reset` say; undefined if neither says.
 */
export function retryAfterMs(headers: HeaderReader, nowMs: number): number | undefined {
  const retryAfter = fromRetryAfter(headers.get('retry-after'), nowMs)
  // Servers send the window's reset time on every answer. When requests are
  // left in the window, the 429 is about something else (the limit on running
  // conversations) and waiting for the window to reset would be wrong.
  const remaining = headers.get('x-ratelimit-remaining')
  const spent = remaining === null || remaining.trim() === '0'
  const reset = spent ? fromReset(headers.get('x-ratelimit-reset'), nowMs) : undefined
  if (retryAfter === undefined || reset === undefined) return retryAfter ?? reset
  return Math.max(retryAfter, reset)
}

// IMF-fixdate, the form RFC 9110 requires: `Sun, 06 Nov 1994 08:49:37 GMT`.
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/

function fromRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  // Whole seconds are cut down, not rounded (OpenHands Cloud sends
  // int(reset - now), so `0` with most of a second to go): the window ends
  // within the second after the one named.
  if (/^\d+$/.test(value.trim())) return (Number(value) + 1) * 1000
  if (/^\d+\.\d+$/.test(value.trim())) return Number(value) * 1000
  // Only the HTTP-date form: Date.parse alone reads "-5" or "1,5" as dates in 2001.
  if (!HTTP_DATE.test(value.trim())) return undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

// Servers disagree on X-RateLimit-Reset: seconds until the window resets, or the
// Unix time at which it does. No window is a billion seconds long, so a value
// that large can only be a timestamp.
const UNIX_TIME_THRESHOLD_S = 1_000_000_000

function fromReset(value: string | null, nowMs: number): number | undefined {
  if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined
  const seconds = Number(value)
  if (seconds < UNIX_TIME_THRESHOLD_S) return seconds * 1000
  // A whole epoch second is int(reset_time): the window ends before the next one.
  const resetAt = Number.isInteger(seconds) ? seconds + 1 : seconds
  return Math.max(0, resetAt * 1000 - nowMs)
}

/** The request budget the answer reports, when it reports all of it. */
export function rateBudgetOf(headers: HeaderReader, nowMs: number): { limit: number; remaining: number; resetMs: number } | undefined {
  const limit = limitOf(headers.get('x-ratelimit-limit'))
  const remaining = Number(headers.get('x-ratelimit-remaining'))
  const resetMs = fromReset(headers.get('x-ratelimit-reset'), nowMs)
  if (limit === undefined || headers.get('x-ratelimit-remaining') === null || !Number.isFinite(remaining) || resetMs === undefined) {
    return undefined
  }
  return { limit, remaining, resetMs }
}

// A count (`100`), or OpenHands Cloud's description of its limit (`100 per 1 minute`).
function limitOf(value: string | null): number | undefined {
  const count = /^\s*(\d+)(?:\s+per\s+.*)?$/.exec(value ?? '')?.[1]
  return count === undefined ? undefined : Number(count)
}
