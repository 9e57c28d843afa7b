// The committed dist/index.js, run as a child process exactly as the runner runs
// it, against the local simulator: one test per behaviour the action promises.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { runAction, type ActionRun } from '../scripts/action-runner.js'
import type { Simulator, SimulatorOptions } from '../simulator/server.js'
import { startCheckedSimulator } from './helpers/checked-simulator.js'

const KEY = 'oh-e2e-key-7c1d9b3f5a'
const REPO = 'octo-org/hello-world'
// Every byte a user could see: the key may only appear in the mask command, which
// the runner consumes and never shows.
const visible = (run: ActionRun): string => [run.stdout.replace(`::add-mask::${KEY}\n`, ''), run.stderr, JSON.stringify(run.outputs), run.summary].join('\n')

// Each test runs a real process against a real server for a few seconds.
jest.setTimeout(60_000)

let simulator: Simulator | undefined
afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

async function given(options: SimulatorOptions = {}): Promise<Simulator> {
  simulator = await startCheckedSimulator({ apiKey: KEY, startingMs: 300, runningMs: 1200, ...options })
  return simulator
}

async function act(inputs: Record<string, string>): Promise<ActionRun> {
  // The V0 routes: the behaviours below are the same on V1 (e2e-v1.test.ts), but the faults are aimed at V0's.
  const run = await runAction({
    'api-key': KEY,
    message: 'Fix the README',
    'base-url': simulator?.url ?? '',
    'poll-interval': '1s',
    timeout: '1m',
    'api-version': 'v0',
    ...inputs
  })
  expect(visible(run)).not.toContain(KEY)
  return run
}

const failure = (run: ActionRun): string => run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? ''

