import { closeSync, openSync, readSync } from 'node:fs'
import { resolve } from 'node:path'
import { formatDuration, parseDuration } from './duration.js'

/** Everything the action was asked to do, validated once; nothing else reads inputs. */
export interface Settings {
  apiKey: string
  message: string
  /** `owner/repo`, or undefined for a conversation with no repository. */
  repository?: string
  branch?: string
  /** Origin (and optional path prefix) without a trailing slash. */
  baseUrl: string
  wait: boolean
  pollIntervalMs: number
  timeoutMs: number
  /** For the permission check, the thread comment and the reaction. */
  githubToken: string
  /** On comment events, run only when the comment contains this word; empty = always. */
  triggerPhrase: string
  /** Bot logins allowed to trigger, as given. */
  allowedBots: string[]
  /** Append the issue/PR/comment context block to the message. */
  context: boolean
  /** Keep one status comment on the event's issue or pull request. */
  comment: boolean
  apiVersion: 'auto' | 'v0' | 'v1'
  /** Stop the conversation when the step is cancelled or runs out of time. */
  stopOnCancel: boolean
  /** V1: once the agent finished, pause its sandbox (unless shared) to free the account's slot. */
  releaseSandbox: boolean
  /** `auto`: a thread's new event goes to the conversation the thread already has; `new`: always a new one. */
  followUp: 'auto' | 'new'
}

/** Same shape as `core.getInput`, so tests can hand in a plain function. */
export type GetInput = (name: string, options?: { trimWhitespace?: boolean }) => string

/** How `message-file` is read; tests hand in their own. */
export interface MessageFiles {
  /** The directory a relative path starts from: the runner's GITHUB_WORKSPACE. */
  workspace: string
  /** The file's first `maxBytes` bytes (fewer when it is shorter); throws as `fs` does (ENOENT, EACCES, EISDIR). */
  read(path: string, maxBytes: number): Uint8Array
}

/**
 * The most `message-file` may hold: 1 MiB. The message travels in a JSON body, where
 * escaping can make a byte up to six (`\u0000`); 1 MiB stays well under the 10 MB
 * request bodies servers commonly accept, context block included, and is already
 * more text than any model reads in one go (about 250,000 tokens).
 */
export const MAX_MESSAGE_FILE_BYTES = 1024 * 1024

