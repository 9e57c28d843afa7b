// A matrix of 30 jobs sharing one API key against an account that may run 10
// conversations at once: every job must get exactly one conversation, the waves
// must follow each other closely, and the retries must be spread out (jitter).
// V1 runs on production semantics: 429 at the sandbox limit, and a finished
// conversation's sandbox holds its slot until the step pauses it.
import { join } from 'node:path'
import { runAction } from '../scripts/action-runner.js'
import { API_KEY, ROOT, bundle, fig, launch, median, runIfMain, seconds, startSimulatorProcess, startTogether } from './lib.js'

/** @typedef {import('./lib.js').Figure} Figure */

const JOBS = 30
const MAX_RUNNING = 10
// One round of work a slot carries: V1's start task then the agent's work; V0's
// runtime start then its run (the agent finishes as the runtime stops).
const START_TASK_MS = 600
const AGENT_WORK_MS = 3000
const ROUND_MS = START_TASK_MS + AGENT_WORK_MS
const ROUNDS = Math.ceil(JOBS / MAX_RUNNING)
const MAKESPAN_TARGET_RATIO = 1.2
const JITTER_WINDOW_MS = 50
// The account: 10 sandboxes, 429 at the limit (the simulator's default), a
// finished sandbox idle for longer than the benchmark, no request-rate limit
// (the rate limit has its own benchmark, bench/polling.js).
const SIMULATOR = {
  apiKey: API_KEY,
  maxRunning: MAX_RUNNING,
  startTaskMs: START_TASK_MS,
  agentWorkMs: AGENT_WORK_MS,
  startingMs: START_TASK_MS,
  runningMs: AGENT_WORK_MS,
  idleMs: 15 * 60_000,
  rateLimitPerMinute: 0,
  rateLimitPerSecond: 0
}
// Safety net per job: the step's own timeout is 2 minutes.
const JOB_KILL_MS = 150_000
const CREATE_PATH = /^\/api\/(?:conversations|v1\/app-conversations)$/
const PAUSE_PATH = /^\/api\/v1\/sandboxes\/[^/]+\/pause$/

/**
 * What this machine allows before the action does anything: 30 copies of the
 * bare two-request script (bench/baseline.js) released through the same gate,
 * against the same simulator. Every slot must carry three rounds of work one
 * after another, so no job can end before the slot filled last in the first
 * wave has run three: the 10th POST to arrive + 3 × (0.6 s + 3 s) bounds the
 * makespan from below, whatever the jobs do. On 2 cores that bound is set by 30
 * Node.js processes booting at once, which a real matrix (one runner per job) does not have.
 * @returns {Promise<number>} ms from the release to the 10th POST's arrival
 */
async function bootFloor() {
  const simulator = await startSimulatorProcess({ ...SIMULATOR, maxRunning: JOBS })
  // Bundled as dist/ is, so the floor costs what a step built the same way costs.
  const baseline = bundle(join(ROOT, 'bench/baseline.js'))
  try {
    const { releasedAt } = await startTogether(JOBS, (job, gate) =>
      launch({
        script: baseline.script,
        inputs: { 'api-key': API_KEY, message: `Floor job ${job + 1}`, 'base-url': simulator.jobUrl(job), repository: 'octo-org/hello-world' },
        env: gate.env,
        onLine: gate.onLine,
        timeoutMs: 30_000
      })
    )
    const { tagged } = await simulator.state()
    const posts = tagged
      .filter((r) => r.method === 'POST' && CREATE_PATH.test(r.path))
      .map((r) => r.at - releasedAt)
      .sort((a, b) => a - b)
    console.log(
      `[matrix floor] ${posts.length} bare scripts released together; their POSTs arrived at (s): ${posts.map((ms) => (ms / 1000).toFixed(2)).join(' ')}`
    )
    return posts[MAX_RUNNING - 1]
  } finally {
    baseline.dispose()
    await simulator.close()
  }
}

/**
 * @param {'v0' | 'v1'} version
 * @param {number} floorMs the 10th bare POST's arrival (bootFloor)
 * @returns {Promise<Figure[]>}
 */
