import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { spawn } from 'node:child_process'
import { startSimulator } from '../simulator/server.js'
import { parseCommandLine } from '../simulator/cli-args.js'

type Simulator = Awaited<ReturnType<typeof startSimulator>>
type Options = NonNullable<Parameters<typeof startSimulator>[0]>
type Call = { method?: string; body?: unknown; raw?: string; key?: string | null }

const KEY = 'sim-test-key-5f2a'
const T0 = Date.parse('2025-06-01T00:00:00.000Z')
let clock = T0
let sim: Simulator | undefined

async function start(options: Options = {}): Promise<Simulator> {
  sim = await startSimulator({ apiKey: KEY, now: () => clock, ...options })
  return sim
}

function current(): Simulator {
  if (!sim) throw new Error('simulator not started')
  return sim
}

function call(path: string, { method = 'GET', body, raw, key = KEY }: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (key !== null) headers.Authorization = `Bearer ${key}`
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body))
  return fetch(current().url + path, { method, headers, body: payload })
}

const create = (body: unknown = { initial_user_msg: 'Do the thing' }, key?: string | null) => call('/api/conversations', { method: 'POST', body, key })
const idOf = async (res: Response) => ((await res.json()) as { conversation_id: string }).conversation_id
const getConversation = async (id: string) => (await (await call(`/api/conversations/${id}`)).json()) as Record<string, unknown>

beforeEach(() => {
  clock = T0
})

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('auth', () => {
  it('answers 401 NoCredentialsError for a missing, foreign or non-Bearer key', async () => {
    await start()
    for (const res of [await create(undefined, null), await create(undefined, 'wrong')]) {
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: 'NoCredentialsError' })
    }
    const basic = await fetch(`${current().url}/api/conversations`, { headers: { Authorization: `Basic ${KEY}` } })
    expect(basic.status).toBe(401)
    expect((await create()).status).toBe(200)
  })

  it('accepts any key when none is configured, keeping accounts apart', async () => {
    await start({ apiKey: undefined })
    const id = await idOf(await create(undefined, 'alice'))
    expect(await (await call(`/api/conversations/${id}`, { key: 'alice' })).json()).not.toBeNull()
    expect(await (await call(`/api/conversations/${id}`, { key: 'bob' })).json()).toBeNull()
  })

  it('never records the key anywhere in its state', async () => {
    await start()
    await create()
    await call('/api/conversations')
    expect(JSON.stringify(current().state())).not.toContain(KEY)
  })
})

