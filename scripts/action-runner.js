// Runs the committed dist/index.js the way the GitHub Actions runner does:
// inputs (with action.yml's defaults) in INPUT_* variables, outputs through the
// GITHUB_OUTPUT file, the job summary through GITHUB_STEP_SUMMARY. Used by the
// demo and by the end-to-end tests, so both exercise exactly what users run.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * @typedef {object} ActionRun
 * @property {number | null} code exit code (null when killed by a signal)
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs
 * @property {string} summary
 */

/**
 * @typedef {object} RunOptions
 * @property {Record<string, string>} [env] extra environment, e.g. GITHUB_EVENT_NAME
 * @property {string} [githubToken] what `${{ github.token }}` gives in action.yml's defaults
 * @property {(line: string) => void} [onLine] called with each line the action prints, as it prints it
 * @property {number} [timeoutMs] kill the action after this long (a safety net, not a measurement)
 * @property {{ when: RegExp, signal: NodeJS.Signals }} [signal] send a signal once a printed line matches, as a runner cancelling the job does
 */

/**
 * @param {Record<string, string>} inputs the step's `with:` values
 * @param {RunOptions} [options]
 * @returns {Promise<ActionRun>}
 */
export async function runAction(inputs, options = {}) {
  const { work, outputFile, summaryFile, env } = runnerWorkspace(inputs, options)
  try {
    // ACTION_NODE runs the bundle under another Node.js (CI checks node24, the runners' version).
    const node = process.env.ACTION_NODE || process.execPath
    // ACTION_ENTRY runs another build (e.g. an older dist/, to see a test fail on it).
    const entry = process.env.ACTION_ENTRY || join(root, 'dist/index.js')
    const { code, stdout, stderr } = await run(node, [entry], env, options)
    return { code, stdout, stderr, outputs: parseOutputs(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * A fresh directory with empty GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and
 * the environment the runner gives a step: those files, the workspace, and the
 * inputs (none when `inputs` is undefined, for scripts that are not the action).
 * The caller removes `work`.
 * @param {Record<string, string> | undefined} inputs
 * @param {Pick<RunOptions, 'env' | 'githubToken'>} options
 */
export function runnerWorkspace(inputs, options) {
  const work = mkdtempSync(join(tmpdir(), 'openhands-action-'))
  const outputFile = join(work, 'output')
  const summaryFile = join(work, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const baseEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? work,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/hello-world',
    GITHUB_WORKSPACE: work,
    RUNNER_TEMP: work,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...options.env
  }
  const github = { 'github.repository': baseEnv.GITHUB_REPOSITORY, 'github.token': options.githubToken ?? '' }
  const env = { ...baseEnv, ...(inputs ? inputEnv(inputs, github) : {}) }
  return { work, outputFile, summaryFile, env }
}

/**
 * INPUT_<NAME> for every input in action.yml: the given value, else its default,
 * with `${{ github.* }}` expressions filled in as the runner would.
 * @param {Record<string, string>} inputs
 * @param {Record<string, string>} github values of the `github` context the defaults use
 */
function inputEnv(inputs, github) {
  /** @type {{ inputs: Record<string, { default?: string }> }} */
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'))
  /** @type {Record<string, string>} */
  const result = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = inputs[name] ?? String(spec.default ?? '').replace(/\$\{\{\s*(github\.\w+)\s*\}\}/g, (_, key) => github[key] ?? '')
    result[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const name of Object.keys(inputs)) {
    if (!(name in action.inputs)) throw new Error(`action.yml has no input named ${name}`)
  }
  return result
}

/**
 * The GITHUB_OUTPUT file: `name<<DELIMITER\nvalue\nDELIMITER` blocks, or `name=value` lines.
 * @param {string} text
 */
export function parseOutputs(text) {
  /** @type {Record<string, string>} */
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @param {RunOptions} options
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
function run(command, args, env, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let partial = ''
    let signalled = false
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) {
        options.onLine?.(line)
        if (options.signal && !signalled && options.signal.when.test(line)) {
          signalled = true
          child.kill(options.signal.signal)
        }
      }
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    // A hung action must not hang its caller: this bound is a safety net, not a measurement.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (partial !== '') options.onLine?.(partial)
      resolve({ code, stdout, stderr })
    })
  })
}
