// Collects, over a test, every way the exchanges with the simulator (or any
// stand-in server) depart from the vendor's OpenAPI document (openapi.ts).
// Wire it to the simulator's `onExchange` option and call assertNone() at the end.
import { checkRequest, checkResponse, type Headers } from './openapi.js'

/** One request and its answer, as the simulator's `onExchange` option reports it. */
export interface Exchange {
  method: string
  path: string
  query: string
  headers: Headers
  requestBody: string
  status: number
  responseBody: string
  /** A fault was injected into the answer: it is broken on purpose, so only the request is checked. */
  faulted: boolean
}

export interface ConformanceRecorder {
  onExchange(exchange: Exchange): void
  /** Every problem so far, each naming its method and path (and the exchange's place in the order). */
  problems(): string[]
  /** Throws an Error listing every problem, if there is any. */
  assertNone(): void
}

export function conformanceRecorder(): ConformanceRecorder {
  const found: string[] = []
  let count = 0
  return {
    onExchange(exchange) {
      count += 1
      const problems = checkRequest({
        method: exchange.method,
        path: exchange.path,
        query: exchange.query,
        headers: exchange.headers,
        body: exchange.requestBody
      })
      if (!exchange.faulted) {
        // A path or method the document lacks is already reported for the request.
        const said = new Set(problems)
        const answer = checkResponse({ method: exchange.method, path: exchange.path, status: exchange.status, body: exchange.responseBody })
        problems.push(...answer.filter((problem) => !said.has(problem)))
      }
      for (const problem of problems) found.push(`exchange ${count} (→ ${exchange.status}): ${problem}`)
    },
    problems() {
      return [...found]
    },
    assertNone() {
      if (found.length === 0) return
      throw new Error(`${found.length} departure(s) from the OpenHands Cloud OpenAPI document:\n${found.map((p) => `  - ${p}`).join('\n')}`)
    }
  }
}
