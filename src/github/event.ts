// The workflow's triggering event, read once from its webhook payload into the
// few facts the action acts on. The payload is untrusted JSON: every field is
// checked here, and nothing else looks inside it.

export interface Person {
  login: string
  isBot: boolean
}

/** Where a pull request's changes live. */
export interface PullRequestHead {
  /** The branch name. */
  ref: string
  /** `owner/repo` of the repository holding the branch (a fork's, for a fork's pull request); empty if GitHub no longer knows it. */
  repository: string
}

/** The issue or pull request the event belongs to. */
export interface Thread {
  number: number
  isPullRequest: boolean
  title: string
  url: string
  body: string
  /** Pull request events carry the head; an issue_comment on a pull request does not. */
  head?: PullRequestHead
}

/** The lines a review comment covers. */
export interface LineRange {
  start: number
  end: number
  /** Which version of the file `start` and `end` count in: RIGHT the pull request's, LEFT the base's. */
  startSide: DiffSide
  side: DiffSide
}

export type DiffSide = 'LEFT' | 'RIGHT'

/** Where on a pull request's diff a review comment sits. */
export interface DiffPlace {
  path: string
  /** Undefined for a comment on the whole file. */
  lines?: LineRange
  /** The lines are those of an earlier commit (GitHub's original_line): the code has changed since. */
  outdated: boolean
  /** The diff up to the commented line, as GitHub shows it with the comment. */
  diffHunk: string
}

/** A pull request review comment, from a webhook payload or the REST API (the same shape). */
export interface ReviewComment {
  id: number
  body: string
  url: string
  author: Person
  place: DiffPlace
  /** The comment this one replies to, in the same review thread. */
  inReplyTo?: number
}

export interface TriggerComment {
  id: number
  body: string
  url: string
  author: Person
  /** Decides the reactions endpoint: reviews themselves take no reactions. */
  kind: 'issue-comment' | 'review-comment' | 'review'
  /** Review comments: where on the diff. */
  place?: DiffPlace
  /** Review comments: the comment this one replies to. */
  inReplyTo?: number
  /** Reviews: `approved`, `changes_requested`, `commented` or `dismissed`, in lower case. */
  state?: string
}

export interface TriggerEvent {
  name: string
  action?: string
  /** Whose permission decides whether the step may run; undefined when no person needs checking. */
  actor?: Person
  thread?: Thread
  comment?: TriggerComment
}

// Only people who can already change the repository's workflows can cause
// these: they need no permission check.
export const UNGATED_EVENTS: ReadonlySet<string> = new Set(['schedule', 'workflow_dispatch', 'repository_dispatch'])

/** True when the event needs the GitHub API (to check a person, or to comment). */
export function needsGitHub(eventName: string): boolean {
  return eventName !== '' && !UNGATED_EVENTS.has(eventName)
}

type Json = Record<string, unknown>

export function describeEvent(name: string, payload: unknown): TriggerEvent {
  const body = asObject(payload)
  const event: TriggerEvent = { name, action: text(body.action) || undefined }
  if (!needsGitHub(name)) return event
  const sender = person(body.sender)

  switch (name) {
    case 'issues':
      return { ...event, actor: sender, thread: thread(body.issue) }
    case 'issue_comment':
      return withComment(event, thread(body.issue), comment(body.comment, 'issue-comment'))
    case 'pull_request':
    case 'pull_request_target':
      return { ...event, actor: sender, thread: thread(body.pull_request, true) }
    case 'pull_request_review_comment':
      return withComment(event, thread(body.pull_request, true), reviewCommentOf(body.comment))
    case 'pull_request_review':
      return withComment(event, thread(body.pull_request, true), review(body.review))
    default:
      // Any other event a person caused is checked like the ones above.
      return { ...event, actor: sender }
  }
}

function withComment(event: TriggerEvent, thread: Thread | undefined, comment: TriggerComment | undefined): TriggerEvent {
  return { ...event, actor: comment?.author, thread, comment }
}

function thread(value: unknown, isPullRequest = false): Thread | undefined {
  const item = asObject(value)
  if (!Number.isInteger(item.number)) return undefined
  return {
    number: item.number as number,
    // An issue_comment on a pull request carries the PR as an issue with a pull_request link.
    isPullRequest: isPullRequest || item.pull_request !== undefined,
    title: text(item.title),
    url: text(item.html_url),
    body: text(item.body),
    head: headOf(item.head)
  }
}

export function headOf(value: unknown): PullRequestHead | undefined {
  const head = asObject(value)
  const ref = text(head.ref)
  return ref === '' ? undefined : { ref, repository: text(asObject(head.repo).full_name) }
}

function comment(value: unknown, kind: TriggerComment['kind']): TriggerComment | undefined {
  const item = asObject(value)
  const author = person(item.user)
  if (!Number.isInteger(item.id) || author === undefined) return undefined
  return { id: item.id as number, body: text(item.body), url: text(item.html_url), author, kind }
}

/** A review comment as the payload and the REST API both give it; undefined without an id or author. */
export function reviewCommentOf(value: unknown): (ReviewComment & TriggerComment) | undefined {
  const found = comment(value, 'review-comment')
  if (found === undefined) return undefined
  const item = asObject(value)
  const inReplyTo = positive(item.in_reply_to_id)
  return { ...found, place: placeOf(item), ...(inReplyTo === undefined ? {} : { inReplyTo }) }
}

function review(value: unknown): TriggerComment | undefined {
  const found = comment(value, 'review')
  const state = text(asObject(value).state).toLowerCase()
  return found === undefined || state === '' ? found : { ...found, state }
}

function placeOf(item: Json): DiffPlace {
  const line = positive(item.line)
  const originalLine = positive(item.original_line)
  // GitHub clears `line` once a commit changes the commented code; original_line keeps where it was.
  const outdated = line === undefined && originalLine !== undefined
  const end = outdated ? originalLine : line
  const place: DiffPlace = { path: text(item.path), outdated, diffHunk: text(item.diff_hunk) }
  if (end === undefined) return place
  const side = sideOf(item.side)
  const start = positive(outdated ? item.original_start_line : item.start_line)
  return {
    ...place,
    lines: start === undefined ? { start: end, end, startSide: side, side } : { start, end, startSide: sideOf(item.start_side ?? item.side), side }
  }
}

function sideOf(value: unknown): DiffSide {
  return value === 'LEFT' ? 'LEFT' : 'RIGHT'
}

function positive(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) > 0 ? (value as number) : undefined
}

function person(value: unknown): Person | undefined {
  const item = asObject(value)
  const login = text(item.login)
  if (login === '') return undefined
  return { login, isBot: item.type === 'Bot' || login.endsWith('[bot]') }
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {}
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
