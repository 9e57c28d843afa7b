// A cancelled job: the runner sends SIGTERM (after SIGINT) and kills the step a
// few seconds later. Within that time the action must stop the conversation, so
// it does not go on spending credits, and still write its outputs and summary.
import { runAction } from '../scripts/action-runner.js'
import { startSimulator } from '../simulator/server.js'
import { API_KEY, fig, runIfMain, seconds } from './lib.js'

/** @typedef {import('./lib.js').Figure} Figure */

const WAITING = /Waiting for it to finish/
const TARGET_MS = 5000

/**
 * @param {'v0' | 'v1'} version
 * @returns {Promise<Figure[]>}
 */
async function cancel(version) {
  const simulator = await startSimulator({ apiKey: API_KEY, port: 0, runningMs: 600_000 })
  try {
    let signalledAt = NaN
    const run = await runAction(
      { 'api-key': API_KEY, message: 'A long task', 'base-url': simulator.url, wait: 'true', 'poll-interval': '5s', timeout: '2m', 'api-version': version },
      {
        timeoutMs: 60_000,
        // runAction calls onLine just before it sends the signal for the same line.
        onLine: (line) => {
          if (Number.isNaN(signalledAt) && WAITING.test(line)) signalledAt = Date.now()
        },
        signal: { when: WAITING, signal: 'SIGTERM' }
      }
    )
    const exitedAt = Date.now()
    const state = simulator.state()
    const [conversation] = state.conversations
    const stoppedAt = conversation?.stoppedAt ?? Infinity
    const toStop = stoppedAt - signalledAt
    const toExit = exitedAt - signalledAt
    const id = run.outputs['conversation-id'] ?? ''
    const written = id !== '' && id === conversation?.id && run.summary.trim() !== ''
    console.log(
      `[cancel ${version}] exit ${run.code}; conversation ${conversation?.status}, stop requests ${state.stopRequests}; ` +
        `signal → stopped ${seconds(toStop)}, signal → exit ${seconds(toExit)}; outputs: status ${run.outputs.status}, summary ${run.summary.length} chars`
    )
    const tag = `cancel ${version}:`
    return [
      fig(`${tag} SIGTERM → conversation stopped`, seconds(toStop), `< ${seconds(TARGET_MS)}`, toStop < TARGET_MS),
      fig(`${tag} SIGTERM → process exit`, seconds(toExit), `< ${seconds(TARGET_MS)}`, toExit < TARGET_MS),
      fig(`${tag} conversation-id output, summary written`, written ? 'yes' : `id "${id}", summary ${run.summary.length} chars`, 'yes', written)
    ]
  } finally {
    await simulator.close()
  }
}

/** @returns {Promise<Figure[]>} */
export async function run() {
  const [v0, v1] = await Promise.all([cancel('v0'), cancel('v1')])
  return [...v0, ...v1]
}

await runIfMain(import.meta.url, run)
