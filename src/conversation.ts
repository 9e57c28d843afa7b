// One conversation, start to end: start it, then (when asked) follow it to a
// final state, keeping the Outcome current and telling the caller of every
// change. A cancelled step or a spent timeout stops the conversation rather than
// leave it spending credits.
import type { BackoffPolicy, RateBudget } from './backoff.js'
import { CancelledError } from './cancel.js'
import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'
import type { Settings } from './inputs.js'
import type { Protocol } from './openhands/protocol.js'
import type { Conversation } from './openhands/responses.js'
import type { Outcome } from './report.js'
import { startConversation } from './start.js'
import { StepTimeoutError, requestTimeout } from './step-timeout.js'
import { waitForFinalStatus } from './wait.js'

export interface ConversationContext {
  protocol: Protocol
  rateBudget?: () => RateBudget | undefined
  conversationUrl: (id: string) => string
  clock: Clock
  policy: BackoffPolicy
  startedAt: number
  signal?: AbortSignal
  info: (message: string) => void
  debug: (message: string) => void
  warning: (message: string) => void
  /** Prints the message sent, which may hold text from anyone (issue bodies, comments). */
  showMessage: (message: string) => void
  /** Called after the outcome changed (started, new status); awaited. */
  onChange: () => Promise<void>
}

// Stopping must fit in the few seconds a cancelled job has left.
const STOP_TIMEOUT_MS = 3000
// Agent states that mean the work failed, like a runtime in ERROR.
const FAILED_AGENT_STATES: ReadonlySet<string> = new Set(['error', 'stuck', 'rejected'])

export async function runConversation(settings: Settings, message: string, outcome: Outcome, context: ConversationContext): Promise<void> {
  const { protocol, clock, policy, startedAt, signal, info, debug, warning, showMessage, onChange, rateBudget } = context
  const deadline = startedAt + settings.timeoutMs
  let sandboxId: string | undefined
  const see = async (conversation: Pick<Conversation, 'status'> & Partial<Conversation>): Promise<void> => {
    const before = JSON.stringify([outcome.status, outcome.agentState, outcome.prNumbers, outcome.title])
    if (conversation.status !== outcome.status) info(`Status: ${conversation.status}`)
    if (conversation.agentState !== undefined && conversation.agentState !== outcome.agentState) info(`Agent: ${conversation.agentState}`)
    outcome.status = conversation.status
    // A reading that speaks of the agent but names no state (V1 with its sandbox
    // stopped) means the state is no longer known, not that the old one holds.
    if ('agentState' in conversation) outcome.agentState = conversation.agentState
    // A reading without a runtime status means the server has none now (null).
    if ('runtimeStatus' in conversation) outcome.runtimeStatus = conversation.runtimeStatus
    outcome.title = conversation.title ?? outcome.title
    outcome.prNumbers = conversation.prNumbers ?? outcome.prNumbers
    sandboxId = conversation.sandboxId ?? sandboxId
    if (JSON.stringify([outcome.status, outcome.agentState, outcome.prNumbers, outcome.title]) !== before) await onChange()
  }

  info(`Starting an OpenHands conversation ${where(settings)} at ${settings.baseUrl}`)
  showMessage(message)
  // Waiting for a free conversation slot is polling too: never more often than the user's interval allows.
  const startPolicy = { ...policy, maxMs: Math.min(policy.maxMs, settings.pollIntervalMs) }
  const started = await startConversation(protocol, { ...settings, message }, { clock, deadline, policy: startPolicy, info, debug, signal })
  outcome.conversationId = started.id
  outcome.conversationUrl = context.conversationUrl(started.id)
  sandboxId = started.sandboxId
  info(`Conversation started: ${outcome.conversationUrl}`)
  if (started.status !== undefined) await see({ status: started.status })
  else await onChange()

  try {
    if (settings.wait) {
      info(`Waiting for it to finish (checking every ${formatDuration(settings.pollIntervalMs)}, for at most ${formatDuration(deadline - clock.now())}).`)
      const pollIntervalMs = settings.pollIntervalMs
      await waitForFinalStatus(protocol, started.id, { clock, deadline, pollIntervalMs, policy, onConversation: see, info, debug, signal, rateBudget })
      info(`Conversation ended with status ${outcome.status}${outcome.agentState ? ` (agent ${outcome.agentState})` : ''} after ${formatDuration(clock.now() - startedAt)}.`)
    } else if (started.status === undefined) {
      // V1, and the vendor's documented V0 answer, give no status: read once, and
      // let a failure here cost only the status output, never the conversation.
      try {
        await see(await protocol.readOnce(started.id, requestTimeout(deadline, clock.now())))
      } catch (error) {
        warning(`Started, but could not read the conversation's status: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  } catch (error) {
    if (settings.stopOnCancel && (error instanceof CancelledError || error instanceof StepTimeoutError)) {
      await stop(protocol, { id: started.id, sandboxId }, outcome, { info, warning })
    }
    throw error
  }
  if (outcome.status === 'ERROR') outcome.failure = `The conversation ended with status ERROR: see ${outcome.conversationUrl}`
  else if (outcome.agentState !== undefined && FAILED_AGENT_STATES.has(outcome.agentState)) {
    outcome.failure = `The agent ended in state ${outcome.agentState}: see ${outcome.conversationUrl}`
  }
}

async function stop(
  protocol: Protocol,
  conversation: Pick<Conversation, 'id' | 'sandboxId'>,
  outcome: Outcome,
  log: Pick<ConversationContext, 'info' | 'warning'>
): Promise<void> {
  log.info(`Stopping the conversation, so it does not go on spending credits (stop-on-cancel).`)
  try {
    await protocol.stop(conversation, STOP_TIMEOUT_MS)
    outcome.stopped = true
    log.info('Conversation stopped.')
  } catch (error) {
    log.warning(`Could not stop the conversation ${outcome.conversationUrl}: ${error instanceof Error ? error.message : String(error)}. Stop it by hand.`)
  }
}

function where(settings: Settings): string {
  if (settings.repository === undefined) return 'with no repository'
  return `on ${settings.repository}${settings.branch ? ` (branch ${settings.branch})` : ''}`
}
