// 30 jobs of one account waiting together with the default poll interval: their
// polling must stay under the account's rate limit (100 requests a minute), and
// each job must still notice the agent finishing within one poll interval.
import { runAction } from '../scripts/action-runner.js'
import { API_KEY, fig, median, runIfMain, seconds, sleep, startSimulatorProcess, startTogether } from './lib.js'

/** @typedef {import('./lib.js').Figure} Figure */

const JOBS = 30
const RATE_LIMIT = 100
const AGENT_FINISHES_MS = 45_000
const POLL_INTERVAL_MS = 30_000 // action.yml's default, not passed
const EXIT_SLACK_MS = 2000
// Counted from the moment every job has asked for its conversation (the last
// create request): from then on all 30 are in the waiting phase.
const WINDOW = { from: 10_000, to: 70_000 }
const STRETCHED = /request budget is low; next check in (.+)\./
// Safety net per job: the agent finishes at 45 s after its conversation started,
// so a job should be gone ~62 s after that; a slow boot (up to ~20 s when 30 node
// processes start at once on 2 cores) and a doubled poll (90 s) still fit.
const JOB_KILL_MS = 150_000
const CREATE_PATH = /^\/api\/(?:conversations|v1\/app-conversations)$/

/** @typedef {Awaited<ReturnType<typeof startSimulatorProcess>>} SimulatorProcess */

/**
 * @param {'v0' | 'v1'} version
 * @param {SimulatorProcess} simulator
 * @returns {Promise<Figure[]>}
 */
