/**
 * FastAPI/pydantic-shaped 422 details for the request bodies and query strings,
 * so clients can be tested against the error format they will really see.
 * @typedef {{ type: string, loc: (string | number)[], msg: string, input: unknown, ctx?: Record<string, unknown> }} Issue
 * @typedef {{ ok: true, body: Record<string, unknown> } | { ok: false, detail: Issue[] }} BodyResult
 */

const GIT_PROVIDERS = ['github', 'gitlab', 'bitbucket', 'azure_devops', 'enterprise_sso']
/** ProviderType in the vendor's V1 document: V1 knows two providers V0 did not. */
const V1_GIT_PROVIDERS = ['github', 'gitlab', 'bitbucket', 'bitbucket_data_center', 'forgejo', 'azure_devops', 'enterprise_sso']
/** ConversationTrigger in the vendor's document. */
export const TRIGGERS = [
  'resolver',
  'gui',
  'suggested_task',
  'openhands_api',
  'slack',
  'microagent_management',
  'jira',
  'jira_dc',
  'linear',
  'bitbucket',
  'automation'
]

/** @param {string[]} values 'a', 'b' or 'c', as pydantic words an enum or literal error */
const choices = (values) =>
  values
    .map((p) => `'${p}'`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1')

/** @typedef {(value: unknown, loc: (string | number)[]) => Issue[]} Check */

/** @param {unknown} value */
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value)

/** @type {Check} */
const string = (value, loc) => (typeof value === 'string' ? [] : [{ type: 'string_type', loc, msg: 'Input should be a valid string', input: value }])

/** @type {Check} */
const boolean = (value, loc) => (typeof value === 'boolean' ? [] : [{ type: 'bool_type', loc, msg: 'Input should be a valid boolean', input: value }])

/** @type {Check} */
const integer = (value, loc) => (Number.isInteger(value) ? [] : [{ type: 'int_type', loc, msg: 'Input should be a valid integer', input: value }])

/** @param {Check} check @returns {Check} */
const nullable = (check) => (value, loc) => (value === null ? [] : check(value, loc))

/** @param {string} type @param {string[]} values @returns {Check} */
const oneOf = (type, values) => (value, loc) =>
  values.includes(/** @type {string} */ (value))
    ? []
    : [{ type, loc, msg: `Input should be ${choices(values)}`, input: value, ctx: { expected: choices(values) } }]

const provider = oneOf('enum', GIT_PROVIDERS)

/** @param {Check} check @returns {Check} */
const listOf = (check) => (value, loc) =>
  Array.isArray(value)
    ? value.flatMap((item, index) => check(item, [...loc, index]))
    : [{ type: 'list_type', loc, msg: 'Input should be a valid list', input: value }]

const stringList = listOf(string)

/** @type {Check} */
const dict = (value, loc) => (isObject(value) ? [] : [{ type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: value }])

/**
 * A pydantic model that forbids extra fields, or ignores them (pydantic's default) when `extra` is 'ignore'.
 * @param {Record<string, Check>} fields
 * @param {string[]} required
 * @param {'forbid' | 'ignore'} [extra]
 * @returns {Check}
 */
const model =
  (fields, required = [], extra = 'forbid') =>
  (value, loc) => {
    if (!isObject(value)) {
      const msg = 'Input should be a valid dictionary or object to extract fields from'
      return [{ type: 'model_attributes_type', loc, msg, input: value }]
    }
    const object = /** @type {Record<string, unknown>} */ (value)
    /** @type {Issue[]} */
    const detail = required
      .filter((field) => !(field in object))
      .map((field) => ({ type: 'missing', loc: [...loc, field], msg: 'Field required', input: object }))
    for (const [field, item] of Object.entries(object)) {
      const check = Object.hasOwn(fields, field) ? fields[field] : undefined
      if (check) detail.push(...check(item, [...loc, field]))
      else if (extra === 'forbid') detail.push({ type: 'extra_forbidden', loc: [...loc, field], msg: 'Extra inputs are not permitted', input: item })
    }
    return detail
  }

