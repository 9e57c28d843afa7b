// The simulator's V1 routes (/api/v1/...): start tasks, app conversations, sandbox pause.
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals'
import { startSimulator } from '../simulator/server.js'

type Simulator = Awaited<ReturnType<typeof startSimulator>>
type Options = NonNullable<Parameters<typeof startSimulator>[0]>
type Call = { method?: string; body?: unknown; raw?: string; key?: string | null }
type Task = {
  id: string
  status: string
  detail: string | null
  app_conversation_id: string | null
  sandbox_id: string | null
  agent_server_url: string | null
  updated_at: string
}
type AppConversation = {
  id: string
  sandbox_id: string
  sandbox_status: string
  execution_status: string | null
  conversation_url: string | null
  updated_at: string
}

const KEY = 'sim-v1-test-key-9e3b'
const T0 = Date.parse('2025-06-01T00:00:00.000Z')
const HEX32 = /^[0-9a-f]{32}$/
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

const startBody = (text = 'Do the thing', extra: Record<string, unknown> = {}) => ({
  initial_message: { role: 'user', content: [{ type: 'text', text }] },
  ...extra
})
const createV1 = (body: unknown = startBody(), key?: string | null) => call('/api/v1/app-conversations', { method: 'POST', body, key })
const taskOf = async (res: Response) => (await res.json()) as Task
const query = (ids: string[]) => ids.map((id) => `ids=${id}`).join('&')
const tasks = async (...ids: string[]) =>
  (await (await call(`/api/v1/app-conversations/start-tasks?${query(ids)}`)).json()) as (Task | null)[]
const conversations = async (...ids: string[]) =>
  (await (await call(`/api/v1/app-conversations?${query(ids)}`)).json()) as (AppConversation | null)[]
const pause = (sandboxId: string, key?: string | null) => call(`/api/v1/sandboxes/${sandboxId}/pause`, { method: 'POST', key })
const statuses = async (id: string) => {
  const [conversation] = await conversations(id)
  return [conversation?.sandbox_status, conversation?.execution_status]
}

/** Starts one V1 conversation: its start task as first answered, its id and its sandbox id. */
async function ready(body: unknown = startBody()): Promise<{ task: Task; id: string; sandboxId: string }> {
  const task = await taskOf(await createV1(body))
  const [conversation] = current().state().conversations.filter((c) => c.version === 'V1').slice(-1)
  return { task, id: conversation.id, sandboxId: String(conversation.sandboxId) }
}

