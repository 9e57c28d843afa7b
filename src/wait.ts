// Following a started conversation until it, or its agent, reaches a final state,
// or the step's deadline. Passing failures (5xx, dropped connections, time-outs,
// 429) do not end the wait; an answer that can never get better does, and so do
// connections that stop reaching the server for longer than a blip.
import { backoffDelay, type BackoffPolicy, pollDelay, type RateBudget, RereadFailures, UnreachableStreak } from './backoff.js'
import { throwIfCancelled } from './cancel.js'
import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'
import { type ApiError, RateLimitError } from './openhands/errors.js'
import type { Protocol } from './openhands/protocol.js'
import type { Conversation } from './openhands/responses.js'
import { StepTimeoutError, requestTimeout } from './step-timeout.js'

export interface WaitContext {
  clock: Clock
  deadline: number
  pollIntervalMs: number
  policy: BackoffPolicy
  /** Called with every answer, so the caller always holds the latest state; awaited. */
  onConversation: (conversation: Conversation) => void | Promise<void>
  info: (message: string) => void
  debug: (message: string) => void
  signal?: AbortSignal
  /** The account's request budget as last reported, if the server reports it. */
  rateBudget?: () => RateBudget | undefined
}

export async function waitForFinalStatus(protocol: Pick<Protocol, 'read'>, id: string, context: WaitContext): Promise<Conversation> {
  const { clock, deadline, pollIntervalMs, policy, onConversation, info, debug, signal, rateBudget } = context
  let failures = 0
  const rereads = new RereadFailures()
  // The address worked when the conversation started: one that stops taking
  // connections is a server or network that is down, not worth the whole timeout.
  const unreachable = new UnreachableStreak(policy.unreachableMs)
  let delay = firstPollDelay(pollIntervalMs, deadline - clock.now(), policy.random)
  for (;;) {
    if (clock.now() + delay >= deadline) {
      await clock.sleep(Math.max(0, deadline - clock.now()), signal)
      throwIfCancelled(signal)
      throw new StepTimeoutError('Timed out waiting for the conversation to finish.')
    }
    await clock.sleep(delay, signal)
    throwIfCancelled(signal)
    try {
      const conversation = await protocol.read(id, requestTimeout(deadline, clock.now()))
      failures = 0
      rereads.succeeded()
      unreachable.succeeded()
      delay = pollDelay(pollIntervalMs, rateBudget?.())
      if (delay > pollIntervalMs) debug(`The account's request budget is low; next check in ${formatDuration(delay)}.`)
      debug(
        `Polled ${id}: status ${conversation.status}, agent ${conversation.agentState ?? 'unknown'}${conversation.runtimeStatus ? `, runtime ${conversation.runtimeStatus}` : ''}`
      )
      await onConversation(conversation)
      // The protocol knows its version's rules for when the work is over.
      if (conversation.ending !== undefined) return conversation
    } catch (error) {
      throwIfCancelled(signal)
      if (!rereads.tryAgain(error)) throw error
      delay = delayAfter(error, failures, pollIntervalMs, policy)
      unreachable.check(error, clock.now(), clock.now() + delay)
      failures++
      // Once per streak in the log; every one in the debug log.
      const report = failures === 1 ? info : debug
      report(`Could not read the conversation's status (${error.message}); trying again in ${formatDuration(delay)}.`)
    }
  }
}

// The jobs of a matrix start together and would poll together, every interval,
// in the same second, where Cloud's 10 requests a second refuse most of them. So
// the first look comes up to half an interval late, at random, and each job keeps
// a phase of its own (30 jobs polling every 30 s: 2 a second, not 30); never so
// late that the step's time runs out before it. This shifts the job's whole
// schedule: an agent that works longer than that is noticed as soon on average.
const FIRST_POLL_SPREAD = 0.5

export function firstPollDelay(pollIntervalMs: number, leftMs: number, random: () => number): number {
  const spread = Math.floor(random() * pollIntervalMs * FIRST_POLL_SPREAD)
  return pollIntervalMs + Math.max(0, Math.min(spread, leftMs - pollIntervalMs - 1))
}

// A 429 that says when the account's window ends (Cloud's limiter always does)
// is polled again then, spread over a few seconds so that the jobs it refused
// together do not come back together. A refusal by the 10-a-second window costs
// nothing of the minute's 100, and waiting a whole interval for it made a job
// miss its turn, over and over where the finishing bursts of many jobs met. A
// 429 that names no time waits the interval, moved by up to half of it. Other
// failures are retried sooner, but never later than the next poll would have been.
const RETRY_SPREAD_MS = 5000

function delayAfter(error: ApiError, failures: number, pollIntervalMs: number, policy: BackoffPolicy): number {
  if (!(error instanceof RateLimitError)) return Math.min(backoffDelay(failures, error, policy), pollIntervalMs)
  if (error.retryAfterMs !== undefined) return error.retryAfterMs + Math.floor(policy.random() * Math.min(RETRY_SPREAD_MS, pollIntervalMs / 2))
  return Math.max(backoffDelay(failures, error, policy), pollIntervalMs + Math.floor((policy.random() * pollIntervalMs) / 2))
}
