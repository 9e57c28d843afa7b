// A typed stand-in for src/runner.ts (the runner protocol), registered with
// jest.unstable_mockModule as actions/typescript-action does for @actions/core.
// Inputs come from `inputs`.
import { jest } from '@jest/globals'
import type * as runner from '../src/runner.js'

export const inputs: Record<string, string> = {}

export const getInput = jest.fn<typeof runner.getInput>((name, options) => {
  const value = inputs[name] ?? ''
  return options?.trimWhitespace === false ? value : value.trim()
})
export const setSecret = jest.fn<typeof runner.setSecret>()
export const setOutput = jest.fn<typeof runner.setOutput>()
export const setFailed = jest.fn<typeof runner.setFailed>()
export const info = jest.fn<typeof runner.info>()
export const debug = jest.fn<typeof runner.debug>()
export const warning = jest.fn<typeof runner.warning>()
export const notice = jest.fn<typeof runner.notice>()
export const startGroup = jest.fn<typeof runner.startGroup>()
export const endGroup = jest.fn<typeof runner.endGroup>()

/** The summary text written, one entry per append. */
export const summaries: string[] = []
export const appendSummary = jest.fn<typeof runner.appendSummary>((markdown) => {
  summaries.push(markdown)
})
