// The committed dist/index.js against the simulator: agent-aware waiting on V0
// and V1 (V1 as Cloud runs it: a finished sandbox holds its slot, PAUSED is not
// an end, 429 at the sandbox limit), api-version negotiation, and stopping the
// conversation on cancel. Every exchange is checked against the vendor's
// OpenAPI document (startCheckedSimulator).
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { runAction, type ActionRun } from '../scripts/action-runner.js'
import type { Simulator, SimulatorOptions } from '../simulator/server.js'
import { startCheckedSimulator } from './helpers/checked-simulator.js'

jest.setTimeout(60_000)

const KEY = 'oh-e2e-v1-key-9a8b7c6d'
let simulator: Simulator | undefined
afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

async function given(options: SimulatorOptions = {}): Promise<Simulator> {
  simulator = await startCheckedSimulator({ apiKey: KEY, startingMs: 300, runningMs: 1200, startTaskMs: 300, ...options })
  return simulator
}

async function act(inputs: Record<string, string>, options: Parameters<typeof runAction>[1] = {}): Promise<ActionRun> {
  const run = await runAction(
    { 'api-key': KEY, message: 'Fix the README', 'base-url': simulator?.url ?? '', 'poll-interval': '1s', timeout: '1m', ...inputs },
    options
  )
  expect([run.stdout.replace(`::add-mask::${KEY}\n`, ''), run.stderr, JSON.stringify(run.outputs), run.summary].join('\n')).not.toContain(KEY)
  return run
}

