// A V1 simulator on an injected clock, and short calls for its routes, shared by
// the simulator-v1*.test.ts files.
import { afterEach, beforeEach } from '@jest/globals'
import { startSimulator, type SimulatorOptions } from '../../simulator/server.js'
import { conformanceRecorder, type ConformanceRecorder } from './conformance.js'

export type Simulator = Awaited<ReturnType<typeof startSimulator>>
export type Task = {
  id: string
  status: string
  detail: string | null
  app_conversation_id: string | null
  sandbox_id: string | null
  agent_server_url: string | null
  request: Record<string, unknown>
  created_at: string
  updated_at: string
}
export type Metrics = {
  model_name: string
  accumulated_cost: number
  max_budget_per_task: null
  accumulated_token_usage: Record<string, number | string>
}
export type AppConversation = {
  id: string
  sandbox_id: string
  title: string
  trigger: string | null
  sandbox_status: string
  execution_status: string | null
  conversation_url: string | null
  session_api_key: string | null
  metrics: Metrics
  updated_at: string
  [field: string]: unknown
}
export type Event = { id: string; timestamp: string; source: string; kind: string; [field: string]: unknown }
export type Call = { method?: string; body?: unknown; raw?: string; key?: string | null; headers?: Record<string, string> }

export const KEY = 'sim-v1-test-key-9e3b'
export const T0 = Date.parse('2025-06-01T00:00:00.000Z')
export const HEX32 = /^[0-9a-f]{32}$/

/** The clock every simulator here reads; tests move it by hand. */
export const clock = { now: T0 }
let sim: Simulator | undefined
let recorder: ConformanceRecorder | undefined

beforeEach(() => {
  clock.now = T0
})

afterEach(async () => {
  await sim?.close()
  sim = undefined
  recorder = undefined
})

/**
 * @param conform also check every exchange against the vendor's document (checked by `conforms()`)
 */
export async function start(options: SimulatorOptions = {}, conform = false): Promise<Simulator> {
  recorder = conform ? conformanceRecorder() : undefined
  const onExchange = recorder?.onExchange
  sim = await startSimulator({ apiKey: KEY, now: () => clock.now, rateLimitPerSecond: 0, ...(onExchange ? { onExchange } : {}), ...options })
  return sim
}

/** Throws, listing them, if any exchange so far departed from the vendor's document. */
export function conforms(): void {
  recorder?.assertNone()
}

export function current(): Simulator {
  if (!sim) throw new Error('simulator not started')
  return sim
}

export const at = (ms: number): void => {
  clock.now = T0 + ms
}

export function call(path: string, { method = 'GET', body, raw, key = KEY, headers = {} }: Call = {}): Promise<Response> {
  const all: Record<string, string> = { 'Content-Type': 'application/json', ...headers }
  if (key !== null) all.Authorization = `Bearer ${key}`
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body))
  return fetch(current().url + path, { method, headers: all, body: payload })
}

export const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T

export const startBody = (text = 'Do the thing', extra: Record<string, unknown> = {}) => ({
  initial_message: { role: 'user', content: [{ type: 'text', text }], run: true },
  ...extra
})
export const createV1 = (body: unknown = startBody(), key?: string | null) => call('/api/v1/app-conversations', { method: 'POST', body, key })
const query = (ids: string[]) => ids.map((id) => `ids=${id}`).join('&')
export const tasks = (...ids: string[]) => json<(Task | null)[]>(call(`/api/v1/app-conversations/start-tasks?${query(ids)}`))
export const conversations = (...ids: string[]) => json<(AppConversation | null)[]>(call(`/api/v1/app-conversations?${query(ids)}`))
export async function conversation(id: string): Promise<AppConversation> {
  const [found] = await conversations(id)
  if (!found) throw new Error(`no conversation ${id}`)
  return found
}
export const pause = (sandboxId: string, key?: string | null) => call(`/api/v1/sandboxes/${sandboxId}/pause`, { method: 'POST', key })
export const resume = (sandboxId: string, key?: string | null) => call(`/api/v1/sandboxes/${sandboxId}/resume`, { method: 'POST', key })
export const statuses = async (id: string) => {
  const c = await conversation(id)
  return [c.sandbox_status, c.execution_status]
}
export const events = async (id: string, search = '') =>
  json<{ items: Event[]; next_page_id: string | null }>(call(`/api/v1/conversation/${id}/events/search${search}`))
export const sendMessage = (id: string, text = 'And one more thing', extra: Record<string, unknown> = {}) =>
  call(`/api/v1/app-conversations/${id}/send-message`, { method: 'POST', body: { role: 'user', content: [{ type: 'text', text }], run: true, ...extra } })
export const setSandbox = (sandboxId: string, status: string) =>
  fetch(`${current().url}/_simulator/sandboxes/${sandboxId}/status`, { method: 'POST', body: JSON.stringify({ status }) })

/** Starts one V1 conversation: its start task as first answered, its id and its sandbox id. */
export async function started(body: unknown = startBody(), key?: string | null): Promise<{ task: Task; id: string; sandboxId: string }> {
  const res = await createV1(body, key)
  if (res.status !== 200) throw new Error(`start answered ${res.status}: ${await res.text()}`)
  const task = (await res.json()) as Task
  const entry = current()
    .state()
    .startTasks.find((t) => t.id === task.id)
  return { task, id: String(entry?.conversationId), sandboxId: String(entry?.sandboxId) }
}

type StateEntry = ReturnType<Simulator['state']>['conversations'][number]

/** The state() entry of the V1 conversation at `index`. */
export function v1Entry(index = 0): Extract<StateEntry, { version: 'V1' }> {
  const entry = current()
    .state()
    .conversations.filter((c) => c.version === 'V1')[index]
  if (entry?.version !== 'V1') throw new Error(`no V1 conversation at ${index}`)
  return entry
}
