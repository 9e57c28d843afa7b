// The few GitHub REST calls the action makes, behind an interface the rest of
// the code (and its tests) can rely on. @actions/github and its Octokit are
// loaded only here, and only when an event actually needs them: a scheduled run
// never pays for loading them.
import { octokitFetch } from '../http/octokit-fetch.js'
import { headOf, type PullRequestHead, type ReviewComment, reviewCommentOf, type TriggerComment } from './event.js'

export interface PostedComment {
  id: number
  url: string
}

/** Who wrote a comment, as GitHub names them. */
export interface CommentAuthor {
  id: number
  login: string
  /** `User` or `Bot`. */
  type: string
}

export interface FoundComment extends PostedComment {
  /** Undefined for a deleted account (GitHub's ghost). */
  author?: CommentAuthor
  body: string
}

/**
 * Who github-token acts as. A personal access token has a user (GET /user); an
 * installation token (GITHUB_TOKEN, a GitHub App's) has none, and GitHub answers 403.
 */
export type TokenIdentity = { kind: 'user'; id: number; login: string } | { kind: 'installation' }

/** The step's clock and the end of its `timeout`: no GitHub call outlives it. */
export interface StepTime {
  deadline: number
  now: () => number
}

export interface GitHubApi {
  /** The person's role on the repository (`admin`, `maintain`, `write`, `triage`, `read`), or `none`. */
  roleOf(login: string): Promise<string>
  identity(): Promise<TokenIdentity>
  /** The issue's comments that carry the marker, oldest first, whoever wrote them. */
  commentsWith(issue: number, marker: string): Promise<FoundComment[]>
  createComment(issue: number, body: string): Promise<PostedComment>
  updateComment(id: number, body: string): Promise<PostedComment>
  react(comment: Pick<TriggerComment, 'id' | 'kind'>, content: 'eyes'): Promise<void>
  /** The pull request's branch, for events whose payload does not carry it (issue_comment). */
  pullRequestHead(number: number): Promise<PullRequestHead>
  /** The pull request's review comments, oldest first, up to the page that holds comment `until` (at most 1,000). */
  reviewComments(pull: number, until: number): Promise<ReviewComment[]>
  /** The comments of one review of the pull request, in GitHub's order (at most 1,000). */
  commentsOfReview(pull: number, review: number): Promise<ReviewComment[]>
}

export interface GitHubRun {
  api: GitHubApi
  payload: unknown
  /** `owner/repo` of the workflow. */
  repository: string
  /** Link to this workflow run, for the thread comment. */
  runUrl: string
  serverUrl: string
  runId: number
}

// GitHub answers these calls in well under a second; the permission gate and the
// thread comment must not hold the step for long when it does not.
const GITHUB_TIMEOUT_MS = 30_000

// Enough for any real review or thread; a pull request with more review comments
// than this is not worth holding the step for.
const MAX_REVIEW_COMMENT_PAGES = 10

const STANDARD_ROLES: ReadonlySet<string> = new Set(['admin', 'maintain', 'write', 'triage', 'read'])

/** HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/**
 * GitHub's REST API for this run: GITHUB_API_URL, as the runner sets it (GHES,
 * a stand-in). Read here, at connect time, because @actions/github reads it once
 * when first loaded, and @github/local-action's stand-in for it loads before the
 * .env file is read.
 */
export function apiBaseUrl(): string {
  return process.env.GITHUB_API_URL || 'https://api.github.com'
}

/** The workflow's own repository: where the event happened, whatever `repository` the agent works on. */
export async function connectGitHub(token: string, time: StepTime = { deadline: Infinity, now: Date.now }): Promise<GitHubRun> {
  const { context, getOctokit } = await import('@actions/github')
  const baseUrl = apiBaseUrl()
  // Our own HTTP stack rather than @actions/github's undici fetch, and the token to baseUrl's origin only (see octokit-fetch.ts).
  const fetch = octokitFetch({ origin: new URL(baseUrl).origin, callMs: GITHUB_TIMEOUT_MS, ...time })
  const octokit = getOctokit(token, { baseUrl, request: { fetch } })
  const { owner, repo } = context.repo

  const api: GitHubApi = {
    async roleOf(username) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username })
        const role = (data as { role_name?: string }).role_name ?? ''
        // A custom role has its own name; its legacy `permission` is the base role it builds on.
        return STANDARD_ROLES.has(role) ? role : data.permission
      } catch (error) {
        // Not a user GitHub knows in this repository: no permission at all.
        if (statusOf(error) === 404) return 'none'
        throw error
      }
    },
    async identity() {
      try {
        const { data } = await octokit.rest.users.getAuthenticated()
        return { kind: 'user', id: data.id, login: data.login }
      } catch (error) {
        if (statusOf(error) === 403) return { kind: 'installation' }
        throw error
      }
    },
    async commentsWith(issue, marker) {
      const found: FoundComment[] = []
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100 })) {
        for (const comment of page.data) {
          const body = comment.body ?? ''
          if (!body.includes(marker)) continue
          const user = comment.user
          const author = user ? { id: user.id, login: user.login, type: user.type } : undefined
          found.push({ id: comment.id, url: comment.html_url, author, body })
        }
      }
      return found
    },
    async createComment(issue, body) {
      const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body })
      return { id: data.id, url: data.html_url }
    },
    async updateComment(id, body) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })
      return { id: data.id, url: data.html_url }
    },
    async react(comment, content) {
      if (comment.kind === 'review-comment') {
        await octokit.rest.reactions.createForPullRequestReviewComment({ owner, repo, comment_id: comment.id, content })
      } else if (comment.kind === 'issue-comment') {
        await octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content })
      }
      // A review itself cannot carry a reaction.
    },
    async pullRequestHead(number) {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number })
      const head = headOf(data.head)
      if (head === undefined) throw new Error(`GitHub's answer for pull request #${number} has no head branch`)
      return head
    },
    async reviewComments(pull, until) {
      const pages = octokit.paginate.iterator(octokit.rest.pulls.listReviewComments, {
        owner,
        repo,
        pull_number: pull,
        sort: 'created',
        direction: 'asc',
        per_page: 100
      })
      return collectReviewComments(pages, (page) => page.some((comment) => comment.id === until))
    },
    async commentsOfReview(pull, review) {
      const pages = octokit.paginate.iterator(octokit.rest.pulls.listCommentsForReview, { owner, repo, pull_number: pull, review_id: review, per_page: 100 })
      return collectReviewComments(pages, () => false)
    }
  }

  return {
    api,
    payload: context.payload,
    repository: `${owner}/${repo}`,
    runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
    serverUrl: context.serverUrl,
    runId: context.runId
  }
}

/** Review comments, validated, page by page until `last` says a page was the last one needed. */
async function collectReviewComments(pages: AsyncIterable<{ data: unknown[] }>, last: (page: ReviewComment[]) => boolean): Promise<ReviewComment[]> {
  const comments: ReviewComment[] = []
  let count = 0
  for await (const { data } of pages) {
    const page = data.map(reviewCommentOf).filter((comment) => comment !== undefined)
    comments.push(...page)
    if (last(page) || ++count >= MAX_REVIEW_COMMENT_PAGES) break
  }
  return comments
}
