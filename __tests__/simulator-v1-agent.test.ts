// The simulator's V1 agent: execution_status, titles, metrics, events, follow-up
// messages, the agent server's per-conversation pause, and search and count.
import { describe, it, expect } from '@jest/globals'
import {
  at,
  call,
  conforms,
  conversation,
  current,
  events,
  json,
  pause,
  sendMessage,
  setSandbox,
  start,
  v1Entry,
  startBody,
  started,
  statuses,
  type AppConversation,
  type Event
} from './helpers/simulator-v1.js'

const texts = (e: Event) => ((e.llm_message as { content: { text: string }[] }).content ?? []).map((p) => p.text).join('')

describe('execution_status', () => {
  it('is idle for a moment, running for agentWorkMs, then finished; null unless the sandbox is RUNNING', async () => {
    await start({ startTaskMs: 500, agentWorkMs: 2000 }, true)
    const { task, id } = await started()
    expect(task.app_conversation_id).toBeNull()
    const seen = []
    for (const ms of [500, 599, 600, 2599, 2600, 10_000]) {
      at(ms)
      const c = await conversation(id)
      seen.push([ms, c.sandbox_status, c.execution_status, c.conversation_url !== null, c.session_api_key !== null])
    }
    expect(seen).toEqual([
      [500, 'RUNNING', 'idle', true, true],
      [599, 'RUNNING', 'idle', true, true],
      [600, 'RUNNING', 'running', true, true],
      [2599, 'RUNNING', 'running', true, true],
      [2600, 'RUNNING', 'finished', true, true],
      [10_000, 'RUNNING', 'finished', true, true]
    ])
    const c = await conversation(id)
    expect(c.conversation_url).toBe(`${current().url}/agent/${c.sandbox_id}/api/conversations/${id}`)
    await pause(c.sandbox_id)
    const paused = await conversation(id)
    expect([paused.execution_status, paused.conversation_url, paused.session_api_key]).toEqual([null, null, null])
    expect(current().state().conversations[0]).toMatchObject({ finished: true, endStatus: 'finished', executionStatus: null, status: 'PAUSED' })
    conforms()
  })

  it.each([
    ['finished', 'finished'],
    ['awaiting_user_input', 'finished'],
    ['error', 'error'],
    ['rejected', 'error'],
    ['stuck', 'stuck'],
    ['stopped', 'paused'],
    ['waiting_for_confirmation', 'waiting_for_confirmation']
  ] as const)('agentFinalState %s ends as %s', async (final, shown) => {
    await start({ startTaskMs: 0, agentWorkMs: 1000, agentFinalState: final }, true)
    const { id } = await started()
    at(1099)
    expect(await statuses(id)).toEqual(['RUNNING', 'running'])
    at(1100)
    expect(await statuses(id)).toEqual(['RUNNING', shown])
    const { items } = await events(id, '?sort_order=TIMESTAMP_DESC&limit=1')
    expect(items[0]).toMatchObject({ kind: 'ConversationStateUpdateEvent', key: 'execution_status', value: shown })
    conforms()
  })
})

