import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:net'
import nock from 'nock'
import { OpenHandsClient } from '../src/openhands/client.js'
import { AuthError, NetworkError, NotFoundError, ProtocolError, RateLimitError, RequestError, ServerError } from '../src/openhands/errors.js'

// nock answers for this host; nothing is ever sent to it (net connect is off but for loopback).
const BASE = 'http://openhands.test'
const KEY = 'sk-test-0123456789abcdef'
const ID = '5f2d8c1e9a7b4c3d8e1f0a2b3c4d5e6f'
const client = new OpenHandsClient({ baseUrl: BASE, apiKey: KEY, now: () => 0 })
const start = (): ReturnType<OpenHandsClient['startConversation']> => client.startConversation({ message: 'Fix it' }, 5000)

beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect('127.0.0.1')
})
// nock patches Node's shared HTTP modules; un-patch them so the next test file
// in this worker starts with its own nock, not this file's.
afterAll(() => {
  nock.cleanAll()
  nock.enableNetConnect()
  nock.restore()
})
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([])
  nock.cleanAll()
})

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to fail')
}

describe('startConversation', () => {
  it('sends the message, repository and branch with Bearer auth, and reads the real server answer', async () => {
    const message = 'Line one\n  «quoted» "text" ${{ github.token }}\n日本語 \t\n'
    let sent: unknown
    nock(BASE, { reqheaders: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } })
      .post('/api/conversations', (body) => {
        sent = body
        return true
      })
      .reply(200, { status: 'ok', conversation_id: ID, message: null, conversation_status: 'STARTING' })
    const started = await client.startConversation({ message, repository: 'octo/hello', branch: 'dev' }, 5000)
    expect(started).toEqual({ id: ID, status: 'STARTING' })
    expect(sent).toEqual({ initial_user_msg: message, repository: 'octo/hello', selected_branch: 'dev' })
  })

  it('accepts the vendor page answer, which has no conversation status', async () => {
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: 'abc1234' })
    expect(await start()).toEqual({ id: 'abc1234', status: undefined })
  })

  it('sends no repository or branch fields when none are set', async () => {
    let sent: unknown
    nock(BASE)
      .post('/api/conversations', (body) => {
        sent = body
        return true
      })
      .reply(200, { status: 'ok', conversation_id: ID })
    await start()
    expect(sent).toEqual({ initial_user_msg: 'Fix it' })
  })

  it.each([
    [401, JSON.stringify('Unable to access repo octo/hello'), AuthError, 'Unable to access repo octo/hello'],
    [401, JSON.stringify({ error: 'NoCredentialsError' }), AuthError, 'NoCredentialsError'],
    [400, JSON.stringify({ status: 'error', message: 'No LLM key', msg_id: 'STATUS$ERROR_LLM_AUTHENTICATION' }), RequestError, 'No LLM key'],
    [
      422,
      JSON.stringify({ detail: [{ type: 'extra_forbidden', loc: ['body', 'x'], msg: 'Extra inputs are not permitted' }] }),
      RequestError,
      'body.x: Extra inputs are not permitted'
    ],
    [404, JSON.stringify({ detail: 'Not Found' }), NotFoundError, 'Not Found'],
    [500, 'Internal Server Error', ServerError, 'Internal Server Error'],
    [502, '<html><body>Bad gateway</body></html>', ServerError, 'Bad gateway']
  ])('turns %i into a typed error with the server words', async (status, body, type, words) => {
    nock(BASE).post('/api/conversations').reply(status, body)
    const error = await failure(start())
    expect(error).toBeInstanceOf(type)
    expect(error.message).toContain(words)
    expect(error.message).toContain(`${status}`)
  })

  it('keeps the msg_id of a 400 for the hint', async () => {
    nock(BASE).post('/api/conversations').reply(400, { status: 'error', message: 'x', msg_id: 'CONFIGURATION$SETTINGS_NOT_FOUND' })
    const error = await failure(start())
    expect(error).toBeInstanceOf(RequestError)
    expect((error as RequestError).messageId).toBe('CONFIGURATION$SETTINGS_NOT_FOUND')
  })

  it.each([
    // Whole seconds, cut down by the server: until the end of the seventh.
    [{ 'Retry-After': '7' }, 8000],
    [{ 'X-RateLimit-Reset': '12' }, 12000],
    [{}, undefined]
  ])('reads how long a 429 asks to wait from %j', async (headers, wait) => {
    nock(BASE).post('/api/conversations').reply(429, { error: 'Rate limit exceeded: 100 per 1 minute' }, headers)
    const error = await failure(start())
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(wait)
    expect((error as RateLimitError).serverMessage).toBe('Rate limit exceeded: 100 per 1 minute')
  })

  it.each([
    ['not JSON', '{"status": "ok", "conversation_id": '],
    ['null', 'null'],
    ['no id', '{"status":"ok"}'],
    ['an id that is not path-safe', '{"status":"ok","conversation_id":"../admin"}']
  ])('refuses a 200 whose body is %s with a ProtocolError', async (_, body) => {
    nock(BASE).post('/api/conversations').reply(200, body, { 'Content-Type': 'application/json' })
    expect(await failure(start())).toBeInstanceOf(ProtocolError)
  })

  it('refuses to follow a redirect, which would send the key to another address', async () => {
    nock(BASE).post('/api/conversations').reply(307, '', { Location: 'https://elsewhere.test/api/conversations' })
    const error = await failure(start())
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(/redirect: set base-url/)
  })

  // Real sockets on loopback: nock's simulated socket errors do not behave like
  // a real refused or reset connection.
  it('says a refused connection never sent the request', async () => {
    const port = await freePort()
    const local = new OpenHandsClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY })
    const error = await failure(local.startConversation({ message: 'x' }, 5000))
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).requestSent).toBe(false)
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('says a connection dropped after the request may have sent it', async () => {
    const server = await listen((socket) => socket.once('data', () => socket.destroy()))
    try {
      const local = new OpenHandsClient({ baseUrl: `http://127.0.0.1:${port(server)}`, apiKey: KEY })
      const error = await failure(local.startConversation({ message: 'x' }, 5000))
      expect(error).toBeInstanceOf(NetworkError)
      expect((error as NetworkError).requestSent).toBe(true)
      expect(error.message).not.toContain(KEY)
    } finally {
      server.close()
    }
  })

  it('gives up on a silent server after the time-out, as a request that may have been sent', async () => {
    const server = await listen(() => {})
    try {
      const local = new OpenHandsClient({ baseUrl: `http://127.0.0.1:${port(server)}`, apiKey: KEY })
      const error = await failure(local.startConversation({ message: 'x' }, 100))
      expect(error).toBeInstanceOf(NetworkError)
      expect((error as NetworkError).requestSent).toBe(true)
      expect(error.message).toMatch(/no answer within/)
    } finally {
      server.close()
    }
  })

  it('refuses a body larger than any real answer', async () => {
    nock(BASE)
      .post('/api/conversations')
      .reply(200, JSON.stringify({ status: 'ok', conversation_id: ID, pad: 'x'.repeat(2 * 1024 * 1024) }))
    const error = await failure(start())
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toMatch(/bytes/)
  })
})

