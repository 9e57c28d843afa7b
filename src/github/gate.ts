// Who may spend the account's OpenHands credits: on events caused by a person,
// only someone who can already write to the repository, asked of GitHub's
// collaborator-permission API (author_association says too little). Bots only
// when listed by name.
import type { TriggerEvent } from './event.js'

export interface Decision {
  allowed: boolean
  /** One sentence for the log, naming who and why. */
  reason: string
}

const WRITE_ROLES: ReadonlySet<string> = new Set(['admin', 'maintain', 'write'])

export async function decide(
  event: TriggerEvent,
  allowedBots: readonly string[],
  repository: string,
  roleOf: (login: string) => Promise<string>
): Promise<Decision> {
  const actor = event.actor
  if (actor === undefined) {
    return { allowed: false, reason: `The ${event.name} event names no person whose permission could be checked.` }
  }
  if (actor.isBot) {
    return allowedBots.some((bot) => sameBot(bot, actor.login))
      ? { allowed: true, reason: `@${actor.login} is listed in allowed-bots.` }
      : { allowed: false, reason: `@${actor.login} is a bot, and bots may start OpenHands only when listed in allowed-bots.` }
  }
  const role = await roleOf(actor.login)
  return WRITE_ROLES.has(role)
    ? { allowed: true, reason: `@${actor.login} has ${role} permission on ${repository}.` }
    : { allowed: false, reason: `@${actor.login} has ${role} permission on ${repository}; admin, maintain or write is needed.` }
}

// `dependabot` and `dependabot[bot]` name the same bot; logins are case-insensitive.
function sameBot(listed: string, login: string): boolean {
  const bare = (name: string): string => name.toLowerCase().replace(/\[bot\]$/, '')
  return bare(listed) === bare(login)
}
