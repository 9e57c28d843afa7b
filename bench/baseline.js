// The least a start-only step can do, for bench/startup.js to compare the action
// against: the same two requests on the same HTTP stack (node:http, the cheapest
// Node has: fetch costs ~3x the CPU on Node 20), the same outputs in the same
// GITHUB_OUTPUT heredoc format, and nothing else (no validation, no retries).
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { request } from 'node:http'
import { EOL } from 'node:os'

const input = (/** @type {string} */ name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim()
const baseUrl = input('base-url').replace(/\/+$/, '')
const headers = { Authorization: `Bearer ${input('api-key')}`, Accept: 'application/json' }

/**
 * @param {string} method
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {string} [body]
 * @returns {Promise<unknown>}
 */
function json(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers }, (answer) => {
      /** @type {Buffer[]} */
      const chunks = []
      answer.on('data', (chunk) => chunks.push(chunk))
      answer.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
      answer.on('error', reject)
    })
    sent.on('error', reject)
    sent.end(body)
  })
}

const body = JSON.stringify({ initial_user_msg: input('message'), repository: input('repository') })
const started = await json('POST', `${baseUrl}/api/conversations`, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }, body)
const { conversation_id: id } = /** @type {{ conversation_id: string }} */ (started)
const read = await json('GET', `${baseUrl}/api/conversations/${encodeURIComponent(id)}`, headers)
const conversation = /** @type {{ status?: string, title?: string, runtime_status?: string }} */ (read)

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
