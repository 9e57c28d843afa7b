// The protocols over fake clients: which requests each reading spends, and how
// `auto` chooses a version. No HTTP here.
import { describe, expect, it, jest } from '@jest/globals'
import type { OpenHandsClient } from '../src/openhands/client.js'
import { AuthError, NetworkError, NotFoundError, ProtocolError, RateLimitError, RequestError, ServerError } from '../src/openhands/errors.js'
import { endingV0, FINAL_AGENT_STATES, FINAL_STATUSES } from '../src/openhands/ending.js'
import { AutoProtocol, V0Protocol, V1Protocol, protocolFor, type Protocol } from '../src/openhands/protocol.js'
import { parseStartTask, type AgentReading, type Conversation, type StartTask } from '../src/openhands/responses.js'

const isFinal = (reading: Pick<Conversation, 'status' | 'agentState'>): boolean => endingV0(reading) !== undefined

const ID = 'e4c1a9f07b3d4e2a9c5f18d26b7a0e31'
const TASK_ID = '3b8e6f1a2c9d4e7f8a0b5c6d7e9f1a2b'
const SANDBOX_ID = '5Vq2XnK8pLr3TbW9yHc4Jd'
const T = 4321
const REQUEST = { message: 'Fix the typo in README.md', repository: 'owner/repo' }

function fakeClient() {
  return {
    startConversation: jest.fn<OpenHandsClient['startConversation']>(),
    getConversation: jest.fn<OpenHandsClient['getConversation']>(),
    getAgentState: jest.fn<OpenHandsClient['getAgentState']>(),
    stopConversation: jest.fn<OpenHandsClient['stopConversation']>(),
    startTask: jest.fn<OpenHandsClient['startTask']>(),
    getStartTask: jest.fn<OpenHandsClient['getStartTask']>(),
    getConversationV1: jest.fn<OpenHandsClient['getConversationV1']>(),
    pauseSandbox: jest.fn<OpenHandsClient['pauseSandbox']>(),
    countInSandbox: jest.fn<OpenHandsClient['countInSandbox']>(),
    agentTurn: jest.fn<OpenHandsClient['agentTurn']>(),
    pauseAgent: jest.fn<OpenHandsClient['pauseAgent']>(),
    resumeSandbox: jest.fn<OpenHandsClient['resumeSandbox']>(),
    sendMessage: jest.fn<OpenHandsClient['sendMessage']>()
  }
}
type FakeClient = ReturnType<typeof fakeClient>

const conversation = (title: string, status = 'RUNNING'): Conversation => ({ id: ID, status, title, runtimeStatus: 'STATUS$READY', prNumbers: [] })
const reading = (state: string | undefined, hasRun = false): AgentReading => ({ state, hasRun })

/** A V0 protocol whose client answers the given agent readings, and a conversation titled by the poll that read it. */
function v0With(readings: Array<AgentReading | Error>) {
  const client = fakeClient()
  const debug = jest.fn<(message: string) => void>()
  for (const answer of readings) {
    if (answer instanceof Error) client.getAgentState.mockRejectedValueOnce(answer)
    else client.getAgentState.mockResolvedValueOnce(answer)
  }
  let reads = 0
  client.getConversation.mockImplementation(async () => conversation(`read ${++reads}`))
  return { client, debug, protocol: new V0Protocol(client, debug) }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to fail')
}

