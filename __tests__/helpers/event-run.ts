// The committed dist/index.js run for one GitHub event, as the runner runs a
// workflow step: the webhook payload in GITHUB_EVENT_PATH, GitHub's API at the
// stand-in (GITHUB_API_URL), the run's ids in the environment. Every e2e suite
// that triggers the action from an event goes through here.
import { expect } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun } from '../../scripts/action-runner.js'

export interface EventRun {
  /** GITHUB_EVENT_NAME, e.g. `issue_comment`. */
  event: string
  payload: unknown
  /** The GitHub stand-in's origin. */
  githubUrl: string
  /** What `${{ github.token }}` gives. */
  token: string
  /** `owner/repo` of the workflow. */
  repository: string
  runId?: number
  attempt?: number
  /** Files in the workspace (GITHUB_WORKSPACE), by name. */
  files?: Record<string, string | Uint8Array>
  /** More environment, or other values: GITHUB_JOB and GITHUB_ACTION name the step's status comment. */
  env?: Record<string, string>
  /** Kill the action after this long: a safety net, not a measurement. */
  timeoutMs?: number
  /** Must show nowhere a person reads: the log (mask commands aside), the outputs, the summary. */
  secrets?: string[]
  /** Sends the step a signal once a printed line matches, as a runner cancelling the job does. */
  signal?: { when: RegExp; signal: NodeJS.Signals }
}

export async function runOnEvent(inputs: Record<string, string>, options: EventRun): Promise<ActionRun> {
  const work = mkdtempSync(join(tmpdir(), 'openhands-event-'))
  try {
    const eventPath = join(work, 'event.json')
    writeFileSync(eventPath, JSON.stringify(options.payload))
    for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(work, name), content)
    const run = await runAction(inputs, {
      githubToken: options.token,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      env: {
        GITHUB_EVENT_NAME: options.event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_WORKSPACE: work,
        GITHUB_API_URL: options.githubUrl,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: options.repository,
        GITHUB_RUN_ID: String(options.runId ?? 777),
        GITHUB_RUN_ATTEMPT: String(options.attempt ?? 1),
        GITHUB_JOB: 'respond',
        GITHUB_ACTION: 'openhands',
        ...options.env
      }
    })
    const visible = [run.stdout.replace(/^::add-mask::.*\n/gm, ''), run.stderr, JSON.stringify(run.outputs), run.summary].join('\n')
    for (const secret of options.secrets ?? []) expect(visible).not.toContain(secret)
    return run
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
