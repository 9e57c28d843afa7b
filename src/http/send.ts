// One HTTP request on Node's own http/https modules: the action's only HTTP
// stack, for the OpenHands API and (through octokit-fetch.ts) for GitHub.
// Not fetch: on Node 20 the first fetch compiles undici's WebAssembly parser,
// which doubles the step's start-up CPU and costs ~40 MB of memory (BENCHMARKS.md).
import * as http from 'node:http'

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

/** Every way send() fails. */
export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    /** Node's error code (ECONNREFUSED, ECONNRESET, …) for connection failures. */
    readonly code?: string,
    /** For too-large: the Content-Length the server declared, when it did. */
    readonly declaredBytes?: number
  ) {
    super(message)
    this.name = 'HttpFailure'
  }
}

type RequestFunction = typeof http.request

export async function send(request: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(request.url)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpFailure(`${url.protocol} is not http: or https:`, 'connection')
  }
  // https (and with it tls) is loaded only when used: the loopback simulator is plain http.
  const open: RequestFunction = url.protocol === 'https:' ? (await import('node:https')).request : http.request
  return exchange(open, url, request)
}

function exchange(open: RequestFunction, url: URL, request: HttpRequest): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers }
    if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body))
    let settled = false
    const finish = (outcome: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
      outcome()
    }
    const fail = (failure: HttpFailure): void =>
      finish(() => {
        outgoing.destroy()
        reject(failure)
      })

    const outgoing = open(url, { method: request.method, headers }, (incoming) => {
      const headersOf = new AnswerHeaders(incoming.headers)
      const declared = Number(headersOf.get('content-length') ?? Number.NaN)
      if (declared > request.maxBytes) {
        fail(new HttpFailure(`the answer is ${declared} bytes`, 'too-large', undefined, declared))
        return
      }
      const chunks: Buffer[] = []
      let size = 0
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > request.maxBytes) fail(new HttpFailure(`the answer is more than ${request.maxBytes} bytes`, 'too-large'))
        else chunks.push(chunk)
      })
      incoming.on('end', () =>
        finish(() => resolve({ status: incoming.statusCode ?? 0, statusText: incoming.statusMessage ?? '', headers: headersOf, body: Buffer.concat(chunks) }))
      )
      // The connection broke mid-answer.
      incoming.on('error', (error) => fail(connectionFailure(error)))
      incoming.on('close', () => {
        if (!incoming.complete) fail(new HttpFailure('the connection closed before the answer was complete', 'connection', 'ECONNRESET'))
      })
    })
    outgoing.on('error', (error) => fail(connectionFailure(error)))

    // One timer for the whole exchange, cleared with it: a socket idle timeout
    // would let a server that trickles bytes hold the step forever.
    const timer = setTimeout(() => fail(new HttpFailure(`no answer within ${request.timeoutMs} ms`, 'timeout')), Math.max(1, request.timeoutMs))
    const onAbort = (): void => fail(new HttpFailure('cancelled', 'cancelled'))
    if (request.signal?.aborted) {
      onAbort()
      return
    }
    request.signal?.addEventListener('abort', onAbort)
    outgoing.end(request.body)
  })
}

function connectionFailure(error: unknown): HttpFailure {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  return new HttpFailure(message, 'connection', typeof code === 'string' ? code : undefined)
}
