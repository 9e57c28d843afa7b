// Each example workflow, run as the runner would run it: the harness evaluates the
// job's `if:` and the step's `with:` for a real webhook payload, then the committed
// dist/index.js runs with GITHUB_EVENT_NAME / GITHUB_EVENT_PATH set, against the
// OpenHands simulator and a local GitHub API stand-in (GITHUB_API_URL).
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { payload, schedulePayload } from '../__fixtures__/webhooks.js'
import { runAction, type ActionRun } from '../scripts/action-runner.js'
import { actionStep, loadWorkflow } from '../scripts/workflow-harness.js'
import { startGitHubStandIn, type GitHubStandIn, type GitHubStandInOptions } from '../simulator/github.js'
import type { Simulator } from '../simulator/server.js'
import { startCheckedSimulator } from './helpers/checked-simulator.js'

jest.setTimeout(60_000)

const KEY = 'oh-examples-key-2d4f6a8c'
const TOKEN = 'ghs_examples_token_1b3d5f'
const OWNER = 'octo-org'
const REPO = 'hello-world'
const MARKER = '<!-- openhands-cloud-action run:777 '

let openhands: Simulator | undefined
let github: GitHubStandIn | undefined
let work: string | undefined
afterEach(async () => {
  await openhands?.close()
  await github?.close()
  if (work) rmSync(work, { recursive: true, force: true })
  openhands = github = work = undefined
})

interface Case {
  example: string
  event: string
  body: Record<string, unknown>
  gitHub?: GitHubStandInOptions
  /** Files in the workspace, as a checkout step would leave them: path → content. */
  workspace?: Record<string, string>
}

/** Runs one example for one event; undefined when the job's `if:` would skip it. */
async function runExample({
  example,
  event,
  body,
  gitHub = {},
  workspace = {}
}: Case): Promise<{ run?: ActionRun; openhands: Simulator; github: GitHubStandIn }> {
  openhands = await startCheckedSimulator({ apiKey: KEY, startingMs: 200, runningMs: 600 })
  github = await startGitHubStandIn({ token: TOKEN, owner: OWNER, repo: REPO, ...gitHub })
  const workflow = loadWorkflow(join('examples', example))
  const step = actionStep(workflow, {
    github: { event_name: event, event: body, repository: `${OWNER}/${REPO}`, token: TOKEN, workflow: String(workflow.name) },
    secrets: { OPENHANDS_API_KEY: KEY }
  })
  if (!step.jobIf || !step.stepIf) return { openhands, github }
  work = mkdtempSync(join(tmpdir(), 'openhands-event-'))
  const eventPath = join(work, 'event.json')
  writeFileSync(eventPath, JSON.stringify(body))
  for (const [path, content] of Object.entries(workspace)) {
    mkdirSync(dirname(join(work, 'workspace', path)), { recursive: true })
    writeFileSync(join(work, 'workspace', path), content)
  }
  const run = await runAction(
    // Only where the action's server is and how fast to poll differ from the example.
    { ...step.with, 'base-url': openhands.url, 'poll-interval': '1s', timeout: '1m' },
    {
      githubToken: TOKEN,
      env: {
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_WORKSPACE: join(work, 'workspace'),
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_RUN_ID: '777',
        GITHUB_JOB: step.jobId,
        GITHUB_ACTION: 'openhands'
      }
    }
  )
  const visible = [run.stdout.replace(/^::add-mask::.*\n/gm, ''), run.stderr, JSON.stringify(run.outputs), run.summary].join('\n')
  expect(visible).not.toContain(KEY)
  expect(visible).not.toContain(TOKEN)
  return { run, openhands, github }
}

function labeled(login = 'Codertocat', type = 'User'): Record<string, unknown> {
  const body = payload('issues', 'labeled')
  Object.assign(body.label as object, { name: 'openhands' })
  Object.assign(body.sender as object, { login, type })
  return body
}

