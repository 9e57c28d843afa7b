// The two versions of the OpenHands API behind one interface, so the start and
// wait logic (and the outputs) are the same whichever version the server speaks.
import type { OpenHandsClient, StartRequest } from './client.js'
import { AuthError, NotFoundError, RequestError } from './errors.js'
import { endingV0, endingV1, FINAL_AGENT_STATES } from './ending.js'
import type { AgentTurn, Conversation, Ending, StartedConversation, StartTask } from './responses.js'

export type ApiVersion = 'v0' | 'v1'

/** What one start request gave: the conversation itself (V0), or a task to follow (V1). */
export type Posted = { conversation: StartedConversation } | { task: StartTask }

/** What stopping did: V0 stops the runtime; V1 pauses the sandbox, or only the conversation when others share it. */
export type Stopped = 'conversation-stopped' | 'sandbox-paused' | 'agent-paused' | 'already-paused'

/** What releasing a finished conversation's hold on the account did. */
export type Released = { paused: true } | { paused: false; why: string }

/** What is known of a conversation when it must be stopped or released: at least its id. */
export type Known = Pick<Conversation, 'id'> & Partial<Conversation>

export interface Protocol {
  readonly version: ApiVersion | 'auto'
  /** One start request; the caller retries only when it provably created nothing. */
  post(request: StartRequest, timeoutMs: number): Promise<Posted>
  readTask(id: string, timeoutMs: number): Promise<StartTask>
  /** One reading while waiting, the agent's state included where the server tells it. */
  read(id: string, timeoutMs: number): Promise<Conversation>
  /** The conversation alone, one request: for the status right after starting. */
  readOnce(id: string, timeoutMs: number): Promise<Conversation>
  /** Stops the conversation spending: never deletes it, never stops another conversation. */
  stop(conversation: Known, timeoutMs: number): Promise<Stopped>
  /**
   * After the agent finished: frees the account's slot that the conversation still
   * holds (V1: a finished conversation's sandbox keeps running until it idles out).
   * Absent where the server frees it by itself.
   */
  release?(conversation: Known, timeoutMs: number): Promise<Released>
  /** The agent's last message, once the wait is over; undefined when it left none. */
  finalMessage(id: string, timeoutMs: number): Promise<string | undefined>
  /** Continuing an earlier conversation with a new message; absent where the server cannot (V0). */
  readonly followUp?: FollowUp
}

/** What continuing a conversation takes: find it, wake its sandbox, give it the message. */
export interface FollowUp {
  /** The conversation as the server has it now; undefined when it knows none by that id. */
  lookUp(id: string, timeoutMs: number): Promise<Conversation | undefined>
  /** Asks for a paused sandbox to run again; it runs once a reading says RUNNING. */
  resume(sandboxId: string, timeoutMs: number): Promise<void>
  /** Pauses a sandbox this step resumed, when the step ends before the message went (not cancellable). */
  pause(sandboxId: string, timeoutMs: number): Promise<void>
  /** Sends the message and starts the agent's next turn: from then on the wait is for that turn's end. */
  send(id: string, message: string, timeoutMs: number): Promise<void>
}

type Client = Pick<
  OpenHandsClient,
  | 'startConversation'
  | 'getConversation'
  | 'getAgentState'
  | 'stopConversation'
  | 'startTask'
  | 'getStartTask'
  | 'getConversationV1'
  | 'pauseSandbox'
  | 'countInSandbox'
  | 'agentTurn'
  | 'pauseAgent'
  | 'resumeSandbox'
  | 'sendMessage'
>

// How many readings in a row may show the previous turn's end after a follow-up
// message before it is taken for this turn's (the agent ended it at once).
const STALE_ENDING_READINGS = 3

// V0's events show the agent's state; reading the conversation too on every poll
// would double the requests every waiting job spends of the account's rate limit,
// so it is read on every third poll, and whenever the agent has stopped.
const CONVERSATION_EVERY_N_POLLS = 3

export class V0Protocol implements Protocol {
  readonly version = 'v0'
  private eventsServed = true
  private polls = 0
  private agentHasRun = false
  private last?: Conversation
  private lastMessage?: string

  constructor(
    private readonly client: Client,
    private readonly debug: (message: string) => void
  ) {}

