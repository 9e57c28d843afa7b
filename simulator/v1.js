import { randomBytes } from 'node:crypto'
import { requestOf, titleOf } from './conversations.js'

/** @typedef {import('./conversations.js').Conversation} Conversation */
/** @typedef {import('./conversations.js').ConversationStore} ConversationStore */
/** @typedef {import('./conversations.js').AgentState} AgentState */
/**
 * @typedef {object} StartTask
 * @property {string} id
 * @property {string} account
 * @property {number} createdAt epoch ms
 * @property {Record<string, unknown>} request the POSTed body with the server's defaults filled in
 * @property {Conversation | null} conversation null when the task is bound to fail
 * @property {string | null} error the detail it fails with
 */

/** The stages a start task passes through before READY or ERROR, evenly over startTaskMs. */
export const TASK_STAGES = /** @type {const} */ (['WORKING', 'WAITING_FOR_SANDBOX', 'PREPARING_REPOSITORY', 'STARTING_CONVERSATION'])
export const DEFAULT_LLM_MODEL = 'litellm_proxy/claude-sonnet-4-5-20250929'

/** @type {Record<import('./conversations.js').Status, string>} */
const SANDBOX_STATUS = { STARTING: 'STARTING', RUNNING: 'RUNNING', STOPPED: 'PAUSED', ERROR: 'ERROR' }

/** @type {Record<AgentState, string | null>} */
const EXECUTION_STATUS = {
  loading: null,
  running: 'running',
  finished: 'finished',
  error: 'error',
  rejected: 'error',
  stopped: 'paused',
  awaiting_user_input: 'idle',
  stuck: 'stuck'
}

/**
 * AppConversationStartRequest as the server echoes it back, defaults filled in.
 * @param {Record<string, unknown>} body validated
 */
export function startRequestOf(body) {
  const message = /** @type {Record<string, unknown>} */ (body.initial_message)
  return {
    sandbox_id: null,
    conversation_id: null,
    system_message_suffix: null,
    processors: null,
    llm_model: null,
    selected_repository: null,
    selected_branch: null,
    git_provider: null,
    title: null,
    trigger: null,
    pr_number: [],
    parent_conversation_id: null,
    agent_type: 'default',
    public: null,
    ...body,
    initial_message: { role: 'user', content: [], ...message }
  }
}

/**
 * Start tasks, whose progress is derived from timestamps like the conversations'.
 */
export class StartTaskStore {
  /** @param {{ now: () => number, startTaskMs: number }} timing */
  constructor(timing) {
    this.timing = timing
    /** @type {Map<string, StartTask>} */
    this.byId = new Map()
  }

  reset() {
    this.byId.clear()
  }

  /**
   * @param {string} account
   * @param {Record<string, unknown>} request
   * @param {{ conversation: Conversation } | { error: string }} outcome
   */
  create(account, request, outcome) {
    /** @type {StartTask} */
    const task = {
      id: randomBytes(16).toString('hex'),
      account,
      createdAt: this.timing.now(),
      request,
      conversation: 'conversation' in outcome ? outcome.conversation : null,
      error: 'error' in outcome ? outcome.error : null
    }
    this.byId.set(task.id, task)
    return task
  }

  /**
   * @param {string} account
   * @param {string} id
   */
  find(account, id) {
    const task = this.byId.get(id)
    return task && task.account === account ? task : undefined
  }

  /**
   * @param {StartTask} task
   * @returns {{ status: string, stage: number, since: number }} stage is TASK_STAGES.length once over
   */
  progress(task) {
    const { now, startTaskMs } = this.timing
    const elapsed = now() - task.createdAt
    if (elapsed >= startTaskMs) {
      return { status: task.error === null ? 'READY' : 'ERROR', stage: TASK_STAGES.length, since: task.createdAt + startTaskMs }
    }
    const stage = Math.min(TASK_STAGES.length - 1, Math.floor((elapsed * TASK_STAGES.length) / startTaskMs))
    return { status: TASK_STAGES[stage], stage, since: task.createdAt + Math.ceil((stage * startTaskMs) / TASK_STAGES.length) }
  }

  /**
   * The AppConversationStartTask shape. The sandbox id shows once the sandbox is
   * obtained, the conversation id and agent server once READY.
   * @param {StartTask} task
   * @param {string} origin
   * @param {string} [statusOverride]
   */
  json(task, origin, statusOverride) {
    const { status, stage, since } = this.progress(task)
    const ready = status === 'READY'
    const sandboxId = task.conversation && stage >= 2 ? task.conversation.sandboxId : null
    return {
      id: task.id,
      created_by_user_id: null,
      status: statusOverride ?? status,
      detail: status === 'ERROR' ? task.error : null,
      app_conversation_id: ready && task.conversation ? task.conversation.id : null,
      sandbox_id: sandboxId,
      agent_server_url: ready && sandboxId ? agentServerUrl(origin, sandboxId) : null,
      request: task.request,
      created_at: new Date(task.createdAt).toISOString(),
      updated_at: new Date(since).toISOString()
    }
  }

  snapshot() {
    return [...this.byId.values()].map((task) => ({
      id: task.id,
      status: this.progress(task).status,
      conversationId: task.conversation?.id ?? null,
      detail: task.error,
      createdAt: task.createdAt
    }))
  }
}

/**
 * Where the sandbox's agent server would be. The simulator does not serve it.
 * @param {string} origin
 * @param {string} sandboxId
 */
const agentServerUrl = (origin, sandboxId) => `${origin}/sandboxes/${sandboxId}`

/**
 * The AppConversation shape (`GET /api/v1/app-conversations?ids=`).
 * @param {ConversationStore} store
 * @param {Conversation} conversation
 * @param {string} origin
 * @param {string} [statusOverride] replaces execution_status, the field clients wait on
 */
export function appConversationOf(store, conversation, origin, statusOverride) {
  const { body } = conversation
  const request = requestOf(conversation)
  const sandboxStatus = SANDBOX_STATUS[store.statusOf(conversation)]
  const running = sandboxStatus === 'RUNNING'
  const happened = store.happened(conversation)
  const sandboxId = conversation.sandboxId ?? ''
  const agentState = happened.findLast((m) => m.kind === 'state')?.state ?? 'loading'
  const updatedAt = Math.max(store.lastUpdatedAt(conversation), happened.at(-1)?.at ?? conversation.createdAt)
  return {
    id: conversation.id,
    created_by_user_id: null,
    sandbox_id: sandboxId,
    selected_repository: request.repository,
    selected_branch: request.branch,
    git_provider: request.provider,
    title: typeof body.title === 'string' ? body.title : titleOf(request.message),
    trigger: typeof body.trigger === 'string' ? body.trigger : null,
    pr_number: [],
    llm_model: typeof body.llm_model === 'string' ? body.llm_model : DEFAULT_LLM_MODEL,
    metrics: null,
    parent_conversation_id: null,
    sub_conversation_ids: [],
    public: typeof body.public === 'boolean' ? body.public : null,
    created_at: new Date(conversation.createdAt).toISOString(),
    updated_at: new Date(updatedAt).toISOString(),
    sandbox_status: sandboxStatus,
    execution_status: statusOverride ?? (running ? EXECUTION_STATUS[agentState] : null),
    conversation_url: running ? `${agentServerUrl(origin, sandboxId)}/api/conversations/${conversation.id}` : null,
    session_api_key: null
  }
}