describe('getConversation', () => {
  it('reads the real server body', async () => {
    nock(BASE, { reqheaders: { authorization: `Bearer ${KEY}` } })
      .get(`/api/conversations/${ID}`)
      .reply(200, {
        conversation_id: ID,
        title: 'Fix the README',
        created_at: '2025-04-29T15:13:51.370706Z',
        last_updated_at: '2025-04-29T15:13:57.199210Z',
        status: 'RUNNING',
        runtime_status: 'STATUS$READY',
        selected_repository: 'octo/hello',
        trigger: 'remote_api_key',
        pr_number: [12],
        conversation_version: 'V0'
      })
    expect(await client.getConversation(ID, 5000)).toEqual({
      id: ID,
      status: 'RUNNING',
      title: 'Fix the README',
      runtimeStatus: 'STATUS$READY',
      prNumbers: [12]
    })
  })

  it('treats the real server null answer for an unknown id as not found', async () => {
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, 'null', { 'Content-Type': 'application/json' })
    const error = await failure(client.getConversation(ID, 5000))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain(ID)
  })

  it('never puts the key in an error, even when the server echoes it', async () => {
    nock(BASE).get(`/api/conversations/${ID}`).reply(500, `bad header Authorization: Bearer ${KEY}`)
    const error = await failure(client.getConversation(ID, 5000))
    expect(error).toBeInstanceOf(ServerError)
    // The client reports what the server said; main.ts redacts everything it prints.
    expect(error.message).toContain('500')
  })
})

describe('conversationUrl', () => {
  it('builds the page link from the base URL', () => {
    expect(client.conversationUrl(ID)).toBe(`${BASE}/conversations/${ID}`)
  })
})

