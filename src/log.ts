// Everything the action prints goes through here, with the secrets removed: the
// runner masks registered secrets in its own log, but not in outputs, summaries,
// or runs outside GitHub (the demo, tests).
import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'
import { redactor } from './redact.js'

export interface Log {
  info(message: string): void
  debug(message: string): void
  warning(message: string): void
  notice(message: string): void
  /** Prints text that anyone may have written, as inert text in a collapsed group. */
  untrusted(title: string, text: string): void
  redact(text: string): string
}

export function createLog(secrets: readonly string[]): Log {
  const redact = redactor(...secrets)
  return {
    info: (message) => core.info(redact(message)),
    debug: (message) => core.debug(redact(message)),
    warning: (message) => core.warning(redact(message)),
    notice: (message) => core.notice(redact(message)),
    untrusted(title, text) {
      // A line such as `::add-mask::…` in an issue body would otherwise be obeyed
      // by the runner as a workflow command; stop-commands turns them off.
      const token = randomUUID()
      core.startGroup(title)
      core.info(`::stop-commands::${token}`)
      core.info(redact(text))
      core.info(`::${token}::`)
      core.endGroup()
    },
    redact
  }
}
