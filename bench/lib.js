// Shared by the benchmarks: the figure type, the table, spawning dist/index.js
// (or any script) the way the runner does while keeping what runAction does not
// give (spawn and exit times, peak RSS), and small statistics.
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseOutputs, runnerWorkspace } from '../scripts/action-runner.js'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const DIST = join(ROOT, 'dist/index.js')
export const GNU_TIME = '/usr/bin/time'
/** The simulator and the stand-ins accept only these; never a real credential. */
export const API_KEY = 'bench-api-key-5e7a9c1d'
export const GITHUB_TOKEN = 'ghs_bench_token_3c5e7a9b'

/**
 * @typedef {object} Bundled
 * @property {string} script the bundle's entry, to run with node
 * @property {number} bytes the size of its .js files
 * @property {() => void} dispose removes it
 */

/**
 * Bundles a benchmark script with ncc the way `npm run bundle` builds dist/
 * (same ncc, same flags), into a temporary directory: a script compared with
 * dist/index.js must load the same way, one file, not node_modules file by file.
 * @param {string} entry path of the script
 * @returns {Bundled}
 */
export function bundle(entry) {
  const out = mkdtempSync(join(tmpdir(), 'openhands-bench-bundle-'))
  try {
    const ncc = join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js')
    execFileSync(process.execPath, [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt', '--transpile-only'], { stdio: 'pipe' })
    const bytes = readdirSync(out)
      .filter((name) => name.endsWith('.js'))
      .reduce((sum, name) => sum + statSync(join(out, name)).size, 0)
    return { script: join(out, 'index.js'), bytes, dispose: () => rmSync(out, { recursive: true, force: true }) }
  } catch (error) {
    rmSync(out, { recursive: true, force: true })
    throw error
  }
}

/**
 * @typedef {object} Figure
 * @property {string} figure what is measured
 * @property {string} measured the number, with its unit
 * @property {string} target what it must be
 * @property {boolean} ok
 */

/**
 * @param {string} figure
 * @param {string} measured
 * @param {string} target
 * @param {boolean} ok
 * @returns {Figure}
 */
export const fig = (figure, measured, target, ok) => ({ figure, measured, target, ok })

/** @param {number} ms */
export const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export function machine() {
  const cpu = cpus()
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    actionNode: process.env.ACTION_NODE || process.execPath,
    load: loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')
  }
}

/** @param {Figure[]} figures */
export function formatTable(figures) {
  const head = ['figure', 'measured', 'target', 'ok/FAIL']
  const rows = figures.map((f) => [f.figure, f.measured, f.target, f.ok ? 'ok' : 'FAIL'])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (/** @type {string[]} */ cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

/**
 * Lets a benchmark module run alone (`node bench/matrix.js`): prints its table and
 * exits 1 when a target is missed.
 * @param {string} moduleUrl the module's import.meta.url
 * @param {() => Promise<Figure[]>} run
 */
export async function runIfMain(moduleUrl, run) {
  if (!process.argv[1] || pathToFileURL(process.argv[1]).href !== moduleUrl) return
  const m = machine()
  console.log(`machine: ${m.cpu}, ${m.cores} cores, node ${m.node}, load ${m.load}`)
  const figures = await run()
  console.log(formatTable(figures))
  process.exitCode = figures.every((f) => f.ok) ? 0 : 1
}

/**
 * @typedef {object} Launch
 * @property {string} script the file node runs
 * @property {Record<string, string>} [inputs] action inputs, as INPUT_* (only for the action)
 * @property {Record<string, string>} [env] extra environment, e.g. GITHUB_EVENT_NAME
 * @property {string} [githubToken] what `${{ github.token }}` gives
 * @property {boolean} [rss] run under GNU time to read the peak RSS and the CPU time
 * @property {number} [timeoutMs] SIGKILL after this long (a safety net)
 * @property {(line: string, at: number) => void} [onLine]
 */

/**
 * @typedef {object} Launched
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {number} spawnedAt epoch ms just before spawn()
 * @property {number} exitedAt epoch ms of the child's exit event
 * @property {number} wallMs
 * @property {number | undefined} peakRssKb from GNU time, when asked
 * @property {number | undefined} cpuMs user + system CPU time from GNU time, when asked
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs
 * @property {string} summary
 */

/**
 * Runs a node script with the runner's environment shape (GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, RUNNER_TEMP in a fresh directory).
 * @param {Launch} options
 * @returns {Promise<Launched>}
 */
export async function launch(options) {
  const { work, outputFile, summaryFile, env } = runnerWorkspace(options.inputs, options)
  const rssFile = join(work, 'rss')
  const node = process.env.ACTION_NODE || process.execPath
  const [command, args] = options.rss ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, node, options.script]] : [node, [options.script]]
  try {
    /** @typedef {{ code: number | null, signal: NodeJS.Signals | null, spawnedAt: number, exitedAt: number, stdout: string, stderr: string }} Raw */
    const result = await /** @type {Promise<Raw>} */ (
      new Promise((resolve, reject) => {
        const spawnedAt = Date.now()
        // Under GNU time, node is a grandchild: a process group of its own lets the kill reach it.
        const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: Boolean(options.rss) })
        let stdout = ''
        let stderr = ''
        let partial = ''
        let exitedAt = 0
        child.stdout.on('data', (chunk) => {
          const at = Date.now()
          stdout += chunk
          const lines = (partial + chunk).split('\n')
          partial = lines.pop() ?? ''
          for (const line of lines) options.onLine?.(line, at)
        })
        child.stderr.on('data', (chunk) => (stderr += chunk))
        const kill = () => {
          try {
            if (options.rss && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
            else child.kill('SIGKILL')
          } catch {
            // already gone
          }
        }
        const timer = setTimeout(kill, options.timeoutMs ?? 60_000)
        child.on('error', reject)
        child.on('exit', () => (exitedAt = Date.now()))
        child.on('close', (code, signal) => {
          clearTimeout(timer)
          if (partial !== '') options.onLine?.(partial, Date.now())
          resolve({ code, signal, spawnedAt, exitedAt, stdout, stderr })
        })
      })
    )
    let peakRssKb
    let cpuMs
    if (options.rss) {
      // GNU time writes "Command exited with non-zero status N" first when it did.
      const last = (existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '').trim().split('\n').pop() ?? ''
      const figures = /^(\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(last)
      peakRssKb = figures ? Number(figures[1]) : undefined
      cpuMs = figures ? Math.round((Number(figures[2]) + Number(figures[3])) * 1000) : undefined
    }
    return {
      ...result,
      wallMs: result.exitedAt - result.spawnedAt,
      peakRssKb,
      cpuMs,
      outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8')
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** @typedef {import('./simulator-process.js').TaggedRequest} TaggedRequest */
/** @typedef {import('../simulator/server.js').SimulatorState} SimulatorState */
/**
 * @typedef {object} SimulatorProcess
 * @property {string} url the pass-through's origin
 * @property {(job: number) => string} jobUrl the base-url that tags a job's requests
 * @property {() => Promise<{ simulator: SimulatorState, tagged: TaggedRequest[] }>} state
 * @property {() => Promise<void>} close
 */

/**
 * The simulator in its own process (bench/simulator-process.js), so that the
 * parent spawning 30 jobs cannot hold up its answers.
 * @param {Omit<import('../simulator/server.js').SimulatorOptions, 'now' | 'onRequest' | 'host' | 'port'>} options
 * @returns {Promise<SimulatorProcess>}
 */
export async function startSimulatorProcess(options) {
  const child = spawn(process.execPath, [join(ROOT, 'bench/simulator-process.js'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const url = await /** @type {Promise<string>} */ (
    new Promise((resolve, reject) => {
      let text = ''
      const timer = setTimeout(() => reject(new Error('the simulator process did not start within 30 s')), 30_000)
      child.stdout.on('data', (chunk) => {
        text += chunk
        const ready = /READY (\S+)\n/.exec(text)
        if (ready) {
          clearTimeout(timer)
          resolve(ready[1])
        }
      })
      child.once('exit', (code) => reject(new Error(`the simulator process exited (${code}) before it was ready`)))
    })
  ).catch((error) => {
    child.kill('SIGKILL')
    throw error
  })
  return {
    url,
    jobUrl: (job) => `${url}/job/${job}`,
    async state() {
      const response = await fetch(`${url}/_bench/state`)
      return /** @type {{ simulator: SimulatorState, tagged: TaggedRequest[] }} */ (await response.json())
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }
  }
}

const GATE_READY = 'bench-gate-ready'
// Becomes node once the benchmark closes its end of the FIFO. The FIFO is opened
// before "ready" is printed, so no job can miss the release. bash, not sh: dash
// drops variables such as INPUT_API-KEY, whose names are not shell identifiers,
// while bash passes them on as the runner does.
const GATE_SCRIPT = `#!/bin/bash
exec 3<"$BENCH_GATE"
echo ${GATE_READY}
cat <&3 >/dev/null
exec 3<&-
node="$BENCH_NODE"
unset BENCH_GATE BENCH_NODE
exec "$node" "$@"
`

/**
 * @typedef {object} Gate
 * @property {Record<string, string>} env to add to the job's environment
 * @property {(line: string) => void} onLine to call with every line the job prints
 */

/**
 * Starts `count` jobs so that their node processes start at the same instant.
 * Spawning node 30 times in a row takes seconds on a 2-core machine (each spawn
 * waits for the child to exec while the earlier ones boot), which would stagger
 * the jobs. So each job is spawned (through ACTION_NODE, which runAction honours)
 * as a small shell that waits on a FIFO; once all wait, closing the FIFO releases
 * them, and each execs the real node.
 * @template T
 * @param {number} count
 * @param {(index: number, gate: Gate) => Promise<T>} start must spawn synchronously (runAction does)
 * @returns {Promise<{ releasedAt: number, spawnMs: number, results: T[] }>}
 */
export async function startTogether(count, start) {
  const dir = mkdtempSync(join(tmpdir(), 'openhands-bench-gate-'))
  const fifo = join(dir, 'gate')
  const wrapper = join(dir, 'gated-node')
  execFileSync('mkfifo', [fifo])
  writeFileSync(wrapper, GATE_SCRIPT, { mode: 0o755 })
  // Read-write, so this never blocks and the FIFO has a writer until released.
  const fd = openSync(fifo, 'r+')
  let waiting = 0
  /** @type {() => void} */
  let allWaiting = () => {}
  const ready = new Promise((resolve) => (allWaiting = () => resolve(undefined)))
  const node = process.env.ACTION_NODE || process.execPath
  const saved = process.env.ACTION_NODE
  const spawnStart = Date.now()
  /** @type {Promise<T>[]} */
  let jobs = []
  let released = false
  const release = () => {
    if (!released) closeSync(fd)
    released = true
  }
  try {
    process.env.ACTION_NODE = wrapper
    jobs = Array.from({ length: count }, (_, index) =>
      start(index, {
        env: { BENCH_GATE: fifo, BENCH_NODE: node },
        onLine: (line) => {
          if (line === GATE_READY && ++waiting === count) allWaiting()
        }
      })
    )
  } catch (error) {
    release()
    throw error
  } finally {
    if (saved === undefined) delete process.env.ACTION_NODE
    else process.env.ACTION_NODE = saved
  }
  const spawnMs = Date.now() - spawnStart
  try {
    /** @type {NodeJS.Timeout | undefined} */
    let timer
    await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))])
    clearTimeout(timer)
    if (waiting < count) console.log(`warning: only ${waiting} of ${count} jobs reached the start gate within 30 s; releasing them anyway`)
    const releasedAt = Date.now()
    release()
    const results = await Promise.all(jobs)
    return { releasedAt, spawnMs, results }
  } finally {
    release()
    rmSync(dir, { recursive: true, force: true })
  }
}
