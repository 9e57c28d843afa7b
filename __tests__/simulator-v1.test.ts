// The simulator's V1 app server: starting (body, start task stages, refusals), auth,
// the request-rate limiter, onExchange, V0/V1 switches and faults on the V1 routes.
// Sandboxes and the limit: simulator-v1-sandboxes.test.ts; the agent: simulator-v1-agent.test.ts.
import { describe, it, expect } from '@jest/globals'
import {
  HEX32,
  KEY,
  T0,
  at,
  call,
  conforms,
  conversation,
  conversations,
  createV1,
  current,
  json,
  pause,
  start,
  startBody,
  started,
  tasks,
  type Task
} from './helpers/simulator-v1.js'

const STAGES = [
  'WORKING',
  'WAITING_FOR_SANDBOX',
  'PREPARING_REPOSITORY',
  'RUNNING_SETUP_SCRIPT',
  'SETTING_UP_GIT_HOOKS',
  'SETTING_UP_SKILLS',
  'STARTING_CONVERSATION'
]

describe('POST /api/v1/app-conversations', () => {
  it('answers a WORKING start task echoing the request, with a STARTING sandbox behind it', async () => {
    await start({}, true)
    const sent = startBody('Fix the bug 🐛', { selected_repository: 'octo/repo', selected_branch: 'dev', trigger: 'openhands_api' })
    const res = await createV1(sent)
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/json'])
    const task = (await res.json()) as Task
    expect(task).toEqual({
      id: expect.stringMatching(HEX32),
      created_by_user_id: null,
      status: 'WORKING',
      detail: null,
      app_conversation_id: null,
      sandbox_id: null,
      agent_server_url: null,
      request: expect.objectContaining({
        initial_message: { role: 'user', content: [{ cache_prompt: false, type: 'text', text: 'Fix the bug 🐛' }], run: true },
        selected_repository: 'octo/repo',
        selected_branch: 'dev',
        trigger: 'openhands_api',
        title: null,
        sandbox_id: null,
        agent_type: 'default',
        pr_number: []
      }),
      created_at: '2025-06-01T00:00:00.000Z',
      updated_at: '2025-06-01T00:00:00.000Z'
    })
    const state = current().state()
    expect(state).toMatchObject({ createAttempts: 1, created: 1, maxConcurrentRunning: 1 })
    expect(state.sandboxes).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^[0-9A-Za-z]{22}$/), status: 'STARTING', conversationIds: [state.conversations[0].id] })
    ])
    expect(state.conversations[0]).toMatchObject({
      version: 'V1',
      status: 'STARTING',
      executionStatus: null,
      finished: false,
      repository: 'octo/repo',
      body: sent
    })
    expect(Object.values(state.activeSandboxes)).toEqual([1])
    // Not visible through the API before READY.
    expect(await conversations(state.conversations[0].id)).toEqual([null])
    conforms()
  })

  it('ignores unknown top-level fields and the title, but validates trigger and initial_message', async () => {
    await start({ startTaskMs: 0 })
    const { id, task } = await started(startBody('x', { no_such_field: 1, title: 'Mine', initial_user_msg: 'old' }))
    expect(task.request).not.toHaveProperty('no_such_field')
    expect((await conversation(id)).title).toBe(`Conversation ${id.slice(0, 5)}`)
    const cases: [unknown, string, (string | number)[]][] = [
      [startBody('x', { trigger: 'cron' }), 'enum', ['body', 'trigger']],
      [{ selected_repository: 'o/r' }, 'missing', ['body', 'initial_message']],
      [{ initial_message: 'hello' }, 'model_attributes_type', ['body', 'initial_message']],
      [{ initial_message: { content: 'hello' } }, 'list_type', ['body', 'initial_message', 'content']],
      [{ initial_message: { content: [{ type: 'video' }] } }, 'union_tag_invalid', ['body', 'initial_message', 'content', 0]],
      [
        { initial_message: { content: [{ type: 'text', text: 'x', extra: 1 }] } },
        'extra_forbidden',
        ['body', 'initial_message', 'content', 0, 'text', 'extra']
      ],
      [{ initial_message: { role: 'robot', content: [] } }, 'literal_error', ['body', 'initial_message', 'role']],
      [{ initial_message: { content: [], run: 'yes' } }, 'bool_type', ['body', 'initial_message', 'run']],
      [startBody('x', { git_provider: 'sourceforge' }), 'enum', ['body', 'git_provider']],
      [[], 'model_attributes_type', ['body']]
    ]
    for (const [body, type, loc] of cases) {
      const res = await createV1(body)
      expect([res.status, ((await res.json()) as { detail: { type: string; loc: unknown[] }[] }).detail[0]]).toEqual([
        422,
        expect.objectContaining({ type, loc })
      ])
    }
    expect((await createV1(startBody('x', { trigger: 'automation', git_provider: 'forgejo' }))).status).toBe(200)
    expect(current().state()).toMatchObject({ created: 2, createAttempts: cases.length + 2 })
  })
})

