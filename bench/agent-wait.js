// The acceptance case: the agent finishes while its runtime keeps running
// (as Cloud runtimes idle for up to an hour). The step must end within one poll
// interval of the agent finishing, not when the runtime stops.
import { runAction } from '../scripts/action-runner.js'
import { startSimulator } from '../simulator/server.js'
import { API_KEY, fig, runIfMain, seconds } from './lib.js'

/** @typedef {import('./lib.js').Figure} Figure */

const AGENT_FINISHES_MS = 20_000
const POLL_INTERVAL_MS = 5000

/**
 * @param {'v0' | 'v1'} version
 * @returns {Promise<Figure[]>}
 */
async function agentWait(version) {
  const simulator = await startSimulator({ apiKey: API_KEY, port: 0, agentFinishesMs: AGENT_FINISHES_MS, agentWorkMs: AGENT_FINISHES_MS, runningMs: 600_000 })
  try {
    const run = await runAction(
      {
        'api-key': API_KEY,
        message: 'Fix the typo in the README',
        'base-url': simulator.url,
        wait: 'true',
        'poll-interval': '5s',
        timeout: '2m',
        'api-version': version
      },
      { timeoutMs: 60_000 }
    )
    const exitedAt = Date.now()
    const [conversation] = simulator.state().conversations
    const delay = conversation ? exitedAt - (conversation.createdAt + AGENT_FINISHES_MS) : Infinity
    const { status, 'agent-state': agentState } = run.outputs
    console.log(
      `[agent-wait ${version}] exit ${run.code}; status ${status}, agent-state ${agentState}, runtime at the end: ${conversation?.status}; ` +
        `agent finished → step ended ${seconds(delay)}`
    )
    const tag = `agent-wait ${version}:`
    // V1 pauses the finished agent's sandbox to free its slot (release-sandbox): STOPPED in V0's words.
    const expected = version === 'v1' ? 'STOPPED' : 'RUNNING'
    return [
      fig(`${tag} agent finished → step ended`, seconds(delay), `≤ ${seconds(POLL_INTERVAL_MS)}`, delay <= POLL_INTERVAL_MS),
      fig(
        `${tag} exit code, status, agent-state`,
        `${run.code}, ${status || '—'}, ${agentState || '—'}`,
        `0, ${expected}, finished`,
        run.code === 0 && status === expected && agentState === 'finished'
      )
    ]
  } finally {
    await simulator.close()
  }
}

/** @returns {Promise<Figure[]>} */
export async function run() {
  // One job each, mostly asleep: V0 and V1 side by side cost nothing in accuracy.
  const [v0, v1] = await Promise.all([agentWait('v0'), agentWait('v1')])
  return [...v0, ...v1]
}

await runIfMain(import.meta.url, run)
