import { describe, it, expect, jest } from '@jest/globals'
import { commentFailure, markerFor, renderComment, ThreadComment, type CommentView } from '../src/github/thread-comment.js'
import { MARKER_PREFIX, OurComments, writtenBy } from '../src/github/our-comments.js'
import type { CommentAuthor, FoundComment, GitHubApi, TokenIdentity } from '../src/github/api.js'
import { describeEvent, type Thread } from '../src/github/event.js'
import { payload } from '../__fixtures__/webhooks.js'

function threadOf(event: string, action: string): Thread {
  const thread = describeEvent(event, payload(event, action)).thread
  if (thread === undefined) throw new Error(`no thread in ${event}.${action}`)
  return thread
}

const ISSUE = threadOf('issues', 'labeled') // issue #1
const PULL = threadOf('pull_request', 'opened') // pull request #2
const MARKER = markerFor(9876543210, 'openhands', 'run-openhands')
const RUN_URL = 'https://github.com/octo-org/octo-repo/actions/runs/9876543210'
const CONVERSATION = 'https://app.all-hands.dev/conversations/0f3a9c1e5b7d4a2f'

const starting: CommentView = { prUrls: [], runUrl: RUN_URL }
const running: CommentView = { conversationUrl: CONVERSATION, title: 'Fix the typo', status: 'RUNNING', prUrls: [], runUrl: RUN_URL }
const finished: CommentView = { ...running, status: 'STOPPED', prUrls: ['https://github.com/octo-org/octo-repo/pull/3'], elapsedMs: 125_000 }

const httpError = (status: number, message: string): Error => Object.assign(new Error(message), { status })

interface Fake {
  api: GitHubApi
  identity: jest.Mock<GitHubApi['identity']>
  commentsWith: jest.Mock<GitHubApi['commentsWith']>
  createComment: jest.Mock<GitHubApi['createComment']>
  updateComment: jest.Mock<GitHubApi['updateComment']>
  roleOf: jest.Mock<GitHubApi['roleOf']>
  react: jest.Mock<GitHubApi['react']>
  calls: () => number
}

const commentUrl = (issue: number, id: number): string => `https://github.com/Codertocat/Hello-World/issues/${issue}#issuecomment-${id}`

// GITHUB_TOKEN: an installation token, whose comments are github-actions[bot]'s.
const INSTALLATION: TokenIdentity = { kind: 'installation' }
const ACTIONS_BOT: CommentAuthor = { id: 41898282, login: 'github-actions[bot]', type: 'Bot' }
const MAINTAINER: CommentAuthor = { id: 583231, login: 'octo-maintainer', type: 'User' }
const PAT: TokenIdentity = { kind: 'user', id: MAINTAINER.id, login: MAINTAINER.login }
const MALLORY: CommentAuthor = { id: 666, login: 'mallory', type: 'User' }
const RENOVATE: CommentAuthor = { id: 29139614, login: 'renovate[bot]', type: 'Bot' }
const found = (id: number, author?: CommentAuthor, body = `${MARKER}\n### OpenHands is working on this`): FoundComment => ({
  id,
  url: commentUrl(1, id),
  author,
  body
})

/** A GitHub that holds comments in memory; `existing` are the comments carrying the marker. */
function fakeApi(existing: FoundComment[] = [], identity: TokenIdentity = INSTALLATION): Fake {
  let nextId = 5000
  const identityOf = jest.fn<GitHubApi['identity']>(async () => identity)
  const commentsWith = jest.fn<GitHubApi['commentsWith']>(async () => existing)
  const createComment = jest.fn<GitHubApi['createComment']>(async (issue) => {
    nextId += 1
    return { id: nextId, url: commentUrl(issue, nextId) }
  })
  const updateComment = jest.fn<GitHubApi['updateComment']>(async (id) => ({ id, url: commentUrl(1, id) }))
  const roleOf = jest.fn<GitHubApi['roleOf']>(async () => 'write')
  const react = jest.fn<GitHubApi['react']>(async () => undefined)
  // The thread comment never needs the pull request's branch.
  const pullRequestHead = jest.fn<GitHubApi['pullRequestHead']>(async () => {
    throw new Error('not asked by the thread comment')
  })
  // Nor the review comments, which only the context block reads.
  const notAsked = async (): Promise<never> => {
    throw new Error('not asked by the thread comment')
  }
  const api: GitHubApi = {
    identity: identityOf,
    commentsWith,
    createComment,
    updateComment,
    roleOf,
    react,
    pullRequestHead,
    reviewComments: notAsked,
    commentsOfReview: notAsked
  }
  const mocks = [identityOf, commentsWith, createComment, updateComment, roleOf, react, pullRequestHead]
  const calls = (): number => mocks.reduce((sum, fn) => sum + fn.mock.calls.length, 0)
  return { api, identity: identityOf, commentsWith, createComment, updateComment, roleOf, react, calls }
}

