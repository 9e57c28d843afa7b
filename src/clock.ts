/** Time, injected so the wait loop and backoff can be tested without waiting. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

// setTimeout fires at once for delays past 2^31-1 ms; no sleep here is that long
// unless a user asks for a timeout of weeks, so clamp rather than misfire.
const MAX_TIMER_MS = 2 ** 31 - 1

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(0, ms), MAX_TIMER_MS)))
}