describe('V0Protocol.read', () => {
  it('reads the events, then the conversation, on the first poll', async () => {
    const { client, protocol } = v0With([reading('running')])
    expect(await protocol.read(ID, T)).toEqual({ ...conversation('read 1'), agentState: 'running', ending: undefined })
    expect(client.getAgentState).toHaveBeenCalledWith(ID, T)
    expect(client.getConversation).toHaveBeenCalledWith(ID, T)
    expect(client.getAgentState.mock.invocationCallOrder[0]).toBeLessThan(client.getConversation.mock.invocationCallOrder[0])
  })

  it('reads the conversation on polls 1 and 4 only while the agent works, with the fresh agent state every poll', async () => {
    const { client, protocol } = v0With([reading('loading'), reading('running'), reading('rate_limited'), reading('running'), reading('running')])
    const results: Conversation[] = []
    for (let poll = 1; poll <= 5; poll++) results.push(await protocol.read(ID, T))
    expect(client.getAgentState).toHaveBeenCalledTimes(5)
    expect(client.getConversation).toHaveBeenCalledTimes(2)
    expect(results.map((r) => [r.title, r.agentState])).toEqual([
      ['read 1', 'loading'],
      ['read 1', 'running'],
      ['read 1', 'rate_limited'],
      ['read 2', 'running'],
      ['read 2', 'running']
    ])
    // The conversation of poll 1 is not changed by the readings after it.
    expect(results[0].agentState).toBe('loading')
  })

  it.each(['finished', 'error', 'rejected', 'stopped', 'stuck', 'awaiting_user_input'])(
    'always reads the conversation when the agent state is final (%s)',
    async (state) => {
      const { client, protocol } = v0With([reading('running'), reading(state, true)])
      await protocol.read(ID, T)
      const second = await protocol.read(ID, T)
      expect(client.getConversation).toHaveBeenCalledTimes(2)
      expect(second).toEqual({ ...conversation('read 2'), agentState: state, ending: endingV0({ status: 'RUNNING', agentState: state }) })
      expect(second.ending).toBeDefined()
    }
  )

  it.each([
    ['a 404 (NotFoundError)', new NotFoundError('GET /api/conversations/x/events answered 404: Not Found', 404, 'Not Found')],
    ['a 405 (RequestError)', new RequestError('GET /api/conversations/x/events answered 405: Method Not Allowed', 405, 'Method Not Allowed')],
    ['a 403 (AuthError)', new AuthError('GET /api/conversations/x/events answered 403: Forbidden', 403, 'Forbidden')]
  ])('stops asking for events for good after %s, and reads the conversation every poll', async (_what, error) => {
    const { client, debug, protocol } = v0With([error, reading('running'), reading('running')])
    const results: Conversation[] = []
    for (let poll = 1; poll <= 4; poll++) results.push(await protocol.read(ID, T))
    expect(client.getAgentState).toHaveBeenCalledTimes(1)
    expect(client.getConversation).toHaveBeenCalledTimes(4)
    expect(results.map((r) => [r.title, r.agentState])).toEqual([
      ['read 1', undefined],
      ['read 2', undefined],
      ['read 3', undefined],
      ['read 4', undefined]
    ])
    expect(debug).toHaveBeenCalledTimes(1)
    expect(debug.mock.calls[0][0]).toContain(error.message)
  })

  it('lets a ServerError from the events pass up, and asks for events again on the next poll', async () => {
    const error = new ServerError('GET /api/conversations/x/events answered 502', 502)
    const { client, debug, protocol } = v0With([error, reading('running')])
    expect(await failure(protocol.read(ID, T))).toBe(error)
    expect(client.getConversation).not.toHaveBeenCalled()
    expect(debug).not.toHaveBeenCalled()
    expect(await protocol.read(ID, T)).toEqual({ ...conversation('read 1'), agentState: 'running', ending: undefined })
    expect(client.getAgentState).toHaveBeenCalledTimes(2)
  })

  it.each([
    ['a RateLimitError', new RateLimitError('answered 429', 'Rate limit exceeded: 100 per 1 minute', 30_000)],
    ['a NetworkError', new NetworkError('got no answer within 5s', true)],
    ['a ProtocolError', new ProtocolError('expected {"events": [...]}, got null')]
  ])('lets %s from the events pass up without giving up on them', async (_what, error) => {
    const { client, debug, protocol } = v0With([error, reading('running')])
    expect(await failure(protocol.read(ID, T))).toBe(error)
    expect(debug).not.toHaveBeenCalled()
    expect((await protocol.read(ID, T)).agentState).toBe('running')
    expect(client.getAgentState).toHaveBeenCalledTimes(2)
  })

  it('reads the conversation whenever the events say nothing of the agent', async () => {
    const { client, protocol } = v0With([reading(undefined), reading(undefined), reading(undefined)])
    for (let poll = 1; poll <= 3; poll++) expect((await protocol.read(ID, T)).agentState).toBeUndefined()
    expect(client.getConversation).toHaveBeenCalledTimes(3)
  })

  it("reads awaiting_user_input as 'loading' before the agent was ever seen running", async () => {
    const { protocol } = v0With([reading('awaiting_user_input', false)])
    const read = await protocol.read(ID, T)
    expect(read.agentState).toBe('loading')
    expect(isFinal(read)).toBe(false)
  })

  it('reads awaiting_user_input as itself when the page shows the agent ran before it', async () => {
    const { protocol } = v0With([reading('awaiting_user_input', true)])
    const read = await protocol.read(ID, T)
    expect(read.agentState).toBe('awaiting_user_input')
    expect(isFinal(read)).toBe(true)
  })

  it('reads awaiting_user_input as itself when an earlier poll saw the agent running', async () => {
    const { client, protocol } = v0With([reading('running'), reading('awaiting_user_input', false)])
    await protocol.read(ID, T)
    const read = await protocol.read(ID, T)
    expect(read.agentState).toBe('awaiting_user_input')
    // Final, so the conversation is read again though poll 2 is not due.
    expect(client.getConversation).toHaveBeenCalledTimes(2)
  })

  it('remembers an earlier page that showed the agent ran, though the newest page does not', async () => {
    const { protocol } = v0With([reading('loading', true), reading('awaiting_user_input', false)])
    await protocol.read(ID, T)
    expect((await protocol.read(ID, T)).agentState).toBe('awaiting_user_input')
  })

  it("keeps reading 'loading' while the agent waits for its first message, poll after poll", async () => {
    const { protocol } = v0With([reading('awaiting_user_input'), reading('loading'), reading('awaiting_user_input')])
    const states: Array<string | undefined> = []
    for (let poll = 1; poll <= 3; poll++) states.push((await protocol.read(ID, T)).agentState)
    expect(states).toEqual(['loading', 'loading', 'loading'])
  })
})

