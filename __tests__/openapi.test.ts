// The OpenAPI checker itself (helpers/openapi.ts): each test here must be able
// to fail, so every rule is tested both ways where it can be.
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fixtureNames, loadFixture, payloadOf } from '../__fixtures__/openhands/index.js'
import { checkRequest, checkResponse, OPENAPI_FIXTURE, patchedDocument, type RequestToCheck } from './helpers/openapi.js'
import { applyPatches, type OpenApiDocument } from './helpers/openapi-patches.js'
import { conformanceRecorder, type Exchange } from './helpers/conformance.js'

const TASK_ID = '3b8e6f1a2c9d4e7f8a0b5c6d7e9f1a2b'
const DASHED_TASK_ID = '3b8e6f1a-2c9d-4e7f-8a0b-5c6d7e9f1a2b'
const CONVERSATION_ID = '7d2f9b4c1e8a4f6db3c05e9a2f71c8d4'
const SANDBOX_ID = '5Vq2XnK8pLr3TbW9yHc4Jd'
const AUTH = { Authorization: 'Bearer sk-test-0123456789' }
const JSON_HEADERS = { ...AUTH, 'Content-Type': 'application/json' }

function start(body: unknown, headers: Record<string, string> = JSON_HEADERS): string[] {
  return checkRequest({ method: 'POST', path: '/api/v1/app-conversations', headers, body: JSON.stringify(body) })
}

function get(path: string, query = '', headers: Record<string, string> = AUTH): string[] {
  return checkRequest({ method: 'GET', path, query, headers })
}

const START_BODY = {
  initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix the typo in README.md' }], run: true },
  selected_repository: 'owner/repo',
  selected_branch: 'main',
  trigger: 'openhands_api'
}

function startTask(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: TASK_ID,
    created_by_user_id: 'b7e2c4a1-5d3f-4e8a-9c6b-0f1e2d3c4b5a',
    status: 'READY',
    detail: null,
    app_conversation_id: CONVERSATION_ID,
    sandbox_id: SANDBOX_ID,
    agent_server_url: `https://${SANDBOX_ID}.prod-runtime.all-hands.dev`,
    request: { ...START_BODY, sandbox_id: null, conversation_id: null, processors: [], pr_number: [], agent_type: 'default' },
    created_at: '2026-08-21T09:31:05.204771Z',
    updated_at: '2026-08-21T09:31:48.930114Z',
    ...overrides
  }
}

function appConversation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: CONVERSATION_ID,
    created_by_user_id: 'b7e2c4a1-5d3f-4e8a-9c6b-0f1e2d3c4b5a',
    sandbox_id: SANDBOX_ID,
    selected_repository: 'owner/repo',
    selected_branch: null,
    git_provider: 'github',
    title: 'Fix the typo in README.md',
    trigger: 'openhands_api',
    pr_number: [131],
    metrics: null,
    sub_conversation_ids: [],
    tags: {},
    created_at: '2026-08-21T09:31:48.930114Z',
    updated_at: '2026-08-21T09:44:02.117845Z',
    sandbox_status: 'RUNNING',
    execution_status: 'finished',
    conversation_url: null,
    session_api_key: null,
    acp_server: null,
    launched_agent_profile: null,
    ...overrides
  }
}

describe('the vendor document', () => {
  it('is the unmodified copy the README names', () => {
    const readme = readFileSync(new URL('../__fixtures__/openapi/README.md', import.meta.url), 'utf8')
    const named = /sha256 \| `([0-9a-f]{64})`/.exec(readme)?.[1]
    const actual = createHash('sha256').update(readFileSync(OPENAPI_FIXTURE)).digest('hex')
    expect(actual).toBe(named)
  })

  it('is patched in a copy, leaving the parsed document as it was', () => {
    const vendor = JSON.parse(readFileSync(OPENAPI_FIXTURE, 'utf8')) as OpenApiDocument
    const before = JSON.stringify(vendor)
    const { doc, report } = applyPatches(vendor)
    expect(JSON.stringify(vendor)).toBe(before)
    expect(JSON.stringify(doc)).not.toBe(before)
    expect(report.undashedIds).toContain('#/paths/~1api~1v1~1app-conversations~1start-tasks/get/parameters/0/schema/items')
    expect(report.widenedAuth).toContain('POST /api/v1/app-conversations')
    // Organisation ids are not conversation ids: patch (b) leaves them alone.
    expect(report.undashedIds.some((pointer) => pointer.includes('organizations'))).toBe(false)
    expect(patchedDocument().report).toEqual(report)
  })
})