async function matrix(version, floorMs) {
  const simulator = await startSimulatorProcess(SIMULATOR)
  try {
    /** @type {number[]} */
    const exits = []
    const {
      releasedAt: firstSpawn,
      spawnMs,
      results: runs
    } = await startTogether(JOBS, (job, gate) =>
      runAction(
        {
          'api-key': API_KEY,
          message: `Matrix job ${job + 1} of ${JOBS}`,
          'base-url': simulator.jobUrl(job),
          wait: 'true',
          'poll-interval': '1',
          timeout: '2m',
          'api-version': version
        },
        { env: gate.env, onLine: gate.onLine, timeoutMs: JOB_KILL_MS }
      ).then((run) => {
        exits.push(Date.now())
        return run
      })
    )
    const { simulator: state, tagged } = await simulator.state()
    const makespan = Math.max(...exits) - firstSpawn
    const succeeded = runs.filter((r) => r.code === 0 && r.outputs['conversation-id'] !== '').length
    const finished = runs.filter((r) => r.outputs['agent-state'] === 'finished').length
    const duplicates = state.created - JOBS
    const attempts = state.createAttempts / JOBS

    // Each job's POSTs as they arrived at the server, in order.
    const posts = Array.from({ length: JOBS }, (_, job) => tagged.filter((r) => r.job === job && r.method === 'POST' && CREATE_PATH.test(r.path)))
    // The first retry wave: the second POST of every job whose first was refused.
    const retries = posts
      .filter((p) => p.length >= 2 && p[0].status === 429)
      .map((p) => p[1].at)
      .sort((a, b) => a - b)
    const spread = retries.length > 0 ? retries[retries.length - 1] - retries[0] : 0
    let cluster = 0
    for (let i = 0, j = 0; i < retries.length; i++) {
      while (retries[i] - retries[j] > JITTER_WINDOW_MS) j++
      cluster = Math.max(cluster, i - j + 1)
    }
    const slots = new Set(retries.map((at) => Math.floor((at - firstSpawn) / JITTER_WINDOW_MS))).size
    const firstPost = Math.min(...posts.flat().map((r) => r.at)) - firstSpawn
    const lastFirstPost = Math.max(...posts.filter((p) => p.length > 0).map((p) => p[0].at)) - firstSpawn
    const created = state.conversations.map((c) => c.createdAt - firstSpawn).sort((a, b) => a - b)
    const fromFirstPost = makespan - firstPost
    // When each slot came free: V1, when a job paused its finished sandbox (a
    // finished sandbox holds its slot until then); V0, when the runtime stopped.
    const ends =
      version === 'v1' ? tagged.filter((r) => r.method === 'POST' && PAUSE_PATH.test(r.path)).map((r) => r.at - firstSpawn) : created.map((ms) => ms + ROUND_MS)
    ends.sort((a, b) => a - b)
    // The i-th slot to come free is the one the (MAX_RUNNING + i)-th conversation
    // takes: the gap is how long a slot stood idle while jobs waited for one.
    const handovers = created.slice(MAX_RUNNING).map((ms, i) => ms - ends[i])
    const lastEnd = Math.max(...ends)
    const s1 = (/** @type {number} */ ms) => (ms / 1000).toFixed(1)
    console.log(
      [
        `[matrix ${version}] conversations created at (s after the start): ${created.map(s1).join(' ')}`,
        `[matrix ${version}] ${JOBS} jobs spawned (held at the start gate) in ${s1(spawnMs)} s, then released together; the first POST arrived at ${s1(firstPost)} s, the last job's first POST at ${s1(lastFirstPost)} s; ` +
          `POSTs per job ${Math.min(...posts.map((p) => p.length))}–${Math.max(...posts.map((p) => p.length))}; ` +
          `the last conversation ended at ${s1(lastEnd)} s, the last job exited at ${s1(makespan)} s`,
        `[matrix ${version}] idle slot before the next job took it (s): ${handovers.map(s1).join(' ')}`,
        `[matrix ${version}] first retry wave: ${retries.length} POSTs over ${spread} ms in ${slots} distinct ${JITTER_WINDOW_MS} ms slots, ` +
          `at most ${cluster} within ${JITTER_WINDOW_MS} ms; arrivals (s): ${retries.map((at) => ((at - firstSpawn) / 1000).toFixed(2)).join(' ')}`
      ].join('\n')
    )
    for (const run of runs.filter((r) => r.code !== 0)) {
      console.log(
        `[matrix ${version}] a job failed (exit ${run.code}): ${run.stdout
          .split('\n')
          .filter((/** @type {string} */ l) => l.startsWith('::error::'))
          .join(' ')}`
      )
    }

    const tag = `matrix ${version}:`
    const floor = floorMs + ROUNDS * ROUND_MS
    const ratio = makespan / floor
    return [
      fig(`${tag} jobs succeeded`, `${succeeded}/${JOBS}`, `${JOBS}/${JOBS}`, succeeded === JOBS),
      fig(`${tag} agents seen finished (agent-state output)`, `${finished}/${JOBS}`, `${JOBS}/${JOBS}`, finished === JOBS),
      fig(`${tag} duplicate conversations (created − ${JOBS})`, String(duplicates), '0', duplicates === 0),
      fig(`${tag} makespan / floor measured in this run`, ratio.toFixed(2), `≤ ${MAKESPAN_TARGET_RATIO}`, ratio <= MAKESPAN_TARGET_RATIO),
      fig(`${tag}   makespan, start → last exit`, seconds(makespan), 'info', true),
      fig(`${tag}   floor: bare scripts' 10th POST + ${ROUNDS} × ${seconds(ROUND_MS)}`, seconds(floor), 'info', true),
      fig(`${tag}   10th conversation created (first wave filled)`, seconds(created[MAX_RUNNING - 1]), 'info', true),
      fig(`${tag}   of which start → first POST`, seconds(firstPost), 'info', true),
      fig(`${tag}   start → every job has POSTed once`, seconds(lastFirstPost), 'info', true),
      fig(`${tag}   of which first POST → last exit`, seconds(fromFirstPost), 'info', true),
      fig(`${tag}   slot idle before a waiting job took it`, `median ${seconds(median(handovers))}, max ${seconds(Math.max(...handovers))}`, 'info', true),
      fig(`${tag}   last conversation end → last exit`, seconds(makespan - lastEnd), 'info', true),
      fig(`${tag} POST attempts per job (mean)`, attempts.toFixed(2), '≤ 6', attempts <= 6),
      fig(`${tag} peak concurrent running`, String(state.maxConcurrentRunning), `≤ ${MAX_RUNNING}`, state.maxConcurrentRunning <= MAX_RUNNING),
      fig(
        `${tag} first-retry arrivals (${retries.length} jobs)`,
        `spread ${spread} ms, max ${cluster} in ${JITTER_WINDOW_MS} ms`,
        `not all in ${JITTER_WINDOW_MS} ms`,
        retries.length > 1 && cluster < retries.length
      )
    ]
  } finally {
    await simulator.close()
  }
}

/** @returns {Promise<Figure[]>} */
export async function run() {
  const floorMs = await bootFloor()
  return [
    fig(`matrix: 10th of ${JOBS} bare scripts' POSTs (boot floor)`, seconds(floorMs), 'info', true),
    ...(await matrix('v0', floorMs)),
    ...(await matrix('v1', floorMs))
  ]
}

await runIfMain(import.meta.url, run)