describe('the AppConversation', () => {
  it('has every field, the default title until the agent runs, then its own, and metrics that grow', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 10_000 }, true)
    const message = '  Fix the flaky test in the parser module, which fails about one time in ten on CI\nMore detail'
    const { id, sandboxId } = await started(startBody(message, { selected_repository: 'o/r', trigger: 'openhands_api' }))
    const first = await conversation(id)
    expect(first).toEqual({
      id,
      created_by_user_id: null,
      sandbox_id: sandboxId,
      selected_repository: 'o/r',
      selected_branch: null,
      git_provider: 'github',
      title: `Conversation ${id.slice(0, 5)}`,
      trigger: 'openhands_api',
      pr_number: [],
      llm_model: 'litellm_proxy/claude-sonnet-4-5-20250929',
      agent_kind: 'openhands',
      metrics: {
        model_name: 'litellm_proxy/claude-sonnet-4-5-20250929',
        accumulated_cost: 0,
        max_budget_per_task: null,
        accumulated_token_usage: {
          model: 'litellm_proxy/claude-sonnet-4-5-20250929',
          prompt_tokens: 0,
          completion_tokens: 0,
          cache_read_tokens: 0,
          cache_write_tokens: 0,
          reasoning_tokens: 0,
          context_window: 0,
          per_turn_token: 0,
          response_id: ''
        }
      },
      parent_conversation_id: null,
      sub_conversation_ids: [],
      public: null,
      tags: {},
      created_at: '2025-06-01T00:00:00.000Z',
      updated_at: '2025-06-01T00:00:00.000Z',
      sandbox_status: 'RUNNING',
      execution_status: 'idle',
      conversation_url: expect.stringContaining(id),
      session_api_key: expect.stringMatching(/^sk-oh-/),
      acp_server: null,
      launched_agent_profile: null
    })
    at(100)
    expect((await conversation(id)).title).toBe('Fix the flaky test in the parser module, which fai')
    at(2100)
    const { metrics } = await conversation(id)
    expect(metrics).toMatchObject({ accumulated_cost: 0.04, accumulated_token_usage: { prompt_tokens: 8000, completion_tokens: 600 } })
    at(50_000)
    const done = (await conversation(id)).metrics
    expect([done.accumulated_cost, done.accumulated_token_usage.prompt_tokens]).toEqual([0.2, 40_000])
    const none = await conversation((await started(startBody(''))).id)
    expect(none.title).toMatch(/^Conversation [0-9a-f]{5}$/)
    conforms()
  })
})

describe('events', () => {
  it('are SDK-shaped, sorted, filtered, paged, and readable while the sandbox is PAUSED', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 3000 }, true)
    const { id, sandboxId } = await started(startBody('List the files'))
    at(10_000)
    const all = await events(id)
    expect(all.items.map((e) => [e.kind, e.source])).toEqual([
      ['MessageEvent', 'user'],
      ['ConversationStateUpdateEvent', 'environment'],
      ['ActionEvent', 'agent'],
      ['ObservationEvent', 'environment'],
      ['MessageEvent', 'agent'],
      ['ConversationStateUpdateEvent', 'environment']
    ])
    expect(all.next_page_id).toBeNull()
    const [user, , action, observation, answer] = all.items
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: '2025-06-01T00:00:00.000Z',
      source: 'user',
      kind: 'MessageEvent',
      llm_message: { role: 'user', content: [{ type: 'text', text: 'List the files' }] },
      llm_response_id: null,
      activated_skills: [],
      extended_content: [],
      sender: null
    })
    expect(action).toMatchObject({
      tool_name: 'terminal',
      action: { kind: 'TerminalAction', command: 'ls' },
      tool_call: { name: 'terminal', origin: 'completion' }
    })
    expect(observation).toMatchObject({ action_id: action.id, tool_call_id: action.tool_call_id, observation: { kind: 'TerminalObservation', exit_code: 0 } })
    expect([answer.timestamp, texts(answer)]).toEqual(['2025-06-01T00:00:03.100Z', 'I have finished the task.'])
    const desc = await events(id, '?sort_order=TIMESTAMP_DESC&limit=2')
    expect([desc.items.map((e) => e.kind), desc.next_page_id]).toEqual([['ConversationStateUpdateEvent', 'MessageEvent'], '2'])
    const next = await events(id, '?sort_order=TIMESTAMP_DESC&limit=2&page_id=2')
    expect(next.items.map((e) => e.kind)).toEqual(['ObservationEvent', 'ActionEvent'])
    expect((await events(id, '?kind__eq=MessageEvent')).items.map((e) => e.source)).toEqual(['user', 'agent'])
    expect((await events(id, '?timestamp__gte=2025-06-01T00:00:01Z&timestamp__lt=2025-06-01T00:00:03.1Z')).items.map((e) => e.kind)).toEqual([
      'ActionEvent',
      'ObservationEvent'
    ])
    expect(await json(call(`/api/v1/conversation/${id}/events/count?kind__eq=ActionEvent`))).toBe(1)
    await pause(sandboxId)
    expect((await events(id)).items).toHaveLength(6)
    conforms()
    for (const bad of ['limit=0', 'limit=101', 'limit=x', 'sort_order=NEWEST', 'kind__eq=Nope', 'timestamp__gte=yesterday']) {
      expect((await call(`/api/v1/conversation/${id}/events/search?${bad}`)).status).toBe(422)
    }
    expect((await call('/api/v1/conversation/0123456789abcdef0123456789abcdef/events/search')).status).toBe(404)
  })

  it("agentFinishesWith 'finish' ends with a finish ActionEvent carrying the message", async () => {
    await start({ startTaskMs: 0, agentWorkMs: 300, agentFinishesWith: 'finish' }, true)
    const { id } = await started()
    at(1000)
    const { items } = await events(id, '?sort_order=TIMESTAMP_DESC&limit=3')
    expect(items.map((e) => e.kind)).toEqual(['ConversationStateUpdateEvent', 'ObservationEvent', 'ActionEvent'])
    expect(items[2]).toMatchObject({ source: 'agent', tool_name: 'finish', action: { kind: 'FinishAction', message: 'I have finished the task.' } })
    expect(await statuses(id)).toEqual(['RUNNING', 'finished'])
    conforms()
  })

  it('error ends with a ConversationErrorEvent', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 300, agentFinalState: 'error' })
    const { id } = await started()
    at(1000)
    expect((await events(id, '?kind__eq=ConversationErrorEvent')).items).toEqual([
      expect.objectContaining({ source: 'environment', code: expect.any(String), detail: expect.any(String) })
    ])
  })
})

