import { parseEventsQuery, parseIdsQuery, validateCreateBody, validateV1CreateBody } from './validation.js'
import { searchEvents } from './events.js'
import { appConversationOf, startRequestOf } from './v1.js'

/** @typedef {import('./send.js').Reply} Reply */
/** @typedef {import('./conversations.js').ConversationStore} ConversationStore */
/** @typedef {import('./v1.js').StartTaskStore} StartTaskStore */
/** @typedef {'create' | 'list' | 'get' | 'stop' | 'events' | 'v1-create' | 'v1-task' | 'v1-get' | 'v1-pause'} RouteName */
/** @typedef {'v0' | 'v1' | 'events'} RouteGroup */
/**
 * @typedef {object} ApiConfig
 * @property {number} maxRunning
 * @property {boolean} llmConfigured
 * @property {string[]} inaccessibleRepos
 * @property {StartTaskStore} tasks
 */
/**
 * @typedef {object} Call
 * @property {string} account
 * @property {string} id empty for routes without one
 * @property {string} raw request body
 * @property {URLSearchParams} query
 * @property {string} origin the simulator's own base URL, for the URLs V1 answers carry
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
  { group: 'v1', pattern: /^\/api\/v1\/sandboxes\/([^/]+)\/pause$/, methods: { POST: 'v1-pause' } }
]

/** Paths whose POST starts a conversation or stops one, however the request then fares. */
export const CREATE_PATHS = [/^\/api\/conversations$/, /^\/api\/v1\/app-conversations$/]
export const STOP_PATHS = [/^\/api\/conversations\/[^/]+\/stop$/, /^\/api\/v1\/sandboxes\/[^/]+\/pause$/]

/**
 * A disabled group answers 404 on every path, as a server without those routes would.
 * @param {string} method
 * @param {string} pathname
 * @param {Partial<Record<RouteGroup, boolean>>} [enabled] every group when omitted
 * @returns {{ name: RouteName, id: string } | { statusCode: 404 | 405 }}
 */
export function matchRoute(method, pathname, enabled = {}) {
  for (const { group, pattern, methods } of ROUTES) {
    if (enabled[group] === false) continue
    const match = pattern.exec(pathname)
    if (!match) continue
    const name = Object.hasOwn(methods, method) ? methods[method] : undefined
    if (!name) return { statusCode: 405 }
    try {
      return { name, id: decodeURIComponent(match[1] ?? '') }
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
  const { tasks } = config
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

  /** @type {Record<RouteName, (call: Call) => Reply>} */
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
      if (store.activeCount(account) >= config.maxRunning) {
        return { statusCode: 429, body: tooManyConversations(config.maxRunning) }
      }
      const { id } = store.create(account, body)
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
    },
    'v1-create'({ account, raw, origin }) {
      const validation = validateV1CreateBody(raw)
      if (!validation.ok) return { statusCode: 422, body: { detail: validation.detail } }
      const { body } = validation
      if (store.activeCount(account) >= config.maxRunning) {
        return { statusCode: 429, body: tooManyConversations(config.maxRunning) }
      }
      // V1 starts in the background: what V0 refuses outright, a V1 task fails with.
      const refused = refusal(body.selected_repository, body.git_provider)
      const error = refused?.repository ?? refused?.llm
      const outcome = error ? { error } : { conversation: store.create(account, body, 'V1') }
      const task = tasks.create(account, startRequestOf(body), outcome)
      return { statusCode: 200, body: tasks.json(task, origin) }
    },
    'v1-task'({ account, query, origin, statusOverride }) {
      const parsed = parseIdsQuery(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      const body = parsed.ids.map((id) => {
        const task = tasks.find(account, id)
        return task ? tasks.json(task, origin, statusOverride) : null
      })
      return { statusCode: 200, body }
    },
    'v1-get'({ account, query, origin, statusOverride }) {
      const parsed = parseIdsQuery(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      const body = parsed.ids.map((id) => {
        const conversation = store.find(account, id)
        // V0 conversations are not app conversations: the V1 store never sees them.
        return conversation?.version === 'V1' ? appConversationOf(store, conversation, origin, statusOverride) : null
      })
      return { statusCode: 200, body }
    },
    'v1-pause'({ account, id }) {
      const conversation = store.findBySandbox(account, id)
      if (!conversation) return { statusCode: 404, body: { detail: 'Not Found' } }
      store.stop(conversation)
      return { statusCode: 200, body: { success: true } }
    }
  }

  /**
   * @param {RouteName} name
   * @param {Call} call
   */
  return (name, call) => handlers[name](call)
}