describe('POST /api/conversations', () => {
  it('answers the real V0 success shape', async () => {
    await start()
    const res = await create({ initial_user_msg: 'hello', repository: 'octo/repo' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toEqual({ status: 'ok', conversation_id: expect.stringMatching(/^[0-9a-f]{32}$/), message: null, conversation_status: 'STARTING' })
  })

  it('records the posted body byte for byte', async () => {
    await start()
    const message = 'Fix the bug 🐛 in «main»\r\nLine "two" \\ back\n\tcafé — 日本語\u2028end'
    const sent = { initial_user_msg: message, repository: 'octo/repo', selected_branch: 'dev', image_urls: ['x'] }
    await create(sent)
    const [conversation] = current().state().conversations
    expect(conversation.body).toEqual(sent)
    expect(conversation.body.initial_user_msg).toBe(message)
    expect(conversation).toMatchObject({ repository: 'octo/repo', branch: 'dev', status: 'STARTING', createdAt: T0 })
  })

  it('refuses bodies FastAPI would refuse, creating nothing', async () => {
    await start()
    const extra = await create({ initial_user_msg: 'x', prompt: 'y' })
    expect(extra.status).toBe(422)
    expect(await extra.json()).toEqual({
      detail: [{ type: 'extra_forbidden', loc: ['body', 'prompt'], msg: 'Extra inputs are not permitted', input: 'y' }]
    })
    const cases: [Call, string][] = [
      [{ body: {} }, 'missing'],
      [{ body: { initial_user_msg: 5 } }, 'string_type'],
      [{ raw: '{oops' }, 'json_invalid']
    ]
    for (const [request, type] of cases) {
      const res = await call('/api/conversations', { method: 'POST', ...request })
      expect(res.status).toBe(422)
      expect(((await res.json()) as { detail: { type: string }[] }).detail[0].type).toBe(type)
    }
    expect(current().state().created).toBe(0)
  })

  it('answers a bare JSON string 401 for a malformed or inaccessible repository', async () => {
    await start({ inaccessibleRepos: ['secret/repo'] })
    for (const repository of ['not-a-repo', 'secret/repo']) {
      const res = await create({ initial_user_msg: 'x', repository })
      expect(res.status).toBe(401)
      expect(await res.text()).toBe(`"Unable to access repo ${repository}"`)
    }
    expect(current().state().created).toBe(0)
  })

  it('answers 400 when no LLM key is configured', async () => {
    await start({ llmConfigured: false })
    const res = await create()
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'Error authenticating with the LLM provider. Please check your API key',
      msg_id: 'STATUS$ERROR_LLM_AUTHENTICATION'
    })
  })

  it('allows 10 running conversations, answers 429 without Retry-After, and frees a slot on stop', async () => {
    // The clock stands still: the 10-per-second request limit would answer the 11th POST first.
    await start({ rateLimitPerSecond: 0 })
    const ids = []
    for (let i = 0; i < 10; i++) ids.push(await idOf(await create()))
    const refused = await create()
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBeNull()
    expect(await refused.text()).toBe(
      '{"status":"error","message":"Too many running conversations: at most 10 may run at once","msg_id":"STATUS$ERROR_TOO_MANY_CONVERSATIONS"}'
    )
    const stopped = await call(`/api/conversations/${ids[0]}/stop`, { method: 'POST' })
    expect(await stopped.json()).toEqual({ status: 'ok' })
    expect((await getConversation(ids[0])).status).toBe('STOPPED')
    expect((await create()).status).toBe(200)
    expect((await create()).status).toBe(429)
    clock += 4000
    expect((await create()).status).toBe(200)
    expect(current().state()).toMatchObject({ created: 12, createAttempts: 14, maxConcurrentRunning: 10 })
  })
})

describe('GET and stop', () => {
  it('walks STARTING → RUNNING → STOPPED by the injected clock', async () => {
    await start({ startingMs: 1000, runningMs: 3000 })
    const id = await idOf(await create({ initial_user_msg: 'A long task description that goes on and on', repository: 'o/r' }))
    expect(await getConversation(id)).toEqual({
      conversation_id: id,
      title: 'A long task description that g',
      created_at: '2025-06-01T00:00:00.000Z',
      last_updated_at: '2025-06-01T00:00:00.000Z',
      status: 'STARTING',
      runtime_status: 'STATUS$STARTING_RUNTIME',
      selected_repository: 'o/r',
      selected_branch: null,
      git_provider: 'github',
      trigger: 'remote_api_key',
      url: null,
      session_api_key: null,
      pr_number: [],
      conversation_version: 'V0'
    })
    clock += 1000
    expect(await getConversation(id)).toMatchObject({ status: 'RUNNING', runtime_status: 'STATUS$READY' })
    clock += 3000
    expect(await getConversation(id)).toMatchObject({ status: 'STOPPED', runtime_status: null, last_updated_at: '2025-06-01T00:00:04.000Z' })
  })

  it('ends in ERROR when so configured', async () => {
    await start({ finalStatus: 'ERROR', startingMs: 10, runningMs: 10 })
    const id = await idOf(await create())
    clock += 20
    expect((await getConversation(id)).status).toBe('ERROR')
  })

  it('answers 200 null for an unknown id, 404 for stopping one', async () => {
    await start()
    const res = await call('/api/conversations/0123456789abcdef0123456789abcdef')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('null')
    const stop = await call('/api/conversations/nope/stop', { method: 'POST' })
    expect(stop.status).toBe(404)
    expect(await stop.json()).toEqual({ status: 'error', message: 'Conversation not found' })
  })

  it('lists newest first and answers 404/405 elsewhere', async () => {
    await start()
    const first = await idOf(await create())
    clock += 1
    const second = await idOf(await create())
    const list = (await (await call('/api/conversations')).json()) as { results: { conversation_id: string }[]; next_page_id: null }
    expect(list.results.map((r) => r.conversation_id)).toEqual([second, first])
    expect(list.next_page_id).toBeNull()
    expect(await (await call('/api/nothing')).json()).toEqual({ detail: 'Not Found' })
    const wrong = await call(`/api/conversations/${first}`, { method: 'DELETE' })
    expect([wrong.status, await wrong.json()]).toEqual([405, { detail: 'Method Not Allowed' }])
  })
})

