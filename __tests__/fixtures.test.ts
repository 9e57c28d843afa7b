// Every recorded server answer in __fixtures__/openhands, served by nock to the
// client method that meets it, with what the client must make of it. A new
// fixture file fails here until the table below says what it should give.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import nock from 'nock'
import { FIXTURE_DIR, fixtureNames, headersOf, loadFixture, payloadOf, type Fixture } from '../__fixtures__/openhands/index.js'
import { OpenHandsClient } from '../src/openhands/client.js'
import { ApiError, AuthError, NotFoundError, RateLimitError, RequestError, ServerError } from '../src/openhands/errors.js'
import { endingV1 } from '../src/openhands/ending.js'

const BASE = 'http://openhands.test'
const KEY = 'sk-fixtures-0123456789abcdef'
const T = 5000
// The ids the fixtures use.
const V0_ID = 'e4c1a9f07b3d4e2a9c5f18d26b7a0e31'
const V1_ID = '7d2f9b4c1e8a4f6db3c05e9a2f71c8d4'
const TASK_ID = '3b8e6f1a2c9d4e7f8a0b5c6d7e9f1a2b'
const SANDBOX_ID = '5Vq2XnK8pLr3TbW9yHc4Jd'
// 23 s before the rate-limit fixture's X-RateLimit-Reset (1767225660).
const NOW = 1_767_225_637_000
const client = new OpenHandsClient({ baseUrl: BASE, apiKey: KEY, now: () => NOW })
const REQUEST = { message: 'Fix the typo in README.md', repository: 'owner/repo' }

type CallName =
  'startConversation' | 'getConversation' | 'getAgentState' | 'stopConversation' | 'startTask' | 'getStartTask' | 'getConversationV1' | 'pauseSandbox'

interface Call {
  version: 'v0' | 'v1'
  method: 'GET' | 'POST'
  path: string
  run: () => Promise<unknown>
}

const calls: Record<CallName, Call> = {
  startConversation: { version: 'v0', method: 'POST', path: '/api/conversations', run: () => client.startConversation(REQUEST, T) },
  getConversation: { version: 'v0', method: 'GET', path: `/api/conversations/${V0_ID}`, run: () => client.getConversation(V0_ID, T) },
  getAgentState: {
    version: 'v0',
    method: 'GET',
    path: `/api/conversations/${V0_ID}/events?reverse=true&limit=20`,
    run: () => client.getAgentState(V0_ID, T)
  },
  stopConversation: { version: 'v0', method: 'POST', path: `/api/conversations/${V0_ID}/stop`, run: () => client.stopConversation(V0_ID, T) },
  startTask: { version: 'v1', method: 'POST', path: '/api/v1/app-conversations', run: () => client.startTask(REQUEST, T) },
  getStartTask: { version: 'v1', method: 'GET', path: `/api/v1/app-conversations/start-tasks?ids=${TASK_ID}`, run: () => client.getStartTask(TASK_ID, T) },
  getConversationV1: { version: 'v1', method: 'GET', path: `/api/v1/app-conversations?ids=${V1_ID}`, run: () => client.getConversationV1(V1_ID, T) },
  pauseSandbox: { version: 'v1', method: 'POST', path: `/api/v1/sandboxes/${SANDBOX_ID}/pause`, run: () => client.pauseSandbox(SANDBOX_ID, T) }
}

// The route word in a fixture's name, and the calls that meet that route.
const callsOfRoute: Record<string, CallName[]> = {
  conversations: ['startConversation'],
  conversation: ['getConversation'],
  events: ['getAgentState'],
  stop: ['stopConversation'],
  'app-conversations': ['startTask', 'getConversationV1'],
  'start-tasks': ['getStartTask'],
  'sandbox-pause': ['pauseSandbox']
}

type ErrorClass = abstract new (...args: never[]) => ApiError
type Expectation =
  | { value: unknown; check?: (value: unknown) => void }
  | {
      error: ErrorClass
      /** Words the error's message must hold: the server's own, and the status. */
      words: string[]
      /** Fields of the error, compared with toEqual (undefined means absent). */
      fields: Record<string, unknown>
    }

interface Case {
  call: CallName
  expect: Expectation
}

