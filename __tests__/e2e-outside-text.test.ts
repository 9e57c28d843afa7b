// Hostile text, end to end: the committed dist/index.js against a simulator (and
// a GitHub stand-in) whose answers echo the secrets, forge workflow commands,
// mention people and overflow GitHub's limits. Each test looks at every byte the
// step wrote: stdout as the runner parses it, stderr, the outputs, the summary,
// and every comment body GitHub received.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { Buffer } from 'node:buffer'
import { payload } from '../__fixtures__/webhooks.js'
import type { ActionRun } from '../scripts/action-runner.js'
import { startGitHubStandIn, type GitHubStandIn } from '../simulator/github.js'
import type { Simulator, SimulatorOptions } from '../simulator/server.js'
import { startCheckedSimulator } from './helpers/checked-simulator.js'
import { runOnEvent } from './helpers/event-run.js'
import { runnerCommands, type RunnerCommand } from './helpers/runner-commands.js'

jest.setTimeout(60_000)

// GitHub tokens and OpenHands keys hold `_`, which the Markdown escaper doubles.
const KEY = 'sk_oh_7Kq9Zx2Lw4Vb8Np3Rt6Yc1Hd5Jm0'
const TOKEN = 'ghs_Outside7Text9Token2Vb8Np3Rt6Yc'
const OWNER = 'octo-org'
const REPO = 'hello-world'

let openhands: Simulator | undefined
let github: GitHubStandIn | undefined
afterEach(async () => {
  await openhands?.close()
  await github?.close()
  openhands = github = undefined
})

interface Written {
  run: ActionRun
  /** Every comment body GitHub was sent, in order. */
  comments: string[]
}

/** Runs the action on an issue labelled by a writer, with a comment kept on the issue. */
async function act(key: string, options: SimulatorOptions, inputs: Record<string, string> = {}): Promise<Written> {
  openhands = await startCheckedSimulator({ apiKey: key, startingMs: 200, runningMs: 600, ...options })
  github = await startGitHubStandIn({ token: TOKEN, owner: OWNER, repo: REPO, permissions: { Codertocat: 'write' } })
  const run = await runOnEvent(
    { 'api-key': key, message: 'Fix the README', 'base-url': openhands.url, 'poll-interval': '1s', timeout: '1m', 'api-version': 'v0', ...inputs },
    {
      event: 'issues',
      payload: payload('issues', 'labeled'),
      githubUrl: github.url,
      token: TOKEN,
      repository: `${OWNER}/${REPO}`,
      env: { GITHUB_JOB: 'openhands' }
    }
  )
  const comments = github
    .state()
    .requests.filter((request) => /\/comments(\/\d+)?$/.test(request.path.split('?')[0]) && (request.method === 'POST' || request.method === 'PATCH'))
    .map((request) => {
      try {
        return String((JSON.parse(request.body) as { body?: unknown }).body ?? '')
      } catch {
        // A body the stand-in would not read whole (over its 1 MiB) is still a body sent.
        return request.body
      }
    })
  return { run, comments }
}

/** Everything a person could read, the runner's own mask commands for the secrets excepted. */
function visible({ run, comments }: Written, ...secrets: string[]): string {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !secrets.some((secret) => line === `::add-mask::${secret}`))
    .join('\n')
  return [stdout, run.stderr, JSON.stringify(run.outputs), run.summary, ...comments].join('\n')
}

