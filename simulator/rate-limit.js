const WINDOW_MS = 60_000

/**
 * Fixed windows rather than a sliding log: it is what the Cloud limiter's
 * "N per 1 minute" behaves like, and it makes Reset/Retry-After predictable in tests.
 */
export class FixedWindowLimiter {
  /**
   * @param {number} limit requests per window; 0 disables limiting
   * @param {() => number} now
   */
  constructor(limit, now) {
    this.limit = limit
    this.now = now
    /** @type {Map<string, { start: number, count: number }>} */
    this.windows = new Map()
  }

  /**
   * Counts one request for `key`.
   * @param {string} key
   * @returns {{ allowed: boolean, headers: Record<string, string> }}
   */
  take(key) {
    if (this.limit <= 0) return { allowed: true, headers: {} }
    const t = this.now()
    let window = this.windows.get(key)
    if (!window || t >= window.start + WINDOW_MS) {
      window = { start: t, count: 0 }
      this.windows.set(key, window)
    }
    const allowed = window.count < this.limit
    if (allowed) window.count += 1
    const resetSeconds = Math.max(1, Math.ceil((window.start + WINDOW_MS - t) / 1000))
    /** @type {Record<string, string>} */
    const headers = {
      'X-RateLimit-Limit': String(this.limit),
      'X-RateLimit-Remaining': String(this.limit - window.count),
      'X-RateLimit-Reset': String(resetSeconds)
    }
    if (!allowed) headers['Retry-After'] = String(resetSeconds)
    return { allowed, headers }
  }

  reset() {
    this.windows.clear()
  }
}

/** @param {number} limit */
export function rateLimitedBody(limit) {
  return { error: `Rate limit exceeded: ${limit} per 1 minute` }
}