describe('start tasks', () => {
  it('pass through every stage in order, evenly, then READY with the conversation and its agent server', async () => {
    await start({ startTaskMs: 700 })
    const { task, id, sandboxId } = await started(startBody('x', { selected_repository: 'octo/repo' }))
    const seen = []
    for (const ms of [0, 99, 100, 200, 300, 400, 500, 600, 699, 700, 5000]) {
      at(ms)
      const [now] = await tasks(task.id)
      seen.push([ms, now?.status, now?.sandbox_id, now?.app_conversation_id, now?.updated_at.slice(17)])
    }
    expect(seen).toEqual([
      [0, 'WORKING', null, null, '00.000Z'],
      [99, 'WORKING', null, null, '00.000Z'],
      [100, 'WAITING_FOR_SANDBOX', sandboxId, null, '00.100Z'],
      ...STAGES.slice(2).map((stage, i) => [200 + i * 100, stage, sandboxId, null, `00.${200 + i * 100}Z`]),
      [699, 'STARTING_CONVERSATION', sandboxId, null, '00.600Z'],
      [700, 'READY', sandboxId, id, '00.700Z'],
      [5000, 'READY', sandboxId, id, '00.700Z']
    ])
    const [done] = await tasks(task.id)
    expect(done).toMatchObject({ detail: null, agent_server_url: `${current().url}/agent/${sandboxId}` })
    expect((await conversation(id)).sandbox_status).toBe('RUNNING')
  })

  it('end in ERROR with the reason for an inaccessible repository or no LLM, creating no sandbox', async () => {
    await start({ inaccessibleRepos: ['secret/repo'], startTaskMs: 700 })
    const ids = []
    for (const repository of ['secret/repo', 'not-a-repo']) ids.push((await json<Task>(createV1(startBody('x', { selected_repository: repository })))).id)
    at(699)
    expect((await tasks(...ids)).map((t) => [t?.status, t?.sandbox_id])).toEqual([
      ['STARTING_CONVERSATION', null],
      ['STARTING_CONVERSATION', null]
    ])
    at(700)
    expect(await tasks(...ids)).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        detail: 'Unable to access repo secret/repo',
        app_conversation_id: null,
        sandbox_id: null,
        agent_server_url: null
      }),
      expect.objectContaining({ status: 'ERROR', detail: 'Unable to access repo not-a-repo' })
    ])
    expect(current().state()).toMatchObject({ created: 0, createAttempts: 2, conversations: [], sandboxes: [] })
    await current().close()
    await start({ llmConfigured: false, startTaskMs: 0 })
    const task = await json<Task>(createV1())
    expect([task.status, task.detail]).toEqual(['ERROR', 'Error authenticating with the LLM provider. Please check your API key'])
  })

  it('are listed in the order asked, null for unknown or foreign ids, dashes accepted, 422 without ids', async () => {
    await start({ apiKey: undefined })
    const first = await json<Task>(createV1(startBody(), 'alice'))
    const second = await json<Task>(createV1(startBody(), 'alice'))
    const unknown = '0123456789abcdef0123456789abcdef'
    const listed = async (key: string, ids: string[]) =>
      (await json<(Task | null)[]>(call(`/api/v1/app-conversations/start-tasks?${ids.map((i) => `ids=${i}`).join('&')}`, { key }))).map((t) => t?.id ?? null)
    expect(await listed('alice', [second.id, unknown, first.id])).toEqual([second.id, null, first.id])
    expect(await listed('bob', [first.id])).toEqual([null])
    const dashed = first.id.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-').toUpperCase()
    expect(await listed('alice', [dashed])).toEqual([first.id])
    const none = await call('/api/v1/app-conversations/start-tasks', { key: 'alice' })
    expect([none.status, await none.json()]).toEqual([422, { detail: [{ type: 'missing', loc: ['query', 'ids'], msg: 'Field required', input: null }] }])
  })
})