/** The forms of a secret a reader could turn back into it, computed here independently of the action. */
function formsOf(secret: string): string[] {
  const b64 = (bytes: Buffer): string => bytes.toString('base64')
  const bytes = Buffer.from(secret)
  // Inside longer base64 at each byte alignment: the middle, which only the secret decides.
  const shifted = [0, 1, 2].map((shift) =>
    b64(Buffer.concat([Buffer.alloc(shift), bytes, Buffer.alloc(3)])).slice(4, 4 + Math.floor((bytes.length - 3) / 3) * 4)
  )
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    b64(bytes).replace(/=+$/, ''),
    bytes.toString('base64url'),
    secret.replace(/([\\|[\]*_`])/g, '\\$1'),
    ...shifted
  ]
}

function expectNoSecret(text: string, secret: string): void {
  for (const form of formsOf(secret)) expect(text).not.toContain(form)
  // Nor any piece of it long enough to mean something.
  for (let i = 0; i + 8 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 8))
}

/** The commands the runner obeyed are the action's own: its masks, groups, fenced echo, debug lines, and the warnings and errors given. */
function expectOnlyOwnCommands(run: ActionRun, own: { masks: string[]; errors: number; warnings?: number }): RunnerCommand[] {
  const reading = runnerCommands(run.stdout)
  expect(reading.stoppedAtEnd).toBe(false)
  const tokens = new Set<string>()
  for (const command of reading.commands) {
    expect(command.form).toBe('v2')
    switch (command.name) {
      case 'add-mask':
        expect(own.masks).toContain(command.data)
        break
      case 'stop-commands':
        expect(command.data).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
        tokens.add(command.data)
        break
      case 'group':
      case 'endgroup':
      case 'debug':
      case 'warning':
      case 'error':
        break
      default:
        // The only other command the runner takes is the token that ends a stop-commands.
        expect(tokens.has(command.name)).toBe(true)
    }
  }
  expect(reading.commands.filter((c) => c.name === 'error')).toHaveLength(own.errors)
  if (own.warnings !== undefined) expect(reading.commands.filter((c) => c.name === 'warning')).toHaveLength(own.warnings)
  return reading.commands
}

describe('hostile server text, end to end', () => {
  it('(1) a key echoed in an error reaches neither the summary nor the comment, however Markdown would escape it', async () => {
    const written = await act(KEY, { faults: [{ kind: 'status', route: 'create', statusCode: 400, body: { detail: `The key ${KEY} is not valid` } }] })
    expectNoSecret(visible(written, KEY, TOKEN), KEY)
    expect(written.run.code).toBe(1)
    expectOnlyOwnCommands(written.run, { masks: [KEY, TOKEN], errors: 1 })
    expect(written.run.summary).toMatch(/Failed:.*The key \\\*\\\*\\\* is not valid/)
    expect(written.comments.at(-1)).toMatch(/Failed:.*The key \\\*\\\*\\\* is not valid/)
  })

  it('(2) a key across the place an error snippet is cut leaves no piece of it', async () => {
    // Not JSON: the client quotes 200 characters of it. Then a wrong-shaped 200, which it describes in 120.
    const asText = await act(KEY, { faults: [{ kind: 'status', route: 'create', statusCode: 400, text: `${'x'.repeat(190)}${KEY} and more` }] })
    expect(asText.run.code).toBe(1)
    expectOnlyOwnCommands(asText.run, { masks: [KEY, TOKEN], errors: 1 })
    expectNoSecret(visible(asText, KEY, TOKEN), KEY)
    await openhands?.close()
    await github?.close()
    openhands = github = undefined
    const described = await act(KEY, { faults: [{ kind: 'status', route: 'create', statusCode: 200, body: { status: `${'y'.repeat(105)}${KEY}` } }] })
    expect(described.run.code).toBe(1)
    expect(described.run.stdout).toMatch(/::error::.*the answer's status is/)
    expectNoSecret(visible(described, KEY, TOKEN), KEY)
  })

  it('(3) a key echoed JSON-escaped, URL-encoded or base64-encoded is masked in every form', async () => {
    const key = 'sk_oh_3/Zq+Lw=Vb"8N\\p3Rt6~Yc1Hd5Jm0'
    const echoed = [
      `json=${JSON.stringify({ key })}`,
      `url=${encodeURIComponent(key)}`,
      `form=${new URLSearchParams({ key }).toString()}`,
      `b64=${Buffer.from(key).toString('base64')}`,
      `b64url=${Buffer.from(key).toString('base64url')}`,
      `basic=${Buffer.from(`user:${key}`).toString('base64')}`,
      `bearer=${Buffer.from(`Bearer ${key}!`).toString('base64')}`
    ].join(' ')
    const written = await act(key, { faults: [{ kind: 'status', route: 'create', statusCode: 400, body: { detail: `refused: ${echoed}` } }] })
    expectNoSecret(visible(written, key, TOKEN), key)
    expect(written.run.code).toBe(1)
    expectOnlyOwnCommands(written.run, { masks: [key, TOKEN], errors: 1 })
    expect(written.run.stdout).toMatch(/::error::.*refused: json=/)
  })

  it('(4) statuses, 429 bodies, poll errors and the V1 fallback forge no workflow command', async () => {
    const written = await act(
      KEY,
      {
        faults: [
          { kind: 'status', route: 'v1-create', statusCode: 404, body: { detail: 'Not Found\n::set-output name=conversation-id::forged' } },
          { kind: 'status', route: 'create', statusCode: 429, count: 1, body: { message: 'Slow down\n  ::add-mask::RUNNING\n::error::PWNED by the 429' } },
          { kind: 'status', route: 'get', statusCode: 503, count: 1, text: 'gateway ##[set-output name=status]SUCCESS\r::warning::PWNED' },
          { kind: 'unknown-status', route: 'get', count: 1, status: 'HIBERNATING\n::set-output name=status::SUCCESS\n\u200b::stop-commands::pwned' },
          // The agent's state, forged once, then an error the step must still report.
          { kind: 'unknown-status', route: 'events', count: 1, status: 'running\n::set-output name=agent-state::finished' },
          { kind: 'unknown-status', route: 'events', status: 'error' }
        ]
      },
      { wait: 'true', 'api-version': 'auto' }
    )
    expect(written.run.code).toBe(1)
    const commands = expectOnlyOwnCommands(written.run, { masks: [KEY, TOKEN], errors: 1 })
    // The step's own failure annotation was not swallowed, and nothing forged one.
    expect(commands.find((c) => c.name === 'error')?.data).toMatch(/The agent ended in state error/)
    for (const command of commands) expect(command.data).not.toMatch(/PWNED|forged/)
    expect(written.run.outputs['agent-state']).toBe('error')
    expect(written.run.outputs['conversation-id']).toMatch(/^[0-9a-f]{32}$/)
    // The forged lines are still shown, as text.
    expect(written.run.stdout).toContain('set-output name=status::SUCCESS')
    expectNoSecret(visible(written, KEY, TOKEN), KEY)
  })

  it('(6) a mention in server text notifies no one from the bot comment or the summary', async () => {
    const written = await act(
      KEY,
      { faults: [{ kind: 'unknown-status', route: 'get', count: 1, status: 'ESCALATED to @octo-org/security-team and @Codertocat' }] },
      { wait: 'true', message: '@octo-org/admins fix it' }
    )
    for (const body of [...written.comments, written.run.summary]) expect(body).not.toMatch(/@[A-Za-z0-9]/)
    expect(written.run.code).toBe(0)
    expect(written.comments.join('\n')).toContain('ESCALATED to @\u200bocto-org/security-team and @\u200bCodertocat')
    expectNoSecret(visible(written, KEY, TOKEN), KEY)
  })

  it('(8) a failure too long for GitHub is cut so the comment and the summary still land', async () => {
    const huge = '&<'.repeat(150_000)
    const written = await act(KEY, { faults: [{ kind: 'status', route: 'create', statusCode: 400, body: { detail: `refused ${huge}` } }] })
    expect(written.run.code).toBe(1)
    expectOnlyOwnCommands(written.run, { masks: [KEY, TOKEN], errors: 1, warnings: 0 })
    for (const body of written.comments) expect([...body].length).toBeLessThanOrEqual(65_536)
    const [comment] = github?.state().comments ?? []
    expect(comment.body).toMatch(/could not finish/)
    expect(comment.body).toMatch(/\(cut: the rest did not fit in a comment/)
    expect(Buffer.byteLength(written.run.summary)).toBeLessThanOrEqual(1_048_576)
    expect(written.run.summary).toMatch(/\(cut: the rest did not fit in a job summary/)
    expect(written.run.summary).toMatch(/(&amp;&lt;)+/)
    expectNoSecret(visible(written, KEY, TOKEN), KEY)
  })
})
