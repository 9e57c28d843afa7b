import { Buffer } from 'node:buffer'
import { sendJson, sendRaw } from './send.js'
import { rateLimitedBody } from './rate-limit.js'
import { ROUTE_NAMES, tooManyConversations } from './routes.js'
import { concurrencyLimitBody } from './v1/routes.js'

/** @typedef {import('./send.js').Reply} Reply */
/** @typedef {import('./send.js').Headers} Headers */
/**
 * @typedef {'status' | 'drop' | 'reset-mid-body' | 'slow' | 'rate-limit' | 'conversation-limit' | 'malformed'
 *   | 'truncated' | 'null-body' | 'unknown-status' | 'huge-body' | 'create-then-fail'} FaultKind
 */
/** @typedef {import('./routes.js').RouteName | 'any'} FaultRoute */
/** @typedef {{ kind: FaultKind, route?: FaultRoute, count?: number | null } & Record<string, unknown>} FaultSpec */
/** @typedef {{ kind: FaultKind, route: FaultRoute, remaining: number, params: Record<string, unknown> }} Fault */
/**
 * @typedef {object} FaultContext
 * @property {import('node:http').ServerResponse} res
 * @property {(overrides?: { statusOverride?: string }) => Reply} perform runs the route for real
 * @property {Headers} headers extra headers for the answer: none today, as the real server sends rate-limit headers only on its own 429
 * @property {(ms: number) => Promise<void>} delay cancelled by close()
 * @property {string} rateLimit the limit's description, e.g. `100 per 1 minute`
 * @property {number} maxRunning
 * @property {string} route the route the fault struck
 * @property {number} now epoch ms
 */

/** @type {FaultKind[]} */
export const FAULT_KINDS = [
  'status',
  'drop',
  'reset-mid-body',
  'slow',
  'rate-limit',
  'conversation-limit',
  'malformed',
  'truncated',
  'null-body',
  'unknown-status',
  'huge-body',
  'create-then-fail'
]
/** @type {FaultRoute[]} */
const ROUTES = [...ROUTE_NAMES, 'any']
const INTERNAL_ERROR = { detail: 'Internal Server Error' }

/**
 * @param {unknown} spec
 * @returns {Fault}
 */
export function normalizeFault(spec) {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new TypeError('a fault must be an object')
  const { kind, route, count, ...params } = /** @type {Record<string, unknown>} */ (spec)
  if (!FAULT_KINDS.includes(/** @type {FaultKind} */ (kind))) {
    throw new TypeError(`unknown fault kind ${JSON.stringify(kind)}; expected one of ${FAULT_KINDS.join(', ')}`)
  }
  const defaultRoute = kind === 'create-then-fail' ? 'create' : 'any'
  if (route !== undefined && !ROUTES.includes(/** @type {FaultRoute} */ (route))) {
    throw new TypeError(`unknown fault route ${JSON.stringify(route)}; expected one of ${ROUTES.join(', ')}`)
  }
  if (count != null && (typeof count !== 'number' || count < 0)) throw new TypeError('fault count must be a number >= 0')
  return {
    kind: /** @type {FaultKind} */ (kind),
    route: /** @type {FaultRoute} */ (route ?? defaultRoute),
    remaining: count ?? Infinity,
    params
  }
}

export class FaultList {
  /** @param {unknown[]} [specs] */
  constructor(specs = []) {
    /** @type {Fault[]} */
    this.faults = specs.map(normalizeFault)
  }

  /** @param {unknown[]} specs replaced atomically: one bad entry leaves the list untouched */
  set(specs) {
    this.faults = specs.map(normalizeFault)
  }

  /** @param {unknown} spec */
  add(spec) {
    this.faults.push(normalizeFault(spec))
  }

  /**
   * First matching fault with hits left wins and spends one.
   * @param {string} route
   */
  take(route) {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.route === 'any' || f.route === route))
    if (fault) fault.remaining -= 1
    return fault
  }
}

/**
 * @param {unknown} value
 * @param {number} fallback
 */
const numberParam = (value, fallback) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)

/** @param {Reply} reply */
const bytesOf = (reply) => Buffer.from(JSON.stringify(reply.body), 'utf8')

/**
 * @param {unknown} body
 * @param {number} size
 */
function padTo(body, size) {
  const base = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : { value: body }
  const unpadded = Buffer.byteLength(JSON.stringify({ ...base, padding: '' }))
  return { ...base, padding: 'x'.repeat(Math.max(0, size - unpadded)) }
}

/**
 * Answers as the fault dictates. Faults that model a refusal (status, drop,
 * rate-limit, conversation-limit) never perform the action; the rest do.
 * @param {Fault} fault
 * @param {FaultContext} ctx
 * @returns {Promise<void>}
 */
export async function answerWithFault(fault, ctx) {
  const { res, perform, headers } = ctx
  const { params } = fault
  switch (fault.kind) {
    case 'status':
      // `text` answers with that text as it is (not JSON), as a proxy or a crashed server may.
      if (typeof params.text === 'string') return sendRaw(res, numberParam(params.statusCode, 500), params.text, headers)
      return sendJson(res, numberParam(params.statusCode, 500), params.body ?? INTERNAL_ERROR, headers)
    case 'drop':
      res.socket?.destroy()
      return
    case 'reset-mid-body': {
      const bytes = bytesOf(perform())
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length), ...headers })
      // Destroy only once the half is flushed, or the client might see no headers at all.
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy())
      return
    }
    case 'slow': {
      await ctx.delay(numberParam(params.delayMs, 5000))
      const reply = perform()
      return sendJson(res, reply.statusCode, reply.body, headers)
    }
    case 'rate-limit': {
      // The real limiter's shapes: the limit as its description, Reset as an absolute epoch second.
      // Reset and Retry-After are sent only when given, so clients can be tried without them.
      /** @type {Headers} */
      const limitHeaders = { 'X-RateLimit-Limit': ctx.rateLimit, 'X-RateLimit-Remaining': '0' }
      if (params.retryAfterSeconds !== undefined) limitHeaders['Retry-After'] = String(params.retryAfterSeconds)
      if (params.resetSeconds !== undefined) {
        limitHeaders['X-RateLimit-Reset'] = String(Math.floor(ctx.now / 1000) + numberParam(params.resetSeconds, 0))
      }
      return sendJson(res, 429, rateLimitedBody(ctx.rateLimit), limitHeaders)
    }
    case 'conversation-limit': {
      const body = ctx.route.startsWith('v1-') ? concurrencyLimitBody(ctx.maxRunning, ctx.maxRunning) : tooManyConversations(ctx.maxRunning)
      return sendJson(res, 429, body, headers)
    }
    case 'malformed':
      perform()
      return sendRaw(res, 200, '{"status": "ok", "conversation_id": ', headers)
    case 'truncated': {
      const bytes = bytesOf(perform())
      return sendRaw(res, 200, bytes.subarray(0, Math.floor(bytes.length / 2)), headers)
    }
    case 'null-body':
      perform()
      return sendJson(res, 200, null, headers)
    case 'unknown-status': {
      const reply = perform({ statusOverride: String(params.status ?? 'HIBERNATING') })
      return sendJson(res, reply.statusCode, reply.body, headers)
    }
    case 'huge-body':
      return sendJson(res, 200, padTo(perform().body, numberParam(params.bytes, 5_000_000)), headers)
    case 'create-then-fail':
      perform()
      return sendJson(res, 500, INTERNAL_ERROR, headers)
  }
}
