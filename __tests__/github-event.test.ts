import { describe, it, expect } from '@jest/globals'
import { describeEvent, needsGitHub, UNGATED_EVENTS } from '../src/github/event.js'
import { hook, payload, schedulePayload, type Hook, type HookPosted as Posted, type HookUser as User } from '../__fixtures__/webhooks.js'

// What the real examples hold (@octokit/webhooks-examples), spelled out so a
// test fails if describeEvent reads the wrong field.
const ISSUE = {
  number: 1,
  isPullRequest: false,
  title: 'Spelling error in the README file',
  url: 'https://github.com/Codertocat/Hello-World/issues/1',
  body: "It looks like you accidently spelled 'commit' with two 't's."
}
const PULL = {
  number: 2,
  isPullRequest: true,
  title: 'Update the README with new information.',
  url: 'https://github.com/Codertocat/Hello-World/pull/2',
  body: 'This is a pretty simple change that we need to pull into master.',
  head: { ref: 'changes', repository: 'Codertocat/Hello-World' }
}
const SENDER = { login: 'Codertocat', isBot: false }

describe('describeEvent: issues', () => {
  it.each(['labeled', 'opened', 'assigned'])('%s: the sender is the actor and the issue is the thread', (action) => {
    const body = hook('issues', action)
    // The issue's author is someone else: only the sender's permission matters.
    body.issue.user.login = 'issue-author'
    expect(describeEvent('issues', body)).toEqual({ name: 'issues', action, actor: SENDER, thread: ISSUE })
  })

  it('gives an empty description for an issue whose body is null', () => {
    const body = hook('issues', 'opened')
    body.issue.body = null
    expect(describeEvent('issues', body).thread).toEqual({ ...ISSUE, body: '' })
  })
})

describe('describeEvent: pull requests', () => {
  it.each([
    ['pull_request', 'labeled'],
    ['pull_request', 'opened'],
    ['pull_request_target', 'labeled'],
    ['pull_request_target', 'opened']
  ])('%s %s: the sender is the actor and the thread is a pull request', (name, action) => {
    // pull_request_target carries the same payload as pull_request.
    const body = hook('pull_request', action)
    body.pull_request.user.login = 'pr-author'
    const event = describeEvent(name, body)
    expect(event).toEqual({ name, action, actor: SENDER, thread: PULL })
    expect(event.comment).toBeUndefined()
  })
})