describe('the final message', () => {
  it('V0: is the newest agent message of the events the last poll read, with no request of its own', async () => {
    const { client, protocol } = v0With([
      { state: 'running', hasRun: false, lastMessage: 'Working on it.' },
      { state: 'finished', hasRun: true, lastMessage: 'Opened PR #4.' }
    ])
    await protocol.read(ID, T)
    await protocol.read(ID, T)
    const calls = client.getAgentState.mock.calls.length
    expect(await protocol.finalMessage()).toBe('Opened PR #4.')
    expect(client.getAgentState.mock.calls.length).toBe(calls)
  })

  it('V0: keeps the last message seen when a later page has none', async () => {
    const { protocol } = v0With([
      { state: 'running', hasRun: false, lastMessage: 'Done.' },
      { state: 'finished', hasRun: true }
    ])
    await protocol.read(ID, T)
    await protocol.read(ID, T)
    expect(await protocol.finalMessage()).toBe('Done.')
  })

  it('V1: is not read twice when the events of a paused sandbox ended the wait', async () => {
    const client = fakeClient()
    client.getConversationV1.mockResolvedValue({ id: ID, status: 'STOPPED', runtimeStatus: 'PAUSED', prNumbers: [], sandboxId: SANDBOX_ID })
    client.agentTurn.mockResolvedValue({ finished: true, finalMessage: 'Done before the pause.' })
    const protocol = new V1Protocol(client)
    expect((await protocol.read(ID, T)).ending).toEqual({ ok: true })
    expect(await protocol.finalMessage(ID, T)).toBe('Done before the pause.')
    expect(client.agentTurn).toHaveBeenCalledTimes(1)
  })

  it("V1: is read from the agent's events once the wait is over", async () => {
    const client = fakeClient()
    client.agentTurn.mockResolvedValue({ finished: true, finalMessage: 'All tests pass now.' })
    expect(await new V1Protocol(client).finalMessage(ID, T)).toBe('All tests pass now.')
    expect(client.agentTurn).toHaveBeenCalledWith(ID, T)
  })
})

describe('V0Protocol, other calls', () => {
  it('posts through startConversation and gives the conversation', async () => {
    const client = fakeClient()
    client.startConversation.mockResolvedValue({ id: ID, status: 'STARTING' })
    expect(await new V0Protocol(client, () => {}).post(REQUEST, T)).toEqual({ conversation: { id: ID, status: 'STARTING' } })
    expect(client.startConversation).toHaveBeenCalledWith(REQUEST, T)
    expect(client.startTask).not.toHaveBeenCalled()
  })

  it('stops through stopConversation', async () => {
    const client = fakeClient()
    client.stopConversation.mockResolvedValue(undefined)
    expect(await new V0Protocol(client, () => {}).stop({ id: ID }, T)).toBe('conversation-stopped')
    expect(client.stopConversation).toHaveBeenCalledWith(ID, T)
  })

  it('reads the conversation alone for readOnce, without the events or the poll count', async () => {
    const { client, protocol } = v0With([reading('running')])
    expect(await protocol.readOnce(ID, T)).toEqual(conversation('read 1'))
    expect(client.getAgentState).not.toHaveBeenCalled()
    // The first poll after it is still the first: it reads the conversation.
    expect(await protocol.read(ID, T)).toEqual({ ...conversation('read 2'), agentState: 'running', ending: undefined })
  })

  it('has no start tasks', async () => {
    const client = fakeClient()
    await expect(new V0Protocol(client, () => {}).readTask()).rejects.toThrow(/start task/)
    expect(client.getStartTask).not.toHaveBeenCalled()
  })
})

