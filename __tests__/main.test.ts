import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import nock from 'nock'
import * as core from '../__fixtures__/core.js'
import { FakeClock } from './helpers/fake-clock.js'

jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../src/main.js')

const BASE = 'http://openhands.test'
const KEY = 'sk-main-test-4f9a2c7e'
const ID = '0123456789abcdef0123456789abcdef'
const policy = { baseMs: 1000, maxMs: 8000, random: () => 0 }

const outputs = (): Record<string, string> => Object.fromEntries(core.setOutput.mock.calls.map(([k, v]) => [k, String(v)]))
const logged = (): string => core.info.mock.calls.map(([m]) => m).join('\n')
const failedWith = (): string | undefined => core.setFailed.mock.calls[0]?.[0] as string | undefined
const conversation = (status: string, extra: Record<string, unknown> = {}) => ({ conversation_id: ID, title: 'Fix it', status, ...extra })

// A V0 server without the events route: the wait falls back to the status alone.
const noEvents = (id = ID): nock.Scope => nock(BASE).get(`/api/conversations/${id}/events`).query(true).reply(404, { detail: 'Not Found' })
const agentEvents = (...states: string[]) => ({
  events: states.reverse().map((state, i) => ({ id: i, source: 'environment', observation: 'agent_state_changed', extras: { agent_state: state } })),
  has_more: false
})

function given(inputs: Record<string, string>): void {
  for (const key of Object.keys(core.inputs)) delete core.inputs[key]
  Object.assign(core.inputs, { 'api-key': KEY, message: 'Fix the tests', repository: 'octo/hello', 'base-url': BASE, 'api-version': 'v0' }, inputs)
}

beforeAll(() => nock.disableNetConnect())
// nock patches Node's shared HTTP modules; un-patch them so the next test file
// in this worker starts with its own nock, not this file's.
afterAll(() => {
  nock.cleanAll()
  nock.enableNetConnect()
  nock.restore()
})
beforeEach(() => {
  core.summaries.length = 0
  process.env.GITHUB_STEP_SUMMARY = '/dev/null'
})
afterEach(() => {
  nock.cleanAll()
  delete process.env.GITHUB_STEP_SUMMARY
})