describe('describeEvent: comments and reviews', () => {
  it('issue_comment: the comment author is the actor, not the sender', () => {
    const body = hook('issue_comment', 'created')
    body.sender.login = 'someone-else'
    ;(body.comment.user as User).login = 'commenter'
    body.comment.body = '@openhands fix the typo'
    expect(describeEvent('issue_comment', body)).toEqual({
      name: 'issue_comment',
      action: 'created',
      actor: { login: 'commenter', isBot: false },
      thread: ISSUE,
      comment: {
        id: 492700400,
        body: '@openhands fix the typo',
        url: 'https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400',
        author: { login: 'commenter', isBot: false },
        kind: 'issue-comment'
      }
    })
  })

  it('issue_comment on a pull request: the issue carries a pull_request link, so the thread is a pull request', () => {
    const body = hook('issue_comment', 'created')
    body.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' }
    const event = describeEvent('issue_comment', body)
    expect(event.thread).toEqual({ ...ISSUE, isPullRequest: true })
    expect(event.comment?.kind).toBe('issue-comment')
  })

  it('pull_request_review_comment: a review comment on the pull request', () => {
    const body = hook('pull_request_review_comment', 'created')
    body.sender.login = 'someone-else'
    ;(body.comment.user as User).login = 'reviewer'
    expect(describeEvent('pull_request_review_comment', body)).toEqual({
      name: 'pull_request_review_comment',
      action: 'created',
      actor: { login: 'reviewer', isBot: false },
      thread: PULL,
      comment: {
        id: 284312630,
        body: 'Maybe you should use more emoji on this line.',
        url: 'https://github.com/Codertocat/Hello-World/pull/2#discussion_r284312630',
        author: { login: 'reviewer', isBot: false },
        kind: 'review-comment',
        // The first example predates line numbers: it has only the diff position.
        place: { path: 'README.md', outdated: false, diffHunk: '@@ -1 +1 @@\n-# Hello-World' }
      }
    })
  })

  it('pull_request_review_comment: the line a newer payload names, on the right side', () => {
    const body = hook('pull_request_review_comment', 'created')
    Object.assign(body.comment, { line: 265, start_line: null, original_line: 265, original_start_line: null, side: 'RIGHT', start_side: null })
    expect(describeEvent('pull_request_review_comment', body).comment?.place).toEqual({
      path: 'README.md',
      lines: { start: 265, end: 265, startSide: 'RIGHT', side: 'RIGHT' },
      outdated: false,
      diffHunk: '@@ -1 +1 @@\n-# Hello-World'
    })
  })

  it.each([
    [
      'a range on one side',
      { line: 12, start_line: 10, side: 'LEFT', start_side: 'LEFT' },
      { lines: { start: 10, end: 12, startSide: 'LEFT', side: 'LEFT' }, outdated: false }
    ],
    [
      'a range across sides',
      { line: 7, start_line: 5, side: 'RIGHT', start_side: 'LEFT' },
      { lines: { start: 5, end: 7, startSide: 'LEFT', side: 'RIGHT' }, outdated: false }
    ],
    [
      'an outdated comment (line cleared by a later commit)',
      { line: null, start_line: null, original_line: 9, original_start_line: 4, side: 'RIGHT', start_side: 'RIGHT' },
      { lines: { start: 4, end: 9, startSide: 'RIGHT', side: 'RIGHT' }, outdated: true }
    ],
    ['a comment on the whole file', { line: null, original_line: null, subject_type: 'file' }, { outdated: false }],
    ['line numbers of the wrong type', { line: '3', start_line: 1.5, original_line: -1 }, { outdated: false }]
  ])('pull_request_review_comment: %s', (_what, fields, expected) => {
    const body = hook('pull_request_review_comment', 'created')
    Object.assign(body.comment, fields)
    expect(describeEvent('pull_request_review_comment', body).comment?.place).toEqual({
      path: 'README.md',
      diffHunk: '@@ -1 +1 @@\n-# Hello-World',
      ...expected
    })
  })

  it('pull_request_review_comment: a reply names the comment it answers', () => {
    const body = hook('pull_request_review_comment', 'created')
    Object.assign(body.comment, { in_reply_to_id: 284312600 })
    expect(describeEvent('pull_request_review_comment', body).comment?.inReplyTo).toBe(284312600)
    Object.assign(body.comment, { in_reply_to_id: '284312600' })
    expect(describeEvent('pull_request_review_comment', body).comment?.inReplyTo).toBeUndefined()
  })

  it('pull_request_review: the review is the comment, and its null body is empty', () => {
    const body = hook('pull_request_review', 'submitted')
    expect(body.review.body).toBeNull()
    body.sender.login = 'someone-else'
    ;(body.review.user as User).login = 'reviewer'
    expect(describeEvent('pull_request_review', body)).toEqual({
      name: 'pull_request_review',
      action: 'submitted',
      actor: { login: 'reviewer', isBot: false },
      thread: PULL,
      comment: {
        id: 237895671,
        body: '',
        url: 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671',
        author: { login: 'reviewer', isBot: false },
        kind: 'review',
        state: 'commented'
      }
    })
  })

  it.each([
    ['approved', 'approved'],
    ['CHANGES_REQUESTED', 'changes_requested'],
    [null, undefined]
  ])('pull_request_review: the state %j reads as %j', (state, expected) => {
    const body = hook('pull_request_review', 'submitted')
    Object.assign(body.review, { state })
    expect(describeEvent('pull_request_review', body).comment?.state).toBe(expected)
  })

  it('pull_request_review: a review with a body keeps it', () => {
    const body = hook('pull_request_review', 'submitted')
    body.review.body = 'Looks good, @openhands please add tests'
    expect(describeEvent('pull_request_review', body).comment?.body).toBe('Looks good, @openhands please add tests')
  })
})