describe('V1Protocol', () => {
  const task: StartTask = { id: TASK_ID, status: 'WORKING' }
  const AGENT = { conversationUrl: `https://${SANDBOX_ID}.runtime.example/api/conversations/${ID}`, sessionApiKey: 'session-key-1' }
  const v1Reading = (fields: Partial<Conversation> = {}): Conversation => ({
    id: ID,
    status: 'RUNNING',
    runtimeStatus: 'RUNNING',
    agentState: 'running',
    prNumbers: [],
    sandboxId: SANDBOX_ID,
    ...fields
  })

  it('posts through startTask and gives the task', async () => {
    const client = fakeClient()
    client.startTask.mockResolvedValue(task)
    expect(await new V1Protocol(client).post(REQUEST, T)).toEqual({ task })
    expect(client.startTask).toHaveBeenCalledWith(REQUEST, T)
    expect(client.startConversation).not.toHaveBeenCalled()
  })

  it('reads tasks and conversations through the V1 routes only', async () => {
    const client = fakeClient()
    const read = v1Reading()
    client.getStartTask.mockResolvedValue({ ...task, status: 'READY', conversationId: ID, sandboxId: SANDBOX_ID })
    client.getConversationV1.mockResolvedValue(read)
    const protocol = new V1Protocol(client)
    expect((await protocol.readTask(TASK_ID, T)).status).toBe('READY')
    expect(await protocol.read(ID, T)).toEqual({ ...read, ending: undefined })
    expect(await protocol.readOnce(ID, T)).toBe(read)
    expect(client.getStartTask).toHaveBeenCalledWith(TASK_ID, T)
    expect(client.getConversationV1).toHaveBeenCalledWith(ID, T)
    expect(client.getConversation).not.toHaveBeenCalled()
    expect(client.getAgentState).not.toHaveBeenCalled()
  })

  it.each([
    ['finished', 'RUNNING', true],
    ['error', 'RUNNING', false],
    ['stuck', 'RUNNING', false],
    ['waiting_for_confirmation', 'RUNNING', false]
  ])('ends the wait on execution_status %s (ok: %s)', async (agentState, runtimeStatus, ok) => {
    const client = fakeClient()
    client.getConversationV1.mockResolvedValue(v1Reading({ agentState, runtimeStatus }))
    const read = await new V1Protocol(client).read(ID, T)
    expect(read.ending?.ok).toBe(ok)
    expect(client.agentTurn).not.toHaveBeenCalled()
  })

  it('asks the events once per pause whether the agent had finished, and waits on when it had not', async () => {
    const client = fakeClient()
    const paused = v1Reading({ status: 'STOPPED', runtimeStatus: 'PAUSED', agentState: undefined })
    client.getConversationV1.mockResolvedValueOnce(paused).mockResolvedValueOnce(paused).mockResolvedValueOnce(v1Reading()).mockResolvedValueOnce(paused)
    client.agentTurn.mockResolvedValue({ finished: false })
    const protocol = new V1Protocol(client)
    const readings = [await protocol.read(ID, T), await protocol.read(ID, T), await protocol.read(ID, T), await protocol.read(ID, T)]
    expect(readings.map((r) => r.ending)).toEqual([undefined, undefined, undefined, undefined])
    // Once for the first pause, not again while it lasts, once more for the next pause.
    expect(client.agentTurn).toHaveBeenCalledTimes(2)
    expect(client.agentTurn).toHaveBeenCalledWith(ID, T)
  })

  it('ends the wait as finished when the events of a paused sandbox show the agent had finished', async () => {
    const client = fakeClient()
    client.getConversationV1.mockResolvedValue(v1Reading({ status: 'STOPPED', runtimeStatus: 'PAUSED', agentState: undefined }))
    client.agentTurn.mockResolvedValue({ finished: true, finalMessage: 'Done.' })
    const read = await new V1Protocol(client).read(ID, T)
    expect(read.ending).toEqual({ ok: true })
    expect(read.agentState).toBe('finished')
  })

  it('waits on when the events of a paused sandbox cannot be read, and says why in the debug log', async () => {
    const client = fakeClient()
    const debug = jest.fn<(message: string) => void>()
    client.getConversationV1.mockResolvedValue(v1Reading({ status: 'STOPPED', runtimeStatus: 'PAUSED', agentState: undefined }))
    client.agentTurn.mockRejectedValue(new ServerError('GET events answered 502', 502))
    const read = await new V1Protocol(client, debug).read(ID, T)
    expect(read.ending).toBeUndefined()
    expect(debug.mock.calls[0][0]).toContain('answered 502')
  })

  it('stops a conversation alone in its sandbox by pausing the sandbox, after counting', async () => {
    const client = fakeClient()
    client.countInSandbox.mockResolvedValue(1)
    client.pauseSandbox.mockResolvedValue(undefined)
    expect(await new V1Protocol(client).stop({ id: ID, sandboxId: SANDBOX_ID, ...AGENT }, T)).toBe('sandbox-paused')
    expect(client.countInSandbox).toHaveBeenCalledWith(SANDBOX_ID, T)
    expect(client.pauseSandbox).toHaveBeenCalledWith(SANDBOX_ID, T)
    expect(client.countInSandbox.mock.invocationCallOrder[0]).toBeLessThan(client.pauseSandbox.mock.invocationCallOrder[0])
    expect(client.pauseAgent).not.toHaveBeenCalled()
  })

  it.each([
    ['shared with another conversation', (client: FakeClient) => client.countInSandbox.mockResolvedValue(2)],
    ['when the count fails', (client: FakeClient) => client.countInSandbox.mockRejectedValue(new ServerError('answered 500', 500))]
  ])('stops only this conversation through the agent server when its sandbox is %s', async (_what, arrange) => {
    const client = fakeClient()
    arrange(client)
    client.pauseAgent.mockResolvedValue(undefined)
    expect(await new V1Protocol(client).stop({ id: ID, sandboxId: SANDBOX_ID, ...AGENT }, T)).toBe('agent-paused')
    expect(client.pauseAgent).toHaveBeenCalledWith(AGENT, T)
    expect(client.pauseSandbox).not.toHaveBeenCalled()
  })

  it('reads the conversation for its agent server when no reading gave one yet (cancelled before the first poll)', async () => {
    const client = fakeClient()
    client.countInSandbox.mockResolvedValue(2)
    client.getConversationV1.mockResolvedValue(v1Reading(AGENT))
    client.pauseAgent.mockResolvedValue(undefined)
    expect(await new V1Protocol(client).stop({ id: ID, sandboxId: SANDBOX_ID }, T)).toBe('agent-paused')
    expect(client.getConversationV1).toHaveBeenCalledWith(ID, T, false)
    expect(client.pauseAgent).toHaveBeenCalledWith(AGENT, T)
    expect(client.pauseSandbox).not.toHaveBeenCalled()
  })

  it('never pauses a shared sandbox, even when it cannot pause the conversation alone', async () => {
    const client = fakeClient()
    client.countInSandbox.mockResolvedValue(3)
    client.getConversationV1.mockResolvedValue(v1Reading({ status: 'STARTING', runtimeStatus: 'STARTING', agentState: undefined }))
    const error = await failure(new V1Protocol(client).stop({ id: ID, sandboxId: SANDBOX_ID }, T))
    expect(error.message).toContain('2 other conversation(s) share its sandbox')
    expect(client.pauseSandbox).not.toHaveBeenCalled()
    expect(client.pauseAgent).not.toHaveBeenCalled()
  })

  it('sends nothing to stop a sandbox that OpenHands already paused', async () => {
    const client = fakeClient()
    expect(await new V1Protocol(client).stop({ id: ID, sandboxId: SANDBOX_ID, runtimeStatus: 'PAUSED' }, T)).toBe('already-paused')
    expect(client.countInSandbox).not.toHaveBeenCalled()
    expect(client.pauseSandbox).not.toHaveBeenCalled()
  })

  it('cannot stop a conversation without a sandbox id, and sends nothing', async () => {
    const client = fakeClient()
    const error = await failure(new V1Protocol(client).stop({ id: ID }, T))
    expect(error.message).toContain(ID)
    expect(client.pauseSandbox).not.toHaveBeenCalled()
    expect(client.stopConversation).not.toHaveBeenCalled()
  })

  it('releases a finished conversation alone in its running sandbox by pausing the sandbox', async () => {
    const client = fakeClient()
    client.countInSandbox.mockResolvedValue(1)
    client.pauseSandbox.mockResolvedValue(undefined)
    expect(await new V1Protocol(client).release({ id: ID, sandboxId: SANDBOX_ID, runtimeStatus: 'RUNNING' }, T)).toEqual({ paused: true })
    expect(client.pauseSandbox).toHaveBeenCalledWith(SANDBOX_ID, T)
  })

  it('leaves a shared sandbox running on release, and says why', async () => {
    const client = fakeClient()
    client.countInSandbox.mockResolvedValue(2)
    const released = await new V1Protocol(client).release({ id: ID, sandboxId: SANDBOX_ID, runtimeStatus: 'RUNNING' }, T)
    expect(released).toEqual({ paused: false, why: expect.stringContaining('2 conversations share it') })
    expect(client.pauseSandbox).not.toHaveBeenCalled()
  })

  it('has no slot to release when the sandbox is not running', async () => {
    const client = fakeClient()
    const released = await new V1Protocol(client).release({ id: ID, sandboxId: SANDBOX_ID, runtimeStatus: 'PAUSED' }, T)
    expect(released.paused).toBe(false)
    expect(client.countInSandbox).not.toHaveBeenCalled()
  })
})

