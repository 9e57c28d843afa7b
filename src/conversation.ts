// One conversation, start to end: start it, then (when asked) follow it to a
// final status, keeping the Outcome current and telling the caller of every change.
import type { BackoffPolicy } from './backoff.js'
import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'
import type { Settings } from './inputs.js'
import type { OpenHandsClient } from './openhands/client.js'
import type { Conversation } from './openhands/responses.js'
import type { Outcome } from './report.js'
import { startConversation } from './start.js'
import { requestTimeout } from './step-timeout.js'
import { waitForFinalStatus } from './wait.js'

export interface ConversationContext {
  client: OpenHandsClient
  clock: Clock
  policy: BackoffPolicy
  startedAt: number
  info: (message: string) => void
  debug: (message: string) => void
  warning: (message: string) => void
  /** Prints the message sent, which may hold text from anyone (issue bodies, comments). */
  showMessage: (message: string) => void
  /** Called after the outcome changed (started, new status); awaited. */
  onChange: () => Promise<void>
}

export async function runConversation(settings: Settings, message: string, outcome: Outcome, context: ConversationContext): Promise<void> {
  const { client, clock, policy, startedAt, info, debug, warning, showMessage, onChange } = context
  const deadline = startedAt + settings.timeoutMs
  const see = async (conversation: Pick<Conversation, 'status'> & Partial<Conversation>): Promise<void> => {
    const changed = conversation.status !== outcome.status || (conversation.prNumbers?.length ?? 0) !== outcome.prNumbers.length
    if (conversation.status !== outcome.status) info(`Status: ${conversation.status}`)
    outcome.status = conversation.status
    outcome.title = conversation.title ?? outcome.title
    outcome.prNumbers = conversation.prNumbers ?? outcome.prNumbers
    if (changed) await onChange()
  }

  info(`Starting an OpenHands conversation ${where(settings)} at ${settings.baseUrl}`)
  showMessage(message)
  const started = await startConversation(client, { ...settings, message }, { clock, deadline, policy, info })
  outcome.conversationId = started.id
  outcome.conversationUrl = client.conversationUrl(started.id)
  info(`Conversation started: ${outcome.conversationUrl}`)
  if (started.status !== undefined) await see({ status: started.status })
  else await onChange()

  if (settings.wait) {
    info(`Waiting for it to finish (checking every ${formatDuration(settings.pollIntervalMs)}, for at most ${formatDuration(deadline - clock.now())}).`)
    const pollIntervalMs = settings.pollIntervalMs
    await waitForFinalStatus(client, started.id, { clock, deadline, pollIntervalMs, policy, onConversation: see, info, debug })
    info(`Conversation ended with status ${outcome.status} after ${formatDuration(clock.now() - startedAt)}.`)
  } else if (started.status === undefined) {
    // The vendor's documented answer has no status: ask once, and let a failure
    // here cost only the status output, never the started conversation.
    try {
      await see(await client.getConversation(started.id, requestTimeout(deadline, clock.now())))
    } catch (error) {
      warning(`Started, but could not read the conversation's status: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  if (outcome.status === 'ERROR') outcome.failure = `The conversation ended with status ERROR: see ${outcome.conversationUrl}`
}

function where(settings: Settings): string {
  if (settings.repository === undefined) return 'with no repository'
  return `on ${settings.repository}${settings.branch ? ` (branch ${settings.branch})` : ''}`
}