function commented(text: string, login = 'Codertocat', type = 'User', id = 2_000_000_001): Record<string, unknown> {
  const body = payload('issue_comment', 'created')
  Object.assign(body.comment as object, { id, body: text, user: { ...(body.comment as { user: object }).user, login, type } })
  return body
}

/** The message a conversation was started with, whichever API version carried it. */
function messageOf(body: Record<string, unknown>): string {
  if (typeof body.initial_user_msg === 'string') return body.initial_user_msg
  const content = (body.initial_message as { content?: Array<{ text?: string }> } | undefined)?.content
  return content?.map((part) => part.text ?? '').join('') ?? ''
}

/** The branch a conversation was started on; both API versions call it selected_branch. */
function branchOf(body: Record<string, unknown>): string | undefined {
  return typeof body.selected_branch === 'string' ? body.selected_branch : undefined
}

const notice = (run?: ActionRun): string => run?.stdout.split('\n').find((line) => line.startsWith('::notice::')) ?? ''

describe('examples/issue-label.yml', () => {
  it('a writer labels an issue: one conversation with the issue as context, one comment kept to the end', async () => {
    const { run, openhands, github } = await runExample({
      example: 'issue-label.yml',
      event: 'issues',
      body: labeled(),
      gitHub: { permissions: { Codertocat: 'write' } }
    })
    expect(run?.code).toBe(0)
    expect(run?.outputs).toMatchObject({ triggered: 'true', status: 'STOPPED' })
    const [conversation] = openhands.state().conversations
    expect(openhands.state().created).toBe(1)
    expect(messageOf(conversation.body)).toMatch(
      /^Resolve the GitHub issue described below\.\n[\s\S]*--- GitHub context \(begin\) ---[\s\S]*Issue #1: Spelling error in the README file/
    )
    const comments = github.state().comments
    expect(comments).toHaveLength(1)
    expect(comments[0].body.startsWith(MARKER)).toBe(true)
    expect(comments[0].body).toContain('OpenHands has finished')
    expect(comments[0].body).toContain(`/conversations/${conversation.id}`)
    expect(run?.outputs['comment-url']).toBe(comments[0].html_url)
  })

  it('a reader labels an issue: the step succeeds with triggered=false, says why, and nothing is started or written', async () => {
    const { run, openhands, github } = await runExample({
      example: 'issue-label.yml',
      event: 'issues',
      body: labeled(),
      gitHub: { permissions: { Codertocat: 'read' } }
    })
    expect(run?.code).toBe(0)
    expect(run?.outputs).toMatchObject({ triggered: 'false', 'conversation-id': '' })
    expect(notice(run)).toContain('@Codertocat has read permission on octo-org/hello-world')
    expect(openhands.state().requests).toHaveLength(0)
    expect(github.state().comments).toHaveLength(0)
  })

  it('a bot labels an issue: refused without asking GitHub about it', async () => {
    const { run, openhands, github } = await runExample({ example: 'issue-label.yml', event: 'issues', body: labeled('dependabot[bot]', 'Bot') })
    expect(run?.code).toBe(0)
    expect(run?.outputs.triggered).toBe('false')
    expect(notice(run)).toMatch(/@dependabot\[bot\] is a bot/)
    expect(openhands.state().requests).toHaveLength(0)
    expect(github.state().requests.filter((r) => r.path.includes('/permission'))).toHaveLength(0)
  })

  it('any other label: the job does not run at all', async () => {
    const body = labeled()
    Object.assign(body.label as object, { name: 'bug' })
    const { run } = await runExample({ example: 'issue-label.yml', event: 'issues', body })
    expect(run).toBeUndefined()
  })
})

