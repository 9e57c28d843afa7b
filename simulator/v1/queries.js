/**
 * The V1 routes' query strings, parsed as FastAPI would, with pydantic-shaped 422 details.
 * @typedef {import('../validation.js').Issue} Issue
 * @typedef {{ page: number, limit: number }} Paging page is an offset: page ids are the offset as text
 */

export const EVENT_KINDS = [
  'ServerErrorEvent',
  'ACPToolCallEvent',
  'Condensation',
  'CondensationRequest',
  'CondensationSummaryEvent',
  'ConversationErrorEvent',
  'ConversationStateUpdateEvent',
  'HookExecutionEvent',
  'LLMCompletionLogEvent',
  'ActionEvent',
  'MessageEvent',
  'AgentErrorEvent',
  'ObservationEvent',
  'UserRejectObservation',
  'SystemPromptEvent',
  'StreamingDeltaEvent',
  'TokenEvent',
  'InterruptEvent',
  'PauseEvent'
]
const SORT_ORDERS = ['TIMESTAMP', 'TIMESTAMP_DESC']

/** @param {string[]} values */
const choices = (values) =>
  values
    .map((p) => `'${p}'`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1')

class QueryReader {
  /** @param {URLSearchParams} query */
  constructor(query) {
    this.query = query
    /** @type {Issue[]} */
    this.detail = []
  }

  /** @param {string} name @param {string[]} values */
  choice(name, values) {
    const text = this.query.get(name)
    if (text === null || values.includes(text)) return text
    this.detail.push({ type: 'enum', loc: ['query', name], msg: `Input should be ${choices(values)}`, input: text, ctx: { expected: choices(values) } })
    return null
  }

  /** @param {string} name epoch ms, or null when absent */
  datetime(name) {
    const text = this.query.get(name)
    if (text === null) return null
    const ms = /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`) : NaN
    if (Number.isFinite(ms)) return ms
    this.detail.push({
      type: 'datetime_from_date_parsing',
      loc: ['query', name],
      msg: 'Input should be a valid datetime or date, invalid character in year',
      input: text,
      ctx: { error: 'invalid character in year' }
    })
    return null
  }

  /** `limit`: an integer, 0 < limit <= 100, default 100. */
  limit() {
    const text = this.query.get('limit')
    if (text === null) return 100
    if (!/^\s*[+-]?\d+\s*$/.test(text)) {
      this.detail.push({
        type: 'int_parsing',
        loc: ['query', 'limit'],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: text
      })
      return 100
    }
    const value = Number(text)
    if (value <= 0) this.detail.push({ type: 'greater_than', loc: ['query', 'limit'], msg: 'Input should be greater than 0', input: text, ctx: { gt: 0 } })
    else if (value > 100)
      this.detail.push({ type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', input: text, ctx: { le: 100 } })
    return value
  }

  /** A page id the simulator did not hand out starts from the beginning, as a stale cursor would. */
  page() {
    const text = this.query.get('page_id')
    return text !== null && /^\d+$/.test(text) ? Number(text) : 0
  }

  /** @template T @param {T} value @returns {{ ok: true } & T | { ok: false, detail: Issue[] }} */
  result(value) {
    return this.detail.length > 0 ? { ok: false, detail: this.detail } : { ok: true, ...value }
  }
}

/**
 * `GET /api/v1/conversation/{id}/events/search` (and `/count`, which has no paging).
 * @param {URLSearchParams} query
 */
export function parseEventSearch(query) {
  const r = new QueryReader(query)
  return r.result({
    kind: r.choice('kind__eq', EVENT_KINDS),
    since: r.datetime('timestamp__gte'),
    before: r.datetime('timestamp__lt'),
    descending: r.choice('sort_order', SORT_ORDERS) === 'TIMESTAMP_DESC',
    page: r.page(),
    limit: r.limit()
  })
}

/**
 * `GET /api/v1/app-conversations/search` and `/count`.
 * @param {URLSearchParams} query
 */
export function parseConversationSearch(query) {
  const r = new QueryReader(query)
  return r.result({
    titleContains: query.get('title__contains'),
    createdFrom: r.datetime('created_at__gte'),
    createdBefore: r.datetime('created_at__lt'),
    updatedFrom: r.datetime('updated_at__gte'),
    updatedBefore: r.datetime('updated_at__lt'),
    sandboxId: query.get('sandbox_id__eq'),
    page: r.page(),
    limit: r.limit()
  })
}

/** `GET /api/v1/sandboxes/search`. @param {URLSearchParams} query */
export function parsePaging(query) {
  const r = new QueryReader(query)
  return r.result({ page: r.page(), limit: r.limit() })
}

/**
 * One page of `items` and the id of the next, null on the last.
 * @template T
 * @param {T[]} items
 * @param {Paging} paging
 */
export function pageOf(items, { page, limit }) {
  const end = page + limit
  return { items: items.slice(page, end), next_page_id: end < items.length ? String(end) : null }
}
