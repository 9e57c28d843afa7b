import { hexId, sandboxIdentifier, sessionKey } from './ids.js'
import { endOfTurn, pauseEvent, stateUpdate, terminalAction, terminalObservation, userMessage } from './agent-events.js'

/** @typedef {import('./agent-events.js').StoredEvent} StoredEvent */
/** @typedef {import('./agent-events.js').EndStatus} EndStatus */
/** @typedef {import('../conversations.js').AgentFinalState} AgentFinalState */
/** @typedef {'STARTING' | 'RUNNING' | 'PAUSED' | 'ERROR' | 'MISSING'} SandboxStatus */
/**
 * @typedef {object} Sandbox
 * @property {string} id
 * @property {string} account
 * @property {number} createdAt
 * @property {SandboxStatus} status
 * @property {number} statusSince
 * @property {number | null} startingUntil while STARTING: when it becomes RUNNING
 * @property {string} sessionKey shown only while RUNNING
 * @property {Conversation[]} conversations those not yet READY included: they hold their place
 * @property {number | null} readyAt when its first conversation became READY: the platform faults count from it
 * @property {{ pause: boolean, resume: boolean, fail: boolean }} platformDone each platform fault strikes once
 * @property {number | null} platformPausedAt
 * @property {{ at: number, status: SandboxStatus, cause: string }[]} history
 */
/**
 * One message's worth of agent work. Its progress is measured in active time: time
 * while the sandbox is RUNNING and the conversation is not paused on the agent server.
 * @typedef {object} Turn
 * @property {number} activeMs banked up to the conversation's lastSync
 * @property {number} milestone how many of the turn's milestones have passed; MILESTONES when over
 * @property {EndStatus | null} endStatus
 * @property {StoredEvent | null} action the terminal action its observation answers
 */
/**
 * @typedef {object} Conversation
 * @property {string} id
 * @property {string} account
 * @property {Sandbox} sandbox
 * @property {Record<string, unknown>} body exactly what the client POSTed
 * @property {string} message the initial message's text
 * @property {number} createdAt when the start was POSTed
 * @property {number | null} readyAt null until its start task is READY; the API does not show it before
 * @property {string | null} agentTitle the agent's own title, once it has started running
 * @property {boolean} paused by the agent server's pause route
 * @property {Turn | null} turn
 * @property {number} completedWorkMs work of turns already over
 * @property {StoredEvent[]} events oldest first
 * @property {number} lastSync
 * @property {number} busyEndedAt when it last stopped working (turn over, or paused)
 * @property {number | null} stoppedAt when a client first paused it (sandbox or agent server)
 * @property {{ status: EndStatus | null, until: number } | null} lingering the previous turn's end, still shown after a follow-up message
 */
/**
 * @typedef {object} StartTask
 * @property {string} id
 * @property {string} account
 * @property {number} createdAt
 * @property {Record<string, unknown>} request the AppConversationStartRequest echoed back
 * @property {Conversation | null} conversation null when the task is bound to fail
 * @property {string | null} error the detail it fails with
 * @property {number | null} doneAt
 */
/**
 * @typedef {object} WorldOptions
 * @property {() => number} now
 * @property {number} startTaskMs
 * @property {number} agentWorkMs
 * @property {AgentFinalState} agentFinalState
 * @property {'message' | 'finish'} agentFinishesWith
 * @property {number} idleMs
 * @property {number} resumeMs
 * @property {number} previousEndLingersMs how long execution_status still shows the previous turn's end after a follow-up message
 * @property {boolean} sandboxGrouping
 * @property {{ afterMs: number, resumeAfterMs?: number } | undefined} platformPause
 * @property {{ afterMs: number } | undefined} sandboxFails
 * @property {() => number} externalActive V0 conversations running now, all accounts: they share the peak
 */

/** The stages a start task passes through, evenly over startTaskMs, before READY or ERROR. */
export const TASK_STAGES = /** @type {const} */ ([
  'WORKING',
  'WAITING_FOR_SANDBOX',
  'PREPARING_REPOSITORY',
  'RUNNING_SETUP_SCRIPT',
  'SETTING_UP_GIT_HOOKS',
  'SETTING_UP_SKILLS',
  'STARTING_CONVERSATION'
])
/** How long a turn shows `idle` before `running`: "a moment", in active time. */
export const IDLE_MS = 100
/** A shared sandbox holds at most this many conversations (the server's grouping cap). */
export const SANDBOX_CAPACITY = 20
const MILESTONES = 4

