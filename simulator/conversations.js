import { randomBytes } from 'node:crypto'

/** @typedef {'STARTING' | 'RUNNING' | 'STOPPED' | 'ERROR'} Status */
/** @typedef {'finished' | 'awaiting_user_input' | 'error' | 'rejected' | 'stopped' | 'stuck' | 'waiting_for_confirmation'} AgentFinalState */
/** @typedef {'loading' | 'running' | AgentFinalState} AgentState */
/** @typedef {'V0'} Version V1 conversations live in simulator/v1/ */
/**
 * @typedef {object} Conversation
 * @property {string} id
 * @property {string} account opaque hash of the caller's key, never the key itself
 * @property {Version} version always V0: V1 conversations live in simulator/v1/
 * @property {number} createdAt epoch ms
 * @property {number | null} stoppedAt set only when stopped while still active
 * @property {Record<string, unknown>} body exactly what the client POSTed
 */
/**
 * @typedef {object} Lifecycle
 * @property {() => number} now
 * @property {number} startingMs
 * @property {number} runningMs
 * @property {'STOPPED' | 'ERROR'} finalStatus
 * @property {number} [agentFinishesMs] from creation; unset = when the runtime reaches finalStatus
 * @property {AgentFinalState} agentFinalState
 */
/**
 * One thing that happens in a conversation, at a time derived from its timestamps.
 * `reply` is the agent's last word after reaching its own final state.
 * @typedef {{ at: number, kind: 'message' | 'state' | 'run' | 'output' | 'reply', state: AgentState }} Moment
 */

export const AGENT_FINAL_STATES = /** @type {const} */ ([
  'finished',
  'awaiting_user_input',
  'error',
  'rejected',
  'stopped',
  'stuck',
  'waiting_for_confirmation'
])

const RUNTIME_STATUS = { STARTING: 'STATUS$STARTING_RUNTIME', RUNNING: 'STATUS$READY' }

/** @param {unknown} value */
export const stringOrNull = (value) => (typeof value === 'string' && value !== '' ? value : null)

/**
 * What was asked for.
 * @param {Conversation} conversation
 */
export function requestOf(conversation) {
  const { body } = conversation
  const message = typeof body.initial_user_msg === 'string' ? body.initial_user_msg : ''
  const repository = stringOrNull(body.repository)
  return {
    message,
    repository,
    branch: stringOrNull(body.selected_branch),
    provider: stringOrNull(body.git_provider) ?? (repository ? 'github' : null)
  }
}

/** @param {string} message */
export const titleOf = (message) => [...message.trim()].slice(0, 30).join('')

/**
 * Status and agent state are derived from timestamps on every read, so no timer
 * keeps the process alive and an injected clock can jump straight to any phase.
 */
export class ConversationStore {
  /** @param {Lifecycle} lifecycle */
  constructor(lifecycle) {
    this.lifecycle = lifecycle
    /** @type {Map<string, Conversation>} */
    this.byId = new Map()
    this.created = 0
    this.peakRunning = 0
  }

  reset() {
    this.byId.clear()
    this.created = 0
    this.peakRunning = 0
  }

  /**
   * @param {string} account
   * @param {Record<string, unknown>} body
   * @param {Version} [version]
   * @returns {Conversation}
   */
  create(account, body, version = 'V0') {
    const conversation = {
      id: randomBytes(16).toString('hex'),
      account,
      version,
      createdAt: this.lifecycle.now(),
      stoppedAt: null,
      body
    }
    this.byId.set(conversation.id, conversation)
    this.created += 1
    // Overlap can only peak when a conversation starts, so sampling here is exact.
    this.peakRunning = Math.max(this.peakRunning, this.activeCount())
    return conversation
  }

  /**
   * Another account's conversation is as invisible as a missing one.
   * @param {string} account
   * @param {string} id
   */
  find(account, id) {
    const conversation = this.byId.get(id)
    return conversation && conversation.account === account ? conversation : undefined
  }

  /** @param {string} account */
  listFor(account) {
    return [...this.byId.values()].filter((c) => c.account === account).sort((a, b) => b.createdAt - a.createdAt)
  }

  /**
   * Stops the runtime and the agent at once; a no-op once the runtime has ended.
   * @param {Conversation} conversation
   */
  stop(conversation) {
    if (this.isActive(conversation)) conversation.stoppedAt = this.lifecycle.now()
  }

  /** @param {string} [account] counts every account when omitted */
  activeCount(account) {
    let count = 0
    for (const c of this.byId.values()) {
      if ((account === undefined || c.account === account) && this.isActive(c)) count += 1
    }
    return count
  }

  /** @param {Conversation} conversation */
  isActive(conversation) {
    const status = this.statusOf(conversation)
    return status === 'STARTING' || status === 'RUNNING'
  }

