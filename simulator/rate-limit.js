/**
 * The Cloud's request-rate limiter (enterprise/server/rate_limit.py): the `limits`
 * library's fixed windows, "10/second; 100/minute" per user, checked in that order.
 * A window starts at its first hit; every hit counts, refused ones too (the library
 * increments before it compares), and a refusal by the per-second window does not
 * reach the per-minute one. Only the 429 carries headers.
 */

/** @typedef {{ allowed: true } | { allowed: false, body: { error: string }, headers: Record<string, string> }} RateDecision */

/**
 * @param {number} limit
 * @param {'second' | 'minute'} unit
 */
export const describeLimit = (limit, unit) => `${limit} per 1 ${unit}`

/** @param {string} description */
export const rateLimitedBody = (description) => ({ error: `Rate limit exceeded: ${description}` })

/**
 * The 429's headers, as RateLimitResult.add_headers writes them.
 * @param {string} description
 * @param {number} resetAt epoch ms when the window ends
 * @param {number} now epoch ms
 */
export function rateLimitHeaders(description, resetAt, now) {
  return {
    'X-RateLimit-Limit': description,
    'X-RateLimit-Remaining': '0',
    // int(reset_time) and int(reset_time - time.time()): both truncate.
    'X-RateLimit-Reset': String(Math.floor(resetAt / 1000)),
    'Retry-After': String(Math.trunc((resetAt - now) / 1000))
  }
}

class FixedWindow {
  /**
   * @param {number} limit 0 disables it
   * @param {'second' | 'minute'} unit
   */
  constructor(limit, unit) {
    this.limit = limit
    this.unit = unit
    this.lengthMs = unit === 'second' ? 1000 : 60_000
    /** @type {Map<string, { start: number, count: number }>} */
    this.windows = new Map()
  }

  /**
   * @param {string} key
   * @param {number} t
   * @returns {RateDecision}
   */
  hit(key, t) {
    if (this.limit <= 0) return { allowed: true }
    let window = this.windows.get(key)
    if (!window || t >= window.start + this.lengthMs) {
      window = { start: t, count: 0 }
      this.windows.set(key, window)
    }
    window.count += 1
    if (window.count <= this.limit) return { allowed: true }
    const description = describeLimit(this.limit, this.unit)
    return { allowed: false, body: rateLimitedBody(description), headers: rateLimitHeaders(description, window.start + this.lengthMs, t) }
  }
}

export class CloudRateLimiter {
  /**
   * @param {{ perSecond: number, perMinute: number }} limits 0 disables either
   * @param {() => number} now
   */
  constructor(limits, now) {
    this.now = now
    this.windows = [new FixedWindow(limits.perSecond, 'second'), new FixedWindow(limits.perMinute, 'minute')]
  }

  /** @param {string} key @returns {RateDecision} */
  take(key) {
    const t = this.now()
    for (const window of this.windows) {
      const decision = window.hit(key, t)
      if (!decision.allowed) return decision
    }
    return { allowed: true }
  }

  reset() {
    for (const window of this.windows) window.windows.clear()
  }
}
