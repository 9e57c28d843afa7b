import { createServer } from 'node:http'
import { createHash } from 'node:crypto'
import { Buffer } from 'node:buffer'
import { setTimeout, clearTimeout } from 'node:timers'
import { ConversationStore } from './conversations.js'
import { FaultList, answerWithFault } from './faults.js'
import { FixedWindowLimiter, rateLimitedBody } from './rate-limit.js'
import { CREATE_PATHS, STOP_PATHS, createApi, matchRoute } from './routes.js'
import { StartTaskStore } from './v1.js'
import { sendJson } from './send.js'

/** @typedef {import('./faults.js').FaultSpec} FaultSpec */
/** @typedef {import('./conversations.js').AgentFinalState} AgentFinalState */
/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */
/**
 * @typedef {object} RequestRecord
 * @property {string} method
 * @property {string} path path and query, never headers
 * @property {number} status 0 while unanswered, or when the socket was dropped
 * @property {number} at epoch ms from `now()` when the request arrived
 */
/**
 * @typedef {object} SimulatorOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0, a free port
 * @property {string} [apiKey] when unset, any non-empty Bearer token is an account of its own
 * @property {number} [startingMs] default 1000
 * @property {number} [runningMs] default 3000
 * @property {'STOPPED' | 'ERROR'} [finalStatus] default STOPPED
 * @property {number} [agentFinishesMs] when the agent reaches agentFinalState, from creation, whatever the
 *   runtime does meanwhile; default: when the runtime reaches finalStatus. A runtime that ends first cuts
 *   the agent off (stopped, or error when finalStatus is ERROR).
 * @property {AgentFinalState} [agentFinalState] default finished; `stuck` shows as `error` on V0
 * @property {boolean} [eventsRoute] default true; false answers GET /api/conversations/{id}/events 404
 * @property {number} [startTaskMs] how long a V1 start task takes to reach READY or ERROR, default 600
 * @property {boolean} [v0] default true; false answers every V0 route 404, as a V1-only server would
 * @property {boolean} [v1] default true; false answers every /api/v1 route 404, as an older server would
 * @property {number} [maxRunning] default 10, per account
 * @property {number} [rateLimitPerMinute] default 100, 0 = unlimited
 * @property {string[]} [inaccessibleRepos]
 * @property {boolean} [llmConfigured] default true
 * @property {FaultSpec[]} [faults]
 * @property {() => number} [now] default Date.now
 * @property {(entry: RequestRecord) => void} [onRequest] called once each API request is answered or dropped
 */
/**
 * @typedef {object} SimulatorState
 * @property {ReturnType<ConversationStore['snapshot']>} conversations
 * @property {ReturnType<StartTaskStore['snapshot']>} startTasks V1 start tasks, oldest first
 * @property {RequestRecord[]} requests
 * @property {number} createAttempts every POST that would start a conversation (V0 or V1) that arrived, whatever its outcome
 * @property {number} created conversations created, V0 and V1
 * @property {number} stopRequests every V0 stop or V1 pause POST that arrived, whatever its outcome
 * @property {number} maxConcurrentRunning
 */
/**
 * @typedef {object} Simulator
 * @property {string} url
 * @property {number} port
 * @property {() => Promise<void>} close
 * @property {(faults: FaultSpec[]) => void} setFaults
 * @property {(fault: FaultSpec) => void} addFault
 * @property {() => SimulatorState} state
 */

const MAX_BODY_BYTES = 10 * 1024 * 1024
const NOT_FOUND = { detail: 'Not Found' }
const METHOD_NOT_ALLOWED = { detail: 'Method Not Allowed' }

/**
 * @param {Request} req
 * @returns {Promise<string | null>} null when the body is too large to be a real request
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * Accounts are keyed by a hash so the key itself is never held in any record.
 * @param {string | undefined} header
 * @param {string | undefined} apiKey
 */
function accountOf(header, apiKey) {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
  if (!token || (apiKey !== undefined && token !== apiKey)) return undefined
  return createHash('sha256').update(token).digest('hex').slice(0, 16)
}

