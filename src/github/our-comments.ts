// The action's own comments on a thread: its status comments, which carry a
// hidden marker. Anyone can write the marker, so only a comment the token itself
// wrote is taken for one. Listed once, for the status comment (to edit its own
// again on a re-run) and for follow-ups (to find the thread's conversation).
import { escapeRegExp } from '../regexp.js'
import type { CommentAuthor, FoundComment, GitHubApi, TokenIdentity } from './api.js'

/** How every status comment of this action begins. */
export const MARKER_PREFIX = '<!-- openhands-cloud-action '

export class OurComments {
  private listed?: Promise<FoundComment[]>

  constructor(
    private readonly api: Pick<GitHubApi, 'identity' | 'commentsWith'>,
    private readonly issue: number
  ) {}

  /** Oldest first, as GitHub lists them. A failed listing fails every caller alike, so one warning tells it. */
  all(): Promise<FoundComment[]> {
    this.listed ??= this.list()
    return this.listed
  }

  private async list(): Promise<FoundComment[]> {
    const identity = await this.api.identity()
    return (await this.api.commentsWith(this.issue, MARKER_PREFIX)).filter((comment) => writtenBy(comment.author, identity))
  }
}

// Who GITHUB_TOKEN writes as, on github.com and GitHub Enterprise Server alike.
const ACTIONS_BOT = 'github-actions[bot]'

/**
 * Whether the token wrote the comment: only then may the step edit it or trust
 * what it says. A token with `issues: write` may edit anyone's comment on the
 * repository, and the marker is public, so a comment by anyone else (who could
 * edit the status later, say to swap its link) is never taken for ours. A
 * personal access token's owner is compared by id, which survives a rename. An
 * installation token has no user to ask about, and nothing in the REST API names
 * its App, so only GITHUB_TOKEN's own bot (a Bot, not a person who picked a
 * look-alike login) is recognised: another App's token finds nothing.
 */
export function writtenBy(author: CommentAuthor | undefined, identity: TokenIdentity): boolean {
  if (author === undefined) return false
  if (identity.kind === 'user') return author.id === identity.id
  return author.type === 'Bot' && author.login.toLowerCase() === ACTIONS_BOT
}

/**
 * The conversation a status comment links, on this base URL: the link in its
 * Conversation row, the last on that line (a title cannot hold a line break,
 * and the link closes the row).
 */
export function conversationIdIn(body: string, baseUrl: string): string | undefined {
  const row = new RegExp(`^\\| Conversation \\| \\[.*\\]\\(${escapeRegExp(baseUrl)}/conversations/([A-Za-z0-9-]{1,64})\\) \\|$`, 'm')
  return row.exec(body)?.[1]
}

/** The newest conversation the thread's status comments link on this base URL, if any. */
export function newestConversation(comments: readonly Pick<FoundComment, 'body'>[], baseUrl: string): string | undefined {
  for (let i = comments.length - 1; i >= 0; i--) {
    const id = conversationIdIn(comments[i].body, baseUrl)
    if (id !== undefined) return id
  }
  return undefined
}