/** @param {string} message the agent's title: the message's first non-empty line, at most 50 characters */
function agentTitleOf(message) {
  const line = message
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '')
  return line ? [...line].slice(0, 50).join('') : null
}

/** @param {Sandbox} s */
export const isActive = (s) => s.status === 'STARTING' || s.status === 'RUNNING'

/**
 * The V1 world: sandboxes, app conversations and start tasks. Nothing runs on a
 * timer: advance() applies, in time order, every transition that has become due by
 * now(), each stamped with the moment it became due, so an injected clock can jump.
 */
export class World {
  /** @param {WorldOptions} options */
  constructor(options) {
    this.options = options
    /** @type {Sandbox[]} */
    this.sandboxes = []
    /** @type {Conversation[]} */
    this.conversations = []
    /** @type {StartTask[]} */
    this.tasks = []
    this.created = 0
    this.peak = 0
  }

  reset() {
    this.sandboxes = []
    this.conversations = []
    this.tasks = []
    this.created = 0
    this.peak = 0
  }

  /** @param {number} [at] */
  milestonesOf(at = this.options.agentWorkMs) {
    const third = Math.floor(at / 3)
    return [IDLE_MS, IDLE_MS + third, IDLE_MS + 2 * third, IDLE_MS + at]
  }

  // ---- reading ----

  /** @param {string} account */
  activeSandboxes(account) {
    return this.sandboxes.filter((s) => s.account === account && isActive(s)).length
  }

  /** @param {string} account @param {string} id */
  sandbox(account, id) {
    return this.sandboxes.find((s) => s.id === id && s.account === account)
  }

  /** @param {string} key a session key: whose sandbox it opens, while the sandbox exists */
  sandboxByKey(key) {
    return this.sandboxes.find((s) => s.sessionKey === key && s.status !== 'MISSING')
  }

  /** Visible conversations only: the API knows none before its start task is READY. @param {string} account @param {string} id */
  conversation(account, id) {
    return this.conversations.find((c) => c.id === id && c.account === account && c.readyAt !== null)
  }

  /** @param {string} account */
  conversationsOf(account) {
    return this.conversations.filter((c) => c.account === account && c.readyAt !== null)
  }

  /** @param {string} account @param {string} id */
  task(account, id) {
    return this.tasks.find((t) => t.id === id && t.account === account)
  }

  /** @param {Conversation} c */
  busy(c) {
    return c.readyAt === null || (c.turn !== null && c.turn.milestone < MILESTONES && !c.paused)
  }

  /** @param {Conversation} c */
  counting(c) {
    return c.readyAt !== null && c.sandbox.status === 'RUNNING' && this.busy(c)
  }

  /**
   * @param {Conversation} c
   * @returns {string | null} null unless the sandbox is RUNNING, as the server fills it
   */
  executionStatus(c) {
    if (c.sandbox.status !== 'RUNNING') return null
    if (c.paused) return 'paused'
    if (c.lingering !== null && this.options.now() < c.lingering.until) return c.lingering.status
    const turn = c.turn
    if (!turn || turn.milestone === 0) return 'idle'
    return turn.milestone < MILESTONES ? 'running' : turn.endStatus
  }

  /** Work done so far in ms of running, for the metrics. @param {Conversation} c */
  workMs(c) {
    const turn = c.turn
    if (!turn || turn.milestone >= MILESTONES) return c.completedWorkMs
    return c.completedWorkMs + Math.min(this.options.agentWorkMs, Math.max(0, turn.activeMs - IDLE_MS))
  }

  /** @param {Conversation} c */
  title(c) {
    return c.agentTitle ?? `Conversation ${c.id.slice(0, 5)}`
  }

  /** @param {StartTask} task @returns {{ status: string, stage: number, since: number }} */
  progress(task) {
    const { startTaskMs, now } = this.options
    if (task.doneAt !== null) return { status: task.error === null ? 'READY' : 'ERROR', stage: TASK_STAGES.length, since: task.doneAt }
    const n = TASK_STAGES.length
    const stage = Math.min(n - 1, Math.floor(((now() - task.createdAt) * n) / Math.max(1, startTaskMs)))
    return { status: TASK_STAGES[stage], stage, since: task.createdAt + Math.ceil((stage * startTaskMs) / n) }
  }

  // ---- changing ----

