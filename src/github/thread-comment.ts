// One comment per run on the issue or pull request, edited in place as the
// conversation moves, and found again by a hidden marker so a re-run of the same
// workflow run edits its own comment instead of adding another. Anyone can write
// the marker, so only a comment the token itself wrote counts as found
// (our-comments.ts). Commenting is a courtesy: if it fails, the step warns once
// and goes on.
import { formatDuration } from '../duration.js'
import { type CommentText, type Markdown, type Secrets, forComment, joinMarkdown, markdownTable, md, secrets, trusted } from '../outside-text.js'
import { type GitHubApi, statusOf } from './api.js'
import { MARKER_PREFIX, OurComments } from './our-comments.js'
import type { Metrics } from '../openhands/responses.js'
import { continuedLine, finalMessageDetails, metricsRows } from '../result-markdown.js'
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
  finalMessage?: string
  metrics?: Metrics
  /** Something the people on the thread should know (a fork the agent cannot push to). */
  note?: string
  /** The message went to the thread's earlier conversation. */
  continued?: boolean
}

/** The same for every attempt of the run (GITHUB_RUN_ID stays, GITHUB_RUN_ATTEMPT does not count), so a re-run finds its comment. */
export function markerFor(runId: number, job: string, step: string): string {
  return `${MARKER_PREFIX}run:${runId} job:${job} step:${step} -->`
}

/** The comment's body: the action's own table, with every value from outside escaped and the whole cut to GitHub's limit. */
export function renderComment(marker: string, view: CommentView, using: Secrets = secrets): CommentText {
  const done = view.elapsedMs !== undefined
  const heading = !done ? '### OpenHands is working on this' : view.failure ? '### OpenHands could not finish' : '### OpenHands has finished'
  const rows: Array<[string, Markdown]> = [
    ['Conversation', view.conversationUrl ? md`[${view.title ?? 'open'}](${trusted(view.conversationUrl)})` : trusted('_not started_')],
    ['Status', view.status ? md`${view.status}` : trusted('_starting_')]
  ]
  if (view.agentState) rows.push(['Agent', md`${view.agentState}`])
  if (view.prUrls.length > 0) rows.push(['Pull requests', trusted(view.prUrls.join('<br>'))])
  rows.push(...metricsRows(view.metrics))
  if (done) rows.push(['Time', trusted(formatDuration(view.elapsedMs ?? 0))])
  rows.push(['Workflow run', trusted(`[logs](${view.runUrl})`)])
  const note = view.note ? md`\n\n${view.note}` : trusted('')
  const failure = view.failure ? md`\n\n**Failed:** ${view.failure}` : trusted('')
  const parts = [
    trusted(`${marker}\n${heading}\n\n`),
    continuedLine(view.continued),
    markdownTable(rows),
    note,
    failure,
    finalMessageDetails(view.finalMessage)
  ]
  return forComment(joinMarkdown(parts, ''), using)
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
    private readonly ours: OurComments = new OurComments(api, thread.number)
  ) {}

  get url(): string | undefined {
    return this.posted?.url
  }

  /** Shows the view on the thread; never throws. */
  async show(view: CommentView): Promise<void> {
    // renderComment redacts, escapes and cuts: the body is ready for GitHub as it is.
    const body: string = renderComment(this.marker, view)
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
    const found = (await this.ours.all()).find((comment) => comment.body.includes(this.marker))
    if (found === undefined) return this.api.createComment(this.thread.number, body)
    // Gone since it was listed, or no longer editable: the status still needs a home.
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
