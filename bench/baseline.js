// The least a start-only step can do with the toolkit, for bench/startup.js to
// compare the action against: @actions/core for the inputs, the secret and the
// outputs, @actions/http-client for the same two requests (its agent on
// node:http, as the action's requests), and nothing else (no validation, no
// retries, no summary). Run bundled by ncc as dist/ is (see bundleBaseline in
// bench/lib.js), never from source: loading the toolkit's files one by one
// would cost more than the bundle.
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'

const apiKey = core.getInput('api-key')
core.setSecret(apiKey)
const baseUrl = core.getInput('base-url').replace(/\/+$/, '')
const client = new HttpClient('openhands-baseline', [], { headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' } })

/**
 * @param {Promise<import('@actions/http-client').HttpClientResponse>} sent
 * @returns {Promise<any>}
 */
async function json(sent) {
  return JSON.parse(await (await sent).readBody())
}

const body = JSON.stringify({ initial_user_msg: core.getInput('message', { trimWhitespace: false }), repository: core.getInput('repository') })
const started = await json(client.post(`${baseUrl}/api/conversations`, body, { 'Content-Type': 'application/json' }))
const id = String(started.conversation_id)
const conversation = await json(client.get(`${baseUrl}/api/conversations/${encodeURIComponent(id)}`))

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
for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