describe('rate limit', () => {
  it("sends no headers until the 429, then the real limiter's: the description, an epoch Reset, Retry-After", async () => {
    await start({ rateLimitPerMinute: 3 })
    const headers = (res: Response) => ['limit', 'remaining', 'reset'].map((h) => res.headers.get(`x-ratelimit-${h}`))
    expect(headers(await call('/api/conversations'))).toEqual([null, null, null])
    clock += 30_000
    expect(headers(await call('/api/conversations'))).toEqual([null, null, null])
    expect((await create()).status).toBe(200)
    const limited = await call('/api/conversations')
    expect(limited.status).toBe(429)
    expect([...headers(limited), limited.headers.get('retry-after')]).toEqual(['3 per 1 minute', '0', String((T0 + 60_000) / 1000), '30'])
    expect(await limited.json()).toEqual({ error: 'Rate limit exceeded: 3 per 1 minute' })
    clock += 30_000
    expect((await call('/api/conversations')).status).toBe(200)
  })
})

describe('faults', () => {
  it('applies the first matching fault with hits left, then behaves normally', async () => {
    await start({
      faults: [
        { kind: 'status', statusCode: 502, route: 'get' },
        { kind: 'status', statusCode: 503, count: 1 }
      ]
    })
    const failed = await create()
    expect([failed.status, await failed.json()]).toEqual([503, { detail: 'Internal Server Error' }])
    expect(current().state().created).toBe(0)
    const id = await idOf(await create())
    expect((await call(`/api/conversations/${id}`)).status).toBe(502)
  })

  it('drop: the client sees a network error and nothing is created', async () => {
    await start({ faults: [{ kind: 'drop' }] })
    await expect(create()).rejects.toThrow()
    expect(current().state()).toMatchObject({ created: 0, createAttempts: 1, requests: [{ status: 0 }] })
  })

  it('reset-mid-body: the body read fails but the conversation exists', async () => {
    await start({ faults: [{ kind: 'reset-mid-body' }] })
    const res = await create()
    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow()
    expect(current().state().created).toBe(1)
  })

  it('slow: answers late, and close() does not wait for it', async () => {
    // Behaviour only, no timing: a held answer is recorded as unanswered (status
    // 0) until it is sent, and close() ends it without performing the action.
    await start({
      faults: [
        { kind: 'slow', delayMs: 150, count: 1 },
        { kind: 'slow', delayMs: 60_000 }
      ]
    })
    expect((await create()).status).toBe(200)
    const pending = create().then(
      () => 'answered',
      () => 'failed'
    )
    while (current().state().createAttempts < 2) await new Promise((r) => setTimeout(r, 5))
    expect(current().state().requests.at(-1)?.status).toBe(0)
    await current().close()
    expect(await pending).toBe('failed')
    // A timer left running would perform the create after close.
    await new Promise((r) => setTimeout(r, 350))
    expect(current().state().created).toBe(1)
  })

  it('rate-limit: 429 with Retry-After and Reset only when given', async () => {
    await start({
      faults: [
        { kind: 'rate-limit', count: 1, retryAfterSeconds: 7, resetSeconds: 9 },
        { kind: 'rate-limit', count: 1 }
      ]
    })
    const withHeaders = await create()
    expect([withHeaders.status, withHeaders.headers.get('retry-after'), withHeaders.headers.get('x-ratelimit-reset')]).toEqual([
      429,
      '7',
      String(T0 / 1000 + 9)
    ])
    expect(withHeaders.headers.get('x-ratelimit-limit')).toBe('100 per 1 minute')
    expect(await withHeaders.json()).toEqual({ error: 'Rate limit exceeded: 100 per 1 minute' })
    const bare = await create()
    expect([bare.status, bare.headers.get('retry-after'), bare.headers.get('x-ratelimit-reset')]).toEqual([429, null, null])
    expect(current().state().created).toBe(0)
  })

  it('conversation-limit: 429 with the limit body, nothing created', async () => {
    await start({ maxRunning: 4, faults: [{ kind: 'conversation-limit' }] })
    const res = await create()
    expect(res.status).toBe(429)
    expect(((await res.json()) as { message: string }).message).toBe('Too many running conversations: at most 4 may run at once')
    expect(current().state().created).toBe(0)
  })

  it('malformed and truncated: 200 JSON-labelled bodies that do not parse', async () => {
    await start({
      faults: [
        { kind: 'malformed', count: 1 },
        { kind: 'truncated', count: 1 }
      ]
    })
    const malformed = await create()
    expect([malformed.status, malformed.headers.get('content-type')]).toEqual([200, 'application/json'])
    await expect(malformed.json()).rejects.toThrow(/JSON/)
    const truncated = await create()
    const text = await truncated.text()
    expect(Number(truncated.headers.get('content-length'))).toBe(Buffer.byteLength(text))
    expect(text.length).toBeGreaterThan(10)
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })

  it('null-body, unknown-status and huge-body bend GET answers', async () => {
    await start({
      faults: [
        { kind: 'null-body', route: 'get', count: 1 },
        { kind: 'unknown-status', route: 'get', count: 1 },
        { kind: 'huge-body', route: 'get', count: 1, bytes: 100_000 }
      ]
    })
    const id = await idOf(await create())
    expect(await (await call(`/api/conversations/${id}`)).json()).toBeNull()
    expect((await getConversation(id)).status).toBe('HIBERNATING')
    const huge = await (await call(`/api/conversations/${id}`)).text()
    expect(huge.length).toBe(100_000)
    expect(JSON.parse(huge)).toMatchObject({ conversation_id: id, status: 'STARTING' })
  })

  it('create-then-fail: answers 500 after creating exactly one conversation', async () => {
    await start({ faults: [{ kind: 'create-then-fail', count: 1 }] })
    const res = await create()
    expect(res.status).toBe(500)
    expect(current().state()).toMatchObject({ created: 1, createAttempts: 1 })
    expect(current().state().conversations).toHaveLength(1)
  })

  it('refuses an unknown fault kind', async () => {
    await start()
    expect(() => current().addFault({ kind: 'explode' as never })).toThrow(/unknown fault kind/)
  })
})

