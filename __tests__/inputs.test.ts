import { afterEach, describe, it, expect } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, MAX_MESSAGE_FILE_BYTES, readSettings, type GetInput, type MessageFiles, type Settings } from '../src/inputs.js'

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
      releaseSandbox: true,
      followUp: 'auto'
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
        'release-sandbox': 'false',
        'follow-up': 'new'
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
      releaseSandbox: false,
      followUp: 'new'
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
    ['stop-on-cancel', 'yes', /stop-on-cancel must be true or false; got "yes"/],
    ['follow-up', 'continue', /follow-up must be auto or new; got "continue"/],
    ['follow-up', 'New', /follow-up must be auto or new; got "New"/]
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

describe('readSettings message-file', () => {
  const WORKSPACE = '/home/runner/work/repo/repo'
  const noMessage: Inputs = { 'api-key': API_KEY }

  /** Files in memory, by absolute path; records what was asked for. */
  function memoryFiles(files: Record<string, Uint8Array | Error>, asked: Array<{ path: string; maxBytes: number }> = []): MessageFiles {
    return {
      workspace: WORKSPACE,
      read(path, maxBytes) {
        asked.push({ path, maxBytes })
        const found = files[path]
        if (found === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' })
        if (found instanceof Error) throw found
        return found.subarray(0, maxBytes)
      }
    }
  }
  const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

  function problemsWith(inputs: Inputs, files: MessageFiles): string[] {
    try {
      readSettings(getInputFrom(inputs), files)
    } catch (error) {
      if (error instanceof InputError) return error.problems
      throw error
    }
    throw new Error(`readSettings accepted ${JSON.stringify(inputs)}`)
  }

  it.each([
    ['multi-line with a trailing newline', 'Fix the tests.\n\nThen:\n  - run them\n'],
    ['CRLF and tabs', '\tStep one\r\nStep two\r\n'],
    ['leading and trailing blank lines', '\n\n  Task  \n\n'],
    ['Unicode and a byte order mark', '\uFEFFHéllo — 日本語 🚀'],
    ['a literal expression', 'Keep ${{ secrets.X }} as written']
  ])('sends a file that is %s byte for byte, reading it from the workspace', (_what, text) => {
    const asked: Array<{ path: string; maxBytes: number }> = []
    const files = memoryFiles({ [`${WORKSPACE}/.github/task.md`]: utf8(text) }, asked)
    const settings = readSettings(getInputFrom({ ...noMessage, 'message-file': '.github/task.md' }), files)
    expect(settings.message).toBe(text)
    expect(new TextEncoder().encode(settings.message)).toEqual(utf8(text))
    expect(asked).toEqual([{ path: `${WORKSPACE}/.github/task.md`, maxBytes: MAX_MESSAGE_FILE_BYTES + 1 }])
  })

  it('takes an absolute path as it is', () => {
    const files = memoryFiles({ '/tmp/task.txt': utf8('From /tmp') })
    expect(readSettings(getInputFrom({ ...noMessage, 'message-file': '/tmp/task.txt' }), files).message).toBe('From /tmp')
  })

  it('accepts a message of exactly 1 MiB', () => {
    const files = memoryFiles({ [`${WORKSPACE}/big.md`]: new Uint8Array(MAX_MESSAGE_FILE_BYTES).fill(0x61) })
    expect(readSettings(getInputFrom({ ...noMessage, 'message-file': 'big.md' }), files).message).toHaveLength(MAX_MESSAGE_FILE_BYTES)
  })

  it('takes a blank message next to message-file as not given', () => {
    const files = memoryFiles({ [`${WORKSPACE}/t.md`]: utf8('task') })
    expect(readSettings(getInputFrom({ ...noMessage, message: ' \n', 'message-file': 't.md' }), files).message).toBe('task')
  })

  it.each<[string, Inputs, Record<string, Uint8Array | Error>, string]>([
    [
      'both inputs',
      { message: 'Fix it', 'message-file': 't.md' },
      { [`${WORKSPACE}/t.md`]: utf8('x') },
      'Inputs message and message-file are both set: give the task in one of them, not both.'
    ],
    [
      'neither input',
      {},
      {},
      'Input message is empty: give the task for the OpenHands agent, e.g. `message: Fix the failing tests`, or the path of a file holding it in message-file.'
    ],
    [
      'a missing file',
      { 'message-file': 'docs/task.md' },
      {},
      `Input message-file: could not read "docs/task.md" (${WORKSPACE}/docs/task.md): there is no such file (is the repository checked out, with actions/checkout, before this step?).`
    ],
    [
      'a directory',
      { 'message-file': '/etc' },
      { '/etc': Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR' }) },
      'Input message-file: could not read "/etc": it is a directory, not a file.'
    ],
    [
      'an unreadable file',
      { 'message-file': '/secret.md' },
      { '/secret.md': Object.assign(new Error("EACCES: permission denied, open '/secret.md'"), { code: 'EACCES' }) },
      'Input message-file: could not read "/secret.md": permission denied.'
    ],
    [
      'any other failure',
      { 'message-file': '/x.md' },
      { '/x.md': new Error('EIO: i/o error, read') },
      'Input message-file: could not read "/x.md": EIO: i/o error, read.'
    ],
    [
      'a file over 1 MiB',
      { 'message-file': 'big.md' },
      { [`${WORKSPACE}/big.md`]: new Uint8Array(MAX_MESSAGE_FILE_BYTES + 1).fill(0x61) },
      `Input message-file: "big.md" (${WORKSPACE}/big.md) is larger than 1048576 bytes (1 MiB), the most a message may be.`
    ],
    [
      'Latin-1 text',
      { 'message-file': '/latin1.txt' },
      { '/latin1.txt': Uint8Array.from([0x63, 0x61, 0x66, 0xe9]) },
      'Input message-file: "/latin1.txt" is not UTF-8 text: save it as UTF-8.'
    ],
    [
      'UTF-16 text',
      { 'message-file': '/utf16.txt' },
      { '/utf16.txt': Uint8Array.from([0xff, 0xfe, 0x41, 0x00]) },
      'Input message-file: "/utf16.txt" is not UTF-8 text: save it as UTF-8.'
    ],
    [
      'a UTF-8 sequence cut short',
      { 'message-file': '/cut.txt' },
      { '/cut.txt': utf8('日本').subarray(0, 4) },
      'Input message-file: "/cut.txt" is not UTF-8 text: save it as UTF-8.'
    ],
    [
      'an empty file',
      { 'message-file': '/empty.md' },
      { '/empty.md': utf8('') },
      'Input message-file: "/empty.md" is empty: write the task for the OpenHands agent in it.'
    ],
    [
      'a blank file',
      { 'message-file': '/blank.md' },
      { '/blank.md': utf8(' \r\n\t\n') },
      'Input message-file: "/blank.md" is empty: write the task for the OpenHands agent in it.'
    ]
  ])('refuses %s with one problem naming the input', (_what, inputs, files, expected) => {
    expect(problemsWith({ ...noMessage, ...inputs }, memoryFiles(files))).toEqual([expected])
  })

  it('reports a bad message-file together with the other bad inputs', () => {
    const problems = problemsWith({ ...noMessage, 'message-file': 'gone.md', wait: 'yes' }, memoryFiles({}))
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/^Input message-file: /)
    expect(problems[1]).toMatch(/^Input wait /)
  })

  it('does not read the file when message is also set', () => {
    const asked: Array<{ path: string; maxBytes: number }> = []
    problemsWith({ ...noMessage, message: 'Fix it', 'message-file': 't.md' }, memoryFiles({}, asked))
    expect(asked).toEqual([])
  })
})

describe('readSettings message-file, from the disk', () => {
  let workspace = ''
  const saved = process.env.GITHUB_WORKSPACE
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_WORKSPACE
    else process.env.GITHUB_WORKSPACE = saved
    if (workspace) rmSync(workspace, { recursive: true, force: true })
    workspace = ''
  })

  function inWorkspace(files: Record<string, string | Uint8Array>): void {
    workspace = mkdtempSync(join(tmpdir(), 'message-file-'))
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(workspace, name, '..'), { recursive: true })
      writeFileSync(join(workspace, name), content)
    }
    process.env.GITHUB_WORKSPACE = workspace
  }
  const fileMessage = (path: string): Settings => readSettings(getInputFrom({ 'api-key': API_KEY, 'message-file': path }))

  it('reads a relative path from GITHUB_WORKSPACE, byte for byte', () => {
    const text = '\uFEFF# Task\r\n\r\nFix the flaky test — 日本語\n\n'
    inWorkspace({ '.github/openhands/task.md': text })
    expect(fileMessage('.github/openhands/task.md').message).toBe(text)
  })

  it('reads a file larger than one read at a time', () => {
    const text = 'abcdefghij\n'.repeat(60_000)
    inWorkspace({ 'long.md': text })
    expect(fileMessage(join(workspace, 'long.md')).message).toBe(text)
  })

  it('reads at most one byte past the limit of a file that never ends', () => {
    inWorkspace({})
    expect(() => fileMessage('/dev/zero')).toThrow('Input message-file: "/dev/zero" is larger than 1048576 bytes (1 MiB), the most a message may be.')
  })

  it.each([
    ['a missing file', 'nope.md', /could not read "nope\.md" \(.*nope\.md\): there is no such file/],
    ['a directory', 'dir', /could not read "dir" \(.*dir\): it is a directory, not a file\./]
  ])('names %s', (_what, path, expected) => {
    inWorkspace({ 'dir/inside.md': 'x' })
    expect(() => fileMessage(path)).toThrow(expected)
  })

  it('names a file it may not read', () => {
    inWorkspace({ 'locked.md': 'secret task' })
    chmodSync(join(workspace, 'locked.md'), 0o000)
    // root reads any file, whatever its mode.
    if (process.getuid?.() === 0) return
    expect(() => fileMessage('locked.md')).toThrow(/could not read "locked\.md" \(.*\): permission denied\./)
  })
})
