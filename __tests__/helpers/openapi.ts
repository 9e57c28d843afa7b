// Checks requests and answers against the vendor's OpenAPI document for
// OpenHands Cloud (__fixtures__/openapi/, unmodified), as patched by
// openapi-patches.ts to what the real server also accepts. Every check returns
// readable problems, [] when the exchange conforms.
//
// The document is 780 kB with ~570 schemas: it is read on the first check and
// each schema is compiled the first time a check needs it, then cached.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { applyPatches, type OpenApiDocument, type PatchReport, type SecurityScheme } from './openapi-patches.js'

export const OPENAPI_FIXTURE = fileURLToPath(new URL('../../__fixtures__/openapi/openhands-cloud.openapi.json', import.meta.url))

export type Headers = Record<string, string | string[] | undefined>

export interface RequestToCheck {
  method: string
  /** The pathname; a `?query` on it is taken as (more of) the query. */
  path: string
  /** The query string, with or without its `?`. */
  query?: string
  /** Omitted means none: an operation that asks for auth then fails the check. */
  headers?: Headers
  /** The raw body; undefined or '' for none. */
  body?: string
}

export interface ResponseToCheck {
  method: string
  path: string
  status: number
  /** The raw body. */
  body: string
}

/**
 * Paths this project uses that the Cloud document does not describe, and so
 * are not checked: anything else the document lacks is a problem.
 */
export const OUT_OF_SCOPE: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /^\/api\/conversations(\/|$)/, why: 'V0: older self-hosted servers; the Cloud document no longer has it (API.md, V1)' },
  { pattern: /^\/agent(\/|$)/, why: "the sandbox's agent server: another API, not the app server's" },
  { pattern: /^\/_simulator(\/|$)/, why: "the simulator's own control routes" }
]

/** Why `path` is not checked, or undefined when it is. */
export function outOfScope(path: string): string | undefined {
  const { pathname } = splitPath(path, undefined)
  return OUT_OF_SCOPE.find(({ pattern }) => pattern.test(pathname))?.why
}

export function checkRequest(request: RequestToCheck): string[] {
  const { pathname, query } = splitPath(request.path, request.query)
  if (outOfScope(pathname) !== undefined) return []
  const label = `${request.method.toUpperCase()} ${pathname}`
  const found = locate(request.method, pathname)
  if ('problem' in found) return [`${label}: ${found.problem}`]
  const { operation, pointer, pathParams } = found
  const headers = lowerCased(request.headers ?? {})
  const problems: string[] = []

  const auth = authProblem(operation, headers)
  if (auth !== undefined) problems.push(`${label}: ${auth}`)

  const parameters = operation.parameters ?? []
  const params = new URLSearchParams(query)
  const declaredQuery = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name))
  for (const key of new Set(params.keys())) {
    if (!declaredQuery.has(key)) {
      const declared = [...declaredQuery].join(', ') || 'none'
      problems.push(`${label}: query parameter ${key} is not declared by the document (declared: ${declared})`)
    }
  }
  parameters.forEach((parameter, i) => {
    const schemaPointer = `${pointer}/parameters/${i}/schema`
    const where = `${label} ${parameter.in} parameter ${parameter.name}`
    let raw: string[]
    if (parameter.in === 'query') raw = params.getAll(parameter.name)
    else if (parameter.in === 'path') raw = pathParams[parameter.name] === undefined ? [] : [pathParams[parameter.name]]
    else if (parameter.in === 'header') raw = headerValue(headers, parameter.name) === undefined ? [] : [headerValue(headers, parameter.name) as string]
    else return // cookies: nothing this project sends
    if (raw.length === 0) {
      if (parameter.required === true) problems.push(`${where}: required but missing`)
      return
    }
    const schema = parameter.schema ?? {}
    let value: unknown
    const items = arrayItems(schema)
    if (items !== undefined) value = raw.map((one) => coerce(items, one))
    else if (raw.length > 1) {
      problems.push(`${where}: given ${raw.length} times, but it is not a list`)
      return
    } else value = coerce(schema, raw[0])
    problems.push(...validate(schemaPointer, value).map((message) => `${where}: ${message}`))
  })

  const body = request.body ?? ''
  const requestBody = operation.requestBody
  if (requestBody === undefined) {
    if (body !== '') problems.push(`${label}: has a request body, but the document declares none`)
  } else if (body === '') {
    if (requestBody.required === true) problems.push(`${label}: the request body is required but missing`)
  } else if (requestBody.content?.['application/json'] !== undefined) {
    const contentType = headerValue(headers, 'content-type')
    if (contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType.trim())) {
      problems.push(`${label}: the request body is sent as ${contentType}, not application/json`)
    }
    const json = parseJson(body)
    if (json === undefined) problems.push(`${label} request body: is not JSON: ${snippet(body)}`)
    else {
      const schemaPointer = `${pointer}/requestBody/content/application~1json/schema`
      problems.push(...validate(schemaPointer, json.value).map((message) => `${label} request body: ${message}`))
    }
  }
  return problems
}