  async post(request: StartRequest, timeoutMs: number): Promise<Posted> {
    const conversation = await this.client.startConversation(request, timeoutMs)
    // The real server's answer already gives the status: the first polls need
    // only the events, which keeps a job's first poll to one request.
    if (conversation.status !== undefined) {
      this.last = { id: conversation.id, status: conversation.status, prNumbers: [] }
      this.polls = 1
    }
    return { conversation }
  }

  async readTask(): Promise<StartTask> {
    throw new Error('V0 has no start tasks')
  }

  async read(id: string, timeoutMs: number): Promise<Conversation> {
    const agentState = await this.agentState(id, timeoutMs)
    // Counted only on success, so a failed read does not push the next one back.
    const due = this.polls % CONVERSATION_EVERY_N_POLLS === 0
    if (this.last === undefined || due || agentState === undefined || FINAL_AGENT_STATES.has(agentState)) {
      this.last = await this.client.getConversation(id, timeoutMs)
    }
    this.polls++
    const reading = { ...this.last, agentState }
    return { ...reading, ending: endingV0(reading) }
  }

  readOnce(id: string, timeoutMs: number): Promise<Conversation> {
    return this.client.getConversation(id, timeoutMs)
  }

  async stop(conversation: Known, timeoutMs: number): Promise<Stopped> {
    await this.client.stopConversation(conversation.id, timeoutMs)
    return 'conversation-stopped'
  }

  /** The newest agent message of the last events read: the final poll read them already. */
  async finalMessage(): Promise<string | undefined> {
    return this.lastMessage
  }

  private async agentState(id: string, timeoutMs: number): Promise<string | undefined> {
    if (!this.eventsServed) return undefined
    try {
      const reading = await this.client.getAgentState(id, timeoutMs)
      this.agentHasRun ||= reading.hasRun || reading.state === 'running'
      this.lastMessage = reading.lastMessage ?? this.lastMessage
      // Before it has run, "awaiting input" is the agent waiting for its first
      // message, not the end of its work.
      if (reading.state === 'awaiting_user_input' && !this.agentHasRun) return 'loading'
      return reading.state
    } catch (error) {
      if (!isMissingRoute(error) && !(error instanceof AuthError)) throw error
      this.eventsServed = false
      this.debug(`The server does not serve the agent's events (${(error as Error).message}); waiting on the status alone.`)
      return undefined
    }
  }
}

export class V1Protocol implements Protocol {
  readonly version = 'v1'
  // Whether the events were asked, in the current pause, if the agent had finished.
  private pauseExplained = false
  // The events' answer that ended the wait, when it was they that told the agent had finished.
  private finishedTurn?: AgentTurn
  // After a follow-up message, until the agent is seen to take it up: the server
  // may still show the previous turn's end for a moment, which is not this turn's.
  private newTurn?: { endingsSeen: number }

  constructor(
    private readonly client: Client,
    private readonly debug: (message: string) => void = () => {}
  ) {}

  async post(request: StartRequest, timeoutMs: number): Promise<Posted> {
    return { task: await this.client.startTask(request, timeoutMs) }
  }

  readTask(id: string, timeoutMs: number): Promise<StartTask> {
    return this.client.getStartTask(id, timeoutMs)
  }

  async read(id: string, timeoutMs: number): Promise<Conversation> {
    const reading = await this.client.getConversationV1(id, timeoutMs)
    if (reading.runtimeStatus !== 'PAUSED') {
      this.pauseExplained = false
      const ending = endingV1(reading)
      if (this.newTurn === undefined || ending === undefined) {
        // A running state after the message: the agent took it up, and its next end is this turn's.
        if (reading.runtimeStatus === 'RUNNING' && reading.agentState !== undefined) this.newTurn = undefined
        return { ...reading, ending }
      }
      return this.endOfNewTurn(id, reading, ending, timeoutMs)
    }
    // A sandbox paused between two polls may hold an agent that had finished
    // (an idle sandbox is paused to free its slot): its events tell, once per pause.
    if (this.pauseExplained) return reading
    this.pauseExplained = true
    try {
      const turn = await this.client.agentTurn(id, timeoutMs)
      if (turn.finished) {
        this.finishedTurn = turn
        this.newTurn = undefined
        return { ...reading, agentState: 'finished', ending: { ok: true } }
      }
    } catch (error) {
      this.debug(`Could not read the agent's events (${error instanceof Error ? error.message : String(error)}); waiting for the sandbox to resume.`)
    }
    return reading
  }

