import { describe, it, expect, jest } from '@jest/globals'
import { resolveTrigger } from '../src/github/trigger.js'
import type { GitHubApi, GitHubRun, StepTime } from '../src/github/api.js'
import { InputError, type Settings } from '../src/inputs.js'
import { payload, schedulePayload } from '../__fixtures__/webhooks.js'

interface User {
  login: unknown
  type: unknown
}
type Hook = Record<string, unknown> & { sender: User; comment: { id: unknown; body: unknown; user: User }; review: { body: unknown; user: User } }

const hook = (event: string, action?: string): Hook => payload(event, action) as Hook
const REPO = 'Codertocat/Hello-World'
const TOKEN = 'ghs_triggerTestToken0000000000000000'

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    apiKey: 'sk-oh-test',
    message: 'Fix the issue.',
    repository: 'octo-org/octo-repo',
    branch: undefined,
    baseUrl: 'https://app.all-hands.dev',
    wait: false,
    pollIntervalMs: 30_000,
    timeoutMs: 3_600_000,
    githubToken: TOKEN,
    triggerPhrase: '@openhands',
    allowedBots: [],
    apiVersion: 'auto',
    stopOnCancel: true,
    releaseSandbox: true,
    followUp: 'auto',
    context: true,
    comment: true,
    ...overrides
  }
}

/** A connection to a fake GitHub where every person has `role` (or roleOf does what it is given). */
function fakeGitHub(body: unknown, roleOf: GitHubApi['roleOf'] | string = 'write') {
  const role = jest.fn<GitHubApi['roleOf']>(typeof roleOf === 'string' ? async () => roleOf : roleOf)
  const api: GitHubApi = {
    roleOf: role,
    identity: jest.fn<GitHubApi['identity']>(async () => ({ kind: 'installation' })),
    commentsWith: jest.fn<GitHubApi['commentsWith']>(async () => []),
    createComment: jest.fn<GitHubApi['createComment']>(async () => ({ id: 1, url: 'https://github.com/x#issuecomment-1' })),
    updateComment: jest.fn<GitHubApi['updateComment']>(async (id) => ({ id, url: 'https://github.com/x#issuecomment-1' })),
    react: jest.fn<GitHubApi['react']>(async () => undefined),
    pullRequestHead: jest.fn<GitHubApi['pullRequestHead']>(async () => ({ ref: 'feature', repository: 'Codertocat/Hello-World' })),
    reviewComments: jest.fn<GitHubApi['reviewComments']>(async () => []),
    commentsOfReview: jest.fn<GitHubApi['commentsOfReview']>(async () => [])
  }
  const run: GitHubRun = {
    api,
    payload: body,
    repository: REPO,
    runUrl: `https://github.com/${REPO}/actions/runs/42`,
    serverUrl: 'https://github.com',
    runId: 42
  }
  const connect = jest.fn<(token: string, time?: StepTime) => Promise<GitHubRun>>(async () => run)
  return { connect, roleOf: role, run }
}

function commentPayload(body: string, login = 'commenter', type = 'User'): Hook {
  const data = hook('issue_comment', 'created')
  data.sender = { ...data.sender, login: 'someone-else' }
  data.comment.body = body
  data.comment.user = { ...data.comment.user, login, type }
  return data
}

describe('resolveTrigger: events nobody needs checking for', () => {
  it.each(['schedule', 'workflow_dispatch', 'repository_dispatch', ''])('%j is triggered without connecting to GitHub', async (name) => {
    const { connect } = fakeGitHub(schedulePayload)
    for (const token of [TOKEN, '']) {
      const trigger = await resolveTrigger(settings({ githubToken: token }), name, connect)
      expect(trigger.triggered).toBe(true)
      expect(trigger.event).toEqual({ name })
      expect(trigger.github).toBeUndefined()
      expect(trigger.reason).toBeUndefined()
    }
    expect(connect).not.toHaveBeenCalled()
  })
})