/** One or more inputs are wrong; the message names each of them. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `Invalid inputs:\n- ${problems.join('\n- ')}`)
    this.name = 'InputError'
  }
}

// GitHub logins: letters, digits and single hyphens; apps add `[bot]`.
const BOT_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/
// Writing `repository: none` is the reliable way to ask for no repository: an
// empty `with:` value can be replaced by the input's default on some runners.
const NO_REPOSITORY = 'none'
// GitHub's rules: owners are 1-39 letters, digits or hyphens, not starting with a
// hyphen; repository names are 1-100 letters, digits, `.`, `_` or `-`.
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/
// Anything outside visible ASCII cannot travel in an HTTP header: refused here,
// with a message that names the input and not the value, that is, the key.
const HEADER_SAFE = /^[\x21-\x7e]+$/
const BOOLEAN_TRUE = ['true', 'True', 'TRUE']
const BOOLEAN_FALSE = ['false', 'False', 'FALSE']
// Polling faster than once a second only spends the account's rate limit.
const MIN_DURATION_MS = 1000

type Parsed<T> = { value: T } | { problem: string }

export function readSettings(getInput: GetInput, files: MessageFiles = localFiles()): Settings {
  const problems: string[] = []
  // Collect every problem in one pass so a user fixes their inputs in one go.
  const take = <T>(parsed: Parsed<T>, fallback: T): T => {
    if ('problem' in parsed) {
      problems.push(parsed.problem)
      return fallback
    }
    return parsed.value
  }

  const settings: Settings = {
    apiKey: take(apiKeyFrom(getInput('api-key')), ''),
    message: take(messageFrom(getInput('message', { trimWhitespace: false }), getInput('message-file'), files), ''),
    repository: take(repositoryFrom(getInput('repository')), undefined),
    branch: getInput('branch') || undefined,
    baseUrl: take(baseUrlFrom(getInput('base-url')), ''),
    wait: take(booleanFrom('wait', getInput('wait'), false), false),
    pollIntervalMs: take(durationFrom('poll-interval', getInput('poll-interval'), 30_000), 0),
    timeoutMs: take(durationFrom('timeout', getInput('timeout'), 3_600_000), 0),
    githubToken: getInput('github-token'),
    triggerPhrase: getInput('trigger-phrase'),
    allowedBots: take(allowedBotsFrom(getInput('allowed-bots')), []),
    context: take(choiceFrom('context', getInput('context'), { auto: true, none: false }), true),
    comment: take(choiceFrom('comment', getInput('comment'), { auto: true, false: false }), true),
    apiVersion: take(choiceFrom('api-version', getInput('api-version'), { auto: 'auto', v0: 'v0', v1: 'v1' } as const), 'auto'),
    stopOnCancel: take(booleanFrom('stop-on-cancel', getInput('stop-on-cancel'), true), true),
    releaseSandbox: take(booleanFrom('release-sandbox', getInput('release-sandbox'), true), true),
    followUp: take(choiceFrom('follow-up', getInput('follow-up'), { auto: 'auto', new: 'new' } as const), 'auto')
  }
  if (problems.length > 0) throw new InputError(problems)
  return settings
}

const problem = (text: string): { problem: string } => ({ problem: text })

function apiKeyFrom(value: string): Parsed<string> {
  if (value === '') {
    return problem(
      'Input api-key is empty: pass your OpenHands Cloud API key from a secret, e.g. `api-key: ${{ secrets.OPENHANDS_API_KEY }}`. ' +
        'Secrets are not given to workflows run from forks.'
    )
  }
  if (!HEADER_SAFE.test(value)) {
    return problem("Input api-key must be one token of visible ASCII characters, with no spaces or line breaks: check the secret's value.")
  }
  return { value }
}

function messageFrom(value: string, file: string, files: MessageFiles): Parsed<string> {
  const given = value.trim() !== ''
  if (given && file !== '') return problem('Inputs message and message-file are both set: give the task in one of them, not both.')
  if (file !== '') return messageFileFrom(file, files)
  if (!given) {
    return problem(
      'Input message is empty: give the task for the OpenHands agent, e.g. `message: Fix the failing tests`, ' +
        'or the path of a file holding it in message-file.'
    )
  }
  return { value }
}

// A decoder that throws on the first byte sequence that is not UTF-8, instead of
// putting U+FFFD in its place; ignoreBOM keeps a byte order mark, so the file
// arrives byte for byte.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function messageFileFrom(file: string, files: MessageFiles): Parsed<string> {
  const path = resolve(files.workspace, file)
  const where = path === file ? `"${file}"` : `"${file}" (${path})`
  let bytes: Uint8Array
  try {
    // One byte over the limit is enough to know it is too large, without reading all of it.
    bytes = files.read(path, MAX_MESSAGE_FILE_BYTES + 1)
  } catch (error) {
    return problem(`Input message-file: could not read ${where}: ${readFailure(error)}.`)
  }
  if (bytes.length > MAX_MESSAGE_FILE_BYTES) {
    return problem(`Input message-file: ${where} is larger than ${MAX_MESSAGE_FILE_BYTES} bytes (1 MiB), the most a message may be.`)
  }
  let text: string
  try {
    text = STRICT_UTF8.decode(bytes)
  } catch {
    return problem(`Input message-file: ${where} is not UTF-8 text: save it as UTF-8.`)
  }
  if (text.trim() === '') return problem(`Input message-file: ${where} is empty: write the task for the OpenHands agent in it.`)
  return { value: text }
}

function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ENOENT') return 'there is no such file (is the repository checked out, with actions/checkout, before this step?)'
  if (code === 'EISDIR') return 'it is a directory, not a file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}

/** The runner's files: relative paths start from GITHUB_WORKSPACE (the current directory outside a runner). */
function localFiles(): MessageFiles {
  return { workspace: process.env.GITHUB_WORKSPACE || process.cwd(), read: readAtMost }
}