describe('GET /api/v1/app-conversations', () => {
  it('answers a list, null for unknown, and 400 for a malformed id', async () => {
    await start({ startTaskMs: 0 })
    const { id } = await started()
    const dashed = id.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
    expect((await conversations(dashed, '0123456789abcdef0123456789abcdef')).map((c) => c?.id ?? null)).toEqual([id, null])
    const bad = await call(`/api/v1/app-conversations?ids=${id}&ids=nope`)
    expect([bad.status, await bad.json()]).toEqual([400, { detail: "Invalid UUID format for ids: ['nope']" }])
  })
})

describe('auth', () => {
  it('takes Bearer, X-Access-Token or a sandbox session key, else 401 NoCredentialsError', async () => {
    await start({ startTaskMs: 0 })
    const { id } = await started()
    const { session_api_key: sessionKey } = await conversation(id)
    const get = (headers: Record<string, string>) => call(`/api/v1/app-conversations?ids=${id}`, { key: null, headers })
    const good: Record<string, string>[] = [{ Authorization: `Bearer ${KEY}` }, { 'X-Access-Token': KEY }, { 'X-Session-API-Key': String(sessionKey) }]
    for (const headers of good) {
      const res = await get(headers)
      expect([res.status, ((await res.json()) as { id: string }[])[0]?.id]).toEqual([200, id])
    }
    const bad: Record<string, string>[] = [{}, { Authorization: `Basic ${KEY}` }, { 'X-Access-Token': 'wrong' }, { 'X-Session-API-Key': 'sk-oh-nope' }]
    for (const headers of bad) {
      const res = await get(headers)
      expect([res.status, await res.json()]).toEqual([401, { error: 'NoCredentialsError' }])
    }
  })
})

describe('request-rate limiter', () => {
  it('allows 10 per second and 100 per minute, with headers only on the 429, in the real forms', async () => {
    await start({ rateLimitPerSecond: 10, rateLimitPerMinute: 100 })
    at(250)
    for (let i = 0; i < 10; i++) {
      const res = await call('/api/v1/app-conversations/search')
      expect([res.status, res.headers.get('x-ratelimit-limit'), res.headers.get('retry-after')]).toEqual([200, null, null])
    }
    at(750)
    const perSecond = await call('/api/v1/app-conversations/search')
    expect(perSecond.status).toBe(429)
    expect(await perSecond.json()).toEqual({ error: 'Rate limit exceeded: 10 per 1 second' })
    const headers = (res: Response) => ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'].map((h) => res.headers.get(h))
    // The window began at the first hit (T0 + 250 ms): it resets at T0 + 1.25 s; both headers truncate (int() upstream).
    expect(headers(perSecond)).toEqual(['10 per 1 second', '0', String(Math.floor((T0 + 1250) / 1000)), '0'])
    let answered = 10
    for (let s = 1; answered < 100; s++) {
      at(250 + s * 1000)
      for (let i = 0; i < 10 && answered < 100; i++, answered++) expect((await call('/api/v1/app-conversations/search')).status).toBe(200)
    }
    at(30_250)
    const perMinute = await call('/api/v1/app-conversations/search')
    expect([perMinute.status, await perMinute.json()]).toEqual([429, { error: 'Rate limit exceeded: 100 per 1 minute' }])
    expect(headers(perMinute)).toEqual(['100 per 1 minute', '0', String((T0 + 60_250 - 250) / 1000), '30'])
    at(60_250)
    expect((await call('/api/v1/app-conversations/search')).status).toBe(200)
  })

  it('limits the V0 routes too, per account, and 0 disables it', async () => {
    await start({ apiKey: undefined, rateLimitPerSecond: 2, rateLimitPerMinute: 0 })
    for (let i = 0; i < 2; i++) expect((await call('/api/conversations', { key: 'alice' })).status).toBe(200)
    expect((await call('/api/conversations', { key: 'alice' })).status).toBe(429)
    expect((await call('/api/conversations', { key: 'bob' })).status).toBe(200)
  })
})

