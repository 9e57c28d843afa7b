// src/log.ts on top of a mocked @actions/core: what reaches core is redacted,
// and text from outside is made inert and fenced off with stop-commands.
import { describe, expect, it, jest } from '@jest/globals'
import * as core from '../__fixtures__/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const { createLog } = await import('../src/log.js')

const KEY = 'sk-log-test-7d2e9b'

describe('createLog', () => {
  it.each([
    ['info', core.info],
    ['debug', core.debug],
    ['warning', core.warning],
    ['notice', core.notice]
  ] as const)('%s hands core the line with every secret redacted', (name, sink) => {
    const log = createLog([KEY, ''])
    log[name](`bad key ${KEY}, again ${KEY}`)
    expect(sink).toHaveBeenCalledWith('bad key ***, again ***')
  })

  it('prints untrusted text, redacted, between stop-commands tokens in a group', () => {
    const log = createLog([KEY])
    log.untrusted('Message', `::add-mask::x\n##[error]forged ${KEY}`)
    expect(core.startGroup).toHaveBeenCalledWith('Message')
    const lines = core.info.mock.calls.map(([m]) => m)
    expect(lines).toHaveLength(3)
    const token = /^::stop-commands::([0-9a-f-]{36})$/.exec(lines[0])?.[1]
    expect(token).toBeDefined()
    // Inert twice over: the commands are also spelled with fullwidth characters the runner does not read as commands.
    expect(lines[1]).toBe('\uff1a:add-mask::x\n#\uff03[error]forged ***')
    expect(lines[2]).toBe(`::${token}::`)
    expect(core.endGroup).toHaveBeenCalledTimes(1)
    const order = [core.startGroup, core.info, core.endGroup].map((f) => f.mock.invocationCallOrder[0])
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  it('uses a fresh token each time, so the text cannot guess it to turn commands back on', () => {
    const log = createLog([])
    log.untrusted('a', 'x')
    log.untrusted('b', 'y')
    const tokens = core.info.mock.calls.map(([m]) => m).filter((m) => m.startsWith('::stop-commands::'))
    expect(new Set(tokens).size).toBe(2)
  })
})

describe('secrets met later', () => {
  it('masks a session key from the moment it is registered, and tells the runner once', () => {
    const log = createLog([KEY])
    log.secret('sess-9f8e7d6c5b4a')
    log.secret('sess-9f8e7d6c5b4a')
    log.info('agent server key sess-9f8e7d6c5b4a')
    expect(core.setSecret.mock.calls).toEqual([[KEY], ['sess-9f8e7d6c5b4a']])
    expect(core.info).toHaveBeenCalledWith('agent server key ***')
  })

  it('writes outputs and the failure through the same path', () => {
    const log = createLog([KEY])
    log.output('status', `RUNNING\n::set-output name=x::${KEY}`)
    log.fail(`bad ${encodeURIComponent(KEY)}\n::error::forged`)
    expect(core.setOutput).toHaveBeenCalledWith('status', 'RUNNING\n\uff1a:set-output name=x::***')
    expect(core.setFailed).toHaveBeenCalledWith('bad ***\n\uff1a:error::forged')
  })
})