  /**
   * An end read before the agent was seen to take up the follow-up message: it is
   * this turn's once the events show the agent acted after the message (for
   * `finished`, that its answer is the newest). A server that goes on showing it
   * for three readings means it, whatever the events say.
   */
  private async endOfNewTurn(id: string, reading: Conversation, ending: Ending, timeoutMs: number): Promise<Conversation> {
    const newTurn = this.newTurn as { endingsSeen: number }
    newTurn.endingsSeen++
    let turn: AgentTurn | undefined
    try {
      turn = await this.client.agentTurn(id, timeoutMs)
    } catch (error) {
      this.debug(`Could not read the agent's events (${error instanceof Error ? error.message : String(error)}).`)
    }
    const taken = turn !== undefined && (ending.ok ? turn.finished : turn.lastBy === 'agent')
    if (!taken && newTurn.endingsSeen < STALE_ENDING_READINGS) {
      this.debug(`The server still shows ${reading.agentState}, from before the message; waiting for the agent to take it up.`)
      return withoutState(reading)
    }
    if (turn?.finished) this.finishedTurn = turn
    this.newTurn = undefined
    return { ...reading, ending }
  }

  async readOnce(id: string, timeoutMs: number): Promise<Conversation> {
    const reading = await this.client.getConversationV1(id, timeoutMs)
    // Right after a follow-up message, an end shown is the previous turn's.
    return this.newTurn !== undefined && endingV1(reading) !== undefined ? withoutState(reading) : reading
  }

