// The few GitHub REST calls the action makes, behind an interface the rest of
// the code (and its tests) can rely on. @actions/github and its Octokit are
// loaded only here, and only when an event actually needs them: a scheduled run
// never pays for loading them.
import { octokitFetch } from '../http/octokit-fetch.js'
import { headOf, type PullRequestHead, type TriggerComment } from './event.js'

export interface PostedComment {
  id: number
  url: string
}

export interface GitHubApi {
  /** The person's role on the repository (`admin`, `maintain`, `write`, `triage`, `read`), or `none`. */
  roleOf(login: string): Promise<string>
  findComment(issue: number, marker: string): Promise<PostedComment | undefined>
  createComment(issue: number, body: string): Promise<PostedComment>
  updateComment(id: number, body: string): Promise<PostedComment>
  react(comment: Pick<TriggerComment, 'id' | 'kind'>, content: 'eyes'): Promise<void>
  /** The pull request's branch, for events whose payload does not carry it (issue_comment). */
  pullRequestHead(number: number): Promise<PullRequestHead>
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
export async function connectGitHub(token: string): Promise<GitHubRun> {
  const { context, getOctokit } = await import('@actions/github')
  // Our own HTTP stack rather than @actions/github's undici fetch (see octokit-fetch.ts).
  const octokit = getOctokit(token, { baseUrl: apiBaseUrl(), request: { fetch: octokitFetch(GITHUB_TIMEOUT_MS) } })
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
    async findComment(issue, marker) {
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100 })) {
        const found = page.data.find((comment) => comment.body?.includes(marker))
        if (found) return { id: found.id, url: found.html_url }
      }
      return undefined
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
