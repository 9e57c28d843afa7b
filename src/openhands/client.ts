// HTTP to the OpenHands API: one request per call, no retries (the caller owns
// the policy), every failure turned into a typed ApiError.
import { type HttpAnswer, HttpFailure, REDIRECT_STATUSES, send } from '../http/send.js'
import { ApiError, AuthError, type Connection, NetworkError, NotFoundError, ProtocolError, RateLimitError, RequestError, ServerError } from './errors.js'
import { formatDuration } from '../duration.js'
import type { RateBudget } from '../backoff.js'
import { rateBudgetOf, retryAfterMs } from './rate-limit-headers.js'
import {
  type AgentReading,
  type AgentTurn,
  type Conversation,
  type StartedConversation,
  type StartTask,
  concurrencyLimitOf,
  messageIdOf,
  parseAgentState,
  parseAgentTurn,
  parseCount,
  parseConversation,
  parseConversationV1,
  parseSendMessage,
  parseStarted,
  parseStartTask,
  serverMessageOf,
  sessionKeysIn
} from './responses.js'
import { cutOutside } from '../outside-text.js'

export interface ClientOptions {
  baseUrl: string
  apiKey: string
  send?: typeof send
  now?: () => number
  debug?: (message: string) => void
  /** Told every session key an answer holds, before anything can print it. */
  secret?: (value: string) => void
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

export class OpenHandsClient {
  private readonly send: typeof send
  private readonly now: () => number
  private readonly debug: (message: string) => void
  /** The request budget the last answer reported; the wait loop slows down when it runs low. */
  rateBudget?: RateBudget

  constructor(private readonly options: ClientOptions) {
    this.send = options.send ?? send
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
    // `run: true` is what the agent does with a first message anyway; saying so
    // keeps that true if the server's default changes. The trigger tells the
    // account's conversation list that an API client started it.
    const body: Record<string, unknown> = {
      initial_message: { role: 'user', content: [{ type: 'text', text: request.message }], run: true },
      trigger: 'openhands_api'
    }
    if (request.repository !== undefined) body.selected_repository = request.repository
    if (request.branch !== undefined) body.selected_branch = request.branch
    return parseStartTask(await this.request('POST', '/api/v1/app-conversations', timeoutMs, body))
  }

  async getStartTask(id: string, timeoutMs: number): Promise<StartTask> {
    return parseStartTask(await this.request('GET', `/api/v1/app-conversations/start-tasks?ids=${encodeURIComponent(id)}`, timeoutMs), id)
  }

  /** `cancellable: false` for the reading that stopping a cancelled step needs. */
  async getConversationV1(id: string, timeoutMs: number, cancellable = true): Promise<Conversation> {
    return parseConversationV1(await this.request('GET', `/api/v1/app-conversations?ids=${encodeURIComponent(id)}`, timeoutMs, undefined, cancellable), id)
  }

  /** V1: pauses the sandbox and every conversation in it. Not cancellable, like stopConversation. */
  async pauseSandbox(sandboxId: string, timeoutMs: number): Promise<void> {
    await this.request('POST', `/api/v1/sandboxes/${encodeURIComponent(sandboxId)}/pause`, timeoutMs, undefined, false)
  }

  /** V1: resumes a paused sandbox; it runs again once its status says RUNNING. */
  async resumeSandbox(sandboxId: string, timeoutMs: number): Promise<void> {
    await this.request('POST', `/api/v1/sandboxes/${encodeURIComponent(sandboxId)}/resume`, timeoutMs)
  }

  /** V1: a follow-up message to a conversation whose sandbox runs; `run: true` starts the agent's next turn on it. */
  async sendMessage(id: string, text: string, timeoutMs: number): Promise<void> {
    const body = { role: 'user', content: [{ type: 'text', text }], run: true }
    parseSendMessage(await this.request('POST', `/api/v1/app-conversations/${encodeURIComponent(id)}/send-message`, timeoutMs, body))
  }

  /** V1: how many conversations share a sandbox, so that pausing it never stops another job's. */
  async countInSandbox(sandboxId: string, timeoutMs: number): Promise<number> {
    return parseCount(await this.request('GET', `/api/v1/app-conversations/count?sandbox_id__eq=${encodeURIComponent(sandboxId)}`, timeoutMs, undefined, false))
  }

  /** V1: the agent's newest events, which stay readable while the sandbox is paused. */
  async agentTurn(id: string, timeoutMs: number): Promise<AgentTurn> {
    return parseAgentTurn(
      await this.request('GET', `/api/v1/conversation/${encodeURIComponent(id)}/events/search?sort_order=TIMESTAMP_DESC&limit=50`, timeoutMs)
    )
  }

