/** Time, injected so the wait loop and backoff can be tested without waiting. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or at once when `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

// setTimeout fires at once for delays past 2^31-1 ms; no sleep here is that long
// unless a user asks for a timeout of weeks, so clamp rather than misfire.
const MAX_TIMER_MS = 2 ** 31 - 1

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, Math.min(Math.max(0, ms), MAX_TIMER_MS))
      signal?.addEventListener('abort', done)
    })
}
