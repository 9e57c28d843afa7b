// One conversation, start to end: start it, then (when asked) follow it to a
// final state, keeping the Outcome current and telling the caller of every
// change. A cancelled step or a spent timeout stops the conversation rather than
// leave it spending credits.
import { type BackoffPolicy, type RateBudget, withRetries } from './backoff.js'
import { CancelledError } from './cancel.js'
import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'
import type { Settings } from './inputs.js'
import { type FollowUp, isMissingRoute, type Known, type Protocol, type Stopped } from './openhands/protocol.js'
import type { Conversation, Ending } from './openhands/responses.js'
import type { Outcome } from './report.js'
import { continueConversation } from './follow-up.js'
import { type StartContext, type Started, startConversation } from './start.js'
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
  /** The thread's earlier conversation, to continue with the message (follow-up: auto). */
  earlier?: string
}

const SLOT_WAIT_JITTER = 0.25
const FINAL_MESSAGE_TIMEOUT_MS = 10_000
const FINAL_MESSAGE_RETRY = { tries: 3, budgetMs: 20_000 }
// Stopping must fit in the few seconds a cancelled job has left (the runner
// kills it 10 s after the first signal): each request, and any retries, within these.
const STOP_TIMEOUT_MS = 3000
const STOP_RETRY = { tries: 2, budgetMs: 2000 }
// Releasing a finished conversation's slot is worth some seconds, not more:
// a slot not freed is freed anyway once the sandbox idles out.
const RELEASE_TIMEOUT_MS = 10_000
const RELEASE_RETRY = { tries: 5, budgetMs: 15_000 }

export async function runConversation(settings: Settings, message: string, outcome: Outcome, context: ConversationContext): Promise<void> {
  const { protocol, clock, policy, startedAt, signal, info, debug, warning, showMessage, onChange, rateBudget } = context
  const deadline = startedAt + settings.timeoutMs
  // The newest reading's facts, merged: stopping needs the sandbox and agent server it named.
  let known: Known = { id: '' }
  const see = async (conversation: Pick<Conversation, 'status'> & Partial<Conversation>): Promise<void> => {
    const before = JSON.stringify([outcome.status, outcome.agentState, outcome.prNumbers, outcome.title])
    if (conversation.status !== outcome.status) info(`Status: ${conversation.status}`)
    if (conversation.agentState !== undefined && conversation.agentState !== outcome.agentState) info(`Agent: ${conversation.agentState}`)
    if (conversation.runtimeStatus === 'PAUSED' && outcome.runtimeStatus !== 'PAUSED' && conversation.ending === undefined) {
      info(
        "OpenHands paused the conversation's sandbox before the agent was seen to finish (it pauses sandboxes under load or rate limits, " +
          `or a person paused it). Waiting for it to resume, for at most ${formatDuration(Math.max(0, deadline - clock.now()))}.`
      )
    }
    outcome.status = conversation.status
    // A reading without a state (V1 while the sandbox does not run) leaves the last one seen.
    if (conversation.agentState !== undefined) outcome.agentState = conversation.agentState
    // A reading without a runtime status means the server has none now (null).
    if ('runtimeStatus' in conversation) outcome.runtimeStatus = conversation.runtimeStatus
    outcome.title = conversation.title ?? outcome.title
    outcome.prNumbers = conversation.prNumbers ?? outcome.prNumbers
    outcome.metrics = conversation.metrics ?? outcome.metrics
    // The agent server's address and key are given only while the sandbox runs.
    const { conversationUrl, sessionApiKey } = conversation
    known = { ...known, ...conversation, conversationUrl, sessionApiKey }
    if (JSON.stringify([outcome.status, outcome.agentState, outcome.prNumbers, outcome.title]) !== before) await onChange()
  }

  // Waiting for a free conversation slot is polling too: never more often than the user's interval allows.
  // A slot is taken by whichever of the waiting jobs asks first, so each may ask
  // rarely: once the backoff reaches the interval, every 0.75 to 1 interval.
  const startPolicy = { ...policy, maxMs: Math.min(policy.maxMs, settings.pollIntervalMs), jitter: SLOT_WAIT_JITTER }
  const startContext = { clock, deadline, policy: startPolicy, info, debug, signal }
  const { earlier } = context
  const target = earlier === undefined || protocol.followUp === undefined ? undefined : { id: earlier, via: protocol.followUp }
  if (earlier !== undefined && target === undefined) {
    info(`The thread has an earlier conversation (${context.conversationUrl(earlier)}), but api-version v0 cannot continue one: starting a new conversation.`)
  }
  const starting = `Starting an OpenHands conversation ${where(settings)} at ${settings.baseUrl}`
  info(target ? `Continuing the thread's earlier conversation ${context.conversationUrl(target.id)} (follow-up: auto)` : starting)
  // Printed once, whether it goes to the earlier conversation or, failing that, a new one.
  showMessage(message)
  const continued = target && (await followUp(target.via, target.id, { ...settings, message }, startContext))
  if (target && continued === undefined) info(starting)
  const started = continued ?? (await startConversation(protocol, { ...settings, message }, startContext))
  outcome.continued = continued !== undefined
  outcome.conversationId = started.id
  outcome.conversationUrl = context.conversationUrl(started.id)
  known = { id: started.id, sandboxId: started.sandboxId }
  info(continued ? `Message sent to the conversation: ${outcome.conversationUrl}` : `Conversation started: ${outcome.conversationUrl}`)
  if (started.status !== undefined) await see({ status: started.status })
  else await onChange()

  try {
    if (settings.wait) {
      info(`Waiting for it to finish (checking every ${formatDuration(settings.pollIntervalMs)}, for at most ${formatDuration(deadline - clock.now())}).`)
      const pollIntervalMs = settings.pollIntervalMs
      const last = await waitForFinalStatus(protocol, started.id, {
        clock,
        deadline,
        pollIntervalMs,
        policy,
        onConversation: see,
        info,
        debug,
        signal,
        rateBudget
      })
      info(
        `Conversation ended with status ${outcome.status}${outcome.agentState ? ` (agent ${outcome.agentState})` : ''} after ${formatDuration(clock.now() - startedAt)}.`
      )
      // Read before the sandbox is paused, while the step still holds what it reports.
      outcome.finalMessage = await finalMessage(protocol, started.id, { warning, clock, policy })
      if (last.ending?.ok === false) outcome.failure = failureText(last.ending, outcome.conversationUrl)
      else if (settings.releaseSandbox) await release(protocol, known, outcome, { info, warning, onChange, clock, policy })
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
      await stop(protocol, known, outcome, { info, warning, clock, policy })
    }
    throw error
  }
}