/**
 * Checks an answer's body against what the document gives for its status. A 2xx the
 * operation does not list is a problem. Other statuses are checked only where the
 * document gives a schema (in practice 422 HTTPValidationError): the document has no
 * bodies for the 401, 404, 409, 410, 429 and 503 the server also sends (API.md), so
 * those are accepted as they come.
 */
export function checkResponse(exchange: ResponseToCheck): string[] {
  const { pathname } = splitPath(exchange.path, undefined)
  if (outOfScope(pathname) !== undefined) return []
  const label = `${exchange.method.toUpperCase()} ${pathname}`
  const found = locate(exchange.method, pathname)
  if ('problem' in found) return [`${label}: ${found.problem}`]
  const { operation, pointer } = found
  const status = exchange.status
  const responses = operation.responses ?? {}
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => Object.hasOwn(responses, k))
  const success = status >= 200 && status < 300
  if (key === undefined) {
    if (!success) return []
    return [`${label}: answered ${status}, a status the document does not list for it (it lists ${Object.keys(responses).join(', ')})`]
  }
  if (responses[key].content?.['application/json']?.schema === undefined) return []
  const where = `${label} response ${status} body`
  const json = parseJson(exchange.body)
  if (json === undefined) return [`${where}: is not JSON: ${snippet(exchange.body)}`]
  return validate(`${pointer}/responses/${key}/content/application~1json/schema`, json.value).map((message) => `${where}: ${message}`)
}

/** The patched document and what the patches changed, for tests of the patches themselves. */
export function patchedDocument(): { doc: OpenApiDocument; report: PatchReport } {
  const { doc, report } = loaded()
  return { doc, report }
}

// ---------------------------------------------------------------------------
// The document, its routes and its compiled schemas

interface Parameter {
  name: string
  in: 'query' | 'path' | 'header' | 'cookie'
  required?: boolean
  schema?: Schema
}

interface MediaType {
  schema?: Schema
}

interface Operation {
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, MediaType> }
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>
  security?: Record<string, string[]>[]
}

type Schema = Record<string, unknown>

interface Route {
  template: string
  segments: string[]
  /** Which segments are `{param}`: literal segments win over params, leftmost first. */
  params: (string | undefined)[]
  methods: Record<string, Operation>
}

interface Loaded {
  doc: OpenApiDocument
  report: PatchReport
  routes: Route[]
  ajv: Ajv2020
  validators: Map<string, ValidateFunction>
}

const DOCUMENT_ID = 'https://openhands.invalid/openhands-cloud.openapi.json'
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
let state: Loaded | undefined

