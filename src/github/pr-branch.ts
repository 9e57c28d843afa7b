// Which branch the agent starts from when `branch` is empty and the run belongs
// to a pull request: "@openhands fix the failing test" on a pull request means
// that pull request's code, not the default branch's.
import { type GitHubApi, statusOf } from './api.js'
import type { PullRequestHead, Thread } from './event.js'

export interface BranchChoice {
  /** The branch to send; undefined keeps the repository's default branch. */
  branch?: string
  /** What was chosen and why, for the log. */
  note?: string
  /** True when the note is a problem the user can fix (a warning, not information). */
  warn?: boolean
  /** Set for a pull request from a fork of the repository the agent works on: `note` is then a notice. */
  fork?: ForkPullRequest
}

/** A pull request whose branch is in a fork: the agent cannot push to it. */
export interface ForkPullRequest {
  number: number
  /** `owner/repo` of the fork; empty when GitHub no longer knows it (a deleted fork). */
  repository: string
  branch: string
  /** The repository the pull request was opened on, which the agent works on. */
  base: string
  /** Where `base` keeps the pull request's code, for `git fetch`. */
  ref: string
  /** One sentence for people (the log, the status comment): the same as BranchChoice.note. */
  note: string
}

/**
 * The pull request's own branch, when the agent works on the repository that
 * holds it. A fork's branch (or any branch outside `repository`) is not there
 * to check out or push to, so the agent starts from the default branch.
 * @param base the repository the pull request was opened on (the workflow's)
 */
export function branchFromHead(head: PullRequestHead, repository: string, number: number, base = repository): BranchChoice {
  if (sameRepository(head.repository, repository)) {
    return { branch: head.ref, note: `Starting from the pull request's branch ${head.ref} (set branch to choose another).` }
  }
  const where = head.repository === '' ? 'a fork GitHub no longer knows' : head.repository
  if (!sameRepository(base, repository)) {
    return {
      note: `The branch of pull request #${number} is in ${where}, not in ${repository}: the agent starts from the default branch of ${repository}. Set branch to choose another.`
    }
  }
  const ref = `refs/pull/${number}/head`
  const note =
    `Pull request #${number} comes from ${head.repository === '' ? where : `the fork ${where}`}, which the agent cannot push to: it starts from the default branch of ${repository}, ` +
    `is told the pull request's code is at ${ref}, and opens a new pull request for its changes. Set branch to choose another.`
  return { note, fork: { number, repository: head.repository, branch: head.ref, base: repository, ref, note } }
}

const sameRepository = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/**
 * @param thread the event's issue or pull request
 * @param repository the repository the agent works on (undefined: none)
 * @param api asks GitHub for the head when the payload lacks it (issue_comment)
 * @param base the repository the pull request was opened on (the workflow's); default `repository`
 */
export async function pullRequestBranch(
  thread: Thread | undefined,
  repository: string | undefined,
  api: Pick<GitHubApi, 'pullRequestHead'> | undefined,
  base?: string
): Promise<BranchChoice> {
  if (thread === undefined || !thread.isPullRequest || repository === undefined) return {}
  let head = thread.head
  if (head === undefined) {
    if (api === undefined) return {}
    try {
      head = await api.pullRequestHead(thread.number)
    } catch (error) {
      const status = statusOf(error)
      const reason =
        status === 403 || status === 404 ? 'the token lacks the `pull-requests: read` permission' : error instanceof Error ? error.message : String(error)
      return {
        note: `Could not read the branch of pull request #${thread.number} (${reason}): the agent starts from the default branch. Grant pull-requests: read, or set branch.`,
        warn: true
      }
    }
  }
  return branchFromHead(head, repository, thread.number, base)
}
