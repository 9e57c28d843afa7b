// The fault suite: the committed dist/index.js, run as the runner runs it, against
// the simulator misbehaving in every way it can, on V0 and V1, while starting and
// while waiting. Every fault is either SURVIVED (exit 0, the right outputs) or
// REPORTED (exit 1, one clear ::error:: line). Never, in any case: a crash (stack
// trace, TypeError, unhandled rejection), a run that outlives its own `timeout`, a
// second conversation, or the api-key in anything a user can see.
import { describe, expect, it } from '@jest/globals'
import { runAction, type ActionRun } from '../scripts/action-runner.js'
import { FAULT_KINDS, type FaultSpec } from '../simulator/faults.js'
import type { SimulatorOptions, SimulatorState } from '../simulator/server.js'
import { startCheckedSimulator } from './helpers/checked-simulator.js'

const KEY = 'oh-fault-key-3f9c1a7e5b2d8046'
const MESSAGE = 'Fix the README'
const DEFAULT_TIMEOUT_S = 8
// runAction's own kill switch. A run it had to end would have exit code null.
const SAFETY_NET_MS = 30_000
// Independent cases, each with its own simulator, run side by side, at most this many at once.
const CONCURRENCY = 4
const TEST_TIMEOUT_MS = 90_000

type Version = 'v0' | 'v1'
type Phase = 'start' | 'task' | 'wait' | 'events' | 'stop'

interface Expectation {
  outcome: 'survived' | 'reported'
  /** The ::error:: line, for reported cases. */
  error?: RegExp
  /** Conversations the simulator created: never more than one. */
  created: 0 | 1
  /** Start requests that reached the simulator; 1 unless the fault provably created nothing (429). */
  createAttempts?: number
  /** The run ends at its own `timeout` (a time-out, not a quicker report). */
  timedOut?: boolean
  timeoutS?: number
  /** After each 429 on the faulted route, the next request to it came at least this much later. */
  waitsAtLeastMs?: number
  /** Survived: the final outputs, when not STOPPED (and the agent's state, if it matters). */
  status?: string
  agentState?: string
  /** Something the log must say. */
  log?: RegExp
  stopRequests?: number
  simulator?: SimulatorOptions
}

interface Case extends Expectation {
  name: string
  version: Version
  phase: Phase
  faults: FaultSpec[]
}

// ---------------------------------------------------------------------------
// The one set of checks every case goes through.

/** The api-key may appear only in the `::add-mask::` line (first, once), which the runner consumes. */
function expectNoLeak(run: ActionRun): void {
  const mask = `::add-mask::${KEY}`
  const lines = run.stdout.split('\n')
  expect(lines[0]).toBe(mask)
  expect(lines.filter((line) => line.includes(KEY))).toEqual([mask])
  const visible: Array<[string, string]> = [
    ['stdout', lines.slice(1).join('\n')],
    ['stderr', run.stderr],
    ['summary', run.summary],
    ['outputs', JSON.stringify(run.outputs)],
    ...Object.entries(run.outputs).map(([name, value]): [string, string] => [`output ${name}`, value])
  ]
  for (const [where, text] of visible) expect({ where, leaksKey: text.includes(KEY) }).toEqual({ where, leaksKey: false })
}

// A stack frame ("    at foo (file.js:1:2)"), a JS error class, or Node's unhandled-rejection report.
const CRASH = /\b(TypeError|ReferenceError|RangeError|SyntaxError)\b|Unhandled|uncaught|^\s+at\s|node:internal|\.js:\d+:\d+/im
// On a failure the action puts the error's stack in the debug log (one `::debug::` line, shown only with
// step debug logging on) for whoever has to look deeper. That is by design, but its error must be one of
// the action's own typed errors: a TypeError there is a crash that explain() merely papered over.
const TYPED_ERRORS = new Set([
  'AuthError',
  'NotFoundError',
  'RequestError',
  'RateLimitError',
  'ServerError',
  'NetworkError',
  'ProtocolError',
  'StartTaskError',
  'StepTimeoutError'
])