describe('request bodies', () => {
  it('accepts a conforming V1 start body', () => {
    expect(start(START_BODY)).toEqual([])
  })

  it('refuses a trigger the enum lacks, naming the field', () => {
    const problems = start({ ...START_BODY, trigger: 'github_action' })
    expect(problems).toEqual([expect.stringContaining('POST /api/v1/app-conversations request body: /trigger must be equal to one of the allowed values')])
    expect(problems[0]).toContain('got "github_action"')
  })

  it('refuses a role the enum lacks, naming the field', () => {
    const problems = start({ ...START_BODY, initial_message: { ...START_BODY.initial_message, role: 'robot' } })
    expect(problems).toEqual([
      expect.stringContaining('POST /api/v1/app-conversations request body: /initial_message/role must be equal to one of the allowed values')
    ])
  })

  it('refuses a content part of a type the document lacks, naming the field', () => {
    const problems = start({ ...START_BODY, initial_message: { role: 'user', content: [{ type: 'txt', text: 'Fix it' }] } })
    expect(problems).toContainEqual(expect.stringContaining('request body: /initial_message/content/0/type must be equal to constant "text", got "txt"'))
  })

  it('refuses a text part without its text, naming the field', () => {
    const problems = start({ ...START_BODY, initial_message: { role: 'user', content: [{ type: 'text' }] } })
    expect(problems).toContainEqual(expect.stringContaining("request body: /initial_message/content/0 must have required property 'text'"))
  })

  it('accepts a text part without `type`: the document gives TextContent.type the default "text" and does not require it', () => {
    expect(start({ ...START_BODY, initial_message: { role: 'user', content: [{ text: 'Fix it' }] } })).toEqual([])
  })

  it('refuses a missing required body, and a body where none is declared', () => {
    expect(checkRequest({ method: 'POST', path: '/api/v1/app-conversations', headers: AUTH })).toEqual([
      'POST /api/v1/app-conversations: the request body is required but missing'
    ])
    expect(checkRequest({ method: 'POST', path: `/api/v1/sandboxes/${SANDBOX_ID}/pause`, headers: JSON_HEADERS, body: '{}' })).toEqual([
      `POST /api/v1/sandboxes/${SANDBOX_ID}/pause: has a request body, but the document declares none`
    ])
    expect(checkRequest({ method: 'POST', path: `/api/v1/sandboxes/${SANDBOX_ID}/pause`, headers: AUTH })).toEqual([])
  })

  it('refuses a body that is not JSON, or is sent as another media type', () => {
    expect(checkRequest({ method: 'POST', path: '/api/v1/app-conversations', headers: JSON_HEADERS, body: '{"initial_message":' })).toEqual([
      expect.stringContaining('POST /api/v1/app-conversations request body: is not JSON')
    ])
    expect(start(START_BODY, { ...AUTH, 'Content-Type': 'text/plain' })).toEqual([
      'POST /api/v1/app-conversations: the request body is sent as text/plain, not application/json'
    ])
  })

  it('takes uuid body fields with or without dashes (patch b), and nothing else', () => {
    expect(start({ ...START_BODY, parent_conversation_id: CONVERSATION_ID })).toEqual([])
    expect(start({ ...START_BODY, parent_conversation_id: DASHED_TASK_ID })).toEqual([])
    expect(start({ ...START_BODY, parent_conversation_id: 'parent' })).toEqual([expect.stringContaining('/parent_conversation_id must match format "uuid"')])
  })
})