beforeEach(() => {
  clock = T0
})

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('POST /api/v1/app-conversations', () => {
  it('answers a WORKING start task and creates the conversation at once', async () => {
    await start()
    const sent = startBody('Fix the bug 🐛', { selected_repository: 'octo/repo', selected_branch: 'dev' })
    const res = await createV1(sent)
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/json'])
    const task = await taskOf(res)
    expect(task).toEqual({
      id: expect.stringMatching(HEX32), created_by_user_id: null, status: 'WORKING', detail: null, app_conversation_id: null,
      sandbox_id: null, agent_server_url: null,
      request: {
        sandbox_id: null, conversation_id: null, initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix the bug 🐛' }] },
        system_message_suffix: null, processors: null, llm_model: null, selected_repository: 'octo/repo', selected_branch: 'dev',
        git_provider: null, title: null, trigger: null, pr_number: [], parent_conversation_id: null, agent_type: 'default', public: null
      },
      created_at: '2025-06-01T00:00:00.000Z', updated_at: '2025-06-01T00:00:00.000Z'
    })
    const state = current().state()
    expect(state).toMatchObject({ createAttempts: 1, created: 1 })
    expect(state.conversations).toEqual([{
      id: expect.stringMatching(HEX32), version: 'V1', status: 'STARTING', agentState: 'loading', createdAt: T0, stoppedAt: null,
      sandboxId: expect.stringMatching(/^[0-9A-Za-z]{22}$/), repository: 'octo/repo', branch: 'dev', body: sent
    }])
    expect(state.conversations[0].id).not.toBe(task.id)
    expect(state.startTasks).toEqual([{ id: task.id, status: 'WORKING', conversationId: state.conversations[0].id, detail: null, createdAt: T0 }])
  })

  it('refuses bodies FastAPI would refuse, with pydantic details, creating nothing', async () => {
    await start()
    const missing = await createV1({ selected_repository: 'o/r' })
    expect([missing.status, await missing.json()]).toEqual([422, {
      detail: [{ type: 'missing', loc: ['body', 'initial_message'], msg: 'Field required', input: { selected_repository: 'o/r' } }]
    }])
    const extra = await createV1(startBody('x', { initial_user_msg: 'x' }))
    expect(await extra.json()).toEqual({
      detail: [{ type: 'extra_forbidden', loc: ['body', 'initial_user_msg'], msg: 'Extra inputs are not permitted', input: 'x' }]
    })
    const cases: [unknown, string, (string | number)[]][] = [
      [{ initial_message: 'hello' }, 'model_attributes_type', ['body', 'initial_message']],
      [{ initial_message: { content: 'hello' } }, 'list_type', ['body', 'initial_message', 'content']],
      [{ initial_message: { content: [{ text: 'x' }] } }, 'union_tag_not_found', ['body', 'initial_message', 'content', 0]],
      [{ initial_message: { content: [{ type: 'video' }] } }, 'union_tag_invalid', ['body', 'initial_message', 'content', 0]],
      [{ initial_message: { content: [{ type: 'text', text: 5 }] } }, 'string_type', ['body', 'initial_message', 'content', 0, 'text', 'text']],
      [{ initial_message: { role: 'robot', content: [] } }, 'literal_error', ['body', 'initial_message', 'role']],
      [startBody('x', { git_provider: 'sourceforge' }), 'enum', ['body', 'git_provider']],
      [startBody('x', { selected_repository: 42 }), 'string_type', ['body', 'selected_repository']],
      [[], 'model_attributes_type', ['body']]
    ]
    for (const [body, type, loc] of cases) {
      const res = await createV1(body)
      expect(res.status).toBe(422)
      expect(((await res.json()) as { detail: { type: string; loc: unknown[] }[] }).detail[0]).toMatchObject({ type, loc })
    }
    for (const raw of ['{oops', '']) {
      const res = await call('/api/v1/app-conversations', { method: 'POST', raw })
      expect(res.status).toBe(422)
    }
    expect(current().state()).toMatchObject({ created: 0, startTasks: [], createAttempts: cases.length + 4 })
  })

  it('answers 429 at the running limit, counting V0 and V1 conversations together', async () => {
    await start({ maxRunning: 4 })
    for (let i = 0; i < 2; i++) expect((await createV1()).status).toBe(200)
    for (let i = 0; i < 2; i++) expect((await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })).status).toBe(200)
    const refused = await createV1()
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual({
      status: 'error', message: 'Too many running conversations: at most 4 may run at once', msg_id: 'STATUS$ERROR_TOO_MANY_CONVERSATIONS'
    })
    expect(current().state()).toMatchObject({ created: 4, createAttempts: 5, maxConcurrentRunning: 4 })
    expect(current().state().startTasks).toHaveLength(2)
  })

  it('answers 429 with Retry-After past the rate limit, and 401 without a key', async () => {
    await start({ rateLimitPerMinute: 1 })
    expect((await createV1()).status).toBe(200)
    const limited = await createV1()
    expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([429, '60', { error: 'Rate limit exceeded: 1 per 1 minute' }])
    const anonymous = await createV1(startBody(), null)
    expect([anonymous.status, await anonymous.json()]).toEqual([401, { error: 'NoCredentialsError' }])
    expect(current().state().created).toBe(1)
  })
})

