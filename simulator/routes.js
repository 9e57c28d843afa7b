import { parseEventsQuery, validateCreateBody } from './validation.js'
import { searchEvents } from './events.js'

/** @typedef {import('./send.js').Reply} Reply */
/** @typedef {import('./conversations.js').ConversationStore} ConversationStore */
/** @typedef {'create' | 'list' | 'get' | 'stop' | 'events'} V0RouteName */
/**
 * @typedef {'v1-create' | 'v1-task' | 'v1-get' | 'v1-search' | 'v1-count' | 'v1-send' | 'v1-events' | 'v1-events-count'
 *   | 'v1-pause' | 'v1-resume' | 'v1-sandboxes' | 'v1-sandbox-search' | 'agent-pause'} V1RouteName
 */
/** @typedef {V0RouteName | V1RouteName} RouteName */
/** @typedef {'v0' | 'v1' | 'events'} RouteGroup */
/**
 * @typedef {object} ApiConfig
 * @property {number} maxRunning
 * @property {boolean} llmConfigured
 * @property {string[]} inaccessibleRepos
 * @property {(account: string) => number} v1Active the account's V1 sandboxes STARTING or RUNNING: one limit covers both APIs
 * @property {() => void} notePeak called once a V0 conversation has started
 */
/**
 * @typedef {object} Call
 * @property {string} account
 * @property {string} id empty for routes without one
 * @property {string} raw request body
 * @property {URLSearchParams} query
 * @property {string} [statusOverride]
 */

/** @type {{ group: RouteGroup, pattern: RegExp, methods: Record<string, RouteName> }[]} */
const ROUTES = [
  { group: 'v0', pattern: /^\/api\/conversations$/, methods: { POST: 'create', GET: 'list' } },
  { group: 'v0', pattern: /^\/api\/conversations\/([^/]+)$/, methods: { GET: 'get' } },
  { group: 'v0', pattern: /^\/api\/conversations\/([^/]+)\/stop$/, methods: { POST: 'stop' } },
  { group: 'events', pattern: /^\/api\/conversations\/([^/]+)\/events$/, methods: { GET: 'events' } },
  { group: 'v1', pattern: /^\/api\/v1\/app-conversations$/, methods: { POST: 'v1-create', GET: 'v1-get' } },
  { group: 'v1', pattern: /^\/api\/v1\/app-conversations\/start-tasks$/, methods: { GET: 'v1-task' } },
  { group: 'v1', pattern: /^\/api\/v1\/app-conversations\/search$/, methods: { GET: 'v1-search' } },
  { group: 'v1', pattern: /^\/api\/v1\/app-conversations\/count$/, methods: { GET: 'v1-count' } },
  { group: 'v1', pattern: /^\/api\/v1\/app-conversations\/([^/]+)\/send-message$/, methods: { POST: 'v1-send' } },
  { group: 'v1', pattern: /^\/api\/v1\/conversation\/([^/]+)\/events\/search$/, methods: { GET: 'v1-events' } },
  { group: 'v1', pattern: /^\/api\/v1\/conversation\/([^/]+)\/events\/count$/, methods: { GET: 'v1-events-count' } },
  { group: 'v1', pattern: /^\/api\/v1\/sandboxes$/, methods: { GET: 'v1-sandboxes' } },
  { group: 'v1', pattern: /^\/api\/v1\/sandboxes\/search$/, methods: { GET: 'v1-sandbox-search' } },
  { group: 'v1', pattern: /^\/api\/v1\/sandboxes\/([^/]+)\/pause$/, methods: { POST: 'v1-pause' } },
  { group: 'v1', pattern: /^\/api\/v1\/sandboxes\/([^/]+)\/resume$/, methods: { POST: 'v1-resume' } },
  // The sandboxes' agent servers, outside the app server's /api: see simulator/v1/routes.js.
  { group: 'v1', pattern: /^\/agent\/([^/]+)\/api\/conversations\/([^/]+)\/pause$/, methods: { POST: 'agent-pause' } }
]

/** Every route name, for the faults' checks. */
export const ROUTE_NAMES = [...new Set(ROUTES.flatMap((r) => Object.values(r.methods)))]

/** Paths whose POST starts a conversation or stops one, however the request then fares. */
export const CREATE_PATHS = [/^\/api\/conversations$/, /^\/api\/v1\/app-conversations$/]
export const STOP_PATHS = [/^\/api\/conversations\/[^/]+\/stop$/, /^\/api\/v1\/sandboxes\/[^/]+\/pause$/, /^\/agent\/[^/]+\/api\/conversations\/[^/]+\/pause$/]

