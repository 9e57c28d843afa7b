// Whether this run may start a conversation at all: the trigger phrase on
// comment events, then the permission gate on events a person caused. Runs
// before anything is sent to OpenHands.
import { InputError, type Settings } from '../inputs.js'
import { type GitHubRun, type StepTime, connectGitHub, statusOf } from './api.js'
import { type TriggerEvent, describeEvent, needsGitHub } from './event.js'
import { decide } from './gate.js'
import { containsPhrase } from './trigger-phrase.js'

export interface Trigger {
  triggered: boolean
  /** Why the run is (not) going ahead, naming the person; undefined when nobody needed checking. */
  reason?: string
  event: TriggerEvent
  /** The GitHub connection, when the event needed one. */
  github?: GitHubRun
}

/** @param time the step's clock and deadline: GitHub's calls end with the step's `timeout`. */
export async function resolveTrigger(settings: Settings, eventName: string, connect = connectGitHub, time?: StepTime): Promise<Trigger> {
  if (!needsGitHub(eventName)) return { triggered: true, event: { name: eventName } }
  if (settings.githubToken === '') {
    throw new InputError([
      `Input github-token is empty, but on ${eventName} events it is needed to check who triggered the run (leave it unset to use the workflow's token).`
    ])
  }
  const github = await connect(settings.githubToken, time)
  const event = describeEvent(eventName, github.payload)
  const phrase = settings.triggerPhrase
  if (event.comment !== undefined && phrase !== '' && !containsPhrase(event.comment.body, phrase)) {
    const what = event.comment.kind === 'review' ? 'review' : 'comment'
    return { triggered: false, reason: `The ${what} by @${event.comment.author.login} does not mention ${phrase}.`, event, github }
  }
  try {
    const decision = await decide(event, settings.allowedBots, github.repository, github.api.roleOf)
    return { triggered: decision.allowed, reason: decision.reason, event, github }
  } catch (error) {
    const who = event.actor ? `@${event.actor.login}` : 'the triggering person'
    const reason = error instanceof Error ? error.message : String(error)
    // Fails closed: no answer (a time-out included) is never taken for a yes.
    const hint = statusOf(error) === 401 || statusOf(error) === 403 ? ' Check github-token.' : ''
    throw new Error(`Could not check ${who}'s permission on ${github.repository}, so OpenHands was not started: ${reason}.${hint}`)
  }
}
