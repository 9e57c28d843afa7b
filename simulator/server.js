import { createServer } from 'node:http'
import { createHash } from 'node:crypto'
import { Buffer } from 'node:buffer'
import { setTimeout, clearTimeout } from 'node:timers'
import { ConversationStore } from './conversations.js'
import { FaultList, answerWithFault } from './faults.js'
import { CloudRateLimiter, describeLimit } from './rate-limit.js'
import { CREATE_PATHS, STOP_PATHS, createApi, matchRoute } from './routes.js'
import { sendJson, sentBodies } from './send.js'
import { createV1Api } from './v1/routes.js'
import { World } from './v1/world.js'
import { v1Snapshot, setSandboxStatus } from './v1/control.js'

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
 * One answered request, for conformance checks against the vendor's document.
 * @typedef {object} Exchange
 * @property {string} method
 * @property {string} path pathname only
 * @property {string} query the search string without '?'
 * @property {import('node:http').IncomingHttpHeaders} headers as node gives them
 * @property {string} requestBody raw
 * @property {number} status
 * @property {string} responseBody raw, as sent
 * @property {boolean} faulted true when a fault shaped the answer
 */
/**
 * @typedef {object} SimulatorOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0, a free port
 * @property {string} [apiKey] when unset, any non-empty key is an account of its own
 * @property {number} [startingMs] V0: default 1000
 * @property {number} [runningMs] V0: default 3000
 * @property {'STOPPED' | 'ERROR'} [finalStatus] V0: default STOPPED
 * @property {number} [agentFinishesMs] V0: when the agent reaches agentFinalState, from creation, whatever the
 *   runtime does meanwhile; default: when the runtime reaches finalStatus. A runtime that ends first cuts
 *   the agent off (stopped, or error when finalStatus is ERROR).
 * @property {AgentFinalState} [agentFinalState] default finished. V0: `stuck` shows as `error`. V1: finished and
 *   awaiting_user_input → finished (a text answer ends the turn), error and rejected → error, stopped → paused.
 * @property {boolean} [eventsRoute] default true; false answers GET /api/conversations/{id}/events 404
 * @property {boolean} [v0] default true; false answers every V0 route 404, as a V1-only server would
 * @property {boolean} [v1] default true; false answers every /api/v1 (and /agent) route 404, as an older server would
 * @property {number} [startTaskMs] V1: how long a start task takes to reach READY or ERROR, default 600
 * @property {number} [agentWorkMs] V1: how long the agent works on each message, counted only while its sandbox
 *   is RUNNING; default runningMs if given, else 3000
 * @property {'message' | 'finish'} [agentFinishesWith] V1: the finished agent's last word, an agent MessageEvent
 *   (default) or a `finish` tool call
 * @property {number} [idleMs] V1: a RUNNING sandbox with no conversation working is paused after this long, default 15 min
 * @property {number} [resumeMs] V1: how long a resumed sandbox stays STARTING, default 1000
 * @property {number} [previousEndLingersMs] V1: how long after a follow-up message execution_status still shows the previous turn's end
 *   (the agent server starts the new run in the background), default 500
 * @property {'reject' | 'pause-oldest'} [onLimit] V1: at the limit, answer 429 (default) or pause the oldest RUNNING sandbox
 * @property {boolean} [sandboxGrouping] V1: new conversations join the newest RUNNING sandbox with room (up to 20)
 * @property {{ afterMs: number, resumeAfterMs?: number }} [platformPause] V1: the platform pauses every sandbox afterMs
 *   after its first conversation became READY, and resumes it resumeAfterMs later (never, when absent)
 * @property {{ afterMs: number }} [sandboxFails] V1: every sandbox goes to ERROR afterMs after READY
 * @property {number} [maxRunning] default 10, per account: V1 sandboxes STARTING or RUNNING plus running V0 conversations
 * @property {number} [rateLimitPerMinute] default 100, 0 = unlimited
 * @property {number} [rateLimitPerSecond] default 10, 0 = unlimited
 * @property {string[]} [inaccessibleRepos]
 * @property {boolean} [llmConfigured] default true
 * @property {FaultSpec[]} [faults]
 * @property {() => number} [now] default Date.now
 * @property {(entry: RequestRecord) => void} [onRequest] called once each API request is answered or dropped
 * @property {(exchange: Exchange) => void} [onExchange] called once each /api or /agent request is answered whole
 */