describe('onExchange', () => {
  it('reports each answered /api and /agent request whole, not control routes nor dropped sockets', async () => {
    const seen: Record<string, unknown>[] = []
    await start({
      startTaskMs: 0,
      onExchange: (e) => seen.push(e),
      faults: [
        { kind: 'drop', route: 'v1-count', count: 1 },
        { kind: 'null-body', route: 'v1-search', count: 1 }
      ]
    })
    const body = JSON.stringify(startBody())
    const res = await call('/api/v1/app-conversations?x=1', { method: 'POST', raw: body })
    const answer = await res.text()
    await fetch(`${current().url}/_simulator/state`)
    await expect(call('/api/v1/app-conversations/count')).rejects.toThrow()
    await call('/api/v1/app-conversations/search')
    await call('/agent/nope/api/conversations/nope/pause', { method: 'POST' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/api/v1/app-conversations',
        query: 'x=1',
        headers: expect.objectContaining({ authorization: `Bearer ${KEY}` }),
        requestBody: body,
        status: 200,
        responseBody: answer,
        faulted: false
      },
      expect.objectContaining({ method: 'GET', path: '/api/v1/app-conversations/search', status: 200, responseBody: 'null', faulted: true }),
      expect.objectContaining({ method: 'POST', path: '/agent/nope/api/conversations/nope/pause', status: 404, faulted: false })
    ])
  })
})

describe('servers with only one API', () => {
  it('v1: false answers 404 on every /api/v1 and /agent route, and V0 still works', async () => {
    await start({ v1: false })
    const id = '0123456789abcdef0123456789abcdef'
    const answers = [
      await createV1(),
      await call(`/api/v1/app-conversations/start-tasks?ids=${id}`),
      await call(`/api/v1/app-conversations?ids=${id}`),
      await pause('sandbox'),
      await call(`/api/v1/conversation/${id}/events/search`),
      await call('/agent/s/api/conversations/c/pause', { method: 'POST' })
    ]
    for (const res of answers) expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }])
    expect((await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })).status).toBe(200)
  })

  it('v0: false answers 404 on every V0 route, and V1 still works', async () => {
    await start({ v0: false, startTaskMs: 0 })
    const { id } = await started()
    for (const res of [await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } }), await call(`/api/conversations/${id}`)]) {
      expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }])
    }
    expect((await conversation(id)).id).toBe(id)
  })
})