describe('examples/comment-trigger.yml', () => {
  const seeded = (text: string, login = 'Codertocat'): GitHubStandInOptions => ({ comments: [{ issue: 1, body: text, login }] })

  it('a writer writes "@openhands …": 👀 on the comment, the request without the phrase, a status comment', async () => {
    const text = '@openhands please add a test for the README links'
    const { run, openhands, github } = await runExample({
      example: 'comment-trigger.yml',
      event: 'issue_comment',
      body: commented(text),
      gitHub: { ...seeded(text), permissions: { Codertocat: 'maintain' } }
    })
    expect(run?.code).toBe(0)
    expect(run?.outputs.triggered).toBe('true')
    expect(github.state().reactions).toEqual([{ commentId: 2_000_000_001, on: 'issue-comment', content: 'eyes' }])
    const sent = messageOf(openhands.state().conversations[0].body)
    expect(sent).toContain('> please add a test for the README links')
    const status = github.state().comments.filter((c) => c.body.startsWith(MARKER))
    expect(status).toHaveLength(1)
  })

  it("a writer comments @openhands on a pull request (issue_comment): the agent starts on the pull request's branch", async () => {
    const text = '@openhands fix the failing test'
    const body = commented(text)
    const number = (body.issue as { number: number }).number
    // What makes an issue_comment a pull request comment: the issue carries pull_request links.
    const pulls = `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${number}`
    Object.assign(body.issue as object, {
      pull_request: {
        url: pulls,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${number}`,
        diff_url: `${pulls}.diff`,
        patch_url: `${pulls}.patch`,
        merged_at: null
      }
    })
    const { run, openhands, github } = await runExample({
      example: 'comment-trigger.yml',
      event: 'issue_comment',
      body,
      gitHub: { ...seeded(text), permissions: { Codertocat: 'write' }, pullRequests: [{ number, head: 'fix/readme' }] }
    })
    expect(run?.code).toBe(0)
    expect(openhands.state().created).toBe(1)
    expect(branchOf(openhands.state().conversations[0].body)).toBe('fix/readme')
    expect(
      github
        .state()
        .requests.filter((r) => r.path === `/repos/${OWNER}/${REPO}/pulls/${number}`)
        .map((r) => r.status)
    ).toEqual([200])
  })

  it('a reader writes "@openhands …": refused, nothing started, no reaction', async () => {
    const text = '@openhands delete everything'
    const { run, openhands, github } = await runExample({ example: 'comment-trigger.yml', event: 'issue_comment', body: commented(text), gitHub: seeded(text) })
    expect(run?.code).toBe(0)
    expect(run?.outputs.triggered).toBe('false')
    expect(notice(run)).toContain('@Codertocat has read permission')
    expect(openhands.state().requests).toHaveLength(0)
    expect(github.state().reactions).toHaveLength(0)
  })

  it('a bot writes "@openhands …": refused', async () => {
    const text = '@openhands bump everything'
    const { run, openhands } = await runExample({
      example: 'comment-trigger.yml',
      event: 'issue_comment',
      body: commented(text, 'renovate[bot]', 'Bot'),
      gitHub: seeded(text, 'renovate[bot]')
    })
    expect(run?.outputs.triggered).toBe('false')
    expect(notice(run)).toMatch(/@renovate\[bot\] is a bot/)
    expect(openhands.state().requests).toHaveLength(0)
  })

  it('"@openhands-bot" passes the cheap prefilter, but the action sees no trigger phrase', async () => {
    const text = 'ping @openhands-bot'
    const { run, openhands, github } = await runExample({
      example: 'comment-trigger.yml',
      event: 'issue_comment',
      body: commented(text),
      gitHub: { ...seeded(text), permissions: { Codertocat: 'write' } }
    })
    expect(run?.outputs.triggered).toBe('false')
    expect(notice(run)).toContain('does not mention @openhands')
    expect(openhands.state().requests).toHaveLength(0)
    expect(github.state().requests).toHaveLength(0)
  })

  it('a writer reviews a pull request line with "@openhands …": 👀 on the review comment, status comment on the PR', async () => {
    const body = payload('pull_request_review_comment', 'created')
    Object.assign(body.comment as object, { id: 1_500_000_001, body: '@openhands rename this variable' })
    Object.assign((body.pull_request as { head: { repo: object } }).head.repo, { full_name: `${OWNER}/${REPO}` })
    const { number, head } = body.pull_request as { number: number; head: { ref: string } }
    const { run, openhands, github } = await runExample({
      example: 'comment-trigger.yml',
      event: 'pull_request_review_comment',
      body,
      gitHub: { permissions: { Codertocat: 'write' }, reviewComments: [{ pull: number, body: '@openhands rename this variable', login: 'Codertocat' }] }
    })
    expect(run?.code).toBe(0)
    expect(github.state().reactions).toEqual([{ commentId: 1_500_000_001, on: 'review-comment', content: 'eyes' }])
    expect(github.state().comments.filter((c) => c.issue === number && c.body.startsWith(MARKER))).toHaveLength(1)
    // The payload carries the head, so GitHub is not asked for it.
    expect(branchOf(openhands.state().conversations[0].body)).toBe(head.ref)
    expect(github.state().requests.filter((r) => r.path.includes('/pulls/') && !r.path.includes('/comments/'))).toHaveLength(0)
  })

  it('without write permission for comments, the step warns with the permission to add and still succeeds', async () => {
    const text = '@openhands fix the typo'
    const { run, openhands } = await runExample({
      example: 'comment-trigger.yml',
      event: 'issue_comment',
      body: commented(text),
      gitHub: { ...seeded(text), permissions: { Codertocat: 'write' }, writable: false }
    })
    expect(run?.code).toBe(0)
    expect(run?.outputs).toMatchObject({ triggered: 'true', status: 'STOPPED', 'comment-url': '' })
    expect(run?.stdout).toMatch(/::warning::Could not comment on issue #1: the token lacks the `issues: write` permission/)
    expect(openhands.state().created).toBe(1)
  })
})

describe('examples/nightly.yml', () => {
  it('a schedule: starts and waits with the task file as the message, without any permission check, comment or GitHub request', async () => {
    const task = readFileSync(join('examples', 'nightly.md'), 'utf8')
    const { run, openhands, github } = await runExample({
      example: 'nightly.yml',
      event: 'schedule',
      body: { ...schedulePayload },
      workspace: { '.github/openhands/nightly.md': task }
    })
    expect(run?.code).toBe(0)
    expect(run?.outputs).toMatchObject({ triggered: 'true', status: 'STOPPED', 'comment-url': '' })
    expect(task).toMatch(/^Nightly health check of this repository:\n/)
    expect(messageOf(openhands.state().conversations[0].body)).toBe(task)
    expect(github.state().requests).toHaveLength(0)
  })

  it('a schedule without the task file checked out: fails before any request, naming the input and the path', async () => {
    const { run, openhands } = await runExample({ example: 'nightly.yml', event: 'schedule', body: { ...schedulePayload } })
    expect(run?.code).toBe(1)
    expect(run?.stdout).toMatch(/^::error::Input message-file: could not read "\.github\/openhands\/nightly\.md" \(.*\): there is no such file/m)
    expect(openhands.state().requests).toHaveLength(0)
  })
})

describe('examples/manual.yml', () => {
  it('a dispatch: the typed task is the message, byte for byte, on the typed branch', async () => {
    const body = payload('workflow_dispatch')
    body.inputs = { task: 'Upgrade the "yaml" dependency\nand fix what breaks ${{ not-an-expression }}', branch: 'release/1.x' }
    const { run, openhands, github } = await runExample({ example: 'manual.yml', event: 'workflow_dispatch', body })
    expect(run?.code).toBe(0)
    // The default api-version (auto) speaks V1 to a server that has it.
    expect(openhands.state().conversations[0].body).toEqual({
      initial_message: {
        role: 'user',
        content: [{ type: 'text', text: 'Upgrade the "yaml" dependency\nand fix what breaks ${{ not-an-expression }}' }],
        run: true
      },
      trigger: 'openhands_api',
      selected_repository: `${OWNER}/${REPO}`,
      selected_branch: 'release/1.x'
    })
    expect(github.state().requests).toHaveLength(0)
  })
})