const table: Record<string, Case> = {
  'v0-post-conversations-200-real': { call: 'startConversation', expect: { value: { id: V0_ID, status: 'STARTING' } } },
  'v0-post-conversations-200-vendor': { call: 'startConversation', expect: { value: { id: 'abc1234', status: undefined } } },
  'v0-post-conversations-400-llm-authentication': {
    call: 'startConversation',
    expect: {
      error: RequestError,
      words: ['400', 'Error authenticating with the LLM provider. Please check your API key'],
      fields: {
        status: 400,
        messageId: 'STATUS$ERROR_LLM_AUTHENTICATION',
        serverMessage: 'Error authenticating with the LLM provider. Please check your API key',
        retryable: false
      }
    }
  },
  'v0-post-conversations-400-settings-not-found': {
    call: 'startConversation',
    expect: {
      error: RequestError,
      words: ['400', 'Settings not found'],
      fields: { status: 400, messageId: 'CONFIGURATION$SETTINGS_NOT_FOUND', serverMessage: 'Settings not found' }
    }
  },
  'v0-post-conversations-401-repo-access': {
    call: 'startConversation',
    expect: {
      error: AuthError,
      words: ['401', 'Unable to access repo owner/repo'],
      fields: { status: 401, serverMessage: 'Unable to access repo owner/repo', retryable: false }
    }
  },
  'v0-post-conversations-401-no-credentials': {
    call: 'startConversation',
    expect: { error: AuthError, words: ['401', 'NoCredentialsError'], fields: { status: 401, serverMessage: 'NoCredentialsError' } }
  },
  'v0-post-conversations-422-validation': {
    call: 'startConversation',
    expect: {
      error: RequestError,
      words: ['422', 'body.repo: Extra inputs are not permitted'],
      fields: { status: 422, messageId: undefined, serverMessage: 'body.repo: Extra inputs are not permitted' }
    }
  },
  'v0-post-conversations-429-conversation-limit': {
    call: 'startConversation',
    expect: {
      error: RateLimitError,
      words: ['429', 'Too many running conversations: at most 10 may run at once'],
      fields: { status: 429, retryAfterMs: undefined, serverMessage: 'Too many running conversations: at most 10 may run at once', retryable: true }
    }
  },
  'v0-post-conversations-429-rate-limit': {
    call: 'startConversation',
    expect: {
      error: RateLimitError,
      words: ['429', 'Rate limit exceeded: 100 per 1 minute'],
      // Retry-After is int(reset - now): 37 means the window ends within the 38th second.
      fields: { status: 429, retryAfterMs: 38_000, serverMessage: 'Rate limit exceeded: 100 per 1 minute', retryable: true }
    }
  },
  'v0-post-conversations-500-internal': {
    call: 'startConversation',
    expect: { error: ServerError, words: ['500', 'Internal Server Error'], fields: { status: 500, serverMessage: 'Internal Server Error', retryable: true } }
  },
  'v0-get-conversation-200-real': {
    call: 'getConversation',
    expect: {
      value: { id: V0_ID, status: 'RUNNING', title: 'Fix the typo in README.md', runtimeStatus: 'STATUS$READY', prNumbers: [128] }
    }
  },
  'v0-get-conversation-200-vendor': {
    call: 'getConversation',
    expect: { value: { id: 'abc1234', status: 'RUNNING', title: 'Update README.md', prNumbers: [] } }
  },
  'v0-get-conversation-200-unknown-id': {
    call: 'getConversation',
    expect: { error: NotFoundError, words: [V0_ID, 'null'], fields: { retryable: false } }
  },
  'v0-get-events-200-interleaved': {
    call: 'getAgentState',
    expect: { value: { state: 'awaiting_user_input', hasRun: true, lastMessage: 'I fixed the typo and opened a pull request. Anything else?' } }
  },
  'v0-get-events-200-awaiting-before-run': { call: 'getAgentState', expect: { value: { state: 'awaiting_user_input', hasRun: false } } },
  'v0-get-events-200-no-state': { call: 'getAgentState', expect: { value: { state: undefined, hasRun: false } } },
  'v0-get-events-404-not-served': {
    call: 'getAgentState',
    expect: { error: NotFoundError, words: ['404', 'Not Found'], fields: { status: 404, serverMessage: 'Not Found' } }
  },
  'v0-post-stop-200-stopped': { call: 'stopConversation', expect: { value: undefined } },
  'v1-post-app-conversations-200-working': {
    call: 'startTask',
    expect: { value: { id: TASK_ID, status: 'WORKING', detail: undefined, conversationId: undefined, sandboxId: undefined } }
  },
  'v1-get-start-tasks-200-ready': {
    call: 'getStartTask',
    expect: { value: { id: TASK_ID, status: 'READY', detail: undefined, conversationId: V1_ID, sandboxId: SANDBOX_ID } }
  },
  // StartTaskError is start.ts's to throw; the client reports the task as it is.
  'v1-get-start-tasks-200-error': {
    call: 'getStartTask',
    expect: {
      value: { id: TASK_ID, status: 'ERROR', detail: 'Unable to access repo owner/repo', conversationId: undefined, sandboxId: undefined }
    }
  },
  'v1-get-start-tasks-200-unknown-id': {
    call: 'getStartTask',
    expect: { error: NotFoundError, words: [TASK_ID, 'null'], fields: { retryable: false } }
  },
  'v1-get-app-conversations-200-running-finished': {
    call: 'getConversationV1',
    expect: {
      value: {
        id: V1_ID,
        status: 'RUNNING',
        title: 'Fix the typo in README.md',
        runtimeStatus: 'RUNNING',
        agentState: 'finished',
        prNumbers: [131],
        sandboxId: SANDBOX_ID,
        repository: 'owner/repo',
        // Given while the sandbox runs: what stopping this conversation alone needs.
        conversationUrl: `https://${SANDBOX_ID}.prod-runtime.all-hands.dev/api/conversations/${V1_ID}`,
        sessionApiKey: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b'
      },
      // The sandbox runs on, but the agent is done: the wait is over, and it went well.
      check: (value) => expect(endingV1(value as { status: string; agentState?: string; runtimeStatus?: string })).toEqual({ ok: true })
    }
  },
  'v1-get-app-conversations-200-unknown-id': {
    call: 'getConversationV1',
    expect: { error: NotFoundError, words: [V1_ID, 'null'], fields: { retryable: false } }
  },
  'v1-post-sandbox-pause-200-success': { call: 'pauseSandbox', expect: { value: undefined } },
  'v1-post-app-conversations-404-missing-route': {
    call: 'startTask',
    expect: { error: NotFoundError, words: ['404', 'Not Found'], fields: { status: 404, serverMessage: 'Not Found' } }
  },
  'v1-post-app-conversations-405-method-not-allowed': {
    call: 'startTask',
    expect: { error: RequestError, words: ['405', 'Method Not Allowed'], fields: { status: 405, serverMessage: 'Method Not Allowed', messageId: undefined } }
  }
}