describe('describeEvent: events nobody needs checking for', () => {
  it.each([
    ['schedule', schedulePayload, undefined],
    ['workflow_dispatch', payload('workflow_dispatch'), undefined],
    ['repository_dispatch', payload('repository_dispatch'), 'on-demand-test']
  ])('%s has no actor and no thread, even with a sender in the payload', (name, body, action) => {
    const event = describeEvent(name, body)
    expect(event).toEqual({ name, action })
    expect(event.actor).toBeUndefined()
    expect(event.thread).toBeUndefined()
    expect(event.comment).toBeUndefined()
    expect(needsGitHub(name)).toBe(false)
  })

  it('the real workflow_dispatch example does have a sender, which is ignored', () => {
    expect((payload('workflow_dispatch') as Hook).sender.login).toBe('octocat')
    expect(describeEvent('workflow_dispatch', payload('workflow_dispatch')).actor).toBeUndefined()
  })
})

describe('describeEvent: other events a person caused', () => {
  it.each([
    ['push', payload('push')],
    ['discussion', payload('discussion', 'created')]
  ])('%s: the sender is the actor, there is no thread, and the event is gated', (name, body) => {
    const event = describeEvent(name, body)
    expect(event.actor).toEqual(SENDER)
    expect(event.thread).toBeUndefined()
    expect(event.comment).toBeUndefined()
    expect(needsGitHub(name)).toBe(true)
  })
})

describe('describeEvent: bots', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['dependabot[bot]', 'Bot', true],
    ['my-github-app', 'Bot', true],
    ['renovate[bot]', 'User', true],
    ['x[bot]', undefined, true],
    ['octocat', 'User', false],
    ['octo-org', 'Organization', false],
    ['botanist', 'User', false],
    ['robot', 'User', false]
  ]

  it.each(cases)('sender %s of type %s: isBot %s', (login, type, isBot) => {
    const body = hook('issues', 'labeled')
    body.sender = { ...body.sender, login, type }
    expect(describeEvent('issues', body).actor).toEqual({ login, isBot })
  })

  it.each(cases)('comment author %s of type %s: isBot %s', (login, type, isBot) => {
    const body = hook('issue_comment', 'created')
    body.comment.user = { ...(body.comment.user as User), login, type }
    const event = describeEvent('issue_comment', body)
    expect(event.actor).toEqual({ login, isBot })
    expect(event.comment?.author).toEqual({ login, isBot })
  })

  it.each(cases)('reviewer %s of type %s: isBot %s', (login, type, isBot) => {
    const body = hook('pull_request_review', 'submitted')
    body.review.user = { ...(body.review.user as User), login, type }
    expect(describeEvent('pull_request_review', body).actor).toEqual({ login, isBot })
  })
})