describe('resolveTrigger: github-token', () => {
  it.each(['issues', 'issue_comment', 'pull_request', 'pull_request_target', 'pull_request_review', 'push'])(
    'an empty github-token on %s is an input error naming github-token',
    async (name) => {
      const { connect } = fakeGitHub(payload('issues', 'labeled'))
      const result = resolveTrigger(settings({ githubToken: '' }), name, connect)
      await expect(result).rejects.toBeInstanceOf(InputError)
      await expect(result).rejects.toThrow(/github-token/)
      expect(connect).not.toHaveBeenCalled()
    }
  )

  it("connects with the github-token and the step's deadline, which every GitHub call keeps to", async () => {
    const { connect } = fakeGitHub(payload('issues', 'labeled'))
    const time: StepTime = { deadline: 1_234_567, now: () => 1_000_000 }
    await resolveTrigger(settings(), 'issues', connect, time)
    expect(connect).toHaveBeenCalledTimes(1)
    expect(connect).toHaveBeenCalledWith(TOKEN, time)
  })
})

describe('resolveTrigger: the trigger phrase', () => {
  it('a comment without the phrase is not triggered, and nobody is asked about', async () => {
    const { connect, roleOf, run } = fakeGitHub(commentPayload("You are totally right! I'll get this fixed right away."))
    const trigger = await resolveTrigger(settings(), 'issue_comment', connect)
    expect(trigger.triggered).toBe(false)
    expect(trigger.reason).toContain('@commenter')
    expect(trigger.reason).toContain('@openhands')
    expect(trigger.reason).toMatch(/comment/)
    expect(trigger.github).toBe(run)
    expect(trigger.event.comment?.author.login).toBe('commenter')
    expect(roleOf).not.toHaveBeenCalled()
  })

  it.each(['@openhands-bot fix it', 'mail me@openhands', 'see @openhands.dev', 'openhands fix it'])(
    'a comment that only looks like the phrase (%j) is not triggered',
    async (body) => {
      const { connect, roleOf } = fakeGitHub(commentPayload(body))
      const trigger = await resolveTrigger(settings(), 'issue_comment', connect)
      expect(trigger.triggered).toBe(false)
      expect(roleOf).not.toHaveBeenCalled()
    }
  )

  it('a review without the phrase is not triggered, and the reason calls it a review', async () => {
    const data = hook('pull_request_review', 'submitted') // its body is null
    data.review.user = { ...data.review.user, login: 'reviewer' }
    const { connect, roleOf } = fakeGitHub(data)
    const trigger = await resolveTrigger(settings(), 'pull_request_review', connect)
    expect(trigger.triggered).toBe(false)
    expect(trigger.reason).toContain('review by @reviewer')
    expect(trigger.reason).toContain('@openhands')
    expect(roleOf).not.toHaveBeenCalled()
  })

  it('a review comment without the phrase is not triggered', async () => {
    const { connect, roleOf } = fakeGitHub(hook('pull_request_review_comment', 'created'))
    const trigger = await resolveTrigger(settings(), 'pull_request_review_comment', connect)
    expect(trigger.triggered).toBe(false)
    expect(trigger.reason).toContain('@Codertocat')
    expect(roleOf).not.toHaveBeenCalled()
  })

  it.each(['admin', 'maintain', 'write'])('the phrase from a person with %s permission is triggered', async (role) => {
    const { connect, roleOf } = fakeGitHub(commentPayload('Hey @OpenHands, please fix the typo.'), role)
    const trigger = await resolveTrigger(settings(), 'issue_comment', connect)
    expect(trigger.triggered).toBe(true)
    expect(trigger.reason).toContain('@commenter')
    expect(roleOf).toHaveBeenCalledTimes(1)
    expect(roleOf).toHaveBeenCalledWith('commenter')
    expect(trigger.event.thread?.number).toBe(1)
    expect(trigger.event.comment?.kind).toBe('issue-comment')
  })

  it.each(['triage', 'read', 'none'])('the phrase from a person with %s permission is not triggered', async (role) => {
    const { connect } = fakeGitHub(commentPayload('@openhands fix the typo'), role)
    const trigger = await resolveTrigger(settings(), 'issue_comment', connect)
    expect(trigger.triggered).toBe(false)
    expect(trigger.reason).toContain('@commenter')
    expect(trigger.reason).toContain(role)
    expect(trigger.reason).toContain(REPO)
  })

  it('the phrase in a review, from a writer, is triggered', async () => {
    const data = hook('pull_request_review', 'submitted')
    data.review.body = 'Nearly there. @openhands add a test'
    const { connect, roleOf } = fakeGitHub(data)
    expect((await resolveTrigger(settings(), 'pull_request_review', connect)).triggered).toBe(true)
    expect(roleOf).toHaveBeenCalledWith('Codertocat')
  })

  it('with no phrase set, every comment goes to the gate', async () => {
    const { connect, roleOf } = fakeGitHub(commentPayload('just a comment'), 'write')
    const trigger = await resolveTrigger(settings({ triggerPhrase: '' }), 'issue_comment', connect)
    expect(trigger.triggered).toBe(true)
    expect(roleOf).toHaveBeenCalledWith('commenter')
  })

  it.each([
    ['issues', 'labeled', 'issues'],
    ['issues', 'opened', 'issues'],
    ['pull_request', 'labeled', 'pull_request'],
    ['pull_request', 'opened', 'pull_request_target']
  ])('the phrase is ignored on %s %s (as %s): the gate decides', async (example, action, name) => {
    const data = hook(example, action)
    expect(JSON.stringify(data)).not.toContain('@openhands')
    for (const [role, triggered] of [
      ['write', true],
      ['read', false]
    ] as const) {
      const { connect, roleOf } = fakeGitHub(data, role)
      const trigger = await resolveTrigger(settings(), name, connect)
      expect(trigger.triggered).toBe(triggered)
      expect(trigger.reason).toContain('@Codertocat')
      expect(roleOf).toHaveBeenCalledWith('Codertocat')
    }
  })

  it('a bot comment with the phrase is triggered only when the bot is listed, and nobody is asked about', async () => {
    const data = commentPayload('@openhands rebase this', 'renovate[bot]', 'Bot')
    const refused = fakeGitHub(data, 'admin')
    expect((await resolveTrigger(settings(), 'issue_comment', refused.connect)).triggered).toBe(false)
    const listed = fakeGitHub(data, 'none')
    expect((await resolveTrigger(settings({ allowedBots: ['renovate'] }), 'issue_comment', listed.connect)).triggered).toBe(true)
    expect(refused.roleOf).not.toHaveBeenCalled()
    expect(listed.roleOf).not.toHaveBeenCalled()
  })

  it('a comment event whose comment cannot be read is not triggered', async () => {
    const data = commentPayload('@openhands fix it')
    data.comment.id = '492700400'
    const { connect, roleOf } = fakeGitHub(data, 'admin')
    const trigger = await resolveTrigger(settings(), 'issue_comment', connect)
    expect(trigger.triggered).toBe(false)
    expect(roleOf).not.toHaveBeenCalled()
  })
})