type Event = {
  id: number
  timestamp: string
  source: string
  action?: string
  observation?: string
  message: string
  extras?: { agent_state?: string; reason?: string }
}
type EventPage = { events: Event[]; has_more: boolean }

const eventsOf = async (id: string, query = 'reverse=true&limit=20') => (await (await call(`/api/conversations/${id}/events?${query}`)).json()) as EventPage
// What a client must do: search for the newest state change, never trust events[0].
const agentStateIn = (page: EventPage) => page.events.find((e) => e.observation === 'agent_state_changed')?.extras?.agent_state
const agentState = async (id: string) => agentStateIn(await eventsOf(id))
const kindOf = (e: Event) => (e.observation === 'agent_state_changed' ? `state:${e.extras?.agent_state}` : (e.action ?? `observation:${e.observation}`))

describe("the agent's own state", () => {
  it('finishes while the runtime status stays RUNNING', async () => {
    await start({ startingMs: 1000, runningMs: 60_000, agentFinishesMs: 2000 })
    const id = await idOf(await create())
    expect([(await getConversation(id)).status, await agentState(id)]).toEqual(['STARTING', 'loading'])
    clock = T0 + 1000
    expect([(await getConversation(id)).status, await agentState(id)]).toEqual(['RUNNING', 'running'])
    clock = T0 + 2000
    expect([(await getConversation(id)).status, await agentState(id)]).toEqual(['RUNNING', 'finished'])
    expect(current().state().conversations[0]).toMatchObject({ status: 'RUNNING', agentState: 'finished', stoppedAt: null, version: 'V0' })
    clock = T0 + 61_000
    expect([(await getConversation(id)).status, await agentState(id)]).toEqual(['STOPPED', 'finished'])
  })

  it('by default finishes exactly when the runtime reaches its final status', async () => {
    await start({ startingMs: 1000, runningMs: 3000 })
    const id = await idOf(await create())
    clock = T0 + 3999
    expect([(await getConversation(id)).status, await agentState(id)]).toEqual(['RUNNING', 'running'])
    clock = T0 + 4000
    expect([(await getConversation(id)).status, await agentState(id)]).toEqual(['STOPPED', 'finished'])
  })

  it.each([
    ['awaiting_user_input', 'awaiting_user_input'],
    ['error', 'error'],
    ['rejected', 'rejected'],
    ['stopped', 'stopped'],
    ['stuck', 'error']
  ] as const)('ends in agentFinalState %s (shown on V0 as %s)', async (final, shown) => {
    await start({ startingMs: 10, runningMs: 1000, agentFinishesMs: 500, agentFinalState: final })
    const id = await idOf(await create())
    clock = T0 + 500
    expect(await agentState(id)).toBe(shown)
    expect((await getConversation(id)).status).toBe('RUNNING')
    expect(current().state().conversations[0].agentState).toBe(final)
  })

  it('is cut off when the runtime ends before the agent finishes', async () => {
    await start({ startingMs: 1000, runningMs: 3000, agentFinishesMs: 10_000 })
    const stopped = await idOf(await create())
    clock = T0 + 4000
    expect([(await getConversation(stopped)).status, await agentState(stopped)]).toEqual(['STOPPED', 'stopped'])
    await current().close()
    clock = T0
    await start({ startingMs: 1000, runningMs: 3000, agentFinishesMs: 10_000, finalStatus: 'ERROR' })
    const failed = await idOf(await create())
    clock = T0 + 4000
    expect([(await getConversation(failed)).status, await agentState(failed)]).toEqual(['ERROR', 'error'])
  })

  it('stop sets the agent stopped and the status STOPPED at once, and is counted', async () => {
    await start({ startingMs: 1000, runningMs: 60_000, agentFinishesMs: 30_000 })
    const id = await idOf(await create())
    clock = T0 + 1500
    expect((await call(`/api/conversations/${id}/stop`, { method: 'POST' })).status).toBe(200)
    expect([(await getConversation(id)).status, await agentState(id)]).toEqual(['STOPPED', 'stopped'])
    expect(current().state().conversations[0]).toMatchObject({ status: 'STOPPED', agentState: 'stopped', stoppedAt: T0 + 1500 })
    clock = T0 + 40_000
    // Nothing the agent would have done after the stop ever shows up.
    const page = await eventsOf(id)
    expect(page.events.map(kindOf)).toEqual(['state:stopped', 'state:running', 'state:loading', 'message'])
    expect(page.events[0].timestamp).toBe('2025-06-01T00:00:01.500Z')
    expect((await call('/api/conversations/nope/stop', { method: 'POST' })).status).toBe(404)
    expect(current().state().stopRequests).toBe(2)
  })

  it('stop after the agent finished still reports stopped, newest', async () => {
    await start({ startingMs: 1000, runningMs: 60_000, agentFinishesMs: 2000 })
    const id = await idOf(await create())
    clock = T0 + 5000
    await call(`/api/conversations/${id}/stop`, { method: 'POST' })
    const kinds = (await eventsOf(id)).events.map(kindOf)
    expect(kinds.slice(0, 3)).toEqual(['state:stopped', 'message', 'state:finished'])
  })
})

