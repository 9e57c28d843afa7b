/** The step was cancelled (SIGINT/SIGTERM from the runner) while it worked. */
export class CancelledError extends Error {
  constructor(readonly signalName: string) {
    super(`The step was cancelled (${signalName}).`)
    this.name = 'CancelledError'
  }
}

/** Throws CancelledError if the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError(String(signal.reason ?? 'cancelled'))
}
