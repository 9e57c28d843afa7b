import { parseArgs } from 'node:util'
import { AGENT_FINAL_STATES } from './conversations.js'
import { normalizeFault } from './faults.js'

export const USAGE = `Usage: node simulator/cli.js [options]

A local stand-in for the OpenHands Cloud API (V0 and V1 routes), for tests and demos.

  --host HOST               address to bind (default 127.0.0.1)
  --port PORT               port to bind, 0 for any free one (default 8765)
  --api-key KEY             accept only this Bearer key (default: any non-empty key)
  --starting DURATION       how long a conversation's runtime stays STARTING (default 1s)
  --running DURATION        then how long it stays RUNNING (default 3s)
  --final STOPPED|ERROR     where the runtime ends up (default STOPPED)
  --agent-finishes DURATION when the agent reaches its final state, from creation, while the
                            runtime keeps its own pace (default: when the runtime ends)
  --agent-final STATE       the agent's final state: ${AGENT_FINAL_STATES.join(', ')}
                            (default finished; stuck shows as error on V0; on V1 awaiting_user_input
                            ends as finished, rejected as error, stopped as paused)
  --start-task DURATION     how long a V1 start task takes to reach READY (default 600ms)
  --agent-work DURATION     V1: how long the agent works on each message while its sandbox runs
                            (default: --running)
  --agent-finishes-with W   V1: the finished agent's last word, message or finish (default message)
  --idle DURATION           V1: an idle RUNNING sandbox is paused after this long (default 15m)
  --resume DURATION         V1: how long a resumed sandbox stays STARTING (default 1s)
  --on-limit MODE           V1 at the limit: reject (429, default) or pause-oldest (older servers)
  --sandbox-grouping        V1: new conversations share the newest running sandbox (up to 20)
  --platform-pause-after D  V1: the platform pauses each sandbox this long after READY
  --platform-resume-after D V1: and resumes it this long after pausing it (default never)
  --sandbox-fails-after D   V1: each sandbox goes to ERROR this long after READY
  --max-running N           V1 sandboxes and V0 conversations running per account (default 10)
  --rate-limit N            requests per minute per key, 0 = unlimited (default 100)
  --rate-limit-per-second N requests per second per key, 0 = unlimited (default 10)
  --inaccessible-repo R     answer 401 (V0) or fail the start task (V1) for this owner/repo (repeatable)
  --no-llm                  answer as if no LLM key were configured
  --no-events               answer 404 on GET /api/conversations/{id}/events
  --no-v0                   answer 404 on every V0 route, as a V1-only server would
  --no-v1                   answer 404 on every /api/v1 route, as an older server would
  --fault JSON              a fault, e.g. '{"kind":"status","statusCode":503,"count":2}' (repeatable)
  --verbose                 log each request on stderr
  --help                    show this text

DURATION is milliseconds with "ms", seconds bare or with "s", or minutes with "m".`

export class UsageError extends Error {}

/**
 * @param {string} flag
 * @param {string} text
 */
function parseDuration(flag, text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim())
  if (!match) throw new UsageError(`${flag}: expected a duration like 500ms, 2, 2s or 1m, got '${text}'`)
  const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 's'] ?? 1000
  return Math.round(Number(match[1]) * unit)
}

/**
 * @param {string} flag
 * @param {string} text
 * @param {number} min
 * @param {number} max
 */
