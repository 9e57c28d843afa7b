// When a reading ends the wait, per API version, and whether it went well.
import { describe, expect, it } from '@jest/globals'
import { endingV0, endingV1 } from '../src/openhands/ending.js'

describe('endingV1', () => {
  it('is success on finished while the sandbox runs', () => {
    expect(endingV1({ status: 'RUNNING', runtimeStatus: 'RUNNING', agentState: 'finished' })).toEqual({ ok: true })
  })

  it.each(['error', 'stuck'])('is a failure on %s', (agentState) => {
    expect(endingV1({ status: 'RUNNING', runtimeStatus: 'RUNNING', agentState })).toEqual({ ok: false, reason: `The agent ended in state ${agentState}` })
  })

  it('is a failure on waiting_for_confirmation that says what the person must do', () => {
    const ending = endingV1({ status: 'RUNNING', runtimeStatus: 'RUNNING', agentState: 'waiting_for_confirmation' })
    expect(ending).toMatchObject({
      ok: false,
      reason: expect.stringContaining('waiting for a person to confirm'),
      advice: expect.stringContaining('confirmation mode')
    })
  })

  it.each(['ERROR', 'MISSING'])('is a failure when the sandbox is %s, whatever the agent was', (runtimeStatus) => {
    expect(endingV1({ status: 'X', runtimeStatus, agentState: 'finished' })?.ok).toBe(false)
  })

  it.each([
    ['PAUSED', undefined],
    ['PAUSED', 'running'],
    ['STARTING', undefined],
    ['RUNNING', 'idle'],
    ['RUNNING', 'running'],
    ['RUNNING', 'paused'],
    ['RUNNING', undefined],
    ['HIBERNATING', 'finished']
  ])('is not an end with the sandbox %s and the agent %s', (runtimeStatus, agentState) => {
    expect(endingV1({ status: 'STOPPED', runtimeStatus, agentState })).toBeUndefined()
  })
})

describe('endingV0', () => {
  it.each([
    [{ status: 'STOPPED' }, { ok: true }],
    [{ status: 'RUNNING', agentState: 'finished' }, { ok: true }],
    [{ status: 'RUNNING', agentState: 'awaiting_user_input' }, { ok: true }],
    [{ status: 'ERROR' }, { ok: false, reason: 'The conversation ended with status ERROR' }],
    [
      { status: 'RUNNING', agentState: 'rejected' },
      { ok: false, reason: 'The agent ended in state rejected' }
    ],
    [{ status: 'RUNNING', agentState: 'running' }, undefined]
  ])('reads %j as %j', (reading, ending) => {
    expect(endingV0(reading)).toEqual(ending)
  })
})
