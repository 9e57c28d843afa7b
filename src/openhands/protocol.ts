// The two versions of the OpenHands API behind one interface, so the start and
// wait logic (and the outputs) are the same whichever version the server speaks.
import type { OpenHandsClient, StartRequest } from './client.js'
import { AuthError, NotFoundError, RequestError } from './errors.js'
import type { Conversation, StartedConversation, StartTask } from './responses.js'

export type ApiVersion = 'v0' | 'v1'

/** What one start request gave: the conversation itself (V0), or a task to follow (V1). */
export type Posted = { conversation: StartedConversation } | { task: StartTask }

export interface Protocol {
  readonly version: ApiVersion | 'auto'
  /** One start request; the caller retries only when it provably created nothing. */
  post(request: StartRequest, timeoutMs: number): Promise<Posted>
  readTask(id: string, timeoutMs: number): Promise<StartTask>
  /** One reading while waiting, the agent's state included where the server tells it. */
  read(id: string, timeoutMs: number): Promise<Conversation>
  /** The conversation alone, one request: for the status right after starting. */
  readOnce(id: string, timeoutMs: number): Promise<Conversation>
  stop(conversation: Pick<Conversation, 'id' | 'sandboxId'>, timeoutMs: number): Promise<void>
}

type Client = Pick<
  OpenHandsClient,
  'startConversation' | 'getConversation' | 'getAgentState' | 'stopConversation' | 'startTask' | 'getStartTask' | 'getConversationV1' | 'pauseSandbox'
>

// V0's events show the agent's state; reading the conversation too on every poll
// would double the requests every waiting job spends of the account's rate limit,
// so it is read on every third poll, and whenever the agent has stopped.
const CONVERSATION_EVERY_N_POLLS = 3
export const FINAL_AGENT_STATES: ReadonlySet<string> = new Set(['finished', 'awaiting_user_input', 'error', 'rejected', 'stopped', 'stuck'])

export class V0Protocol implements Protocol {
  readonly version = 'v0'
  private eventsServed = true
  private polls = 0
  private agentHasRun = false
  private last?: Conversation

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
    return { ...this.last, agentState }
  }

  readOnce(id: string, timeoutMs: number): Promise<Conversation> {
    return this.client.getConversation(id, timeoutMs)
  }

  async stop(conversation: Pick<Conversation, 'id'>, timeoutMs: number): Promise<void> {
    await this.client.stopConversation(conversation.id, timeoutMs)
  }

  private async agentState(id: string, timeoutMs: number): Promise<string | undefined> {
    if (!this.eventsServed) return undefined
    try {
      const reading = await this.client.getAgentState(id, timeoutMs)
      this.agentHasRun ||= reading.hasRun || reading.state === 'running'
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
  constructor(private readonly client: Client) {}

  async post(request: StartRequest, timeoutMs: number): Promise<Posted> {
    return { task: await this.client.startTask(request, timeoutMs) }
  }

  readTask(id: string, timeoutMs: number): Promise<StartTask> {
    return this.client.getStartTask(id, timeoutMs)
  }

  read(id: string, timeoutMs: number): Promise<Conversation> {
    return this.client.getConversationV1(id, timeoutMs)
  }

  readOnce(id: string, timeoutMs: number): Promise<Conversation> {
    return this.read(id, timeoutMs)
  }

  async stop(conversation: Pick<Conversation, 'id' | 'sandboxId'>, timeoutMs: number): Promise<void> {
    if (conversation.sandboxId === undefined) throw new Error(`the conversation ${conversation.id} has no sandbox to pause`)
    await this.client.pauseSandbox(conversation.sandboxId, timeoutMs)
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

  stop(conversation: Pick<Conversation, 'id' | 'sandboxId'>, timeoutMs: number): Promise<void> {
    return this.current().stop(conversation, timeoutMs)
  }

  private current(): Protocol {
    if (this.chosen === undefined) throw new Error('no conversation was started')
    return this.chosen
  }
}

export function protocolFor(version: ApiVersion | 'auto', client: Client, log: { info: (m: string) => void; debug: (m: string) => void }): Protocol {
  if (version === 'v0') return new V0Protocol(client, log.debug)
  if (version === 'v1') return new V1Protocol(client)
  return new AutoProtocol(new V1Protocol(client), new V0Protocol(client, log.debug), log.info)
}

function isMissingRoute(error: unknown): boolean {
  return error instanceof NotFoundError || (error instanceof RequestError && error.status === 405)
}
