// The least a start-only step can do, for bench/startup.js to compare the action
// against: the same two requests with fetch, the same outputs in the same
// GITHUB_OUTPUT heredoc format, and nothing else (no validation, no retries).
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'

const input = (/** @type {string} */ name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim()
const baseUrl = input('base-url').replace(/\/+$/, '')
const headers = { Authorization: `Bearer ${input('api-key')}`, Accept: 'application/json' }

const started = await fetch(`${baseUrl}/api/conversations`, {
  method: 'POST',
  headers: { ...headers, 'Content-Type': 'application/json' },
  body: JSON.stringify({ initial_user_msg: input('message'), repository: input('repository') })
})
const { conversation_id: id } = /** @type {{ conversation_id: string }} */ (await started.json())
const read = await fetch(`${baseUrl}/api/conversations/${encodeURIComponent(id)}`, { headers })
const conversation = /** @type {{ status?: string, title?: string, runtime_status?: string }} */ (await read.json())

/** @type {Record<string, string>} */
const outputs = {
  'conversation-id': id,
  'conversation-url': `${baseUrl}/conversations/${id}`,
  status: conversation.status ?? '',
  'agent-state': '',
  'runtime-status': conversation.runtime_status ?? '',
  title: conversation.title ?? '',
  'pr-urls': '',
  triggered: 'true',
  'comment-url': ''
}
const file = process.env.GITHUB_OUTPUT
if (file) {
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `ghadelimiter_${randomUUID()}`
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
  }
}