describe('run', () => {
  it('starts, waits through each status, and reports the final one', async () => {
    given({ wait: 'true', 'poll-interval': '10s' })
    noEvents()
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, message: null, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('STOPPED'))
    await run({ clock: new FakeClock(), policy })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()).toMatchObject({
      'conversation-id': ID,
      'conversation-url': `${BASE}/conversations/${ID}`,
      status: 'STOPPED',
      'agent-state': '',
      triggered: 'true',
      'comment-url': ''
    })
    expect(nock.isDone()).toBe(true)
    // Each change is told once; the polls themselves go to debug.
    expect(logged().match(/Status: /g)).toHaveLength(3)
    expect(logged()).toContain(`Conversation started: ${BASE}/conversations/${ID}`)
    expect(logged()).toMatch(/ended with status STOPPED after 30s/)
    expect(core.summaries[0]).toContain(`(${BASE}/conversations/${ID})`)
    expect(core.summaries[0]).toContain('`octo/hello`')
    expect(core.summaries[0]).toContain('| Time | 30s |')
  })

  it('registers the key as a secret before anything else happens', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    await run({ clock: new FakeClock(), policy })
    expect(core.setSecret).toHaveBeenCalledWith(KEY)
    const secretAt = core.setSecret.mock.invocationCallOrder[0]
    const firstOther = Math.min(...[core.info, core.setOutput, core.debug].flatMap((f) => f.mock.invocationCallOrder))
    expect(secretAt).toBeLessThan(firstOther)
  })

  it('without waiting, reports the status from the start answer and makes no other request', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    await run({ clock: new FakeClock(), policy })
    expect(outputs().status).toBe('STARTING')
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('without waiting, reads the status once when the answer has none (the vendor page shape)', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: 'abc1234' })
    nock(BASE).get('/api/conversations/abc1234').reply(200, { conversation_id: 'abc1234', status: 'RUNNING' })
    await run({ clock: new FakeClock(), policy })
    expect(outputs()).toMatchObject({ 'conversation-id': 'abc1234', status: 'RUNNING' })
    expect(nock.isDone()).toBe(true)
  })

  it('fails on ERROR with the outputs still set', async () => {
    given({ wait: 'true' })
    noEvents()
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('ERROR'))
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('ERROR')
    expect(outputs()).toMatchObject({ 'conversation-id': ID, status: 'ERROR' })
  })

  it('fails clearly on an unknown conversation (200 null), not with a TypeError', async () => {
    given({ wait: 'true' })
    noEvents()
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, 'null', { 'Content-Type': 'application/json' })
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain(`no conversation ${ID}`)
    expect(failedWith()).not.toMatch(/TypeError|Cannot read/)
  })

  it('times out with the last status in the outputs', async () => {
    given({ wait: 'true', 'poll-interval': '20s', timeout: '50s' })
    noEvents()
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).times(2).reply(200, conversation('RUNNING'))
    nock(BASE).post(`/api/conversations/${ID}/stop`).reply(200, { status: 'ok' })
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('The conversation was stopped (stop-on-cancel)')
    expect(failedWith()).toMatch(/Timed out/)
    expect(failedWith()).toContain('RUNNING')
    // The step stopped it: the outputs must not go on saying RUNNING.
    expect(outputs().status).toBe('STOPPED')
  })

  it('fails before any request on bad inputs, naming each one', async () => {
    given({ message: '   ', 'poll-interval': 'soon', 'base-url': 'ftp://example.com' })
    await run({ clock: new FakeClock(), policy })
    const message = failedWith() ?? ''
    expect(message).toContain('message')
    expect(message).toContain('poll-interval')
    expect(message).toContain('base-url')
    expect(core.setOutput).not.toHaveBeenCalled()
  })

  it('shows the server words and a hint, and does not start twice after a 500', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(500, { detail: 'Internal Server Error' })
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('Internal Server Error')
    expect(failedWith()).toMatch(/may have started/)
    expect(outputs()['conversation-id']).toBe('')
  })

  it('hints at repository access on the real server 401', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(401, JSON.stringify('Unable to access repo octo/hello'))
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('"Unable to access repo octo/hello"')
    expect(failedWith()).toContain('octo/hello')
  })

  it('never lets the key out, even when the server echoes it', async () => {
    given({ wait: 'true' })
    noEvents()
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(503, `upstream refused Authorization: Bearer ${KEY}`)
    nock(BASE)
      .get(`/api/conversations/${ID}`)
      .reply(400, { message: `bad key ${KEY}` })
    await run({ clock: new FakeClock(), policy })
    const everything = JSON.stringify([
      core.info.mock.calls,
      core.debug.mock.calls,
      core.warning.mock.calls,
      core.setFailed.mock.calls,
      core.setOutput.mock.calls,
      core.summaries
    ])
    expect(everything).toContain('***')
    expect(everything).not.toContain(KEY)
  })
})

describe('outputs and the job summary', () => {
  const startsWithPullRequests = (): void => {
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID })
    nock(BASE)
      .get(`/api/conversations/${ID}`)
      .reply(200, conversation('RUNNING', { pr_number: [7, 8] }))
  }

  it('hands every output to core.setOutput, multi-line values whole', async () => {
    given({})
    startsWithPullRequests()
    await run({ clock: new FakeClock(), policy })
    expect(core.setOutput).toHaveBeenCalledWith('pr-urls', 'https://github.com/octo/hello/pull/7\nhttps://github.com/octo/hello/pull/8')
    expect(Object.keys(outputs()).sort()).toEqual([
      'agent-state',
      'comment-url',
      'completion-tokens',
      'continued',
      'conversation-id',
      'conversation-url',
      'cost',
      'final-message',
      'pr-urls',
      'prompt-tokens',
      'runtime-status',
      'status',
      'title',
      'triggered'
    ])
  })

  it('writes the summary through core.summary in one write', async () => {
    given({})
    startsWithPullRequests()
    await run({ clock: new FakeClock(), policy })
    expect(core.summary.write).toHaveBeenCalledTimes(1)
    expect(core.summaries).toHaveLength(1)
    expect(core.summaries[0]).toContain('https://github.com/octo/hello/pull/8')
  })

  it('skips the summary quietly where the runner has none (no GITHUB_STEP_SUMMARY)', async () => {
    given({})
    delete process.env.GITHUB_STEP_SUMMARY
    startsWithPullRequests()
    await run({ clock: new FakeClock(), policy })
    expect(core.summary.write).not.toHaveBeenCalled()
    expect(core.warning).not.toHaveBeenCalled()
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('warns, without failing the step or showing the key, when the summary cannot be written', async () => {
    given({})
    startsWithPullRequests()
    core.summary.write.mockRejectedValueOnce(new Error(`Unable to access summary file: '/tmp/${KEY}'`))
    await run({ clock: new FakeClock(), policy })
    const warned = core.warning.mock.calls.map(([m]) => String(m)).join('\n')
    expect(warned).toContain('Could not write the job summary: Unable to access summary file')
    expect(warned).not.toContain(KEY)
    expect(core.summary.emptyBuffer).toHaveBeenCalled()
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()['conversation-id']).toBe(ID)
  })
})

