// What a review event's context block needs beyond its payload: the earlier
// comments of a review comment's thread, or the comments of a submitted review.
// Read from GitHub only when there is something to read; a failure costs the
// block those comments, never the run.
import { type GitHubApi, statusOf } from './api.js'
import type { ReviewComment, TriggerEvent } from './event.js'

export interface ReviewComments {
  /** A reply's earlier comments in its thread (`thread`), or a review's own comments (`review`), oldest first. */
  kind: 'thread' | 'review'
  comments: ReviewComment[]
  /** GitHub could not be asked: the block says they are missing. */
  unavailable?: boolean
}

/**
 * @returns undefined when the event has no such comments to read: not a review
 * event, or a review comment that starts its thread.
 */
export async function readReviewComments(
  event: TriggerEvent,
  api: Pick<GitHubApi, 'reviewComments' | 'commentsOfReview'> | undefined,
  warn: (message: string) => void
): Promise<ReviewComments | undefined> {
  const { thread, comment } = event
  if (api === undefined || thread === undefined || comment === undefined) return undefined
  const { inReplyTo } = comment
  const kind = comment.kind === 'review' ? 'review' : comment.kind === 'review-comment' && inReplyTo !== undefined ? 'thread' : undefined
  if (kind === undefined) return undefined
  try {
    if (kind === 'review') return { kind, comments: await api.commentsOfReview(thread.number, comment.id) }
    const all = await api.reviewComments(thread.number, comment.id)
    return { kind, comments: earlierInThread(all, comment.id, inReplyTo as number) }
  } catch (error) {
    const status = statusOf(error)
    const reason =
      status === 403 || status === 404 ? 'the token lacks the `pull-requests: read` permission' : error instanceof Error ? error.message : String(error)
    const what = kind === 'review' ? "the review's comments" : 'the earlier comments of the review thread'
    warn(`Could not read ${what} on pull request #${thread.number} (${reason}): the agent gets the context without them.`)
    return { kind, comments: [], unavailable: true }
  }
}

/**
 * The comments of the thread `id` belongs to that came before it, oldest first.
 * GitHub points every reply at the thread's first comment; following the chain
 * up and down also finds a thread whose replies point at other replies.
 */
export function earlierInThread(comments: ReviewComment[], id: number, inReplyTo: number): ReviewComment[] {
  const sorted = [...comments].sort((a, b) => a.id - b.id)
  const byId = new Map(sorted.map((c) => [c.id, c]))
  let root = inReplyTo
  for (const seen = new Set<number>(); !seen.has(root);) {
    seen.add(root)
    const parent = byId.get(root)?.inReplyTo
    if (parent === undefined) break
    root = parent
  }
  const members = new Set([root])
  for (const c of sorted) if (c.inReplyTo !== undefined && members.has(c.inReplyTo)) members.add(c.id)
  return sorted.filter((c) => members.has(c.id) && c.id < id)
}
