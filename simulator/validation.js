/**
 * FastAPI/pydantic-shaped 422 details for the V0 create body, so clients can be
 * tested against the error format they will really see.
 * @typedef {{ type: string, loc: (string | number)[], msg: string, input: unknown, ctx?: Record<string, unknown> }} Issue
 */

const GIT_PROVIDERS = ['github', 'gitlab', 'bitbucket', 'azure_devops', 'enterprise_sso']
const PROVIDER_LIST = GIT_PROVIDERS.map((p) => `'${p}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')

/** @typedef {(value: unknown, loc: (string | number)[]) => Issue[]} Check */

/** @type {Check} */
const string = (value, loc) =>
  typeof value === 'string' ? [] : [{ type: 'string_type', loc, msg: 'Input should be a valid string', input: value }]

/** @param {Check} check @returns {Check} */
const nullable = (check) => (value, loc) => (value === null ? [] : check(value, loc))

/** @type {Check} */
const provider = (value, loc) =>
  GIT_PROVIDERS.includes(/** @type {string} */ (value))
    ? []
    : [{ type: 'enum', loc, msg: `Input should be ${PROVIDER_LIST}`, input: value, ctx: { expected: PROVIDER_LIST } }]

/** @type {Check} */
const stringList = (value, loc) =>
  Array.isArray(value)
    ? value.flatMap((item, index) => string(item, [...loc, index]))
    : [{ type: 'list_type', loc, msg: 'Input should be a valid list', input: value }]

/** @type {Check} */
const dict = (value, loc) =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? []
    : [{ type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: value }]

/** @type {Record<string, Check>} */
const FIELDS = {
  initial_user_msg: string,
  repository: nullable(string),
  selected_branch: nullable(string),
  git_provider: nullable(provider),
  conversation_instructions: nullable(string),
  image_urls: nullable(stringList),
  suggested_task: nullable(dict),
  mcp_config: nullable(dict)
}

/**
 * @param {string} raw the request body as received
 * @returns {{ ok: true, body: Record<string, unknown> } | { ok: false, detail: Issue[] }}
 */
export function validateCreateBody(raw) {
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
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const msg = 'Input should be a valid dictionary or object to extract fields from'
    return { ok: false, detail: [{ type: 'model_attributes_type', loc: ['body'], msg, input: parsed }] }
  }
  const body = /** @type {Record<string, unknown>} */ (parsed)
  /** @type {Issue[]} */
  const detail = []
  if (!('initial_user_msg' in body)) {
    detail.push({ type: 'missing', loc: ['body', 'initial_user_msg'], msg: 'Field required', input: body })
  }
  for (const [field, value] of Object.entries(body)) {
    const check = Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined
    if (check) detail.push(...check(value, ['body', field]))
    else detail.push({ type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted', input: value })
  }
  return detail.length > 0 ? { ok: false, detail } : { ok: true, body }
}
