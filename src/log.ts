// The only module that writes through @actions/core: log lines, annotations,
// outputs, the job summary, the failure and the secrets to mask. Every message is
// treated as outside text (it may quote a server or GitHub), so each goes through
// outside-text.ts's path for its sink: the runner masks registered secrets in its
// own log, but not in outputs, summaries, or runs outside GitHub (the demo, tests).
import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'
import { type Secrets, type SummaryText, forLog, forOutput, secrets } from './outside-text.js'

export interface Log {
  info(message: string): void
  debug(message: string): void
  warning(message: string): void
  notice(message: string): void
  /** Prints text that anyone may have written, as inert text in a collapsed group. */
  untrusted(title: string, text: string): void
  /** Sets a step output: redacted, inert, at most 64 KiB. */
  output(name: string, value: string): void
  /** Fails the step with the message as its error annotation. */
  fail(message: string): void
  /** Writes the job summary; a write that fails only warns. */
  summary(text: SummaryText): Promise<void>
  /** Masks a value from now on, here and in the runner's log (a session key a server gave). */
  secret(value: string): void
}

export function createLog(initial: readonly string[], using: Secrets = secrets): Log {
  const secret = (value: string): void => {
    if (value === '') return
    using.add(value)
    core.setSecret(value)
  }
  // Registered before anything else can print them.
  for (const value of initial) secret(value)
  const log: Log = {
    info: (message) => core.info(forLog(message, using)),
    debug: (message) => core.debug(forLog(message, using)),
    warning: (message) => core.warning(forLog(message, using)),
    notice: (message) => core.notice(forLog(message, using)),
    untrusted(title, text) {
      // Lines of the text are made inert anyway; stop-commands turns the runner's
      // parsing off as well, until a random token the text cannot know.
      const token = randomUUID()
      core.startGroup(forLog(title, using))
      core.info(`::stop-commands::${token}`)
      core.info(forLog(text, using))
      core.info(`::${token}::`)
      core.endGroup()
    },
    output: (name, value) => core.setOutput(name, forOutput(value, using)),
    fail: (message) => core.setFailed(forLog(message, using)),
    async summary(text) {
      // Outside a runner (or on an old one) there is no summary file: not worth failing for.
      if (!process.env.GITHUB_STEP_SUMMARY) return
      try {
        await core.summary.addRaw(text).write()
      } catch (error) {
        // What a failed write left in core's buffer must not reach a later write.
        core.summary.emptyBuffer()
        log.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`)
      }
    },
    secret: (value) => {
      if (using.add(value)) core.setSecret(value)
    }
  }
  return log
}