/** A fake protocol of one version, every method a jest.fn. */
function fakeProtocol(version: 'v0' | 'v1') {
  return {
    version,
    post: jest.fn<Protocol['post']>(),
    readTask: jest.fn<Protocol['readTask']>(),
    read: jest.fn<Protocol['read']>(),
    readOnce: jest.fn<Protocol['readOnce']>(),
    stop: jest.fn<Protocol['stop']>(),
    finalMessage: jest.fn<Protocol['finalMessage']>()
  }
}

function auto() {
  const v1 = fakeProtocol('v1')
  const v0 = fakeProtocol('v0')
  const info = jest.fn<(message: string) => void>()
  return { v1, v0, info, protocol: new AutoProtocol(v1, v0, info) }
}

function expectUntouched(fake: ReturnType<typeof fakeProtocol>): void {
  expect(fake.post).not.toHaveBeenCalled()
  expect(fake.readTask).not.toHaveBeenCalled()
  expect(fake.read).not.toHaveBeenCalled()
  expect(fake.readOnce).not.toHaveBeenCalled()
  expect(fake.stop).not.toHaveBeenCalled()
}

describe('AutoProtocol', () => {
  const task: StartTask = { id: TASK_ID, status: 'WORKING' }

  it("is 'auto' until a post has chosen", () => {
    expect(auto().protocol.version).toBe('auto')
  })

  it('uses V1 when its post succeeds, and sends every later call to V1', async () => {
    const { v1, v0, info, protocol } = auto()
    v1.post.mockResolvedValue({ task })
    v1.readTask.mockResolvedValue({ ...task, status: 'READY', conversationId: ID })
    v1.read.mockResolvedValue({ id: ID, status: 'RUNNING', prNumbers: [] })
    v1.readOnce.mockResolvedValue({ id: ID, status: 'STARTING', prNumbers: [] })
    v1.stop.mockResolvedValue('sandbox-paused')
    expect(await protocol.post(REQUEST, T)).toEqual({ task })
    expect(protocol.version).toBe('v1')
    await protocol.readTask(TASK_ID, T)
    await protocol.read(ID, T)
    expect((await protocol.readOnce(ID, T)).status).toBe('STARTING')
    await protocol.stop({ id: ID, sandboxId: SANDBOX_ID }, T)
    expect(v1.post).toHaveBeenCalledWith(REQUEST, T)
    expect(v1.readTask).toHaveBeenCalledWith(TASK_ID, T)
    expect(v1.read).toHaveBeenCalledWith(ID, T)
    expect(v1.stop).toHaveBeenCalledWith({ id: ID, sandboxId: SANDBOX_ID }, T)
    expectUntouched(v0)
    expect(info).not.toHaveBeenCalled()
  })

  it.each([
    ['a 404 (NotFoundError)', () => new NotFoundError('POST /api/v1/app-conversations answered 404: Not Found', 404, 'Not Found')],
    ['a 405 (RequestError)', () => new RequestError('POST /api/v1/app-conversations answered 405: Method Not Allowed', 405, 'Method Not Allowed')]
  ])('falls back to V0 when V1 answers %s, says so, and stays on V0', async (_what, make) => {
    const error = make()
    const { v1, v0, info, protocol } = auto()
    v1.post.mockRejectedValue(error)
    v0.post.mockResolvedValue({ conversation: { id: ID, status: 'STARTING' } })
    v0.read.mockResolvedValue({ id: ID, status: 'RUNNING', prNumbers: [] })
    expect(await protocol.post(REQUEST, T)).toEqual({ conversation: { id: ID, status: 'STARTING' } })
    expect(protocol.version).toBe('v0')
    expect(v1.post).toHaveBeenCalledTimes(1)
    expect(v0.post).toHaveBeenCalledWith(REQUEST, T)
    expect(v1.post.mock.invocationCallOrder[0]).toBeLessThan(v0.post.mock.invocationCallOrder[0])
    expect(info).toHaveBeenCalledTimes(1)
    expect(info.mock.calls[0][0]).toContain(error.message)
    expect(info.mock.calls[0][0]).toMatch(/V0/)
    await protocol.read(ID, T)
    expect(v0.read).toHaveBeenCalledWith(ID, T)
    expect(v1.read).not.toHaveBeenCalled()
    // A second start (a retry) goes straight to V0.
    await protocol.post(REQUEST, T)
    expect(v1.post).toHaveBeenCalledTimes(1)
    expect(v0.post).toHaveBeenCalledTimes(2)
  })

  it.each([
    ['ServerError', () => new ServerError('POST /api/v1/app-conversations answered 500: Internal Server Error', 500, 'Internal Server Error')],
    ['RateLimitError', () => new RateLimitError('POST /api/v1/app-conversations answered 429', 'Rate limit exceeded: 100 per 1 minute', 37_000)],
    ['AuthError 401', () => new AuthError('POST /api/v1/app-conversations answered 401: NoCredentialsError', 401, 'NoCredentialsError')],
    ['AuthError 403', () => new AuthError('POST /api/v1/app-conversations answered 403', 403)],
    ['RequestError 400', () => new RequestError('POST /api/v1/app-conversations answered 400', 400, 'Settings not found', 'CONFIGURATION$SETTINGS_NOT_FOUND')],
    ['RequestError 422', () => new RequestError('POST /api/v1/app-conversations answered 422', 422, 'body.x: Extra inputs are not permitted')],
    ['NetworkError', () => new NetworkError('POST /api/v1/app-conversations got no answer within 30s', true)],
    ['ProtocolError', () => new ProtocolError('expected a start task object, got null')]
  ])('rethrows a V1 %s without posting to V0', async (_what, make) => {
    const error = make()
    const { v1, v0, info, protocol } = auto()
    v1.post.mockRejectedValue(error)
    expect(await failure(protocol.post(REQUEST, T))).toBe(error)
    expectUntouched(v0)
    expect(info).not.toHaveBeenCalled()
    expect(protocol.version).toBe('auto')
    // Nothing was chosen: a retry asks V1 again, and reading still has nothing to read.
    v1.post.mockResolvedValue({ task })
    await protocol.post(REQUEST, T)
    expect(v1.post).toHaveBeenCalledTimes(2)
    expect(v0.post).not.toHaveBeenCalled()
    expect(protocol.version).toBe('v1')
  })

  it('refuses to read, read once, read a task or stop before any post', async () => {
    const { v1, v0, protocol } = auto()
    await expect(async () => protocol.read(ID, T)).rejects.toThrow(/no conversation was started/)
    await expect(async () => protocol.readTask(TASK_ID, T)).rejects.toThrow(/no conversation was started/)
    await expect(async () => protocol.readOnce(ID, T)).rejects.toThrow(/no conversation was started/)
    await expect(async () => protocol.stop({ id: ID }, T)).rejects.toThrow(/no conversation was started/)
    expectUntouched(v1)
    expectUntouched(v0)
  })

  it('refuses to read after a post that failed', async () => {
    const { v1, protocol } = auto()
    v1.post.mockRejectedValue(new ServerError('answered 500', 500))
    await failure(protocol.post(REQUEST, T))
    await expect(async () => protocol.read(ID, T)).rejects.toThrow(/no conversation was started/)
  })

  // The same over real V0/V1 protocols and the real parser: a V1 POST that
  // answered 200 with null may have made a task, so V0 must not be tried.
  it('does not fall back to V0 when the V1 POST answered 200 with a null body', async () => {
    const client = fakeClient()
    client.startTask.mockImplementation(async () => parseStartTask(null))
    client.startConversation.mockResolvedValue({ id: ID, status: 'STARTING' })
    const info = jest.fn<(message: string) => void>()
    const protocol = new AutoProtocol(new V1Protocol(client), new V0Protocol(client, () => {}), info)
    const settled = await protocol.post(REQUEST, T).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(client.startConversation).not.toHaveBeenCalled()
    expect(info).not.toHaveBeenCalled()
    expect(settled).toBeInstanceOf(ProtocolError)
  })
})