  /**
   * V1: pauses this conversation alone, through its sandbox's agent server, which
   * takes the conversation's session key and never the account's api-key.
   */
  async pauseAgent(conversation: { conversationUrl: string; sessionApiKey: string }, timeoutMs: number): Promise<void> {
    const url = `${conversation.conversationUrl.replace(/\/+$/, '')}/pause`
    await this.exchange('POST', url, `POST ${new URL(url).pathname}`, { 'X-Session-API-Key': conversation.sessionApiKey }, timeoutMs, undefined, false)
  }

  private request(method: string, path: string, timeoutMs: number, body?: unknown, cancellable = true): Promise<unknown> {
    const headers = { Authorization: `Bearer ${this.options.apiKey}` }
    return this.exchange(method, `${this.options.baseUrl}${path}`, `${method} ${path}`, headers, timeoutMs, body, cancellable)
  }

  private async exchange(
    method: string,
    url: string,
    what: string,
    credentials: Record<string, string>,
    timeoutMs: number,
    body: unknown,
    cancellable: boolean
  ): Promise<unknown> {
    const headers: Record<string, string> = { ...credentials, Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    let answer: HttpAnswer
    try {
      answer = await this.send({
        method,
        url,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
        signal: cancellable ? this.options.signal : undefined,
        maxBytes: MAX_BODY_BYTES
      })
    } catch (error) {
      throw failureError(what, new URL(url), error, timeoutMs)
    }
    const text = answer.body.toString('utf8')
    this.debug(`${what} → ${answer.status} (${answer.body.length} bytes)`)
    this.rateBudget = rateBudgetOf(answer.headers, this.now()) ?? this.rateBudget
    // Refused: following a redirect would resend the key to another address.
    if (REDIRECT_STATUSES.has(answer.status)) {
      throw new NetworkError(`${what} was answered with a redirect: set base-url to the address it redirects to`, true)
    }
    const json = parseJson(text)
    if (json !== undefined) for (const key of sessionKeysIn(json.value)) this.options.secret?.(key)
    if (answer.status >= 200 && answer.status < 300) {
      if (json === undefined) throw new ProtocolError(`${what} answered ${answer.status} with a body that is not JSON: ${snippet(text)}`)
      return json.value
    }
    throw this.httpError(what, answer, json?.value, text)
  }

  private httpError(what: string, answer: HttpAnswer, json: unknown, text: string): ApiError {
    const status = answer.status
    const serverMessage = json === undefined ? (text.trim() ? snippet(text) : undefined) : serverMessageOf(json)
    const message = `${what} answered ${status}${serverMessage ? `: ${serverMessage}` : ''}`
    if (status === 401 || status === 403) return new AuthError(message, status, serverMessage)
    if (status === 404) return new NotFoundError(message, status, serverMessage)
    if (status === 429) return new RateLimitError(message, serverMessage, retryAfterMs(answer.headers, this.now()), concurrencyLimitOf(json))
    if (status >= 500) return new ServerError(message, status, serverMessage)
    return new RequestError(message, status, serverMessage, messageIdOf(json))
  }
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

function failureError(what: string, url: URL, error: unknown, timeoutMs: number): ApiError {
  if (!(error instanceof HttpFailure)) {
    return new NetworkError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, true)
  }
  switch (error.kind) {
    case 'timeout':
    case 'cancelled':
      // Cancelled or timed out alike: the request may have reached the server.
      return new NetworkError(`${what} got no answer within ${formatDuration(timeoutMs)}`, true)
    case 'too-large':
      return new ProtocolError(
        error.declaredBytes === undefined
          ? `the answer is more than the ${MAX_BODY_BYTES} bytes this API ever sends`
          : `the answer is ${error.declaredBytes} bytes, more than the ${MAX_BODY_BYTES} this API ever sends`
      )
    case 'connection':
    case 'proxy': {
      // A proxy's failure is told in full: it names the proxy, which the code alone would not.
      const detail = error.kind === 'proxy' ? error.message : (error.code ?? error.message.trim())
      const connection: Connection = {
        host: url.hostname,
        port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        proxy: error.proxy,
        code: error.code,
        proxyStatus: error.proxyStatus
      }
      return new NetworkError(`${what} failed: ${detail}`, !error.sentNothing, connection)
    }
  }
}

function snippet(text: string): string {
  // Redacted before it is cut, so a key across the cut leaves no fragment.
  return cutOutside(text.replace(/\s+/g, ' ').trim(), 200)
}
