import { describe, expect, it, jest } from '@jest/globals'
import type { GitHubApi } from '../src/github/api.js'
import type { Thread } from '../src/github/event.js'
import { branchFromHead, pullRequestBranch } from '../src/github/pr-branch.js'

const REPO = 'Codertocat/Hello-World'
const pull = (head?: Thread['head']): Thread => ({
  number: 7,
  isPullRequest: true,
  title: 'T',
  url: 'https://github.com/Codertocat/Hello-World/pull/7',
  body: '',
  head
})
const issue: Thread = { number: 3, isPullRequest: false, title: 'T', url: 'https://github.com/Codertocat/Hello-World/issues/3', body: '' }

function api(answer: () => Promise<{ ref: string; repository: string }>) {
  return { pullRequestHead: jest.fn<GitHubApi['pullRequestHead']>(answer) }
}

describe('branchFromHead', () => {
  it("takes the pull request's branch when it is in the repository the agent works on (any letter case)", () => {
    expect(branchFromHead({ ref: 'fix/login', repository: 'codertocat/hello-world' }, REPO, 7)).toEqual({
      branch: 'fix/login',
      note: "Starting from the pull request's branch fix/login (set branch to choose another)."
    })
  })

  it("keeps the default branch for a fork's pull request, and says where its code is", () => {
    const choice = branchFromHead({ ref: 'patch-1', repository: 'someone/Hello-World' }, REPO, 7, 'codertocat/hello-world')
    const note =
      "Pull request #7 comes from the fork someone/Hello-World, which the agent cannot push to: it starts from the default branch of Codertocat/Hello-World, is told the pull request's code is at refs/pull/7/head, and opens a new pull request for its changes. Set branch to choose another."
    expect(choice).toEqual({
      note,
      fork: { number: 7, repository: 'someone/Hello-World', branch: 'patch-1', base: REPO, ref: 'refs/pull/7/head', note }
    })
  })

  it('takes the repository the agent works on as the base when none is given', () => {
    expect(branchFromHead({ ref: 'patch-1', repository: 'someone/Hello-World' }, REPO, 7).fork?.ref).toBe('refs/pull/7/head')
  })

  it('treats a deleted fork as a fork', () => {
    const choice = branchFromHead({ ref: 'patch-1', repository: '' }, REPO, 7, REPO)
    expect(choice.branch).toBeUndefined()
    expect(choice.fork).toMatchObject({ repository: '', branch: 'patch-1', ref: 'refs/pull/7/head' })
    expect(choice.note).toMatch(/^Pull request #7 comes from a fork GitHub no longer knows, which the agent cannot push to/)
  })

  it('says the branch is elsewhere, with no fork advice, when the agent works on another repository than the pull request', () => {
    const choice = branchFromHead({ ref: 'fix', repository: REPO }, 'other/tools', 7, REPO)
    expect(choice).toEqual({
      note: 'The branch of pull request #7 is in Codertocat/Hello-World, not in other/tools: the agent starts from the default branch of other/tools. Set branch to choose another.'
    })
  })
})

describe('pullRequestBranch', () => {
  it('uses the head from the payload without asking GitHub', async () => {
    const github = api(async () => ({ ref: 'other', repository: REPO }))
    expect((await pullRequestBranch(pull({ ref: 'changes', repository: REPO }), REPO, github)).branch).toBe('changes')
    expect(github.pullRequestHead).not.toHaveBeenCalled()
  })

  it('asks GitHub for the head when the payload has none (an issue_comment on a pull request)', async () => {
    const github = api(async () => ({ ref: 'feature', repository: REPO }))
    expect((await pullRequestBranch(pull(), REPO, github)).branch).toBe('feature')
    expect(github.pullRequestHead).toHaveBeenCalledWith(7)
  })

  it.each([
    ['an issue', issue, REPO],
    ['no thread (a schedule)', undefined, REPO],
    ['no repository (repository: none)', pull(), undefined]
  ])('chooses nothing and asks nothing for %s', async (_what, thread, repository) => {
    const github = api(async () => ({ ref: 'feature', repository: REPO }))
    expect(await pullRequestBranch(thread, repository, github)).toEqual({})
    expect(github.pullRequestHead).not.toHaveBeenCalled()
  })

  it("reports a fork's pull request read from GitHub (an issue_comment), against the workflow's repository", async () => {
    const github = api(async () => ({ ref: 'patch-1', repository: 'someone/Hello-World' }))
    const choice = await pullRequestBranch(pull(), REPO, github, REPO)
    expect(choice.branch).toBeUndefined()
    expect(choice.fork).toMatchObject({ number: 7, repository: 'someone/Hello-World', base: REPO, ref: 'refs/pull/7/head' })
  })

  it.each([403, 404])('warns, naming the permission, when GitHub answers %i, and keeps the default branch', async (status) => {
    const github = api(async () => {
      throw Object.assign(new Error('Resource not accessible by integration'), { status })
    })
    const choice = await pullRequestBranch(pull(), REPO, github)
    expect(choice.branch).toBeUndefined()
    expect(choice.warn).toBe(true)
    expect(choice.note).toBe(
      'Could not read the branch of pull request #7 (the token lacks the `pull-requests: read` permission): the agent starts from the default branch. Grant pull-requests: read, or set branch.'
    )
  })

  it("passes on any other failure's own words", async () => {
    const github = api(async () => {
      throw new Error('socket hang up')
    })
    const choice = await pullRequestBranch(pull(), REPO, github)
    expect(choice).toMatchObject({ warn: true, note: expect.stringContaining('(socket hang up)') })
  })
})
