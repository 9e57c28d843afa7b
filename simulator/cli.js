#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { normalizeFault } from './faults.js'
import { startSimulator } from './server.js'

const USAGE = `Usage: node simulator/cli.js [options]

A local stand-in for the OpenHands Cloud API (V0 routes), for tests and demos.

  --host HOST               address to bind (default 127.0.0.1)
  --port PORT               port to bind, 0 for any free one (default 8765)
  --api-key KEY             accept only this Bearer key (default: any non-empty key)
  --starting DURATION       how long a conversation stays STARTING (default 1s)
  --running DURATION        then how long it stays RUNNING (default 3s)
  --final STOPPED|ERROR     where it ends up (default STOPPED)
  --max-running N           running conversations allowed per account (default 10)
  --rate-limit N            requests per minute per key, 0 = unlimited (default 100)
  --inaccessible-repo R     answer 401 for this owner/repo (repeatable)
  --no-llm                  answer 400 as if no LLM key were configured
  --fault JSON              a fault, e.g. '{"kind":"status","statusCode":503,"count":2}' (repeatable)
  --verbose                 log each request on stderr
  --help                    show this text

DURATION is milliseconds with "ms", seconds bare or with "s", or minutes with "m".`

class UsageError extends Error {}

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
        host: { type: 'string' }, port: { type: 'string' }, 'api-key': { type: 'string' },
        starting: { type: 'string' }, running: { type: 'string' }, final: { type: 'string' },
        'max-running': { type: 'string' }, 'rate-limit': { type: 'string' },
        'inaccessible-repo': { type: 'string', multiple: true }, 'no-llm': { type: 'boolean' },
        fault: { type: 'string', multiple: true }, verbose: { type: 'boolean' }, help: { type: 'boolean' }
      }
    })
  } catch (error) {
    // Node's message already names the offending flag.
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

/** @param {string[]} argv */
function parseCommandLine(argv) {
  const v = parseFlags(argv).values
  const final = v.final ?? 'STOPPED'
  if (final !== 'STOPPED' && final !== 'ERROR') throw new UsageError(`--final: expected STOPPED or ERROR, got '${final}'`)
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
      maxRunning: v['max-running'] === undefined ? 10 : parseInteger('--max-running', v['max-running'], 1),
      rateLimitPerMinute: v['rate-limit'] === undefined ? 100 : parseInteger('--rate-limit', v['rate-limit'], 0),
      inaccessibleRepos: v['inaccessible-repo'] ?? [],
      llmConfigured: !v['no-llm'],
      faults: (v.fault ?? []).flatMap((text) => [parseFault(text)].flat())
    }
  }
}

async function main() {
  let command
  try {
    command = parseCommandLine(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`simulator: ${error.message}\nRun with --help for usage.\n`)
    process.exit(2)
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const simulator = await startSimulator({
    ...command.options,
    onRequest: command.verbose
      ? (r) => process.stderr.write(`${new Date(r.at).toISOString()} ${r.method} ${r.path} ${r.status || 'dropped'}\n`)
      : undefined
  })
  process.stdout.write(`OpenHands simulator listening on ${simulator.url}\n`)
  const shutDown = () => simulator.close().then(() => process.exit(0))
  process.once('SIGINT', shutDown)
  process.once('SIGTERM', shutDown)
}

main().catch((error) => {
  process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
