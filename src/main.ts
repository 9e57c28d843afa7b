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
import { newestConversation, OurComments } from './github/our-comments.js'
import { type CommentView, commentFailure, markerFor, ThreadComment } from './github/thread-comment.js'
import { type BranchChoice, pullRequestBranch } from './github/pr-branch.js'
import { readReviewComments } from './github/review-context.js'
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
    const deadline = startedAt + settings.timeoutMs
    const trigger = await resolveTrigger(settings, process.env.GITHUB_EVENT_NAME ?? '', dependencies.connectGitHub, { deadline, now: clock.now })
    github = trigger.github
    outcome.triggered = trigger.triggered
    if (!trigger.triggered) {
      outcome.skipped = trigger.reason
      log.notice(`OpenHands was not started. ${trigger.reason}`)
    } else {
      if (trigger.reason) log.info(trigger.reason)
      const ours = trigger.github && trigger.event.thread ? new OurComments(trigger.github.api, trigger.event.thread.number) : undefined
      comment = settings.comment ? await acknowledge(trigger, ours, log) : undefined
      const earlier = settings.followUp === 'auto' && ours ? await earlierConversation(ours, settings.baseUrl, settings.comment, log) : undefined
      const pullRequest = settings.branch === undefined ? await choosePullRequestBranch(settings, trigger, log) : {}
      outcome.note = pullRequest.fork?.note
      const conversationSettings = pullRequest.branch === undefined ? settings : { ...settings, branch: pullRequest.branch }
      const message = settings.context && trigger.event.thread ? await withEventContext(settings, trigger, pullRequest, log) : settings.message
      const client = new OpenHandsClient({
        baseUrl: settings.baseUrl,
        apiKey: settings.apiKey,
        send: dependencies.send,
        now: clock.now,
        debug: log.debug,
        secret: log.secret,
        signal: cancel
      })
      const repository = settings.repository
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
        earlier,
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
    for (const [name, value] of Object.entries(outputsOf(outcome))) log.output(name, value)
    await log.summary(summaryOf(outcome))
  }
  if (outcome.failure !== undefined) log.fail(outcome.failure)
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

/** The pull request's branch, for a run that belongs to one with `branch` empty; a fork's pull request is a notice. */
async function choosePullRequestBranch(settings: Settings, trigger: Trigger, log: Log): Promise<BranchChoice> {
  const choice = await pullRequestBranch(trigger.event.thread, settings.repository, trigger.github?.api, trigger.github?.repository)
  if (choice.note !== undefined) (choice.fork ? log.notice : choice.warn ? log.warning : log.info)(choice.note)
  return choice
}

/** The message with the context block, including the review comments it quotes, read from GitHub. */
async function withEventContext(settings: Settings, trigger: Trigger, pullRequest: BranchChoice, log: Log): Promise<string> {
  const { event, github } = trigger
  const reviewComments = await readReviewComments(event, github?.api, log.warning)
  return withContext(settings.message, event, github?.repository ?? '', settings.triggerPhrase, { fork: pullRequest.fork, reviewComments })
}

/** The 👀 reaction and the thread comment, on events tied to an issue or pull request. */
async function acknowledge(trigger: Trigger, ours: OurComments | undefined, log: Log): Promise<ThreadComment | undefined> {
  const { event, github } = trigger
  const thread = event.thread
  if (github === undefined || thread === undefined || ours === undefined) return undefined
  if (event.comment !== undefined) {
    await github.api.react(event.comment, 'eyes').catch((error: unknown) => log.warning(commentFailure(error, thread, 'react to the comment on')))
  }
  const marker = markerFor(github.runId, process.env.GITHUB_JOB ?? '', process.env.GITHUB_ACTION ?? '')
  return new ThreadComment(github.api, thread, marker, log.warning, ours)
}

/**
 * The conversation the thread's status comments name. A failure to read them
 * costs only the follow-up; when the status comment is on, its own warning tells
 * the same failure, so this one is only logged.
 */
async function earlierConversation(ours: OurComments, baseUrl: string, commenting: boolean, log: Log): Promise<string | undefined> {
  try {
    return newestConversation(await ours.all(), baseUrl)
  } catch (error) {
    const why = `Could not read the thread's comments to find its earlier conversation, so a new one is started: ${error instanceof Error ? error.message : String(error)}`
    ;(commenting ? log.info : log.warning)(why)
    return undefined
  }
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
    failure: done ? outcome.failure : undefined,
    finalMessage: done ? outcome.finalMessage : undefined,
    metrics: outcome.metrics,
    note: outcome.note,
    continued: outcome.continued
  }
}
