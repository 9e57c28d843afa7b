// HTTP to the OpenHands API: one request per call, no retries (the caller owns
// the policy), every failure turned into a typed ApiError.
import { ApiError, AuthError, NetworkError, NotFoundError, ProtocolError, RateLimitError, RequestError, ServerError } from './errors.js'
import { formatDuration } from '../duration.js'
import type { RateBudget } from '../backoff.js'
import { rateBudgetOf, retryAfterMs } from './rate-limit-headers.js'
import {
  type AgentReading,
  type Conversation,
  type StartedConversation,
  type StartTask,
  messageIdOf,
  parseAgentState,
  parseConversation,
  parseConversationV1,
  parseStarted,
  parseStartTask,
  serverMessageOf
} from './responses.js'

export interface ClientOptions {
  baseUrl: string
  apiKey: string
  fetch?: typeof fetch
  now?: () => number
  debug?: (message: string) => void
  /** Aborts requests in flight when the step is cancelled (stopping requests excepted). */
  signal?: AbortSignal
}

export interface StartRequest {
  message: string
  repository?: string
  branch?: string
}

// No answer of this API comes near this; a bigger one is a wrong server, and
// reading it whole would cost the runner memory for nothing.
const MAX_BODY_BYTES = 1024 * 1024
// Connection failures where the request provably never left this machine.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

export class OpenHandsClient {
  private readonly fetch: typeof fetch
  private readonly now: () => number
  private readonly debug: (message: string) => void
  /** The request budget the last answer reported; the wait loop slows down when it runs low. */
  rateBudget?: RateBudget

  constructor(private readonly options: ClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch
    this.now = options.now ?? Date.now
    this.debug = options.debug ?? (() => {})
  }

  conversationUrl(id: string): string {
    return `${this.options.baseUrl}/conversations/${id}`
  }

  async startConversation(request: StartRequest, timeoutMs: number): Promise<StartedConversation> {
    const body: Record<string, string> = { initial_user_msg: request.message }
    if (request.repository !== undefined) body.repository = request.repository
    if (request.branch !== undefined) body.selected_branch = request.branch
    return parseStarted(await this.request('POST', '/api/conversations', timeoutMs, body))
  }

  async getConversation(id: string, timeoutMs: number): Promise<Conversation> {
    return parseConversation(await this.request('GET', `/api/conversations/${encodeURIComponent(id)}`, timeoutMs), id)
  }

  /** V0: the agent's state from its newest events (a route Cloud may not serve). */
  async getAgentState(id: string, timeoutMs: number): Promise<AgentReading> {
    return parseAgentState(await this.request('GET', `/api/conversations/${encodeURIComponent(id)}/events?reverse=true&limit=20`, timeoutMs))
  }

  /** V0: stops the conversation's runtime. Not cancellable: it is what cancelling does. */
  async stopConversation(id: string, timeoutMs: number): Promise<void> {
    await this.request('POST', `/api/conversations/${encodeURIComponent(id)}/stop`, timeoutMs, undefined, false)
  }

  /** V1: asks for a conversation; the answer is a start task to follow. */
  async startTask(request: StartRequest, timeoutMs: number): Promise<StartTask> {
    const body: Record<string, unknown> = { initial_message: { role: 'user', content: [{ type: 'text', text: request.message }] } }
    if (request.repository !== undefined) body.selected_repository = request.repository
    if (request.branch !== undefined) body.selected_branch = request.branch
    return parseStartTask(await this.request('POST', '/api/v1/app-conversations', timeoutMs, body))
  }

  async getStartTask(id: string, timeoutMs: number): Promise<StartTask> {
    return parseStartTask(await this.request('GET', `/api/v1/app-conversations/start-tasks?ids=${encodeURIComponent(id)}`, timeoutMs), id)
  }

  async getConversationV1(id: string, timeoutMs: number): Promise<Conversation> {
    return parseConversationV1(await this.request('GET', `/api/v1/app-conversations?ids=${encodeURIComponent(id)}`, timeoutMs), id)
  }

  /** V1: pausing the sandbox stops the conversation. Not cancellable, like stopConversation. */
  async pauseSandbox(sandboxId: string, timeoutMs: number): Promise<void> {
    await this.request('POST', `/api/v1/sandboxes/${encodeURIComponent(sandboxId)}/pause`, timeoutMs, undefined, false)
  }

