import { describe, it, expect } from '@jest/globals'
import { InputError, readSettings, type GetInput, type Settings } from '../src/inputs.js'

type Inputs = Record<string, string>

interface Call {
  name: string
  options?: { trimWhitespace?: boolean }
}

/** Behaves like core.getInput: missing inputs are '', values are trimmed unless asked not to. */
function getInputFrom(inputs: Inputs, calls: Call[] = []): GetInput {
  return (name, options) => {
    calls.push({ name, options })
    const value = inputs[name] ?? ''
    return options?.trimWhitespace === false ? value : value.trim()
  }
}

const API_KEY = 'oh-test-key-0123456789'
const valid: Inputs = { 'api-key': API_KEY, message: 'Fix the failing tests' }

const settingsFrom = (overrides: Inputs): Settings => readSettings(getInputFrom({ ...valid, ...overrides }))

function inputErrorFrom(overrides: Inputs): InputError {
  try {
    readSettings(getInputFrom({ ...valid, ...overrides }))
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error(`readSettings accepted ${JSON.stringify(overrides)}`)
}

describe('readSettings defaults', () => {
  it('fills every optional input with its default', () => {
    expect(readSettings(getInputFrom(valid))).toEqual({
      apiKey: API_KEY,
      message: 'Fix the failing tests',
      repository: undefined,
      branch: undefined,
      baseUrl: 'https://app.all-hands.dev',
      wait: false,
      pollIntervalMs: 30_000,
      timeoutMs: 3_600_000,
      githubToken: '',
      triggerPhrase: '',
      allowedBots: [],
      context: true,
      comment: true,
      apiVersion: 'auto',
      stopOnCancel: true,
      releaseSandbox: true
    })
  })

  it('passes given values through', () => {
    expect(
      settingsFrom({
        repository: 'my-org/my.repo_name-2',
        branch: 'feature/x',
        'base-url': 'http://127.0.0.1:3000',
        wait: 'true',
        'poll-interval': '10s',
        timeout: '2h',
        'github-token': 'ghs_token',
        'trigger-phrase': '@openhands',
        'allowed-bots': ' renovate[bot] , Dependabot ,',
        context: 'none',
        comment: 'false',
        'api-version': 'v1',
        'stop-on-cancel': 'false',
        'release-sandbox': 'false'
      })
    ).toEqual({
      apiKey: API_KEY,
      message: 'Fix the failing tests',
      repository: 'my-org/my.repo_name-2',
      branch: 'feature/x',
      baseUrl: 'http://127.0.0.1:3000',
      wait: true,
      pollIntervalMs: 10_000,
      timeoutMs: 7_200_000,
      githubToken: 'ghs_token',
      triggerPhrase: '@openhands',
      allowedBots: ['renovate[bot]', 'Dependabot'],
      context: false,
      comment: false,
      apiVersion: 'v1',
      stopOnCancel: false,
      releaseSandbox: false
    })
  })

  it.each([
    ['allowed-bots', '*', /allowed-bots.*by name.*\*/],
    ['allowed-bots', 'renovate[bot], *', /allowed-bots/],
    ['allowed-bots', 'not a login', /allowed-bots.*"not a login"/],
    ['context', 'full', /context must be auto or none; got "full"/],
    ['context', 'toString', /context must be auto or none/],
    ['comment', 'true', /comment must be auto or false; got "true"/],
    ['api-version', 'v2', /api-version must be auto or v0 or v1; got "v2"/],
    ['stop-on-cancel', 'yes', /stop-on-cancel must be true or false; got "yes"/]
  ])('refuses %s: %j', (input, value, words) => {
    expect(() => settingsFrom({ [input]: value })).toThrow(words)
  })

  it.each([
    ['', undefined],
    ['none', undefined],
    ['owner/repo', 'owner/repo'],
    ['a/b', 'a/b'],
    ['Owner-1/repo.name_x-y', 'Owner-1/repo.name_x-y']
  ])('reads repository %j as %j', (value, expected) => {
    expect(settingsFrom({ repository: value }).repository).toBe(expected)
  })

  it.each([
    ['', undefined],
    ['main', 'main'],
    ['feature/x', 'feature/x']
  ])('reads branch %j as %j', (value, expected) => {
    expect(settingsFrom({ branch: value }).branch).toBe(expected)
  })

  it.each([
    ['poll-interval', '45', 'pollIntervalMs', 45_000],
    ['poll-interval', '1.5m', 'pollIntervalMs', 90_000],
    ['poll-interval', '1s', 'pollIntervalMs', 1_000],
    ['timeout', '90m', 'timeoutMs', 5_400_000],
    ['timeout', '1h', 'timeoutMs', 3_600_000],
    ['timeout', '300', 'timeoutMs', 300_000]
  ] as const)('reads %s %j into %s = %i', (input, value, key, expected) => {
    expect(settingsFrom({ [input]: value })[key]).toBe(expected)
  })
})

describe('readSettings message', () => {
  it('asks for the message untrimmed', () => {
    const calls: Call[] = []
    readSettings(getInputFrom(valid, calls))
    const messageCalls = calls.filter((call) => call.name === 'message')
    expect(messageCalls.length).toBeGreaterThan(0)
    for (const call of messageCalls) expect(call.options).toEqual({ trimWhitespace: false })
  })

  it.each([
    ['multi-line', 'Line one\nLine two\n\n  indented line\n'],
    ['leading and trailing spaces', '   padded message   '],
    ['tabs and CRLF', '\tTabbed\r\nWindows line\r\n'],
    ['Unicode', 'Héllo wörld — 日本語のテスト 🚀 ∑'],
    ['quotes', `He said "fix it" and it's 'done'; \`code\``],
    ['a literal expression', 'Keep ${{ github.event.issue.title }} and ${{ secrets.X }} as written'],
    ['markdown and backslashes', '# Title\n- item\\n not a newline\n```\nblock\n```']
  ])('keeps a %s message byte for byte', (_what, message) => {
    expect(settingsFrom({ message }).message).toBe(message)
  })
})

describe('readSettings base-url', () => {
  it.each([
    ['', 'https://app.all-hands.dev'],
    ['https://app.all-hands.dev', 'https://app.all-hands.dev'],
    ['https://app.all-hands.dev/', 'https://app.all-hands.dev'],
    ['http://127.0.0.1:3000/oh/', 'http://127.0.0.1:3000/oh'],
    ['http://127.0.0.1:3000/oh', 'http://127.0.0.1:3000/oh'],
    ['https://openhands.example.com/a/b//', 'https://openhands.example.com/a/b'],
    ['http://localhost:3000', 'http://localhost:3000']
  ])('reads %j as %j', (value, expected) => {
    expect(settingsFrom({ 'base-url': value }).baseUrl).toBe(expected)
  })
})

describe('readSettings wait', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', false]
  ])('reads %j as %s', (value, expected) => {
    expect(settingsFrom({ wait: value }).wait).toBe(expected)
  })
})