describe('resolveTrigger: when the permission check fails', () => {
  it('rejects naming the person, the repository and github-token', async () => {
    const { connect } = fakeGitHub(commentPayload('@openhands fix it'), async () => {
      throw Object.assign(new Error('Bad credentials'), { status: 401 })
    })
    const result = resolveTrigger(settings(), 'issue_comment', connect)
    await expect(result).rejects.toThrow(/@commenter/)
    await expect(result).rejects.toThrow(REPO)
    await expect(result).rejects.toThrow(/github-token/)
    await expect(result).rejects.toThrow(/Bad credentials/)
  })

  it('names the sender on an issues event, and blames github-token only when GitHub refused it', async () => {
    const { connect } = fakeGitHub(payload('issues', 'labeled'), async () => {
      throw Object.assign(new Error('Server Error'), { status: 502 })
    })
    await expect(resolveTrigger(settings(), 'issues', connect)).rejects.toThrow(
      new Error(`Could not check @Codertocat's permission on ${REPO}, so OpenHands was not started: Server Error.`)
    )
  })

  it.each([
    ['a check that timed out', "GitHub did not answer GET /repos/o/r/collaborators/commenter/permission within 4s (bounded by the step's timeout)"],
    [
      'a check sent elsewhere',
      "Refused to follow GitHub's redirect to https://evil.example (GET /x): the token goes only to https://api.github.com, the origin of GITHUB_API_URL"
    ]
  ])('fails closed on %s: not triggered, an error saying why', async (_what, reason) => {
    // As Octokit passes on a failure of its fetch: a RequestError with status 500.
    const { connect } = fakeGitHub(commentPayload('@openhands fix it'), async () => {
      throw Object.assign(new Error(reason), { status: 500 })
    })
    await expect(resolveTrigger(settings(), 'issue_comment', connect)).rejects.toThrow(
      new Error(`Could not check @commenter's permission on ${REPO}, so OpenHands was not started: ${reason}.`)
    )
  })
})
