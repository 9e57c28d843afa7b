// Real webhook payloads, from GitHub's own examples (@octokit/webhooks-examples),
// so tests read what the runner really puts in GITHUB_EVENT_PATH.
import { createRequire } from 'node:module'

interface EventExamples {
  name: string
  examples: Array<Record<string, unknown>>
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as EventExamples[]

/** The first example of `event` whose `action` is `action` (any, when omitted). */
export function payload(event: string, action?: string): Record<string, unknown> {
  const found = examples.find((e) => e.name === event)?.examples.find((example) => action === undefined || example.action === action)
  if (found === undefined) throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''} payload`)
  return structuredClone(found)
}

// A scheduled run's event file holds only the cron line; there is no webhook for it.
export const schedulePayload = { schedule: '0 3 * * *' }
