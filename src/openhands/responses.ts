// The one place that looks inside response bodies: the rest of the action only
// sees these typed values, never raw JSON from the network.
import { NotFoundError, ProtocolError } from './errors.js'
import { cutOutside } from '../outside-text.js'

/** What a successful POST /api/conversations tells us. */
export interface StartedConversation {
  id: string
  /** `conversation_status` on the real server; the vendor's shape omits it. */
  status?: string
}

/** One reading of a conversation, the same whichever API version gave it. */
export interface Conversation {
  id: string
  /** In V0's words: STARTING, RUNNING, STOPPED, ARCHIVED, ERROR (or a status this action does not know). */
  status: string
  title?: string
  /** V0 `runtime_status` (e.g. `STATUS$READY`); V1 `sandbox_status`. */
  runtimeStatus?: string
  /** The agent's own state: V0 from its events, V1 `execution_status`. */
  agentState?: string
  prNumbers: number[]
  /** V1: the sandbox to pause when the conversation must stop. */
  sandboxId?: string
  /** V1, only while the sandbox runs: the agent server's address for this conversation, and its key. */
  conversationUrl?: string
  sessionApiKey?: string
  /** V1: what the agent has cost so far, where the server tells it. */
  metrics?: Metrics
  /** V1 `selected_repository`: what the conversation works on, when it has a repository. */
  repository?: string
  /** Set by the protocol when this reading ends the wait. */
  ending?: Ending
}

/** A conversation's cost and token counts, as the server gives them. */
export interface Metrics {
  /** `accumulated_cost`, written as a plain decimal number. */
  cost?: string
  promptTokens?: number
  completionTokens?: number
}

/** How a conversation ended: the agent's work done, or a failure a person must look at. */
export type Ending = { ok: true } | { ok: false; reason: string; advice?: string }

/** A V1 start task: the server prepares the sandbox, then names the conversation. */
export interface StartTask {
  id: string
  status: string
  detail?: string
  conversationId?: string
  sandboxId?: string
}

/** The agent's newest state in an events page, and whether it was seen running before it. */
export interface AgentReading {
  state?: string
  hasRun: boolean
  /** The agent's newest message on the page, if any. */
  lastMessage?: string
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
    throw new ProtocolError(`the answer's status is ${describe(body.status)}, not "ok"${said ? `: ${said}` : ''}`, undefined, said)
  }
  return { id: conversationId(body.conversation_id), status: optionalString(body.conversation_status) }
}

export function parseConversation(body: unknown, requestedId: string): Conversation {
  if (body === null) throw new NotFoundError(`OpenHands has no conversation ${requestedId} (it answered null)`)
  if (!isObject(body)) throw new ProtocolError(`expected a conversation object, got ${describe(body)}`)
  const status = optionalString(body.status)
  if (status === undefined) throw new ProtocolError(`the conversation has no status (got ${describe(body.status)})`)
  return {
    id: body.conversation_id === undefined ? requestedId : conversationId(body.conversation_id),
    status,
    title: optionalString(body.title),
    runtimeStatus: optionalString(body.runtime_status),
    prNumbers: prNumbersOf(body.pr_number)
  }
}

// V1 describes the sandbox; the outputs speak V0's words whichever version ran.
const V0_STATUS_OF_SANDBOX: Record<string, string> = { STARTING: 'STARTING', RUNNING: 'RUNNING', PAUSED: 'STOPPED', MISSING: 'ARCHIVED', ERROR: 'ERROR' }

/** GET /api/v1/app-conversations?ids={id}: a list holding the conversation or null. */
export function parseConversationV1(body: unknown, requestedId: string): Conversation {
  const item = onlyItem(body, 'conversations')
  if (item === null) throw new NotFoundError(`OpenHands has no conversation ${requestedId} (it answered null)`)
  const sandboxStatus = optionalString(item.sandbox_status)
  if (sandboxStatus === undefined) throw new ProtocolError(`the conversation has no sandbox_status (got ${describe(item.sandbox_status)})`)
  const conversation: Conversation = {
    id: item.id === undefined ? requestedId : conversationId(item.id),
    status: V0_STATUS_OF_SANDBOX[sandboxStatus] ?? sandboxStatus,
    title: optionalString(item.title),
    runtimeStatus: sandboxStatus,
    prNumbers: prNumbersOf(item.pr_number),
    sandboxId: optionalString(item.sandbox_id)
  }
  // null while the sandbox does not run: the agent's state is then unknown, not
  // changed, so the reading leaves it out rather than clearing the last one seen.
  const agentState = optionalString(item.execution_status)
  if (agentState !== undefined) conversation.agentState = agentState
  const metrics = metricsOf(item.metrics)
  if (metrics !== undefined) conversation.metrics = metrics
  const repository = optionalString(item.selected_repository)
  if (repository !== undefined) conversation.repository = repository
  const conversationUrl = httpUrl(item.conversation_url)
  const sessionApiKey = optionalString(item.session_api_key)
  if (conversationUrl !== undefined && sessionApiKey !== undefined) Object.assign(conversation, { conversationUrl, sessionApiKey })
  return conversation
}

