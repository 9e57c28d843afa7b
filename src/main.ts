// The step, start to end: settings → start → (wait) → report. Every failure
// ends here as one clear message, with the outputs and summary still written.
import * as core from '@actions/core'
import { defaultBackoff, type BackoffPolicy } from './backoff.js'
import { type Clock, systemClock } from './clock.js'
import { formatDuration } from './duration.js'
import { type Phase, explain } from './explain.js'
import { readSettings, type Settings } from './inputs.js'
import { OpenHandsClient } from './openhands/client.js'
import type { Conversation } from './openhands/responses.js'
import { redactor } from './redact.js'
import { type Outcome, outputsOf, summaryOf } from './report.js'
import { startConversation } from './start.js'
import { requestTimeout } from './step-timeout.js'
import { waitForFinalStatus } from './wait.js'

/** What tests replace; the action itself runs with the defaults. */
export interface Dependencies {
  clock?: Clock
  policy?: BackoffPolicy
  fetch?: typeof fetch
}

export async function run(dependencies: Dependencies = {}): Promise<void> {
  const clock = dependencies.clock ?? systemClock
  const startedAt = clock.now()
  // Registered before anything else can print it.
  const apiKey = core.getInput('api-key')
  if (apiKey !== '') core.setSecret(apiKey)
  const redact = redactor(apiKey)
  const log = {
    info: (message: string) => core.info(redact(message)),
    debug: (message: string) => core.debug(redact(message))
  }

  const outcome: Outcome = { elapsedMs: 0 }
  let phase: Phase = 'inputs'
  let settings: Settings | undefined
  try {
    settings = readSettings(core.getInput)
    outcome.repository = settings.repository
    const client = new OpenHandsClient({ baseUrl: settings.baseUrl, apiKey: settings.apiKey, fetch: dependencies.fetch, now: clock.now, debug: log.debug })
    const deadline = startedAt + settings.timeoutMs
    const policy = dependencies.policy ?? defaultBackoff
    const see = (conversation: Pick<Conversation, 'status' | 'title'>): void => {
      if (conversation.status !== outcome.status) log.info(`Status: ${conversation.status}`)
      outcome.status = conversation.status
      outcome.title = conversation.title ?? outcome.title
    }

    phase = 'start'
    log.info(`Starting an OpenHands conversation ${where(settings)} at ${settings.baseUrl}`)
    core.startGroup('Message')
    log.info(settings.message)
    core.endGroup()
    const started = await startConversation(client, settings, { clock, deadline, policy, info: log.info })
    outcome.conversationId = started.id
    outcome.conversationUrl = client.conversationUrl(started.id)
    log.info(`Conversation started: ${outcome.conversationUrl}`)

    phase = 'wait'
    if (started.status !== undefined) see({ status: started.status })
    if (settings.wait) {
      log.info(`Waiting for it to finish (checking every ${formatDuration(settings.pollIntervalMs)}, for at most ${formatDuration(deadline - clock.now())}).`)
      await waitForFinalStatus(client, started.id, { clock, deadline, pollIntervalMs: settings.pollIntervalMs, policy, onConversation: see, ...log })
      log.info(`Conversation ended with status ${outcome.status} after ${formatDuration(clock.now() - startedAt)}.`)
    } else if (started.status === undefined) {
      // The vendor's documented answer has no status: ask once, and let a failure
      // here cost only the status output, never the started conversation.
      try {
        see(await client.getConversation(started.id, requestTimeout(deadline, clock.now())))
      } catch (error) {
        core.warning(redact(`Started, but could not read the conversation's status: ${error instanceof Error ? error.message : String(error)}`))
      }
    }
    if (outcome.status === 'ERROR') outcome.failure = `The conversation ended with status ERROR: see ${outcome.conversationUrl}`
  } catch (error) {
    outcome.failure = explain(error, { phase, settings, lastStatus: outcome.status })
    if (error instanceof Error && error.stack) log.debug(error.stack)
  }
  outcome.elapsedMs = clock.now() - startedAt
  if (phase !== 'inputs') await report(outcome, redact)
  if (outcome.failure !== undefined) core.setFailed(redact(outcome.failure))
}

function where(settings: Settings): string {
  if (settings.repository === undefined) return 'with no repository'
  return `on ${settings.repository}${settings.branch ? ` (branch ${settings.branch})` : ''}`
}

async function report(outcome: Outcome, redact: (text: string) => string): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(outcome))) core.setOutput(name, redact(value))
  // Outside a runner (or on an old one) there is no summary file: not worth failing for.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(redact(summaryOf(outcome))).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`)
  }
}