/**
 * @typedef {object} SimulatorState
 * @property {Array<ReturnType<ConversationStore['snapshot']>[number] | ReturnType<typeof v1Snapshot>['conversations'][number]>} conversations
 *   V0 and V1, oldest first
 * @property {ReturnType<typeof v1Snapshot>['startTasks']} startTasks V1 start tasks, oldest first
 * @property {ReturnType<typeof v1Snapshot>['sandboxes']} sandboxes V1 sandboxes, oldest first
 * @property {Record<string, number>} activeSandboxes V1 sandboxes STARTING or RUNNING, per account (an opaque hash)
 * @property {RequestRecord[]} requests
 * @property {number} createAttempts every POST that would start a conversation (V0 or V1) that arrived, whatever its outcome
 * @property {number} created conversations created, V0 and V1
 * @property {number} stopRequests every V0 stop, V1 sandbox pause or agent-server pause POST that arrived, whatever its outcome
 * @property {number} maxConcurrentRunning the peak of V1 sandboxes STARTING or RUNNING plus V0 conversations running, all accounts
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
const FIFTEEN_MINUTES = 15 * 60_000

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

/** @param {string | string[] | undefined} value */
const single = (value) => (Array.isArray(value) ? value[0] : value)

/**
 * Accounts are keyed by a hash so the key itself is never held in any record.
 * An API key comes as a Bearer token (the vendor's guide) or X-Access-Token (the
 * document's scheme); a sandbox's session key, as X-Session-API-Key, acts as its account.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {string | undefined} apiKey
 * @param {(key: string) => string | undefined} sessionAccount
 */
function accountOf(headers, apiKey, sessionAccount) {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(single(headers.authorization) ?? '')?.[1] ?? single(headers['x-access-token'])?.trim()
  if (token && (apiKey === undefined || token === apiKey)) return createHash('sha256').update(token).digest('hex').slice(0, 16)
  const session = single(headers['x-session-api-key'])
  return session ? sessionAccount(session) : undefined
}