function loaded(): Loaded {
  if (state !== undefined) return state
  const vendor = JSON.parse(readFileSync(OPENAPI_FIXTURE, 'utf8')) as OpenApiDocument
  const { doc, report } = applyPatches(vendor)
  // strict: false because the document uses OpenAPI's own keywords (discriminator,
  // readOnly/writeOnly are annotations here, example); `discriminator` has `mapping`,
  // which Ajv's discriminator option refuses, so the oneOf under it is checked as plain oneOf.
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, validateSchema: false })
  addFormats(ajv)
  // Formats the document uses that are annotations only (pydantic SecretStr, Path).
  ajv.addFormat('password', true)
  ajv.addFormat('path', true)
  ajv.addSchema(doc as unknown as Schema, DOCUMENT_ID)
  const routes: Route[] = Object.entries(doc.paths).map(([template, item]) => {
    const segments = template.split('/').slice(1)
    const methods: Record<string, Operation> = {}
    for (const method of HTTP_METHODS) if (item[method] !== undefined) methods[method] = item[method] as Operation
    return { template, segments, params: segments.map((s) => /^\{([^}]+)\}$/.exec(s)?.[1]), methods }
  })
  state = { doc, report, routes, ajv, validators: new Map() }
  return state
}

type Located = { operation: Operation; template: string; pointer: string; pathParams: Record<string, string> } | { problem: string }

function locate(method: string, pathname: string): Located {
  const { routes } = loaded()
  const segments = pathname.split('/').slice(1)
  let best: Route | undefined
  for (const route of routes) {
    if (route.segments.length !== segments.length || !pathname.startsWith('/')) continue
    const fits = route.segments.every((segment, i) => (route.params[i] === undefined ? segment === segments[i] : segments[i] !== ''))
    if (fits && (best === undefined || moreLiteral(route, best))) best = route
  }
  if (best === undefined) return { problem: 'no such path in the document' }
  const operation = best.methods[method.toLowerCase()]
  if (operation === undefined) {
    const has = Object.keys(best.methods)
      .map((m) => m.toUpperCase())
      .join(', ')
    return { problem: `the document has no ${method.toUpperCase()} for ${best.template} (it has ${has})` }
  }
  const pathParams: Record<string, string> = {}
  for (const [i, name] of best.params.entries()) {
    if (name === undefined) continue
    try {
      pathParams[name] = decodeURIComponent(segments[i])
    } catch {
      return { problem: `path segment ${segments[i]} is not valid percent-encoding` }
    }
  }
  return { operation, template: best.template, pointer: `#/paths/${pointerToken(best.template)}/${method.toLowerCase()}`, pathParams }
}

/** `a` matches more literally than `b`: at the first segment where they differ, `a` has the literal. */
function moreLiteral(a: Route, b: Route): boolean {
  for (let i = 0; i < a.params.length; i++) {
    const aLiteral = a.params[i] === undefined
    const bLiteral = b.params[i] === undefined
    if (aLiteral !== bLiteral) return aLiteral
  }
  return false
}

function validator(pointer: string): ValidateFunction {
  const { ajv, validators } = loaded()
  let validate = validators.get(pointer)
  if (validate === undefined) {
    const fragment = pointer
      .slice(1)
      .split('/')
      .map((token) => encodeURIComponent(token))
      .join('/')
    validate = ajv.getSchema(`${DOCUMENT_ID}#${fragment}`)
    if (validate === undefined) throw new Error(`the OpenAPI document has no schema at ${pointer}`)
    validators.set(pointer, validate)
  }
  return validate
}

/** Problems with `value` against the schema at `pointer` (a JSON pointer into the patched document). */
function validate(pointer: string, value: unknown): string[] {
  const check = validator(pointer)
  return check(value) ? [] : describe(check.errors ?? [])
}

// ---------------------------------------------------------------------------
// FastAPI's reading of query and path strings

