// The one retry policy: how long to wait before trying again after a failure
// that is worth retrying. Pure, with randomness injected, so it can be tested.
import { ApiError, NetworkError, ProtocolError, RateLimitError, ServerError, UnreachableError } from './openhands/errors.js'
import type { Clock } from './clock.js'

export interface BackoffPolicy {
  /** First delay, doubled on each consecutive failure. */
  baseMs: number
  /** No exponential delay grows past this. */
  maxMs: number
  /** In [0, 1): spreads jobs that failed together so they do not retry together. */
  random: () => number
  /** The random share of each step, in (0, 1]; half (equal jitter) when unset. */
  jitter?: number
  /** How long connections that never reach the server are tried, from the first of them; UNREACHABLE_MS by default. */
  unreachableMs?: number
}

/**
 * Long enough for a blip (a server restarting, a resolver hiccup), short of
 * idling until the step's timeout (up to hours) on an address that is wrong.
 */
export const UNREACHABLE_MS = 30_000

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, random: Math.random, unreachableMs: UNREACHABLE_MS }

/**
 * Delay before attempt `failures + 1`. A 429 that says when to come back is
 * obeyed, plus up to a second of jitter; otherwise exponential backoff with
 * jitter: by default "equal jitter", half the step fixed and half random.
 */
export function backoffDelay(failures: number, error: ApiError | undefined, policy: BackoffPolicy): number {
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs + Math.floor(policy.random() * 1000)
  }
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures, 30))
  const jitter = policy.jitter ?? 0.5
  return Math.round(step * (1 - jitter) + policy.random() * step * jitter)
}

/** What the server's X-RateLimit-* headers said on the last answer. */
export interface RateBudget {
  limit: number
  remaining: number
  /** Until the window resets. */
  resetMs: number
}

/**
 * The next poll: the poll interval, stretched when the account's request budget
 * runs low, since every waiting job of the account draws on the same budget.
 * Under a fifth left: twice the interval; under a twentieth: wait for the window
 * to reset.
 */
export function pollDelay(pollIntervalMs: number, budget: RateBudget | undefined): number {
  // A window that resets before the next poll anyway needs no saving for.
  if (budget === undefined || budget.limit <= 0 || budget.resetMs <= pollIntervalMs) return pollIntervalMs
  const left = budget.remaining / budget.limit
  if (left < 0.05) return Math.max(pollIntervalMs, budget.resetMs)
  if (left < 0.2) return 2 * pollIntervalMs
  return pollIntervalMs
}

// A body that is not the API's shape may be a proxy's hiccup, but after this many
// in a row the server is not one this action can talk to.
const MAX_GARBLED_IN_A_ROW = 3

/**
 * Which failed reads of something that exists (a conversation, a start task) to
 * try again: reading again is safe, so passing failures are retried, and so is a
 * garbled answer or two.
 */
export class RereadFailures {
  private garbledInARow = 0

  /** After a failed read: true to try again, false to give up with this error. */
  tryAgain(error: unknown): error is ApiError {
    if (!(error instanceof ApiError && (error.retryable || error instanceof ProtocolError))) return false
    this.garbledInARow = error instanceof ProtocolError ? this.garbledInARow + 1 : 0
    return this.garbledInARow < MAX_GARBLED_IN_A_ROW
  }

  succeeded(): void {
    this.garbledInARow = 0
  }
}

/**
 * A run of failures that never reached the server: refused, not resolved, no
 * route, or a proxy that is down or refuses the tunnel. Any other outcome (an
 * answer, even a 5xx or 429; a reset) shows the address works and ends the run.
 */
export class UnreachableStreak {
  private since: number | undefined
  private tries = 0

  constructor(private readonly budgetMs: number = UNREACHABLE_MS) {}

  /** After a failure at `now`: throws UnreachableError when trying again at `retryAt` would pass the budget. */
  check(error: unknown, now: number, retryAt: number): void {
    if (!(error instanceof NetworkError) || error.requestSent) {
      this.succeeded()
      return
    }
    this.since ??= now
    this.tries++
    if (retryAt - this.since > this.budgetMs) throw new UnreachableError(error, this.tries, now - this.since)
  }

  succeeded(): void {
    this.since = undefined
    this.tries = 0
  }
}

export interface RetryBudget {
  clock: Clock
  policy: BackoffPolicy
  /** At most this many tries in all. */
  tries: number
  /** No try starts after this long from the first. */
  budgetMs: number
}

/**
 * Runs a call that is safe to repeat (a count, a pause) again when the server
 * answered that it could not do it now (429, 5xx), within the tries and the
 * budget; then the last failure is thrown. No answer at all is not retried: the
 * request has used its time already.
 */
export async function withRetries<T>(call: () => Promise<T>, { clock, policy, tries, budgetMs }: RetryBudget): Promise<T> {
  const until = clock.now() + budgetMs
  for (let failures = 0; ; failures++) {
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof RateLimitError || error instanceof ServerError) || failures + 1 >= tries) throw error
      const delay = backoffDelay(failures, error, policy)
      if (clock.now() + delay > until) throw error
      await clock.sleep(delay)
    }
  }
}
