import { eventId, hexId } from './ids.js'

/**
 * The agent SDK's event shapes (Event-Output in the vendor's document), as the
 * app server stores them. Timestamps are ISO 8601 with a `Z`: the SDK writes naive
 * local times, which a client could not place, so the simulator names the zone.
 * @typedef {Record<string, unknown> & { id: string, timestamp: string, source: string, kind: string, at: number }} StoredEvent
 *   `at` (epoch ms) is the simulator's own; it is stripped before an event is sent.
 * @typedef {'finished' | 'error' | 'stuck' | 'paused' | 'waiting_for_confirmation'} EndStatus
 */

/** @param {number} at @param {string} source @param {string} kind @param {Record<string, unknown>} fields @returns {StoredEvent} */
const event = (at, source, kind, fields) => ({ id: eventId(), timestamp: new Date(at).toISOString(), source, ...fields, kind, at })

/** @param {string} text */
const text = (text) => ({ type: 'text', text })

/** @param {number} at @param {string} message */
export const userMessage = (at, message) =>
  event(at, 'user', 'MessageEvent', {
    llm_message: { role: 'user', content: [text(message)] },
    llm_response_id: null,
    activated_skills: [],
    extended_content: [],
    sender: null
  })

/** @param {number} at @param {string} message */
export const agentMessage = (at, message) =>
  event(at, 'agent', 'MessageEvent', {
    llm_message: { role: 'assistant', content: [text(message)] },
    llm_response_id: `chatcmpl-${hexId()}`,
    activated_skills: [],
    extended_content: [],
    sender: null
  })

/** A pause asked for by a person (or a client acting for one). @param {number} at */
export const pauseEvent = (at) => event(at, 'user', 'PauseEvent', {})

/** @param {number} at @param {unknown} value */
export const stateUpdate = (at, value) => event(at, 'environment', 'ConversationStateUpdateEvent', { key: 'execution_status', value })

/**
 * An ActionEvent calling `tool` with `action`.
 * @param {number} at
 * @param {string} tool
 * @param {Record<string, unknown>} action
 * @param {{ thought: string, summary: string, risk?: string }} why
 */
export function actionEvent(at, tool, action, why) {
  const callId = `toolu_${hexId().slice(0, 24)}`
  const args = Object.fromEntries(Object.entries(action).filter(([key]) => key !== 'kind'))
  return event(at, 'agent', 'ActionEvent', {
    thought: [text(why.thought)],
    action,
    tool_name: tool,
    tool_call_id: callId,
    tool_call: { id: callId, name: tool, arguments: JSON.stringify(args), origin: 'completion' },
    llm_response_id: `chatcmpl-${hexId()}`,
    security_risk: why.risk ?? 'LOW',
    summary: why.summary
  })
}

/** @param {number} at @param {StoredEvent} action @param {Record<string, unknown>} observation */
export const observationEvent = (at, action, observation) =>
  event(at, 'environment', 'ObservationEvent', {
    tool_name: action.tool_name,
    tool_call_id: action.tool_call_id,
    observation,
    action_id: action.id
  })

export const COMMAND = 'ls'

/** @param {number} at */
export const terminalAction = (at) =>
  actionEvent(
    at,
    'terminal',
    { kind: 'TerminalAction', command: COMMAND, is_input: false, timeout: null, reset: false },
    { thought: 'Let me look at the repository first.', summary: 'viewing directory structure to locate source files' }
  )

/** @param {number} at @param {StoredEvent} action */
export const terminalObservation = (at, action) =>
  observationEvent(at, action, {
    kind: 'TerminalObservation',
    content: [text('README.md\nsrc')],
    is_error: false,
    command: COMMAND,
    exit_code: 0,
    timeout: false,
    metadata: {
      exit_code: 0,
      pid: -1,
      username: 'openhands',
      hostname: 'sandbox',
      working_dir: '/workspace/project',
      py_interpreter_path: null,
      prefix: '',
      suffix: ''
    },
    full_output_save_dir: null
  })

/** The agent's last words for each final state the simulator can be told to reach. */
export const FINAL_WORDS = {
  finished: 'I have finished the task.',
  awaiting_user_input: 'Which branch should I work on?',
  error: 'RuntimeError: the agent stopped on an error',
  rejected: 'I cannot help with this task.',
  stuck: 'AgentStuckInLoopError: Agent got stuck in a loop',
  waiting_for_confirmation: 'rm -rf build'
}

/**
 * The events that end a turn, and the execution status it ends in. A text answer
 * (awaiting_user_input) ends the turn as finished, as the SDK does.
 * @param {number} at
 * @param {import('../conversations.js').AgentFinalState} final
 * @param {'message' | 'finish'} finishesWith
 * @returns {{ status: EndStatus, events: StoredEvent[] }}
 */
export function endOfTurn(at, final, finishesWith) {
  /** @param {EndStatus} status @param {StoredEvent[]} events */
  const ending = (status, events) => ({ status, events: [...events, stateUpdate(at, status)] })
  switch (final) {
    case 'finished':
    case 'awaiting_user_input': {
      const words = FINAL_WORDS[final]
      if (finishesWith === 'message') return ending('finished', [agentMessage(at, words)])
      const finish = actionEvent(at, 'finish', { kind: 'FinishAction', message: words }, { thought: 'The work is done.', summary: 'reporting the result' })
      return ending('finished', [finish, observationEvent(at, finish, { kind: 'FinishObservation', content: [text(words)], is_error: false })])
    }
    case 'error':
      return ending('error', [event(at, 'environment', 'ConversationErrorEvent', { code: 'RuntimeError', detail: FINAL_WORDS.error })])
    case 'rejected':
      return ending('error', [
        event(at, 'agent', 'AgentErrorEvent', { tool_name: 'terminal', tool_call_id: `toolu_${hexId().slice(0, 24)}`, error: FINAL_WORDS.rejected })
      ])
    case 'stuck':
      return ending('stuck', [])
    case 'stopped':
      return ending('paused', [pauseEvent(at)])
    case 'waiting_for_confirmation':
      return ending('waiting_for_confirmation', [
        actionEvent(
          at,
          'terminal',
          { kind: 'TerminalAction', command: FINAL_WORDS.waiting_for_confirmation, is_input: false, timeout: null, reset: false },
          { thought: 'The build directory is stale; I will remove it.', summary: 'removing the build directory', risk: 'HIGH' }
        )
      ])
  }
}

/** @param {StoredEvent} stored the event as sent: without the simulator's own `at` */
export function published(stored) {
  return Object.fromEntries(Object.entries(stored).filter(([key]) => key !== 'at'))
}
