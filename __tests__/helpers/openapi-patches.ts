// What the real OpenHands Cloud server accepts beyond its OpenAPI document:
// the ONE place where the checks in openapi.ts are looser than the vendor's
// document (__fixtures__/openapi/openhands-cloud.openapi.json, never edited).
// Each patch cites ../shared/reference/API.md. A patch transforms a deep copy of
// the document; add a new one here, with its reason, or not at all.

/** The parts of an OpenAPI 3.1 document the checks read; the rest passes through untouched. */
export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components: {
    schemas: Record<string, unknown>
    securitySchemes?: Record<string, SecurityScheme>
    [key: string]: unknown
  }
  [key: string]: unknown
}

export type SecurityScheme =
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; description?: string }
  | { type: 'http'; scheme: string; description?: string }
  | { type: string; [key: string]: unknown }

/** A JSON Schema: only what the patches look at is typed. */
type Schema = Record<string, unknown>

export interface PatchReport {
  /** JSON pointers (into the patched document) of every `format: uuid` schema that now also takes 32 hex digits. */
  undashedIds: string[]
  /** Operations ("GET /path") whose security now also takes Bearer and X-Session-API-Key. */
  widenedAuth: string[]
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

// ---------------------------------------------------------------------------
// (a) Auth. The document declares one scheme, `APIKeyHeader` (X-Access-Token).
// API.md, "V1 … Auth": "`Authorization: Bearer <key>` (the guide); the server
// also takes `X-Access-Token` (the only scheme the OpenAPI document declares)
// and `X-Session-API-Key`." So wherever an operation asks for APIKeyHeader,
// each of the three is enough on its own.
// ---------------------------------------------------------------------------
export const BEARER_SCHEME = 'BearerToken'
export const SESSION_KEY_SCHEME = 'SessionApiKeyHeader'
const DECLARED_SCHEME = 'APIKeyHeader'

function widenAuth(doc: OpenApiDocument, report: PatchReport): void {
  const schemes = (doc.components.securitySchemes ??= {})
  schemes[BEARER_SCHEME] = { type: 'http', scheme: 'bearer', description: 'patch (a): API.md, V1 Auth' }
  schemes[SESSION_KEY_SCHEME] = { type: 'apiKey', in: 'header', name: 'X-Session-API-Key', description: 'patch (a): API.md, V1 Auth' }
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method) || !isObject(operation) || !Array.isArray(operation.security)) continue
      const security = operation.security as Record<string, string[]>[]
      if (!security.some((requirement) => Object.hasOwn(requirement, DECLARED_SCHEME))) continue
      security.push({ [BEARER_SCHEME]: [] }, { [SESSION_KEY_SCHEME]: [] })
      report.widenedAuth.push(`${method.toUpperCase()} ${path}`)
    }
  }
}

// ---------------------------------------------------------------------------
// (b) Ids without dashes. The document types conversation and start-task ids
// as `{"type": "string", "format": "uuid"}`. API.md, "V1 … Read": a
// conversation's `id` is "32 hex, no dashes; dashes accepted on input", and the
// server hands out start-task ids the same way (`3b8e6f1a…` in the recorded
// answers), which the client then sends back in `?ids=`. The server parses them
// as Python UUIDs, which take both spellings. So a conversation/task id that the
// document calls a uuid also takes 32 hex digits. Other uuids (organisations,
// agent profiles, claims) are left as the document has them: API.md says
// nothing about those.
// ---------------------------------------------------------------------------
export const UNDASHED_UUID_PATTERN = '^[0-9a-fA-F]{32}$'

/** Parameter names (path or query) that carry a conversation or start-task id. */
const ID_PARAMETERS = new Set(['conversation_id', 'conversation_id__eq', 'ids'])
/** Schema properties that carry conversation ids, in any component schema. */
const ID_PROPERTIES = new Set(['conversation_id', 'parent_conversation_id', 'forked_from_conversation_id', 'sub_conversation_ids'])
/** Component schemas whose own `id` is a conversation id. */
const ID_OWNERS = new Set(['ConversationInfo'])

function isUuidString(schema: unknown): schema is Schema {
  return isObject(schema) && schema.type === 'string' && schema.format === 'uuid'
}

/** `{"type":"string","format":"uuid",…}` → the same, or 32 hex digits; titles and descriptions kept. */
function undashed(schema: Schema): Schema {
  const { type, format, ...annotations } = schema
  return {
    ...annotations,
    anyOf: [
      { type, format },
      { type: 'string', pattern: UNDASHED_UUID_PATTERN }
    ]
  }
}

/**
 * Replaces every uuid string schema inside `node` (through anyOf/oneOf branches
 * and array items: `Optional[UUID]`, `list[UUID]`), returning the pointers replaced.
 */
function replaceUuids(holder: Record<string, unknown> | unknown[], key: string | number, pointer: string): string[] {
  const node = (holder as Record<string, unknown>)[key as string]
  if (isUuidString(node)) {
    ;(holder as Record<string, unknown>)[key as string] = undashed(node)
    return [pointer]
  }
  if (!isObject(node)) return []
  const found: string[] = []
  for (const branch of ['anyOf', 'oneOf'] as const) {
    const list = node[branch]
    if (Array.isArray(list)) list.forEach((_, i) => found.push(...replaceUuids(list, i, `${pointer}/${branch}/${i}`)))
  }
  if (node.items !== undefined) found.push(...replaceUuids(node, 'items', `${pointer}/items`))
  return found
}

function acceptUndashedIds(doc: OpenApiDocument, report: PatchReport): void {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method) || !isObject(operation) || !Array.isArray(operation.parameters)) continue
      operation.parameters.forEach((parameter: unknown, i: number) => {
        if (!isObject(parameter) || typeof parameter.name !== 'string' || !ID_PARAMETERS.has(parameter.name)) return
        report.undashedIds.push(...replaceUuids(parameter, 'schema', `#/paths/${escape(path)}/${method}/parameters/${i}/schema`))
      })
    }
  }
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    if (!isObject(schema) || !isObject(schema.properties)) continue
    const properties = schema.properties
    for (const property of Object.keys(properties)) {
      if (!ID_PROPERTIES.has(property) && !(property === 'id' && ID_OWNERS.has(name))) continue
      report.undashedIds.push(...replaceUuids(properties, property, `#/components/schemas/${escape(name)}/properties/${escape(property)}`))
    }
  }
}

// ---------------------------------------------------------------------------

/** The document as the real server behaves: a patched deep copy; `document` itself is not changed. */
export function applyPatches(document: OpenApiDocument): { doc: OpenApiDocument; report: PatchReport } {
  const doc = structuredClone(document)
  const report: PatchReport = { undashedIds: [], widenedAuth: [] }
  widenAuth(doc, report)
  acceptUndashedIds(doc, report)
  return { doc, report }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON pointer token (RFC 6901). */
function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}
