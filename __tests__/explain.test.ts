import { describe, it, expect } from '@jest/globals'
import { explain } from '../src/explain.js'
import { InputError, type Settings } from '../src/inputs.js'
import { AuthError, NetworkError, NotFoundError, ProtocolError, RateLimitError, RequestError, ServerError, UnreachableError } from '../src/openhands/errors.js'
import { StepTimeoutError } from '../src/step-timeout.js'

const BASE = 'https://openhands.example.test/oh'

const settings: Settings = {
  apiKey: 'oh-test-key',
  message: 'Fix the failing tests',
  repository: 'o/r',
  baseUrl: BASE,
  wait: true,
  pollIntervalMs: 30_000,
  timeoutMs: 5_400_000,
  githubToken: '',
  triggerPhrase: '',
  allowedBots: [],
  context: true,
  comment: true,
  apiVersion: 'auto',
  stopOnCancel: true,
  releaseSandbox: true,
  followUp: 'auto'
}
const noRepository: Settings = { ...settings, repository: undefined }

const POST = 'POST /api/conversations'
const GET = 'GET /api/conversations/0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e'

describe('explain AuthError', () => {
  const repoRefused = new AuthError(`${POST} answered 401: Unable to access repo o/r`, 401, 'Unable to access repo o/r')
  const noCredentials = new AuthError(`${POST} answered 401: NoCredentialsError`, 401, 'NoCredentialsError')

  it('blames access to the repository when the server says it cannot access it', () => {
    const text = explain(repoRefused, { started: false, settings })
    expect(text).toContain('Unable to access repo o/r')
    expect(text).toContain('o/r')
    expect(text).toMatch(/repository/)
    expect(text).toMatch(/access/)
    expect(text).toContain('401')
  })

  it('gives the server words, and no "undefined", when no repository was asked for', () => {
    const text = explain(repoRefused, { started: false, settings: noRepository })
    expect(text).toContain('Unable to access repo o/r')
    expect(text).not.toContain('undefined')
  })

  it.each([
    ['with a repository', settings],
    ['without a repository', noRepository]
  ])('blames the api-key for NoCredentialsError %s', (_what, given) => {
    const text = explain(noCredentials, { started: false, settings: given })
    expect(text).toContain('NoCredentialsError')
    expect(text).toContain('api-key')
    expect(text).toContain(BASE)
    expect(text).not.toMatch(/could not access the repository/)
  })

  it('blames the api-key for a 403 while waiting', () => {
    const text = explain(new AuthError(`${GET} answered 403: Forbidden`, 403, 'Forbidden'), { started: true, settings })
    expect(text).toContain('Forbidden')
    expect(text).toContain('api-key')
  })
})

describe('explain RequestError', () => {
  it.each(['STATUS$ERROR_LLM_AUTHENTICATION', 'CONFIGURATION$SETTINGS_NOT_FOUND'])('points at the LLM settings for %s', (messageId) => {
    const error = new RequestError(`${POST} answered 400: LLM authentication failed`, 400, 'LLM authentication failed', messageId)
    const text = explain(error, { started: false, settings })
    expect(text).toContain('LLM authentication failed')
    expect(text).toContain(messageId)
    expect(text).toMatch(/LLM settings/)
  })

  it('points at a self-hosted server version for a 422', () => {
    const detail = 'body.x: Extra inputs are not permitted'
    const text = explain(new RequestError(`${POST} answered 422: ${detail}`, 422, detail), { started: false, settings })
    expect(text).toContain(detail)
    expect(text).toMatch(/self-hosted/)
    expect(text).toMatch(/version/)
    expect(text).toContain(BASE)
  })

  it('gives the server words for another refusal, without the 422 or LLM hints', () => {
    const text = explain(new RequestError(`${POST} answered 400: Bad branch`, 400, 'Bad branch'), { started: false, settings })
    expect(text).toContain('Bad branch')
    expect(text).not.toMatch(/self-hosted|LLM settings/)
  })
})

