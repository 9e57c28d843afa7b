// One HTTP request on Node's own http/https modules: the action's only HTTP
// stack, for the OpenHands API and (through octokit-fetch.ts) for GitHub.
// Not fetch: on Node 20 the first fetch compiles undici's WebAssembly parser,
// which doubles the step's start-up CPU and costs ~40 MB of memory (BENCHMARKS.md).
// The runner's proxy settings are honoured without any opt-in (route.ts).
import type * as http from 'node:http'
import { type Route, routeFor, type Tunnel } from './route.js'

export interface HttpRequest {
  method: string
  /** Absolute http: or https: address. */
  url: string
  headers: Readonly<Record<string, string>>
  body?: string
  /** The whole exchange, connect to last byte. */
  timeoutMs: number
  /** Abandons the request when it fires. */
  signal?: AbortSignal
  /** A longer answer is refused rather than read into memory. */
  maxBytes: number
}

/** An answer's headers by lower-case name; repeated headers joined as HTTP allows. */
export class AnswerHeaders implements Iterable<[string, string]> {
  private readonly values: ReadonlyMap<string, string>

  constructor(raw: http.IncomingHttpHeaders) {
    const values = new Map<string, string>()
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) values.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value)
    }
    this.values = values
  }

  get(name: string): string | null {
    return this.values.get(name.toLowerCase()) ?? null
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.values.entries()
  }
}

export interface HttpAnswer {
  status: number
  statusText: string
  headers: AnswerHeaders
  body: Buffer
}

/** Statuses that send the request elsewhere (Location); send() never follows them itself. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

export type FailureKind =
  /** No whole answer within timeoutMs. */
  | 'timeout'
  /** The signal fired. */
  | 'cancelled'
  /** The answer is longer than maxBytes. */
  | 'too-large'
  /** The connection failed or broke; `code` says how when Node knows. */
  | 'connection'
  /** The proxy could not be reached, or would not open a tunnel: nothing reached the server. */
  | 'proxy'

export interface FailureDetails {
  /** Node's error code (ECONNREFUSED, ECONNRESET, …), for connection failures and a proxy that could not be reached. */
  code?: string
  /** For too-large: the Content-Length the server declared, when it did. */
  declaredBytes?: number
  /** The proxy the request went through, without credentials. */
  proxy?: string
  /** For proxy: the status the proxy refused the tunnel with. */
  proxyStatus?: number
}

// Connection failures where the request provably never left this machine.
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

/** Every way send() fails. */
export class HttpFailure extends Error {
  readonly code?: string
  readonly declaredBytes?: number
  readonly proxy?: string
  readonly proxyStatus?: number

  constructor(
    message: string,
    readonly kind: FailureKind,
    details: FailureDetails = {}
  ) {
    super(message)
    this.name = 'HttpFailure'
    this.code = details.code
    this.declaredBytes = details.declaredBytes
    this.proxy = details.proxy
    this.proxyStatus = details.proxyStatus
  }

  /** True when the request provably never reached the server, so sending it again cannot do anything twice. */
  get sentNothing(): boolean {
    return this.kind === 'proxy' || (this.kind === 'connection' && this.code !== undefined && NOT_SENT_CODES.has(this.code))
  }
}

export async function send(request: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(request.url)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpFailure(`${url.protocol} is not http: or https:`, 'connection')
  }
  return exchange(url, await routeFor(url), request)
}

function exchange(url: URL, route: Route, request: HttpRequest): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers }
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body))
    let settled = false
    const finish = (outcome: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
      route.tunnel?.close()
      outcome()
    }
    const failure = (message: string, kind: FailureKind, details: FailureDetails = {}): HttpFailure =>
      new HttpFailure(message, kind, { ...details, proxy: route.proxy })
    const fail = (error: HttpFailure): void =>
      finish(() => {
        outgoing.destroy()
        reject(error)
      })

    const outgoing = route.open(url, { method: request.method, headers, agent: route.agent }, (incoming) => {
      const headersOf = new AnswerHeaders(incoming.headers)
      const declared = Number(headersOf.get('content-length') ?? Number.NaN)
      if (declared > request.maxBytes) {
        fail(failure(`the answer is ${declared} bytes`, 'too-large', { declaredBytes: declared }))
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > request.maxBytes) fail(failure(`the answer is more than ${request.maxBytes} bytes`, 'too-large'))
        else chunks.push(chunk)
      })
      incoming.on('end', () =>
        finish(() => resolve({ status: incoming.statusCode ?? 0, statusText: incoming.statusMessage ?? '', headers: headersOf, body: Buffer.concat(chunks) }))
      )
      // The connection broke mid-answer.
      incoming.on('error', (error) => fail(connectionFailure(error, failure)))
      incoming.on('close', () => {
        if (!incoming.complete) fail(failure('the connection closed before the answer was complete', 'connection', { code: 'ECONNRESET' }))
      })
    })
    outgoing.on('error', (error) => {
      const tunnel = route.tunnel
      fail(tunnel === undefined || tunnel.established ? connectionFailure(error, failure) : proxyFailure(tunnel, route.proxy ?? '', url, error, failure))
    })

    // One timer for the whole exchange (the CONNECT to a proxy included), cleared
    // with it: a socket idle timeout would let a server that trickles bytes hold the step forever.
    const timer = setTimeout(() => fail(failure(`no answer within ${request.timeoutMs} ms`, 'timeout')), Math.max(1, request.timeoutMs))
    const onAbort = (): void => fail(failure('cancelled', 'cancelled'))
    if (request.signal?.aborted) {
      onAbort()
      return
    }
    request.signal?.addEventListener('abort', onAbort)
    outgoing.end(request.body)
  })
}

type MakeFailure = (message: string, kind: FailureKind, details?: FailureDetails) => HttpFailure

function connectionFailure(error: unknown, failure: MakeFailure): HttpFailure {
  return failure(messageOf(error), 'connection', { code: codeOf(error) })
}

// The tunnel agent reports every failed CONNECT as ECONNRESET; the tunnel watch
// knows whether the proxy could not be reached or refused the tunnel.
function proxyFailure(tunnel: Tunnel, proxy: string, url: URL, error: unknown, failure: MakeFailure): HttpFailure {
  const target = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`
  if (tunnel.refusal !== undefined) {
    const { status, statusText } = tunnel.refusal
    return failure(`the proxy ${proxy} refused to open a tunnel to ${target}: it answered ${status}${statusText ? ` ${statusText}` : ''}`, 'proxy', {
      proxyStatus: status
    })
  }
  const cause = tunnel.error ?? error
  const code = codeOf(cause)
  return failure(`could not connect to the proxy ${proxy}: ${code ?? messageOf(cause)}`, 'proxy', { code })
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
