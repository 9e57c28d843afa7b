// The one retry policy: how long to wait before trying again after a failure
// that is worth retrying. Pure, with randomness injected, so it can be tested.
import { RateLimitError, type ApiError } from './openhands/errors.js'

export interface BackoffPolicy {
  /** First delay, doubled on each consecutive failure. */
  baseMs: number
  /** No exponential delay grows past this. */
  maxMs: number
  /** In [0, 1): spreads jobs that failed together so they do not retry together. */
  random: () => number
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, random: Math.random }

/**
 * Delay before attempt `failures + 1`. A 429 that says when to come back is
 * obeyed, plus up to a second of jitter; otherwise exponential backoff with
 * "equal jitter": half the step is fixed, half is random.
 */
export function backoffDelay(failures: number, error: ApiError | undefined, policy: BackoffPolicy): number {
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs + Math.floor(policy.random() * 1000)
  }
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures, 30))
  return Math.round(step / 2 + (policy.random() * step) / 2)
}