describe('query and path parameters', () => {
  const TASKS = '/api/v1/app-conversations/start-tasks'

  it('takes start-task ids of 32 hex digits (patch b) and dashed UUIDs', () => {
    expect(get(TASKS, `ids=${TASK_ID}`)).toEqual([])
    expect(get(TASKS, `?ids=${DASHED_TASK_ID}`)).toEqual([])
    expect(get(TASKS, `ids=${TASK_ID}&ids=${DASHED_TASK_ID}`)).toEqual([])
  })

  it('refuses an id that is neither', () => {
    expect(get(TASKS, 'ids=not-a-uuid')).toEqual([
      expect.stringMatching(/^GET \/api\/v1\/app-conversations\/start-tasks query parameter ids: \/0 must match format "uuid"/)
    ])
    expect(get(TASKS, `ids=${TASK_ID}&ids=${TASK_ID}0`)).toEqual([expect.stringContaining('query parameter ids: /1 must match')])
  })

  it('refuses a missing required parameter', () => {
    expect(get(TASKS)).toEqual(['GET /api/v1/app-conversations/start-tasks query parameter ids: required but missing'])
  })

  it('refuses a query key the operation does not declare', () => {
    expect(get(TASKS, `ids=${TASK_ID}&id=${TASK_ID}`)).toEqual([
      'GET /api/v1/app-conversations/start-tasks: query parameter id is not declared by the document (declared: ids)'
    ])
  })

  it('reads a query as FastAPI does: integers, booleans, bounds', () => {
    const SEARCH = '/api/v1/app-conversations/search'
    expect(get(SEARCH, `sandbox_id__eq=${SANDBOX_ID}&limit=100&include_sub_conversations=true`)).toEqual([])
    expect(get(SEARCH, 'limit=101')).toEqual([expect.stringContaining('query parameter limit: must be <= 100, got 101')])
    expect(get(SEARCH, 'limit=ten')).toEqual([expect.stringContaining('query parameter limit: must be integer, got "ten"')])
    expect(get(SEARCH, 'include_sub_conversations=maybe')).toEqual([expect.stringContaining('must be boolean, got "maybe"')])
    expect(get(SEARCH, 'created_at__gte=yesterday')).toEqual([expect.stringContaining('query parameter created_at__gte: must match format "date-time"')])
    expect(get(SEARCH, 'limit=1&limit=2')).toEqual([expect.stringContaining('query parameter limit: given 2 times, but it is not a list')])
  })

  it('checks path parameters: conversation ids with or without dashes', () => {
    const send = (id: string): string[] =>
      checkRequest({
        method: 'POST',
        path: `/api/v1/app-conversations/${id}/send-message`,
        headers: JSON_HEADERS,
        body: JSON.stringify({ role: 'user', content: [{ type: 'text', text: 'more' }], run: true })
      })
    expect(send(CONVERSATION_ID)).toEqual([])
    expect(send(DASHED_TASK_ID)).toEqual([])
    expect(send('nope')).toEqual([expect.stringContaining('path parameter conversation_id: must match format "uuid", got "nope"')])
  })
})

describe('routing', () => {
  it('refuses a V1 path the document lacks', () => {
    expect(get('/api/v1/app-conversation', `ids=${CONVERSATION_ID}`)).toEqual(['GET /api/v1/app-conversation: no such path in the document'])
    expect(get('/api/v1/app-conversations/', `ids=${CONVERSATION_ID}`)).toEqual(['GET /api/v1/app-conversations/: no such path in the document'])
  })

  it('refuses a method the document lacks for the path', () => {
    expect(checkRequest({ method: 'PUT', path: '/api/v1/app-conversations', headers: AUTH })).toEqual([
      'PUT /api/v1/app-conversations: the document has no PUT for /api/v1/app-conversations (it has GET, POST)'
    ])
  })

  it('prefers literal segments: start-tasks is not a {conversation_id}', () => {
    // /api/v1/app-conversations/{conversation_id} has DELETE; start-tasks has GET only.
    expect(checkRequest({ method: 'DELETE', path: '/api/v1/app-conversations/start-tasks', headers: AUTH })).toEqual([
      'DELETE /api/v1/app-conversations/start-tasks: the document has no DELETE for /api/v1/app-conversations/start-tasks (it has GET)'
    ])
    expect(checkRequest({ method: 'DELETE', path: `/api/v1/app-conversations/${CONVERSATION_ID}`, headers: AUTH })).toEqual([])
    expect(checkResponse({ method: 'GET', path: '/api/v1/app-conversations/start-tasks', status: 200, body: JSON.stringify([startTask()]) })).toEqual([])
  })

  it('skips V0 routes and the agent server, and nothing else outside the document', () => {
    expect(checkRequest({ method: 'POST', path: '/api/conversations', body: '{"initial_user_msg": 1}' })).toEqual([])
    expect(checkRequest({ method: 'GET', path: `/api/conversations/${CONVERSATION_ID}/events`, query: 'reverse=true&limit=20' })).toEqual([])
    expect(checkResponse({ method: 'GET', path: `/api/conversations/${CONVERSATION_ID}`, status: 200, body: 'null' })).toEqual([])
    expect(checkRequest({ method: 'POST', path: `/agent/api/conversations/${CONVERSATION_ID}/pause`, headers: {} })).toEqual([])
    expect(checkResponse({ method: 'POST', path: `/agent/api/conversations/${CONVERSATION_ID}/pause`, status: 200, body: 'not json' })).toEqual([])
    expect(checkRequest({ method: 'GET', path: '/api/conversation', headers: AUTH })).toEqual(['GET /api/conversation: no such path in the document'])
  })
})