describe('start tasks', () => {
  it('walk WORKING → WAITING_FOR_SANDBOX → PREPARING_REPOSITORY → STARTING_CONVERSATION → READY', async () => {
    await start({ startTaskMs: 800 })
    const { task, id, sandboxId } = await ready(startBody('x', { selected_repository: 'octo/repo' }))
    const seen = []
    for (const at of [0, 199, 200, 400, 600, 799, 800, 5000]) {
      clock = T0 + at
      const [now] = await tasks(task.id)
      seen.push([at, now?.status, now?.sandbox_id, now?.app_conversation_id, now?.updated_at.slice(17)])
    }
    expect(seen).toEqual([
      [0, 'WORKING', null, null, '00.000Z'],
      [199, 'WORKING', null, null, '00.000Z'],
      [200, 'WAITING_FOR_SANDBOX', null, null, '00.200Z'],
      [400, 'PREPARING_REPOSITORY', sandboxId, null, '00.400Z'],
      [600, 'STARTING_CONVERSATION', sandboxId, null, '00.600Z'],
      [799, 'STARTING_CONVERSATION', sandboxId, null, '00.600Z'],
      [800, 'READY', sandboxId, id, '00.800Z'],
      [5000, 'READY', sandboxId, id, '00.800Z']
    ])
    const [done] = await tasks(task.id)
    expect(done).toMatchObject({ detail: null, agent_server_url: `${current().url}/sandboxes/${sandboxId}` })
    expect(current().state().startTasks[0]).toMatchObject({ status: 'READY', conversationId: id })
  })

  it('end in ERROR with the reason for an inaccessible or malformed repository, creating nothing', async () => {
    await start({ inaccessibleRepos: ['secret/repo'], startTaskMs: 600 })
    const ids = []
    for (const repository of ['secret/repo', 'not-a-repo']) {
      const res = await createV1(startBody('x', { selected_repository: repository }))
      expect(res.status).toBe(200)
      ids.push((await taskOf(res)).id)
    }
    clock = T0 + 599
    expect((await tasks(...ids)).map((t) => [t?.status, t?.detail])).toEqual([['STARTING_CONVERSATION', null], ['STARTING_CONVERSATION', null]])
    clock = T0 + 600
    expect(await tasks(...ids)).toEqual([
      expect.objectContaining({ status: 'ERROR', detail: 'Unable to access repo secret/repo', app_conversation_id: null, sandbox_id: null, agent_server_url: null }),
      expect.objectContaining({ status: 'ERROR', detail: 'Unable to access repo not-a-repo', app_conversation_id: null })
    ])
    expect(current().state()).toMatchObject({ created: 0, createAttempts: 2, conversations: [] })
    expect(current().state().startTasks.map((t) => [t.status, t.detail])).toEqual([
      ['ERROR', 'Unable to access repo secret/repo'], ['ERROR', 'Unable to access repo not-a-repo']
    ])
  })

  it('end in ERROR when no LLM key is configured', async () => {
    await start({ llmConfigured: false, startTaskMs: 0 })
    const task = await taskOf(await createV1())
    expect([task.status, task.detail]).toEqual(['ERROR', 'Error authenticating with the LLM provider. Please check your API key'])
    expect(current().state().created).toBe(0)
  })

  it('are listed in the order asked, null for unknown or foreign ids, 422 without ids', async () => {
    await start({ apiKey: undefined })
    const first = await taskOf(await createV1(startBody(), 'alice'))
    const second = await taskOf(await createV1(startBody(), 'alice'))
    const unknown = '0123456789abcdef0123456789abcdef'
    const listed = async (key: string, ids: string[]) =>
      ((await (await call(`/api/v1/app-conversations/start-tasks?${query(ids)}`, { key })).json()) as (Task | null)[]).map((t) => t?.id ?? null)
    expect(await listed('alice', [second.id, unknown, first.id])).toEqual([second.id, null, first.id])
    expect(await listed('bob', [first.id])).toEqual([null])
    const dashed = first.id.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-').toUpperCase()
    expect(await listed('alice', [dashed])).toEqual([first.id])
    const none = await call('/api/v1/app-conversations/start-tasks', { key: 'alice' })
    expect([none.status, await none.json()]).toEqual([422, { detail: [{ type: 'missing', loc: ['query', 'ids'], msg: 'Field required', input: null }] }])
    const bad = await call('/api/v1/app-conversations/start-tasks?ids=nope', { key: 'alice' })
    expect(((await bad.json()) as { detail: { type: string }[] }).detail[0].type).toBe('uuid_parsing')
  })
})