describe('agent-aware waiting (V0)', () => {
  it('ends when the agent has finished, though the runtime still runs', async () => {
    given({ wait: 'true', 'poll-interval': '10s' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    // The start answer gave the status: the first poll reads only the events.
    nock(BASE).get(`/api/conversations/${ID}/events`).query({ reverse: 'true', limit: '20' }).reply(200, agentEvents('loading', 'running'))
    nock(BASE)
      .get(`/api/conversations/${ID}/events`)
      .query(true)
      .reply(200, agentEvents('loading', 'running', 'finished'))
    nock(BASE)
      .get(`/api/conversations/${ID}`)
      .reply(200, conversation('RUNNING', { pr_number: [7], runtime_status: 'STATUS$READY' }))
    await run({ clock: new FakeClock(), policy })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(nock.isDone()).toBe(true)
    expect(outputs()).toMatchObject({
      status: 'RUNNING',
      'agent-state': 'finished',
      'runtime-status': 'STATUS$READY',
      title: 'Fix it',
      'pr-urls': 'https://github.com/octo/hello/pull/7'
    })
    expect(logged()).toContain('Agent: finished')
  })

  it('fails when the agent ends in error', async () => {
    given({ wait: 'true' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}/events`).query(true).reply(200, agentEvents('running', 'error'))
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('The agent ended in state error')
    expect(outputs()['agent-state']).toBe('error')
  })

  it('does not take "awaiting input" before the agent ever ran for the end', async () => {
    given({ wait: 'true' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}/events`).query(true).reply(200, agentEvents('awaiting_user_input'))
    nock(BASE)
      .get(`/api/conversations/${ID}/events`)
      .query(true)
      .reply(200, agentEvents('awaiting_user_input', 'running', 'awaiting_user_input'))
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    await run({ clock: new FakeClock(), policy })
    expect(nock.isDone()).toBe(true)
    expect(outputs()['agent-state']).toBe('awaiting_user_input')
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('falls back to the status alone, once, when the events route is refused', async () => {
    given({ wait: 'true' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    const events = nock(BASE).get(`/api/conversations/${ID}/events`).query(true).reply(403, { error: 'Forbidden' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('STOPPED'))
    await run({ clock: new FakeClock(), policy })
    expect(events.isDone()).toBe(true)
    expect(nock.isDone()).toBe(true)
    expect(outputs()).toMatchObject({ status: 'STOPPED', 'agent-state': '' })
    expect(core.warning).not.toHaveBeenCalled()
  })
})

describe('V1 and api-version', () => {
  const TASK = 'aaaabbbbccccddddeeeeffff00001111'
  const task = (status: string, extra: Record<string, unknown> = {}) => ({
    id: TASK,
    status,
    detail: null,
    app_conversation_id: null,
    sandbox_id: null,
    ...extra
  })
  /** An events page whose newest event is the agent's text answer. */
  const answered = (text: string) => ({
    items: [{ kind: 'MessageEvent', source: 'agent', llm_message: { role: 'assistant', content: [{ type: 'text', text }] } }],
    next_page_id: null
  })
  const v1 = (sandbox_status: string, execution_status: string | null) => [
    { id: ID, sandbox_id: 'sbx1', title: 'Fix it', sandbox_status, execution_status, pr_number: [] }
  ]

  it('starts through a start task, then follows the conversation to the agent finishing', async () => {
    given({ wait: 'true', 'api-version': 'v1' })
    let sent: unknown
    nock(BASE)
      .post('/api/v1/app-conversations', (body) => {
        sent = body
        return true
      })
      .reply(200, task('WORKING'))
    nock(BASE)
      .get('/api/v1/app-conversations/start-tasks')
      .query({ ids: TASK })
      .reply(200, [task('WAITING_FOR_SANDBOX')])
    nock(BASE)
      .get('/api/v1/app-conversations/start-tasks')
      .query({ ids: TASK })
      .reply(200, [task('READY', { app_conversation_id: ID, sandbox_id: 'sbx1' })])
    nock(BASE).get('/api/v1/app-conversations').query({ ids: ID }).reply(200, v1('RUNNING', 'running'))
    nock(BASE).get('/api/v1/app-conversations').query({ ids: ID }).reply(200, v1('RUNNING', 'finished'))
    // The agent's last words, read before its sandbox is paused.
    const events = nock(BASE).get(`/api/v1/conversation/${ID}/events/search`).query(true).reply(200, answered('Fixed: the tests pass.'))
    // The finished conversation's sandbox still holds a slot: freed once counted alone in it.
    nock(BASE).get('/api/v1/app-conversations/count').query({ sandbox_id__eq: 'sbx1' }).reply(200, '1', { 'Content-Type': 'application/json' })
    const pause = nock(BASE).post('/api/v1/sandboxes/sbx1/pause').reply(200, { success: true })
    await run({ clock: new FakeClock(), policy })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(nock.isDone()).toBe(true)
    expect(pause.isDone()).toBe(true)
    expect(sent).toEqual({
      initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix the tests' }], run: true },
      trigger: 'openhands_api',
      selected_repository: 'octo/hello'
    })
    expect(outputs()).toMatchObject({
      'conversation-id': ID,
      'conversation-url': `${BASE}/conversations/${ID}`,
      status: 'STOPPED',
      'agent-state': 'finished',
      'runtime-status': 'PAUSED'
    })
    expect(logged()).toMatch(/Paused the conversation's sandbox, so the account's slot is free/)
    expect(events.isDone()).toBe(true)
    expect(outputs()['final-message']).toBe('Fixed: the tests pass.')
    expect(core.summaries[0]).toContain('Fixed: the tests pass.')
  })

  it("reads the agent's last words again after a 429, as many jobs finishing together meet the account's limit", async () => {
    given({ wait: 'true', 'api-version': 'v1', 'release-sandbox': 'false' })
    nock(BASE)
      .post('/api/v1/app-conversations')
      .reply(200, task('READY', { app_conversation_id: ID, sandbox_id: 'sbx1' }))
    nock(BASE).get('/api/v1/app-conversations').query({ ids: ID }).reply(200, v1('RUNNING', 'finished'))
    nock(BASE).get(`/api/v1/conversation/${ID}/events/search`).query(true).reply(429, { error: 'Rate limit exceeded: 10 per 1 second' }, { 'Retry-After': '1' })
    nock(BASE).get(`/api/v1/conversation/${ID}/events/search`).query(true).reply(200, answered('Done.'))
    await run({ clock: new FakeClock(), policy })
    expect(nock.isDone()).toBe(true)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()['final-message']).toBe('Done.')
    expect(core.warning).not.toHaveBeenCalled()
  })

  it('leaves a finished sandbox running with release-sandbox: false', async () => {
    given({ wait: 'true', 'api-version': 'v1', 'release-sandbox': 'false' })
    nock(BASE)
      .post('/api/v1/app-conversations')
      .reply(200, task('READY', { app_conversation_id: ID, sandbox_id: 'sbx1' }))
    nock(BASE).get('/api/v1/app-conversations').query({ ids: ID }).reply(200, v1('RUNNING', 'finished'))
    await run({ clock: new FakeClock(), policy })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(nock.isDone()).toBe(true)
    expect(outputs()).toMatchObject({ status: 'RUNNING', 'agent-state': 'finished', 'runtime-status': 'RUNNING' })
  })

  it('leaves a finished sandbox that other conversations share running, and says so', async () => {
    given({ wait: 'true', 'api-version': 'v1' })
    nock(BASE)
      .post('/api/v1/app-conversations')
      .reply(200, task('READY', { app_conversation_id: ID, sandbox_id: 'sbx1' }))
    nock(BASE).get('/api/v1/app-conversations').query({ ids: ID }).reply(200, v1('RUNNING', 'finished'))
    nock(BASE).get('/api/v1/app-conversations/count').query({ sandbox_id__eq: 'sbx1' }).reply(200, '3', { 'Content-Type': 'application/json' })
    await run({ clock: new FakeClock(), policy })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(nock.isDone()).toBe(true)
    expect(logged()).toContain('The sandbox is left running: 3 conversations share it.')
    expect(outputs()).toMatchObject({ status: 'RUNNING', 'runtime-status': 'RUNNING' })
  })

  it('succeeds with a warning when the slot cannot be freed', async () => {
    given({ wait: 'true', 'api-version': 'v1' })
    nock(BASE)
      .post('/api/v1/app-conversations')
      .reply(200, task('READY', { app_conversation_id: ID, sandbox_id: 'sbx1' }))
    nock(BASE).get('/api/v1/app-conversations').query({ ids: ID }).reply(200, v1('RUNNING', 'finished'))
    nock(BASE).get('/api/v1/app-conversations/count').query(true).times(20).reply(200, '1', { 'Content-Type': 'application/json' })
    const pause = nock(BASE).post('/api/v1/sandboxes/sbx1/pause').times(6).reply(500, { detail: 'Internal Server Error' })
    const clock = new FakeClock()
    await run({ clock, policy })
    // Five tries with backoff, not for ever.
    expect(clock.sleeps.slice(-4)).toEqual([500, 1000, 2000, 4000])
    expect(pause.pendingMocks()).toHaveLength(1)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.warning.mock.calls.map(([m]) => m).join('\n')).toMatch(/could not be paused to free the account's slot.*500/)
    expect(outputs()).toMatchObject({ status: 'RUNNING', 'agent-state': 'finished' })
  })

  it.each([
    ['waiting_for_confirmation', /waiting for a person to confirm its next action: see .*confirm or reject it/],
    ['error', /The agent ended in state error: see /],
    ['stuck', /The agent ended in state stuck: see /]
  ])('fails when the agent ends at %s, linking the conversation, and keeps its sandbox', async (state, message) => {
    given({ wait: 'true', 'api-version': 'v1' })
    nock(BASE)
      .post('/api/v1/app-conversations')
      .reply(200, task('READY', { app_conversation_id: ID, sandbox_id: 'sbx1' }))
    nock(BASE).get('/api/v1/app-conversations').query({ ids: ID }).reply(200, v1('RUNNING', state))
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toMatch(message)
    expect(failedWith()).toContain(`${BASE}/conversations/${ID}`)
    expect(nock.isDone()).toBe(true)
    expect(outputs()['agent-state']).toBe(state)
  })

  it('fails with the start task detail and a hint', async () => {
    given({ 'api-version': 'v1' })
    nock(BASE).post('/api/v1/app-conversations').reply(200, task('WORKING'))
    nock(BASE)
      .get('/api/v1/app-conversations/start-tasks')
      .query(true)
      .reply(200, [task('ERROR', { detail: 'Unable to access repo octo/hello' })])
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('Unable to access repo octo/hello')
    expect(failedWith()).toMatch(/GitHub App/)
  })

  it('auto: uses V0 when the server has no V1 route, having created nothing', async () => {
    given({ 'api-version': 'auto' })
    nock(BASE).post('/api/v1/app-conversations').reply(404, { detail: 'Not Found' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    await run({ clock: new FakeClock(), policy })
    expect(nock.isDone()).toBe(true)
    expect(outputs()).toMatchObject({ 'conversation-id': ID, status: 'STARTING' })
  })

  it('auto: never falls back after a V1 answer that may have created something', async () => {
    given({ 'api-version': 'auto' })
    nock(BASE).post('/api/v1/app-conversations').reply(500, { detail: 'Internal Server Error' })
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toMatch(/may have started/)
    expect(outputs()['conversation-id']).toBe('')
  })
})

describe('stop on cancel', () => {
  it('stops the conversation when the step is cancelled while waiting, and still reports', async () => {
    given({ wait: 'true' })
    const cancel = new AbortController()
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    noEvents()
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    nock(BASE)
      .get(`/api/conversations/${ID}`)
      .reply(() => {
        cancel.abort('SIGTERM')
        return [200, conversation('RUNNING')]
      })
    const stop = nock(BASE).post(`/api/conversations/${ID}/stop`).reply(200, { status: 'ok' })
    await run({ clock: new FakeClock(), policy, cancel: cancel.signal })
    expect(stop.isDone()).toBe(true)
    expect(failedWith()).toMatch(/cancelled \(SIGTERM\).*stopped/)
    expect(outputs()).toMatchObject({ 'conversation-id': ID, status: 'STOPPED' })
    expect(core.summaries[0]).toContain('stopped by this step')
  })

  it('leaves the conversation running with stop-on-cancel: false', async () => {
    given({ wait: 'true', 'stop-on-cancel': 'false' })
    const cancel = new AbortController()
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    noEvents()
    nock(BASE)
      .get(`/api/conversations/${ID}`)
      .reply(() => {
        cancel.abort('SIGINT')
        return [200, conversation('RUNNING')]
      })
    await run({ clock: new FakeClock(), policy, cancel: cancel.signal })
    expect(failedWith()).toMatch(/cancelled \(SIGINT\)/)
    expect(failedWith()).not.toMatch(/stopped/)
    expect(nock.isDone()).toBe(true)
  })

  it('pauses the V1 sandbox on cancel', async () => {
    given({ wait: 'true', 'api-version': 'v1' })
    const cancel = new AbortController()
    nock(BASE)
      .post('/api/v1/app-conversations')
      .reply(200, { id: 'aaaabbbbccccddddeeeeffff00001111', status: 'READY', app_conversation_id: ID, sandbox_id: 'sbx9' })
    nock(BASE)
      .get('/api/v1/app-conversations')
      .query(true)
      .reply(() => {
        cancel.abort('SIGTERM')
        return [200, [{ id: ID, sandbox_id: 'sbx9', sandbox_status: 'RUNNING', execution_status: 'running' }]]
      })
    const count = nock(BASE).get('/api/v1/app-conversations/count').query({ sandbox_id__eq: 'sbx9' }).reply(200, '1', { 'Content-Type': 'application/json' })
    const pause = nock(BASE).post('/api/v1/sandboxes/sbx9/pause').reply(200, { success: true })
    await run({ clock: new FakeClock(), policy, cancel: cancel.signal })
    expect(count.isDone()).toBe(true)
    expect(pause.isDone()).toBe(true)
    expect(outputs()).toMatchObject({ status: 'STOPPED', 'runtime-status': 'PAUSED' })
  })
})

describe('waiting for a free conversation slot', () => {
  it("names the server's limit and count on V1's concurrency 429, and waits with jitter", async () => {
    given({ 'poll-interval': '2s', 'api-version': 'v1' })
    const clock = new FakeClock()
    const limit = { detail: { error: 'CONCURRENCY_LIMIT_REACHED', message: 'Maximum concurrent sandboxes reached', limit: 3, current: 3 } }
    nock(BASE).post('/api/v1/app-conversations').times(2).reply(429, limit)
    nock(BASE)
      .post('/api/v1/app-conversations')
      .reply(200, { id: 'aaaabbbbccccddddeeeeffff00001111', status: 'READY', app_conversation_id: ID, sandbox_id: 'sbx9' })
    nock(BASE)
      .get('/api/v1/app-conversations')
      .query(true)
      .reply(200, [{ id: ID, sandbox_id: 'sbx9', sandbox_status: 'RUNNING', execution_status: 'running' }])
    await run({ clock, policy: { baseMs: 1000, maxMs: 30_000, random: () => 0.5 } })
    expect(core.setFailed).not.toHaveBeenCalled()
    // Three quarters of each step fixed, a quarter random: 875 ms, then 7/8 of the 2 s cap.
    expect(clock.sleeps).toEqual([875, 1750])
    expect(logged()).toMatch(/at its limit of 3 \(3 running\) running sandboxes \("Maximum concurrent sandboxes reached"\).*trying again in 875ms/)
  })

  it('asks again no less often than poll-interval when a 429 names no time, with jitter', async () => {
    given({ 'poll-interval': '2s' })
    const clock = new FakeClock()
    const limit = { status: 'error', message: 'Too many running conversations: at most 10 may run at once' }
    nock(BASE).post('/api/conversations').times(5).reply(429, limit)
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    await run({ clock, policy: { baseMs: 1000, maxMs: 30_000, random: () => 0.5 } })
    expect(core.setFailed).not.toHaveBeenCalled()
    // 875 ms, then 7/8 of the 2 s cap (a quarter of each step is random), however long the wait grows.
    expect(clock.sleeps).toEqual([875, 1750, 1750, 1750, 1750])
    expect(logged()).toMatch(/Too many running conversations.*trying again in 2s/)
  })
})
