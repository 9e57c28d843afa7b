// Property-based tests (fast-check): the parsers of everything that comes from
// outside the action — durations, inputs, response bodies, HTTP answers — hold
// their contracts for any value, not just the examples the other tests pick.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import nock from 'nock'
import { formatDuration, parseDuration } from '../src/duration.js'
import { InputError, readSettings, type GetInput, type Settings } from '../src/inputs.js'
import { OpenHandsClient } from '../src/openhands/client.js'
import { ApiError, AuthError, NetworkError, NotFoundError, ProtocolError, RateLimitError, RequestError, ServerError } from '../src/openhands/errors.js'
import {
  type Conversation,
  type StartTask,
  messageIdOf,
  parseAgentState,
  parseConversation,
  parseConversationV1,
  parseStarted,
  parseStartTask,
  serverMessageOf
} from '../src/openhands/responses.js'

const RUNS = { numRuns: 200 }

// ---------------------------------------------------------------------------
// Shared arbitraries

/** Any string: UTF-16 code units (lone surrogates included), full Unicode, or the default. */
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'grapheme' }))
/** Strings built from a few characters that matter to the parser at hand, so they hit its edges. */
const stringOf = (chars: string, maxLength = 12): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength })
const visibleAscii = (minLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength, maxLength: 40 })

// ---------------------------------------------------------------------------
// Durations

const UNIT_MS = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 } as const
const unit = fc.constantFrom<keyof typeof UNIT_MS>('', 's', 'm', 'h')
/** Non-negative numbers, as `String(n)` writes them without an exponent (what a person writes). */
const plainNumber = fc
  .oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true }))
  .map((n) => n + 0) // no -0
  .filter((n) => /^\d+(\.\d+)?$/.test(String(n)))

describe('durations', () => {
  it('parses any non-negative number with any unit to n × unit milliseconds, rounded', () => {
    fc.assert(
      fc.property(plainNumber, unit, fc.constantFrom('', ' ', '\t'), fc.constantFrom('', ' ', '\n'), (n, u, inner, outer) => {
        const expected = Math.round(n * UNIT_MS[u])
        expect(parseDuration(String(n) + u)).toBe(expected)
        // Blanks around the value, or between number and unit, change nothing.
        expect(parseDuration(`${outer}${n}${inner}${u}${outer}`)).toBe(expected)
      }),
      RUNS
    )
  })

  it('formats whole seconds in a form that reads back as the same duration (to the minute past an hour)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 * 24 * 3600 }), (seconds) => {
        const ms = seconds * 1000
        const text = formatDuration(ms)
        expect(text).toMatch(/^\d+[smh]( \d+[smh])?$/)
        // Each part is itself a valid duration; together they make up the whole.
        const parts = text.split(' ').map((part) => parseDuration(part))
        for (const part of parts) expect(part).toBeDefined()
        const total = parts.reduce<number>((sum, part) => sum + (part ?? 0), 0)
        // Past an hour the seconds are dropped ("1h 5m"): never more, never a minute or more less.
        if (seconds < 3600 || seconds % 60 === 0) expect(total).toBe(ms)
        else expect(ms - total).toBeGreaterThan(0)
        expect(ms - total).toBeLessThan(60_000)
        // A single part reads back as the total, whichever way the input was written.
        if (parts.length === 1) expect(parseDuration(text)).toBe(total)
        expect(formatDuration(parseDuration(`${seconds}s`) ?? -1)).toBe(text)
        expect(formatDuration(parseDuration(String(seconds)) ?? -1)).toBe(text)
        if (seconds % 60 === 0) expect(formatDuration(parseDuration(`${seconds / 60}m`) ?? -1)).toBe(text)
      }),
      RUNS
    )
  })

  it('formats under a second as milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), (ms) => {
        expect(formatDuration(ms)).toBe(`${ms}ms`)
      })
    )
  })

  it('never throws on any string: undefined or a finite number >= 0', () => {
    const durationLike = stringOf('0123456789.smhSMH -+e\t\u00a0', 16)
    fc.assert(
      fc.property(fc.oneof(anyString, durationLike), (text) => {
        const ms = parseDuration(text)
        if (ms !== undefined) {
          expect(Number.isFinite(ms)).toBe(true)
          expect(ms).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 500, examples: [['9'.repeat(400)], ['1e3'], ['-1s'], ['.5'], ['1.'], ['NaN'], ['Infinity']] }
    )
  })
})