/** The items schema when `schema` (or one branch of its anyOf/oneOf, or its $ref) is an array. */
function arrayItems(schema: Schema, depth = 0): Schema | undefined {
  const resolved = deref(schema)
  if (resolved === undefined || depth > 10) return undefined
  if (resolved.type === 'array' || (Array.isArray(resolved.type) && resolved.type.includes('array'))) {
    return (resolved.items as Schema | undefined) ?? {}
  }
  for (const branch of [...asSchemas(resolved.anyOf), ...asSchemas(resolved.oneOf)]) {
    const items = arrayItems(branch, depth + 1)
    if (items !== undefined) return items
  }
  return undefined
}

/** Every JSON type the schema accepts (the types of its enum and const values included). */
function typesOf(schema: Schema, depth = 0): Set<string> {
  const types = new Set<string>()
  const resolved = deref(schema)
  if (resolved === undefined || depth > 10) return types
  const add = (value: unknown): void => {
    types.add(value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value)
  }
  if (typeof resolved.type === 'string') types.add(resolved.type)
  if (Array.isArray(resolved.type)) for (const t of resolved.type) types.add(String(t))
  if (Array.isArray(resolved.enum)) resolved.enum.forEach(add)
  if ('const' in resolved) add(resolved.const)
  for (const branch of [...asSchemas(resolved.anyOf), ...asSchemas(resolved.oneOf), ...asSchemas(resolved.allOf)]) {
    for (const t of typesOf(branch, depth + 1)) types.add(t)
  }
  return types
}

// pydantic's lax bool parsing of strings (what FastAPI applies to query values).
const TRUE_STRINGS = new Set(['1', 'on', 't', 'true', 'y', 'yes'])
const FALSE_STRINGS = new Set(['0', 'off', 'f', 'false', 'n', 'no'])

/**
 * One query/path string as FastAPI would hand it to its handler: a string stays a
 * string where the schema takes strings (pydantic prefers the exact type), else it
 * becomes the integer, number or boolean it spells; a value it cannot become is left
 * a string, for the schema to refuse.
 */
function coerce(schema: Schema, raw: string): unknown {
  const types = typesOf(schema)
  if (types.has('string') || types.size === 0) return raw
  const trimmed = raw.trim()
  if (types.has('integer') && /^[+-]?\d+$/.test(trimmed)) return Number(trimmed)
  if (types.has('number') && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed)
  if (types.has('boolean')) {
    if (TRUE_STRINGS.has(trimmed.toLowerCase())) return true
    if (FALSE_STRINGS.has(trimmed.toLowerCase())) return false
  }
  return raw
}

function deref(schema: Schema, depth = 0): Schema | undefined {
  if (typeof schema.$ref !== 'string') return schema
  if (depth > 10 || !schema.$ref.startsWith('#/')) return undefined
  let node: unknown = loaded().doc
  for (const token of schema.$ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return typeof node === 'object' && node !== null ? deref(node as Schema, depth + 1) : undefined
}

function asSchemas(value: unknown): Schema[] {
  return Array.isArray(value) ? value.filter((v): v is Schema => typeof v === 'object' && v !== null) : []
}

// ---------------------------------------------------------------------------
// Auth, from the operation's security requirements (as patch (a) widened them)

function authProblem(operation: Operation, headers: Record<string, string>): string | undefined {
  const { doc } = loaded()
  const security = operation.security ?? (doc.security as Record<string, string[]>[] | undefined)
  if (security === undefined || security.length === 0) return undefined
  const schemes = doc.components.securitySchemes ?? {}
  const satisfied = security.some((requirement) => Object.keys(requirement).every((name) => schemes[name] !== undefined && satisfies(schemes[name], headers)))
  if (satisfied) return undefined
  const ways = security.map(
    (requirement) =>
      Object.keys(requirement)
        .map((name) => describeScheme(name, schemes[name]))
        .join(' with ') || 'nothing'
  )
  return `not authenticated: send one of ${ways.join(', ')}`
}

function satisfies(scheme: SecurityScheme, headers: Record<string, string>): boolean {
  if (scheme.type === 'apiKey' && scheme.in === 'header') return (headerValue(headers, String(scheme.name)) ?? '').trim() !== ''
  if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') {
    return /^bearer\s+\S/i.test(headerValue(headers, 'authorization') ?? '')
  }
  return false // query/cookie keys, basic auth, OAuth: nothing this project sends
}

