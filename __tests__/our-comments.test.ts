import { describe, expect, it, jest } from '@jest/globals'
import type { FoundComment, GitHubApi, TokenIdentity } from '../src/github/api.js'
import { conversationIdIn, MARKER_PREFIX, newestConversation, OurComments } from '../src/github/our-comments.js'
import { markerFor, renderComment, type CommentView } from '../src/github/thread-comment.js'

const BASE = 'https://app.all-hands.dev'
const ID = '7f3a9c2e51b84d0fa6e2c19b8d4f7a30'
const OTHER = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e'
const MARKER = markerFor(4242, 'respond', 'openhands')

const view = (more: Partial<CommentView> = {}): CommentView => ({
  conversationUrl: `${BASE}/conversations/${ID}`,
  title: 'Fix the flaky test',
  status: 'STOPPED',
  agentState: 'finished',
  prUrls: [],
  runUrl: 'https://github.com/o/r/actions/runs/4242',
  elapsedMs: 61_000,
  ...more
})

describe('conversationIdIn', () => {
  it("finds the conversation in the action's own rendered comment, on the same base URL only", () => {
    const body = renderComment(MARKER, view())
    expect(conversationIdIn(body, BASE)).toBe(ID)
    expect(conversationIdIn(body, 'https://openhands.example.com')).toBeUndefined()
    // A self-hosted server under a path prefix, whose dots are not wildcards.
    const prefixed = 'https://tools.example.com/openhands'
    expect(conversationIdIn(renderComment(MARKER, view({ conversationUrl: `${prefixed}/conversations/${ID}` })), prefixed)).toBe(ID)
    expect(
      conversationIdIn(renderComment(MARKER, view({ conversationUrl: `https://toolsXexample.com/openhands/conversations/${ID}` })), prefixed)
    ).toBeUndefined()
  })

  it('takes the link of the Conversation row, not one the title, the failure or the final message spells', () => {
    const spoof = `](${BASE}/conversations/${OTHER}) |`
    const body = renderComment(
      MARKER,
      view({
        title: `x${spoof}`,
        failure: `see [here](${BASE}/conversations/${OTHER})`,
        finalMessage: `| Conversation | [a](${BASE}/conversations/${OTHER}) |`
      })
    )
    expect(conversationIdIn(body, BASE)).toBe(ID)
  })

  it('finds none in a comment of a step that has not started a conversation', () => {
    expect(conversationIdIn(renderComment(MARKER, view({ conversationUrl: undefined, elapsedMs: undefined })), BASE)).toBeUndefined()
  })
})

describe('newestConversation', () => {
  it('takes the newest comment that names one', () => {
    const comments = [
      renderComment(MARKER, view({ conversationUrl: `${BASE}/conversations/${OTHER}` })),
      renderComment(MARKER, view()),
      renderComment(MARKER, view({ conversationUrl: undefined }))
    ]
    expect(
      newestConversation(
        comments.map((body) => ({ body })),
        BASE
      )
    ).toBe(ID)
    expect(newestConversation([], BASE)).toBeUndefined()
  })
})

describe('OurComments', () => {
  const comment = (id: number, author: FoundComment['author']): FoundComment => ({
    id,
    url: `https://github.com/o/r/issues/1#issuecomment-${id}`,
    author,
    body: `${MARKER}\n`
  })
  const bot = { id: 41898282, login: 'github-actions[bot]', type: 'Bot' }
  const lookalike = { id: 7, login: 'github-actions[bot]', type: 'User' }

  function api(identity: TokenIdentity, comments: FoundComment[]) {
    return {
      identity: jest.fn<GitHubApi['identity']>(async () => identity),
      commentsWith: jest.fn<GitHubApi['commentsWith']>(async () => comments)
    }
  }

  it("keeps only the token's own comments, and lists them once for every caller", async () => {
    const github = api({ kind: 'installation' }, [comment(1, lookalike), comment(2, bot), comment(3, undefined)])
    const ours = new OurComments(github, 12)
    expect((await ours.all()).map((c) => c.id)).toEqual([2])
    await ours.all()
    expect(github.commentsWith).toHaveBeenCalledTimes(1)
    expect(github.commentsWith).toHaveBeenCalledWith(12, MARKER_PREFIX)
    expect(github.identity).toHaveBeenCalledTimes(1)
  })

  it('fails every caller alike after a failed listing, asking once', async () => {
    const github = api({ kind: 'user', id: 7, login: 'someone' }, [comment(1, lookalike)])
    github.commentsWith.mockRejectedValueOnce(new Error('502'))
    const ours = new OurComments(github, 12)
    await expect(ours.all()).rejects.toThrow('502')
    await expect(ours.all()).rejects.toThrow('502')
    expect(github.commentsWith).toHaveBeenCalledTimes(1)
  })
})
