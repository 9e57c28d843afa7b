// The committed dist/index.js against the simulator: agent-aware waiting on V0
// and V1, api-version negotiation, and stopping the conversation on cancel.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { runAction, type ActionRun } from '../scripts/action-runner.js'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server.js'

jest.setTimeout(60_000)

const KEY = 'oh-e2e-v1-key-9a8b7c6d'
let simulator: Simulator | undefined
afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

async function given(options: SimulatorOptions = {}): Promise<Simulator> {
  simulator = await startSimulator({ apiKey: KEY, startingMs: 300, runningMs: 1200, startTaskMs: 300, ...options })
  return simulator
}

async function act(inputs: Record<string, string>, options: Parameters<typeof runAction>[1] = {}): Promise<ActionRun> {
  const run = await runAction({ 'api-key': KEY, message: 'Fix the README', 'base-url': simulator?.url ?? '', 'poll-interval': '1s', timeout: '1m', ...inputs }, options)
  expect([run.stdout.replace(`::add-mask::${KEY}\n`, ''), run.stderr, JSON.stringify(run.outputs), run.summary].join('\n')).not.toContain(KEY)
  return run
}

const failure = (run: ActionRun): string => run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? ''

describe('agent-aware waiting', () => {
  it.each(['v0', 'v1'])('%s: ends when the agent finishes while the runtime lives on', async (version) => {
    const sim = await given({ agentFinishesMs: 1500, runningMs: 60_000 })
    const run = await act({ wait: 'true', 'api-version': version })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'RUNNING', 'agent-state': 'finished', title: 'Fix the README' })
    expect(run.outputs['runtime-status']).not.toBe('')
    expect(sim.state().conversations[0].status).toBe('RUNNING')
    expect(run.summary).toContain('| Agent | finished |')
  })

  it.each([
    ['v0', 'error'],
    ['v1', 'error'],
    ['v0', 'rejected'],
    ['v1', 'stuck']
  ])('%s: fails when the agent ends in %s, with the outputs set', async (version, state) => {
    await given({ agentFinishesMs: 1000, runningMs: 60_000, agentFinalState: state as SimulatorOptions['agentFinalState'] })
    const run = await act({ wait: 'true', 'api-version': version })
    expect(run.code).toBe(1)
    expect(failure(run)).toContain(`The agent ended in state ${state}`)
    expect(run.outputs['conversation-id']).not.toBe('')
  })

  it('v0: falls back to the status alone, quietly, where the events route is missing', async () => {
    const sim = await given({ eventsRoute: false })
    const run = await act({ wait: 'true', 'api-version': 'v0' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'STOPPED', 'agent-state': '' })
    expect(run.stdout).not.toContain('::warning::')
    expect(sim.state().requests.filter((r) => r.path.includes('/events'))).toHaveLength(1)
  })
})

describe('api-version', () => {
  it('v1: starts through the start task and reports the same outputs as V0', async () => {
    const sim = await given()
    const run = await act({ wait: 'true', 'api-version': 'v1', branch: 'dev' })
    expect(run.code).toBe(0)
    const [conversation] = sim.state().conversations
    expect(conversation.version).toBe('V1')
    expect(conversation.body).toEqual({
      initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix the README' }] },
      selected_repository: 'octo-org/hello-world',
      selected_branch: 'dev'
    })
    // A paused sandbox reads as STOPPED, as V0 would say it.
    expect(run.outputs).toMatchObject({ 'conversation-id': conversation.id, 'conversation-url': `${sim.url}/conversations/${conversation.id}`, status: 'STOPPED', 'runtime-status': 'PAUSED' })
  })

  it('v1: fails with the start task detail and a hint', async () => {
    await given({ inaccessibleRepos: ['octo-org/hello-world'] })
    const run = await act({ 'api-version': 'v1' })
    expect(run.code).toBe(1)
    expect(failure(run)).toContain('Unable to access repo octo-org/hello-world')
    expect(failure(run)).toMatch(/GitHub App/)
  })

  it('auto: speaks V1 to a server that has it', async () => {
    const sim = await given()
    const run = await act({})
    expect(run.code).toBe(0)
    expect(sim.state().conversations.map((c) => c.version)).toEqual(['V1'])
  })

  it('auto: falls back to V0 on a server without V1, creating exactly one conversation', async () => {
    const sim = await given({ v1: false })
    const run = await act({ wait: 'true' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('The server has no V1 API')
    expect(sim.state().conversations.map((c) => c.version)).toEqual(['V0'])
    expect(sim.state().created).toBe(1)
  })
})

describe('stop on cancel', () => {
  it.each(['v0', 'v1'])('%s: SIGTERM while waiting stops the conversation, then writes the outputs and the summary', async (version) => {
    const sim = await given({ runningMs: 60_000 })
    const run = await act({ wait: 'true', 'api-version': version }, { signal: { when: /^Waiting for it to finish/, signal: 'SIGTERM' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Received SIGTERM')
    expect(failure(run)).toMatch(/cancelled \(SIGTERM\).*was stopped/)
    expect(sim.state().stopRequests).toBe(1)
    expect(sim.state().conversations[0].stoppedAt).not.toBeNull()
    expect(run.outputs['conversation-id']).toBe(sim.state().conversations[0].id)
    expect(run.summary).toContain('stopped by this step')
  })

  it('stops the conversation when the step runs out of its own timeout', async () => {
    const sim = await given({ runningMs: 60_000 })
    const run = await act({ wait: 'true', timeout: '3s', 'api-version': 'v0' })
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(/Timed out waiting.*was stopped/)
    expect(sim.state().stopRequests).toBe(1)
  })

  it('leaves it running with stop-on-cancel: false', async () => {
    const sim = await given({ runningMs: 60_000 })
    const run = await act({ wait: 'true', 'stop-on-cancel': 'false' }, { signal: { when: /^Waiting for it to finish/, signal: 'SIGINT' } })
    expect(run.code).toBe(1)
    expect(sim.state().stopRequests).toBe(0)
    expect(sim.state().conversations[0].stoppedAt).toBeNull()
  })
})