  /**
   * Starts a conversation; the caller has checked the limit.
   * @param {string} account
   * @param {Record<string, unknown>} body
   * @param {string} message
   * @param {Record<string, unknown>} request
   * @param {string | null} error what the task will fail with, or null
   * @param {Sandbox | undefined} join the shared sandbox to join, or a new one
   */
  start(account, body, message, request, error, join) {
    const at = this.options.now()
    /** @type {StartTask} */
    const task = { id: hexId(), account, createdAt: at, request, conversation: null, error, doneAt: null }
    this.tasks.push(task)
    // A start that will fail is refused before it obtains a sandbox: it creates nothing.
    if (error !== null) return task
    const sandbox = join ?? this.newSandbox(account, at)
    /** @type {Conversation} */
    const conversation = {
      id: hexId(),
      account,
      sandbox,
      body,
      message,
      createdAt: at,
      readyAt: null,
      agentTitle: null,
      paused: false,
      turn: null,
      completedWorkMs: 0,
      events: [],
      lastSync: at,
      busyEndedAt: at,
      stoppedAt: null,
      lingering: null
    }
    sandbox.conversations.push(conversation)
    this.conversations.push(conversation)
    task.conversation = conversation
    this.created += 1
    return task
  }

  /** @param {string} account @param {number} at */
  newSandbox(account, at) {
    /** @type {Sandbox} */
    const sandbox = {
      id: sandboxIdentifier(),
      account,
      createdAt: at,
      status: 'STARTING',
      statusSince: at,
      startingUntil: at + this.options.startTaskMs,
      sessionKey: sessionKey(),
      conversations: [],
      readyAt: null,
      platformDone: { pause: false, resume: false, fail: false },
      platformPausedAt: null,
      history: [{ at, status: 'STARTING', cause: 'created' }]
    }
    this.sandboxes.push(sandbox)
    this.notePeak()
    return sandbox
  }

  /** The account's newest RUNNING sandbox with room, for grouping. @param {string} account */
  joinable(account) {
    return this.sandboxes.findLast((s) => s.account === account && s.status === 'RUNNING' && s.conversations.length < SANDBOX_CAPACITY)
  }

  /** @param {string} account */
  oldestRunning(account) {
    return this.sandboxes.find((s) => s.account === account && s.status === 'RUNNING')
  }

  /**
   * @param {Sandbox} sandbox
   * @param {SandboxStatus} status
   * @param {string} cause
   * @param {number} [at] default now
   */
  setStatus(sandbox, status, cause, at = this.options.now()) {
    this.syncAll(at)
    sandbox.status = status
    sandbox.statusSince = at
    sandbox.startingUntil = status === 'STARTING' ? at + this.options.resumeMs : null
    sandbox.history.push({ at, status, cause })
    if (isActive(sandbox)) this.notePeak()
  }

  /** A client's pause: the whole sandbox, every conversation in it. @param {Sandbox} sandbox */
  pause(sandbox) {
    if (!isActive(sandbox)) return
    this.setStatus(sandbox, 'PAUSED', 'pause')
    const at = this.options.now()
    for (const c of sandbox.conversations) c.stoppedAt ??= at
  }

  /**
   * The agent server's pause: this conversation only, the sandbox keeps running.
   * A turn already over is left as it ended: there is nothing left to pause.
   * @param {Conversation} c
   */
  pauseConversation(c) {
    const at = this.options.now()
    c.stoppedAt ??= at
    if (c.paused || !c.turn || c.turn.milestone >= MILESTONES) return
    this.syncAll(at)
    c.paused = true
    c.busyEndedAt = at
    c.events.push(pauseEvent(at), stateUpdate(at, 'paused'))
  }

  /**
   * A follow-up message. With `run`, a new turn starts now; an unfinished one is
   * superseded (its work so far still counts in the metrics).
   * @param {Conversation} c
   * @param {string} text
   * @param {boolean} run
   */
  sendMessage(c, text, run) {
    const at = this.options.now()
    this.syncAll(at)
    c.events.push(userMessage(at, text))
    if (!run) return
    // The agent server starts the new run in the background: for a moment the
    // conversation still reads as the previous turn ended.
    const ended = c.turn !== null && c.turn.milestone >= MILESTONES && !c.paused
    c.lingering = ended && c.turn ? { status: c.turn.endStatus, until: at + this.options.previousEndLingersMs } : null
    c.completedWorkMs = this.workMs(c)
    c.turn = { activeMs: 0, milestone: 0, endStatus: null, action: null }
    c.paused = false
  }

  notePeak() {
    const v1 = this.sandboxes.filter(isActive).length
    this.peak = Math.max(this.peak, v1 + this.options.externalActive())
  }

  /** @param {number} at */
  syncAll(at) {
    for (const c of this.conversations) {
      if (at <= c.lastSync) continue
      if (this.counting(c) && c.turn) c.turn.activeMs += at - c.lastSync
      c.lastSync = at
    }
  }