const warnFake = () => jest.fn<(message: string) => void>()

describe('markerFor', () => {
  it('is a hidden HTML comment naming the run id, job and step', () => {
    const marker = markerFor(9876543210, 'build', 'run-openhands')
    expect(marker).toMatch(/^<!--.*-->$/)
    expect(marker).toContain('9876543210')
    expect(marker).toContain('build')
    expect(marker).toContain('run-openhands')
  })

  it.each([
    [
      [1, 'job', 'step'],
      [12, 'job', 'step']
    ],
    [
      [12, 'job', 'step'],
      [1, 'job', 'step']
    ],
    [
      [1, 'job', 'step'],
      [1, 'job2', 'step']
    ],
    [
      [1, 'job2', 'step'],
      [1, 'job', 'step']
    ],
    [
      [1, 'job', 'step'],
      [1, 'job', 'step2']
    ],
    [
      [1, 'job', 'step2'],
      [1, 'job', 'step']
    ]
  ] as Array<[[number, string, string], [number, string, string]]>)('the marker for %j is not found inside the one for %j', (a, b) => {
    // commentsWith looks for the marker as a substring of a comment's body.
    expect(markerFor(...b).includes(markerFor(...a))).toBe(false)
  })

  it('is the same for the same run, job and step (a re-run finds its comment)', () => {
    expect(markerFor(42, 'job', 'step')).toBe(markerFor(42, 'job', 'step'))
  })

  it('names no attempt: every re-run attempt of the run writes the same marker', () => {
    expect(markerFor(42, 'job', 'step')).toBe('<!-- openhands-cloud-action run:42 job:job step:step -->')
  })
})

