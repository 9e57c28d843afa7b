// The one place that looks inside response bodies: the rest of the action only
// sees these typed values, never raw JSON from the network.
import { NotFoundError, ProtocolError } from './errors.js'

/** What a successful POST /api/conversations tells us. */
export interface StartedConversation {
  id: string
  /** `conversation_status` on the real server; the vendor's shape omits it. */
  status?: string
}

/** What GET /api/conversations/{id} tells us. */
export interface Conversation {
  id: string
  status: string
  title?: string
  runtimeStatus?: string
  prNumbers: number[]
}

// Real ids are 32 hex characters; the vendor page shows `abc1234`. Anything that
// is safe in a URL path is accepted, anything else would be injected into one.
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

export function parseStarted(body: unknown): StartedConversation {
  if (!isObject(body)) throw new ProtocolError(`expected a JSON object, got ${describe(body)}`)
  if (body.status !== undefined && body.status !== 'ok') {
    const said = serverMessageOf(body)
    throw new ProtocolError(`the answer's status is ${JSON.stringify(body.status)}, not "ok"${said ? `: ${said}` : ''}`, undefined, said)
  }
  return { id: conversationId(body.conversation_id), status: optionalString(body.conversation_status) }
}

export function parseConversation(body: unknown, requestedId: string): Conversation {
  if (body === null) throw new NotFoundError(`OpenHands has no conversation ${requestedId} (it answered null)`)
  if (!isObject(body)) throw new ProtocolError(`expected a conversation object, got ${describe(body)}`)
  const status = optionalString(body.status)
  if (status === undefined) throw new ProtocolError(`the conversation has no status (got ${describe(body.status)})`)
  const prNumbers = Array.isArray(body.pr_number) ? body.pr_number.filter((n): n is number => Number.isInteger(n)) : []
  return {
    id: body.conversation_id === undefined ? requestedId : conversationId(body.conversation_id),
    status,
    title: optionalString(body.title),
    runtimeStatus: optionalString(body.runtime_status),
    prNumbers
  }
}

/**
 * The server's own words from an error body, in any of the shapes it uses: a
 * bare JSON string, `{"message"}`, `{"detail"}` (string or FastAPI's list), `{"error"}`.
 */
export function serverMessageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined
  if (!isObject(body)) return undefined
  for (const key of ['message', 'detail', 'error']) {
    const value = body[key]
    if (typeof value === 'string' && value.trim() !== '') return value.trim()
    if (Array.isArray(value) && value.length > 0) return value.map(validationIssue).join('; ')
  }
  return undefined
}

export function messageIdOf(body: unknown): string | undefined {
  return isObject(body) ? optionalString(body.msg_id) : undefined
}

function validationIssue(issue: unknown): string {
  if (!isObject(issue)) return JSON.stringify(issue)
  const where = Array.isArray(issue.loc) ? issue.loc.join('.') : undefined
  const what = optionalString(issue.msg) ?? JSON.stringify(issue)
  return where ? `${where}: ${what}` : what
}

function conversationId(value: unknown): string {
  if (typeof value === 'string' && CONVERSATION_ID.test(value)) return value
  throw new ProtocolError(`expected a conversation_id of letters, digits, - or _, got ${describe(value)}`)
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 120 ? `${text.slice(0, 120)}…` : text
}