describe('protocolFor', () => {
  const log = { info: () => {}, debug: () => {} }

  it.each([
    ['v0', V0Protocol],
    ['v1', V1Protocol],
    ['auto', AutoProtocol]
  ] as const)('gives %s a %p', (version, type) => {
    const protocol = protocolFor(version, fakeClient(), log)
    expect(protocol).toBeInstanceOf(type)
    expect(protocol.version).toBe(version)
  })

  it('gives auto a V1 first and a V0 behind it, on the same client', async () => {
    const client: FakeClient = fakeClient()
    client.startTask.mockRejectedValue(new NotFoundError('answered 404', 404, 'Not Found'))
    client.startConversation.mockResolvedValue({ id: ID, status: 'STARTING' })
    const protocol = protocolFor('auto', client, log)
    expect(await protocol.post(REQUEST, T)).toEqual({ conversation: { id: ID, status: 'STARTING' } })
    expect(client.startTask).toHaveBeenCalledTimes(1)
    expect(client.startConversation).toHaveBeenCalledTimes(1)
    expect(protocol.version).toBe('v0')
  })
})

describe('isFinal', () => {
  it.each(['STOPPED', 'ARCHIVED', 'ERROR'])('ends the wait on status %s whatever the agent does', (status) => {
    expect(isFinal({ status })).toBe(true)
    expect(isFinal({ status, agentState: 'running' })).toBe(true)
  })

  it.each(['STARTING', 'RUNNING', 'SOMETHING_NEW'])('does not end the wait on status %s alone', (status) => {
    expect(isFinal({ status })).toBe(false)
  })

  it.each(['finished', 'awaiting_user_input', 'error', 'rejected', 'stopped', 'stuck'])(
    'ends the wait on agent state %s though the runtime still runs',
    (agentState) => {
      expect(isFinal({ status: 'RUNNING', agentState })).toBe(true)
    }
  )

  it.each([
    'loading',
    'running',
    'paused',
    'awaiting_user_confirmation',
    'user_confirmed',
    'user_rejected',
    'rate_limited',
    // V1 execution_status values that are not final.
    'idle',
    'waiting_for_confirmation',
    'deleting'
  ])('does not end the wait on agent state %s', (agentState) => {
    expect(isFinal({ status: 'RUNNING', agentState })).toBe(false)
  })

  it('has exactly the documented final sets', () => {
    expect([...FINAL_STATUSES].sort()).toEqual(['ARCHIVED', 'ERROR', 'STOPPED'])
    expect([...FINAL_AGENT_STATES].sort()).toEqual(['awaiting_user_input', 'error', 'finished', 'rejected', 'stopped', 'stuck'])
  })
})

