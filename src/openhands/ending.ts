// When a reading ends the wait, and whether the work went well: one rule per API
// version, as pure functions of what the server said.
import type { Conversation, Ending } from './responses.js'

/** V0 runtime statuses after which nothing more happens. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['STOPPED', 'ARCHIVED', 'ERROR'])
/** V0 agent states (from its events) in which the agent has stopped working. */
export const FINAL_AGENT_STATES: ReadonlySet<string> = new Set(['finished', 'awaiting_user_input', 'error', 'rejected', 'stopped', 'stuck'])
// Agent states that mean the work failed, like a runtime in ERROR.
const FAILED_AGENT_STATES: ReadonlySet<string> = new Set(['error', 'stuck', 'rejected'])

type Reading = Pick<Conversation, 'status' | 'agentState' | 'runtimeStatus'>

/** V0: the runtime has stopped, or the agent has (it may idle in a live runtime for an hour). */
export function endingV0({ status, agentState }: Reading): Ending | undefined {
  const agentDone = agentState !== undefined && FINAL_AGENT_STATES.has(agentState)
  if (!FINAL_STATUSES.has(status) && !agentDone) return undefined
  if (status === 'ERROR') return failed('The conversation ended with status ERROR')
  if (agentState !== undefined && FAILED_AGENT_STATES.has(agentState)) return failed(`The agent ended in state ${agentState}`)
  return { ok: true }
}

/**
 * V1, after the vendor's guide: `finished` is success; `error`, `stuck` and
 * `waiting_for_confirmation` are ends a person must look at, and so is a sandbox
 * in ERROR or gone. A PAUSED sandbox is not an end: OpenHands pauses sandboxes
 * under load and resumes them, so the wait goes on (the protocol asks the events
 * whether the agent had finished before the pause).
 */
export function endingV1({ runtimeStatus, agentState }: Reading): Ending | undefined {
  if (runtimeStatus === 'ERROR') {
    return failed('The conversation ended with status ERROR (its sandbox failed)', 'Open the conversation to see what happened, then run the step again.')
  }
  if (runtimeStatus === 'MISSING')
    return failed("The conversation's sandbox is gone (MISSING) before the agent was seen to finish", 'It may have been deleted or archived.')
  if (runtimeStatus !== 'RUNNING') return undefined
  switch (agentState) {
    case 'finished':
      return { ok: true }
    case 'error':
    case 'stuck':
      return failed(`The agent ended in state ${agentState}`)
    case 'waiting_for_confirmation':
      return failed(
        'The agent is waiting for a person to confirm its next action',
        'Open the conversation to confirm or reject it; for unattended runs, turn confirmation mode off in the OpenHands settings.'
      )
    case 'deleting':
      return failed('The conversation is being deleted')
    default:
      return undefined
  }
}

function failed(reason: string, advice?: string): Ending {
  return advice === undefined ? { ok: false, reason } : { ok: false, reason, advice }
}
