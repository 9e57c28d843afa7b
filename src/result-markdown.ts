// What the agent handed back, as the summary and the thread comment both show
// it: the cost and the tokens as table rows, the last message collapsed, and
// whether the message continued an earlier conversation.
import { type Markdown, md, outsideLines, trusted } from './outside-text.js'
import type { Metrics } from './openhands/responses.js'

export function metricsRows(metrics: Metrics | undefined): Array<[string, Markdown]> {
  if (metrics === undefined) return []
  const rows: Array<[string, Markdown]> = []
  // OpenHands counts the cost in US dollars.
  if (metrics.cost !== undefined) rows.push(['Cost', md`$${metrics.cost}`])
  const { promptTokens, completionTokens } = metrics
  if (promptTokens !== undefined || completionTokens !== undefined) {
    rows.push(['Tokens', trusted(`${promptTokens ?? '?'} prompt, ${completionTokens ?? '?'} completion`)])
  }
  return rows
}

/** The agent's last message, collapsed: plain text, never HTML, never a mention. */
export function finalMessageDetails(message: string | undefined): Markdown {
  if (message === undefined || message.trim() === '') return trusted('')
  return md`\n\n<details><summary>The agent's last message</summary>\n\n${outsideLines(message)}\n\n</details>`
}

/** Said above the table when the message continued the thread's conversation. */
export function continuedLine(continued: boolean | undefined): Markdown {
  return trusted(continued ? "Continued the thread's earlier conversation with the new message.\n\n" : '')
}
