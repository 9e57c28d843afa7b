// The fetch Octokit is given, on send(): GitHub's calls then take the same
// HTTP stack as the OpenHands ones. Left to itself, @actions/github sends through
// undici's fetch, a second stack whose first request costs the step tens of
// megabytes and a WebAssembly compile (BENCHMARKS.md).
import { formatDuration } from '../duration.js'
import { type AnswerHeaders, type HttpAnswer, HttpFailure, type HttpRequest, REDIRECT_STATUSES, send } from './send.js'

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
// A call made once the step's time is up (the last comment edit after a timeout) still gets this long.
export const LATE_CALL_MS = 3000

/** Where the token may go, and for how long each call may hold the step. */
export interface GitHubLimits {
  /** The one origin the token is sent to: GITHUB_API_URL's. */
  origin: string
  /** How long one call may take at most. */
  callMs: number
  /** When the step's `timeout` runs out, on `now`'s clock: no call runs past it (but for LATE_CALL_MS). */
  deadline: number
  now: () => number
}

/**
 * Every request Octokit makes carries the token, and Octokit goes wherever an answer
 * points it: a `Link: rel="next"` page, a redirect, an absolute URL. So the origin
 * is checked here, before each request, and anything else is refused outright.
 */
export function octokitFetch(limits: GitHubLimits, sendRequest: typeof send = send): OctokitFetch {
  return async (target, init = {}) => {
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new TypeError('only string bodies are sent to GitHub')
    }
    let url = new URL(String(target))
    let method = (init.method ?? 'GET').toUpperCase()
    let body = init.body ?? undefined
    for (let hop = 0; ; hop++) {
      refuseOtherOrigin(url, method, limits.origin, hop > 0)
      const answer = await sendWithin(limits, sendRequest, {
        method,
        url: url.href,
        headers: init.headers ?? {},
        body,
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
      // GitHub redirects the API calls of a renamed or transferred repository.
      const next = new URL(location, url)
      if (hop + 1 >= MAX_REDIRECTS) throw new Error(`GitHub redirected ${method} ${url.pathname} more than ${MAX_REDIRECTS} times`)
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = 'GET'
        body = undefined
      }
      url = next
    }
  }
}

function refuseOtherOrigin(url: URL, method: string, origin: string, redirected: boolean): void {
  if (url.origin === origin) return
  const what = `${url.origin} (${method} ${url.pathname})`
  const refused = redirected ? `Refused to follow GitHub's redirect to ${what}` : `Refused to send the GitHub token to ${what}`
  throw new Error(`${refused}: the token goes only to ${origin}, the origin of GITHUB_API_URL`)
}

/** One exchange, bounded by the per-call limit and by what is left of the step's time. */
async function sendWithin(limits: GitHubLimits, sendRequest: typeof send, request: Omit<HttpRequest, 'timeoutMs'>): Promise<HttpAnswer> {
  const left = limits.deadline - limits.now()
  const timeoutMs = Math.min(limits.callMs, Math.max(left, LATE_CALL_MS))
  try {
    return await sendRequest({ ...request, timeoutMs })
  } catch (error) {
    if (!(error instanceof HttpFailure) || error.kind !== 'timeout') throw error
    const why = timeoutMs < limits.callMs ? " (bounded by the step's timeout)" : ''
    throw new Error(`GitHub did not answer ${request.method} ${new URL(request.url).pathname} within ${formatDuration(timeoutMs)}${why}`)
  }
}