/** `metrics` of an app conversation: `accumulated_cost` and `accumulated_token_usage`, each only if well formed. */
function metricsOf(value: unknown): Metrics | undefined {
  if (!isObject(value)) return undefined
  const usage = isObject(value.accumulated_token_usage) ? value.accumulated_token_usage : {}
  const count = (n: unknown): number | undefined => (Number.isSafeInteger(n) && (n as number) >= 0 ? (n as number) : undefined)
  const metrics: Metrics = { cost: decimal(value.accumulated_cost), promptTokens: count(usage.prompt_tokens), completionTokens: count(usage.completion_tokens) }
  return Object.values(metrics).some((v) => v !== undefined) ? metrics : undefined
}

// A cost as a person (or a later step) reads it: 0.0000001, not 1e-7.
function decimal(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined
  const text = String(value)
  if (!/e/i.test(text)) return text
  return value.toFixed(20).replace(/\.?0+$/, '')
}

/** GET /api/v1/app-conversations/count: a bare integer. */
export function parseCount(body: unknown): number {
  if (Number.isInteger(body) && (body as number) >= 0) return body as number
  throw new ProtocolError(`expected a count, got ${describe(body)}`)
}

/** What the agent's newest events say about its turn. */
export interface AgentTurn {
  /** The newest event of the agent or the user is the agent's final answer. */
  finished: boolean
  /** Who spoke or acted last, the agent or the user: the agent has taken up a message once it is `agent`. */
  lastBy?: 'agent' | 'user'
  /** That answer's text, when it has one. */
  finalMessage?: string
}

/**
 * GET /api/v1/conversation/{id}/events/search, newest first. The agent SDK's own
 * rule (get_agent_final_response): the final answer is an agent MessageEvent
 * (its text parts) or an ActionEvent of the `finish` tool (its message). Anything
 * newer from the user or the agent means the turn is not over.
 */
export function parseAgentTurn(body: unknown): AgentTurn {
  if (!isObject(body) || !Array.isArray(body.items)) throw new ProtocolError(`expected {"items": [...]}, got ${describe(body)}`)
  const newest = body.items
    .filter(isObject)
    .find((event) => (event.source === 'agent' || event.source === 'user') && (event.kind === 'MessageEvent' || event.kind === 'ActionEvent'))
  if (newest === undefined) return { finished: false }
  if (newest.source !== 'agent') return { finished: false, lastBy: 'user' }
  if (newest.kind === 'MessageEvent') {
    const message = isObject(newest.llm_message) ? newest.llm_message : {}
    const parts = Array.isArray(message.content) ? message.content.filter(isObject) : []
    const text = parts.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text as string)
    return { finished: true, lastBy: 'agent', finalMessage: text.length > 0 ? text.join('\n') : undefined }
  }
  if (newest.tool_name !== 'finish') return { finished: false, lastBy: 'agent' }
  return { finished: true, lastBy: 'agent', finalMessage: isObject(newest.action) ? optionalString(newest.action.message) : undefined }
}

/** POST /api/v1/app-conversations/{id}/send-message: `{"success": true, ...}` when the message was taken. */
export function parseSendMessage(body: unknown): void {
  if (!isObject(body) || typeof body.success !== 'boolean') throw new ProtocolError(`expected {"success": true, ...}, got ${describe(body)}`)
  if (!body.success) {
    const said = optionalString(body.message)
    throw new ProtocolError(`OpenHands did not take the message${said === undefined ? '' : `: ${said}`}`)
  }
}

/** POST /api/v1/app-conversations answers one task; GET start-tasks?ids= a list of them. */
export function parseStartTask(body: unknown, requestedId?: string): StartTask {
  const item = requestedId === undefined ? body : onlyItem(body, 'start tasks')
  if (item === null && requestedId !== undefined) throw new NotFoundError(`OpenHands has no start task ${requestedId} (it answered null)`)
  if (!isObject(item)) throw new ProtocolError(`expected a start task object, got ${describe(item)}`)
  const status = optionalString(item.status)
  if (status === undefined) throw new ProtocolError(`the start task has no status (got ${describe(item.status)})`)
  return {
    id: conversationId(item.id),
    status,
    detail: optionalString(item.detail),
    conversationId: item.app_conversation_id === null || item.app_conversation_id === undefined ? undefined : conversationId(item.app_conversation_id),
    sandboxId: optionalString(item.sandbox_id)
  }
}