describe('renderComment', () => {
  const lines = (view: CommentView): string[] => renderComment(MARKER, view).split('\n')
  const row = (view: CommentView, name: string): string | undefined => lines(view).find((line) => line.startsWith(`| ${name} |`))

  it('puts the marker on the first line', () => {
    for (const view of [starting, running, finished]) expect(lines(view)[0]).toBe(MARKER)
  })

  it.each([
    ['working while not done', running, /working on this/, [/finished/, /could not finish/]],
    ['finished once done', finished, /has finished/, [/working/, /could not finish/]],
    ['failed once done with a failure', { ...finished, failure: 'The conversation errored' }, /could not finish/, [/working/, /has finished/]]
  ] as Array<[string, CommentView, RegExp, RegExp[]]>)('heading: %s', (_what, view, heading, others) => {
    const title = lines(view)[1]
    expect(title).toMatch(/^#+ /)
    expect(title).toMatch(heading)
    for (const other of others) expect(title).not.toMatch(other)
  })

  it('links the conversation by its title', () => {
    expect(row(running, 'Conversation')).toBe(`| Conversation | [Fix the typo](${CONVERSATION}) |`)
  })

  it('escapes the title, so it can break neither the link nor the table', () => {
    const row_ = row({ ...running, title: 'Fix [this](http://evil.example) | <img src=x>\n| row | injected |' }, 'Conversation')
    expect(row_).toBe(`| Conversation | [Fix \\[this\\](http://evil.example) \\| &lt;img src=x&gt; \\| row \\| injected \\|](${CONVERSATION}) |`)
    expect(renderComment(MARKER, { ...running, title: 'a\n| row | injected |' })).not.toMatch(/^\| row \|/m)
  })

  it('says when the conversation has not started, and when it has no title', () => {
    expect(row(starting, 'Conversation')).toContain('not started')
    expect(row({ ...running, title: undefined }, 'Conversation')).toBe(`| Conversation | [open](${CONVERSATION}) |`)
  })

  it('shows the status, escaped, or that it is starting', () => {
    expect(row(running, 'Status')).toBe('| Status | RUNNING |')
    expect(row({ ...running, status: 'A|B <b>' }, 'Status')).toBe('| Status | A\\|B &lt;b&gt; |')
    expect(row(starting, 'Status')).toContain('starting')
  })

  it('lists pull requests only when there are some', () => {
    const prs = ['https://github.com/octo-org/octo-repo/pull/3', 'https://github.com/octo-org/octo-repo/pull/4']
    const prRow = row({ ...running, prUrls: prs }, 'Pull requests')
    for (const url of prs) expect(prRow).toContain(url)
    expect(row(running, 'Pull requests')).toBeUndefined()
  })

  it('shows the time only when done', () => {
    expect(row(running, 'Time')).toBeUndefined()
    expect(row(finished, 'Time')).toBe('| Time | 2m 5s |')
    expect(row({ ...finished, elapsedMs: 0 }, 'Time')).toBe('| Time | 0ms |')
  })

  it('links the workflow run', () => {
    for (const view of [starting, running, finished]) expect(row(view, 'Workflow run')).toBe(`| Workflow run | [logs](${RUN_URL}) |`)
  })

  it('shows the failure on one line, escaped', () => {
    const text = renderComment(MARKER, { ...finished, failure: 'Boom <script>alert(1)</script>\n| x | y |\n[click](http://evil.example)' })
    const failed = text.split('\n').filter((line) => line.includes('Failed'))
    expect(failed).toHaveLength(1)
    expect(failed[0]).toContain('Boom &lt;script&gt;alert(1)&lt;/script&gt; \\| x \\| y \\| \\[click\\](http://evil.example)')
    expect(text).not.toContain('<script>')
    expect(text).not.toMatch(/^\| x \|/m)
  })

  it("says so, above the table, when the message continued the thread's conversation", () => {
    const line = "Continued the thread's earlier conversation with the new message."
    expect(renderComment(MARKER, { ...finished, continued: true })).toContain(`### OpenHands has finished\n\n${line}\n\n| | |`)
    expect(renderComment(MARKER, finished)).not.toContain(line)
  })

  it('shows no failure line without a failure', () => {
    expect(renderComment(MARKER, finished)).not.toContain('Failed')
  })
})

describe('ThreadComment.show', () => {
  it('looks for the marker first, and creates the comment when it is absent', async () => {
    const fake = fakeApi()
    const warn = warnFake()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warn)
    expect(comment.url).toBeUndefined()
    await comment.show(starting)
    expect(fake.commentsWith).toHaveBeenCalledWith(1, MARKER_PREFIX)
    expect(fake.createComment).toHaveBeenCalledTimes(1)
    expect(fake.createComment).toHaveBeenCalledWith(1, renderComment(MARKER, starting))
    expect(fake.commentsWith.mock.invocationCallOrder[0]).toBeLessThan(fake.createComment.mock.invocationCallOrder[0])
    expect(fake.updateComment).not.toHaveBeenCalled()
    expect(comment.url).toBe(commentUrl(1, 5001))
    expect(warn).not.toHaveBeenCalled()
  })

  it("leaves an earlier run's status comment alone: only this run's marker is its own", async () => {
    const earlier = found(900, ACTIONS_BOT, `${markerFor(1234, 'openhands', 'run-openhands')}\n### OpenHands has finished`)
    const fake = fakeApi([earlier])
    await new ThreadComment(fake.api, ISSUE, MARKER, warnFake()).show(starting)
    expect(fake.updateComment).not.toHaveBeenCalled()
    expect(fake.createComment).toHaveBeenCalledWith(1, renderComment(MARKER, starting))
  })

  it('lists the thread once for the status comment and the follow-up alike', async () => {
    const fake = fakeApi([found(900, ACTIONS_BOT)])
    const ours = new OurComments(fake.api, 1)
    expect((await ours.all()).map((c) => c.id)).toEqual([900])
    await new ThreadComment(fake.api, ISSUE, MARKER, warnFake(), ours).show(starting)
    expect(fake.updateComment).toHaveBeenCalledWith(900, renderComment(MARKER, starting))
    expect(fake.commentsWith).toHaveBeenCalledTimes(1)
    expect(fake.identity).toHaveBeenCalledTimes(1)
  })

  it('edits the same comment in place on later shows', async () => {
    const fake = fakeApi()
    const comment = new ThreadComment(fake.api, PULL, MARKER, warnFake())
    await comment.show(starting)
    await comment.show(running)
    await comment.show(finished)
    expect(fake.identity).toHaveBeenCalledTimes(1)
    expect(fake.commentsWith).toHaveBeenCalledTimes(1)
    expect(fake.commentsWith).toHaveBeenCalledWith(2, MARKER_PREFIX)
    expect(fake.createComment).toHaveBeenCalledTimes(1)
    expect(fake.createComment).toHaveBeenCalledWith(2, renderComment(MARKER, starting))
    expect(fake.updateComment.mock.calls).toEqual([
      [5001, renderComment(MARKER, running)],
      [5001, renderComment(MARKER, finished)]
    ])
    expect(comment.url).toBe(commentUrl(1, 5001))
  })

  it('on a re-run, edits the comment that already carries the marker and never adds one', async () => {
    const existing = found(777, ACTIONS_BOT)
    const fake = fakeApi([existing])
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warnFake())
    await comment.show(starting)
    expect(comment.url).toBe(existing.url)
    await comment.show(finished)
    expect(fake.createComment).not.toHaveBeenCalled()
    expect(fake.commentsWith).toHaveBeenCalledTimes(1)
    expect(fake.updateComment.mock.calls).toEqual([
      [777, renderComment(MARKER, starting)],
      [777, renderComment(MARKER, finished)]
    ])
  })

  it('writes an unchanged body only once', async () => {
    const fake = fakeApi()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warnFake())
    await comment.show(running)
    await comment.show({ ...running })
    expect(fake.createComment).toHaveBeenCalledTimes(1)
    expect(fake.updateComment).not.toHaveBeenCalled()
    await comment.show(finished)
    await comment.show({ ...finished })
    expect(fake.updateComment).toHaveBeenCalledTimes(1)
  })

  it('takes the url GitHub gives back on each write', async () => {
    const fake = fakeApi()
    fake.updateComment.mockImplementation(async (id) => ({ id, url: `https://github.com/moved#issuecomment-${id}` }))
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warnFake())
    await comment.show(starting)
    await comment.show(running)
    expect(comment.url).toBe('https://github.com/moved#issuecomment-5001')
  })

  const methods = ['commentsWith', 'createComment'] as const

  it.each([
    ['an issue', 'issues: write', 'issue #1', ISSUE],
    ['a pull request', 'pull-requests: write', 'pull request #2', PULL]
  ])('on %s, a 403 warns once naming %s, does not throw, and makes no more calls', async (_what, permission, where, thread) => {
    for (const method of methods) {
      const fake = fakeApi()
      fake[method].mockRejectedValue(httpError(403, 'Resource not accessible by integration'))
      const warn = warnFake()
      const comment = new ThreadComment(fake.api, thread, MARKER, warn)
      await expect(comment.show(starting)).resolves.toBeUndefined()
      const callsAfterFailure = fake.calls()
      await expect(comment.show(running)).resolves.toBeUndefined()
      await expect(comment.show(finished)).resolves.toBeUndefined()
      expect(warn).toHaveBeenCalledTimes(1)
      expect(warn.mock.calls[0][0]).toContain(permission)
      expect(warn.mock.calls[0][0]).toContain(where)
      expect(warn.mock.calls[0][0]).toContain('Resource not accessible by integration')
      expect(fake.calls()).toBe(callsAfterFailure)
      expect(comment.url).toBeUndefined()
    }
  })

  it('posts a comment of its own when its earlier one can no longer be edited (deleted since it was listed)', async () => {
    const fake = fakeApi([found(9, ACTIONS_BOT)])
    fake.updateComment.mockRejectedValueOnce(httpError(404, 'Not Found'))
    const warn = warnFake()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warn)
    await comment.show(starting)
    expect(fake.createComment).toHaveBeenCalledTimes(1)
    expect(comment.url).not.toBe(commentUrl(ISSUE.number, 9))
    await comment.show(running)
    expect(fake.updateComment).toHaveBeenLastCalledWith(5001, expect.any(String))
    expect(warn).not.toHaveBeenCalled()
  })

  it('on a 403 editing its own comment later, warns once and stops', async () => {
    const fake = fakeApi()
    fake.updateComment.mockRejectedValue(httpError(403, 'Resource not accessible by integration'))
    const warn = warnFake()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warn)
    await comment.show(starting)
    await comment.show(running)
    const calls = fake.calls()
    await comment.show(finished)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toContain('issues: write')
    expect(fake.calls()).toBe(calls)
  })

  it('a 403 on a later edit also stops it, after one warning', async () => {
    const fake = fakeApi()
    fake.updateComment.mockRejectedValue(httpError(403, 'Forbidden'))
    const warn = warnFake()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warn)
    await comment.show(starting)
    await comment.show(running)
    await comment.show(finished)
    expect(fake.updateComment).toHaveBeenCalledTimes(1)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toContain('issues: write')
  })

  it('any other failure warns once without blaming the permission, and does not throw', async () => {
    const fake = fakeApi()
    fake.createComment.mockRejectedValue(httpError(500, 'Server Error'))
    const warn = warnFake()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warn)
    await expect(comment.show(starting)).resolves.toBeUndefined()
    await expect(comment.show(finished)).resolves.toBeUndefined()
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toContain('Server Error')
    expect(warn.mock.calls[0][0]).not.toContain('write')
  })
})

