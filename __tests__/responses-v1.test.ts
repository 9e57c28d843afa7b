import { describe, expect, it } from '@jest/globals'
import { NotFoundError, ProtocolError } from '../src/openhands/errors.js'
import { concurrencyLimitOf, parseAgentState, parseAgentTurn, parseConversationV1, parseCount, parseStartTask } from '../src/openhands/responses.js'

const CONVERSATION_ID = '7d2f9b4c1e8a4f6db3c05e9a2f71c8d4'
const TASK_ID = '3b8e6f1a2c9d4e7f8a0b5c6d7e9f1a2b'
const SANDBOX_ID = '5Vq2XnK8pLr3TbW9yHc4Jd'

function errorFrom(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    if (error instanceof Error) return error
    throw error
  }
  throw new Error('expected a throw')
}

/** One AppConversation as GET /api/v1/app-conversations?ids= lists it. */
function appConversation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: CONVERSATION_ID,
    created_by_user_id: 'b7e2c4a1-5d3f-4e8a-9c6b-0f1e2d3c4b5a',
    sandbox_id: SANDBOX_ID,
    selected_repository: 'owner/repo',
    selected_branch: null,
    git_provider: 'github',
    title: 'Fix the typo in README.md',
    trigger: null,
    pr_number: [],
    llm_model: 'litellm_proxy/claude-sonnet-4-5-20250929',
    metrics: null,
    parent_conversation_id: null,
    sub_conversation_ids: [],
    public: null,
    created_at: '2025-11-03T09:31:48.930114Z',
    updated_at: '2025-11-03T09:44:02.117845Z',
    sandbox_status: 'RUNNING',
    execution_status: 'running',
    conversation_url: `https://${SANDBOX_ID}.prod-runtime.all-hands.dev/api/conversations/${CONVERSATION_ID}`,
    session_api_key: null,
    ...overrides
  }
}

/** One AppConversationStartTask. */
function startTask(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: TASK_ID,
    created_by_user_id: null,
    status: 'WORKING',
    detail: null,
    app_conversation_id: null,
    sandbox_id: null,
    agent_server_url: null,
    request: { initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix it' }] }, selected_repository: 'owner/repo' },
    created_at: '2025-11-03T09:31:05.204771Z',
    updated_at: '2025-11-03T09:31:05.204771Z',
    ...overrides
  }
}