/**
 * GET /api/conversations/{id}/events?reverse=true: the newest `agent_state_changed`
 * event's state. Other events come in between, so the page is searched, not read
 * at its head.
 */
export function parseAgentState(body: unknown): AgentReading {
  if (!isObject(body) || !Array.isArray(body.events)) throw new ProtocolError(`expected {"events": [...]}, got ${describe(body)}`)
  const states = body.events
    .filter(isObject)
    .filter((event) => event.observation === 'agent_state_changed' && isObject(event.extras))
    .map((event) => optionalString((event.extras as Json).agent_state))
    .filter((state): state is string => state !== undefined)
  const message = body.events.filter(isObject).find((event) => event.source === 'agent' && event.action === 'message')
  const lastMessage =
    message === undefined ? undefined : (optionalString(isObject(message.args) ? message.args.content : undefined) ?? optionalString(message.message))
  const reading: AgentReading = { state: states[0], hasRun: states.slice(1).includes('running') }
  if (lastMessage !== undefined) reading.lastMessage = lastMessage
  return reading
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : undefined
  } catch {
    return undefined
  }
}

function onlyItem(body: unknown, what: string): Json | null {
  if (!Array.isArray(body) || body.length === 0) throw new ProtocolError(`expected a list of ${what}, got ${describe(body)}`)
  const [item] = body
  if (item === null) return null
  if (!isObject(item)) throw new ProtocolError(`expected a list of ${what}, got ${describe(body)}`)
  return item
}

function prNumbersOf(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((n): n is number => Number.isInteger(n) && n > 0) : []
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
    // V1's concurrency 429: {"detail": {"error": "CONCURRENCY_LIMIT_REACHED", "message": ...}}.
    if (isObject(value)) {
      const nested = serverMessageOf(value)
      if (nested !== undefined) return nested
    }
  }
  return undefined
}

/** V1's 429 at the account's sandbox limit: how many may run, and how many do. */
export interface ConcurrencyLimit {
  limit?: number
  current?: number
}

export function concurrencyLimitOf(body: unknown): ConcurrencyLimit | undefined {
  const detail = isObject(body) ? body.detail : undefined
  if (!isObject(detail) || detail.error !== 'CONCURRENCY_LIMIT_REACHED') return undefined
  const count = (value: unknown): number | undefined => (Number.isInteger(value) && (value as number) >= 0 ? (value as number) : undefined)
  return { limit: count(detail.limit), current: count(detail.current) }
}

export function messageIdOf(body: unknown): string | undefined {
  return isObject(body) ? optionalString(body.msg_id) : undefined
}

function validationIssue(issue: unknown): string {
  if (!isObject(issue)) return describe(issue)
  const where = Array.isArray(issue.loc)
    ? issue.loc.map((part) => (typeof part === 'string' || typeof part === 'number' ? String(part) : '?')).join('.')
    : undefined
  const what = optionalString(issue.msg) ?? describe(issue)
  return where ? `${where}: ${what}` : what
}

function conversationId(value: unknown): string {
  if (typeof value === 'string' && CONVERSATION_ID.test(value)) return value
  throw new ProtocolError(`expected a conversation_id of letters, digits, - or _, got ${describe(value)}`)
}

// Server JSON can be nested deep enough to overflow JSON.stringify, or (in
// tests) be values it cannot print: describing it must never throw.
function describe(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value) ?? typeof value
  } catch {
    text = Array.isArray(value) ? 'a list' : typeof value
  }
  // Redacted before it is cut, so a key across the cut leaves no fragment.
  return cutOutside(text, 120)
}

/**
 * Every session key in an answer (`session_api_key`, `sessionApiKey`), wherever it
 * is: the agent server's credential must be masked from the moment it is seen.
 */
export function sessionKeysIn(body: unknown, depth = 0): string[] {
  if (depth > 8 || typeof body !== 'object' || body === null) return []
  const keys: string[] = []
  for (const [name, value] of Object.entries(body)) {
    if ((name === 'session_api_key' || name === 'sessionApiKey') && typeof value === 'string' && value !== '') keys.push(value)
    else keys.push(...sessionKeysIn(value, depth + 1))
  }
  return keys
}
