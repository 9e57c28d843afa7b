// The step, start to end: settings → trigger (phrase, permission gate) → start →
// (wait) → report. Every failure ends here as one clear message, with the
// outputs, the summary and the thread comment still written.
import * as core from '@actions/core'
import { defaultBackoff, type BackoffPolicy } from './backoff.js'
import { CancelledError } from './cancel.js'
import { type Clock, systemClock } from './clock.js'
import { runConversation } from './conversation.js'
import { explain } from './explain.js'
import type { GitHubRun } from './github/api.js'
import { withContext } from './github/context-block.js'
import { type CommentView, commentFailure, markerFor, ThreadComment } from './github/thread-comment.js'
import { pullRequestBranch } from './github/pr-branch.js'
import { resolveTrigger, type Trigger } from './github/trigger.js'
import { readSettings, type Settings } from './inputs.js'
import { createLog, type Log } from './log.js'
import type { send } from './http/send.js'
import { OpenHandsClient } from './openhands/client.js'
import { protocolFor } from './openhands/protocol.js'
import { type Outcome, outputsOf, pullRequestUrls, summaryOf } from './report.js'

/** What tests replace; the action itself runs with the defaults. */
export interface Dependencies {
  clock?: Clock
  policy?: BackoffPolicy
  send?: typeof send
  connectGitHub?: Parameters<typeof resolveTrigger>[2]
  /** Fires when the step is cancelled; by default SIGINT/SIGTERM from the runner. */
  cancel?: AbortSignal
}

// After a cancel, GitHub kills the job within seconds: the last comment edit gets
// this long, so the outputs and summary are written in time.
const LAST_COMMENT_AFTER_CANCEL_MS = 1500

export async function run(dependencies: Dependencies = {}): Promise<void> {
  const clock = dependencies.clock ?? systemClock
  const startedAt = clock.now()
  // Registered before anything else can print them.
  const apiKey = core.getInput('api-key')
  const githubToken = core.getInput('github-token')
  for (const secret of [apiKey, githubToken]) if (secret !== '') core.setSecret(secret)
  const log = createLog([apiKey, githubToken])
  const signals = dependencies.cancel ? undefined : listenForSignals(log)
  const cancel = dependencies.cancel ?? signals?.signal

  const outcome: Outcome = { elapsedMs: 0, prNumbers: [], prUrls: [] }
  let settings: Settings | undefined
  let comment: ThreadComment | undefined
  let github: GitHubRun | undefined
  const serverUrl = (): string => github?.serverUrl ?? process.env.GITHUB_SERVER_URL ?? 'https://github.com'
  try {
    settings = readSettings(core.getInput)
    outcome.repository = settings.repository
    const trigger = await resolveTrigger(settings, process.env.GITHUB_EVENT_NAME ?? '', dependencies.connectGitHub)
    github = trigger.github
    outcome.triggered = trigger.triggered
    if (!trigger.triggered) {
      outcome.skipped = trigger.reason
      log.notice(`OpenHands was not started. ${trigger.reason}`)
    } else {
      if (trigger.reason) log.info(trigger.reason)
      comment = settings.comment ? await acknowledge(trigger, log) : undefined
      const { event } = trigger
      const message =
        settings.context && event.thread ? withContext(settings.message, event, github?.repository ?? '', settings.triggerPhrase) : settings.message
      const client = new OpenHandsClient({
        baseUrl: settings.baseUrl,
        apiKey: settings.apiKey,
        send: dependencies.send,
        now: clock.now,
        debug: log.debug,
        signal: cancel
      })
      const repository = settings.repository
      const conversationSettings = settings.branch === undefined ? await withPullRequestBranch(settings, trigger, log) : settings
      await runConversation(conversationSettings, message, outcome, {
        protocol: protocolFor(settings.apiVersion, client, log),
        rateBudget: () => client.rateBudget,
        conversationUrl: (id) => client.conversationUrl(id),
        clock,
        policy: dependencies.policy ?? defaultBackoff,
        startedAt,
        signal: cancel,
        ...log,
        showMessage: (text) => log.untrusted('Message', text),
        onChange: async () => {
          outcome.prUrls = pullRequestUrls(serverUrl(), repository, outcome.prNumbers)
          await comment?.show(commentView(outcome, github))
        }
      })
    }
  } catch (error) {
    const stopped = outcome.stopped !== undefined
    const paused = outcome.runtimeStatus === 'PAUSED' && !stopped
    outcome.failure = explain(error, { started: outcome.conversationId !== undefined, settings, lastStatus: outcome.status, stopped, paused })
    if (error instanceof Error && error.stack && !(error instanceof CancelledError)) log.debug(error.stack)
  }
  outcome.elapsedMs = clock.now() - startedAt
  outcome.prUrls = pullRequestUrls(serverUrl(), outcome.repository, outcome.prNumbers)
  const lastComment = comment?.show(commentView(outcome, github, true))
  await (cancel?.aborted ? withinMs(lastComment, LAST_COMMENT_AFTER_CANCEL_MS) : lastComment)
  outcome.commentUrl = comment?.url
  // Bad inputs fail before anything happened: there is nothing to report but the error.
  if (settings !== undefined) {
    for (const [name, value] of Object.entries(outputsOf(outcome))) core.setOutput(name, log.redact(value))
    await writeSummary(summaryOf(outcome), log)
  }
  if (outcome.failure !== undefined) core.setFailed(log.redact(outcome.failure))
  signals?.dispose()
}