describe('ThreadComment.show: whose comment it is', () => {
  it.each([
    ['a person', [found(11, MALLORY)]],
    ['another bot', [found(12, RENOVATE)]],
    ['a deleted account', [found(13)]],
    ['a person and another bot', [found(11, MALLORY), found(12, RENOVATE)]]
  ])('never edits a comment with the marker by %s: it posts its own', async (_who, existing) => {
    const fake = fakeApi(existing)
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warnFake())
    await comment.show(starting)
    await comment.show(finished)
    expect(fake.createComment.mock.calls).toEqual([[1, renderComment(MARKER, starting)]])
    expect(fake.updateComment.mock.calls).toEqual([[5001, renderComment(MARKER, finished)]])
    expect(comment.url).toBe(commentUrl(1, 5001))
  })

  it('picks its own among the others, wherever it is in the list', async () => {
    const fake = fakeApi([found(11, MALLORY), found(12, RENOVATE), found(14, ACTIONS_BOT), found(15, MALLORY)])
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warnFake())
    await comment.show(starting)
    expect(fake.createComment).not.toHaveBeenCalled()
    expect(fake.updateComment.mock.calls).toEqual([[14, renderComment(MARKER, starting)]])
  })

  it("with a personal access token, its owner's comment is its own and GITHUB_TOKEN's is not", async () => {
    const fake = fakeApi([found(14, ACTIONS_BOT), found(16, MAINTAINER)], PAT)
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warnFake())
    await comment.show(starting)
    expect(fake.updateComment.mock.calls).toEqual([[16, renderComment(MARKER, starting)]])
  })

  it('warns once and writes nothing when GitHub cannot say who the token is', async () => {
    const fake = fakeApi([found(14, ACTIONS_BOT)])
    fake.identity.mockRejectedValue(httpError(500, 'GitHub did not answer GET /user within 3s'))
    const warn = warnFake()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warn)
    await comment.show(starting)
    await comment.show(finished)
    expect(warn.mock.calls).toEqual([['Could not comment on issue #1: GitHub did not answer GET /user within 3s']])
    expect(fake.commentsWith).not.toHaveBeenCalled()
    expect(fake.createComment).not.toHaveBeenCalled()
    expect(fake.updateComment).not.toHaveBeenCalled()
  })

  it('warns once, naming the refusal, when the comments list would send the token elsewhere; nothing is written', async () => {
    const fake = fakeApi()
    const refusal =
      'Refused to send the GitHub token to http://127.0.0.2:9 (GET /repos/o/r/issues/1/comments): the token goes only to https://api.github.com, the origin of GITHUB_API_URL'
    fake.commentsWith.mockRejectedValue(httpError(500, refusal))
    const warn = warnFake()
    const comment = new ThreadComment(fake.api, ISSUE, MARKER, warn)
    await comment.show(starting)
    await comment.show(finished)
    expect(warn.mock.calls).toEqual([[`Could not comment on issue #1: ${refusal}`]])
    expect(fake.createComment).not.toHaveBeenCalled()
  })
})