function describeScheme(name: string, scheme: SecurityScheme | undefined): string {
  if (scheme?.type === 'apiKey') return `${String(scheme.name)} (${String(scheme.in)})`
  if (scheme?.type === 'http') return `Authorization: ${String(scheme.scheme).replace(/^./, (c) => c.toUpperCase())} <token>`
  return name
}

// ---------------------------------------------------------------------------
// Readable messages

const MAX_MESSAGES = 12
const BRANCHING = new Set(['anyOf', 'oneOf', 'if', 'not'])

/**
 * Ajv's errors, one line per place in the value. With allErrors, a value that fails an
 * anyOf reports every branch; the branch that got furthest says what is wrong, so the
 * anyOf's own error and the other branches' bare type errors ("must be null") are left
 * out when a more telling error exists at or under the same place.
 */
function describe(errors: ErrorObject[]): string[] {
  const within = (outer: ErrorObject, inner: ErrorObject): boolean =>
    inner !== outer && (inner.instancePath === outer.instancePath || inner.instancePath.startsWith(`${outer.instancePath}/`))
  const telling = (e: ErrorObject): boolean => !BRANCHING.has(e.keyword) && e.keyword !== 'type'
  const kept = errors.filter((e) => {
    if (BRANCHING.has(e.keyword)) return !errors.some((o) => !BRANCHING.has(o.keyword) && within(e, o))
    if (e.keyword === 'type') return !errors.some((o) => telling(o) && within(e, o))
    return true
  })
  const byPlace = new Map<string, { types: string[]; got?: unknown; messages: string[] }>()
  for (const error of kept) {
    const place = byPlace.get(error.instancePath) ?? { types: [], messages: [] }
    byPlace.set(error.instancePath, place)
    if (error.keyword === 'type') {
      place.types.push(...String((error.params as { type: string | string[] }).type).split(','))
      place.got = error.data
      continue
    }
    const message = messageOf(error)
    if (!place.messages.includes(message)) place.messages.push(message)
  }
  const lines: string[] = []
  for (const [path, place] of byPlace) {
    const messages = [...place.messages]
    if (place.types.length > 0) messages.unshift(`must be ${[...new Set(place.types)].join(' or ')}, got ${shown(place.got)}`)
    lines.push(`${path === '' ? '' : `${path} `}${messages.join('; ')}`)
  }
  if (lines.length > MAX_MESSAGES) return [...lines.slice(0, MAX_MESSAGES), `… and ${lines.length - MAX_MESSAGES} more`]
  return lines
}

function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  const message = error.message ?? error.keyword
  switch (error.keyword) {
    case 'enum':
      return `${message} (${(params.allowedValues as unknown[]).map(shown).join(', ')}), got ${shown(error.data)}`
    case 'const':
      return `${message} ${shown(params.allowedValue)}, got ${shown(error.data)}`
    case 'additionalProperties':
      return `${message}: ${String(params.additionalProperty)}`
    case 'format':
    case 'pattern':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
      return `${message}, got ${shown(error.data)}`
    default:
      return message
  }
}

function shown(value: unknown): string {
  return snippet(JSON.stringify(value) ?? String(value), 60)
}

// ---------------------------------------------------------------------------

function splitPath(path: string, query: string | undefined): { pathname: string; query: string } {
  const at = path.indexOf('?')
  const pathname = at === -1 ? path : path.slice(0, at)
  const parts = [at === -1 ? '' : path.slice(at + 1), (query ?? '').replace(/^\?/, '')].filter((part) => part !== '')
  return { pathname, query: parts.join('&') }
}

function lowerCased(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return headers[name.toLowerCase()]
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}