  /**
   * The runtime's status: it knows nothing of the agent.
   * @param {Conversation} conversation
   * @returns {Status}
   */
  statusOf(conversation) {
    if (conversation.stoppedAt !== null) return 'STOPPED'
    const { now, startingMs, runningMs, finalStatus } = this.lifecycle
    const elapsed = now() - conversation.createdAt
    if (elapsed < startingMs) return 'STARTING'
    if (elapsed < startingMs + runningMs) return 'RUNNING'
    return finalStatus
  }

  /** @param {Conversation} conversation */
  lastUpdatedAt(conversation) {
    if (conversation.stoppedAt !== null) return conversation.stoppedAt
    const { now, startingMs, runningMs } = this.lifecycle
    const elapsed = now() - conversation.createdAt
    const phases = [startingMs + runningMs, startingMs, 0]
    return conversation.createdAt + (phases.find((start) => elapsed >= start) ?? 0)
  }

  /**
   * Everything that ever happens in the conversation, in order, with
   * nondecreasing times: what has happened by `now()` is always a prefix, so the
   * position of a moment is a stable event id.
   *
   * The agent loads while the runtime starts, runs, and reaches its final state at
   * agentFinishesMs. A runtime that ends first cuts it off (stopped, or error when
   * the runtime ends in ERROR); a stop cuts everything off and adds `stopped`.
   * @param {Conversation} conversation
   * @returns {Moment[]}
   */
  timeline(conversation) {
    const { startingMs, runningMs, finalStatus, agentFinishesMs, agentFinalState } = this.lifecycle
    const created = conversation.createdAt
    const running = created + startingMs
    const runtimeEnds = running + runningMs
    const finishes = created + (agentFinishesMs ?? startingMs + runningMs)
    const natural = finishes <= runtimeEnds
    const end = natural ? finishes : runtimeEnds
    /** @type {AgentState} */
    const endState = natural ? agentFinalState : finalStatus === 'ERROR' ? 'error' : 'stopped'
    /** @type {Moment[]} */
    let moments = [
      { at: created, kind: 'message', state: 'loading' },
      { at: created, kind: 'state', state: 'loading' }
    ]
    if (running < end) {
      const third = Math.floor((end - running) / 3)
      moments.push(
        { at: running, kind: 'state', state: 'running' },
        { at: running + third, kind: 'run', state: 'running' },
        { at: running + 2 * third, kind: 'output', state: 'running' }
      )
    }
    moments.push({ at: end, kind: 'state', state: endState })
    if (natural) moments.push({ at: end, kind: 'reply', state: endState })
    const stoppedAt = conversation.stoppedAt
    if (stoppedAt !== null) {
      moments = moments.filter((m) => m.at <= stoppedAt)
      moments.push({ at: stoppedAt, kind: 'state', state: 'stopped' })
    }
    return moments
  }

  /**
   * What has happened by now.
   * @param {Conversation} conversation
   */
  happened(conversation) {
    const t = this.lifecycle.now()
    return this.timeline(conversation).filter((m) => m.at <= t)
  }

  /**
   * The agent's own state, which the V0 status does not show.
   * @param {Conversation} conversation
   * @returns {AgentState}
   */
  agentStateOf(conversation) {
    return this.happened(conversation).findLast((m) => m.kind === 'state')?.state ?? 'loading'
  }

  /**
   * The V0 GET shape, as the real server serialises ConversationInfo.
   * @param {Conversation} conversation
   * @param {string} [statusOverride] lets a fault report a status the client has never seen
   */
  info(conversation, statusOverride) {
    const status = this.statusOf(conversation)
    const request = requestOf(conversation)
    return {
      conversation_id: conversation.id,
      title: titleOf(request.message),
      created_at: new Date(conversation.createdAt).toISOString(),
      last_updated_at: new Date(this.lastUpdatedAt(conversation)).toISOString(),
      status: statusOverride ?? status,
      runtime_status: status === 'STARTING' || status === 'RUNNING' ? RUNTIME_STATUS[status] : null,
      selected_repository: request.repository,
      selected_branch: request.branch,
      git_provider: request.provider,
      trigger: 'remote_api_key',
      url: null,
      session_api_key: null,
      pr_number: [],
      conversation_version: conversation.version
    }
  }

  snapshot() {
    return [...this.byId.values()].map((c) => {
      const request = requestOf(c)
      return {
        id: c.id,
        version: c.version,
        status: this.statusOf(c),
        agentState: this.agentStateOf(c),
        // As V1's: the agent has reached its final state, whatever the runtime does.
        finished: !['loading', 'running'].includes(this.agentStateOf(c)),
        createdAt: c.createdAt,
        stoppedAt: c.stoppedAt,
        sandboxId: null,
        repository: request.repository,
        branch: request.branch,
        body: c.body
      }
    })
  }
}