/**
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
export async function startSimulator(options = {}) {
  const now = options.now ?? Date.now
  const perMinute = options.rateLimitPerMinute ?? 100
  const perSecond = options.rateLimitPerSecond ?? 10
  const maxRunning = options.maxRunning ?? 10
  const store = new ConversationStore({
    now,
    startingMs: options.startingMs ?? 1000,
    runningMs: options.runningMs ?? 3000,
    finalStatus: options.finalStatus ?? 'STOPPED',
    agentFinishesMs: options.agentFinishesMs,
    agentFinalState: options.agentFinalState ?? 'finished'
  })
  const world = new World({
    now,
    startTaskMs: options.startTaskMs ?? 600,
    agentWorkMs: options.agentWorkMs ?? options.runningMs ?? 3000,
    agentFinalState: options.agentFinalState ?? 'finished',
    agentFinishesWith: options.agentFinishesWith ?? 'message',
    idleMs: options.idleMs ?? FIFTEEN_MINUTES,
    resumeMs: options.resumeMs ?? 1000,
    previousEndLingersMs: options.previousEndLingersMs ?? 500,
    sandboxGrouping: options.sandboxGrouping ?? false,
    platformPause: options.platformPause,
    sandboxFails: options.sandboxFails,
    externalActive: () => store.activeCount()
  })
  const api = createApi(store, {
    maxRunning,
    llmConfigured: options.llmConfigured ?? true,
    inaccessibleRepos: options.inaccessibleRepos ?? [],
    v1Active: (account) => world.activeSandboxes(account),
    notePeak: () => world.notePeak()
  })
  const v1 = createV1Api(world, {
    maxRunning,
    onLimit: options.onLimit ?? 'reject',
    sandboxGrouping: options.sandboxGrouping ?? false,
    refusal: (repository, provider) => {
      const refused = api.refusal(repository, provider)
      return refused?.repository ?? refused?.llm ?? null
    },
    v0Active: (account) => store.activeCount(account)
  })
  const v0 = options.v0 ?? true
  const enabled = { v0, v1: options.v1 ?? true, events: v0 && (options.eventsRoute ?? true) }
  let origin = ''
  const limiter = new CloudRateLimiter({ perSecond, perMinute }, now)
  // A fault's 429 names the per-minute limit, the one a client is likelier to meet.
  const faultRateLimit = describeLimit(perMinute || 100, 'minute')
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
  const state = () => {
    world.advance()
    const snapshot = v1Snapshot(world)
    return {
      conversations: [...store.snapshot(), ...snapshot.conversations].sort((a, b) => a.createdAt - b.createdAt),
      startTasks: snapshot.startTasks,
      sandboxes: snapshot.sandboxes,
      activeSandboxes: snapshot.activeSandboxes,
      requests: requests.map((r) => ({ ...r })),
      createAttempts,
      created: store.created + world.created,
      stopRequests,
      maxConcurrentRunning: Math.max(store.peakRunning, world.peak)
    }
  }

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
      world.reset()
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
    const sandboxStatus = /^\/_simulator\/sandboxes\/([^/]+)\/status$/.exec(pathname)
    if (sandboxStatus && req.method === 'POST') {
      world.advance()
      const reply = setSandboxStatus(world, decodeURIComponent(sandboxStatus[1]), raw)
      return sendJson(res, reply.statusCode, reply.body)
    }
    const known = sandboxStatus || ['/_simulator/state', '/_simulator/reset', '/_simulator/faults'].includes(pathname)
    return known ? sendJson(res, 405, METHOD_NOT_ALLOWED) : sendJson(res, 404, NOT_FOUND)
  }

  /**
   * @param {Request} req
   * @param {Response} res
   * @param {URL} url
   * @param {string} raw
   * @param {{ faulted: boolean }} outcome
   */
  function record(req, res, url, raw, outcome) {
    const entry = { method: req.method ?? 'GET', path: url.pathname + url.search, status: 0, at: now() }
    requests.push(entry)
    res.on('close', () => {
      if (res.headersSent) entry.status = res.statusCode
      options.onRequest?.({ ...entry })
    })
    // 'finish' comes only for an answer sent whole, and before the client can have read it all:
    // a dropped socket or a body cut short is no exchange.
    const onExchange = options.onExchange
    if (!onExchange) return
    res.on('finish', () => {
      onExchange({
        method: entry.method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        headers: req.headers,
        requestBody: raw,
        status: res.statusCode,
        responseBody: (sentBodies.get(res) ?? Buffer.alloc(0)).toString('utf8'),
        faulted: outcome.faulted
      })
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
    const outcome = { faulted: false }
    record(req, res, url, raw, outcome)
    if (method === 'POST' && CREATE_PATHS.some((p) => p.test(url.pathname))) createAttempts += 1
    if (method === 'POST' && STOP_PATHS.some((p) => p.test(url.pathname))) stopRequests += 1
    const agentServer = url.pathname.startsWith('/agent/')
    if (!url.pathname.startsWith('/api/') && !agentServer) return sendJson(res, 404, NOT_FOUND)
    world.advance()
    // The agent servers authenticate by their own session key, in the handler; the app server's auth and limiter are not theirs.
    let account = ''
    if (!agentServer) {
      account = accountOf(req.headers, options.apiKey, (key) => world.sandboxByKey(key)?.account) ?? ''
      if (!account) return sendJson(res, 401, { error: 'NoCredentialsError' })
      const rate = limiter.take(account)
      if (!rate.allowed) return sendJson(res, 429, rate.body, rate.headers)
    }
    const route = matchRoute(method, url.pathname, enabled)
    if ('statusCode' in route) return sendJson(res, route.statusCode, route.statusCode === 405 ? METHOD_NOT_ALLOWED : NOT_FOUND)
    const { name } = route
    /** @param {{ statusOverride?: string }} [overrides] */
    const perform = (overrides) => {
      world.advance()
      const call = { account, id: route.id, id2: route.id2, raw, query: url.searchParams, origin, headers: req.headers, ...overrides }
      return v1.has(name) ? v1.call(name, call) : api.call(/** @type {import('./routes.js').V0RouteName} */ (name), call)
    }
    const fault = faults.take(name)
    if (fault) {
      outcome.faulted = true
      return answerWithFault(fault, { res, perform, headers: {}, delay, rateLimit: faultRateLimit, maxRunning, route: name, now: now() })
    }
    const reply = perform()
    return sendJson(res, reply.statusCode, reply.body)
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