/**
 * A union told apart by its `type` field, as pydantic's discriminated unions are.
 * @param {Record<string, Check>} variants
 * @returns {Check}
 */
const tagged = (variants) => (value, loc) => {
  if (!isObject(value)) {
    const msg = 'Input should be a valid dictionary or object to extract fields from'
    return [{ type: 'model_attributes_type', loc, msg, input: value }]
  }
  const tag = /** @type {Record<string, unknown>} */ (value).type
  const check = typeof tag === 'string' && Object.hasOwn(variants, tag) ? variants[tag] : undefined
  if (check) return check(value, [...loc, String(tag)])
  const expected = Object.keys(variants)
    .map((t) => `'${t}'`)
    .join(', ')
  if (tag === undefined) {
    const msg = "Unable to extract tag using discriminator 'type'"
    return [{ type: 'union_tag_not_found', loc, msg, input: value, ctx: { discriminator: "'type'" } }]
  }
  const msg = `Input tag '${String(tag)}' found using 'type' does not match any of the expected tags: ${expected}`
  return [{ type: 'union_tag_invalid', loc, msg, input: value, ctx: { discriminator: "'type'", tag: String(tag), expected_tags: expected } }]
}

/** @type {Record<string, Check>} */
const V0_FIELDS = {
  initial_user_msg: string,
  repository: nullable(string),
  selected_branch: nullable(string),
  git_provider: nullable(provider),
  conversation_instructions: nullable(string),
  image_urls: nullable(stringList),
  suggested_task: nullable(dict),
  mcp_config: nullable(dict)
}

const messageContent = tagged({
  text: model({ type: string, text: string, cache_prompt: boolean }, ['text']),
  image: model({ type: string, image_urls: stringList, cache_prompt: boolean }, ['image_urls'])
})

/** The agent server's SendMessageRequest: its content parts forbid extras (TextContent says so), it ignores them. */
const sendMessageRequest = model(
  {
    role: oneOf('literal_error', ['user', 'system', 'assistant', 'tool']),
    content: listOf(messageContent),
    run: boolean
  },
  [],
  'ignore'
)

/** @param {Check} check @param {number} min @returns {Check} */
const minItems = (check, min) => (value, loc) => {
  const issues = check(value, loc)
  if (issues.length > 0 || !Array.isArray(value) || value.length >= min) return issues
  const msg = `List should have at least ${min} item${min === 1 ? '' : 's'} after validation, not ${value.length}`
  return [{ type: 'too_short', loc, msg, input: value, ctx: { field_type: 'List', min_length: min, actual_length: value.length } }]
}

/** AppSendMessageRequest (`POST /api/v1/app-conversations/{id}/send-message`). */
const appSendMessageRequest = model(
  {
    role: oneOf('literal_error', ['user']),
    content: minItems(listOf(messageContent), 1),
    run: boolean
  },
  ['content'],
  'ignore'
)

/**
 * The fields of AppConversationStartRequest the simulator checks. The server ignores
 * unknown top-level fields, and so does the simulator with every field not listed
 * (sandbox_id, conversation_id, processors, plugins, secrets, ...): it does not model them.
 * @type {Record<string, Check>}
 */
const V1_FIELDS = {
  initial_message: sendMessageRequest,
  system_message_suffix: nullable(string),
  llm_model: nullable(string),
  selected_repository: nullable(string),
  selected_branch: nullable(string),
  git_provider: nullable(oneOf('enum', V1_GIT_PROVIDERS)),
  title: nullable(string),
  trigger: nullable(oneOf('enum', TRIGGERS)),
  pr_number: listOf(integer),
  agent_type: oneOf('enum', ['default', 'plan']),
  public: nullable(boolean)
}
export const V1_START_FIELDS = Object.keys(V1_FIELDS)

/**
 * @param {string} raw the request body as received
 * @param {Check} check
 * @returns {BodyResult}
 */
