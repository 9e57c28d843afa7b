// What the step hands back: its outputs and a job summary, both built from one
// Outcome by pure functions.
import { formatDuration } from './duration.js'

export interface Outcome {
  conversationId?: string
  conversationUrl?: string
  /** The last status seen. */
  status?: string
  title?: string
  repository?: string
  elapsedMs: number
  /** Set when the step failed, with the message it failed with. */
  failure?: string
}

export function outputsOf(outcome: Outcome): Record<string, string> {
  return {
    'conversation-id': outcome.conversationId ?? '',
    'conversation-url': outcome.conversationUrl ?? '',
    status: outcome.status ?? ''
  }
}

export function summaryOf(outcome: Outcome): string {
  const conversation =
    outcome.conversationId && outcome.conversationUrl
      ? `[${escape(outcome.title ?? outcome.conversationId)}](${outcome.conversationUrl})`
      : '_not started_'
  const rows = [
    ['Conversation', conversation],
    ['Repository', outcome.repository ? `\`${outcome.repository}\`` : '_none_'],
    ['Status', outcome.status ? escape(outcome.status) : '_unknown_'],
    ['Time', formatDuration(outcome.elapsedMs)]
  ]
  const lines = ['### OpenHands conversation', '', '| | |', '| --- | --- |', ...rows.map(([name, value]) => `| ${name} | ${value} |`)]
  if (outcome.failure) lines.push('', `**Failed:** ${escape(outcome.failure)}`)
  return `${lines.join('\n')}\n`
}

// Server text (titles, error messages) must not break the table or inject markup.
function escape(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\|[\]*_`])/g, '\\$1')
}
