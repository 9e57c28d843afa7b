// One comment per run on the issue or pull request, edited in place as the
// conversation moves, and found again by a hidden marker so a re-run of the same
// workflow run edits its own comment instead of adding another. Commenting is a
// courtesy: if it fails, the step warns once and goes on.
import { formatDuration } from '../duration.js'
import { markdownCell, markdownTable } from '../markdown.js'
import { type GitHubApi, statusOf } from './api.js'
import type { Thread } from './event.js'

export interface CommentView {
  conversationUrl?: string
  title?: string
  status?: string
  agentState?: string
  prUrls: string[]
  runUrl: string
  /** Set once the step is over. */
  elapsedMs?: number
  failure?: string
}

export function markerFor(runId: number, job: string, step: string): string {
  return `<!-- openhands-cloud-action run:${runId} job:${job} step:${step} -->`
}

export function renderComment(marker: string, view: CommentView): string {
  const done = view.elapsedMs !== undefined
  const heading = !done ? '### OpenHands is working on this' : view.failure ? '### OpenHands could not finish' : '### OpenHands has finished'
  const rows: Array<[string, string]> = [
    ['Conversation', view.conversationUrl ? `[${markdownCell(view.title ?? 'open')}](${view.conversationUrl})` : '_not started_'],
    ['Status', view.status ? markdownCell(view.status) : '_starting_']
  ]
  if (view.agentState) rows.push(['Agent', markdownCell(view.agentState)])
  if (view.prUrls.length > 0) rows.push(['Pull requests', view.prUrls.join('<br>')])
  if (done) rows.push(['Time', formatDuration(view.elapsedMs ?? 0)])
  rows.push(['Workflow run', `[logs](${view.runUrl})`])
  const lines = [marker, heading, '', ...markdownTable(rows)]
  if (view.failure) lines.push('', `**Failed:** ${markdownCell(view.failure)}`)
  return lines.join('\n')
}

export class ThreadComment {
  private posted?: { id: number; url: string }
  private broken = false
  private last?: string

  constructor(
    private readonly api: GitHubApi,
    private readonly thread: Thread,
    private readonly marker: string,
    private readonly warn: (message: string) => void,
    /** Server text in the comment (failures, titles) could hold a secret. */
    private readonly redact: (text: string) => string = (text) => text
  ) {}

  get url(): string | undefined {
    return this.posted?.url
  }

  /** Shows the view on the thread; never throws. */
  async show(view: CommentView): Promise<void> {
    const body = this.redact(renderComment(this.marker, view))
    if (this.broken || body === this.last) return
    try {
      this.posted = await this.write(body)
      this.last = body
    } catch (error) {
      this.broken = true
      this.warn(commentFailure(error, this.thread))
    }
  }

  private async write(body: string): Promise<{ id: number; url: string }> {
    if (this.posted) return this.api.updateComment(this.posted.id, body)
    const found = await this.api.findComment(this.thread.number, this.marker)
    if (found === undefined) return this.api.createComment(this.thread.number, body)
    // The marker is no secret: a comment someone else wrote with it cannot be
    // edited, and must not silence the status, so post one of our own instead.
    return this.api.updateComment(found.id, body).catch(() => this.api.createComment(this.thread.number, body))
  }
}

/** The warning for a comment or reaction GitHub refused, naming the permission to add. */
export function commentFailure(error: unknown, thread: Thread, what = 'comment on'): string {
  const permission = thread.isPullRequest ? 'pull-requests: write' : 'issues: write'
  const where = `${thread.isPullRequest ? 'pull request' : 'issue'} #${thread.number}`
  const status = statusOf(error)
  const reason = error instanceof Error ? error.message : String(error)
  if (status === 403 || status === 404) {
    return `Could not ${what} ${where}: the token lacks the \`${permission}\` permission (add it to the job's \`permissions:\`). GitHub said: ${reason}`
  }
  return `Could not ${what} ${where}: ${reason}`
}