// What the brief asks the fixtures to cover, at the least.
const REQUIRED = [
  'v0-post-conversations-200-real',
  'v0-post-conversations-200-vendor',
  'v0-post-conversations-400-llm-authentication',
  'v0-post-conversations-400-settings-not-found',
  'v0-post-conversations-401-repo-access',
  'v0-post-conversations-401-no-credentials',
  'v0-post-conversations-422-validation',
  'v0-post-conversations-429-conversation-limit',
  'v0-post-conversations-429-rate-limit',
  'v0-post-conversations-500-internal',
  'v0-get-conversation-200-real',
  'v0-get-conversation-200-vendor',
  'v0-get-conversation-200-unknown-id',
  'v0-get-events-200-interleaved',
  'v0-post-stop-200-stopped',
  'v1-post-app-conversations-200-working',
  'v1-get-start-tasks-200-ready',
  'v1-get-start-tasks-200-error',
  'v1-get-start-tasks-200-unknown-id',
  'v1-get-app-conversations-200-running-finished',
  'v1-get-app-conversations-200-unknown-id',
  'v1-post-sandbox-pause-200-success',
  'v1-post-app-conversations-404-missing-route',
  'v1-post-app-conversations-405-method-not-allowed'
]

const NAME = /^(v0|v1)-(get|post)-(.+?)-(\d{3})-([a-z0-9]+(?:-[a-z0-9]+)*)$/
const HEX_32 = /^[0-9a-f]{32}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/
const names = fixtureNames()

