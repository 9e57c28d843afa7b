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

/** Every example of `event` whose `action` is `action`: GitHub's payloads have grown fields over the years. */
export function payloads(event: string, action?: string): Array<Record<string, unknown>> {
  const found = examples.find((e) => e.name === event)?.examples.filter((example) => action === undefined || example.action === action) ?? []
  if (found.length === 0) throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''} payload`)
  return found.map((example) => structuredClone(example))
}

// A scheduled run's event file holds only the cron line; there is no webhook for it.
export const schedulePayload = { schedule: '0 3 * * *' }

// The parts of a real webhook payload that tests change, typed loosely so a test
// can set any of them to any value.
export interface HookUser {
  login: unknown
  type: unknown
}
export interface HookItem {
  number: unknown
  title: unknown
  body: unknown
  html_url: unknown
  user: HookUser
  pull_request?: unknown
}
export interface HookPosted {
  id: unknown
  body: unknown
  html_url: unknown
  // Left open so a test can make it missing or malformed.
  user: unknown
}
export type Hook = Record<string, unknown> & { sender: HookUser; issue: HookItem; pull_request: HookItem; comment: HookPosted; review: HookPosted }

/** A real payload, typed for changing its fields. */
export const hook = (event: string, action?: string): Hook => payload(event, action) as Hook
