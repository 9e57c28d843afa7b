// What the step hands back: its outputs and a job summary, both built from one
// Outcome by pure functions.
import { formatDuration } from './duration.js'
import { markdownCell, markdownTable } from './markdown.js'
import type { Stopped } from './openhands/protocol.js'

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
    'comment-url': outcome.commentUrl ?? ''
  }
}

export function summaryOf(outcome: Outcome): string {
  const conversation =
    outcome.conversationId && outcome.conversationUrl
      ? `[${markdownCell(outcome.title ?? outcome.conversationId)}](${outcome.conversationUrl})`
      : '_not started_'
  const { status, agentState } = finalStatuses(outcome)
  const rows: Array<[string, string]> = [
    ['Conversation', conversation],
    ['Repository', outcome.repository ? `\`${outcome.repository}\`` : '_none_'],
    ['Status', (status ? markdownCell(status) : '_unknown_') + (outcome.stopped ? ' (stopped by this step)' : '')],
    ...(agentState ? [['Agent', markdownCell(agentState)] as [string, string]] : []),
    ...(outcome.prUrls.length > 0 ? [['Pull requests', outcome.prUrls.join('<br>')] as [string, string]] : []),
    ['Time', formatDuration(outcome.elapsedMs)]
  ]
  if (outcome.skipped !== undefined) return `### OpenHands conversation\n\nNot started: ${markdownCell(outcome.skipped)}\n`
  const lines = ['### OpenHands conversation', '', ...markdownTable(rows)]
  if (outcome.failure) lines.push('', `**Failed:** ${markdownCell(outcome.failure)}`)
  return `${lines.join('\n')}\n`
}

/** GitHub links for the pull requests the agent opened on the repository. */
export function pullRequestUrls(serverUrl: string, repository: string | undefined, numbers: readonly number[]): string[] {
  return repository === undefined ? [] : numbers.map((n) => `${serverUrl}/${repository}/pull/${n}`)
}