describe('explain NotFoundError', () => {
  it('points at base-url when starting', () => {
    const error = new NotFoundError(`${POST} answered 404: Not Found`, 404, 'Not Found')
    const text = explain(error, { started: false, settings })
    expect(text).toContain('Not Found')
    expect(text).toContain('base-url')
    expect(text).toContain(BASE)
    expect(text).not.toMatch(/deleted/)
  })

  it('says the conversation may be gone when waiting', () => {
    const error = new NotFoundError('OpenHands has no conversation 0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e (it answered null)')
    const text = explain(error, { started: true, settings })
    expect(text).toContain('0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e')
    expect(text).toMatch(/deleted/)
    expect(text).not.toContain('base-url')
  })
})

describe('explain a start that may have succeeded', () => {
  it.each([
    ['ServerError', new ServerError(`${POST} answered 502: Bad Gateway`, 502, 'Bad Gateway'), 'Bad Gateway'],
    ['ProtocolError', new ProtocolError(`${POST} answered 200 with a body that is not JSON: <html>`), 'not JSON'],
    ['NetworkError after sending', new NetworkError(`${POST} got no answer within 60s`, true), 'no answer within 60s']
  ])('%s: says it may have started and is not retried', (_what, error, words) => {
    const text = explain(error, { started: false, settings })
    expect(text).toContain(words)
    expect(text).toMatch(/may have started/)
    expect(text).toMatch(/not retry|never retr|no retry|not retried/)
    expect(text).toContain(BASE)
  })

  it('does not say so for a NetworkError that never left the machine', () => {
    const text = explain(new NetworkError(`${POST} failed: ECONNREFUSED`, false), { started: false, settings })
    expect(text).toContain('ECONNREFUSED')
    expect(text).not.toMatch(/may have started/)
    expect(text).toContain(BASE)
    expect(text).toContain('base-url')
  })

  it.each([
    ['ServerError', new ServerError(`${GET} answered 503: Service Unavailable`, 503, 'Service Unavailable'), 'Service Unavailable'],
    ['ProtocolError', new ProtocolError('the conversation has no status (got undefined)'), 'has no status']
  ])('does not say so for a %s while waiting', (_what, error, words) => {
    const text = explain(error, { started: true, settings })
    expect(text).toContain(words)
    expect(text).not.toMatch(/may have started/)
  })
})

describe('explain NetworkError while waiting', () => {
  it.each([true, false])('names the server and base-url (requestSent %s)', (requestSent) => {
    const text = explain(new NetworkError(`${GET} failed: ECONNRESET`, requestSent), { started: true, settings })
    expect(text).toContain('ECONNRESET')
    expect(text).toContain(BASE)
    expect(text).toContain('base-url')
    expect(text).not.toMatch(/may have started/)
  })
})

describe('explain StepTimeoutError', () => {
  it('says it timed out, with the last status and the timeout', () => {
    const text = explain(new StepTimeoutError('Timed out waiting for the conversation to finish.'), {
      started: true,
      settings,
      lastStatus: 'RUNNING'
    })
    expect(text).toMatch(/timed out/i)
    expect(text).toContain('RUNNING')
    expect(text).toContain('1h 30m')
    expect(text).toContain('timeout')
  })

  it.each([
    [60_000, '1m'],
    [600_000, '10m'],
    [7_200_000, '2h']
  ])('formats a timeout of %i ms as %s', (timeoutMs, formatted) => {
    const text = explain(new StepTimeoutError('Timed out before the conversation could be started.'), {
      started: false,
      settings: { ...settings, timeoutMs }
    })
    expect(text).toMatch(/timed out/i)
    expect(text).toContain(formatted)
  })

  it('mentions no status when none was seen', () => {
    const text = explain(new StepTimeoutError('Timed out before the conversation could be started.'), { started: false, settings })
    expect(text).toMatch(/timed out/i)
    expect(text).not.toMatch(/last status/i)
  })
})