describe('writtenBy', () => {
  it.each([
    ['GITHUB_TOKEN: github-actions[bot]', ACTIONS_BOT, INSTALLATION, true],
    ['GITHUB_TOKEN: its login in another case', { ...ACTIONS_BOT, login: 'GitHub-Actions[bot]' }, INSTALLATION, true],
    ['GITHUB_TOKEN: another App’s bot', RENOVATE, INSTALLATION, false],
    ['GITHUB_TOKEN: a person', MALLORY, INSTALLATION, false],
    ['GITHUB_TOKEN: the bot’s login on an account that is not a Bot', { ...ACTIONS_BOT, type: 'User' }, INSTALLATION, false],
    ['GITHUB_TOKEN: a deleted account', undefined, INSTALLATION, false],
    ['a PAT: its owner', MAINTAINER, PAT, true],
    ['a PAT: its owner after a rename', { ...MAINTAINER, login: 'octo-renamed' }, PAT, true],
    ['a PAT: someone who took its old login', { ...MALLORY, login: MAINTAINER.login }, PAT, false],
    ['a PAT: github-actions[bot]', ACTIONS_BOT, PAT, false],
    ['a PAT: a deleted account', undefined, PAT, false]
  ] as Array<[string, CommentAuthor | undefined, TokenIdentity, boolean]>)('%s → %s', (_what, author, identity, expected) => {
    expect(writtenBy(author, identity)).toBe(expected)
  })
})

