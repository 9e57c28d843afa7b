// `npm run demo`: the whole action, end to end, with no API key and no network.
// Starts the local OpenHands simulator, runs the committed dist/index.js as the
// Actions runner would (wait: true), then prints the step's outputs and summary.
import { startSimulator } from '../simulator/server.js'
import { runAction } from './action-runner.js'

// Shows a line as the job log on GitHub would: debug lines and the mask command
// hidden (set DEBUG=1 to see debug lines), groups as headings.
/** @param {string} line */
function show(line) {
  if (line.startsWith('::add-mask::') || line === '::endgroup::') return
  if (line.startsWith('::debug::')) {
    if (process.env.DEBUG) console.log(`  (debug) ${line.slice(9)}`)
    return
  }
  console.log(line.startsWith('::group::') ? `▸ ${line.slice(9)}` : line)
}

const simulator = await startSimulator({ startingMs: 1000, runningMs: 3000 })
console.log(`OpenHands simulator listening on ${simulator.url}\n`)
console.log("── the action's log ──")
try {
  const result = await runAction(
    {
      'api-key': 'demo-key-not-a-secret',
      message: 'Check whether there is any incorrect information in the README.md file\nand send a PR to fix it if so.',
      repository: 'octo-org/hello-world',
      'base-url': simulator.url,
      wait: 'true',
      'poll-interval': '1s',
      timeout: '2m'
    },
    { onLine: show }
  )
  console.log('\n── outputs (GITHUB_OUTPUT) ──')
  for (const [name, value] of Object.entries(result.outputs)) console.log(`${name}: ${value}`)
  console.log('\n── job summary (GITHUB_STEP_SUMMARY) ──')
  console.log(result.summary)
  console.log(result.code === 0 ? 'The step succeeded.' : `The step failed (exit code ${result.code}).`)
  process.exitCode = result.code ?? 1
} finally {
  await simulator.close()
}