/**
 * The message to the thread's earlier conversation, when it can take it; undefined
 * (a new conversation, for the reason logged) when it cannot.
 */
async function followUp(follow: FollowUp, id: string, settings: Settings & { message: string }, startContext: StartContext): Promise<Started | undefined> {
  try {
    const result = await continueConversation(
      follow,
      id,
      { message: settings.message, repository: settings.repository, stopOnCancel: settings.stopOnCancel },
      startContext
    )
    if ('continued' in result) return result.continued
    startContext.info(`Not continued: ${result.fresh}.`)
  } catch (error) {
    if (!isMissingRoute(error)) throw error
    startContext.info(`Not continued: the server has no V1 API, which continuing a conversation needs (${(error as Error).message}).`)
  }
  return undefined
}

/** The agent's last message; a failure to read it costs only the final-message output. */
async function finalMessage(protocol: Protocol, id: string, log: Pick<ConversationContext, 'warning' | 'clock' | 'policy'>): Promise<string | undefined> {
  try {
    // Many jobs finishing together meet the account's request limit: a 429 or a 5xx is worth another try.
    return await withRetries(() => protocol.finalMessage(id, FINAL_MESSAGE_TIMEOUT_MS), { ...log, ...FINAL_MESSAGE_RETRY })
  } catch (error) {
    log.warning(`Could not read the agent's last message: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}

function failureText(ending: Extract<Ending, { ok: false }>, conversationUrl: string | undefined): string {
  return `${ending.reason}: see ${conversationUrl}${ending.advice === undefined ? '' : `. ${ending.advice}`}`
}

/** After the agent finished: free the account's slot, so the next job can start (release-sandbox). */
async function release(
  protocol: Protocol,
  conversation: Known,
  outcome: Outcome,
  log: Pick<ConversationContext, 'info' | 'warning' | 'onChange' | 'clock' | 'policy'>
): Promise<void> {
  const releaseIt = protocol.release?.bind(protocol)
  if (releaseIt === undefined) return
  try {
    // Counting and pausing again is harmless: a 429 or a 5xx is worth another try.
    const released = await withRetries(() => releaseIt(conversation, RELEASE_TIMEOUT_MS), { ...log, ...RELEASE_RETRY })
    if (!released.paused) return log.info(released.why)
    outcome.status = 'STOPPED'
    outcome.runtimeStatus = 'PAUSED'
    log.info(
      "Paused the conversation's sandbox, so the account's slot is free for the next job; resume it from the conversation's page (release-sandbox: false keeps it running)."
    )
    await log.onChange()
  } catch (error) {
    log.warning(
      `The agent finished, but its sandbox could not be paused to free the account's slot: ${error instanceof Error ? error.message : String(error)}. It pauses itself once idle.`
    )
  }
}

const STOPPED_BY: Record<Stopped, string> = {
  'conversation-stopped': 'Conversation stopped.',
  'sandbox-paused': 'Conversation stopped: its sandbox is paused.',
  'agent-paused': 'Conversation stopped: the agent is paused; its sandbox, shared with other conversations, still runs.',
  'already-paused': 'Nothing to stop: OpenHands had already paused the sandbox.'
}

async function stop(
  protocol: Protocol,
  conversation: Known,
  outcome: Outcome,
  log: Pick<ConversationContext, 'info' | 'warning' | 'clock' | 'policy'>
): Promise<void> {
  log.info(`Stopping the conversation, so it does not go on spending credits (stop-on-cancel).`)
  try {
    const stopped = await withRetries(() => protocol.stop(conversation, STOP_TIMEOUT_MS), { ...log, ...STOP_RETRY })
    log.info(STOPPED_BY[stopped])
    // The outputs say so: they must not go on saying RUNNING for a conversation this step stopped.
    if (stopped !== 'already-paused') outcome.stopped = stopped
  } catch (error) {
    log.warning(`Could not stop the conversation ${outcome.conversationUrl}: ${error instanceof Error ? error.message : String(error)}. Stop it by hand.`)
  }
}

function where(settings: Settings): string {
  if (settings.repository === undefined) return 'with no repository'
  return `on ${settings.repository}${settings.branch ? ` (branch ${settings.branch})` : ''}`
}