/**
 * A disabled group answers 404 on every path, as a server without those routes would.
 * @param {string} method
 * @param {string} pathname
 * @param {Partial<Record<RouteGroup, boolean>>} [enabled] every group when omitted
 * @returns {{ name: RouteName, id: string, id2: string } | { statusCode: 404 | 405 }}
 */
export function matchRoute(method, pathname, enabled = {}) {
  for (const { group, pattern, methods } of ROUTES) {
    if (enabled[group] === false) continue
    const match = pattern.exec(pathname)
    if (!match) continue
    const name = Object.hasOwn(methods, method) ? methods[method] : undefined
    if (!name) return { statusCode: 405 }
    try {
      return { name, id: decodeURIComponent(match[1] ?? ''), id2: decodeURIComponent(match[2] ?? '') }
    } catch {
      return { statusCode: 404 }
    }
  }
  return { statusCode: 404 }
}

/** @param {number} max */
export function tooManyConversations(max) {
  return {
    status: 'error',
    message: `Too many running conversations: at most ${max} may run at once`,
    msg_id: 'STATUS$ERROR_TOO_MANY_CONVERSATIONS'
  }
}

const LLM_AUTHENTICATION = 'Error authenticating with the LLM provider. Please check your API key'
const NOT_FOUND = { status: 'error', message: 'Conversation not found' }

/**
 * @param {string} repository
 * @param {unknown} provider
 */
function isRepositoryName(repository, provider) {
  // GitLab groups nest, so only there may a name have more than one slash.
  const pattern = provider === 'gitlab' ? /^[\w.-]+(\/[\w.-]+)+$/ : /^[\w.-]+\/[\w.-]+$/
  return pattern.test(repository)
}

/**
 * @param {ConversationStore} store
 * @param {ApiConfig} config
 */
export function createApi(store, config) {
  const inaccessible = new Set(config.inaccessibleRepos.map((r) => r.toLowerCase()))

  /**
   * Why the server would refuse to start this, or null.
   * @param {unknown} repository
   * @param {unknown} provider
   */
  function refusal(repository, provider) {
    if (typeof repository === 'string' && repository !== '') {
      if (!isRepositoryName(repository, provider) || inaccessible.has(repository.toLowerCase())) {
        return { repository: `Unable to access repo ${repository}` }
      }
    }
    return config.llmConfigured ? null : { llm: LLM_AUTHENTICATION }
  }

  /** @type {Record<V0RouteName, (call: Call) => Reply>} */
  const handlers = {
    create({ account, raw }) {
      const validation = validateCreateBody(raw)
      if (!validation.ok) return { statusCode: 422, body: { detail: validation.detail } }
      const { body } = validation
      const refused = refusal(body.repository, body.git_provider)
      if (refused?.repository) return { statusCode: 401, body: refused.repository }
      if (refused?.llm) {
        return { statusCode: 400, body: { status: 'error', message: refused.llm, msg_id: 'STATUS$ERROR_LLM_AUTHENTICATION' } }
      }
      if (store.activeCount(account) + config.v1Active(account) >= config.maxRunning) {
        return { statusCode: 429, body: tooManyConversations(config.maxRunning) }
      }
      const { id } = store.create(account, body)
      config.notePeak()
      return {
        statusCode: 200,
        body: { status: 'ok', conversation_id: id, message: null, conversation_status: 'STARTING' }
      }
    },
    list({ account, statusOverride }) {
      const results = store.listFor(account).map((c) => store.info(c, statusOverride))
      return { statusCode: 200, body: { results, next_page_id: null } }
    },
    get({ account, id, statusOverride }) {
      const conversation = store.find(account, id)
      // The real V0 server answers an unknown id with 200 and a null body, not 404.
      return { statusCode: 200, body: conversation ? store.info(conversation, statusOverride) : null }
    },
    stop({ account, id }) {
      const conversation = store.find(account, id)
      if (!conversation) return { statusCode: 404, body: NOT_FOUND }
      store.stop(conversation)
      return { statusCode: 200, body: { status: 'ok' } }
    },
    events({ account, id, query, statusOverride }) {
      const conversation = store.find(account, id)
      if (!conversation) return { statusCode: 404, body: NOT_FOUND }
      const parsed = parseEventsQuery(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      if (parsed.limit < 0 || parsed.limit > 100) return { statusCode: 400, body: { detail: 'Invalid limit' } }
      return { statusCode: 200, body: searchEvents(store, conversation, { ...parsed, statusOverride }) }
    }
  }

  return {
    refusal,
    /** @param {V0RouteName} name @param {Call} call */
    call: (name, call) => handlers[name](call)
  }
}
