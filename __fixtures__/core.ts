// A typed stand-in for @actions/core, registered with jest.unstable_mockModule
// (the pattern of actions/typescript-action). Inputs come from `inputs`.
import { jest } from '@jest/globals'
import type * as core from '@actions/core'

export const inputs: Record<string, string> = {}

export const getInput = jest.fn<typeof core.getInput>((name, options) => {
  const value = inputs[name] ?? ''
  return options?.trimWhitespace === false ? value : value.trim()
})
export const setSecret = jest.fn<typeof core.setSecret>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const info = jest.fn<typeof core.info>()
export const debug = jest.fn<typeof core.debug>()
export const warning = jest.fn<typeof core.warning>()
export const notice = jest.fn<typeof core.notice>()
export const startGroup = jest.fn<typeof core.startGroup>()
export const endGroup = jest.fn<typeof core.endGroup>()

/** The summary text written, one entry per write(). */
export const summaries: string[] = []
let pending = ''
export const summary = {
  addRaw(text: string) {
    pending += text
    return summary
  },
  async write() {
    summaries.push(pending)
    pending = ''
    return summary
  }
}