/**
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
export async function startSimulator(options = {}) {
  const now = options.now ?? Date.now
  const rateLimit = options.rateLimitPerMinute ?? 100
  const maxRunning = options.maxRunning ?? 10
  const store = new ConversationStore({
    now,
    startingMs: options.startingMs ?? 1000,
    runningMs: options.runningMs ?? 3000,
    finalStatus: options.finalStatus ?? 'STOPPED',
    agentFinishesMs: options.agentFinishesMs,
    agentFinalState: options.agentFinalState ?? 'finished'
  })
  const tasks = new StartTaskStore({ now, startTaskMs: options.startTaskMs ?? 600 })
  const api = createApi(store, {
    maxRunning,
    llmConfigured: options.llmConfigured ?? true,
    inaccessibleRepos: options.inaccessibleRepos ?? [],
    tasks
  })
  const v0 = options.v0 ?? true
  const enabled = { v0, v1: options.v1 ?? true, events: v0 && (options.eventsRoute ?? true) }
  let origin = ''
  const limiter = new FixedWindowLimiter(rateLimit, now)
  const faults = new FaultList(options.faults)
  /** @type {RequestRecord[]} */
  let requests = []
  let createAttempts = 0
  let stopRequests = 0
  /** @type {Set<ReturnType<typeof setTimeout>>} */
  const timers = new Set()

  /** @param {number} ms */
  const delay = (ms) =>
    /** @type {Promise<void>} */ (
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, ms)
        timers.add(timer)
      })
    )

  /** @returns {SimulatorState} */
  const state = () => ({
    conversations: store.snapshot(),
    startTasks: tasks.snapshot(),
    requests: requests.map((r) => ({ ...r })),
    createAttempts,
    created: store.created,
    stopRequests,
    maxConcurrentRunning: store.peakRunning
  })

  /**
   * @param {Request} req
   * @param {Response} res
   * @param {string} pathname
   * @param {string} raw
   */
  function control(req, res, pathname, raw) {
    const route = `${req.method} ${pathname}`
    if (route === 'GET /_simulator/state') return sendJson(res, 200, state())
    if (route === 'POST /_simulator/reset') {
      store.reset()
      tasks.reset()
      limiter.reset()
      faults.set([])
      requests = []
      createAttempts = 0
      stopRequests = 0
      return sendJson(res, 200, { status: 'ok' })
    }
    if (route === 'PUT /_simulator/faults') {
      try {
        const list = JSON.parse(raw)
        if (!Array.isArray(list)) throw new TypeError('the body must be a JSON array of faults')
        faults.set(list)
        return sendJson(res, 200, { status: 'ok', faults: list.length })
      } catch (error) {
        return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) })
      }
    }
    const known = ['/_simulator/state', '/_simulator/reset', '/_simulator/faults'].includes(pathname)
    return known ? sendJson(res, 405, METHOD_NOT_ALLOWED) : sendJson(res, 404, NOT_FOUND)
  }

  /**
   * @param {Request} req
   * @param {Response} res
   * @param {URL} url
   */
  function record(req, res, url) {
    const entry = { method: req.method ?? 'GET', path: url.pathname + url.search, status: 0, at: now() }
    requests.push(entry)
    res.on('close', () => {
      if (res.headersSent) entry.status = res.statusCode
      options.onRequest?.({ ...entry })
    })
  }

  /**
   * @param {Request} req
   * @param {Response} res
   */
  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid')
    const method = req.method ?? 'GET'
    const raw = await readBody(req)
    if (raw === null) return sendJson(res, 413, { detail: 'Request Entity Too Large' }, { Connection: 'close' })
    if (url.pathname.startsWith('/_simulator/')) return control(req, res, url.pathname, raw)
    record(req, res, url)
    if (method === 'POST' && CREATE_PATHS.some((p) => p.test(url.pathname))) createAttempts += 1
    if (method === 'POST' && STOP_PATHS.some((p) => p.test(url.pathname))) stopRequests += 1
    if (!url.pathname.startsWith('/api/')) return sendJson(res, 404, NOT_FOUND)
    const account = accountOf(req.headers.authorization, options.apiKey)
    if (!account) return sendJson(res, 401, { error: 'NoCredentialsError' })
    const rate = limiter.take(account)
    if (!rate.allowed) return sendJson(res, 429, rateLimitedBody(rateLimit), rate.headers)
    const route = matchRoute(method, url.pathname, enabled)
    if ('statusCode' in route) {
      return sendJson(res, route.statusCode, route.statusCode === 405 ? METHOD_NOT_ALLOWED : NOT_FOUND, rate.headers)
    }
    /** @param {{ statusOverride?: string }} [overrides] */
    const perform = (overrides) => api(route.name, { account, id: route.id, raw, query: url.searchParams, origin, ...overrides })
    const fault = faults.take(route.name)
    if (fault) {
      return answerWithFault(fault, { res, perform, headers: rate.headers, delay, rateLimit: rateLimit || 100, maxRunning })
    }
    const reply = perform()
    return sendJson(res, reply.statusCode, reply.body, rate.headers)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) res.destroy()
      else sendJson(res, 500, { detail: 'Internal Server Error' })
    })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve(undefined))
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  return {
    url: origin,
    port,
    state,
    setFaults: (list) => faults.set(list),
    addFault: (fault) => faults.add(fault),
    close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      return new Promise((resolve) => {
        // Resolves even if already closed: close() should be safe to call twice.
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
