// Starting a conversation, retried only when the server provably created nothing:
// one step must never start two conversations.
import { backoffDelay, type BackoffPolicy } from './backoff.js'
import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'
import type { OpenHandsClient, StartRequest } from './openhands/client.js'
import { NetworkError, RateLimitError } from './openhands/errors.js'
import type { StartedConversation } from './openhands/responses.js'
import { StepTimeoutError, requestTimeout } from './step-timeout.js'

export interface StartContext {
  clock: Clock
  deadline: number
  policy: BackoffPolicy
  /** Told why the step waits, so the log explains the pause. */
  info: (message: string) => void
}

export async function startConversation(
  client: Pick<OpenHandsClient, 'startConversation'>,
  request: StartRequest,
  context: StartContext
): Promise<StartedConversation> {
  const { clock, deadline, policy, info } = context
  for (let failures = 0; ; failures++) {
    const now = clock.now()
    if (now >= deadline) throw new StepTimeoutError('Timed out before the conversation could be started.')
    try {
      return await client.startConversation(request, requestTimeout(deadline, now))
    } catch (error) {
      if (!createdNothing(error)) throw error
      const delay = backoffDelay(failures, error, policy)
      if (clock.now() + delay >= deadline) {
        throw new StepTimeoutError(`Timed out before the conversation could be started; the last try: ${error.message}`)
      }
      info(`${whyWaiting(error)}; trying again in ${formatDuration(delay)}.`)
      await clock.sleep(delay)
    }
  }
}

function createdNothing(error: unknown): error is RateLimitError | NetworkError {
  return error instanceof RateLimitError || (error instanceof NetworkError && !error.requestSent)
}

function whyWaiting(error: RateLimitError | NetworkError): string {
  if (error instanceof NetworkError) return `Could not connect to OpenHands (${error.message})`
  const said = error.serverMessage ? ` ("${error.serverMessage}")` : ''
  return `OpenHands is at its limit${said}: the account may already run 10 conversations, or has sent too many requests`
}