function expectNoCrash(run: ActionRun): void {
  const lines = run.stdout.split('\n')
  const shown = lines.filter((line) => !line.startsWith('::debug::')).join('\n')
  expect({ stream: 'stdout', crash: CRASH.exec(shown)?.[0] }).toEqual({ stream: 'stdout', crash: undefined })
  expect({ stream: 'stderr', crash: CRASH.exec(run.stderr)?.[0] }).toEqual({ stream: 'stderr', crash: undefined })
  const stacks = lines.filter((line) => line.startsWith('::debug::') && line.includes('%0A    at '))
  for (const stack of stacks) {
    const errorName = /^::debug::(\w+)/.exec(stack)?.[1] ?? stack
    expect({ errorName, typed: TYPED_ERRORS.has(errorName) }).toEqual({ errorName, typed: true })
  }
}

const errorLines = (run: ActionRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error'))

const ROUTE_REQUEST: Record<string, (method: string, path: string) => boolean> = {
  create: (m, p) => m === 'POST' && p === '/api/conversations',
  get: (m, p) => m === 'GET' && /^\/api\/conversations\/[^/?]+$/.test(p),
  events: (m, p) => m === 'GET' && /^\/api\/conversations\/[^/]+\/events/.test(p),
  stop: (m, p) => m === 'POST' && /^\/api\/conversations\/[^/]+\/stop$/.test(p),
  'v1-create': (m, p) => m === 'POST' && p === '/api/v1/app-conversations',
  'v1-task': (m, p) => m === 'GET' && p.startsWith('/api/v1/app-conversations/start-tasks?'),
  'v1-get': (m, p) => m === 'GET' && p.startsWith('/api/v1/app-conversations?'),
  'v1-pause': (m, p) => m === 'POST' && /^\/api\/v1\/sandboxes\/[^/]+\/pause$/.test(p)
}

/** [429 at, next request at] on the route, for every 429 it answered. */
function retriesAfter429(state: SimulatorState, route: string): Array<{ refusedAt: number; nextAt: number | undefined }> {
  const matches = ROUTE_REQUEST[route]
  const onRoute = state.requests.filter((r) => matches(r.method, r.path))
  return onRoute.flatMap((r, i) => (r.status === 429 ? [{ refusedAt: r.at, nextAt: onRoute[i + 1]?.at }] : []))
}

interface Result {
  run: ActionRun
  elapsedMs: number
  state: SimulatorState
  url: string
}

async function exercise(c: Case): Promise<Result> {
  // Faulted answers are broken on purpose; every request, and every other answer, must still conform.
  const sim = await startCheckedSimulator({ apiKey: KEY, startingMs: 200, runningMs: 800, startTaskMs: 200, faults: c.faults, ...c.simulator })
  try {
    const began = Date.now()
    const run = await runAction(
      {
        'api-key': KEY,
        message: MESSAGE,
        'base-url': sim.url,
        'api-version': c.version,
        wait: 'true',
        'poll-interval': '1s',
        timeout: `${c.timeoutS ?? DEFAULT_TIMEOUT_S}s`
      },
      { timeoutMs: SAFETY_NET_MS }
    )
    return { run, elapsedMs: Date.now() - began, state: sim.state(), url: sim.url }
  } finally {
    await sim.close()
  }
}

function judge(c: Case, { run, elapsedMs, state, url }: Result): void {
  const timeoutMs = (c.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000
  // Ended by itself, with an exit code: a step that outlived its own timeout would be killed by the safety net (no code).
  expect(run.code === 0 || run.code === 1).toBe(true)
  expectNoCrash(run)
  expectNoLeak(run)
  // Never a second conversation.
  expect(state.created).toBeLessThanOrEqual(1)
  expect(state.created).toBe(c.created)
  expect(state.createAttempts).toBe(c.createAttempts ?? 1)
  if (c.stopRequests !== undefined) expect(state.stopRequests).toBe(c.stopRequests)
  expect(run.outputs.triggered).toBe('true')
  if (c.log) expect(run.stdout).toMatch(c.log)

  const conversation = state.conversations[0]
  const errors = errorLines(run)
  if (c.outcome === 'survived') {
    expect(errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      'conversation-id': conversation.id,
      'conversation-url': `${url}/conversations/${conversation.id}`,
      status: c.status ?? 'STOPPED',
      title: MESSAGE
    })
    expect(run.summary).toContain(`(${url}/conversations/${conversation.id})`)
    expect(run.summary).not.toContain('**Failed:**')
  } else {
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(c.error ?? /./)
    expect(run.code).toBe(1)
    if (c.status !== undefined) expect(run.outputs.status).toBe(c.status)
    // The outputs are written on every path once a conversation is known.
    const known = c.phase !== 'start' && c.phase !== 'task'
    expect(run.outputs['conversation-id']).toBe(known ? conversation.id : '')
    expect(run.summary).toContain('**Failed:**')
  }
  if (c.agentState !== undefined) expect(run.outputs['agent-state']).toBe(c.agentState)
  // The step gives up once the next try could not end within its timeout: up to a poll interval (1 s) early.
  if (c.timedOut) expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 1500)
  else if (c.outcome === 'reported') expect(errors[0]).not.toMatch(/Timed out/)

  if (c.waitsAtLeastMs !== undefined) {
    const route = c.faults[0].route ?? 'any'
    const retries = retriesAfter429(state, route)
    expect(retries.length).toBeGreaterThan(0)
    for (const { refusedAt, nextAt } of retries) {
      expect(nextAt).toBeDefined()
      // The simulator stamps arrival; 50 ms of leeway for the answer's trip back.
      expect((nextAt ?? 0) - refusedAt).toBeGreaterThanOrEqual(c.waitsAtLeastMs - 50)
    }
  }
}