describe('POST /api/v1/app-conversations/{id}/send-message', () => {
  it('runs the agent again on a finished conversation, with new events', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 1000 }, true)
    const { id } = await started()
    at(2000)
    expect((await conversation(id)).execution_status).toBe('finished')
    const res = await sendMessage(id, 'Now add a test')
    expect([res.status, await res.json()]).toEqual([200, { success: true, sandbox_status: 'RUNNING', message: null }])
    // The agent server starts the new run in the background: the previous end still shows for a moment (500 ms by default).
    expect(await statuses(id)).toEqual(['RUNNING', 'finished'])
    at(2499)
    expect((await conversation(id)).execution_status).toBe('finished')
    at(2500)
    expect((await conversation(id)).execution_status).toBe('running')
    at(3100)
    expect((await conversation(id)).execution_status).toBe('finished')
    const { items } = await events(id, '?kind__eq=MessageEvent')
    expect(items.map((e) => [e.source, texts(e)])).toEqual([
      ['user', 'Do the thing'],
      ['agent', 'I have finished the task.'],
      ['user', 'Now add a test'],
      ['agent', 'I have finished the task.']
    ])
    expect((await conversation(id)).metrics.accumulated_cost).toBe(0.04)
    conforms()
  })

  it('shows the new turn at once with previousEndLingersMs: 0', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 1000, previousEndLingersMs: 0 }, true)
    const { id } = await started()
    at(2000)
    expect((await sendMessage(id, 'Now add a test')).status).toBe(200)
    expect(await statuses(id)).toEqual(['RUNNING', 'idle'])
    at(2100)
    expect((await conversation(id)).execution_status).toBe('running')
    conforms()
  })

  it('answers 409 when PAUSED or STARTING, 410 when MISSING, 503 in ERROR, 404 unknown, 422 for a bad body', async () => {
    await start({ startTaskMs: 0, resumeMs: 1000 })
    const { id, sandboxId } = await started()
    await pause(sandboxId)
    const paused = await sendMessage(id)
    expect([paused.status, await paused.json()]).toEqual([
      409,
      { detail: expect.stringMatching(new RegExp(`^Sandbox is PAUSED\\. Use POST /api/v1/sandboxes/${sandboxId}/resume`)) }
    ])
    await call(`/api/v1/sandboxes/${sandboxId}/resume`, { method: 'POST' })
    expect((await sendMessage(id)).status).toBe(409)
    for (const [status, code] of [
      ['ERROR', 503],
      ['MISSING', 410]
    ] as const) {
      await setSandbox(sandboxId, status)
      expect((await sendMessage(id)).status).toBe(code)
    }
    expect((await sendMessage('0123456789abcdef0123456789abcdef')).status).toBe(404)
    await setSandbox(sandboxId, 'RUNNING')
    for (const body of [{ role: 'user', content: [] }, { role: 'assistant', content: [{ type: 'text', text: 'x' }] }, {}]) {
      expect((await call(`/api/v1/app-conversations/${id}/send-message`, { method: 'POST', body })).status).toBe(422)
    }
  })
})

