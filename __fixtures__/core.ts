// A typed stand-in for @actions/core, registered with jest.unstable_mockModule
// before the module under test is imported, as actions/typescript-action does.
// Inputs come from `inputs`; each job summary written lands in `summaries`.
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

type Summary = typeof core.summary

/** The markdown of each summary written, one entry per write(). */
export const summaries: string[] = []
let buffer = ''
const self = (): Summary => summary as unknown as Summary

/** core.summary's builder, as far as the action uses it: addRaw, write, emptyBuffer. */
export const summary = {
  addRaw: jest.fn<Summary['addRaw']>((text) => {
    buffer += text
    return self()
  }),
  write: jest.fn<Summary['write']>(async () => {
    summaries.push(buffer)
    buffer = ''
    return self()
  }),
  emptyBuffer: jest.fn<Summary['emptyBuffer']>(() => {
    buffer = ''
    return self()
  })
}