  // ---- time ----

  /** Applies every transition due by now, oldest first. */
  advance() {
    const t = this.options.now()
    for (let guard = 0; guard < 100_000; guard++) {
      const next = this.nextDue(t)
      if (!next) break
      this.syncAll(next.at)
      next.apply(next.at)
    }
    this.syncAll(t)
  }

  /**
   * The earliest transition due by `t`; on a tie the first found wins, which puts
   * a start before the sandbox it readies and the agent's work before the platform.
   * @param {number} t
   * @returns {{ at: number, apply: (at: number) => void } | null}
   */
  nextDue(t) {
    /** @type {{ at: number, apply: (at: number) => void } | null} */
    let best = null
    /** @param {number} at @param {(at: number) => void} apply */
    const offer = (at, apply) => {
      if (at <= t && (!best || at < best.at)) best = { at, apply }
    }
    const { startTaskMs, platformPause, sandboxFails, idleMs } = this.options
    for (const task of this.tasks) if (task.doneAt === null) offer(task.createdAt + startTaskMs, (at) => this.finishTask(task, at))
    for (const s of this.sandboxes) {
      if (s.status === 'STARTING' && s.startingUntil !== null) offer(s.startingUntil, (at) => this.setStatus(s, 'RUNNING', 'started', at))
    }
    const milestones = this.milestonesOf()
    for (const c of this.conversations) {
      const turn = c.turn
      if (!turn || !this.counting(c)) continue
      offer(c.lastSync + Math.max(0, milestones[turn.milestone] - turn.activeMs), (at) => this.passMilestone(c, turn, at))
    }
    for (const s of this.sandboxes) {
      if (s.readyAt === null) continue
      if (sandboxFails && !s.platformDone.fail) offer(s.readyAt + sandboxFails.afterMs, (at) => this.fail(s, at))
      if (platformPause && !s.platformDone.pause) offer(s.readyAt + platformPause.afterMs, (at) => this.platformPause(s, at))
      if (platformPause?.resumeAfterMs !== undefined && s.platformPausedAt !== null && !s.platformDone.resume) {
        offer(s.platformPausedAt + platformPause.resumeAfterMs, (at) => this.platformResume(s, at))
      }
    }
    for (const s of this.sandboxes) {
      if (s.status !== 'RUNNING' || s.conversations.some((c) => this.busy(c))) continue
      const idleSince = Math.max(s.statusSince, ...s.conversations.map((c) => c.busyEndedAt))
      offer(idleSince + idleMs, (at) => this.setStatus(s, 'PAUSED', 'idle', at))
    }
    return best
  }

  /** @param {StartTask} task @param {number} at */
  finishTask(task, at) {
    task.doneAt = at
    const c = task.conversation
    if (!c) return
    c.readyAt = at
    c.lastSync = at
    c.sandbox.readyAt ??= at
    c.turn = { activeMs: 0, milestone: 0, endStatus: null, action: null }
    c.events.push(userMessage(at, c.message))
  }

  /** @param {Conversation} c @param {Turn} turn @param {number} at */
  passMilestone(c, turn, at) {
    const index = turn.milestone
    turn.milestone += 1
    if (index === 0) {
      c.agentTitle ??= agentTitleOf(c.message)
      c.events.push(stateUpdate(at, 'running'))
    } else if (index === 1) {
      turn.action = terminalAction(at)
      c.events.push(turn.action)
    } else if (index === 2 && turn.action) {
      c.events.push(terminalObservation(at, turn.action))
    } else if (index === 3) {
      const { status, events } = endOfTurn(at, this.options.agentFinalState, this.options.agentFinishesWith)
      turn.endStatus = status
      c.completedWorkMs += this.options.agentWorkMs
      c.busyEndedAt = at
      c.events.push(...events)
    }
  }

  /** @param {Sandbox} s @param {number} at */
  fail(s, at) {
    s.platformDone.fail = true
    if (s.status !== 'MISSING' && s.status !== 'ERROR') this.setStatus(s, 'ERROR', 'sandboxFails', at)
  }

  /** @param {Sandbox} s @param {number} at */
  platformPause(s, at) {
    s.platformDone.pause = true
    if (!isActive(s)) return
    s.platformPausedAt = at
    this.setStatus(s, 'PAUSED', 'platformPause', at)
  }

  /** The platform resumes what it paused, when resources free up, whatever the limit. @param {Sandbox} s @param {number} at */
  platformResume(s, at) {
    s.platformDone.resume = true
    if (s.status === 'PAUSED') this.setStatus(s, 'STARTING', 'platformResume', at)
  }
}