function validateJsonBody(raw, check) {
  if (raw.trim() === '') {
    return { ok: false, detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] }
  }
  /** @type {unknown} */
  let parsed
  try {
    parsed = JSON.parse(raw)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? 0)
    const issue = { type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: message } }
    return { ok: false, detail: [issue] }
  }
  const detail = check(parsed, ['body'])
  return detail.length > 0 ? { ok: false, detail } : { ok: true, body: /** @type {Record<string, unknown>} */ (parsed) }
}

/**
 * The V0 create body (`POST /api/conversations`).
 * @param {string} raw
 */
export function validateCreateBody(raw) {
  return validateJsonBody(raw, model(V0_FIELDS, ['initial_user_msg']))
}

/**
 * The V1 create body (`POST /api/v1/app-conversations`). Upstream initial_message
 * is optional; here it is required, as a conversation with nothing to do is never
 * what a client of this action means to start.
 * @param {string} raw
 */
export function validateV1CreateBody(raw) {
  return validateJsonBody(raw, model(V1_FIELDS, ['initial_message'], 'ignore'))
}

/** @param {string} raw */
export function validateSendMessageBody(raw) {
  return validateJsonBody(raw, appSendMessageRequest)
}

const UUID = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i

/**
 * 32 lowercase hex digits, or null when `text` is no UUID (dashes, braces and case are all accepted).
 * @param {string} text
 */
export function normalizeUuid(text) {
  const match = UUID.exec(text.trim())
  return match ? match.slice(1).join('').toLowerCase() : null
}

/**
 * A required `ids: list[UUID]` query parameter, normalised to 32 lowercase hex digits.
 * @param {URLSearchParams} query
 * @returns {{ ok: true, ids: string[] } | { ok: false, detail: Issue[] }}
 */
export function parseIdsQuery(query) {
  const raw = query.getAll('ids')
  if (raw.length === 0) return { ok: false, detail: [{ type: 'missing', loc: ['query', 'ids'], msg: 'Field required', input: null }] }
  /** @type {Issue[]} */
  const detail = []
  const ids = raw.map((text, index) => {
    const match = UUID.exec(text.trim())
    if (!match) detail.push({ type: 'uuid_parsing', loc: ['query', 'ids', index], msg: 'Input should be a valid UUID', input: text })
    return match ? match.slice(1).join('').toLowerCase() : ''
  })
  return detail.length > 0 ? { ok: false, detail } : { ok: true, ids }
}

const TRUE = ['1', 'on', 't', 'true', 'y', 'yes']
const FALSE = ['0', 'off', 'f', 'false', 'n', 'no']

/**
 * The events route's query: `start_id`, `limit` (default 20) and `reverse`, as FastAPI parses them.
 * @param {URLSearchParams} query
 * @returns {{ ok: true, startId: number, limit: number, reverse: boolean } | { ok: false, detail: Issue[] }}
 */
export function parseEventsQuery(query) {
  /** @type {Issue[]} */
  const detail = []
  /** @param {string} name @param {number} fallback */
  const int = (name, fallback) => {
    const text = query.get(name)
    if (text === null) return fallback
    if (/^\s*[+-]?\d+\s*$/.test(text)) return Number(text)
    const msg = 'Input should be a valid integer, unable to parse string as an integer'
    detail.push({ type: 'int_parsing', loc: ['query', name], msg, input: text })
    return fallback
  }
  const startId = int('start_id', 0)
  const limit = int('limit', 20)
  const reverseText = query.get('reverse')
  let reverse = false
  if (reverseText !== null) {
    const word = reverseText.trim().toLowerCase()
    if (TRUE.includes(word)) reverse = true
    else if (!FALSE.includes(word)) {
      detail.push({ type: 'bool_parsing', loc: ['query', 'reverse'], msg: 'Input should be a valid boolean, unable to interpret input', input: reverseText })
    }
  }
  return detail.length > 0 ? { ok: false, detail } : { ok: true, startId, limit, reverse }
}