/** A request made by the test itself, as another job of the same account would. */
async function api(path: string, method = 'GET', body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }
  const answer = await fetch(`${simulator?.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return answer.json()
}

/** Starts a conversation as another job would, and waits until its agent works. */
async function otherJob(): Promise<{ id: string; sandboxId: string }> {
  const start = { initial_message: { role: 'user', content: [{ type: 'text', text: 'Another job' }], run: true }, trigger: 'openhands_api' }
  const task = (await api('/api/v1/app-conversations', 'POST', start)) as { id: string }
  for (;;) {
    const [read] = (await api(`/api/v1/app-conversations/start-tasks?ids=${task.id}`)) as Array<{
      status: string
      app_conversation_id: string
      sandbox_id: string
    }>
    if (read.status === 'READY') return { id: read.app_conversation_id, sandboxId: read.sandbox_id }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const failure = (run: ActionRun): string => run.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? ''
const sandboxOf = (sim: Simulator, conversationId: string) => {
  const conversation = sim.state().conversations.find((c) => c.id === conversationId)
  return sim.state().sandboxes.find((s) => s.id === conversation?.sandboxId)
}

describe('agent-aware waiting', () => {
  it('v0: ends when the agent finishes while the runtime lives on', async () => {
    const sim = await given({ agentFinishesMs: 1500, runningMs: 60_000 })
    const run = await act({ wait: 'true', 'api-version': 'v0' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'RUNNING', 'agent-state': 'finished', title: 'Fix the README' })
    expect(run.outputs['runtime-status']).not.toBe('')
    expect(sim.state().conversations[0].status).toBe('RUNNING')
    expect(run.summary).toContain('| Agent | finished |')
  })

  it('v1: ends when the agent finishes, then pauses its sandbox to free the slot', async () => {
    const sim = await given({ agentWorkMs: 1200 })
    const run = await act({ wait: 'true', 'api-version': 'v1' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'STOPPED', 'agent-state': 'finished', 'runtime-status': 'PAUSED' })
    expect(run.stdout).toContain("Paused the conversation's sandbox, so the account's slot is free for the next job")
    const [conversation] = sim.state().conversations
    expect(conversation.finished).toBe(true)
    expect(sandboxOf(sim, conversation.id)?.status).toBe('PAUSED')
    // Counted before pausing: never pause a sandbox another conversation uses.
    const paths = sim.state().requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)
    expect(paths.slice(-2)).toEqual(['GET /api/v1/app-conversations/count', `POST /api/v1/sandboxes/${conversation.sandboxId}/pause`])
    expect(run.summary).toContain('| Agent | finished |')
  })

  it('v1: keeps a finished sandbox running with release-sandbox: false', async () => {
    const sim = await given({ agentWorkMs: 1200 })
    const run = await act({ wait: 'true', 'api-version': 'v1', 'release-sandbox': 'false' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'RUNNING', 'agent-state': 'finished', 'runtime-status': 'RUNNING' })
    expect(sim.state().sandboxes[0].status).toBe('RUNNING')
    expect(sim.state().stopRequests).toBe(0)
  })

  it.each([
    ['v0', 'error'],
    ['v1', 'error'],
    ['v0', 'rejected'],
    ['v1', 'stuck']
  ])('%s: fails when the agent ends in %s, with the outputs set', async (version, state) => {
    const sim = await given({ agentFinishesMs: 1000, agentWorkMs: 1000, runningMs: 60_000, agentFinalState: state as SimulatorOptions['agentFinalState'] })
    const run = await act({ wait: 'true', 'api-version': version })
    expect(run.code).toBe(1)
    expect(failure(run)).toContain(`The agent ended in state ${state}`)
    expect(run.outputs['conversation-id']).not.toBe('')
    // A failure keeps its sandbox, for a person to look at.
    expect(sim.state().stopRequests).toBe(0)
  })

  it('v1: fails at waiting_for_confirmation at once, linking the conversation and saying what to do', async () => {
    const sim = await given({ agentWorkMs: 1000, agentFinalState: 'waiting_for_confirmation' as SimulatorOptions['agentFinalState'] })
    const run = await act({ wait: 'true', 'api-version': 'v1', timeout: '50s' })
    expect(run.code).toBe(1)
    const conversation = sim.state().conversations[0]
    expect(failure(run)).toContain(`The agent is waiting for a person to confirm its next action: see ${sim.url}/conversations/${conversation.id}`)
    expect(failure(run)).toContain('confirm or reject it')
    expect(run.outputs['agent-state']).toBe('waiting_for_confirmation')
    expect(sandboxOf(sim, conversation.id)?.status).toBe('RUNNING')
    // Not the whole timeout: a few polls after the agent stopped.
    expect(sim.state().requests.filter((r) => r.path.startsWith('/api/v1/app-conversations?')).length).toBeLessThan(6)
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

describe('what the agent hands back', () => {
  it.each([
    ['a text answer', 'message'],
    ['the finish tool', 'finish']
  ])('v1: gives its last message (%s), its cost and its tokens, in the outputs, the summary and before the slot is freed', async (_what, agentFinishesWith) => {
    const sim = await given({ agentWorkMs: 1000, agentFinishesWith: agentFinishesWith as SimulatorOptions['agentFinishesWith'] })
    const run = await act({ wait: 'true', 'api-version': 'v1' })
    expect(run.code).toBe(0)
    expect(run.outputs['final-message']).toBe('I have finished the task.')
    expect(Number(run.outputs.cost)).toBeGreaterThan(0)
    expect(run.outputs.cost).toMatch(/^\d+(\.\d+)?$/)
    expect(Number(run.outputs['prompt-tokens'])).toBeGreaterThan(0)
    expect(run.outputs['completion-tokens']).toMatch(/^[1-9]\d*$/)
    expect(run.summary).toContain(`| Cost | $${run.outputs.cost} |`)
    expect(run.summary).toContain('I have finished the task.')
    // The events were read before the sandbox was paused.
    const paths = sim.state().requests.map((r) => r.path.split('?')[0])
    expect(paths.findIndex((p) => p.endsWith('/events/search'))).toBeLessThan(paths.findIndex((p) => p.endsWith('/pause')))
  })

  it('v0: gives the newest agent message as final-message, and no cost (V0 has none)', async () => {
    await given({ agentFinishesMs: 1200, runningMs: 60_000 })
    const run = await act({ wait: 'true', 'api-version': 'v0' })
    expect(run.code).toBe(0)
    expect(run.outputs['final-message']).toBe('I have finished the task.')
    expect(run.outputs).toMatchObject({ cost: '', 'prompt-tokens': '', 'completion-tokens': '' })
  })

  it('without wait, leaves final-message empty', async () => {
    await given()
    const run = await act({ 'api-version': 'v1' })
    expect(run.code).toBe(0)
    expect(run.outputs['final-message']).toBe('')
  })
})

describe('v1: a sandbox the platform pauses', () => {
  it('keeps waiting through a pause mid-task, says so once, and succeeds when the agent finishes after the resume', async () => {
    const sim = await given({ agentWorkMs: 2000, platformPause: { afterMs: 500, resumeAfterMs: 2500 } })
    const run = await act({ wait: 'true', 'api-version': 'v1' })
    expect(run.code).toBe(0)
    expect(run.stdout.match(/OpenHands paused the conversation's sandbox before the agent was seen to finish/g)).toHaveLength(1)
    expect(run.outputs).toMatchObject({ 'agent-state': 'finished', status: 'STOPPED', 'runtime-status': 'PAUSED' })
    const [conversation] = sim.state().conversations
    expect(conversation.finished).toBe(true)
    expect(sandboxOf(sim, conversation.id)?.history.map((h) => h.status)).toEqual(expect.arrayContaining(['PAUSED', 'RUNNING']))
  })

  it('never reports success for a pause that never ends: times out saying so, and sends no pause of its own', async () => {
    const sim = await given({ agentWorkMs: 30_000, platformPause: { afterMs: 400 } })
    const run = await act({ wait: 'true', 'api-version': 'v1', timeout: '5s' })
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(/Timed out waiting.*OpenHands had paused the sandbox and did not resume it in time/)
    expect(failure(run)).not.toContain('was stopped')
    expect(run.stdout).toContain('Nothing to stop: OpenHands had already paused the sandbox.')
    expect(run.outputs['agent-state']).not.toBe('finished')
    expect(run.outputs['runtime-status']).toBe('PAUSED')
    expect(sim.state().stopRequests).toBe(0)
    expect(sim.state().conversations[0].finished).toBe(false)
  })

  it('fails when the sandbox goes to ERROR', async () => {
    await given({ agentWorkMs: 30_000, sandboxFails: { afterMs: 500 } })
    const run = await act({ wait: 'true', 'api-version': 'v1' })
    expect(run.code).toBe(1)
    expect(failure(run)).toContain('The conversation ended with status ERROR (its sandbox failed)')
    expect(run.outputs.status).toBe('ERROR')
  })
})

describe('v1: the account limits', () => {
  it('waits at the concurrency 429 naming the limit and the count, and starts once another job frees its slot', async () => {
    const sim = await given({ maxRunning: 1, agentWorkMs: 800 })
    const other = await otherJob()
    // The other job finishes and releases its sandbox a few seconds in.
    const release = setTimeout(() => void api(`/api/v1/sandboxes/${other.sandboxId}/pause`, 'POST'), 2500)
    try {
      const run = await act({ wait: 'true', 'api-version': 'v1' })
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/The account is at its limit of 1 \(1 running\) running sandboxes .*trying again in/)
      expect(run.outputs['agent-state']).toBe('finished')
      const creates = sim.state().requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/app-conversations')
      // The other job's, the refusals, and one that started: exactly one conversation for this job.
      expect(creates.filter((r) => r.status === 200)).toHaveLength(2)
      expect(creates.filter((r) => r.status === 429).length).toBeGreaterThan(0)
      expect(sim.state().created).toBe(2)
    } finally {
      clearTimeout(release)
    }
  })

  it('honours the request-rate 429: waits as Retry-After says, then goes on', async () => {
    const sim = await given({ rateLimitPerSecond: 1, agentWorkMs: 600 })
    const run = await act({ wait: 'true', 'api-version': 'v1' })
    expect(run.code).toBe(0)
    expect(run.outputs['agent-state']).toBe('finished')
    const requests = sim.state().requests
    const refused = requests.findIndex((r) => r.status === 429)
    expect(refused).toBeGreaterThan(0)
    // The next request waited for the next one-second window.
    expect(requests[refused + 1].at - requests[refused].at).toBeGreaterThanOrEqual(900)
  })
})

describe('api-version', () => {
  it('v1: starts through the start task, with the API trigger and run, and reports the same outputs as V0', async () => {
    const sim = await given()
    const run = await act({ wait: 'true', 'api-version': 'v1', branch: 'dev' })
    expect(run.code).toBe(0)
    const [conversation] = sim.state().conversations
    expect(conversation.version).toBe('V1')
    expect(conversation.body).toEqual({
      initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix the README' }], run: true },
      trigger: 'openhands_api',
      selected_repository: 'octo-org/hello-world',
      selected_branch: 'dev'
    })
    // A paused sandbox reads as STOPPED, as V0 would say it.
    expect(run.outputs).toMatchObject({
      'conversation-id': conversation.id,
      'conversation-url': `${sim.url}/conversations/${conversation.id}`,
      status: 'STOPPED',
      'runtime-status': 'PAUSED'
    })
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
    const sim = await given({ runningMs: 60_000, agentWorkMs: 60_000 })
    const run = await act({ wait: 'true', 'api-version': version }, { signal: { when: /^Waiting for it to finish/, signal: 'SIGTERM' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Received SIGTERM')
    expect(failure(run)).toMatch(/cancelled \(SIGTERM\).*was stopped/)
    expect(sim.state().stopRequests).toBe(1)
    expect(run.outputs['conversation-id']).toBe(sim.state().conversations[0].id)
    expect(run.outputs.status).toBe('STOPPED')
    expect(run.summary).toContain('stopped by this step')
    if (version === 'v0') expect(sim.state().conversations[0].stoppedAt).not.toBeNull()
    else expect(sim.state().sandboxes[0].status).toBe('PAUSED')
  })

  it('v1: pauses only its own conversation when its sandbox is shared with another job, never the sandbox', async () => {
    const sim = await given({ sandboxGrouping: true, agentWorkMs: 60_000 })
    const other = await otherJob()
    const run = await act({ wait: 'true', 'api-version': 'v1' }, { signal: { when: /^Waiting for it to finish/, signal: 'SIGTERM' } })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('the agent is paused; its sandbox, shared with other conversations, still runs')
    const mine = sim.state().conversations.find((c) => c.id === run.outputs['conversation-id'])
    expect(mine?.sandboxId).toBe(other.sandboxId)
    expect(mine?.agentState).toBe('paused')
    expect(sim.state().conversations.find((c) => c.id === other.id)?.agentState).toBe('running')
    expect(sim.state().sandboxes.map((s) => s.status)).toEqual(['RUNNING'])
    expect(sim.state().requests.some((r) => /\/api\/v1\/sandboxes\/.*\/pause$/.test(r.path))).toBe(false)
    expect(run.outputs).toMatchObject({ status: 'STOPPED', 'agent-state': 'paused' })
  })

  it('stops the conversation when the step runs out of its own timeout', async () => {
    const sim = await given({ runningMs: 60_000 })
    const run = await act({ wait: 'true', timeout: '3s', 'api-version': 'v0' })
    expect(run.code).toBe(1)
    expect(failure(run)).toMatch(/Timed out waiting.*was stopped/)
    expect(sim.state().stopRequests).toBe(1)
  })

  it('leaves it running with stop-on-cancel: false', async () => {
    const sim = await given({ runningMs: 60_000, agentWorkMs: 60_000 })
    const run = await act({ wait: 'true', 'stop-on-cancel': 'false' }, { signal: { when: /^Waiting for it to finish/, signal: 'SIGINT' } })
    expect(run.code).toBe(1)
    expect(sim.state().stopRequests).toBe(0)
    expect(sim.state().sandboxes[0].status).toBe('RUNNING')
  })
})