// ---------------------------------------------------------------------------
// Inputs

const API_KEY = 'oh-prop-key-0123456789'
const VALID: Record<string, string> = { 'api-key': API_KEY, message: 'Fix the failing tests' }
const INPUT_NAMES = [
  'api-key',
  'message',
  'repository',
  'branch',
  'base-url',
  'wait',
  'poll-interval',
  'timeout',
  'github-token',
  'trigger-phrase',
  'allowed-bots',
  'context',
  'comment',
  'api-version',
  'stop-on-cancel'
] as const

/** Behaves like the runner's getInput: missing inputs are '', values trimmed unless asked not to. */
const getInputFrom =
  (inputs: Record<string, string>): GetInput =>
  (name, options) => {
    const value = inputs[name] ?? ''
    return options?.trimWhitespace === false ? value : value.trim()
  }

type Read = { settings: Settings } | { error: InputError }

/** readSettings' result, or its InputError; anything else it throws fails the property. */
function read(inputs: Record<string, string>): Read {
  try {
    return { settings: readSettings(getInputFrom(inputs)) }
  } catch (error) {
    if (error instanceof InputError) return { error }
    throw new Error(`readSettings threw ${(error as Error)?.name ?? typeof error} (${String((error as Error)?.message ?? error)}), not an InputError`)
  }
}

// GitHub's rules: owners 1-39 letters, digits or hyphens, not starting with a hyphen;
// names 1-100 letters, digits, `.`, `_` or `-`, but not `.` or `..`.
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/
const NAME = /^[A-Za-z0-9._-]{1,100}$/
const owner = fc.stringMatching(OWNER)
const name = fc.stringMatching(NAME).filter((n) => n !== '.' && n !== '..')
const isValidRepository = (value: string): boolean => {
  const parts = value.split('/')
  return parts.length === 2 && OWNER.test(parts[0]) && NAME.test(parts[1]) && parts[1] !== '.' && parts[1] !== '..'
}

describe('repository', () => {
  it('accepts every valid owner/name unchanged', () => {
    fc.assert(
      fc.property(owner, name, (o, n) => {
        const result = read({ ...VALID, repository: `${o}/${n}` })
        expect(result).toEqual({ settings: expect.objectContaining({ repository: `${o}/${n}` }) })
      }),
      RUNS
    )
  })

  it('turns any string into a valid owner/name, no repository, or an InputError naming repository', () => {
    const repositoryLike = fc.oneof(
      anyString,
      stringOf('aZ09-._/ \u00a0:', 14),
      fc.tuple(fc.oneof(owner, anyString), fc.constantFrom('/', '//', ' / ', '\\'), fc.oneof(name, anyString)).map(([o, sep, n]) => o + sep + n),
      fc.tuple(owner, name).map(([o, n]) => `https://github.com/${o}/${n}`),
      fc.constantFrom('none', ' none ', 'None', 'NONE', '.', '..', 'a/.', 'a/..', '-a/b', 'a-/b', `${'a'.repeat(40)}/b`, `a/${'b'.repeat(101)}`)
    )
    fc.assert(
      fc.property(repositoryLike, (repository) => {
        const result = read({ ...VALID, repository })
        if ('settings' in result) {
          const { repository: accepted } = result.settings
          const trimmed = repository.trim()
          if (accepted === undefined) expect(['', 'none']).toContain(trimmed)
          else {
            expect(isValidRepository(accepted)).toBe(true)
            expect(accepted).toBe(trimmed)
          }
        } else {
          expect(result.error.problems).toHaveLength(1)
          expect(result.error.message).toContain('Input repository')
        }
      }),
      { numRuns: 500 }
    )
  })
})

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

