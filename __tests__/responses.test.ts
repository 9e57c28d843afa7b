import { describe, it, expect } from '@jest/globals'
import { NotFoundError, ProtocolError } from '../src/openhands/errors.js'
import { messageIdOf, parseConversation, parseStarted, serverMessageOf } from '../src/openhands/responses.js'

const HEX_ID = '0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e'

function errorFrom(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    if (error instanceof Error) return error
    throw error
  }
  throw new Error('expected a throw')
}

describe('parseStarted', () => {
  it("reads the real server's answer", () => {
    const body = { status: 'ok', conversation_id: HEX_ID, message: null, conversation_status: 'STARTING' }
    expect(parseStarted(body)).toEqual({ id: HEX_ID, status: 'STARTING' })
  })

  it("reads the vendor page's answer", () => {
    const started = parseStarted({ status: 'ok', conversation_id: 'abc1234' })
    expect(started.id).toBe('abc1234')
    expect(started.status).toBeUndefined()
  })

  it('reads the real answer once it has been through JSON', () => {
    const text = `{"status":"ok","conversation_id":"${HEX_ID}","message":null,"conversation_status":"STARTING"}`
    expect(parseStarted(JSON.parse(text))).toEqual({ id: HEX_ID, status: 'STARTING' })
  })

  it.each([
    ['a number', 12345],
    ['an empty string', ''],
    ['a path', '../x'],
    ['a slash', 'a/b'],
    ['a space', 'a b'],
    ['a query', 'abc?x=1'],
    ['null', null],
    ['an object', { id: 'abc' }]
  ])('refuses a conversation_id that is %s', (_what, id) => {
    const error = errorFrom(() => parseStarted({ status: 'ok', conversation_id: id }))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toMatch(/conversation_id/)
  })

  it('refuses an answer without conversation_id', () => {
    const error = errorFrom(() => parseStarted({ status: 'ok', message: null, conversation_status: 'STARTING' }))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toMatch(/conversation_id/)
  })

  it('refuses status "error" and carries the server message', () => {
    const body = { status: 'error', message: 'Settings not found for this user', msg_id: 'CONFIGURATION$SETTINGS_NOT_FOUND' }
    const error = errorFrom(() => parseStarted(body))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toContain('Settings not found for this user')
    expect(error.message).toContain('error')
  })

  it('refuses status "error" even when it has a conversation_id', () => {
    const error = errorFrom(() => parseStarted({ status: 'error', conversation_id: HEX_ID, message: 'Runtime failed to start' }))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toContain('Runtime failed to start')
  })

  it.each([
    ['null', null],
    ['a string', 'ok'],
    ['the 401 bare string', 'Unable to access repo owner/repo'],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [{ status: 'ok', conversation_id: HEX_ID }]],
    ['undefined', undefined]
  ])('refuses a body that is %s', (_what, body) => {
    expect(() => parseStarted(body)).toThrow(ProtocolError)
  })
})

describe('parseConversation', () => {
  const realBody = {
    conversation_id: HEX_ID,
    title: 'Fix the failing tests',
    created_at: '2025-06-01T12:00:00Z',
    last_updated_at: '2025-06-01T12:05:00Z',
    status: 'RUNNING',
    runtime_status: 'STATUS$READY',
    selected_repository: 'owner/repo',
    selected_branch: 'main',
    git_provider: 'github',
    trigger: 'gui',
    url: 'https://runtime.example/api',
    session_api_key: 'sess-xyz',
    pr_number: [12, 34],
    conversation_version: 'V0'
  }

  it("reads the real server's full answer", () => {
    expect(parseConversation(realBody, HEX_ID)).toEqual({
      id: HEX_ID,
      status: 'RUNNING',
      title: 'Fix the failing tests',
      runtimeStatus: 'STATUS$READY',
      prNumbers: [12, 34]
    })
  })

  it('keeps only positive integer PR numbers (there is no pull request #0)', () => {
    const body = { ...realBody, pr_number: [12, '13', 1.5, null, 14, { n: 15 }, 0, -3] }
    expect(parseConversation(body, HEX_ID).prNumbers).toEqual([12, 14])
  })

  it.each([
    ['missing', undefined],
    ['null', null],
    ['a number', 12],
    ['a string', '12']
  ])('gives no PR numbers when pr_number is %s', (_what, prNumber) => {
    expect(parseConversation({ ...realBody, pr_number: prNumber }, HEX_ID).prNumbers).toEqual([])
  })

  it("reads the vendor page's answer, which has no runtime fields", () => {
    const body = {
      conversation_id: 'abc1234',
      title: 'My task',
      created_at: '2025-06-01T12:00:00Z',
      last_updated_at: '2025-06-01T12:05:00Z',
      status: 'RUNNING',
      selected_repository: 'owner/repo',
      trigger: 'gui'
    }
    const conversation = parseConversation(body, 'abc1234')
    expect(conversation).toEqual({ id: 'abc1234', status: 'RUNNING', title: 'My task', runtimeStatus: undefined, prNumbers: [] })
  })

  it.each(['STARTING', 'RUNNING', 'STOPPED', 'ARCHIVED', 'ERROR'])('reads status %s', (status) => {
    expect(parseConversation({ ...realBody, status }, HEX_ID).status).toBe(status)
  })

  it('falls back to the requested id when the body has none', () => {
    expect(parseConversation({ status: 'STOPPED' }, 'requested-id').id).toBe('requested-id')
  })

  it('refuses an unsafe conversation_id in the body', () => {
    expect(() => parseConversation({ ...realBody, conversation_id: '../x' }, HEX_ID)).toThrow(ProtocolError)
  })

  it('turns null, the answer for an unknown id, into NotFoundError naming the id', () => {
    const error = errorFrom(() => parseConversation(null, HEX_ID))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain(HEX_ID)
  })

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['a number', 3]
  ])('refuses a conversation whose status is %s', (_what, status) => {
    const body: Record<string, unknown> = { ...realBody, status }
    const error = errorFrom(() => parseConversation(body, HEX_ID))
    expect(error).toBeInstanceOf(ProtocolError)
    expect(error.message).toMatch(/status/)
  })

  it.each([
    ['a string', 'RUNNING'],
    ['a number', 1],
    ['an array', [realBody]],
    ['undefined', undefined]
  ])('refuses a body that is %s', (_what, body) => {
    expect(() => parseConversation(body, HEX_ID)).toThrow(ProtocolError)
  })
})