describe('auth (patch a)', () => {
  const request = (headers: Record<string, string | string[] | undefined>): RequestToCheck => ({
    method: 'GET',
    path: '/api/v1/app-conversations',
    query: `ids=${CONVERSATION_ID}`,
    headers
  })

  it('takes Authorization: Bearer, X-Access-Token (the declared scheme) and X-Session-API-Key', () => {
    expect(checkRequest(request({ Authorization: 'Bearer sk-1' }))).toEqual([])
    expect(checkRequest(request({ authorization: 'bearer sk-1' }))).toEqual([])
    expect(checkRequest(request({ 'X-Access-Token': 'sk-1' }))).toEqual([])
    expect(checkRequest(request({ 'x-session-api-key': 'sess-1' }))).toEqual([])
  })

  it('refuses a request without any of them', () => {
    const refused = [expect.stringMatching(/^GET \/api\/v1\/app-conversations: not authenticated: send one of X-Access-Token .*Bearer/)]
    expect(checkRequest(request({}))).toEqual(refused)
    expect(checkRequest(request({ Authorization: 'Bearer ' }))).toEqual(refused)
    expect(checkRequest(request({ Authorization: 'Basic dXNlcjpwYXNz' }))).toEqual(refused)
    expect(checkRequest(request({ 'X-Access-Token': undefined }))).toEqual(refused)
  })

  it('asks nothing of an operation the document leaves open', () => {
    expect(checkRequest({ method: 'GET', path: '/api/v1/web-client/config' })).toEqual([])
  })
})