describe("the agent server's pause", () => {
  it('pauses one conversation by X-Session-API-Key only; the sandbox keeps running and its slot', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 5000, maxRunning: 1 })
    const { id } = await started()
    at(1000)
    const { conversation_url: url, session_api_key: key } = await conversation(id)
    const post = (headers: Record<string, string>) => fetch(`${url}/pause`, { method: 'POST', headers })
    const refused: Record<string, string>[] = [{}, { 'X-Session-API-Key': 'wrong' }, { Authorization: 'Bearer sim-v1-test-key-9e3b' }]
    for (const headers of refused) expect((await post(headers)).status).toBe(401)
    const res = await post({ 'X-Session-API-Key': String(key) })
    expect([res.status, await res.json()]).toEqual([200, { success: true }])
    expect(await statuses(id)).toEqual(['RUNNING', 'paused'])
    const work = v1Entry().workMs
    at(60_000)
    expect(await statuses(id)).toEqual(['RUNNING', 'paused'])
    expect(v1Entry().workMs).toBe(work)
    expect((await call('/api/v1/app-conversations', { method: 'POST', body: startBody() })).status).toBe(429)
    expect(current().state()).toMatchObject({
      stopRequests: 4,
      conversations: [{ stoppedAt: Date.parse('2025-06-01T00:00:01.000Z'), executionStatus: 'paused' }]
    })
    expect((await events(id, '?sort_order=TIMESTAMP_DESC&limit=2')).items.map((e) => e.kind)).toEqual(['ConversationStateUpdateEvent', 'PauseEvent'])
    await setSandbox(String((await conversation(id)).sandbox_id), 'PAUSED')
    expect((await post({ 'X-Session-API-Key': String(key) })).status).toBe(409)
  })
})

describe('search and count', () => {
  it('filter by sandbox_id__eq, title and dates; newest first; paged', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 60_000 }, true)
    const a = await started(startBody('Alpha task'))
    at(1000)
    const b = await started(startBody('Beta task'))
    at(2000)
    const search = (q: string) => json<{ items: AppConversation[]; next_page_id: string | null }>(call(`/api/v1/app-conversations/search${q}`))
    expect((await search('')).items.map((c) => c.id)).toEqual([b.id, a.id])
    expect((await search(`?sandbox_id__eq=${a.sandboxId}`)).items.map((c) => c.id)).toEqual([a.id])
    expect((await search('?title__contains=beta')).items.map((c) => c.id)).toEqual([b.id])
    expect((await search('?created_at__gte=2025-06-01T00:00:00.500Z')).items.map((c) => c.id)).toEqual([b.id])
    const page = await search('?limit=1')
    expect([page.items.map((c) => c.id), page.next_page_id]).toEqual([[b.id], '1'])
    expect((await search(`?limit=1&page_id=${page.next_page_id}`)).items.map((c) => c.id)).toEqual([a.id])
    expect(await json(call(`/api/v1/app-conversations/count?sandbox_id__eq=${b.sandboxId}`))).toBe(1)
    expect(await json(call('/api/v1/app-conversations/count'))).toBe(2)
    conforms()
    expect((await call('/api/v1/app-conversations/search?limit=500')).status).toBe(422)
  })
})
