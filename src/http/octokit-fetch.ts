// The fetch Octokit is given, on send(): GitHub's calls then take the same
// HTTP stack as the OpenHands ones. Left to itself, @actions/github sends through
// undici's fetch, a second stack whose first request costs the step tens of
// megabytes and a WebAssembly compile (BENCHMARKS.md).
import { type AnswerHeaders, REDIRECT_STATUSES, send } from './send.js'

/** What Octokit's fetch wrapper reads from an answer. */
export interface OctokitFetchAnswer {
  status: number
  statusText: string
  url: string
  headers: AnswerHeaders
  body: null
  text(): Promise<string>
  json(): Promise<unknown>
  arrayBuffer(): Promise<ArrayBuffer>
}

export interface OctokitFetchInit {
  method?: string
  headers?: Record<string, string>
  body?: unknown
  signal?: AbortSignal | null
}

export type OctokitFetch = (url: string | URL, init?: OctokitFetchInit) => Promise<OctokitFetchAnswer>

// A page of 100 issue comments of up to 65 536 characters each, with room to spare.
const MAX_BYTES = 32 * 1024 * 1024
const MAX_REDIRECTS = 5

/**
 * @param timeoutMs how long one GitHub call may take; GitHub answers in well under a second,
 *   and the permission gate and comments must not hold the step if it does not.
 */
export function octokitFetch(timeoutMs: number, sendRequest: typeof send = send): OctokitFetch {
  return async (target, init = {}) => {
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('only string bodies are sent to GitHub')
    }
    let url = new URL(String(target))
    let method = (init.method ?? 'GET').toUpperCase()
    let body = init.body ?? undefined
    for (let hop = 0; ; hop++) {
      const answer = await sendRequest({
        method,
        url: url.href,
        headers: init.headers ?? {},
        body,
        timeoutMs,
        signal: init.signal ?? undefined,
        maxBytes: MAX_BYTES
      })
      const location = answer.headers.get('location')
      if (!REDIRECT_STATUSES.has(answer.status) || location === null) {
        const text = answer.body.toString('utf8')
        const bytes = answer.body
        return {
          status: answer.status,
          statusText: answer.statusText,
          url: url.href,
          headers: answer.headers,
          body: null,
          text: async () => text,
          json: async () => JSON.parse(text) as unknown,
          arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
        }
      }
      // GitHub redirects the API calls of a renamed or transferred repository. The
      // token goes with the request, so only to the same origin.
      const next = new URL(location, url)
      if (next.origin !== url.origin)
        throw new Error(`GitHub redirected ${method} ${url.pathname} to another origin (${next.origin}); not following it with the token`)
      if (hop + 1 >= MAX_REDIRECTS) throw new Error(`GitHub redirected ${method} ${url.pathname} more than ${MAX_REDIRECTS} times`)
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = 'GET'
        body = undefined
      }
      url = next
    }
  }
}