describe('readSettings rejects bad inputs', () => {
  it.each([
    ['message', '', /empty/],
    ['message', '  \n\t  ', /empty/],
    ['api-key', '', /empty|API key/],
    ['api-key', 'oh-key-part1 part2', /space/],
    ['api-key', 'oh-key-part1\npart2', /line break/],
    ['repository', 'owner', /owner\/repo/],
    ['repository', 'a/b/c', /owner\/repo/],
    ['repository', '-bad/x', /owner\/repo/],
    ['repository', 'owner/..', /owner\/repo/],
    ['repository', 'owner/.', /owner\/repo/],
    ['repository', 'owner/', /owner\/repo/],
    ['repository', '/repo', /owner\/repo/],
    ['repository', 'https://github.com/o/r', /not a URL/],
    ['poll-interval', 'soon', /duration/],
    ['poll-interval', '0.5', /at least 1s/],
    ['timeout', '-5m', /duration/],
    ['timeout', '0', /at least 1s/],
    ['timeout', '5d', /duration/],
    ['base-url', 'ftp://x', /http/],
    ['base-url', 'not a url', /http\(s\) URL/],
    ['base-url', 'https://bob:hunter2@example.com', /user name or password/],
    ['base-url', 'https://example.com/?x=1', /query/],
    ['base-url', 'https://example.com/#top', /fragment/],
    ['wait', 'yes', /true or false/],
    ['wait', '1', /true or false/]
  ])('%s %j: names the input and says what it expects', (name, value, expected) => {
    const error = inputErrorFrom({ [name]: value })
    expect(error).toBeInstanceOf(InputError)
    expect(error.name).toBe('InputError')
    expect(error.problems).toHaveLength(1)
    expect(error.message).toBe(error.problems[0])
    expect(error.message).toContain(`Input ${name}`)
    expect(error.message).toMatch(expected)
  })

  it.each(['oh-key-part1 part2', 'oh-key-part1\npart2', 'oh-key-part1\tpart2', 'oh-key-part1\r\npart2'])(
    'does not repeat a malformed api-key %j in the error',
    (key) => {
      const error = inputErrorFrom({ 'api-key': key, repository: 'owner' })
      expect(error.problems.some((p) => p.includes('api-key'))).toBe(true)
      expect(error.message).not.toContain('oh-key-part1')
      expect(error.message).not.toContain('part2')
    }
  )

  it('does not repeat the password of a base-url', () => {
    const error = inputErrorFrom({ 'base-url': 'https://bob:hunter2@example.com' })
    expect(error.message).not.toContain('hunter2')
  })

  it('lists every bad input in one error', () => {
    const error = inputErrorFrom({
      'api-key': '',
      message: '   ',
      repository: 'owner',
      'base-url': 'ftp://x',
      wait: 'yes',
      'poll-interval': 'soon',
      timeout: '0'
    })
    const names = ['api-key', 'message', 'repository', 'base-url', 'wait', 'poll-interval', 'timeout']
    expect(error.problems).toHaveLength(names.length)
    for (const name of names) {
      expect(error.problems.filter((p) => p.startsWith(`Input ${name} `))).toHaveLength(1)
    }
    for (const problem of error.problems) expect(error.message).toContain(problem)
  })

  it('lists two bad inputs in one error', () => {
    const error = inputErrorFrom({ repository: 'a/b/c', timeout: '-5m' })
    expect(error.problems).toHaveLength(2)
    expect(error.message).toContain('repository')
    expect(error.message).toContain('timeout')
  })
})