function readAtMost(path: string, maxBytes: number): Uint8Array {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(maxBytes)
    let length = 0
    // Until the end or the limit: a file that never ends (/dev/zero) stops at the limit.
    while (length < maxBytes) {
      const read = readSync(fd, buffer, length, maxBytes - length, null)
      if (read === 0) break
      length += read
    }
    return buffer.subarray(0, length)
  } finally {
    closeSync(fd)
  }
}

function repositoryFrom(raw: string): Parsed<string | undefined> {
  const value = raw.trim()
  if (value === '' || value === NO_REPOSITORY) return { value: undefined }
  const [owner, name, ...rest] = value.split('/')
  if (rest.length === 0 && name !== undefined && OWNER.test(owner) && REPO_NAME.test(name) && name !== '.' && name !== '..') {
    return { value }
  }
  const hint = /^https?:\/\//.test(value) ? ' (a name, not a URL)' : ''
  return problem(`Input repository must be \`owner/repo\`${hint}, or \`none\` for no repository; got "${value}".`)
}

function baseUrlFrom(raw: string): Parsed<string> {
  const value = raw.trim() === '' ? 'https://app.all-hands.dev' : raw.trim()
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return problem(`Input base-url must be an http(s) URL such as https://app.all-hands.dev; got "${value}".`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return problem(`Input base-url must use http or https; got "${url.protocol}" in "${value}".`)
  }
  if (url.username !== '' || url.password !== '') {
    return problem('Input base-url must not contain a user name or password: the api-key is the only credential sent.')
  }
  if (url.search !== '' || url.hash !== '') {
    return problem(`Input base-url must not have a query or fragment; got "${value}".`)
  }
  return { value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` }
}

function booleanFrom(name: string, raw: string, fallback: boolean): Parsed<boolean> {
  if (raw === '') return { value: fallback }
  if (BOOLEAN_TRUE.includes(raw)) return { value: true }
  if (BOOLEAN_FALSE.includes(raw)) return { value: false }
  return problem(`Input ${name} must be true or false; got "${raw}".`)
}

function durationFrom(name: string, raw: string, fallback: number): Parsed<number> {
  if (raw === '') return { value: fallback }
  const ms = parseDuration(raw)
  const expected = `a duration: a number of seconds, or a number followed by s, m or h (e.g. 30s, 5m, 1h)`
  if (ms === undefined) return problem(`Input ${name} must be ${expected}; got "${raw}".`)
  if (ms < MIN_DURATION_MS) return problem(`Input ${name} must be at least ${formatDuration(MIN_DURATION_MS)}; got "${raw}".`)
  return { value: ms }
}

function allowedBotsFrom(raw: string): Parsed<string[]> {
  const bots = raw
    .split(',')
    .map((bot) => bot.trim())
    .filter((bot) => bot !== '')
  if (bots.includes('*')) {
    return problem(
      'Input allowed-bots must list bot logins by name (e.g. `renovate[bot], dependabot[bot]`): `*` would let any bot spend your OpenHands credits.'
    )
  }
  const bad = bots.filter((bot) => !BOT_LOGIN.test(bot))
  if (bad.length > 0) return problem(`Input allowed-bots must be comma-separated GitHub logins; these are not: ${bad.map((b) => `"${b}"`).join(', ')}.`)
  return { value: bots }
}

function choiceFrom<T>(name: string, raw: string, choices: Record<string, T>): Parsed<T> {
  const value = raw === '' ? 'auto' : raw
  if (Object.hasOwn(choices, value)) return { value: choices[value] }
  return problem(`Input ${name} must be ${Object.keys(choices).join(' or ')}; got "${raw}".`)
}