beforeAll(() => {
  nock.disableNetConnect()
})
afterAll(() => {
  nock.cleanAll()
  nock.enableNetConnect()
  nock.restore()
})
// Cleaned before the check, so one unmet interceptor fails one test, not every later one.
afterEach(() => {
  const pending = nock.pendingMocks()
  nock.cleanAll()
  expect(pending).toEqual([])
})

async function outcome(promise: Promise<unknown>): Promise<{ value: unknown } | { error: unknown }> {
  try {
    return { value: await promise }
  } catch (error) {
    return { error }
  }
}

/** Every [key, value] pair anywhere in a JSON value. */
function* entries(value: unknown): Generator<[string, unknown]> {
  if (Array.isArray(value)) for (const item of value) yield* entries(item)
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      yield [key, inner]
      yield* entries(inner)
    }
  }
}

describe('the fixture set', () => {
  it('holds at least the bodies the action must understand', () => {
    expect(names).toEqual(expect.arrayContaining(REQUIRED))
  })

  it('has an expectation in the table for every fixture file, and a file for every expectation', () => {
    expect(names.filter((name) => !(name in table))).toEqual([])
    expect(Object.keys(table).filter((name) => !names.includes(name))).toEqual([])
  })

  it('has no file beside the loader that is not a .json fixture (a .jsn would go untested)', () => {
    expect(readdirSync(FIXTURE_DIR).filter((file) => file !== 'index.ts' && !file.endsWith('.json'))).toEqual([])
  })
})

describe.each(names)('%s', (name) => {
  let fixture: Fixture
  beforeAll(() => {
    fixture = loadFixture(name)
  })

  it('is named version-method-route-status-case, and the status and route agree with the file and its call', () => {
    const match = NAME.exec(name)
    expect(match).not.toBeNull()
    const [, version, method, route, status] = match as RegExpExecArray
    expect(Number(status)).toBe(fixture.status)
    const entry = table[name]
    expect(entry).toBeDefined()
    const call = calls[entry.call]
    expect(call.version).toBe(version)
    expect(call.method).toBe(method.toUpperCase())
    expect(callsOfRoute[route]).toContain(entry.call)
  })

  it('uses 32-hex ids (the vendor page and event numbers excepted) and ISO timestamps', () => {
    const vendor = name.endsWith('-vendor')
    for (const [key, value] of entries(fixture.body)) {
      // Events are numbered; everything else the server names has a 32-hex id.
      if (['id', 'conversation_id', 'app_conversation_id'].includes(key) && typeof value !== 'number' && value !== null) {
        expect({ key, value, ok: vendor || HEX_32.test(String(value)) }).toEqual({ key, value, ok: true })
      }
      if ((key.endsWith('_at') || key === 'timestamp') && value !== null) {
        expect({ key, value, ok: ISO.test(String(value)) }).toEqual({ key, value, ok: true })
      }
    }
  })

  it('gives the client what the table says', async () => {
    const entry = table[name]
    expect(entry).toBeDefined()
    const call = calls[entry.call]
    let asked = 0
    nock(BASE, { reqheaders: { authorization: `Bearer ${KEY}` } })
      .intercept(call.path, call.method)
      .reply(() => {
        asked++
        return [fixture.status, payloadOf(fixture), headersOf(fixture)]
      })
    const result = await outcome(call.run())
    expect(asked).toBe(1)
    const expected = entry.expect
    if ('value' in expected) {
      if ('error' in result) throw result.error
      expect(result.value).toEqual(expected.value)
      expected.check?.(result.value)
    } else {
      expect('error' in result).toBe(true)
      const error = (result as { error: Error }).error
      expect(error).toBeInstanceOf(expected.error)
      for (const words of expected.words) expect(error.message).toContain(words)
      const fields = Object.fromEntries(Object.keys(expected.fields).map((key) => [key, (error as unknown as Record<string, unknown>)[key]]))
      expect(fields).toEqual(expected.fields)
      // Which typed error it is decides what the action does: exactly one of these.
      expect(error.name).toBe(expected.error.name)
    }
  })
})
