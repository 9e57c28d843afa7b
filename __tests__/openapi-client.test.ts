// Every V1 request OpenHandsClient can send conforms to the vendor's OpenAPI
// document (as patched in helpers/openapi-patches.ts). A new V1 client method
// needs one row in CALLS; the coverage test fails until it has one.
import { describe, expect, it } from '@jest/globals'
import { AnswerHeaders, type HttpAnswer, type HttpRequest } from '../src/http/send.js'
import { OpenHandsClient } from '../src/openhands/client.js'
import { checkRequest, checkResponse, outOfScope } from './helpers/openapi.js'

const BASE = 'https://app.all-hands.dev'
const T = 5000
const TASK_ID = '3b8e6f1a2c9d4e7f8a0b5c6d7e9f1a2b'
const CONVERSATION_ID = '7d2f9b4c1e8a4f6db3c05e9a2f71c8d4'
const SANDBOX_ID = '5Vq2XnK8pLr3TbW9yHc4Jd'
const START_REQUEST_ECHO = { initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix it' }], run: true }, pr_number: [], agent_type: 'default' }

const START_TASK = {
  id: TASK_ID,
  created_by_user_id: 'b7e2c4a1-5d3f-4e8a-9c6b-0f1e2d3c4b5a',
  status: 'READY',
  detail: null,
  app_conversation_id: CONVERSATION_ID,
  sandbox_id: SANDBOX_ID,
  agent_server_url: `https://${SANDBOX_ID}.prod-runtime.all-hands.dev`,
  request: START_REQUEST_ECHO,
  created_at: '2026-08-21T09:31:05.204771Z',
  updated_at: '2026-08-21T09:31:48.930114Z'
}

const CONVERSATION = {
  id: CONVERSATION_ID,
  created_by_user_id: 'b7e2c4a1-5d3f-4e8a-9c6b-0f1e2d3c4b5a',
  sandbox_id: SANDBOX_ID,
  selected_repository: 'owner/repo',
  selected_branch: null,
  title: 'Fix it',
  trigger: 'openhands_api',
  pr_number: [],
  metrics: null,
  created_at: '2026-08-21T09:31:48.930114Z',
  updated_at: '2026-08-21T09:44:02.117845Z',
  sandbox_status: 'RUNNING',
  execution_status: 'finished',
  conversation_url: null,
  session_api_key: null,
  acp_server: null,
  launched_agent_profile: null
}

const AGENT_MESSAGE = {
  id: '01K2Z8Q4M9TB5V3N7XJ6R0WCYD',
  timestamp: '2026-08-21T09:44:01.512306Z',
  source: 'agent',
  llm_message: { role: 'assistant', content: [{ type: 'text', text: 'Fixed the typo.' }] },
  llm_response_id: 'chatcmpl-0123456789abcdef',
  activated_skills: [],
  extended_content: [],
  sender: null,
  kind: 'MessageEvent'
}

interface Call {
  /** The client method the row calls: the coverage test reads it. */
  method: keyof OpenHandsClient
  name: string
  call: (client: OpenHandsClient) => Promise<unknown>
  /** A conforming answer for the client to read. */
  answer: unknown
  /** Why the request is not the Cloud document's to check (it goes elsewhere), if it is not. */
  outside?: string
}

// One row per V1 request the client can make.
const CALLS: Call[] = [
  {
    method: 'startTask',
    name: 'with repository and branch',
    call: (c) => c.startTask({ message: 'Fix it', repository: 'owner/repo', branch: 'main' }, T),
    answer: { ...START_TASK, status: 'WORKING', app_conversation_id: null, sandbox_id: null, agent_server_url: null }
  },
  {
    method: 'startTask',
    name: 'with repository only',
    call: (c) => c.startTask({ message: 'Fix it', repository: 'owner/repo' }, T),
    answer: { ...START_TASK, status: 'WORKING' }
  },
  {
    method: 'startTask',
    name: 'without repository or branch',
    call: (c) => c.startTask({ message: 'Fix it' }, T),
    answer: { ...START_TASK, status: 'WORKING' }
  },
  { method: 'getStartTask', name: 'by its id', call: (c) => c.getStartTask(TASK_ID, T), answer: [START_TASK] },
  { method: 'getConversationV1', name: 'by its id', call: (c) => c.getConversationV1(CONVERSATION_ID, T), answer: [CONVERSATION] },
  { method: 'pauseSandbox', name: 'by its id', call: (c) => c.pauseSandbox(SANDBOX_ID, T), answer: { success: true } },
  { method: 'resumeSandbox', name: 'by its id', call: (c) => c.resumeSandbox(SANDBOX_ID, T), answer: { success: true } },
  {
    method: 'sendMessage',
    name: 'a follow-up that runs the agent',
    call: (c) => c.sendMessage(CONVERSATION_ID, 'Also add a regression test', T),
    answer: { success: true, sandbox_status: 'RUNNING', message: null }
  },
  { method: 'countInSandbox', name: 'by sandbox id', call: (c) => c.countInSandbox(SANDBOX_ID, T), answer: 1 },
  { method: 'agentTurn', name: 'by conversation id', call: (c) => c.agentTurn(CONVERSATION_ID, T), answer: { items: [AGENT_MESSAGE], next_page_id: null } },
  {
    method: 'pauseAgent',
    name: "through the sandbox's agent server",
    // The simulator serves the agent server under /agent/{sandbox}; Cloud, on the sandbox's own host.
    call: (c) => c.pauseAgent({ conversationUrl: `${BASE}/agent/${SANDBOX_ID}/api/conversations/${CONVERSATION_ID}`, sessionApiKey: 'sess-0123456789' }, T),
    answer: { success: true },
    outside: "the agent server's API, which the Cloud document does not describe"
  }
]

// Client methods that are not V1 requests (V0 routes are outside the Cloud document).
// Private helpers are on the prototype too: list them here, not in CALLS.
const NOT_V1 = new Set([
  'constructor',
  'conversationUrl',
  'startConversation',
  'getConversation',
  'getAgentState',
  'stopConversation',
  'request',
  'exchange',
  'httpError'
])

/** Runs one row against a fake send that records the request and gives the row's answer. */
async function sent(row: Call): Promise<{ request: HttpRequest; path: string; query: string }> {
  const requests: HttpRequest[] = []
  const send = async (request: HttpRequest): Promise<HttpAnswer> => {
    requests.push(request)
    return { status: 200, statusText: 'OK', headers: new AnswerHeaders({ 'content-type': 'application/json' }), body: Buffer.from(JSON.stringify(row.answer)) }
  }
  const client = new OpenHandsClient({ baseUrl: BASE, apiKey: 'sk-conformance-0123456789', send })
  await row.call(client)
  expect(requests).toHaveLength(1)
  const url = new URL(requests[0].url)
  return { request: requests[0], path: url.pathname, query: url.search }
}

const IN_DOCUMENT = CALLS.filter((row) => row.outside === undefined).map((row) => [`${row.method} ${row.name}`, row] as const)
const OUTSIDE = CALLS.filter((row) => row.outside !== undefined).map((row) => [`${row.method} ${row.name}`, row] as const)

describe('the V1 requests OpenHandsClient sends', () => {
  it.each(IN_DOCUMENT)('%s conforms to the document', async (_, row) => {
    const { request, path, query } = await sent(row)
    expect(checkRequest({ method: request.method, path, query, headers: request.headers, body: request.body })).toEqual([])
  })

  it.each(IN_DOCUMENT)('%s is answered, in this test, with a conforming body', async (_, row) => {
    const { request, path } = await sent(row)
    expect(checkResponse({ method: request.method, path, status: 200, body: JSON.stringify(row.answer) })).toEqual([])
  })

  it.each(OUTSIDE)('%s goes where the checks do not reach, as its row says', async (_, row) => {
    const { path } = await sent(row)
    expect(outOfScope(path)).toBeDefined()
  })

  it('has a row for every V1 method of the client', () => {
    const methods = Object.getOwnPropertyNames(OpenHandsClient.prototype).filter((name) => !NOT_V1.has(name))
    const covered = new Set(CALLS.map((row) => row.method))
    expect(methods.filter((name) => !covered.has(name as keyof OpenHandsClient))).toEqual([])
  })

  // The client sends both since the trigger change; the test holds whether it does or not.
  it('conforms with trigger "openhands_api" and run: true in the start body', async () => {
    const { request, path } = await sent(CALLS[0])
    const body = JSON.parse(request.body ?? '{}') as { initial_message: Record<string, unknown> }
    const coming = { ...body, trigger: 'openhands_api', initial_message: { ...body.initial_message, run: true } }
    expect(checkRequest({ method: request.method, path, headers: request.headers, body: JSON.stringify(coming) })).toEqual([])
  })
})
