import { validateCreateBody } from './validation.js'

/** @typedef {import('./send.js').Reply} Reply */
/** @typedef {import('./conversations.js').ConversationStore} ConversationStore */
/** @typedef {'create' | 'list' | 'get' | 'stop'} RouteName */
/**
 * @typedef {object} ApiConfig
 * @property {number} maxRunning
 * @property {boolean} llmConfigured
 * @property {string[]} inaccessibleRepos
 */
/**
 * @typedef {object} Call
 * @property {string} account
 * @property {string} id empty for routes without one
 * @property {string} raw request body
 * @property {string} [statusOverride]
 */

/** @type {{ pattern: RegExp, methods: Record<string, RouteName> }[]} */
const ROUTES = [
  { pattern: /^\/api\/conversations$/, methods: { POST: 'create', GET: 'list' } },
  { pattern: /^\/api\/conversations\/([^/]+)$/, methods: { GET: 'get' } },
  { pattern: /^\/api\/conversations\/([^/]+)\/stop$/, methods: { POST: 'stop' } }
]

/**
 * @param {string} method
 * @param {string} pathname
 * @returns {{ name: RouteName, id: string } | { statusCode: 404 | 405 }}
 */
export function matchRoute(method, pathname) {
  for (const { pattern, methods } of ROUTES) {
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

  /** @type {Record<RouteName, (call: Call) => Reply>} */
  const handlers = {
    create({ account, raw }) {
      const validation = validateCreateBody(raw)
      if (!validation.ok) return { statusCode: 422, body: { detail: validation.detail } }
      const { body } = validation
      const repository = body.repository
      if (typeof repository === 'string' && repository !== '') {
        if (!isRepositoryName(repository, body.git_provider) || inaccessible.has(repository.toLowerCase())) {
          return { statusCode: 401, body: `Unable to access repo ${repository}` }
        }
      }
      if (!config.llmConfigured) {
        const message = 'Error authenticating with the LLM provider. Please check your API key'
        return { statusCode: 400, body: { status: 'error', message, msg_id: 'STATUS$ERROR_LLM_AUTHENTICATION' } }
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
      if (!conversation) return { statusCode: 404, body: { status: 'error', message: 'Conversation not found' } }
      store.stop(conversation)
      return { statusCode: 200, body: { status: 'ok' } }
    }
  }

  /**
   * @param {RouteName} name
   * @param {Call} call
   */
  return (name, call) => handlers[name](call)
}