describe('parseConversationV1', () => {
  it('reads a running conversation whose agent finished', () => {
    const body = [appConversation({ execution_status: 'finished', pr_number: [131] })]
    expect(parseConversationV1(body, CONVERSATION_ID)).toEqual({
      id: CONVERSATION_ID,
      status: 'RUNNING',
      title: 'Fix the typo in README.md',
      runtimeStatus: 'RUNNING',
      agentState: 'finished',
      prNumbers: [131],
      sandboxId: SANDBOX_ID,
      repository: 'owner/repo'
    })
  })

  it('leaves the repository out when the conversation has none (selected_repository null)', () => {
    expect(parseConversationV1([appConversation({ selected_repository: null })], CONVERSATION_ID)).not.toHaveProperty('repository')
  })

  it.each([
    ['STARTING', 'STARTING'],
    ['RUNNING', 'RUNNING'],
    ['PAUSED', 'STOPPED'],
    ['MISSING', 'ARCHIVED'],
    ['ERROR', 'ERROR']
  ])('speaks V0: sandbox_status %s is status %s, and the runtime status stays the sandbox status', (sandboxStatus, status) => {
    const conversation = parseConversationV1([appConversation({ sandbox_status: sandboxStatus, execution_status: null })], CONVERSATION_ID)
    expect(conversation.status).toBe(status)
    expect(conversation.runtimeStatus).toBe(sandboxStatus)
  })

  it('passes a sandbox status it does not know through unchanged', () => {
    const conversation = parseConversationV1([appConversation({ sandbox_status: 'HIBERNATING' })], CONVERSATION_ID)
    expect(conversation.status).toBe('HIBERNATING')
    expect(conversation.runtimeStatus).toBe('HIBERNATING')
  })

  it.each(['idle', 'running', 'paused', 'waiting_for_confirmation', 'finished', 'error', 'stuck', 'deleting'])(
    'takes the agent state from execution_status %s',
    (executionStatus) => {
      expect(parseConversationV1([appConversation({ execution_status: executionStatus })], CONVERSATION_ID).agentState).toBe(executionStatus)
    }
  )

  it('has no agent state while the sandbox does not run (execution_status null)', () => {
    const conversation = parseConversationV1([appConversation({ sandbox_status: 'STARTING', execution_status: null })], CONVERSATION_ID)
    expect(conversation.agentState).toBeUndefined()
    expect(conversation.status).toBe('STARTING')
  })

  it('keeps the sandbox id, which stopping needs', () => {
    expect(parseConversationV1([appConversation({ sandbox_id: 'sbx_9Qm2' })], CONVERSATION_ID).sandboxId).toBe('sbx_9Qm2')
  })

  it('uses the requested id when the item names none', () => {
    const item = appConversation()
    delete item.id
    expect(parseConversationV1([item], CONVERSATION_ID).id).toBe(CONVERSATION_ID)
  })

  it('treats [null], the answer for an unknown id, as not found', () => {
    const error = errorFrom(() => parseConversationV1([null], CONVERSATION_ID))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain(CONVERSATION_ID)
  })

  it.each([
    ['null', null],
    ['an object, not a list', appConversation()],
    ['a page object', { items: [appConversation()], next_page_id: null }],
    ['a string', 'RUNNING'],
    ['an empty list', []],
    ['a list of a string', ['RUNNING']],
    ['a list of a list', [[appConversation()]]]
  ])('refuses %s with a ProtocolError', (_what, body) => {
    expect(errorFrom(() => parseConversationV1(body, CONVERSATION_ID))).toBeInstanceOf(ProtocolError)
  })

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['a number', 3]
  ])('refuses an item whose sandbox_status is %s', (_what, sandboxStatus) => {
    const item = appConversation({ sandbox_status: sandboxStatus })
    if (sandboxStatus === undefined) delete item.sandbox_status
    const error = errorFrom(() => parseConversationV1([item], CONVERSATION_ID))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toContain('sandbox_status')
  })

  it('refuses an id that is not safe in a URL path', () => {
    expect(errorFrom(() => parseConversationV1([appConversation({ id: '../sandboxes' })], CONVERSATION_ID))).toBeInstanceOf(ProtocolError)
  })
})