  private async request(method: string, path: string, timeoutMs: number, body?: unknown, cancellable = true): Promise<unknown> {
    const what = `${method} ${path}`
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.apiKey}`, Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    // A timer we clear ourselves rather than AbortSignal.timeout, whose timer
    // lives on after the answer and would abort a finished request later.
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), Math.max(1, timeoutMs))
    const cancel = cancellable ? this.options.signal : undefined
    const onCancel = (): void => controller.abort()
    if (cancel?.aborted) controller.abort()
    cancel?.addEventListener('abort', onCancel)
    let response: Response
    let text: string
    try {
      response = await this.fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        redirect: 'error'
      })
      text = await readLimited(response)
    } catch (error) {
      if (error instanceof ApiError) throw error
      throw networkError(what, error, timeoutMs)
    } finally {
      clearTimeout(timer)
      cancel?.removeEventListener('abort', onCancel)
    }
    this.debug(`${what} → ${response.status} (${text.length} bytes)`)
    this.rateBudget = rateBudgetOf(response.headers, this.now()) ?? this.rateBudget
    const json = parseJson(text)
    if (response.ok) {
      if (json === undefined) throw new ProtocolError(`${what} answered ${response.status} with a body that is not JSON: ${snippet(text)}`)
      return json.value
    }
    throw this.httpError(what, response, json?.value, text)
  }

  private httpError(what: string, response: Response, json: unknown, text: string): ApiError {
    const status = response.status
    const serverMessage = json === undefined ? (text.trim() ? snippet(text) : undefined) : serverMessageOf(json)
    const message = `${what} answered ${status}${serverMessage ? `: ${serverMessage}` : ''}`
    if (status === 401 || status === 403) return new AuthError(message, status, serverMessage)
    if (status === 404) return new NotFoundError(message, status, serverMessage)
    if (status === 429) return new RateLimitError(message, serverMessage, retryAfterMs(response.headers, this.now()))
    if (status >= 500) return new ServerError(message, status, serverMessage)
    return new RequestError(message, status, serverMessage, messageIdOf(json))
  }
}

async function readLimited(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel()
    throw new ProtocolError(`the answer is ${declared} bytes, more than the ${MAX_BODY_BYTES} this API ever sends`)
  }
  if (!response.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body) {
    size += chunk.byteLength
    if (size > MAX_BODY_BYTES) {
      throw new ProtocolError(`the answer is more than the ${MAX_BODY_BYTES} bytes this API ever sends`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

function networkError(what: string, error: unknown, timeoutMs: number): NetworkError {
  const name = (error as { name?: unknown } | null)?.name
  if (name === 'TimeoutError' || name === 'AbortError') {
    // Cancelled or timed out alike: the request may have reached the server.
    return new NetworkError(`${what} got no answer within ${formatDuration(timeoutMs)}`, true)
  }
  const code = errorCode(error)
  if (code === undefined && /redirect/i.test(causeMessage(error))) {
    return new NetworkError(`${what} was answered with a redirect: set base-url to the address it redirects to`, true)
  }
  const detail = code ?? causeMessage(error).trim()
  return new NetworkError(`${what} failed: ${detail}`, !(code !== undefined && NOT_SENT_CODES.has(code)))
}

interface ErrorLike {
  code?: unknown
  message?: unknown
  cause?: unknown
  errors?: unknown
}

// undici hides the reason in `cause`, and for a host with several addresses in
// an AggregateError under it. Duck-typed: errors may come from another realm.
function errorCode(error: unknown): string | undefined {
  let current = error as ErrorLike | undefined
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
    if (typeof current.code === 'string' && current.code !== 'UND_ERR') return current.code
    current = (Array.isArray(current.errors) ? current.errors[0] : current.cause) as ErrorLike | undefined
  }
  return undefined
}

function causeMessage(error: unknown, depth = 0): string {
  const current = error as ErrorLike | undefined
  if (typeof current !== 'object' || current === null || depth > 3) return ''
  return `${String(current.message)} ${causeMessage(current.cause, depth + 1)}`
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
}