describe('commentFailure', () => {
  it.each([
    [403, 'issue #1', 'issues: write', ISSUE],
    [404, 'issue #1', 'issues: write', ISSUE],
    [403, 'pull request #2', 'pull-requests: write', PULL],
    [404, 'pull request #2', 'pull-requests: write', PULL]
  ])('a %s on %s names %s', (status, where, permission, thread) => {
    const message = commentFailure(httpError(status, 'Resource not accessible by integration'), thread)
    expect(message).toContain(`Could not comment on ${where}`)
    expect(message).toContain(permission)
    expect(message).toContain('permissions:')
    expect(message).toContain('Resource not accessible by integration')
  })

  it.each([
    ['a 500', httpError(500, 'Server Error'), 'Server Error'],
    ['a 422', httpError(422, 'Validation Failed'), 'Validation Failed'],
    ['a network error', new Error('socket hang up'), 'socket hang up'],
    ['a string', 'weird failure', 'weird failure']
  ])('%s names the failure but no permission', (_what, error, text) => {
    for (const thread of [ISSUE, PULL]) {
      const message = commentFailure(error, thread)
      expect(message).toContain(text)
      expect(message).not.toContain('write')
    }
    expect(commentFailure(error, ISSUE)).toContain('issue #1')
    expect(commentFailure(error, PULL)).toContain('pull request #2')
  })

  it('says what was being done', () => {
    expect(commentFailure(httpError(403, 'Forbidden'), PULL, 'react to the comment on')).toMatch(
      /^Could not react to the comment on pull request #2: .*pull-requests: write/
    )
  })

  it('reads the status of an error that is not an Error instance', () => {
    expect(commentFailure({ status: 403, message: 'Forbidden' }, ISSUE)).toContain('issues: write')
  })
})