/** At most CONCURRENCY cases at once, whatever jest's own maxConcurrency. */
let running = 0
const queue: Array<() => void> = []
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENCY) await new Promise<void>((resolve) => queue.push(resolve))
  running++
  try {
    return await work()
  } finally {
    running--
    queue.shift()?.()
  }
}

async function check(c: Case): Promise<void> {
  judge(c, await slot(() => exercise(c)))
}

// ---------------------------------------------------------------------------
// The cases.

const START_ROUTE = { v0: 'create', v1: 'v1-create' } as const
const WAIT_ROUTE = { v0: 'get', v1: 'v1-get' } as const

/** The same fault, on V0's and V1's route for the phase. */
function onBoth(
  phase: 'start' | 'wait',
  name: string,
  fault: Omit<FaultSpec, 'route'>,
  expectation: Expectation | ((version: Version) => Expectation)
): Case[] {
  return (['v0', 'v1'] as const).map((version) => ({
    name,
    version,
    phase,
    faults: [{ ...fault, route: (phase === 'start' ? START_ROUTE : WAIT_ROUTE)[version] } as FaultSpec],
    ...(typeof expectation === 'function' ? expectation(version) : expectation)
  }))
}

const MAY_HAVE_STARTED = /Starting the conversation failed: .*It may have started anyway/
const TOO_LARGE = /more than the 1048576 (bytes )?this API ever sends/
const STORM_TIMEOUT_S = 20
// The start task's time-outs end the same way as the start's: a shorter timeout keeps the suite quick.
const SHORT_TIMEOUT_S = 5