describe('describeEvent: garbage payloads', () => {
  const GATED = ['issues', 'issue_comment', 'pull_request', 'pull_request_target', 'pull_request_review_comment', 'pull_request_review', 'push', 'discussion']
  const GARBAGE: unknown[] = [
    null,
    undefined,
    [],
    [payload('issue_comment', 'created')],
    '',
    '{"sender":{"login":"Codertocat"}}',
    42,
    true,
    {},
    { sender: 'Codertocat', issue: 'x', pull_request: [], comment: null, review: 7 },
    { sender: { login: 42 }, issue: { number: '1' }, comment: { id: '1', user: 'x' } }
  ]
  const cases = GATED.flatMap((name) => GARBAGE.map((body) => [name, body] as [string, unknown]))

  it.each(cases)('%s with %j: no throw, no thread, comment or actor', (name, body) => {
    let event: ReturnType<typeof describeEvent> | undefined
    expect(() => (event = describeEvent(name, body))).not.toThrow()
    expect(event?.name).toBe(name)
    expect(event?.thread).toBeUndefined()
    expect(event?.comment).toBeUndefined()
    expect(event?.actor).toBeUndefined()
  })

  it.each([null, [], 'text', 5])('an ungated event with %j gives just the name', (body) => {
    expect(describeEvent('schedule', body)).toEqual({ name: 'schedule', action: undefined })
  })

  it.each([
    ['a number as a string', '1'],
    ['a fraction', 1.5],
    ['null', null],
    ['missing', undefined]
  ])('an issue number that is %s gives no thread', (_what, number) => {
    const body = hook('issues', 'labeled')
    body.issue.number = number
    const event = describeEvent('issues', body)
    expect(event.thread).toBeUndefined()
    // The sender is still known.
    expect(event.actor).toEqual(SENDER)
  })

  it('a pull request number that is a string gives no thread', () => {
    const body = hook('pull_request', 'opened')
    body.pull_request.number = '2'
    expect(describeEvent('pull_request', body).thread).toBeUndefined()
  })

  it.each([
    ['a comment id that is a string', (body: Hook) => (body.comment.id = '492700400')],
    ['no comment id', (body: Hook) => (body.comment.id = undefined)],
    ['no comment author', (body: Hook) => (body.comment.user = undefined)],
    ['a comment author that is a string', (body: Hook) => (body.comment.user = 'Codertocat')],
    ['a comment author with no login', (body: Hook) => (body.comment.user = { type: 'User' })],
    ['a comment author with an empty login', (body: Hook) => (body.comment.user = { login: '', type: 'User' })],
    ['a comment author whose login is a number', (body: Hook) => (body.comment.user = { login: 21031067, type: 'User' })],
    ['no comment at all', (body: Hook) => delete (body as Record<string, unknown>).comment]
  ])('issue_comment with %s: no comment and no actor (the sender does not stand in)', (_what, spoil) => {
    const body = hook('issue_comment', 'created')
    spoil(body)
    const event = describeEvent('issue_comment', body)
    expect(event.comment).toBeUndefined()
    expect(event.actor).toBeUndefined()
    expect(event.thread).toEqual(ISSUE)
  })

  it('pull_request_review with a null review: no comment and no actor', () => {
    const body = hook('pull_request_review', 'submitted')
    body.review = null as unknown as Posted
    const event = describeEvent('pull_request_review', body)
    expect(event.comment).toBeUndefined()
    expect(event.actor).toBeUndefined()
    expect(event.thread).toEqual(PULL)
  })

  it.each([
    ['a fork', { ref: 'patch-1', repo: { full_name: 'someone/Hello-World' } }, { ref: 'patch-1', repository: 'someone/Hello-World' }],
    ['a deleted fork (repo null)', { ref: 'patch-1', repo: null }, { ref: 'patch-1', repository: '' }],
    ['no ref', { ref: '', repo: { full_name: 'Codertocat/Hello-World' } }, undefined],
    ['a head that is not an object', 'changes', undefined]
  ])('pull_request whose head is %s', (_what, head, expected) => {
    const body = hook('pull_request', 'opened')
    ;(body.pull_request as unknown as { head: unknown }).head = head
    expect(describeEvent('pull_request', body).thread?.head).toEqual(expected)
  })

  it.each([
    ['null', null],
    ['a string', 'Codertocat'],
    ['an empty login', { login: '', type: 'User' }],
    ['a numeric login', { login: 1, type: 'User' }]
  ])('issues with a sender that is %s: no actor', (_what, sender) => {
    const body = hook('issues', 'labeled')
    body.sender = sender as unknown as User
    expect(describeEvent('issues', body).actor).toBeUndefined()
  })

  it('fields of the wrong type become empty text', () => {
    const body = hook('issues', 'opened')
    body.issue.title = 12
    body.issue.body = { text: 'x' }
    body.issue.html_url = ['https://github.com']
    expect(describeEvent('issues', body).thread).toEqual({ number: 1, isPullRequest: false, title: '', url: '', body: '' })
  })

  it.each([
    ['a number', 3],
    ['empty', ''],
    ['an object', { name: 'labeled' }]
  ])('an action that is %s is left out', (_what, action) => {
    const body = hook('issues', 'labeled')
    body.action = action
    expect(describeEvent('issues', body).action).toBeUndefined()
  })
})

describe('needsGitHub', () => {
  it.each([
    ['issues', true],
    ['issue_comment', true],
    ['pull_request', true],
    ['pull_request_target', true],
    ['pull_request_review_comment', true],
    ['pull_request_review', true],
    ['push', true],
    ['discussion', true],
    ['schedule', false],
    ['workflow_dispatch', false],
    ['repository_dispatch', false],
    ['', false]
  ])('%j → %s', (name, expected) => {
    expect(needsGitHub(name)).toBe(expected)
  })

  it('UNGATED_EVENTS lists exactly the events that need no check', () => {
    expect([...UNGATED_EVENTS].sort()).toEqual(['repository_dispatch', 'schedule', 'workflow_dispatch'])
  })
})
