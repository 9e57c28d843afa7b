import { requestOf } from './conversations.js'

/** @typedef {import('./conversations.js').Conversation} Conversation */
/** @typedef {import('./conversations.js').ConversationStore} ConversationStore */
/** @typedef {import('./conversations.js').Moment} Moment */
/** @typedef {import('./conversations.js').AgentState} AgentState */

/** The agent's last word on reaching each final state, after its state event. */
const REPLIES = {
  finished: 'I have finished the task.',
  awaiting_user_input: 'Which branch should I work on?',
  error: 'I ran into an error and cannot go on.',
  rejected: 'I cannot help with this task.',
  stopped: 'I have stopped.',
  stuck: 'I seem to be stuck in a loop.',
  waiting_for_confirmation: 'I need your confirmation to run: rm -rf build'
}

/**
 * V0 has no `stuck` agent state: a stuck agent is reported as an error there; and
 * it words waiting for confirmation its own way.
 * @param {AgentState} state
 */
const v0State = (state) => (state === 'stuck' ? 'error' : state === 'waiting_for_confirmation' ? 'awaiting_user_confirmation' : state)

/** @param {AgentState} state */
function reasonOf(state) {
  if (state === 'stuck') return 'AgentStuckInLoopError: Agent got stuck in a loop'
  if (state === 'error') return 'RuntimeError: the agent stopped on an error'
  return ''
}

/**
 * One V0 event, shaped as the real server serialises it.
 * @param {Moment} moment
 * @param {number} id its position in the conversation's timeline
 * @param {string} message the initial message
 * @returns {Record<string, unknown>}
 */
function eventOf(moment, id, message) {
  const head = { id, timestamp: new Date(moment.at).toISOString() }
  switch (moment.kind) {
    case 'message':
      return {
        ...head,
        source: 'user',
        message,
        action: 'message',
        args: { content: message, file_urls: [], image_urls: [], wait_for_response: false }
      }
    case 'state':
      return {
        ...head,
        source: 'environment',
        message: '',
        observation: 'agent_state_changed',
        content: '',
        extras: { agent_state: v0State(moment.state), reason: reasonOf(moment.state) }
      }
    case 'run':
      return { ...head, source: 'agent', message: 'Running command: ls', action: 'run', args: { command: 'ls', thought: '' } }
    case 'output':
      return {
        ...head,
        source: 'agent',
        message: 'Command `ls` executed with exit code 0.',
        cause: id - 1,
        observation: 'run',
        content: 'README.md\nsrc',
        extras: { command: 'ls', metadata: { exit_code: 0 } }
      }
    case 'reply': {
      const text = moment.state === 'loading' || moment.state === 'running' ? '' : REPLIES[moment.state]
      return {
        ...head,
        source: 'agent',
        message: text,
        action: 'message',
        args: { content: text, file_urls: [], image_urls: [], wait_for_response: moment.state === 'awaiting_user_input' }
      }
    }
  }
}

/**
 * `GET /api/conversations/{id}/events`: what has happened so far, oldest first
 * unless `reverse`, at most `limit` of those with an id of `startId` or more.
 * @param {ConversationStore} store
 * @param {Conversation} conversation
 * @param {{ startId: number, limit: number, reverse: boolean, statusOverride?: string }} query
 */
export function searchEvents(store, conversation, { startId, limit, reverse, statusOverride }) {
  const { message } = requestOf(conversation)
  let events = store.happened(conversation).map((moment, id) => eventOf(moment, id, message))
  if (statusOverride !== undefined) {
    // A fault can make the newest state event report a state the client has never seen.
    const newest = events.findLast((e) => e.observation === 'agent_state_changed')
    if (newest) events = events.map((e) => (e === newest ? { ...e, extras: { agent_state: statusOverride, reason: '' } } : e))
  }
  const selected = events.filter((e) => Number(e.id) >= startId)
  if (reverse) selected.reverse()
  return { events: selected.slice(0, limit), has_more: selected.length > limit }
}