const startCases: Case[] = [
  ...onBoth(
    'start',
    'a 5xx burst (503 x3)',
    { kind: 'status', statusCode: 503, count: 3 },
    { outcome: 'reported', error: /Starting the conversation failed: .* answered 503.*It may have started anyway/, created: 0 }
  ),
  ...onBoth('start', 'a dropped connection', { kind: 'drop', count: 1 }, { outcome: 'reported', error: MAY_HAVE_STARTED, created: 0 }),
  ...onBoth('start', 'a connection reset mid-body', { kind: 'reset-mid-body', count: 1 }, { outcome: 'reported', error: MAY_HAVE_STARTED, created: 1 }),
  ...onBoth(
    'start',
    'a 30 s stall',
    { kind: 'slow', delayMs: 30_000, count: 1 },
    { outcome: 'reported', error: /got no answer within [78]s.*It may have started anyway/, created: 0, timedOut: true }
  ),
  ...onBoth(
    'start',
    'a 429 storm with Retry-After (x3)',
    { kind: 'rate-limit', retryAfterSeconds: 1, count: 3 },
    {
      outcome: 'survived',
      created: 1,
      createAttempts: 4,
      waitsAtLeastMs: 1000,
      log: /trying again in/,
      timeoutS: STORM_TIMEOUT_S
    }
  ),
  ...onBoth(
    'start',
    'a 429 storm without Retry-After (x3)',
    { kind: 'rate-limit', count: 3 },
    {
      outcome: 'survived',
      created: 1,
      createAttempts: 4,
      // Backoff from 1 s with equal jitter: at least half of it.
      waitsAtLeastMs: 500,
      log: /trying again in/,
      timeoutS: STORM_TIMEOUT_S
    }
  ),
  ...onBoth(
    'start',
    'a 429 with X-RateLimit-Reset',
    { kind: 'rate-limit', resetSeconds: 2, count: 1 },
    { outcome: 'survived', created: 1, createAttempts: 2, waitsAtLeastMs: 2000, timeoutS: STORM_TIMEOUT_S }
  ),
  ...onBoth('start', 'the running-conversation limit (429 x3)', { kind: 'conversation-limit', count: 3 }, (version) => ({
    outcome: 'survived',
    created: 1,
    createAttempts: 4,
    // V1 names the server's limit and count (CONCURRENCY_LIMIT_REACHED).
    log: version === 'v0' ? /Too many running conversations.*trying again in/ : /at its limit of 10 \(10 running\) running sandboxes.*trying again in/,
    timeoutS: STORM_TIMEOUT_S
  })),
  ...onBoth('start', 'malformed JSON', { kind: 'malformed', count: 1 }, { outcome: 'reported', error: /not JSON.*It may have started anyway/, created: 1 }),
  ...onBoth('start', 'truncated JSON', { kind: 'truncated', count: 1 }, { outcome: 'reported', error: /not JSON.*It may have started anyway/, created: 1 }),
  ...onBoth('start', 'a null body', { kind: 'null-body', count: 1 }, { outcome: 'reported', error: /got null.*It may have started anyway/, created: 1 }),
  ...onBoth('start', 'a 5 MB body', { kind: 'huge-body', bytes: 5_000_000, count: 1 }, { outcome: 'reported', error: TOO_LARGE, created: 1 }),
  ...onBoth(
    'start',
    'create-then-fail',
    { kind: 'create-then-fail', count: 1 },
    { outcome: 'reported', error: /Starting the conversation failed: .* answered 500.*It may have started anyway/, created: 1 }
  )
]

// V1 only: the start task, read after the POST created the conversation. Reading it is safe.
const task = (name: string, fault: Omit<FaultSpec, 'route'>, expectation: Expectation): Case => ({
  name,
  version: 'v1',
  phase: 'task',
  faults: [{ ...fault, route: 'v1-task' } as FaultSpec],
  ...expectation
})