describe('faults on the V1 routes', () => {
  it('status refuses without creating; create-then-fail creates; conversation-limit answers the V1 body', async () => {
    await start({
      maxRunning: 4,
      faults: [
        { kind: 'status', route: 'v1-create', statusCode: 503, count: 1 },
        { kind: 'create-then-fail', route: 'v1-create', count: 1 },
        { kind: 'conversation-limit', route: 'v1-create', count: 1 },
        { kind: 'conversation-limit', route: 'create', count: 1 }
      ]
    })
    expect((await createV1()).status).toBe(503)
    expect(current().state()).toMatchObject({ created: 0, startTasks: [] })
    expect((await createV1()).status).toBe(500)
    expect(current().state()).toMatchObject({ created: 1, createAttempts: 2 })
    const limited = await createV1()
    expect([limited.status, ((await limited.json()) as { detail: unknown }).detail]).toEqual([
      429,
      expect.objectContaining({ error: 'CONCURRENCY_LIMIT_REACHED', limit: 4, current: 4 })
    ])
    const v0 = await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })
    expect(((await v0.json()) as { msg_id: string }).msg_id).toBe('STATUS$ERROR_TOO_MANY_CONVERSATIONS')
  })

  it('unknown-status bends the start task and the conversation; every V1 route name is a fault route', async () => {
    await start({
      startTaskMs: 0,
      faults: [
        { kind: 'unknown-status', route: 'v1-task', status: 'HATCHING', count: 1 },
        { kind: 'unknown-status', route: 'v1-get', status: 'daydreaming', count: 1 }
      ]
    })
    const { task, id } = await started()
    expect((await tasks(task.id))[0]?.status).toBe('HATCHING')
    expect((await tasks(task.id))[0]?.status).toBe('READY')
    expect((await conversation(id)).execution_status).toBe('daydreaming')
    expect((await conversation(id)).execution_status).toBe('idle')
    for (const route of ['v1-search', 'v1-count', 'v1-send', 'v1-events', 'v1-events-count', 'v1-resume', 'v1-sandboxes', 'v1-sandbox-search', 'agent-pause']) {
      expect(() => current().addFault({ kind: 'status', route: route as never, count: 0 })).not.toThrow()
    }
    expect(() => current().addFault({ kind: 'status', route: 'v2-create' as never })).toThrow(/unknown fault route "v2-create"/)
  })
})

describe('cli flags for V1', () => {
  it('parse into the V1 options, and name a bad value', async () => {
    const { parseCommandLine } = await import('../simulator/cli-args.js')
    const { options } = parseCommandLine([
      '--agent-work',
      '2s',
      '--idle',
      '1m',
      '--on-limit',
      'pause-oldest',
      '--sandbox-grouping',
      '--platform-pause-after',
      '500ms',
      '--platform-resume-after',
      '3s',
      '--sandbox-fails-after',
      '10s',
      '--resume',
      '250ms',
      '--rate-limit-per-second',
      '0',
      '--agent-finishes-with',
      'finish',
      '--agent-final',
      'waiting_for_confirmation'
    ])
    expect(options).toMatchObject({
      agentWorkMs: 2000,
      idleMs: 60_000,
      onLimit: 'pause-oldest',
      sandboxGrouping: true,
      platformPause: { afterMs: 500, resumeAfterMs: 3000 },
      sandboxFails: { afterMs: 10_000 },
      resumeMs: 250,
      rateLimitPerSecond: 0,
      agentFinishesWith: 'finish',
      agentFinalState: 'waiting_for_confirmation'
    })
    expect(parseCommandLine([]).options).toMatchObject({
      agentWorkMs: undefined,
      idleMs: 15 * 60_000,
      onLimit: 'reject',
      sandboxGrouping: false,
      platformPause: undefined,
      sandboxFails: undefined,
      resumeMs: 1000,
      rateLimitPerSecond: 10,
      agentFinishesWith: 'message'
    })
    expect(() => parseCommandLine(['--on-limit', 'queue'])).toThrow(/--on-limit: expected reject or pause-oldest/)
    expect(() => parseCommandLine(['--agent-finishes-with', 'shrug'])).toThrow(/--agent-finishes-with/)
    expect(() => parseCommandLine(['--platform-resume-after', '1s'])).toThrow(/needs --platform-pause-after/)
    expect(() => parseCommandLine(['--idle', 'soon'])).toThrow(/--idle/)
  })
})