/**
 * The runner cancels a step with SIGINT, then SIGTERM, then kills it. The first
 * signal ends the wait cleanly (the conversation is stopped and everything
 * reported); a second one means there is no time left.
 */
function listenForSignals(log: Log): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(1)
    log.info(`Received ${name}: ending the step.`)
    controller.abort(name)
  }
  const names: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']
  for (const name of names) process.on(name, onSignal)
  return { signal: controller.signal, dispose: () => names.forEach((name) => process.off(name, onSignal)) }
}

async function withinMs(work: Promise<void> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

/** Settings with the pull request's branch, when the run belongs to one and `branch` is empty. */
async function withPullRequestBranch(settings: Settings, trigger: Trigger, log: Log): Promise<Settings> {
  const choice = await pullRequestBranch(trigger.event.thread, settings.repository, trigger.github?.api)
  if (choice.note !== undefined) (choice.warn ? log.warning : log.info)(choice.note)
  return choice.branch === undefined ? settings : { ...settings, branch: choice.branch }
}

/** The 👀 reaction and the thread comment, on events tied to an issue or pull request. */
async function acknowledge(trigger: Trigger, log: Log): Promise<ThreadComment | undefined> {
  const { event, github } = trigger
  const thread = event.thread
  if (github === undefined || thread === undefined) return undefined
  if (event.comment !== undefined) {
    await github.api.react(event.comment, 'eyes').catch((error: unknown) => log.warning(commentFailure(error, thread, 'react to the comment on')))
  }
  const marker = markerFor(github.runId, process.env.GITHUB_JOB ?? '', process.env.GITHUB_ACTION ?? '')
  return new ThreadComment(github.api, thread, marker, log.warning, log.redact)
}

function commentView(outcome: Outcome, github: GitHubRun | undefined, done = false): CommentView {
  return {
    conversationUrl: outcome.conversationUrl,
    title: outcome.title,
    status: outcome.status,
    agentState: outcome.agentState,
    prUrls: outcome.prUrls,
    runUrl: github?.runUrl ?? '',
    elapsedMs: done ? outcome.elapsedMs : undefined,
    failure: done ? outcome.failure : undefined
  }
}

async function writeSummary(markdown: string, log: Log): Promise<void> {
  // Outside a runner (or on an old one) there is no summary file: not worth failing for.
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(log.redact(markdown)).write()
  } catch (error) {
    // What a failed write left in core's buffer must not reach a later write.
    core.summary.emptyBuffer()
    log.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`)
  }
}