describe('GET /api/v1/app-conversations', () => {
  it('answers the AppConversation shape, null for unknown and V0 ids', async () => {
    await start({ startingMs: 1000, runningMs: 3000, startTaskMs: 0 })
    const { task, id, sandboxId } = await ready(startBody('A long task description that goes on and on', { selected_repository: 'o/r' }))
    expect(task.app_conversation_id).toBe(id)
    const v0 = ((await (await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })).json()) as { conversation_id: string }).conversation_id
    const list = await conversations(id, '0123456789abcdef0123456789abcdef', v0)
    expect(list).toEqual([{
      id, created_by_user_id: null, sandbox_id: sandboxId, selected_repository: 'o/r', selected_branch: null, git_provider: 'github',
      title: 'A long task description that g', trigger: null, pr_number: [], llm_model: 'litellm_proxy/claude-sonnet-4-5-20250929',
      metrics: null, parent_conversation_id: null, sub_conversation_ids: [], public: null,
      created_at: '2025-06-01T00:00:00.000Z', updated_at: '2025-06-01T00:00:00.000Z',
      sandbox_status: 'STARTING', execution_status: null, conversation_url: null, session_api_key: null
    }, null, null])
    clock = T0 + 1000
    const [running] = await conversations(id)
    expect(running).toMatchObject({
      sandbox_status: 'RUNNING', execution_status: 'running', updated_at: '2025-06-01T00:00:01.000Z',
      conversation_url: `${current().url}/sandboxes/${sandboxId}/api/conversations/${id}`
    })
    const none = await call('/api/v1/app-conversations')
    expect(none.status).toBe(422)
  })

  it('follows the runtime for sandbox_status and the agent for execution_status', async () => {
    await start({ startingMs: 1000, runningMs: 5000, agentFinishesMs: 3000, startTaskMs: 0 })
    const { id } = await ready()
    const seen = []
    for (const at of [0, 1000, 2999, 3000, 5999, 6000]) {
      clock = T0 + at
      seen.push([at, ...(await statuses(id))])
    }
    expect(seen).toEqual([
      [0, 'STARTING', null], [1000, 'RUNNING', 'running'], [2999, 'RUNNING', 'running'],
      [3000, 'RUNNING', 'finished'], [5999, 'RUNNING', 'finished'], [6000, 'PAUSED', null]
    ])
  })

  it('shows ERROR when the runtime ends in ERROR', async () => {
    await start({ startingMs: 10, runningMs: 10, finalStatus: 'ERROR', startTaskMs: 0 })
    const { id } = await ready()
    clock = T0 + 20
    expect(await statuses(id)).toEqual(['ERROR', null])
  })

  it.each([
    ['finished', 'finished'],
    ['error', 'error'],
    ['rejected', 'error'],
    ['awaiting_user_input', 'idle'],
    ['stuck', 'stuck'],
    ['stopped', 'paused']
  ] as const)('maps the agent final state %s to execution_status %s', async (final, shown) => {
    await start({ startingMs: 0, runningMs: 10_000, agentFinishesMs: 100, agentFinalState: final, startTaskMs: 0 })
    const { id } = await ready()
    clock = T0 + 99
    expect(await statuses(id)).toEqual(['RUNNING', 'running'])
    clock = T0 + 100
    expect(await statuses(id)).toEqual(['RUNNING', shown])
  })
})

describe('POST /api/v1/sandboxes/{sandbox_id}/pause', () => {
  it('stops the conversation, frees its slot and is counted', async () => {
    await start({ maxRunning: 1, startingMs: 100, runningMs: 60_000, startTaskMs: 0 })
    const { id, sandboxId } = await ready()
    clock = T0 + 500
    expect((await createV1()).status).toBe(429)
    const res = await pause(sandboxId)
    expect([res.status, await res.json()]).toEqual([200, { success: true }])
    expect(await statuses(id)).toEqual(['PAUSED', null])
    expect(current().state().conversations[0]).toMatchObject({ status: 'STOPPED', agentState: 'stopped', stoppedAt: T0 + 500 })
    expect(current().state().stopRequests).toBe(1)
    expect((await createV1()).status).toBe(200)
    // Pausing what is already paused is no error.
    expect((await pause(sandboxId)).status).toBe(200)
    expect(current().state().stopRequests).toBe(2)
  })

  it("answers 404 for an unknown or another account's sandbox, and for a conversation id", async () => {
    await start({ apiKey: undefined, startTaskMs: 0 })
    await createV1(startBody(), 'alice')
    const [conversation] = current().state().conversations
    for (const [sandbox, key] of [[String(conversation.sandboxId), 'bob'], ['no-such-sandbox', 'alice'], [conversation.id, 'alice']]) {
      const res = await pause(sandbox, key)
      expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }])
    }
    expect(current().state().conversations[0].status).toBe('STARTING')
    expect(current().state().stopRequests).toBe(3)
  })
})