describe('parseStartTask', () => {
  it('reads the single task POST /api/v1/app-conversations answers', () => {
    expect(parseStartTask(startTask())).toEqual({ id: TASK_ID, status: 'WORKING', detail: undefined, conversationId: undefined, sandboxId: undefined })
  })

  it('reads the list GET start-tasks?ids= answers', () => {
    const body = [startTask({ status: 'PREPARING_REPOSITORY', sandbox_id: SANDBOX_ID })]
    expect(parseStartTask(body, TASK_ID)).toEqual({
      id: TASK_ID,
      status: 'PREPARING_REPOSITORY',
      detail: undefined,
      conversationId: undefined,
      sandboxId: SANDBOX_ID
    })
  })

  it('reads READY with the conversation and sandbox ids', () => {
    const body = [startTask({ status: 'READY', app_conversation_id: CONVERSATION_ID, sandbox_id: SANDBOX_ID, agent_server_url: 'https://x.example' })]
    expect(parseStartTask(body, TASK_ID)).toEqual({ id: TASK_ID, status: 'READY', detail: undefined, conversationId: CONVERSATION_ID, sandboxId: SANDBOX_ID })
  })

  it('reads ERROR with its detail', () => {
    const task = parseStartTask([startTask({ status: 'ERROR', detail: 'Unable to access repo owner/repo' })], TASK_ID)
    expect(task.status).toBe('ERROR')
    expect(task.detail).toBe('Unable to access repo owner/repo')
    expect(task.conversationId).toBeUndefined()
  })

  it('reads ERROR without detail as no detail', () => {
    const task = parseStartTask([startTask({ status: 'ERROR', detail: null })], TASK_ID)
    expect(task.status).toBe('ERROR')
    expect(task.detail).toBeUndefined()
  })

  it.each([
    ['null', null],
    ['missing', undefined]
  ])('reads app_conversation_id %s as no conversation yet', (_what, value) => {
    const item = startTask({ status: 'STARTING_CONVERSATION', app_conversation_id: value })
    if (value === undefined) delete item.app_conversation_id
    expect(parseStartTask(item).conversationId).toBeUndefined()
  })

  it('treats [null], the answer for an unknown task, as not found', () => {
    const error = errorFrom(() => parseStartTask([null], TASK_ID))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain(TASK_ID)
  })

  it.each([
    ['a path', '../admin'],
    ['a slash', 'a/b'],
    ['a number', 12345],
    ['null', null],
    ['missing', undefined]
  ])('refuses a task id that is %s', (_what, id) => {
    const item = startTask({ id })
    if (id === undefined) delete item.id
    expect(errorFrom(() => parseStartTask(item))).toBeInstanceOf(ProtocolError)
    expect(errorFrom(() => parseStartTask([item], TASK_ID))).toBeInstanceOf(ProtocolError)
  })

  it.each([
    ['a path', '../../sandboxes'],
    ['a query', 'abc?ids=1'],
    ['a number', 7]
  ])('refuses an app_conversation_id that is %s', (_what, id) => {
    expect(errorFrom(() => parseStartTask(startTask({ status: 'READY', app_conversation_id: id })))).toBeInstanceOf(ProtocolError)
  })

  // A POST that answered 200 may have made a task: null there is a broken
  // answer, not "no such task" (which would send `auto` on to V0).
  it('refuses a null single answer with a ProtocolError, not a NotFoundError', () => {
    const error = errorFrom(() => parseStartTask(null))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).not.toContain('undefined')
  })

  it.each([
    ['a string', 'WORKING'],
    ['a list (as the single answer)', [startTask()]],
    ['a task without status', { id: TASK_ID, detail: null }],
    ['a task with an empty status', startTask({ status: '' })]
  ])('refuses %s as the single task', (_what, body) => {
    expect(errorFrom(() => parseStartTask(body))).toBeInstanceOf(ProtocolError)
  })

  it.each([
    ['an object, not a list', startTask()],
    ['an empty list', []],
    ['a list of a string', ['READY']],
    ['null', null]
  ])('refuses %s as the start-tasks list', (_what, body) => {
    expect(errorFrom(() => parseStartTask(body, TASK_ID))).toBeInstanceOf(ProtocolError)
  })
})

/** An events page as GET /api/conversations/{id}/events?reverse=true answers it: newest first. */
function stateEvent(id: number, agentState: string): Record<string, unknown> {
  return {
    id,
    timestamp: `2025-11-03T09:4${id % 10}:00.000000`,
    source: 'environment',
    message: '',
    observation: 'agent_state_changed',
    content: '',
    extras: { agent_state: agentState, reason: '' }
  }
}
function messageEvent(id: number, source: 'user' | 'agent', text: string): Record<string, unknown> {
  return {
    id,
    timestamp: `2025-11-03T09:4${id % 10}:00.000000`,
    source,
    message: text,
    action: 'message',
    args: { content: text, file_urls: [], image_urls: [], wait_for_response: false }
  }
}
function runEvent(id: number): Record<string, unknown> {
  return {
    id,
    timestamp: `2025-11-03T09:4${id % 10}:00.000000`,
    source: 'agent',
    message: 'Command `ls` executed with exit code 0.',
    cause: id - 1,
    observation: 'run',
    content: 'README.md',
    extras: { command: 'ls', metadata: { exit_code: 0 } }
  }
}
const page = (...events: unknown[]): Record<string, unknown> => ({ events, has_more: false })

