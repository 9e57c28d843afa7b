// A follow-up on a thread goes to the conversation the thread already has: the
// agent keeps its context and the account uses one slot. The conversation is
// read first; one that is gone, archived, broken or on another repository cannot
// take the message, and the step starts a new one instead, saying why. A paused
// sandbox is resumed, and the message is sent once it runs.
import { CancelledError, throwIfCancelled } from './cancel.js'
import { formatDuration } from './duration.js'
import { NotFoundError, RequestError, ServerError } from './openhands/errors.js'
import type { FollowUp } from './openhands/protocol.js'
import type { Conversation } from './openhands/responses.js'
import { persist, type StartContext, type Started, taskPollDelay } from './start.js'
import { StepTimeoutError } from './step-timeout.js'

/** The conversation that took the message, or why a new one must be started. */
export type FollowedUp = { continued: Started } | { fresh: string }

export interface FollowUpRequest {
  message: string
  repository?: string
  /** stop-on-cancel: a sandbox this step resumed is paused again when the step ends before the message went. */
  stopOnCancel: boolean
}

// Pausing again must fit in the few seconds a cancelled job has left.
const PAUSE_AGAIN_TIMEOUT_MS = 3000

export async function continueConversation(followUp: FollowUp, id: string, request: FollowUpRequest, context: StartContext): Promise<FollowedUp> {
  const resumed: { sandboxId?: string } = {}
  try {
    return await sendWhenRunning(followUp, id, request, context, resumed)
  } catch (error) {
    const { sandboxId } = resumed
    if (request.stopOnCancel && sandboxId !== undefined && (error instanceof CancelledError || error instanceof StepTimeoutError)) {
      // As it was before this step: a resumed sandbox left running would hold the account's slot until it idles out.
      await followUp
        .pause(sandboxId, PAUSE_AGAIN_TIMEOUT_MS)
        .then(() => context.info("Paused the earlier conversation's sandbox again, as it was before this step resumed it."))
        .catch((failure: unknown) =>
          context.info(`Could not pause the earlier conversation's sandbox again: ${failure instanceof Error ? failure.message : String(failure)}`)
        )
    }
    throw error
  }
}

async function sendWhenRunning(
  followUp: FollowUp,
  id: string,
  request: FollowUpRequest,
  context: StartContext,
  resumed: { sandboxId?: string }
): Promise<FollowedUp> {
  const { clock, deadline, info, signal } = context
  const lookUp = (): Promise<Conversation | undefined> => persist((t) => followUp.lookUp(id, t), 'the earlier conversation could be read', context, true)
  let conversation = await lookUp()
  let sendFailed: ServerError | undefined
  for (let looks = 0; ; looks++) {
    const gone = cannotContinue(conversation, request.repository)
    if (gone !== undefined) return { fresh: gone }
    const { runtimeStatus, sandboxId } = conversation as Conversation
    if (runtimeStatus === 'RUNNING') {
      // A 5xx that did not come from a broken sandbox may have delivered the message: never sent twice.
      if (sendFailed !== undefined) throw sendFailed
      try {
        await persist((t) => followUp.send(id, request.message, t), 'the message could be sent to the earlier conversation', context)
        return { continued: { id, sandboxId } }
      } catch (error) {
        if (error instanceof NotFoundError || (error instanceof RequestError && error.status === 410)) {
          return { fresh: `the thread's earlier conversation is gone (${error.message})` }
        }
        // 409: paused again since it was read; a 503 that a broken sandbox explains: read it again.
        if (error instanceof ServerError) sendFailed = error
        else if (!(error instanceof RequestError && error.status === 409)) throw error
      }
    } else if (runtimeStatus === 'PAUSED' && sandboxId !== undefined) {
      if (resumed.sandboxId === undefined) info(`Its sandbox is paused: resuming it (for at most ${formatDuration(Math.max(0, deadline - clock.now()))}).`)
      resumed.sandboxId = sandboxId
      await persist((t) => followUp.resume(sandboxId, t), "the earlier conversation's sandbox could be resumed", context, true)
    }
    const delay = taskPollDelay(looks)
    if (clock.now() + delay >= deadline) {
      throw new StepTimeoutError(`Timed out while the earlier conversation's sandbox was resuming (sandbox ${runtimeStatus ?? 'status unknown'}).`)
    }
    await clock.sleep(delay, signal)
    throwIfCancelled(signal)
    conversation = await lookUp()
  }
}

/** Why this conversation cannot take a follow-up, or undefined when it can (perhaps once resumed). */
export function cannotContinue(conversation: Conversation | undefined, repository: string | undefined): string | undefined {
  if (conversation === undefined) return "the thread's earlier conversation no longer exists"
  const { runtimeStatus } = conversation
  if (runtimeStatus === 'MISSING') return "the thread's earlier conversation was archived (its sandbox is MISSING)"
  if (runtimeStatus === 'ERROR') return "the thread's earlier conversation's sandbox is in ERROR"
  const had = conversation.repository ?? ''
  const wants = repository ?? ''
  if (had.toLowerCase() !== wants.toLowerCase()) {
    return `the thread's earlier conversation works on ${had === '' ? 'no repository' : had}, not ${wants === '' ? 'no repository' : wants}`
  }
  return undefined
}