describe('responses', () => {
  const answer = (method: string, path: string, status: number, body: unknown): string[] =>
    checkResponse({ method, path, status, body: typeof body === 'string' ? body : JSON.stringify(body) })

  it('accepts a real-looking AppConversationStartTask', () => {
    expect(answer('POST', '/api/v1/app-conversations', 200, startTask({ status: 'WORKING', app_conversation_id: null, sandbox_id: null }))).toEqual([])
  })

  it('refuses a start task whose status the enum lacks', () => {
    expect(answer('POST', '/api/v1/app-conversations', 200, startTask({ status: 'BOGUS' }))).toEqual([
      expect.stringMatching(
        /^POST \/api\/v1\/app-conversations response 200 body: \/status must be equal to one of the allowed values \("WORKING", .*got "BOGUS"$/
      )
    ])
  })

  it('accepts an AppConversation list with null items, and refuses a list item missing a required field', () => {
    expect(answer('GET', '/api/v1/app-conversations', 200, [appConversation(), null])).toEqual([])
    expect(answer('GET', '/api/v1/app-conversations', 200, [null])).toEqual([])
    const withoutSandbox = appConversation()
    delete withoutSandbox.sandbox_id
    expect(answer('GET', '/api/v1/app-conversations', 200, [withoutSandbox])).toEqual([
      "GET /api/v1/app-conversations response 200 body: /0 must have required property 'sandbox_id'"
    ])
  })

  it('refuses a count that is a string', () => {
    expect(answer('GET', '/api/v1/app-conversations/count', 200, 3)).toEqual([])
    expect(answer('GET', '/api/v1/app-conversations/count', 200, '"3"')).toEqual([
      'GET /api/v1/app-conversations/count response 200 body: must be integer, got "3"'
    ])
  })

  it('refuses a body that is not JSON where the document gives a schema', () => {
    expect(answer('GET', '/api/v1/app-conversations/count', 200, '<html>')).toEqual([
      'GET /api/v1/app-conversations/count response 200 body: is not JSON: <html>'
    ])
  })

  it('refuses a 2xx status the operation does not list', () => {
    expect(answer('POST', '/api/v1/app-conversations', 201, startTask())).toEqual([
      'POST /api/v1/app-conversations: answered 201, a status the document does not list for it (it lists 200, 422)'
    ])
  })

  it('checks error bodies only where the document gives a schema', () => {
    // 422 is FastAPI's HTTPValidationError: detail is a list.
    const validation = { detail: [{ loc: ['body', 'trigger'], msg: 'Input should be ...', type: 'enum' }] }
    expect(answer('POST', '/api/v1/app-conversations', 422, validation)).toEqual([])
    expect(answer('POST', '/api/v1/app-conversations', 422, { detail: 'bad trigger' })).toEqual([
      'POST /api/v1/app-conversations response 422 body: /detail must be array, got "bad trigger"'
    ])
    // The document has no bodies for these: accepted as they come.
    expect(answer('POST', '/api/v1/app-conversations', 429, { detail: { error: 'CONCURRENCY_LIMIT_REACHED' } })).toEqual([])
    expect(answer('POST', `/api/v1/sandboxes/${SANDBOX_ID}/pause`, 404, 'Not Found')).toEqual([])
    expect(answer('GET', '/api/v1/app-conversations', 401, { error: 'NoCredentialsError' })).toEqual([])
  })
})

describe('the conformance recorder', () => {
  const exchange = (overrides: Partial<Exchange> = {}): Exchange => ({
    method: 'GET',
    path: '/api/v1/app-conversations/start-tasks',
    query: `ids=${TASK_ID}`,
    headers: AUTH,
    requestBody: '',
    status: 200,
    responseBody: JSON.stringify([startTask()]),
    faulted: false,
    ...overrides
  })

  it('passes conforming exchanges', () => {
    const recorder = conformanceRecorder()
    recorder.onExchange(exchange())
    recorder.onExchange(
      exchange({
        method: 'POST',
        path: '/api/v1/app-conversations',
        query: '',
        headers: JSON_HEADERS,
        requestBody: JSON.stringify(START_BODY),
        responseBody: JSON.stringify(startTask())
      })
    )
    expect(recorder.problems()).toEqual([])
    expect(() => recorder.assertNone()).not.toThrow()
  })

  it('collects request and answer problems, and checks no answer a fault broke', () => {
    const recorder = conformanceRecorder()
    recorder.onExchange(exchange({ query: 'ids=nope', responseBody: JSON.stringify([startTask({ status: 'BOGUS' })]) }))
    recorder.onExchange(exchange({ responseBody: '{"trunc', faulted: true }))
    recorder.onExchange(exchange({ path: '/api/v1/app-conversation' }))
    expect(recorder.problems()).toEqual([
      expect.stringMatching(/^exchange 1 \(→ 200\): GET \/api\/v1\/app-conversations\/start-tasks query parameter ids: /),
      expect.stringMatching(/^exchange 1 \(→ 200\): GET \/api\/v1\/app-conversations\/start-tasks response 200 body: \/0\/status /),
      'exchange 3 (→ 200): GET /api/v1/app-conversation: no such path in the document'
    ])
    expect(() => recorder.assertNone()).toThrow(/3 departure\(s\)[\s\S]*exchange 3/)
  })
})

describe('the recorded V1 answers in __fixtures__/openhands', () => {
  const names = fixtureNames().filter((name) => name.startsWith('v1-'))

  it('are there', () => {
    expect(names.length).toBeGreaterThan(0)
  })

  // Each fixture's note starts with the request it answers: "GET /api/v1/...: ...".
  it.each(names)('%s conforms to the document', (name) => {
    const fixture = loadFixture(name)
    const request = /^([A-Z]+) (\/[^\s?:]+)/.exec(fixture.note ?? '')
    if (request === null) throw new Error(`${name}: its note does not start with the METHOD /path it answers`)
    const [, method, path] = request
    expect(checkResponse({ method, path, status: fixture.status, body: payloadOf(fixture) })).toEqual([])
  })
})
