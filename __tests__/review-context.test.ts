import { describe, expect, it, jest } from '@jest/globals'
import type { GitHubApi } from '../src/github/api.js'
import { describeEvent, type ReviewComment, type TriggerEvent } from '../src/github/event.js'
import { earlierInThread, readReviewComments } from '../src/github/review-context.js'
import { hook, payload } from '../__fixtures__/webhooks.js'

const comment = (id: number, inReplyTo?: number): ReviewComment => ({
  id,
  body: `comment ${id}`,
  url: `https://github.com/Codertocat/Hello-World/pull/2#discussion_r${id}`,
  author: { login: 'someone', isBot: false },
  place: { path: 'README.md', outdated: false, diffHunk: '' },
  ...(inReplyTo === undefined ? {} : { inReplyTo })
})

function fakeApi(answers: { all?: () => Promise<ReviewComment[]>; review?: () => Promise<ReviewComment[]> } = {}) {
  return {
    reviewComments: jest.fn<GitHubApi['reviewComments']>(answers.all ?? (async () => [])),
    commentsOfReview: jest.fn<GitHubApi['commentsOfReview']>(answers.review ?? (async () => []))
  }
}

function replyEvent(id: number, inReplyTo?: number): TriggerEvent {
  const data = hook('pull_request_review_comment', 'created')
  Object.assign(data.comment, { id, in_reply_to_id: inReplyTo ?? null })
  return describeEvent('pull_request_review_comment', data)
}

describe('earlierInThread', () => {
  it("keeps the thread's comments before the given one, oldest first, and no other thread's", () => {
    const all = [comment(30, 10), comment(10), comment(20), comment(25, 20), comment(40, 10), comment(35, 10)]
    expect(earlierInThread(all, 40, 10).map((c) => c.id)).toEqual([10, 30, 35])
  })

  it('follows replies to replies, up to the first comment and down from it', () => {
    const all = [comment(1), comment(2, 1), comment(3, 2), comment(4, 3), comment(5)]
    expect(earlierInThread(all, 4, 3).map((c) => c.id)).toEqual([1, 2, 3])
  })

  it('ends on a loop of replies instead of running forever', () => {
    const all = [comment(1, 2), comment(2, 1), comment(3, 1)]
    expect(earlierInThread(all, 3, 1).map((c) => c.id)).toEqual([1, 2])
  })

  it('finds nothing when the first comment is gone', () => {
    expect(earlierInThread([comment(5)], 9, 1)).toEqual([])
  })
})

describe('readReviewComments', () => {
  it('reads the earlier comments of a reply, asking for the pull request and the comment to stop at', async () => {
    const api = fakeApi({ all: async () => [comment(100), comment(150), comment(200, 100), comment(300, 100)] })
    const warn = jest.fn()
    const found = await readReviewComments(replyEvent(300, 100), api, warn)
    expect(found).toEqual({ kind: 'thread', comments: [comment(100), comment(200, 100)] })
    expect(api.reviewComments).toHaveBeenCalledWith(2, 300)
    expect(api.commentsOfReview).not.toHaveBeenCalled()
    expect(warn).not.toHaveBeenCalled()
  })

  it("reads a review's comments by its id", async () => {
    const api = fakeApi({ review: async () => [comment(7)] })
    const found = await readReviewComments(describeEvent('pull_request_review', hook('pull_request_review', 'submitted')), api, jest.fn())
    expect(found).toEqual({ kind: 'review', comments: [comment(7)] })
    expect(api.commentsOfReview).toHaveBeenCalledWith(2, 237895671)
  })

  it.each([
    ['a review comment that starts its thread', replyEvent(300)],
    ['an issue comment', describeEvent('issue_comment', payload('issue_comment', 'created'))],
    ['a pull request event', describeEvent('pull_request', payload('pull_request', 'opened'))]
  ])('asks nothing for %s', async (_what, event) => {
    const api = fakeApi()
    expect(await readReviewComments(event, api, jest.fn())).toBeUndefined()
    expect(api.reviewComments).not.toHaveBeenCalled()
    expect(api.commentsOfReview).not.toHaveBeenCalled()
  })

  it('asks nothing without a GitHub connection', async () => {
    expect(await readReviewComments(replyEvent(300, 100), undefined, jest.fn())).toBeUndefined()
  })

  it.each([
    [403, 'the token lacks the `pull-requests: read` permission'],
    [404, 'the token lacks the `pull-requests: read` permission'],
    [500, 'Server Error']
  ])('warns and goes on without them when GitHub answers %i', async (status, reason) => {
    const failure = async (): Promise<never> => {
      throw Object.assign(new Error('Server Error'), { status })
    }
    const warn = jest.fn()
    expect(await readReviewComments(replyEvent(300, 100), fakeApi({ all: failure }), warn)).toEqual({ kind: 'thread', comments: [], unavailable: true })
    expect(warn).toHaveBeenCalledWith(
      `Could not read the earlier comments of the review thread on pull request #2 (${reason}): the agent gets the context without them.`
    )
    const review = describeEvent('pull_request_review', hook('pull_request_review', 'submitted'))
    expect(await readReviewComments(review, fakeApi({ review: failure }), warn)).toEqual({ kind: 'review', comments: [], unavailable: true })
    expect(warn).toHaveBeenLastCalledWith(`Could not read the review's comments on pull request #2 (${reason}): the agent gets the context without them.`)
  })
})