describe('GET /api/conversations/{id}/events', () => {
  it('interleaves ordinary events, so the newest state must be searched for', async () => {
    await start({ startingMs: 1000, runningMs: 60_000, agentFinishesMs: 4000 })
    const id = await idOf(await create({ initial_user_msg: 'List the files' }))
    clock = T0 + 3500
    const running = await eventsOf(id)
    expect(running.events.map(kindOf)).toEqual(['observation:run', 'run', 'state:running', 'state:loading', 'message'])
    expect(running.events[0].observation).not.toBe('agent_state_changed')
    expect(agentStateIn(running)).toBe('running')
    clock = T0 + 4000
    const finished = await eventsOf(id)
    expect(finished).toEqual({ events: expect.any(Array), has_more: false })
    expect(finished.events.map((e) => e.id)).toEqual([6, 5, 4, 3, 2, 1, 0])
    expect(finished.events[0]).toMatchObject({ source: 'agent', action: 'message' })
    expect(finished.events[1]).toEqual({
      id: 5,
      timestamp: '2025-06-01T00:00:04.000Z',
      source: 'environment',
      message: '',
      observation: 'agent_state_changed',
      content: '',
      extras: { agent_state: 'finished', reason: '' }
    })
    expect(finished.events.find((e) => e.action === 'run')).toEqual({
      id: 3,
      timestamp: '2025-06-01T00:00:02.000Z',
      source: 'agent',
      message: 'Running command: ls',
      action: 'run',
      args: { command: 'ls', thought: '' }
    })
    expect(finished.events.at(-1)).toMatchObject({ id: 0, source: 'user', action: 'message', message: 'List the files' })
  })

  it('honours reverse, limit and start_id', async () => {
    await start({ startingMs: 1000, runningMs: 60_000, agentFinishesMs: 4000 })
    const id = await idOf(await create())
    clock = T0 + 4000
    expect((await eventsOf(id, '')).events.map((e) => e.id)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(await eventsOf(id, 'reverse=false&limit=2')).toMatchObject({ events: [{ id: 0 }, { id: 1 }], has_more: true })
    const newest = await eventsOf(id, 'reverse=true&limit=1')
    expect(newest.events.map((e) => e.id)).toEqual([6])
    expect(newest.has_more).toBe(true)
    expect(agentStateIn(newest)).toBeUndefined()
    expect((await eventsOf(id, 'reverse=true&limit=2')).events.map(kindOf)).toEqual(['message', 'state:finished'])
    expect((await eventsOf(id, 'start_id=5')).events.map((e) => e.id)).toEqual([5, 6])
    expect((await eventsOf(id, 'reverse=1&limit=7')).has_more).toBe(false)
  })

  it('refuses a bad query as FastAPI would', async () => {
    await start()
    const id = await idOf(await create())
    const badLimit = await call(`/api/conversations/${id}/events?limit=lots`)
    expect(badLimit.status).toBe(422)
    expect(((await badLimit.json()) as { detail: { type: string; loc: string[] }[] }).detail[0]).toMatchObject({ type: 'int_parsing', loc: ['query', 'limit'] })
    const badReverse = await call(`/api/conversations/${id}/events?reverse=maybe`)
    expect(((await badReverse.json()) as { detail: { type: string }[] }).detail[0].type).toBe('bool_parsing')
    const tooMany = await call(`/api/conversations/${id}/events?limit=101`)
    expect([tooMany.status, await tooMany.json()]).toEqual([400, { detail: 'Invalid limit' }])
  })

  it("answers 404 for an unknown or another account's conversation", async () => {
    await start({ apiKey: undefined })
    const id = await idOf(await create(undefined, 'alice'))
    expect((await call(`/api/conversations/${id}/events`, { key: 'alice' })).status).toBe(200)
    for (const [path, key] of [
      [`/api/conversations/${id}/events`, 'bob'],
      ['/api/conversations/0123456789abcdef0123456789abcdef/events', 'alice']
    ]) {
      const res = await call(path, { key })
      expect([res.status, await res.json()]).toEqual([404, { status: 'error', message: 'Conversation not found' }])
    }
  })

  it('answers 404 Not Found when the server has no such route (eventsRoute: false)', async () => {
    await start({ eventsRoute: false })
    const id = await idOf(await create())
    const res = await call(`/api/conversations/${id}/events?reverse=true&limit=20`)
    expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }])
    expect((await getConversation(id)).conversation_id).toBe(id)
  })

  it('can be targeted by faults as the events route', async () => {
    await start({
      faults: [
        { kind: 'status', route: 'events', statusCode: 403, count: 1 },
        { kind: 'unknown-status', route: 'events', status: 'pondering', count: 1 }
      ]
    })
    const id = await idOf(await create())
    expect((await getConversation(id)).status).toBe('STARTING')
    expect((await call(`/api/conversations/${id}/events`)).status).toBe(403)
    expect(await agentState(id)).toBe('pondering')
    expect(await agentState(id)).toBe('loading')
  })
})