describe('booleans', () => {
  /** Every capitalisation of true/false, the other YAML 1.1 spellings, and arbitrary text. */
  const booleanLike = fc.oneof(
    fc.tuple(fc.constantFrom('true', 'false'), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 })).map(([word, upper]) =>
      word
        .split('')
        .map((c, i) => (upper[i] ? c.toUpperCase() : c))
        .join('')
    ),
    fc.constantFrom('yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'ON', '1', '0', 't', 'f', 'true.', '"true"', "'false'", 'tru', 'falsey'),
    anyString
  )

  it.each(['wait', 'stop-on-cancel'])('%s accepts exactly the six YAML 1.2 spellings, and refuses any other non-empty value by name', (input) => {
    fc.assert(
      fc.property(booleanLike, fc.constantFrom('', ' ', '\n'), (raw, blank) => {
        const given = `${blank}${raw}${blank}`
        const result = read({ ...VALID, [input]: given })
        const value = given.trim()
        const field = input === 'wait' ? 'wait' : 'stopOnCancel'
        if (value === '') {
          expect(result).toEqual({ settings: expect.objectContaining({ [field]: input === 'stop-on-cancel' }) })
        } else if (TRUE.includes(value) || FALSE.includes(value)) {
          expect(result).toEqual({ settings: expect.objectContaining({ [field]: TRUE.includes(value) }) })
        } else {
          expect('error' in result).toBe(true)
          if ('error' in result) {
            expect(result.error.problems).toHaveLength(1)
            expect(result.error.message).toContain(`Input ${input} must be true or false`)
          }
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe('any combination of inputs', () => {
  /** Arbitrary text, or a value that is valid for some input, so that valid and invalid mix. */
  const inputValue = fc.oneof(
    anyString,
    fc.constantFrom(
      '',
      ' ',
      'true',
      'false',
      'auto',
      'none',
      'v0',
      'v1',
      '30s',
      '1m',
      '0.5',
      '1h',
      'octo/hello',
      'https://app.all-hands.dev/',
      'http://user:pw@x',
      'renovate[bot], *',
      'Fix it'
    )
  )
  const inputs = fc.record(Object.fromEntries(INPUT_NAMES.map((n) => [n, inputValue])) as Record<(typeof INPUT_NAMES)[number], fc.Arbitrary<string>>)

  it('gives Settings or an InputError, never anything else', () => {
    fc.assert(
      fc.property(inputs, (values) => {
        const result = read(values)
        if ('error' in result) {
          expect(result.error.problems.length).toBeGreaterThan(0)
          for (const problem of result.error.problems) expect(problem).toMatch(/^Input [a-z-]+ /)
        } else {
          expect(result.settings.pollIntervalMs).toBeGreaterThanOrEqual(1000)
          expect(result.settings.timeoutMs).toBeGreaterThanOrEqual(1000)
        }
      }),
      { numRuns: 500 }
    )
  })

  it('never puts the api-key in an InputError message', () => {
    fc.assert(
      fc.property(visibleAscii(8), visibleAscii(8), inputs, (key, otherKey, values) => {
        const others = Object.entries(values).filter(([n]) => n !== 'api-key')
        // A key pasted into another input would be echoed by that input's problem: not the key's leak.
        fc.pre(!others.some(([, v]) => v.includes(key) || v.includes(otherKey)))
        const result = read({ ...values, 'api-key': key })
        if ('error' in result) {
          expect(result.error.message).not.toContain(key)
          // Stronger: the message does not depend on the key at all, only on whether it is valid.
          const other = read({ ...values, 'api-key': otherKey })
          expect('error' in other && other.error.message).toBe(result.error.message)
        }
      }),
      { numRuns: 300 }
    )
  })
})

// ---------------------------------------------------------------------------
// Response bodies

// The API's own field names and values, and keys that name Object.prototype members,
// so generated bodies reach the parsers' deeper branches, not only their first check.
const API_FIELDS = [
  'status',
  'conversation_id',
  'conversation_status',
  'title',
  'runtime_status',
  'pr_number',
  'id',
  'sandbox_status',
  'execution_status',
  'sandbox_id',
  'app_conversation_id',
  'detail',
  'message',
  'error',
  'msg_id',
  'loc',
  'msg',
  'events',
  'observation',
  'extras',
  'agent_state'
]
const PROTOTYPE_KEYS = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty', 'toJSON']
const API_VALUES = [
  'ok',
  'error',
  'STARTING',
  'RUNNING',
  'STOPPED',
  'PAUSED',
  'MISSING',
  'READY',
  'ERROR',
  'WORKING',
  'running',
  'finished',
  'agent_state_changed',
  'abc1234',
  '',
  ' '
]

const key = fc.oneof(fc.constantFrom(...API_FIELDS), fc.constantFrom(...PROTOTYPE_KEYS), fc.string())
const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.constantFrom(...API_VALUES)
)
/** An object whose keys shadow Object.prototype's members: the classic hostile JSON. */
const prototypeShadowing = fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS), scalar, { minKeys: 1, maxKeys: 3 })
const { json: apiShaped } = fc.letrec<{ json: unknown; list: unknown[]; object: Record<string, unknown> }>((tie) => ({
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('object'), prototypeShadowing),
  list: fc.array(tie('json'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('json'), { maxKeys: 6 })
}))
/** FastAPI's error bodies: `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`, and the others the server uses. */
const validationIssue = fc.record(
  {
    loc: fc.array(fc.oneof(fc.string(), fc.nat(), prototypeShadowing, apiShaped), { maxLength: 3 }),
    msg: fc.oneof(fc.string(), apiShaped),
    type: fc.string()
  },
  { requiredKeys: ['loc'] }
)
const errorBody = fc.oneof(
  fc.string(),
  fc.record(
    {
      status: fc.constantFrom('error', 'ok'),
      detail: fc.oneof(fc.string(), fc.array(fc.oneof(validationIssue, apiShaped), { maxLength: 3 })),
      message: fc.oneof(fc.string(), apiShaped),
      error: fc.oneof(fc.string(), apiShaped),
      msg_id: fc.oneof(fc.string(), apiShaped)
    },
    { requiredKeys: [] }
  )
)
/** Made of genuine JSON (an own `__proto__` key included), as JSON.parse gives it. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null')
/** Any JSON value: fast-check's, API-shaped, error-shaped, and lists of them (V1 answers lists). */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.json().map((text) => JSON.parse(text) as unknown),
  apiShaped.map(asJson),
  errorBody.map(asJson),
  fc.array(fc.oneof(apiShaped, fc.constant(null)), { minLength: 1, maxLength: 3 }).map(asJson)
)

// Deeper than JSON.stringify can recurse, yet a 200 kB body: well under the client's 1 MB limit.
const DEEP = 100_000
const deeplyNested = (): unknown => JSON.parse('['.repeat(DEEP) + ']'.repeat(DEEP))

type ErrorType = abstract new (...args: never[]) => Error

/** Runs a parser: its value, or the error it threw, which must be one of `allowed`. */
function attempt<T>(parse: () => T, allowed: ErrorType[]): { value: T } | { error: Error } {
  try {
    return { value: parse() }
  } catch (error) {
    if (allowed.some((type) => error instanceof type)) return { error: error as Error }
    const e = error as Error
    const may = allowed.length === 0 ? 'it must not throw' : `only ${allowed.map((t) => t.name).join(' or ')} may be thrown`
    throw new Error(`threw ${e?.name ?? typeof error}: ${String(e?.message ?? error)}; ${may}`)
  }
}

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/
const optionalText = (value: unknown): boolean => value === undefined || (typeof value === 'string' && value !== '')

function expectConversation(conversation: Conversation, requestedId: string): void {
  expect(conversation.id === requestedId || CONVERSATION_ID.test(conversation.id)).toBe(true)
  expect(typeof conversation.status).toBe('string')
  expect(conversation.status).not.toBe('')
  for (const field of [conversation.title, conversation.runtimeStatus, conversation.agentState, conversation.sandboxId]) expect(optionalText(field)).toBe(true)
  expect(conversation.prNumbers.every((n) => Number.isInteger(n) && n > 0)).toBe(true)
}

function expectStartTask(task: StartTask): void {
  expect(task.id).toMatch(CONVERSATION_ID)
  expect(typeof task.status).toBe('string')
  expect(task.status).not.toBe('')
  for (const field of [task.detail, task.sandboxId]) expect(optionalText(field)).toBe(true)
  if (task.conversationId !== undefined) expect(task.conversationId).toMatch(CONVERSATION_ID)
}

const ID = '5f2d8c1e9a7b4c3d8e1f0a2b3c4d5e6f'

/** Every parser on one body: each returns its shape or throws only the client's typed errors. */
function parsesSafely(body: unknown): void {
  const started = attempt(() => parseStarted(body), [ProtocolError])
  if ('value' in started) {
    expect(started.value.id).toMatch(CONVERSATION_ID)
    expect(started.value.status === undefined || typeof started.value.status === 'string').toBe(true)
  }
  const v0 = attempt(() => parseConversation(body, ID), [ProtocolError, NotFoundError])
  if ('value' in v0) expectConversation(v0.value, ID)
  const v1 = attempt(() => parseConversationV1(body, ID), [ProtocolError, NotFoundError])
  if ('value' in v1) expectConversation(v1.value, ID)
  const posted = attempt(() => parseStartTask(body), [ProtocolError])
  if ('value' in posted) expectStartTask(posted.value)
  const listed = attempt(() => parseStartTask(body, ID), [ProtocolError, NotFoundError])
  if ('value' in listed) expectStartTask(listed.value)
  const agent = attempt(() => parseAgentState(body), [ProtocolError])
  if ('value' in agent) {
    expect(optionalText(agent.value.state)).toBe(true)
    expect(typeof agent.value.hasRun).toBe('boolean')
  }
  const said = attempt(() => serverMessageOf(body), [])
  if ('value' in said) expect(said.value === undefined || (typeof said.value === 'string' && said.value.trim() !== '')).toBe(true)
  const messageId = attempt(() => messageIdOf(body), [])
  if ('value' in messageId) expect(optionalText(messageId.value)).toBe(true)
}

describe('response parsing', () => {
  it('any JSON value: each parser returns its shape or throws ProtocolError / NotFoundError', () => {
    // The example is what the error-body property below finds (random runs here find it about half the time).
    fc.assert(fc.property(anyJson, parsesSafely), { numRuns: 500, examples: [[{ detail: [{ loc: [{ toString: null }] }] }]] })
  })

  it('any error body: serverMessageOf and messageIdOf give text or nothing, and never throw', () => {
    fc.assert(fc.property(errorBody.map(asJson), parsesSafely), { numRuns: 500 })
  })

  it('any JSON value, however deeply nested', () => {
    const labelled = (label: string, make: () => unknown): { make: () => unknown; [fc.toStringMethod]: () => string } => ({
      make,
      [fc.toStringMethod]: () => label
    })
    const bodies = fc.constantFrom(
      labelled(`${DEEP} nested arrays, [[[…]]]`, deeplyNested),
      labelled(`{"detail": ${DEEP} nested arrays}`, () => ({ detail: deeplyNested() })),
      labelled(`[{"id": ${DEEP} nested arrays}]`, () => [{ id: deeplyNested() }])
    )
    fc.assert(
      fc.property(bodies, ({ make }) => parsesSafely(make())),
      { numRuns: 6 }
    )
  })

  it('any value at all (fc.anything): the same', () => {
    fc.assert(fc.property(fc.anything(), parsesSafely), { numRuns: 500 })
  })

  it('a null conversation is NotFoundError, a null V1 list item or start task too', () => {
    expect(() => parseConversation(null, ID)).toThrow(NotFoundError)
    expect(() => parseConversationV1([null], ID)).toThrow(NotFoundError)
    expect(() => parseStartTask([null], ID)).toThrow(NotFoundError)
  })
})

// ---------------------------------------------------------------------------
// The client, end to end over nock

const BASE = 'http://openhands.test'
// Redirects are refused as a NetworkError, whatever the body.
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** The typed error an answer with this status must give. */
function errorTypesFor(status: number): ErrorType[] {
  // A 2xx the client cannot use: not the API's shape, or V0's `null` for a conversation it does not know.
  if (status < 300) return [ProtocolError, NotFoundError]
  if (status === 401 || status === 403) return [AuthError]
  if (status === 404) return [NotFoundError]
  if (status === 429) return [RateLimitError]
  if (status >= 500) return [ServerError]
  return [RequestError]
}
const CLIENT_KEY = 'sk-prop-0123456789abcdef'

describe('the client over HTTP', () => {
  beforeAll(() => {
    nock.disableNetConnect()
  })
  // nock patches Node's shared HTTP modules; un-patch them so the next test file
  // in this worker starts with its own nock, not this file's.
  afterAll(() => {
    nock.cleanAll()
    nock.enableNetConnect()
    nock.restore()
  })

  const conversationBody = fc
    .record(
      {
        conversation_id: fc.oneof(fc.constant(ID), fc.string()),
        status: fc.oneof(fc.constantFrom('STARTING', 'RUNNING', 'STOPPED'), fc.string()),
        title: fc.oneof(fc.string(), fc.constant(null)),
        runtime_status: fc.oneof(fc.string(), fc.constant(null)),
        pr_number: fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 })
      },
      { requiredKeys: ['status'] }
    )
    .map((body) => JSON.stringify(body))
  const body = fc.oneof(
    anyString,
    fc.json(),
    anyJson.map((value) => JSON.stringify(value) ?? 'null'),
    conversationBody,
    fc.constant('')
  )
  const headerValue = fc.oneof(fc.nat().map(String), fc.constantFrom('0', '1.5', '-1', 'Sun, 06 Nov 1994 08:49:37 GMT', '1700000000'), visibleAscii(1))
  const headers = fc.record(
    {
      'retry-after': headerValue,
      'x-ratelimit-limit': headerValue,
      'x-ratelimit-remaining': headerValue,
      'x-ratelimit-reset': headerValue,
      'content-type': fc.constantFrom('application/json', 'text/html')
    },
    { requiredKeys: [] }
  )

  it('getConversation resolves, or rejects with an ApiError, for any status 200-599 and any body', async () => {
    const client = new OpenHandsClient({ baseUrl: BASE, apiKey: CLIENT_KEY, now: () => 0 })
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), body, headers, async (status, text, extra) => {
        nock.cleanAll()
        nock(BASE).get(`/api/conversations/${ID}`).reply(status, text, extra)
        let outcome: { conversation: Conversation } | { error: unknown }
        try {
          // A short time-out: nock's stand-in never ends a 205 answer (a real server's does),
          // and a request that times out must still end as a NetworkError.
          outcome = { conversation: await client.getConversation(ID, 1000) }
        } catch (error) {
          outcome = { error }
        } finally {
          nock.cleanAll()
        }
        if ('conversation' in outcome) {
          expect(status).toBeGreaterThanOrEqual(200)
          expect(status).toBeLessThan(300)
          expectConversation(outcome.conversation, ID)
          return
        }
        const { error } = outcome
        if (!(error instanceof ApiError)) {
          throw new Error(`rejected with ${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error)}, not an ApiError`)
        }
        // A connection can fail whatever the status (nock's stand-in sockets now and then do, between runs):
        // NetworkError is always a fair answer.
        if (error instanceof NetworkError) return
        expect(REDIRECTS.has(status)).toBe(false)
        const expected = errorTypesFor(status)
        const as = expected.map((type) => type.name).join(' or ')
        expect({ status, error: `${error.name}: ${error.message}`, as }).toEqual({
          status,
          error: expect.stringMatching(new RegExp(`^(${as.replace(' or ', '|')}): `)),
          as
        })
      }),
      // What the parser properties above found, end to end: a 4xx/5xx whose error body the client reads for the server's words.
      { numRuns: 100, examples: [[422, '{"detail":[{"loc":[{"toString":null}]}]}', {}]] }
    )
    // 100 exchanges through nock take 1.5-4 s here, plus 1 s for each 205 drawn; under CI's
    // parallel load that crossed Jest's default 5 s.
  }, 30_000)

  it.each([
    [200, (): string => '['.repeat(DEEP) + ']'.repeat(DEEP)],
    [500, (): string => `{"detail":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`]
  ])(
    'getConversation rejects with an ApiError on a %i whose body nests deeper than JSON.stringify can (200 kB, under the 1 MB limit)',
    async (status, text) => {
      const client = new OpenHandsClient({ baseUrl: BASE, apiKey: CLIENT_KEY, now: () => 0 })
      nock(BASE).get(`/api/conversations/${ID}`).reply(status, text())
      const error = await client.getConversation(ID, 5000).then(
        () => undefined,
        (e: unknown) => e
      )
      nock.cleanAll()
      expect(`${(error as Error)?.name}: ${(error as Error)?.message}`.slice(0, 200)).toMatch(/^(ProtocolError|ServerError): /)
      expect(error).toBeInstanceOf(ApiError)
    }
  )
})