describe('servers with only one API', () => {
  it('v1: false answers 404 on every /api/v1 route, and V0 still works', async () => {
    await start({ v1: false })
    const id = '0123456789abcdef0123456789abcdef'
    const answers = [
      await createV1(),
      await call(`/api/v1/app-conversations/start-tasks?ids=${id}`),
      await call(`/api/v1/app-conversations?ids=${id}`),
      await pause('sandbox')
    ]
    for (const res of answers) expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }])
    expect(current().state()).toMatchObject({ created: 0, startTasks: [] })
    expect((await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })).status).toBe(200)
  })

  it('v0: false answers 404 on every V0 route, and V1 still works', async () => {
    await start({ v0: false, startTaskMs: 0 })
    const { id } = await ready()
    const answers = [
      await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } }),
      await call('/api/conversations'),
      await call(`/api/conversations/${id}`),
      await call(`/api/conversations/${id}/stop`, { method: 'POST' }),
      await call(`/api/conversations/${id}/events`)
    ]
    for (const res of answers) expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }])
    expect(current().state()).toMatchObject({ created: 1, conversations: [{ id, status: 'STARTING' }] })
    expect((await conversations(id))[0]?.id).toBe(id)
  })
})

describe('faults on the V1 routes', () => {
  it('status on v1-create refuses without creating; create-then-fail creates exactly one', async () => {
    await start({ faults: [{ kind: 'status', route: 'v1-create', statusCode: 503, count: 1 }, { kind: 'create-then-fail', route: 'v1-create', count: 1 }] })
    expect((await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })).status).toBe(200)
    expect((await createV1()).status).toBe(503)
    expect(current().state()).toMatchObject({ created: 1, startTasks: [] })
    expect((await createV1()).status).toBe(500)
    expect(current().state()).toMatchObject({ created: 2, createAttempts: 3 })
    expect(current().state().startTasks).toHaveLength(1)
  })

  it('target v1-task, v1-get and v1-pause separately', async () => {
    await start({
      startingMs: 0,
      startTaskMs: 0,
      faults: [
        { kind: 'status', route: 'v1-task', statusCode: 403, count: 1 },
        { kind: 'unknown-status', route: 'v1-task', status: 'HATCHING', count: 1 },
        { kind: 'unknown-status', route: 'v1-get', status: 'daydreaming', count: 1 },
        { kind: 'null-body', route: 'v1-get', count: 1 },
        { kind: 'status', route: 'v1-pause', statusCode: 502, count: 1 }
      ]
    })
    const { task, id, sandboxId } = await ready()
    expect((await call(`/api/v1/app-conversations/start-tasks?ids=${task.id}`)).status).toBe(403)
    expect((await tasks(task.id))[0]?.status).toBe('HATCHING')
    expect((await tasks(task.id))[0]?.status).toBe('READY')
    expect(await statuses(id)).toEqual(['RUNNING', 'daydreaming'])
    expect(await (await call(`/api/v1/app-conversations?ids=${id}`)).json()).toBeNull()
    expect(await statuses(id)).toEqual(['RUNNING', 'running'])
    expect((await pause(sandboxId)).status).toBe(502)
    expect(await statuses(id)).toEqual(['RUNNING', 'running'])
    expect((await pause(sandboxId)).status).toBe(200)
    expect(await statuses(id)).toEqual(['PAUSED', null])
    expect(current().state().stopRequests).toBe(2)
  })

  it("route 'any' reaches the V1 routes too, and unknown route names are refused", async () => {
    await start({ faults: [{ kind: 'drop', count: 1 }] })
    await expect(createV1()).rejects.toThrow()
    expect(current().state()).toMatchObject({ created: 0, createAttempts: 1 })
    expect(() => current().addFault({ kind: 'status', route: 'v2-create' as never })).toThrow(/unknown fault route "v2-create"; expected one of .*v1-create, v1-task, v1-get, v1-pause/)
  })
})

describe('control routes', () => {
  it('reset forgets start tasks and stop requests', async () => {
    await start({ startTaskMs: 0 })
    const { sandboxId } = await ready()
    await pause(sandboxId)
    expect(current().state()).toMatchObject({ stopRequests: 1, startTasks: [{ status: 'READY' }] })
    expect((await fetch(`${current().url}/_simulator/reset`, { method: 'POST' })).status).toBe(200)
    expect(current().state()).toMatchObject({ stopRequests: 0, startTasks: [], conversations: [], created: 0, createAttempts: 0 })
  })
})
