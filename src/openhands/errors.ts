// Every way an API call can fail, as a type the caller can act on: whether to
// retry, wait, or stop, and whether a POST may already have created something.
import { formatDuration } from '../duration.js'
import type { ConcurrencyLimit } from './responses.js'

export abstract class ApiError extends Error {
  abstract readonly retryable: boolean
  constructor(
    message: string,
    /** HTTP status, when the server answered at all. */
    readonly status?: number,
    /** The server's own words, when it gave any. */
    readonly serverMessage?: string
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** 401/403: the key, or the key's access to the repository, was refused. */
export class AuthError extends ApiError {
  readonly retryable = false
}

/** 404, or 200 with `null`: the server does not know this conversation. */
export class NotFoundError extends ApiError {
  readonly retryable = false
}

/** Any other 4xx: the request itself was refused (bad body, no LLM settings). */
export class RequestError extends ApiError {
  readonly retryable = false
  constructor(
    message: string,
    status: number,
    serverMessage?: string,
    /** The server's message id, e.g. `STATUS$ERROR_LLM_AUTHENTICATION`. */
    readonly messageId?: string
  ) {
    super(message, status, serverMessage)
  }
}

/** 429: too many running conversations, or too many requests. Nothing was done. */
export class RateLimitError extends ApiError {
  readonly retryable = true
  constructor(
    message: string,
    serverMessage: string | undefined,
    /** How long the server asked us to wait, if it said. */
    readonly retryAfterMs?: number,
    /** Set when the account is at its limit of running sandboxes (V1), not out of requests. */
    readonly concurrency?: ConcurrencyLimit
  ) {
    super(message, 429, serverMessage)
  }
}

/** 5xx: the server failed; whether it did the work first is unknown. */
export class ServerError extends ApiError {
  readonly retryable = true
}

/** Where a connection failed, and how. */
export interface Connection {
  host: string
  port: number
  /** The proxy the request went through, without credentials. */
  proxy?: string
  /** Node's code: ECONNREFUSED, ENOTFOUND, … (for the proxy's address when the proxy could not be reached). */
  code?: string
  /** The status the proxy refused the tunnel with. */
  proxyStatus?: number
}

/** No usable answer: refused, reset, or timed out. */
export class NetworkError extends ApiError {
  readonly retryable = true
  constructor(
    message: string,
    /** False only when the request provably never reached the server. */
    readonly requestSent: boolean,
    /** Set when the connection itself failed or broke. */
    readonly connection?: Connection
  ) {
    super(message)
  }
}

/**
 * Connections that never reached the server (refused, a name that does not
 * resolve, a proxy that is down or refuses the tunnel), for as long as such
 * failures are tried: a wrong address, or a server or proxy that is down.
 */
export class UnreachableError extends ApiError {
  readonly retryable = false
  constructor(
    /** The last failure. */
    readonly last: NetworkError,
    readonly tries: number,
    readonly triedMs: number
  ) {
    const connection = last.connection
    const where =
      connection === undefined ? 'OpenHands' : `${connection.host}:${connection.port}${connection.proxy ? ` through the proxy ${connection.proxy}` : ''}`
    super(`Could not connect to ${where} (${tries} ${tries === 1 ? 'try' : 'tries'} in ${formatDuration(triedMs)}); the last: ${last.message}`)
  }
}

/** An answer that is not what the API promises (not JSON, wrong shape). */
export class ProtocolError extends ApiError {
  readonly retryable = false
}

/** V1: the start task ended in ERROR; `serverMessage` holds its `detail`. */
export class StartTaskError extends ApiError {
  readonly retryable = false
}