describe('parseAgentState', () => {
  it('reads the newest agent_state_changed even when other events are newer', () => {
    const body = page(messageEvent(9, 'agent', 'Done.'), runEvent(8), stateEvent(7, 'finished'), stateEvent(5, 'running'), messageEvent(4, 'user', 'Fix it'))
    expect(parseAgentState(body)).toEqual({ state: 'finished', hasRun: true, lastMessage: 'Done.' })
  })

  it('reads the first state event of the page as the newest, not the last', () => {
    expect(parseAgentState(page(stateEvent(6, 'running'), stateEvent(3, 'loading'))).state).toBe('running')
    expect(parseAgentState(page(stateEvent(6, 'loading'), stateEvent(3, 'running'))).state).toBe('loading')
  })

  it('says the agent ran when a running state comes before (below) the newest', () => {
    expect(parseAgentState(page(stateEvent(8, 'awaiting_user_input'), runEvent(7), stateEvent(5, 'running'), stateEvent(2, 'loading')))).toEqual({
      state: 'awaiting_user_input',
      hasRun: true
    })
  })

  it('does not count the newest state itself as having run', () => {
    expect(parseAgentState(page(stateEvent(5, 'running'), stateEvent(2, 'loading')))).toEqual({ state: 'running', hasRun: false })
  })

  it('says the agent has not run when no running state is in the page', () => {
    expect(parseAgentState(page(stateEvent(3, 'awaiting_user_input'), stateEvent(1, 'loading')))).toEqual({ state: 'awaiting_user_input', hasRun: false })
  })

  it('does not count a running state newer than the newest state (there is none), nor one in an event that is not a state change', () => {
    const notAState = { ...runEvent(9), extras: { agent_state: 'running' } }
    expect(parseAgentState(page(notAState, stateEvent(3, 'awaiting_user_input')))).toEqual({ state: 'awaiting_user_input', hasRun: false })
  })

  it.each([
    ['an empty page', page()],
    ['a page without state events', page(messageEvent(1, 'user', 'Fix it'), runEvent(2))],
    ['a state event without extras', page({ ...stateEvent(1, 'running'), extras: undefined })],
    ['a state event without agent_state', page({ ...stateEvent(1, 'running'), extras: { reason: '' } })]
  ])('has no state for %s', (_what, body) => {
    expect(parseAgentState(body)).toEqual({ state: undefined, hasRun: false })
  })

  it.each([
    ['null', null],
    ['a list of events', [stateEvent(1, 'running')]],
    ['a string', 'running'],
    ['an object without events', { has_more: false }],
    ['events that are not a list', { events: { 0: stateEvent(1, 'running') } }],
    ['events null', { events: null }]
  ])('refuses %s with a ProtocolError', (_what, body) => {
    expect(errorFrom(() => parseAgentState(body))).toBeInstanceOf(ProtocolError)
  })
})

describe('parseAgentTurn', () => {
  const message = (source: string, text: string) => ({
    kind: 'MessageEvent',
    source,
    llm_message: { role: source === 'agent' ? 'assistant' : 'user', content: [{ type: 'text', text }] }
  })
  const action = (tool_name: string, extra: Record<string, unknown> = {}) => ({
    kind: 'ActionEvent',
    source: 'agent',
    tool_name,
    action: { kind: 'X', ...extra }
  })
  const state = { kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'execution_status', value: 'finished' }
  const page = (...items: unknown[]) => ({ items, next_page_id: null })

  it("is finished when the newest agent or user event is the agent's message, joining its text parts", () => {
    const answer = {
      ...message('agent', 'Opened PR #3.'),
      llm_message: {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Opened' },
          { type: 'image', image_urls: [] },
          { type: 'text', text: 'PR #3.' }
        ]
      }
    }
    expect(parseAgentTurn(page(state, answer, action('terminal')))).toEqual({ finished: true, lastBy: 'agent', finalMessage: 'Opened\nPR #3.' })
  })

  it('is finished on the finish tool, with its message', () => {
    expect(parseAgentTurn(page(action('finish', { message: 'All done.' }), message('user', 'Do it')))).toEqual({
      finished: true,
      lastBy: 'agent',
      finalMessage: 'All done.'
    })
  })

  it.each([
    ['a newer user message', [message('user', 'And now this'), message('agent', 'Done.')], 'user'],
    ['a newer tool call', [action('terminal'), message('agent', 'Done.')], 'agent'],
    ['no events at all', [], undefined],
    ['only state updates', [state], undefined]
  ])('is not finished with %s, and says who spoke or acted last', (_what, items, lastBy) => {
    const turn = parseAgentTurn(page(...items))
    expect(turn.finished).toBe(false)
    expect(turn.lastBy).toBe(lastBy)
  })

  it.each([null, [], { events: [] }, 'finished'])('refuses %j with a ProtocolError', (body) => {
    expect(errorFrom(() => parseAgentTurn(body))).toBeInstanceOf(ProtocolError)
  })
})

