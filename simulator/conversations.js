import { randomBytes } from 'node:crypto'

/** @typedef {'STARTING' | 'RUNNING' | 'STOPPED' | 'ERROR'} Status */
/**
 * @typedef {object} Conversation
 * @property {string} id
 * @property {string} account opaque hash of the caller's key, never the key itself
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
 */

const RUNTIME_STATUS = { STARTING: 'STATUS$STARTING_RUNTIME', RUNNING: 'STATUS$READY' }

/** @param {unknown} value */
const stringOrNull = (value) => (typeof value === 'string' && value !== '' ? value : null)

/**
 * Status is derived from timestamps on every read, so no timer keeps the
 * process alive and an injected clock can jump straight to any phase.
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
   */
  create(account, body) {
    const conversation = {
      id: randomBytes(16).toString('hex'),
      account,
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
    return [...this.byId.values()]
      .filter((c) => c.account === account)
      .sort((a, b) => b.createdAt - a.createdAt)
  }

  /** @param {Conversation} conversation */
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
   * The V0 GET shape, as the real server serialises ConversationInfo.
   * @param {Conversation} conversation
   * @param {string} [statusOverride] lets a fault report a status the client has never seen
   */
  info(conversation, statusOverride) {
    const { body } = conversation
    const status = this.statusOf(conversation)
    const repository = stringOrNull(body.repository)
    const message = typeof body.initial_user_msg === 'string' ? body.initial_user_msg : ''
    return {
      conversation_id: conversation.id,
      title: [...message.trim()].slice(0, 30).join(''),
      created_at: new Date(conversation.createdAt).toISOString(),
      last_updated_at: new Date(this.lastUpdatedAt(conversation)).toISOString(),
      status: statusOverride ?? status,
      runtime_status: status === 'STARTING' || status === 'RUNNING' ? RUNTIME_STATUS[status] : null,
      selected_repository: repository,
      selected_branch: stringOrNull(body.selected_branch),
      git_provider: stringOrNull(body.git_provider) ?? (repository ? 'github' : null),
      trigger: 'remote_api_key',
      url: null,
      session_api_key: null,
      pr_number: [],
      conversation_version: 'V0'
    }
  }

  snapshot() {
    return [...this.byId.values()].map((c) => ({
      id: c.id,
      status: this.statusOf(c),
      createdAt: c.createdAt,
      repository: stringOrNull(c.body.repository),
      branch: stringOrNull(c.body.selected_branch),
      body: c.body
    }))
  }
}
