#!/usr/bin/env node
import { USAGE, UsageError, parseCommandLine } from './cli-args.js'
import { startSimulator } from './server.js'

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
    onRequest: command.verbose ? (r) => process.stderr.write(`${new Date(r.at).toISOString()} ${r.method} ${r.path} ${r.status || 'dropped'}\n`) : undefined
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