describe('follow-ups', () => {
  const running = (agentState?: string): Conversation => ({
    id: ID,
    status: 'RUNNING',
    runtimeStatus: 'RUNNING',
    prNumbers: [],
    sandboxId: SANDBOX_ID,
    agentState
  })

  async function sentTo(client: FakeClient): Promise<V1Protocol> {
    const protocol = new V1Protocol(client)
    client.sendMessage.mockResolvedValue(undefined)
    await protocol.followUp.send(ID, 'Also add a test', T)
    expect(client.sendMessage).toHaveBeenCalledWith(ID, 'Also add a test', T)
    return protocol
  }

  it("V1: does not take the previous turn's finished for this one until the events show the agent's answer after the message", async () => {
    const client = fakeClient()
    const protocol = await sentTo(client)
    client.getConversationV1.mockResolvedValue(running('finished'))
    client.agentTurn.mockResolvedValueOnce({ finished: false, lastBy: 'user' })
    const stale = await protocol.read(ID, T)
    expect(stale.ending).toBeUndefined()
    // The last state seen stands: the stale one is not reported.
    expect(stale).not.toHaveProperty('agentState')
    client.agentTurn.mockResolvedValueOnce({ finished: true, lastBy: 'agent', finalMessage: 'Added the test.' })
    expect((await protocol.read(ID, T)).ending).toEqual({ ok: true })
    expect(await protocol.finalMessage(ID, T)).toBe('Added the test.')
    expect(client.agentTurn).toHaveBeenCalledTimes(2)
  })

  it('V1: once the agent is seen running after the message, its next end is taken as it comes, without the events', async () => {
    const client = fakeClient()
    const protocol = await sentTo(client)
    client.getConversationV1.mockResolvedValueOnce(running('running')).mockResolvedValueOnce(running('finished'))
    expect((await protocol.read(ID, T)).ending).toBeUndefined()
    expect((await protocol.read(ID, T)).ending).toEqual({ ok: true })
    expect(client.agentTurn).not.toHaveBeenCalled()
  })

  it('V1: takes a failure for this turn once the agent acted after the message', async () => {
    const client = fakeClient()
    const protocol = await sentTo(client)
    client.getConversationV1.mockResolvedValue(running('stuck'))
    client.agentTurn.mockResolvedValue({ finished: false, lastBy: 'agent' })
    expect((await protocol.read(ID, T)).ending).toMatchObject({ ok: false })
  })

  it('V1: believes a server that shows the same end three readings in a row, whatever the events say', async () => {
    const client = fakeClient()
    const protocol = await sentTo(client)
    client.getConversationV1.mockResolvedValue(running('error'))
    client.agentTurn.mockResolvedValue({ finished: false, lastBy: 'user' })
    expect((await protocol.read(ID, T)).ending).toBeUndefined()
    expect((await protocol.read(ID, T)).ending).toBeUndefined()
    expect((await protocol.read(ID, T)).ending).toMatchObject({ ok: false })
  })

  it('V1: a reading right after the message leaves out a state that is the previous end', async () => {
    const client = fakeClient()
    const protocol = await sentTo(client)
    client.getConversationV1.mockResolvedValue(running('finished'))
    expect(await protocol.readOnce(ID, T)).not.toHaveProperty('agentState')
  })

  it('V1: looks a conversation up, undefined when the server answers null, and a missing route passed on', async () => {
    const client = fakeClient()
    const protocol = new V1Protocol(client)
    client.getConversationV1.mockResolvedValueOnce(running('finished'))
    expect(await protocol.followUp.lookUp(ID, T)).toEqual(running('finished'))
    client.getConversationV1.mockRejectedValueOnce(new NotFoundError(`OpenHands has no conversation ${ID} (it answered null)`))
    expect(await protocol.followUp.lookUp(ID, T)).toBeUndefined()
    const noRoute = new NotFoundError('GET /api/v1/app-conversations answered 404', 404)
    client.getConversationV1.mockRejectedValueOnce(noRoute)
    await expect(protocol.followUp.lookUp(ID, T)).rejects.toBe(noRoute)
  })

  it("V0 has none; auto has V1's, and a conversation found there makes V1 the version spoken", async () => {
    const client = fakeClient()
    expect((new V0Protocol(client, () => {}) as Protocol).followUp).toBeUndefined()
    const auto = protocolFor('auto', client, { info: () => {}, debug: () => {} })
    expect(auto.version).toBe('auto')
    client.getConversationV1.mockResolvedValue(running('finished'))
    await auto.followUp?.lookUp(ID, T)
    expect(auto.version).toBe('v1')
    await auto.read(ID, T)
    expect(client.getConversation).not.toHaveBeenCalled()
  })
})