const taskCases: Case[] = [
  task('a 5xx burst (503 x3)', { kind: 'status', statusCode: 503, count: 3 }, { outcome: 'survived', created: 1 }),
  task('dropped connections (x2)', { kind: 'drop', count: 2 }, { outcome: 'survived', created: 1 }),
  task('connections reset mid-body (x2)', { kind: 'reset-mid-body', count: 2 }, { outcome: 'survived', created: 1 }),
  task(
    'a 30 s stall',
    { kind: 'slow', delayMs: 30_000, count: 1 },
    { outcome: 'reported', error: /Timed out while OpenHands was preparing the conversation/, created: 1, timedOut: true, timeoutS: SHORT_TIMEOUT_S }
  ),
  task(
    'a 429 with Retry-After: 3',
    { kind: 'rate-limit', retryAfterSeconds: 3, count: 1 },
    { outcome: 'survived', created: 1, waitsAtLeastMs: 3000, timeoutS: STORM_TIMEOUT_S }
  ),
  task(
    'a 429 storm without Retry-After (x3)',
    { kind: 'rate-limit', count: 3 },
    { outcome: 'survived', created: 1, waitsAtLeastMs: 500, timeoutS: STORM_TIMEOUT_S }
  ),
  // Re-reading the task is safe, so a garbled answer or two is survived, as while waiting.
  task('malformed JSON (x2)', { kind: 'malformed', count: 2 }, { outcome: 'survived', created: 1 }),
  task('malformed JSON that persists', { kind: 'malformed' }, { outcome: 'reported', error: /not JSON.*It may have started anyway/, created: 1 }),
  task('a null body (x1)', { kind: 'null-body', count: 1 }, { outcome: 'survived', created: 1 }),
  task('a null body that persists', { kind: 'null-body' }, { outcome: 'reported', error: /expected a list of start tasks, got null/, created: 1 }),
  task('an unknown stage (x2)', { kind: 'unknown-status', status: 'HIBERNATING', count: 2 }, { outcome: 'survived', created: 1 }),
  task(
    'an unknown stage that persists',
    { kind: 'unknown-status', status: 'HIBERNATING' },
    {
      outcome: 'reported',
      error: /Timed out while OpenHands was preparing the conversation \(stage HIBERNATING\)/,
      created: 1,
      timedOut: true,
      timeoutS: SHORT_TIMEOUT_S
    }
  ),
  task('a 5 MB body (x1)', { kind: 'huge-body', bytes: 5_000_000, count: 1 }, { outcome: 'survived', created: 1 }),
  task('a 5 MB body that persists', { kind: 'huge-body', bytes: 5_000_000 }, { outcome: 'reported', error: TOO_LARGE, created: 1 })
]

const READ_FAILED = /Could not read the conversation's status/
const TIMED_OUT_AND_STOPPED = /Timed out waiting for the conversation to finish\..*The conversation was stopped \(stop-on-cancel\)/