describe('control routes', () => {
  it('replaces faults, reports state and resets', async () => {
    await start()
    const put = (body: string) => fetch(`${current().url}/_simulator/faults`, { method: 'PUT', body })
    expect((await put('[{"kind":"null-body","route":"get"}]')).status).toBe(200)
    expect((await put('[{"kind":"bogus"}]')).status).toBe(400)
    const id = await idOf(await create())
    expect(await (await call(`/api/conversations/${id}`)).json()).toBeNull()
    const state = await (await fetch(`${current().url}/_simulator/state`)).json()
    expect(state).toEqual(current().state())
    expect(state).toMatchObject({ created: 1, conversations: [{ id }], requests: [{ method: 'POST' }, { path: `/api/conversations/${id}`, status: 200 }] })
    expect((await fetch(`${current().url}/_simulator/reset`, { method: 'POST' })).status).toBe(200)
    expect(current().state()).toEqual({
      conversations: [],
      startTasks: [],
      sandboxes: [],
      activeSandboxes: {},
      requests: [],
      createAttempts: 0,
      created: 0,
      stopRequests: 0,
      maxConcurrentRunning: 0
    })
    expect(await (await call(`/api/conversations/${id}`)).text()).toBe('null')
  })
})

describe('cli', () => {
  function run(args: string[]) {
    const child = spawn(process.execPath, ['simulator/cli.js', ...args], { cwd: process.cwd() })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    return { child, exited, out: () => stdout, err: () => stderr }
  }

  it('prints the listening line, serves, and exits cleanly on SIGTERM', async () => {
    const cli = run(['--port', '0', '--starting', '500ms'])
    try {
      // Bounded so a CLI that never starts fails the test instead of hanging it.
      for (let i = 0; i < 1000 && !cli.out().includes('\n') && cli.child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 10))
      const match = /^OpenHands simulator listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(cli.out())
      expect(match).not.toBeNull()
      expect(Number(match?.[2])).toBeGreaterThan(0)
      expect((await fetch(`${match?.[1]}/_simulator/state`)).status).toBe(200)
      cli.child.kill('SIGTERM')
      expect(await cli.exited).toBe(0)
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
    }
  })

  it('names a bad flag and exits 2', async () => {
    const cli = run(['--bogus'])
    expect(await cli.exited).toBe(2)
    expect(cli.err()).toContain('--bogus')
  })

  it('parses the agent, events, V1 and V0 flags', () => {
    const { options } = parseCommandLine([
      '--agent-finishes',
      '20s',
      '--agent-final',
      'awaiting_user_input',
      '--start-task',
      '250ms',
      '--no-events',
      '--no-v1',
      '--no-v0'
    ])
    expect(options).toMatchObject({
      agentFinishesMs: 20_000,
      agentFinalState: 'awaiting_user_input',
      startTaskMs: 250,
      eventsRoute: false,
      v1: false,
      v0: false
    })
    expect(parseCommandLine([]).options).toMatchObject({
      agentFinishesMs: undefined,
      agentFinalState: 'finished',
      startTaskMs: 600,
      eventsRoute: true,
      v1: true,
      v0: true
    })
    expect(() => parseCommandLine(['--agent-final', 'done'])).toThrow(/--agent-final: expected one of finished, .*stuck, waiting_for_confirmation, got 'done'/)
    expect(() => parseCommandLine(['--agent-finishes', 'soon'])).toThrow(/--agent-finishes/)
    expect(() => parseCommandLine(['--start-task', '-1'])).toThrow(/--start-task/)
    expect(() => parseCommandLine(['--fault', '{"kind":"status","route":"v1-pause"}'])).not.toThrow()
  })

  it('serves what the new flags ask for', async () => {
    // The agent finishes at creation and the runtime runs for ten minutes: no timing involved.
    const cli = run(['--port', '0', '--api-key', KEY, '--starting', '0', '--running', '10m', '--agent-finishes', '0ms', '--agent-final', 'rejected', '--no-v1'])
    try {
      for (let i = 0; i < 1000 && !cli.out().includes('\n') && cli.child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 10))
      const url = /listening on (\S+)\n/.exec(cli.out())?.[1] ?? ''
      const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }
      const created = await fetch(`${url}/api/conversations`, { method: 'POST', headers, body: '{"initial_user_msg":"x"}' })
      const id = await idOf(created)
      const conversation = (await (await fetch(`${url}/api/conversations/${id}`, { headers })).json()) as { status: string }
      expect(conversation.status).toBe('RUNNING')
      const page = (await (await fetch(`${url}/api/conversations/${id}/events?reverse=true`, { headers })).json()) as EventPage
      expect(agentStateIn(page)).toBe('rejected')
      expect((await fetch(`${url}/api/v1/app-conversations?ids=${id}`, { headers })).status).toBe(404)
      cli.child.kill('SIGTERM')
      expect(await cli.exited).toBe(0)
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
    }
  })

  it('names a bad --agent-final and exits 2', async () => {
    const cli = run(['--agent-final', 'done'])
    expect(await cli.exited).toBe(2)
    expect(cli.err()).toContain(
      "--agent-final: expected one of finished, awaiting_user_input, error, rejected, stopped, stuck, waiting_for_confirmation, got 'done'"
    )
  })
})
