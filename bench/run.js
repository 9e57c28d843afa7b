// `npm run bench`: every benchmark in turn, then one table. Exits 1 when any
// target is missed (or a benchmark could not run). See BENCHMARKS.md.
import { fig, formatTable, machine } from './lib.js'
import { run as matrix } from './matrix.js'
import { run as polling } from './polling.js'
import { run as agentWait } from './agent-wait.js'
import { run as cancel } from './cancel.js'
import { run as startup } from './startup.js'

/** @typedef {import('./lib.js').Figure} Figure */

/** @type {Array<[string, () => Promise<Figure[]>]>} */
const BENCHMARKS = [
  ['matrix', matrix],
  ['polling', polling],
  ['agent-wait', agentWait],
  ['cancel', cancel],
  ['startup', startup]
]

const only = process.argv.slice(2)
const m = machine()
const began = Date.now()
/** @type {Figure[]} */
const figures = []
for (const [name, run] of BENCHMARKS) {
  if (only.length > 0 && !only.includes(name)) continue
  const start = Date.now()
  console.log(`\n== ${name}`)
  try {
    figures.push(...(await run()))
  } catch (error) {
    console.log(error instanceof Error ? (error.stack ?? error.message) : String(error))
    figures.push(fig(`${name}: the benchmark itself failed`, error instanceof Error ? error.message : String(error), 'runs', false))
  }
  console.log(`(${name} took ${((Date.now() - start) / 1000).toFixed(0)} s)`)
}

const missed = figures.filter((f) => !f.ok)
console.log(`\nmachine: ${m.cpu}, ${m.cores} cores, node ${m.node} (action run by ${m.actionNode}), load average at the start ${m.load}`)
console.log(`total ${((Date.now() - began) / 1000).toFixed(0)} s\n`)
console.log(formatTable(figures))
console.log(missed.length === 0 ? '\nAll targets met.' : `\n${missed.length} target(s) missed: ${missed.map((f) => f.figure).join('; ')}`)
process.exitCode = missed.length === 0 ? 0 : 1