const waitCases: Case[] = [
  ...onBoth('wait', 'a 5xx burst (503 x3)', { kind: 'status', statusCode: 503, count: 3 }, { outcome: 'survived', created: 1, log: READ_FAILED }),
  // A server's 5xx is retried whatever its body says; this one is FastAPI's validation shape with an odd `loc`.
  ...onBoth(
    'wait',
    'a 503 with an odd validation-error body',
    { kind: 'status', statusCode: 503, count: 1, body: { detail: [{ loc: [{ toString: null }], msg: 'x' }] } },
    {
      outcome: 'survived',
      created: 1,
      log: READ_FAILED
    }
  ),
  ...onBoth('wait', 'dropped connections (x2)', { kind: 'drop', count: 2 }, { outcome: 'survived', created: 1, log: READ_FAILED }),
  ...onBoth('wait', 'connections reset mid-body (x2)', { kind: 'reset-mid-body', count: 2 }, { outcome: 'survived', created: 1, log: READ_FAILED }),
  // The stall takes longer than the whole step may: the step ends at its timeout, and stops the conversation.
  ...onBoth(
    'wait',
    'a 30 s stall',
    { kind: 'slow', delayMs: 30_000, count: 1 },
    { outcome: 'reported', error: TIMED_OUT_AND_STOPPED, created: 1, timedOut: true, stopRequests: 1 }
  ),
  // Never stopped; on V1 the finished conversation's sandbox is paused once, to free its slot.
  ...onBoth('wait', 'a 3 s stall', { kind: 'slow', delayMs: 3000, count: 1 }, (version) => ({
    outcome: 'survived',
    created: 1,
    stopRequests: version === 'v0' ? 0 : 1
  })),
  ...onBoth(
    'wait',
    'a 429 storm with Retry-After (x3)',
    { kind: 'rate-limit', retryAfterSeconds: 1, count: 3 },
    {
      outcome: 'survived',
      created: 1,
      waitsAtLeastMs: 1000,
      log: READ_FAILED,
      timeoutS: STORM_TIMEOUT_S
    }
  ),
  ...onBoth(
    'wait',
    'a 429 storm without Retry-After (x3)',
    { kind: 'rate-limit', count: 3 },
    {
      outcome: 'survived',
      created: 1,
      // A 429 is never retried sooner than the poll interval.
      waitsAtLeastMs: 1000,
      log: READ_FAILED,
      timeoutS: STORM_TIMEOUT_S
    }
  ),
  ...onBoth('wait', 'malformed JSON (x2)', { kind: 'malformed', count: 2 }, { outcome: 'survived', created: 1, log: READ_FAILED }),
  ...onBoth('wait', 'malformed JSON that persists', { kind: 'malformed' }, { outcome: 'reported', error: /not JSON/, created: 1 }),
  ...onBoth('wait', 'truncated JSON (x2)', { kind: 'truncated', count: 2 }, { outcome: 'survived', created: 1, log: READ_FAILED }),
  ...onBoth('wait', 'truncated JSON that persists', { kind: 'truncated' }, { outcome: 'reported', error: /not JSON/, created: 1 }),
  ...onBoth('wait', 'a 5 MB body (x1)', { kind: 'huge-body', bytes: 5_000_000, count: 1 }, { outcome: 'survived', created: 1, log: READ_FAILED }),
  ...onBoth('wait', 'a 5 MB body that persists', { kind: 'huge-body', bytes: 5_000_000 }, { outcome: 'reported', error: TOO_LARGE, created: 1 }),
  // V0's real server answers an unknown id with 200 null; V1 answers [null], so a bare null is a broken answer there.
  ...onBoth('wait', 'a null body (x1)', { kind: 'null-body', count: 1 }, (version) =>
    version === 'v0'
      ? { outcome: 'reported', error: /OpenHands has no conversation [0-9a-f]{32}/, created: 1 }
      : { outcome: 'survived', created: 1, log: /got null/ }
  ),
  {
    name: 'a null body that persists',
    version: 'v1',
    phase: 'wait',
    faults: [{ kind: 'null-body', route: 'v1-get' }],
    outcome: 'reported',
    error: /expected a list of conversations, got null/,
    created: 1
  },
  // V0: the status is unknown, the agent still finishes. V1: the agent's state is unknown for good, so it is
  // never seen to finish: no success, the step runs out of time and stops it.
  ...onBoth('wait', 'an unknown status that persists', { kind: 'unknown-status', status: 'HIBERNATING' }, (version) =>
    version === 'v0'
      ? { outcome: 'survived', created: 1, status: 'HIBERNATING', agentState: 'finished' }
      : { outcome: 'reported', error: TIMED_OUT_AND_STOPPED, created: 1, timedOut: true, stopRequests: 1, agentState: 'HIBERNATING' }
  )
]

const events = (name: string, fault: Omit<FaultSpec, 'route'>, expectation: Expectation): Case => ({
  name,
  version: 'v0',
  phase: 'events',
  faults: [{ ...fault, route: 'events' } as FaultSpec],
  ...expectation
})