function parseInteger(flag, text, min, max = Number.MAX_SAFE_INTEGER) {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got '${text}'`)
  }
  return value
}

/** @param {string} text */
function parseFault(text) {
  try {
    const fault = JSON.parse(text)
    normalizeFault(fault)
    return fault
  } catch (error) {
    throw new UsageError(`--fault: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** @param {string[]} argv */
function parseFlags(argv) {
  try {
    return parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'api-key': { type: 'string' },
        starting: { type: 'string' },
        running: { type: 'string' },
        final: { type: 'string' },
        'agent-finishes': { type: 'string' },
        'agent-final': { type: 'string' },
        'start-task': { type: 'string' },
        'max-running': { type: 'string' },
        'rate-limit': { type: 'string' },
        'rate-limit-per-second': { type: 'string' },
        'agent-work': { type: 'string' },
        'agent-finishes-with': { type: 'string' },
        idle: { type: 'string' },
        resume: { type: 'string' },
        'on-limit': { type: 'string' },
        'sandbox-grouping': { type: 'boolean' },
        'platform-pause-after': { type: 'string' },
        'platform-resume-after': { type: 'string' },
        'sandbox-fails-after': { type: 'string' },
        'inaccessible-repo': { type: 'string', multiple: true },
        'no-llm': { type: 'boolean' },
        'no-events': { type: 'boolean' },
        'no-v0': { type: 'boolean' },
        'no-v1': { type: 'boolean' },
        fault: { type: 'string', multiple: true },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' }
      }
    })
  } catch (error) {
    // Node's message already names the offending flag.
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/**
 * @param {string[]} argv the arguments after the script name
 * @throws {UsageError} naming the flag at fault
 */
export function parseCommandLine(argv) {
  const v = parseFlags(argv).values
  const final = v.final ?? 'STOPPED'
  if (final !== 'STOPPED' && final !== 'ERROR') throw new UsageError(`--final: expected STOPPED or ERROR, got '${final}'`)
  const agentFinal = v['agent-final'] ?? 'finished'
  const agentFinalState = AGENT_FINAL_STATES.find((state) => state === agentFinal)
  if (!agentFinalState) {
    throw new UsageError(`--agent-final: expected one of ${AGENT_FINAL_STATES.join(', ')}, got '${agentFinal}'`)
  }
  const onLimit = v['on-limit'] ?? 'reject'
  if (onLimit !== 'reject' && onLimit !== 'pause-oldest') throw new UsageError(`--on-limit: expected reject or pause-oldest, got '${onLimit}'`)
  const finishesWith = v['agent-finishes-with'] ?? 'message'
  if (finishesWith !== 'message' && finishesWith !== 'finish') {
    throw new UsageError(`--agent-finishes-with: expected message or finish, got '${finishesWith}'`)
  }
  /** @param {string} flag @returns {number | undefined} */
  const duration = (flag) => {
    const text = v[/** @type {'idle'} */ (flag)]
    return typeof text === 'string' ? parseDuration(`--${flag}`, text) : undefined
  }
  const pauseAfter = duration('platform-pause-after')
  const resumeAfter = duration('platform-resume-after')
  if (resumeAfter !== undefined && pauseAfter === undefined) throw new UsageError('--platform-resume-after: needs --platform-pause-after')
  const failsAfter = duration('sandbox-fails-after')
  return {
    help: Boolean(v.help),
    verbose: Boolean(v.verbose),
    options: {
      host: v.host ?? '127.0.0.1',
      port: v.port === undefined ? 8765 : parseInteger('--port', v.port, 0, 65535),
      apiKey: v['api-key'],
      startingMs: v.starting === undefined ? 1000 : parseDuration('--starting', v.starting),
      runningMs: v.running === undefined ? 3000 : parseDuration('--running', v.running),
      finalStatus: /** @type {'STOPPED' | 'ERROR'} */ (final),
      agentFinishesMs: v['agent-finishes'] === undefined ? undefined : parseDuration('--agent-finishes', v['agent-finishes']),
      agentFinalState,
      startTaskMs: v['start-task'] === undefined ? 600 : parseDuration('--start-task', v['start-task']),
      maxRunning: v['max-running'] === undefined ? 10 : parseInteger('--max-running', v['max-running'], 1),
      rateLimitPerMinute: v['rate-limit'] === undefined ? 100 : parseInteger('--rate-limit', v['rate-limit'], 0),
      rateLimitPerSecond: v['rate-limit-per-second'] === undefined ? 10 : parseInteger('--rate-limit-per-second', v['rate-limit-per-second'], 0),
      agentWorkMs: duration('agent-work'),
      agentFinishesWith: /** @type {'message' | 'finish'} */ (finishesWith),
      idleMs: duration('idle') ?? 15 * 60_000,
      resumeMs: duration('resume') ?? 1000,
      onLimit: /** @type {'reject' | 'pause-oldest'} */ (onLimit),
      sandboxGrouping: Boolean(v['sandbox-grouping']),
      platformPause: pauseAfter === undefined ? undefined : { afterMs: pauseAfter, ...(resumeAfter === undefined ? {} : { resumeAfterMs: resumeAfter }) },
      sandboxFails: failsAfter === undefined ? undefined : { afterMs: failsAfter },
      inaccessibleRepos: v['inaccessible-repo'] ?? [],
      llmConfigured: !v['no-llm'],
      eventsRoute: !v['no-events'],
      v0: !v['no-v0'],
      v1: !v['no-v1'],
      faults: (v.fault ?? []).flatMap((text) => [parseFault(text)].flat())
    }
  }
}