async function polling(version, simulator) {
  /** @type {number[]} */
  const exits = []
  /** @type {Set<number>} */
  const stretched = new Set()
  /** @type {Set<string>} */
  const stretches = new Set()
  const { releasedAt: start, results: runs } = await startTogether(JOBS, (job, gate) =>
    runAction(
      { 'api-key': API_KEY, message: `Polling job ${job + 1} of ${JOBS}`, 'base-url': simulator.jobUrl(job), wait: 'true', 'api-version': version },
      {
        env: gate.env,
        timeoutMs: JOB_KILL_MS,
        onLine: (line) => {
          gate.onLine(line)
          const stretch = STRETCHED.exec(line)
          if (stretch) {
            stretched.add(job)
            stretches.add(stretch[1])
          }
        }
      }
    ).then((run) => {
      exits[job] = Date.now()
      return run
    })
  )
  const { simulator: state, tagged } = await simulator.state()
  const requests = state.requests
  const creates = requests.filter((r) => r.method === 'POST' && CREATE_PATH.test(r.path))
  const waiting = Math.max(...creates.map((r) => r.at))
  const inWindow = requests.filter((r) => r.at >= waiting + WINDOW.from && r.at < waiting + WINDOW.to).length
  const perMinute = (inWindow * 60_000) / (WINDOW.to - WINDOW.from)
  // Thirty jobs released together start in a burst that Cloud's 10-a-second limit
  // refuses in part (the action waits and tries again); the budget that polling
  // must not exceed is the waiting phase's, the same window as requests/min.
  const limited = requests.filter((r) => r.status === 429 && r.at >= waiting + WINDOW.from && r.at < waiting + WINDOW.to).length
  const limitedAtStart = requests.filter((r) => r.status === 429 && r.at < waiting + WINDOW.from).length
  const succeeded = runs.filter((r) => r.code === 0).length

  const createdAt = new Map(state.conversations.map((c) => [c.id, c.createdAt]))
  /** @type {number[]} */
  const delays = []
  let killed = 0
  /** The job's conversation: its output, or for a killed job the one it was polling. @param {number} job */
  const conversationOf = (job) =>
    runs[job].outputs['conversation-id'] ||
    tagged
      .filter((r) => r.job === job && r.method === 'GET' && !r.path.includes('start-tasks'))
      .map((r) => /[0-9a-f]{32}/.exec(r.path)?.[0])
      .find((id) => id !== undefined)
  runs.forEach((run, job) => {
    const created = createdAt.get(conversationOf(job) ?? '')
    // A job killed by the safety net wrote no outputs: its delay is at least the time until the kill.
    if (run.code === null) {
      killed++
      // What it was doing: its last lines, with its own times.
      console.log(`[polling ${version}] job ${job + 1} killed; its log ended:\n  ${run.stdout.trim().split('\n').slice(-12).join('\n  ')}`)
    }
    if (created !== undefined) delays.push(exits[job] - (created + AGENT_FINISHES_MS))
  })
  const worst = delays.length > 0 ? Math.max(...delays) : Infinity
  const worstText = killed > 0 ? `> ${seconds(worst)} (${killed} killed)` : delays.length === JOBS ? seconds(worst) : `${delays.length}/${JOBS} measured`
  const worstOk = killed === 0 && delays.length === JOBS && worst <= POLL_INTERVAL_MS + EXIT_SLACK_MS

  // Requests per 10 s bucket, to show when the waves of polls come.
  /** @type {number[]} */
  const buckets = []
  for (const r of requests) {
    const bucket = Math.floor((r.at - start) / 10_000)
    buckets[bucket] = (buckets[bucket] ?? 0) + 1
  }
  const byKind = new Map()
  for (const r of requests.filter((r) => r.at >= waiting + WINDOW.from && r.at < waiting + WINDOW.to)) {
    const kind = `${r.method} ${r.path.replace(/[0-9a-f]{32}/g, '{id}').replace(/\?.*$/, '')}`
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
  }
  console.log(
    [
      `[polling ${version}] requests per 10 s after the start: ${Array.from(buckets, (n) => n ?? 0).join(' ')} (total ${requests.length})`,
      `[polling ${version}] the last job asked for its conversation ${seconds(waiting - start)} after the start; ` +
        `in the window ${WINDOW.from / 1000}–${WINDOW.to / 1000} s after that: ${[...byKind].map(([k, n]) => `${n} × ${k}`).join(', ')}`,
      `[polling ${version}] agent finished → job exit: median ${seconds(median(delays))}, max ${worstText}; jobs exited 0: ${succeeded}/${JOBS}`,
      `[polling ${version}] jobs that stretched a poll because the account's budget was low: ${stretched.size} (to ${[...stretches].join(', ') || '—'})`
    ].join('\n')
  )

  const tag = `polling ${version}:`
  return [
    fig(`${tag} jobs succeeded`, `${succeeded}/${JOBS}`, `${JOBS}/${JOBS}`, succeeded === JOBS),
    fig(`${tag} requests/min, waiting phase`, perMinute.toFixed(0), `< ${RATE_LIMIT}`, perMinute < RATE_LIMIT),
    fig(`${tag} 429s received, waiting phase`, String(limited), '0', limited === 0),
    fig(`${tag}   429s received in the start burst`, String(limitedAtStart), 'info', true),
    fig(`${tag} agent finished → job exit (max)`, worstText, `≤ ${seconds(POLL_INTERVAL_MS + EXIT_SLACK_MS)}`, worstOk)
  ]
}

/** @param {'v0' | 'v1'} version */
async function withSimulator(version) {
  const simulator = await startSimulatorProcess({
    apiKey: API_KEY,
    rateLimitPerMinute: RATE_LIMIT,
    maxRunning: JOBS,
    agentFinishesMs: AGENT_FINISHES_MS,
    // V1: the agent works that long after its start task; the sandbox lives on.
    agentWorkMs: AGENT_FINISHES_MS,
    runningMs: 600_000
  })
  return { simulator, figures: () => polling(version, simulator).finally(() => simulator.close()) }
}

/** @returns {Promise<Figure[]>} */
export async function run() {
  // V0 and V1 wait side by side, each against its own simulator (its own rate
  // limit), to keep this under 2.5 minutes. Starting 30 node processes saturates
  // both cores for seconds, so V1's jobs start only once all of V0's have asked
  // for their conversation: the boots do not overlap, and the polling is light.
  const v0 = await withSimulator('v0')
  const v0Figures = v0.figures()
  try {
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline && (await v0.simulator.state()).simulator.createAttempts < JOBS) await sleep(250)
    const v1 = await withSimulator('v1')
    const [a, b] = await Promise.all([v0Figures, v1.figures()])
    return [...a, ...b]
  } catch (error) {
    // Let V0's jobs finish and its simulator close before giving up.
    await v0Figures.catch(() => undefined)
    throw error
  }
}

await runIfMain(import.meta.url, run)