const eventsCases: Case[] = [
  // Refused or absent: the wait falls back to the status alone.
  events('403 that persists', { kind: 'status', statusCode: 403, body: { detail: 'Forbidden' } }, { outcome: 'survived', created: 1, agentState: '' }),
  events('404 that persists', { kind: 'status', statusCode: 404, body: { detail: 'Not Found' } }, { outcome: 'survived', created: 1, agentState: '' }),
  events('a 5xx burst (500 x3)', { kind: 'status', statusCode: 500, count: 3 }, { outcome: 'survived', created: 1, log: READ_FAILED }),
  events('dropped connections (x2)', { kind: 'drop', count: 2 }, { outcome: 'survived', created: 1 }),
  events('malformed JSON (x2)', { kind: 'malformed', count: 2 }, { outcome: 'survived', created: 1 }),
  events('an unknown agent state that persists', { kind: 'unknown-status', status: 'HIBERNATING' }, { outcome: 'survived', created: 1 })
]

// The step runs out of time and stops the conversation, but stopping fails.
const LONG_RUNNING: SimulatorOptions = { runningMs: 60_000 }
const stopCases: Case[] = [
  {
    name: 'stop answers 500',
    version: 'v0',
    phase: 'stop',
    faults: [{ kind: 'status', route: 'stop', statusCode: 500 }],
    simulator: LONG_RUNNING,
    // V0 reads the conversation itself on every third poll: 5 s gives it one read of RUNNING.
    timeoutS: 5,
    outcome: 'reported',
    error: /Timed out waiting for the conversation to finish\./,
    log: /::warning::Could not stop the conversation .*Stop it by hand/,
    created: 1,
    timedOut: true,
    // A 5xx is tried once more: the server answered, it may work the second time.
    stopRequests: 2,
    status: 'RUNNING'
  },
  {
    name: 'pause answers 500',
    version: 'v1',
    phase: 'stop',
    faults: [{ kind: 'status', route: 'v1-pause', statusCode: 500 }],
    simulator: { ...LONG_RUNNING, agentWorkMs: 60_000 },
    timeoutS: 3,
    outcome: 'reported',
    error: /Timed out waiting for the conversation to finish\./,
    log: /::warning::Could not stop the conversation .*Stop it by hand/,
    created: 1,
    timedOut: true,
    stopRequests: 2
  },
  {
    name: 'stop stalls for 30 s',
    version: 'v0',
    phase: 'stop',
    faults: [{ kind: 'slow', route: 'stop', delayMs: 30_000 }],
    simulator: LONG_RUNNING,
    timeoutS: 3,
    outcome: 'reported',
    error: /Timed out waiting for the conversation to finish\./,
    log: /::warning::Could not stop the conversation .*no answer within 3s.*Stop it by hand/,
    created: 1,
    timedOut: true,
    stopRequests: 1
  }
]

const title = '$version $phase: $name'

describe('faults while starting', () => {
  it.concurrent.each(startCases)(title, check, TEST_TIMEOUT_MS)
})

describe('faults while following the V1 start task', () => {
  it.concurrent.each(taskCases)(title, check, TEST_TIMEOUT_MS)
})

describe('faults while waiting', () => {
  it.concurrent.each(waitCases)(title, check, TEST_TIMEOUT_MS)
})

describe('faults on the V0 events route while waiting', () => {
  it.concurrent.each(eventsCases)(title, check, TEST_TIMEOUT_MS)
})

describe('faults while stopping after the timeout', () => {
  it.concurrent.each(stopCases)(title, check, TEST_TIMEOUT_MS)
})

describe('the fault table', () => {
  it('covers every fault kind, on both API versions', () => {
    const all = [...startCases, ...taskCases, ...waitCases, ...eventsCases, ...stopCases]
    const kinds = new Set(all.map((c) => c.faults[0].kind))
    for (const kind of FAULT_KINDS) {
      expect([kind, kinds.has(kind as FaultSpec['kind'])]).toEqual([kind, true])
    }
    expect(new Set(all.map((c) => `${c.version} ${c.phase}: ${c.name}`)).size).toBe(all.length)
    for (const version of ['v0', 'v1']) expect(all.filter((c) => c.version === version).length).toBeGreaterThan(20)
  })
})