describe('serverMessageOf', () => {
  it.each([
    ['a bare JSON string (401)', 'Unable to access repo owner/repo', 'Unable to access repo owner/repo'],
    ['an error object (401)', { error: 'NoCredentialsError' }, 'NoCredentialsError'],
    ['a rate-limit error (429)', { error: 'Rate limit exceeded: 100 per 1 minute' }, 'Rate limit exceeded: 100 per 1 minute'],
    ['a status error (400)', { status: 'error', message: 'LLM authentication failed', msg_id: 'STATUS$ERROR_LLM_AUTHENTICATION' }, 'LLM authentication failed'],
    ['a detail string', { detail: 'Not Found' }, 'Not Found'],
    [
      "FastAPI's detail list (422)",
      { detail: [{ type: 'extra_forbidden', loc: ['body', 'x'], msg: 'Extra inputs are not permitted' }] },
      'body.x: Extra inputs are not permitted'
    ],
    [
      'a detail list with two issues',
      {
        detail: [
          { type: 'missing', loc: ['body', 'initial_user_msg'], msg: 'Field required' },
          { type: 'extra_forbidden', loc: ['body', 'x'], msg: 'Extra inputs are not permitted' }
        ]
      },
      'body.initial_user_msg: Field required; body.x: Extra inputs are not permitted'
    ],
    ['a detail issue without loc', { detail: [{ msg: 'Something is wrong' }] }, 'Something is wrong'],
    ['a message with surrounding whitespace', { message: '  spaced out \n' }, 'spaced out'],
    ['a null message next to a detail', { message: null, detail: 'Bad request' }, 'Bad request']
  ])('reads %s', (_what, body, expected) => {
    expect(serverMessageOf(body)).toBe(expected)
  })

  it.each([
    ['null', null],
    ['a number', 500],
    ['an empty string', ''],
    ['a blank string', '   '],
    ['an empty object', {}],
    ['the success body', { status: 'ok', conversation_id: 'abc1234', message: null }],
    ['an empty detail list', { detail: [] }],
    ['an array', ['a', 'b']]
  ])('gives undefined for %s', (_what, body) => {
    expect(serverMessageOf(body)).toBeUndefined()
  })
})

describe('messageIdOf', () => {
  it.each([
    [{ status: 'error', message: 'x', msg_id: 'STATUS$ERROR_LLM_AUTHENTICATION' }, 'STATUS$ERROR_LLM_AUTHENTICATION'],
    [{ status: 'error', message: 'x', msg_id: 'CONFIGURATION$SETTINGS_NOT_FOUND' }, 'CONFIGURATION$SETTINGS_NOT_FOUND'],
    [{ status: 'error', message: 'x' }, undefined],
    [{ msg_id: '' }, undefined],
    [{ msg_id: 7 }, undefined],
    ['Unable to access repo owner/repo', undefined],
    [null, undefined],
    [[{ msg_id: 'X' }], undefined]
  ])('reads %j as %j', (body, expected) => {
    expect(messageIdOf(body)).toBe(expected)
  })
})