describe('the action, end to end', () => {
  it('starts, waits for STOPPED, sets the outputs and writes the summary', async () => {
    const sim = await given()
    const run = await act({ wait: 'true' })
    const [conversation] = sim.state().conversations
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({
      'conversation-id': conversation.id,
      'conversation-url': `${sim.url}/conversations/${conversation.id}`,
      status: 'STOPPED',
      'agent-state': 'finished',
      'runtime-status': '',
      title: 'Fix the README',
      'pr-urls': '',
      triggered: 'true',
      'comment-url': '',
      continued: 'false',
      // V0 tells no cost; its last agent message is the final message.
      'final-message': 'I have finished the task.',
      cost: '',
      'prompt-tokens': '',
      'completion-tokens': ''
    })
    expect(run.stdout).toContain(`Conversation started: ${sim.url}/conversations/${conversation.id}`)
    // Each change told once. (V0 reads the conversation itself every third poll, so
    // a short RUNNING phase may pass between two reads.)
    for (const status of ['STARTING', 'STOPPED']) expect(run.stdout.split(`Status: ${status}\n`)).toHaveLength(2)
    expect(run.stdout.split('Status: RUNNING\n').length).toBeLessThanOrEqual(2)
    expect(run.summary).toContain(`(${sim.url}/conversations/${conversation.id})`)
    expect(run.summary).toContain(`\`${REPO}\``)
    expect(run.summary).toContain('| Status | STOPPED |')
    expect(run.summary).toMatch(/\| Time \| \d+(ms|s) \|/)
  })

  it('sends the message byte for byte, with the workflow repository by default', async () => {
    const sim = await given()
    const message = '  Fix "this" and \'that\'\n\n- ${{ github.token }} stays literal\n- 日本語, émoji 🚀, tab\there\n'
    const run = await act({ message })
    expect(run.code).toBe(0)
    expect(sim.state().conversations[0].body).toEqual({ initial_user_msg: message, repository: REPO })
  })

  it('sends the branch, and no repository when asked for none', async () => {
    const sim = await given()
    await act({ branch: 'feature/x' })
    await act({ repository: 'none' })
    const [first, second] = sim.state().conversations
    expect(first.body).toEqual({ initial_user_msg: 'Fix the README', repository: REPO, selected_branch: 'feature/x' })
    expect(second.body).toEqual({ initial_user_msg: 'Fix the README' })
  })

  it('without wait, ends at once with the status the server reported at creation', async () => {
    const sim = await given()
    const run = await act({})
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('STARTING')
    expect(sim.state().requests.map((r) => r.method)).toEqual(['POST'])
  })

  it('accepts a base-url with a trailing slash', async () => {
    const sim = await given()
    const run = await act({ 'base-url': `${sim.url}/` })
    expect(run.code).toBe(0)
    expect(run.outputs['conversation-url']).toBe(`${sim.url}/conversations/${sim.state().conversations[0].id}`)
  })

  it('fails on ERROR, with the outputs still set', async () => {
    await given({ finalStatus: 'ERROR' })
    const run = await act({ wait: 'true' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('ERROR')
    expect(run.outputs['conversation-id']).not.toBe('')
    expect(failure(run)).toContain('ERROR')
  })

  it('fails clearly when the server does not know the conversation (200 null)', async () => {
    await given({ faults: [{ kind: 'null-body', route: 'get' }] })
    const run = await act({ wait: 'true' })
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(/no conversation [0-9a-f]{32}/)
    expect(run.stdout + run.stderr).not.toMatch(/TypeError|Cannot read/)
  })

  it('waits through the 10-conversation limit (429) and says why', async () => {
    const sim = await given({ faults: [{ kind: 'conversation-limit', route: 'create', count: 2 }] })
    const run = await act({})
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Too many running conversations.*trying again in/)
    expect(sim.state().createAttempts).toBe(3)
    expect(sim.state().created).toBe(1)
  })

  it('obeys Retry-After on a rate-limited start', async () => {
    const sim = await given({ faults: [{ kind: 'rate-limit', route: 'create', count: 1, retryAfterSeconds: 1 }] })
    const run = await act({})
    expect(run.code).toBe(0)
    // Retry-After: 1 is int(reset - now): up to the end of the second after it, plus jitter.
    expect(run.stdout).toMatch(/Rate limit exceeded.*trying again in [23]s/)
    expect(sim.state().created).toBe(1)
  })

  it('rides out 5xx answers, dropped connections and slow answers while waiting', async () => {
    const sim = await given({
      faults: [
        { kind: 'status', route: 'get', statusCode: 503, count: 2 },
        { kind: 'drop', route: 'get', count: 1 },
        { kind: 'slow', route: 'get', delayMs: 1500, count: 1 }
      ]
    })
    const run = await act({ wait: 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('STOPPED')
    expect(run.stdout).toContain("Could not read the conversation's status")
    expect(sim.state().created).toBe(1)
  })

  it.each([
    ['a 500 after creating', { kind: 'create-then-fail', route: 'create' }, /may have started/],
    ['a malformed 200', { kind: 'malformed', route: 'create' }, /not JSON/],
    ['a connection reset mid-answer', { kind: 'reset-mid-body', route: 'create' }, /may have started/]
  ] as const)('never starts a second conversation after %s', async (_, fault, words) => {
    const sim = await given({ faults: [fault] })
    const run = await act({ wait: 'true' })
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(words)
    expect(sim.state().createAttempts).toBe(1)
  })

  it('shows the server words and a hint when the repository is not accessible', async () => {
    await given({ inaccessibleRepos: ['octo-org/secret'] })
    const run = await act({ repository: 'octo-org/secret' })
    expect(run.code).toBe(1)
    expect(failure(run)).toContain('Unable to access repo octo-org/secret')
    expect(failure(run)).toMatch(/GitHub App/)
  })

  it('shows the server words and a hint when the account has no LLM settings', async () => {
    await given({ llmConfigured: false })
    const run = await act({})
    expect(failure(run)).toContain('STATUS$ERROR_LLM_AUTHENTICATION')
    expect(failure(run)).toMatch(/LLM settings/)
  })

  it('says the key was refused, without printing it', async () => {
    await given({ apiKey: 'the-right-key' })
    const run = await act({})
    expect(run.code).toBe(1)
    expect(failure(run)).toContain('NoCredentialsError')
    expect(failure(run)).toMatch(/refused the api-key/)
  })

  it('fails before any request when inputs are bad, naming each', async () => {
    const sim = await given()
    const run = await act({ message: '', repository: 'not a repo', 'poll-interval': 'soon', timeout: '-5m', 'base-url': 'ftp://x' })
    expect(run.code).toBe(1)
    const text = run.stdout
    for (const input of ['message', 'repository', 'poll-interval', 'timeout', 'base-url']) expect(text).toContain(`Input ${input}`)
    expect(sim.state().requests).toHaveLength(0)
  })

  it('times out saying so, with the last status seen in the message and STOPPED in the outputs once stopped', async () => {
    await given({ runningMs: 60_000 })
    const run = await act({ wait: 'true', timeout: '5s' })
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(/Timed out waiting.*The last status seen was RUNNING.*was stopped/)
    expect(run.outputs.status).toBe('STOPPED')
  })

  it('keeps trying a server that refuses connections, then times out', async () => {
    const sim = await given()
    const url = sim.url
    await sim.close()
    simulator = undefined
    const run = await act({ 'base-url': url, timeout: '3s' })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/ECONNREFUSED.*trying again/)
    expect(failure(run)).toMatch(/Timed out before the conversation could be started/)
  })
})