describe('parseCount and concurrencyLimitOf', () => {
  it.each([0, 1, 20])('reads the count %d', (count) => expect(parseCount(count)).toBe(count))
  it.each([-1, 1.5, '1', null, { count: 1 }])('refuses %j', (body) => expect(errorFrom(() => parseCount(body))).toBeInstanceOf(ProtocolError))

  it("reads the limit and the count from the server's 429 body", () => {
    expect(concurrencyLimitOf({ detail: { error: 'CONCURRENCY_LIMIT_REACHED', message: 'm', limit: 3, current: 3 } })).toEqual({ limit: 3, current: 3 })
    expect(concurrencyLimitOf({ detail: { error: 'CONCURRENCY_LIMIT_REACHED', limit: 'many' } })).toEqual({ limit: undefined, current: undefined })
  })

  it.each([{ error: 'Rate limit exceeded: 100 per 1 minute' }, { detail: 'Too Many Requests' }, null, 'CONCURRENCY_LIMIT_REACHED'])(
    'finds no concurrency limit in %j',
    (body) => {
      expect(concurrencyLimitOf(body)).toBeUndefined()
    }
  )
})

describe('metrics', () => {
  const withMetrics = (metrics: unknown) => parseConversationV1([appConversation({ metrics })], CONVERSATION_ID).metrics
  const usage = (prompt_tokens: unknown, completion_tokens: unknown) => ({ prompt_tokens, completion_tokens, cache_read_tokens: 0 })

  it('reads the cost as the server gives it and the token counts as integers', () => {
    expect(withMetrics({ model_name: 'm', accumulated_cost: 0.4215, max_budget_per_task: null, accumulated_token_usage: usage(120_000, 3400) })).toEqual({
      cost: '0.4215',
      promptTokens: 120_000,
      completionTokens: 3400
    })
  })

  it('writes a tiny cost as a plain decimal, never in exponent form', () => {
    expect(withMetrics({ accumulated_cost: 1e-7, accumulated_token_usage: usage(1, 1) })?.cost).toBe('0.0000001')
  })

  it('keeps a zero cost: the conversation has cost nothing yet', () => {
    expect(withMetrics({ accumulated_cost: 0, accumulated_token_usage: usage(0, 0) })).toEqual({ cost: '0', promptTokens: 0, completionTokens: 0 })
  })

  it.each([null, undefined, 'cheap', { accumulated_cost: -1, accumulated_token_usage: usage(-3, 1.5) }, { accumulated_cost: 'free' }])(
    'has no metrics from %j',
    (metrics) => {
      expect(withMetrics(metrics)).toBeUndefined()
    }
  )

  it('keeps what is well formed and drops the rest', () => {
    expect(withMetrics({ accumulated_cost: 'x', accumulated_token_usage: usage(10, 'many') })).toEqual({
      cost: undefined,
      promptTokens: 10,
      completionTokens: undefined
    })
  })
})

describe("parseAgentState's last message (V0)", () => {
  it('is the newest agent message event on the page', () => {
    const page = {
      events: [
        { id: 9, source: 'agent', action: 'message', args: { content: 'Opened PR #4.' } },
        { id: 8, source: 'environment', observation: 'agent_state_changed', extras: { agent_state: 'finished' } },
        { id: 3, source: 'agent', action: 'message', args: { content: 'Looking.' } }
      ],
      has_more: false
    }
    expect(parseAgentState(page)).toEqual({ state: 'finished', hasRun: false, lastMessage: 'Opened PR #4.' })
  })

  it('is absent when the agent said nothing on the page', () => {
    expect(parseAgentState({ events: [{ source: 'user', action: 'message', args: { content: 'Fix it' } }] }).lastMessage).toBeUndefined()
  })
})
