import { stringOrNull } from '../conversations.js'

/** @typedef {import('./world.js').World} World */
/** @typedef {import('./world.js').Conversation} Conversation */
/** @typedef {import('./world.js').StartTask} StartTask */
/** @typedef {import('./world.js').Sandbox} Sandbox */

export const DEFAULT_LLM_MODEL = 'litellm_proxy/claude-sonnet-4-5-20250929'
/** What the agent's work costs, per second of running: made up, but in proportion, and integers for tokens. */
const PER_SECOND = { cost: 0.02, prompt: 4000, completion: 300 }
const CONTEXT_WINDOW = 200_000
const SANDBOX_SPEC = 'ghcr.io/openhands/agent-server:latest-python'

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString()

/** Where the sandbox's agent server is: the simulator serves it under /agent. @param {string} origin @param {string} sandboxId */
export const agentServerUrl = (origin, sandboxId) => `${origin}/agent/${sandboxId}`

/**
 * @param {World} world
 * @param {StartTask} task
 * @param {string} origin
 * @param {string} [statusOverride] a fault's status the client has never seen
 */
export function startTaskJson(world, task, origin, statusOverride) {
  const { status, stage, since } = world.progress(task)
  const sandbox = task.conversation?.sandbox
  // The sandbox is obtained in WAITING_FOR_SANDBOX: from then on its id shows.
  const sandboxId = sandbox && stage >= 1 && status !== 'ERROR' ? sandbox.id : null
  const ready = status === 'READY'
  return {
    id: task.id,
    created_by_user_id: null,
    status: statusOverride ?? status,
    detail: status === 'ERROR' ? task.error : null,
    app_conversation_id: ready && task.conversation ? task.conversation.id : null,
    sandbox_id: sandboxId,
    agent_server_url: ready && sandboxId ? agentServerUrl(origin, sandboxId) : null,
    request: task.request,
    created_at: iso(task.createdAt),
    updated_at: iso(since)
  }
}

/** @param {Conversation} c */
export function requestedRepository(c) {
  const repository = stringOrNull(c.body.selected_repository)
  return { repository, branch: stringOrNull(c.body.selected_branch), provider: stringOrNull(c.body.git_provider) ?? (repository ? 'github' : null) }
}

/** @param {Conversation} c */
export const llmModelOf = (c) => stringOrNull(c.body.llm_model) ?? DEFAULT_LLM_MODEL

/**
 * MetricsSnapshot: always an object, zeros until the agent works, then growing with its work.
 * @param {World} world
 * @param {Conversation} c
 */
export function metricsOf(world, c) {
  const seconds = world.workMs(c) / 1000
  const model = llmModelOf(c)
  const prompt = Math.round(seconds * PER_SECOND.prompt)
  return {
    model_name: model,
    accumulated_cost: Math.round(seconds * PER_SECOND.cost * 1e6) / 1e6,
    max_budget_per_task: null,
    accumulated_token_usage: {
      model,
      prompt_tokens: prompt,
      completion_tokens: Math.round(seconds * PER_SECOND.completion),
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      context_window: prompt > 0 ? CONTEXT_WINDOW : 0,
      per_turn_token: 0,
      response_id: ''
    }
  }
}

/** @param {Conversation} c */
export function updatedAt(c) {
  return Math.max(c.createdAt, c.readyAt ?? 0, c.sandbox.statusSince, c.events.at(-1)?.at ?? 0)
}

/**
 * The AppConversation shape. created_at is when the start was POSTed.
 * @param {World} world
 * @param {Conversation} c
 * @param {string} origin
 * @param {string} [statusOverride] replaces execution_status, the field clients wait on
 */
export function appConversationJson(world, c, origin, statusOverride) {
  const { repository, branch, provider } = requestedRepository(c)
  const running = c.sandbox.status === 'RUNNING'
  return {
    id: c.id,
    created_by_user_id: null,
    sandbox_id: c.sandbox.id,
    selected_repository: repository,
    selected_branch: branch,
    git_provider: provider,
    title: world.title(c),
    trigger: stringOrNull(c.body.trigger),
    pr_number: [],
    llm_model: llmModelOf(c),
    agent_kind: 'openhands',
    metrics: metricsOf(world, c),
    parent_conversation_id: null,
    sub_conversation_ids: [],
    public: typeof c.body.public === 'boolean' ? c.body.public : null,
    tags: {},
    created_at: iso(c.createdAt),
    updated_at: iso(updatedAt(c)),
    sandbox_status: c.sandbox.status,
    execution_status: statusOverride ?? world.executionStatus(c),
    conversation_url: running ? `${agentServerUrl(origin, c.sandbox.id)}/api/conversations/${c.id}` : null,
    session_api_key: running ? c.sandbox.sessionKey : null,
    acp_server: null,
    launched_agent_profile: null
  }
}

/**
 * SandboxInfo: the key and the URLs only while RUNNING, as the document says.
 * @param {Sandbox} s
 * @param {string} origin
 */
export function sandboxJson(s, origin) {
  const running = s.status === 'RUNNING'
  return {
    id: s.id,
    created_by_user_id: null,
    sandbox_spec_id: SANDBOX_SPEC,
    status: s.status,
    session_api_key: running ? s.sessionKey : null,
    exposed_urls: running ? [{ name: 'AGENT_SERVER', url: agentServerUrl(origin, s.id), port: 60000 }] : null,
    created_at: iso(s.createdAt),
    status_detail: null
  }
}
