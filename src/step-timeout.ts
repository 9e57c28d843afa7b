/** The step's `timeout` ran out before the work was done. */
export class StepTimeoutError extends Error {
  constructor(
    message: string,
    /** The failure that was being retried when time ran out, if any: it may be the real cause. */
    readonly lastError?: unknown
  ) {
    super(message)
    this.name = 'StepTimeoutError'
  }
}

// One slow request must not eat the whole step; the step's own deadline still
// caps it when less time is left.
export const REQUEST_TIMEOUT_MS = 60_000

/** Time a request may take: the usual cap, or what is left of the step. */
export function requestTimeout(deadline: number, now: number): number {
  return Math.min(REQUEST_TIMEOUT_MS, deadline - now)
}
