// What the step hands back: its outputs and a job summary, both built from one
// Outcome by pure functions.
import { formatDuration } from './duration.js'
import { markdownCell, markdownTable } from './markdown.js'

export interface Outcome {
  conversationId?: string
  conversationUrl?: string
  /** The last status seen. */
  status?: string
  title?: string
  repository?: string
  /** Pull requests the agent opened, as the API reports them. */
  prNumbers: number[]
  /** Whether the trigger phrase and the permission gate let the run go ahead. */
  triggered?: boolean
  /** Why no conversation was started, when the run was not triggered. */
  skipped?: string
  commentUrl?: string
  elapsedMs: number
  /** Set when the step failed, with the message it failed with. */
  failure?: string
}

export function outputsOf(outcome: Outcome): Record<string, string> {
  return {
    'conversation-id': outcome.conversationId ?? '',
    'conversation-url': outcome.conversationUrl ?? '',
    status: outcome.status ?? '',
    triggered: outcome.triggered === undefined ? '' : String(outcome.triggered),
    'comment-url': outcome.commentUrl ?? ''
  }
}

export function summaryOf(outcome: Outcome): string {
  const conversation =
    outcome.conversationId && outcome.conversationUrl
      ? `[${markdownCell(outcome.title ?? outcome.conversationId)}](${outcome.conversationUrl})`
      : '_not started_'
  const rows: Array<[string, string]> = [
    ['Conversation', conversation],
    ['Repository', outcome.repository ? `\`${outcome.repository}\`` : '_none_'],
    ['Status', outcome.status ? markdownCell(outcome.status) : '_unknown_'],
    ['Time', formatDuration(outcome.elapsedMs)]
  ]
  if (outcome.skipped !== undefined) return `### OpenHands conversation\n\nNot started: ${markdownCell(outcome.skipped)}\n`
  const lines = ['### OpenHands conversation', '', ...markdownTable(rows)]
  if (outcome.failure) lines.push('', `**Failed:** ${markdownCell(outcome.failure)}`)
  return `${lines.join('\n')}\n`
}
