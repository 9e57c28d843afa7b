import { normalizeUuid, parseIdsQuery, validateSendMessageBody, validateV1CreateBody, V1_START_FIELDS } from '../validation.js'
import { published } from './agent-events.js'
import { pageOf, parseConversationSearch, parseEventSearch, parsePaging } from './queries.js'
import { appConversationJson, sandboxJson, startTaskJson, updatedAt } from './shapes.js'

/** @typedef {import('../send.js').Reply} Reply */
/** @typedef {import('./world.js').World} World */
/**
 * @typedef {object} V1Config
 * @property {number} maxRunning sandboxes STARTING or RUNNING per account, V0 conversations counted in
 * @property {'reject' | 'pause-oldest'} onLimit
 * @property {boolean} sandboxGrouping
 * @property {(repository: unknown, provider: unknown) => string | null} refusal why a start task would fail
 * @property {(account: string) => number} v0Active the account's running V0 conversations
 */
/**
 * @typedef {object} V1Call
 * @property {string} account
 * @property {string} id
 * @property {string} id2 the second path id (the conversation, on the agent server)
 * @property {string} raw
 * @property {URLSearchParams} query
 * @property {string} origin
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} [statusOverride]
 */

const NOT_FOUND = { detail: 'Not Found' }

/** @param {unknown} message the validated initial_message: its text parts, joined */
export function textOf(message) {
  const content = /** @type {{ content?: unknown }} */ (message ?? {}).content
  if (!Array.isArray(content)) return ''
  return content
    .filter((p) => p?.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n')
}

/** @param {unknown} part a validated content part, with pydantic's defaults filled in */
function contentOf(part) {
  const p = /** @type {Record<string, unknown>} */ (part)
  return p.type === 'image' ? { cache_prompt: false, ...p, type: 'image' } : { cache_prompt: false, ...p, type: 'text' }
}

/**
 * AppConversationStartRequest as the server echoes it: the fields it knows, defaults filled in.
 * @param {Record<string, unknown>} body validated
 */
export function startRequestOf(body) {
  const known = Object.fromEntries(Object.entries(body).filter(([k]) => V1_START_FIELDS.includes(k)))
  const message = /** @type {Record<string, unknown>} */ (body.initial_message)
  return {
    sandbox_id: null,
    conversation_id: null,
    system_message_suffix: null,
    processors: null,
    llm_model: null,
    agent_profile_id: null,
    selected_repository: null,
    selected_branch: null,
    git_provider: null,
    suggested_task: null,
    title: null,
    trigger: null,
    pr_number: [],
    parent_conversation_id: null,
    agent_type: 'default',
    public: null,
    observability_metadata: null,
    observability_tags: null,
    observability_span_name: null,
    plugins: null,
    secrets: null,
    ...known,
    initial_message: {
      role: message.role ?? 'user',
      content: Array.isArray(message.content) ? message.content.map(contentOf) : [],
      run: message.run ?? false
    }
  }
}

/**
 * The limit's 429 (PR #14168's shape). The message is the simulator's own words.
 * @param {number} limit
 * @param {number} current
 */
export function concurrencyLimitBody(limit, current) {
  const message = `You have reached the maximum of ${limit} concurrent sandboxes. Pause a running conversation's sandbox to start or resume another.`
  return { detail: { error: 'CONCURRENCY_LIMIT_REACHED', message, limit, current } }
}

/** @param {string[]} ids as a python list's repr, the way the 400 prints them */
const pythonList = (ids) => `[${ids.map((id) => `'${id}'`).join(', ')}]`

/**
 * @param {World} world
 * @param {V1Config} config
 */
export function createV1Api(world, config) {
  /**
   * Makes room for a new active sandbox, or says why there is none: the 429 reply.
   * 'pause-oldest' is the older servers' way: the account's oldest RUNNING sandbox is
   * paused under whoever was using it. It applies to resume as well as to start.
   * @param {string} account
   * @returns {Reply | null}
   */
  function admit(account) {
    const current = () => config.v0Active(account) + world.activeSandboxes(account)
    if (current() < config.maxRunning) return null
    const oldest = config.onLimit === 'pause-oldest' ? world.oldestRunning(account) : undefined
    if (oldest) {
      world.setStatus(oldest, 'PAUSED', 'pause-oldest')
      if (current() < config.maxRunning) return null
    }
    return { statusCode: 429, body: concurrencyLimitBody(config.maxRunning, current()) }
  }

  /** @param {string} account @param {string} id */
  const conversationById = (account, id) => {
    const normal = normalizeUuid(id)
    return normal === null ? undefined : world.conversation(account, normal)
  }

  /** @type {Record<string, (call: V1Call) => Reply>} */
  const handlers = {
    'v1-create'({ account, raw, origin }) {
      const validation = validateV1CreateBody(raw)
      if (!validation.ok) return { statusCode: 422, body: { detail: validation.detail } }
      const { body } = validation
      // With grouping a start joins a running sandbox: no new sandbox, so the limit does not apply.
      const join = config.sandboxGrouping ? world.joinable(account) : undefined
      if (!join) {
        const refused = admit(account)
        if (refused) return refused
      }
      // What V0 refuses outright, a V1 task fails with.
      const error = config.refusal(body.selected_repository, body.git_provider)
      const task = world.start(account, body, textOf(body.initial_message), startRequestOf(body), error, join)
      world.advance()
      return { statusCode: 200, body: startTaskJson(world, task, origin) }
    },
    'v1-task'({ account, query, origin, statusOverride }) {
      const parsed = parseIdsQuery(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      const body = parsed.ids.map((id) => {
        const task = world.task(account, id)
        return task ? startTaskJson(world, task, origin, statusOverride) : null
      })
      return { statusCode: 200, body }
    },
    'v1-get'({ account, query, origin, statusOverride }) {
      const raw = query.getAll('ids')
      if (raw.length === 0) return { statusCode: 422, body: { detail: [{ type: 'missing', loc: ['query', 'ids'], msg: 'Field required', input: null }] } }
      // The document types ids as plain strings; the server parses them itself and answers 400.
      const bad = raw.filter((id) => normalizeUuid(id) === null)
      if (bad.length > 0) return { statusCode: 400, body: { detail: `Invalid UUID format for ids: ${pythonList(bad)}` } }
      const body = raw.map((id) => {
        const c = conversationById(account, id)
        return c ? appConversationJson(world, c, origin, statusOverride) : null
      })
      return { statusCode: 200, body }
    },
    'v1-search'({ account, query, origin }) {
      const parsed = parseConversationSearch(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      const items = searchConversations(account, parsed).map((c) => appConversationJson(world, c, origin))
      return { statusCode: 200, body: pageOf(items, parsed) }
    },
    'v1-count'({ account, query }) {
      const parsed = parseConversationSearch(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      return { statusCode: 200, body: searchConversations(account, parsed).length }
    },
    'v1-send'({ account, id, raw }) {
      if (normalizeUuid(id) === null) {
        return {
          statusCode: 422,
          body: { detail: [{ type: 'uuid_parsing', loc: ['path', 'conversation_id'], msg: 'Input should be a valid UUID', input: id }] }
        }
      }
      const c = conversationById(account, id)
      if (!c) return { statusCode: 404, body: { detail: `Conversation ${id} not found` } }
      const validation = validateSendMessageBody(raw)
      if (!validation.ok) return { statusCode: 422, body: { detail: validation.detail } }
      const { status, id: sandboxId } = c.sandbox
      /** @type {Record<string, number | undefined>} */
      const refusals = { PAUSED: 409, STARTING: 409, MISSING: 410, ERROR: 503 }
      const unavailable = refusals[status]
      if (unavailable === 409)
        return {
          statusCode: 409,
          body: { detail: `Sandbox is ${status}. Use POST /api/v1/sandboxes/${sandboxId}/resume to resume it, then wait for RUNNING.` }
        }
      if (unavailable === 410) return { statusCode: 410, body: { detail: `Sandbox ${sandboxId} is MISSING: it has been archived or deleted.` } }
      if (unavailable === 503) return { statusCode: 503, body: { detail: `Sandbox ${sandboxId} is in ERROR.` } }
      const { body } = validation
      world.sendMessage(c, textOf(body), body.run !== false)
      return { statusCode: 200, body: { success: true, sandbox_status: 'RUNNING', message: null } }
    },
    'v1-events'({ account, id, query }) {
      const c = conversationById(account, id)
      if (!c) return { statusCode: 404, body: NOT_FOUND }
      const parsed = parseEventSearch(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      const items = selectEvents(c, parsed).map(published)
      return { statusCode: 200, body: pageOf(items, parsed) }
    },
    'v1-events-count'({ account, id, query }) {
      const c = conversationById(account, id)
      if (!c) return { statusCode: 404, body: NOT_FOUND }
      const parsed = parseEventSearch(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      return { statusCode: 200, body: selectEvents(c, parsed).length }
    },
    'v1-pause'({ account, id }) {
      const sandbox = world.sandbox(account, id)
      if (!sandbox || sandbox.status === 'MISSING') return { statusCode: 404, body: NOT_FOUND }
      world.pause(sandbox)
      return { statusCode: 200, body: { success: true } }
    },
    'v1-resume'({ account, id }) {
      const sandbox = world.sandbox(account, id)
      if (!sandbox || sandbox.status === 'MISSING') return { statusCode: 404, body: NOT_FOUND }
      // Resuming what runs is a no-op; a sandbox in ERROR cannot be revived, and the answer does not say so.
      if (sandbox.status === 'PAUSED') {
        const refused = admit(account)
        if (refused) return refused
        world.setStatus(sandbox, 'STARTING', 'resume')
        world.advance()
      }
      return { statusCode: 200, body: { success: true } }
    },
    'v1-sandboxes'({ account, query, origin }) {
      // The document and the router name the parameter `id`; `sandbox_id` is accepted too.
      const ids = [...query.getAll('id'), ...query.getAll('sandbox_id')]
      if (ids.length === 0) return { statusCode: 422, body: { detail: [{ type: 'missing', loc: ['query', 'id'], msg: 'Field required', input: null }] } }
      return {
        statusCode: 200,
        body: ids.map((id) => {
          const s = world.sandbox(account, id)
          return s && s.status !== 'MISSING' ? sandboxJson(s, origin) : null
        })
      }
    },
    'v1-sandbox-search'({ account, query, origin }) {
      const parsed = parsePaging(query)
      if (!parsed.ok) return { statusCode: 422, body: { detail: parsed.detail } }
      const mine = world.sandboxes.filter((s) => s.account === account && s.status !== 'MISSING').reverse()
      return {
        statusCode: 200,
        body: pageOf(
          mine.map((s) => sandboxJson(s, origin)),
          parsed
        )
      }
    },
    'agent-pause'({ id, id2, headers }) {
      // The agent server knows no accounts: only the sandbox's own session key opens it.
      const sandbox = world.sandboxes.find((s) => s.id === id)
      if (!sandbox || sandbox.status === 'MISSING') return { statusCode: 404, body: NOT_FOUND }
      if (headers['x-session-api-key'] !== sandbox.sessionKey) return { statusCode: 401, body: { detail: 'Unauthorized' } }
      if (sandbox.status !== 'RUNNING') return { statusCode: 409, body: { detail: `Sandbox is ${sandbox.status}` } }
      const c = sandbox.conversations.find((x) => x.id === normalizeUuid(id2) && x.readyAt !== null)
      if (!c) return { statusCode: 404, body: { detail: 'Conversation not found' } }
      world.pauseConversation(c)
      return { statusCode: 200, body: { success: true } }
    }
  }

  /**
   * Newest first, as the server's default sort (CREATED_AT_DESC).
   * @param {string} account
   * @param {Exclude<ReturnType<typeof parseConversationSearch>, { ok: false }>} q
   */
  function searchConversations(account, q) {
    return world
      .conversationsOf(account)
      .filter((c) => {
        const updated = updatedAt(c)
        return (
          (q.titleContains === null || world.title(c).toLowerCase().includes(q.titleContains.toLowerCase())) &&
          (q.createdFrom === null || c.createdAt >= q.createdFrom) &&
          (q.createdBefore === null || c.createdAt < q.createdBefore) &&
          (q.updatedFrom === null || updated >= q.updatedFrom) &&
          (q.updatedBefore === null || updated < q.updatedBefore) &&
          (q.sandboxId === null || c.sandbox.id === q.sandboxId)
        )
      })
      .reverse()
  }

  /**
   * @param {import('./world.js').Conversation} c
   * @param {Exclude<ReturnType<typeof parseEventSearch>, { ok: false }>} q
   */
  function selectEvents(c, q) {
    const selected = c.events.filter(
      (e) => (q.kind === null || e.kind === q.kind) && (q.since === null || e.at >= q.since) && (q.before === null || e.at < q.before)
    )
    return q.descending ? selected.reverse() : selected
  }

  return {
    handlers,
    /** @param {string} name */
    has: (name) => Object.hasOwn(handlers, name),
    /** @param {string} name @param {V1Call} call */
    call: (name, call) => handlers[name](call)
  }
}