function listen(onConnection: (socket: import('node:net').Socket) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(onConnection)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

function port(server: Server): number {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function freePort(): Promise<number> {
  const server = await listen(() => {})
  const free = port(server)
  await new Promise((resolve) => server.close(resolve))
  return free
}

describe('V1 calls', () => {
  const SANDBOX = '5Vq2XnK8pLr3TbW9yHc4Jd'
  const AGENT_SERVER = 'http://agent-server.test'

  it('starts with the message to run and the API trigger, with Bearer auth', async () => {
    let sent: unknown
    nock(BASE, { reqheaders: { authorization: `Bearer ${KEY}` } })
      .post('/api/v1/app-conversations', (body) => {
        sent = body
        return true
      })
      .reply(200, { id: ID, status: 'WORKING' })
    await client.startTask({ message: 'Fix it', repository: 'octo/hello', branch: 'dev' }, 5000)
    expect(sent).toEqual({
      initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix it' }], run: true },
      trigger: 'openhands_api',
      selected_repository: 'octo/hello',
      selected_branch: 'dev'
    })
  })

  it('counts the conversations in a sandbox', async () => {
    nock(BASE).get('/api/v1/app-conversations/count').query({ sandbox_id__eq: SANDBOX }).reply(200, '2', { 'Content-Type': 'application/json' })
    expect(await client.countInSandbox(SANDBOX, 5000)).toBe(2)
  })

  it('refuses a count that is not a count', async () => {
    nock(BASE).get('/api/v1/app-conversations/count').query(true).reply(200, { count: 2 })
    expect(await failure(client.countInSandbox(SANDBOX, 5000))).toBeInstanceOf(ProtocolError)
  })

  it("reads the agent's newest events, newest first", async () => {
    const page = {
      items: [{ kind: 'MessageEvent', source: 'agent', llm_message: { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] } }],
      next_page_id: null
    }
    nock(BASE).get(`/api/v1/conversation/${ID}/events/search`).query({ sort_order: 'TIMESTAMP_DESC', limit: '50' }).reply(200, page)
    expect(await client.agentTurn(ID, 5000)).toEqual({ finished: true, lastBy: 'agent', finalMessage: 'Done.' })
  })

  it("pauses one conversation through the agent server with its session key, never the account's api-key", async () => {
    const pause = nock(AGENT_SERVER, { reqheaders: { 'x-session-api-key': 'session-key-7' }, badheaders: ['authorization', 'x-access-token'] })
      .post(`/api/conversations/${ID}/pause`)
      .reply(200, { success: true })
    await client.pauseAgent({ conversationUrl: `${AGENT_SERVER}/api/conversations/${ID}`, sessionApiKey: 'session-key-7' }, 5000)
    expect(pause.isDone()).toBe(true)
  })

  it("reads the limit and the count from V1's concurrency 429", async () => {
    const body = { detail: { error: 'CONCURRENCY_LIMIT_REACHED', message: 'Maximum concurrent sandboxes reached', limit: 3, current: 3 } }
    nock(BASE).post('/api/v1/app-conversations').reply(429, body)
    const error = await failure(client.startTask({ message: 'Fix it' }, 5000))
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).concurrency).toEqual({ limit: 3, current: 3 })
    expect((error as RateLimitError).serverMessage).toBe('Maximum concurrent sandboxes reached')
    expect((error as RateLimitError).retryAfterMs).toBeUndefined()
  })

  it("honours the rate limiter's Retry-After and reads its description-string limit", async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 40)
    const timed = new OpenHandsClient({ baseUrl: BASE, apiKey: KEY })
    nock(BASE)
      .get('/api/v1/app-conversations')
      .query(true)
      .reply(
        429,
        { error: 'Rate limit exceeded: 100 per 1 minute' },
        { 'X-RateLimit-Limit': '100 per 1 minute', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset, 'Retry-After': '40' }
      )
    const error = await failure(timed.getConversationV1(ID, 5000))
    expect(error).toBeInstanceOf(RateLimitError)
    // The later of the two: the end of the 40th second, or the epoch second after the reset named.
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(40_000)
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(41_000)
    expect((error as RateLimitError).concurrency).toBeUndefined()
    expect(timed.rateBudget).toMatchObject({ limit: 100, remaining: 0 })
    expect(timed.rateBudget?.resetMs).toBeGreaterThan(35_000)
  })
})
