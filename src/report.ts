// What the step hands back: its outputs and a job summary, both built from one
// Outcome by pure functions.
import { formatDuration } from './duration.js'
import { type Markdown, type Secrets, type SummaryText, forSummary, joinMarkdown, markdownTable, md, secrets, trusted } from './outside-text.js'
import type { Stopped } from './openhands/protocol.js'
import type { Metrics } from './openhands/responses.js'
import { continuedLine, finalMessageDetails, metricsRows } from './result-markdown.js'

export interface Outcome {
  conversationId?: string
  conversationUrl?: string
  /** The last status seen. */
  status?: string
  /** The agent's last state seen, where the server tells it. */
  agentState?: string
  runtimeStatus?: string
  title?: string
  repository?: string
  /** Pull requests the agent opened, as the API reports them. */
  prNumbers: number[]
  /** Whether the trigger phrase and the permission gate let the run go ahead. */
  triggered?: boolean
  /** Why no conversation was started, when the run was not triggered. */
  skipped?: string
  commentUrl?: string
  /** Links built from prNumbers, for the outputs, the summary and the comment. */
  prUrls: string[]
  /** How the step stopped the conversation (cancelled, or out of time); the statuses are the last seen before. */
  stopped?: Exclude<Stopped, 'already-paused'>
  elapsedMs: number
  /** Set when the step failed, with the message it failed with. */
  failure?: string
  /** The agent's last message, read once the wait was over. */
  finalMessage?: string
  /** What the conversation cost, as last read. */
  metrics?: Metrics
  /** Something the person should know about the run (a fork the agent cannot push to). */
  note?: string
  /** The message went to the thread's earlier conversation (follow-up), not to a new one. */
  continued?: boolean
}

/** The statuses as they are once the step is over: a conversation it stopped no longer runs. */
function finalStatuses({ status, agentState, runtimeStatus, stopped }: Outcome): Pick<Outcome, 'status' | 'agentState' | 'runtimeStatus'> {
  if (stopped === undefined) return { status, agentState, runtimeStatus }
  return {
    status: 'STOPPED',
    agentState: stopped === 'agent-paused' ? 'paused' : agentState,
    runtimeStatus: stopped === 'sandbox-paused' ? 'PAUSED' : runtimeStatus
  }
}

export function outputsOf(outcome: Outcome): Record<string, string> {
  const { status, agentState, runtimeStatus } = finalStatuses(outcome)
  return {
    'conversation-id': outcome.conversationId ?? '',
    'conversation-url': outcome.conversationUrl ?? '',
    status: status ?? '',
    'agent-state': agentState ?? '',
    'runtime-status': runtimeStatus ?? '',
    title: outcome.title ?? '',
    'pr-urls': outcome.prUrls.join('\n'),
    triggered: outcome.triggered === undefined ? '' : String(outcome.triggered),
    continued: String(outcome.continued === true),
    'comment-url': outcome.commentUrl ?? '',
    'final-message': outcome.finalMessage ?? '',
    cost: outcome.metrics?.cost ?? '',
    'prompt-tokens': outcome.metrics?.promptTokens === undefined ? '' : String(outcome.metrics.promptTokens),
    'completion-tokens': outcome.metrics?.completionTokens === undefined ? '' : String(outcome.metrics.completionTokens)
  }
}

/** The job summary: the action's own table, with every value from outside escaped and the whole cut to GitHub's limit. */
export function summaryOf(outcome: Outcome, using: Secrets = secrets): SummaryText {
  return forSummary(summaryMarkdown(outcome), using)
}

function summaryMarkdown(outcome: Outcome): Markdown {
  const heading = trusted('### OpenHands conversation\n\n')
  if (outcome.skipped !== undefined) return md`${heading}Not started: ${outcome.skipped}\n`
  const conversation =
    outcome.conversationId && outcome.conversationUrl
      ? md`[${outcome.title ?? outcome.conversationId}](${trusted(outcome.conversationUrl)})`
      : trusted('_not started_')
  const { status, agentState } = finalStatuses(outcome)
  const rows: Array<[string, Markdown]> = [
    ['Conversation', conversation],
    // The repository input is checked to be owner/name: nothing in it is Markdown.
    ['Repository', outcome.repository ? trusted(`\`${outcome.repository}\``) : trusted('_none_')],
    ['Status', md`${status ? md`${status}` : trusted('_unknown_')}${trusted(outcome.stopped ? ' (stopped by this step)' : '')}`],
    ...(agentState ? [['Agent', md`${agentState}`] as [string, Markdown]] : []),
    ...(outcome.prUrls.length > 0 ? [['Pull requests', trusted(outcome.prUrls.join('<br>'))] as [string, Markdown]] : []),
    ...metricsRows(outcome.metrics),
    ['Time', trusted(formatDuration(outcome.elapsedMs))]
  ]
  const note = outcome.note ? md`\n\n${outcome.note}` : trusted('')
  const failure = outcome.failure ? md`\n\n**Failed:** ${outcome.failure}` : trusted('')
  return joinMarkdown(
    [heading, continuedLine(outcome.continued), markdownTable(rows), note, failure, finalMessageDetails(outcome.finalMessage), trusted('\n')],
    ''
  )
}

/** GitHub links for the pull requests the agent opened on the repository. */
export function pullRequestUrls(serverUrl: string, repository: string | undefined, numbers: readonly number[]): string[] {
  return repository === undefined ? [] : numbers.map((n) => `${serverUrl}/${repository}/pull/${n}`)
}
