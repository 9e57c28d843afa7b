// Starting a conversation, retried only when the server provably created nothing:
// one step must never start two conversations. On V1 the start request gives a
// task, followed here until it names the conversation.
import { backoffDelay, type BackoffPolicy, RereadFailures, UnreachableStreak } from './backoff.js'
import { throwIfCancelled } from './cancel.js'
import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'
import type { StartRequest } from './openhands/client.js'
import { ApiError, NetworkError, ProtocolError, RateLimitError, ServerError, StartTaskError } from './openhands/errors.js'
import type { Posted, Protocol } from './openhands/protocol.js'
import type { StartedConversation, StartTask } from './openhands/responses.js'
import { StepTimeoutError, requestTimeout } from './step-timeout.js'

export interface StartContext {
  clock: Clock
  deadline: number
  policy: BackoffPolicy
  /** Told why the step waits, so the log explains the pause. */
  info: (message: string) => void
  debug: (message: string) => void
  signal?: AbortSignal
}

export interface Started extends StartedConversation {
  sandboxId?: string
}

// A warm start is ready within a second, a cold one (a new sandbox, a large
// repository) takes tens of seconds: look early, then back off to the 5 s the
// vendor's own example polls at, as every job of the account shares its request budget.
const TASK_FIRST_LOOK_MS = 250
const TASK_POLL_MAX_MS = 5000

/** The wait before the (n+1)-th look at a start task: 250 ms, 500 ms, 1 s, 2 s, 4 s, then every 5 s. */
export function taskPollDelay(looks: number): number {
  return Math.min(TASK_POLL_MAX_MS, TASK_FIRST_LOOK_MS * 2 ** Math.min(looks, 10))
}

export async function startConversation(protocol: Pick<Protocol, 'post' | 'readTask'>, request: StartRequest, context: StartContext): Promise<Started> {
  const posted = await post(protocol, request, context)
  return 'conversation' in posted ? posted.conversation : followTask(protocol, posted.task, context)
}

async function post(protocol: Pick<Protocol, 'post'>, request: StartRequest, context: StartContext): Promise<Posted> {
  return persist((timeoutMs) => protocol.post(request, timeoutMs), 'the conversation could be started', context)
}

/**
 * One request, tried again for as long as the step has time when the server
 * provably did nothing (a 429, a connection never made) — and, with
 * `alsoServerErrors`, after a 5xx, for requests that are safe to repeat.
 */
export async function persist<T>(call: (timeoutMs: number) => Promise<T>, what: string, context: StartContext, alsoServerErrors = false): Promise<T> {
  const { clock, deadline, policy, info, signal } = context
  const unreachable = new UnreachableStreak(policy.unreachableMs)
  for (let failures = 0; ; failures++) {
    throwIfCancelled(signal)
    const now = clock.now()
    if (now >= deadline) throw new StepTimeoutError(`Timed out before ${what}.`)
    try {
      return await call(requestTimeout(deadline, now))
    } catch (error) {
      throwIfCancelled(signal)
      if (!createdNothing(error) && !(alsoServerErrors && error instanceof ServerError)) throw error
      const delay = backoffDelay(failures, error, policy)
      unreachable.check(error, clock.now(), clock.now() + delay)
      if (clock.now() + delay >= deadline) {
        throw new StepTimeoutError(`Timed out before ${what}; the last try: ${error.message}`, error)
      }
      info(`${whyWaiting(error)}; trying again in ${formatDuration(delay)}.`)
      await clock.sleep(delay, signal)
    }
  }
}

async function followTask(protocol: Pick<Protocol, 'readTask'>, first: StartTask, context: StartContext): Promise<Started> {
  const { clock, deadline, policy, debug, signal } = context
  let task = first
  let failures = 0
  let looks = 0
  let lastError: ApiError | undefined
  const rereads = new RereadFailures()
  const unreachable = new UnreachableStreak(policy.unreachableMs)
  for (; ; looks++) {
    debug(`Start task ${task.id}: ${task.status}`)
    if (task.status === 'READY') {
      if (task.conversationId === undefined) throw new ProtocolError(`the start task ${task.id} is READY but names no conversation`)
      return { id: task.conversationId, sandboxId: task.sandboxId }
    }
    if (task.status === 'ERROR') {
      throw new StartTaskError(`OpenHands could not start the conversation: ${task.detail ?? 'the start task ended in ERROR'}`, undefined, task.detail)
    }
    const delay = failures === 0 ? taskPollDelay(looks) : backoffDelay(failures - 1, lastError, policy)
    if (failures > 0) unreachable.check(lastError, clock.now(), clock.now() + delay)
    if (clock.now() + delay >= deadline) throw new StepTimeoutError(`Timed out while OpenHands was preparing the conversation (stage ${task.status}).`)
    await clock.sleep(delay, signal)
    throwIfCancelled(signal)
    try {
      task = await protocol.readTask(task.id, requestTimeout(deadline, clock.now()))
      failures = 0
      rereads.succeeded()
      unreachable.succeeded()
    } catch (error) {
      throwIfCancelled(signal)
      if (!rereads.tryAgain(error)) throw error
      failures++
      lastError = error
      debug(`Could not read the start task (${error.message}); trying again.`)
    }
  }
}

function createdNothing(error: unknown): error is RateLimitError | NetworkError {
  return error instanceof RateLimitError || (error instanceof NetworkError && !error.requestSent)
}

function whyWaiting(error: RateLimitError | NetworkError | ServerError): string {
  if (error instanceof NetworkError) return `Could not connect to OpenHands (${error.message})`
  if (error instanceof ServerError) return `OpenHands failed (${error.message})`
  const said = error.serverMessage ? ` ("${error.serverMessage}")` : ''
  if (error.concurrency !== undefined) {
    const { limit, current } = error.concurrency
    const counts = limit === undefined ? '' : ` of ${limit}${current === undefined ? '' : ` (${current} running)`}`
    return `The account is at its limit${counts} running sandboxes${said}: waiting for one to finish or pause`
  }
  // Only the request-rate limiter says when to come back.
  if (error.retryAfterMs !== undefined) return `OpenHands refused the request: too many requests from this account${said}`
  return `OpenHands is at its limit${said}: the account may already run as many conversations as it may, or has sent too many requests`
}