describe('explain other failures', () => {
  it.each([[['Input api-key is empty: pass your key.']], [['Input api-key is empty.', 'Input wait must be true or false; got "yes".']]])(
    'passes an InputError through: %j',
    (problems) => {
      const error = new InputError(problems)
      expect(explain(error, { started: false })).toBe(error.message)
    }
  )

  it('keeps the server words of a rate limit', () => {
    const error = new RateLimitError(`${GET} answered 429: Rate limit exceeded`, 'Rate limit exceeded', 1_000)
    expect(explain(error, { started: true, settings })).toContain('Rate limit exceeded')
  })

  it('gives the message of any other error', () => {
    expect(explain(new Error('something odd'), { started: true, settings })).toBe('something odd')
    expect(explain('a thrown string', { started: true })).toBe('a thrown string')
  })

  it('works without settings', () => {
    const text = explain(new ServerError(`${POST} answered 500: Internal Server Error`, 500, 'Internal Server Error'), { started: false })
    expect(text).toContain('Internal Server Error')
    expect(text).toMatch(/may have started/)
  })
})

describe('explain UnreachableError', () => {
  const unreachable = (connection: ConstructorParameters<typeof NetworkError>[2], detail = 'ECONNREFUSED'): UnreachableError =>
    new UnreachableError(new NetworkError(`${POST} failed: ${detail}`, false, connection), 6, 23_000)

  it.each([
    ['ECONNREFUSED', 'Nothing accepts connections at openhands.example.test:443'],
    ['ENOTFOUND', 'The name openhands.example.test does not resolve'],
    ['EHOSTUNREACH', 'There is no route to openhands.example.test:443']
  ])('%s: names the host and port, base-url and the proxy variables, and no timeout', (code, words) => {
    const text = explain(unreachable({ host: 'openhands.example.test', port: 443, code }, code), { started: false, settings })
    expect(text).toContain('Could not connect to openhands.example.test:443 (6 tries in 23s)')
    expect(text).toContain(words)
    expect(text).toContain(`base-url (${BASE})`)
    expect(text).toContain('HTTPS_PROXY, HTTP_PROXY and NO_PROXY')
    expect(text).not.toMatch(/timeout/i)
  })

  it('names the proxy that could not be reached', () => {
    const error = unreachable(
      { host: 'openhands.example.test', port: 443, proxy: 'http://proxy.corp:3128', code: 'ECONNREFUSED' },
      'could not connect to the proxy http://proxy.corp:3128: ECONNREFUSED'
    )
    const text = explain(error, { started: false, settings })
    expect(text).toContain('through the proxy http://proxy.corp:3128')
    expect(text).toMatch(/The proxy http:\/\/proxy\.corp:3128 took no connection \(ECONNREFUSED\): check HTTPS_PROXY and HTTP_PROXY/)
    expect(text).toContain('NO_PROXY')
  })

  it('names the proxy that refused the tunnel, and its answer', () => {
    const error = unreachable({ host: 'openhands.example.test', port: 443, proxy: 'http://proxy.corp:3128', proxyStatus: 403 }, 'the proxy refused')
    const text = explain(error, { started: false, settings })
    expect(text).toContain('The proxy http://proxy.corp:3128 would not connect to openhands.example.test:443 (it answered 403)')
    expect(text).toContain('NO_PROXY')
  })

  it('while waiting: says base-url was right and the conversation may still run', () => {
    const text = explain(unreachable({ host: 'openhands.example.test', port: 443, code: 'ECONNREFUSED' }), { started: true, settings })
    expect(text).toMatch(/base-url is right/)
    expect(text).toMatch(/may still be running/)
    expect(text).not.toMatch(/timeout/i)
  })

  it('gives the address advice, not the timeout advice, when the deadline cut a run of refusals short', () => {
    const refused = new NetworkError(`${POST} failed: ECONNREFUSED`, false, { host: 'openhands.example.test', port: 443, code: 'ECONNREFUSED' })
    const text = explain(new StepTimeoutError(`Timed out before the conversation could be started; the last try: ${refused.message}`, refused), {
      started: false,
      settings
    })
    expect(text).toMatch(/^Timed out before the conversation could be started/)
    expect(text).toContain('Nothing accepts connections at openhands.example.test:443')
    expect(text).not.toMatch(/Raise the timeout/)
  })
})