  async stop(conversation: Known, timeoutMs: number): Promise<Stopped> {
    if (conversation.runtimeStatus === 'PAUSED') return 'already-paused'
    const { sandboxId, conversationUrl, sessionApiKey } = conversation
    if (sandboxId === undefined) throw new Error(`the conversation ${conversation.id} has no sandbox to pause`)
    let sharedWith: number | undefined
    try {
      sharedWith = (await this.client.countInSandbox(sandboxId, timeoutMs)) - 1
    } catch (error) {
      this.debug(`Could not count the conversations in the sandbox ${sandboxId}: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (sharedWith === 0) {
      await this.client.pauseSandbox(sandboxId, timeoutMs)
      return 'sandbox-paused'
    }
    // Pausing the sandbox would stop every conversation in it, other jobs' too.
    // The agent server's address comes with a reading of the running sandbox: a
    // step cancelled before its first poll has none yet.
    const agent =
      conversationUrl !== undefined && sessionApiKey !== undefined ? { conversationUrl, sessionApiKey } : await this.agentServerOf(conversation.id, timeoutMs)
    if (agent === 'already-paused') return agent
    if (agent !== undefined) {
      await this.client.pauseAgent(agent, timeoutMs)
      return 'agent-paused'
    }
    const why =
      sharedWith === undefined ? 'it could not be told whether other conversations share its sandbox' : `${sharedWith} other conversation(s) share its sandbox`
    throw new Error(`${why}, and OpenHands gave no agent server address to pause this conversation alone`)
  }

  async finalMessage(id: string, timeoutMs: number): Promise<string | undefined> {
    // A wait that the events ended has read them already.
    return (this.finishedTurn ?? (await this.client.agentTurn(id, timeoutMs))).finalMessage
  }

  readonly followUp: FollowUp = {
    lookUp: async (id, timeoutMs) => {
      try {
        return await this.client.getConversationV1(id, timeoutMs)
      } catch (error) {
        // A 404 is a server without the V1 routes; a list with null is a conversation that is gone.
        if (error instanceof NotFoundError && error.status === undefined) return undefined
        throw error
      }
    },
    resume: (sandboxId, timeoutMs) => this.client.resumeSandbox(sandboxId, timeoutMs),
    pause: (sandboxId, timeoutMs) => this.client.pauseSandbox(sandboxId, timeoutMs),
    send: async (id, message, timeoutMs) => {
      await this.client.sendMessage(id, message, timeoutMs)
      this.newTurn = { endingsSeen: 0 }
      this.finishedTurn = undefined
    }
  }

  private async agentServerOf(id: string, timeoutMs: number): Promise<{ conversationUrl: string; sessionApiKey: string } | 'already-paused' | undefined> {
    // Not cancellable: the step is being cancelled, and this is how it stops.
    const reading = await this.client.getConversationV1(id, timeoutMs, false)
    if (reading.runtimeStatus === 'PAUSED') return 'already-paused'
    const { conversationUrl, sessionApiKey } = reading
    return conversationUrl !== undefined && sessionApiKey !== undefined ? { conversationUrl, sessionApiKey } : undefined
  }

  async release(conversation: Known, timeoutMs: number): Promise<Released> {
    const { sandboxId } = conversation
    if (conversation.runtimeStatus !== 'RUNNING' || sandboxId === undefined)
      return { paused: false, why: 'The sandbox is not running: there is no slot to free.' }
    const count = await this.client.countInSandbox(sandboxId, timeoutMs)
    if (count !== 1) return { paused: false, why: `The sandbox is left running: ${count} conversations share it.` }
    await this.client.pauseSandbox(sandboxId, timeoutMs)
    return { paused: true }
  }
}

/**
 * `api-version: auto`: V1 first, as V0 is deprecated upstream; V0 only when the
 * V1 route does not exist (404/405), which proves nothing was created.
 */
export class AutoProtocol implements Protocol {
  private chosen?: Protocol
  constructor(
    private readonly v1: Protocol,
    private readonly v0: Protocol,
    private readonly info: (message: string) => void
  ) {}

  get version(): ApiVersion | 'auto' {
    return this.chosen?.version ?? 'auto'
  }

  async post(request: StartRequest, timeoutMs: number): Promise<Posted> {
    if (this.chosen) return this.chosen.post(request, timeoutMs)
    try {
      const posted = await this.v1.post(request, timeoutMs)
      this.chosen = this.v1
      return posted
    } catch (error) {
      if (!isMissingRoute(error)) throw error
      this.info(`The server has no V1 API (${(error as Error).message}); using V0.`)
      this.chosen = this.v0
      return this.v0.post(request, timeoutMs)
    }
  }

  readTask(id: string, timeoutMs: number): Promise<StartTask> {
    return this.current().readTask(id, timeoutMs)
  }

  read(id: string, timeoutMs: number): Promise<Conversation> {
    return this.current().read(id, timeoutMs)
  }

  readOnce(id: string, timeoutMs: number): Promise<Conversation> {
    return this.current().readOnce(id, timeoutMs)
  }

  stop(conversation: Known, timeoutMs: number): Promise<Stopped> {
    return this.current().stop(conversation, timeoutMs)
  }

  finalMessage(id: string, timeoutMs: number): Promise<string | undefined> {
    return this.current().finalMessage(id, timeoutMs)
  }

  /** V1's: a conversation found there makes V1 the version this step speaks. */
  get followUp(): FollowUp {
    const v1 = this.v1.followUp as FollowUp
    return {
      lookUp: async (id, timeoutMs) => {
        const found = await v1.lookUp(id, timeoutMs)
        if (found !== undefined) this.chosen = this.v1
        return found
      },
      resume: (sandboxId, timeoutMs) => v1.resume(sandboxId, timeoutMs),
      pause: (sandboxId, timeoutMs) => v1.pause(sandboxId, timeoutMs),
      send: (id, message, timeoutMs) => v1.send(id, message, timeoutMs)
    }
  }

  get release(): Protocol['release'] {
    const release = this.chosen?.release
    return release === undefined ? undefined : release.bind(this.chosen)
  }

  private current(): Protocol {
    if (this.chosen === undefined) throw new Error('no conversation was started')
    return this.chosen
  }
}

/**
 * A reading whose state is the previous turn's end: neither the state nor an end
 * is reported, so the last state seen stands until the agent's own.
 */
function withoutState(reading: Conversation): Conversation {
  const rest = { ...reading }
  delete rest.agentState
  return rest
}

export function protocolFor(version: ApiVersion | 'auto', client: Client, log: { info: (m: string) => void; debug: (m: string) => void }): Protocol {
  if (version === 'v0') return new V0Protocol(client, log.debug)
  if (version === 'v1') return new V1Protocol(client, log.debug)
  return new AutoProtocol(new V1Protocol(client, log.debug), new V0Protocol(client, log.debug), log.info)
}

export function isMissingRoute(error: unknown): boolean {
  return error instanceof NotFoundError || (error instanceof RequestError && error.status === 405)
}
