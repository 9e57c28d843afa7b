import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import nock from 'nock'
import * as core from '../__fixtures__/core.js'
import { FakeClock } from './helpers/fake-clock.js'

jest.unstable_mockModule('@actions/core', () => core)
const { run } = await import('../src/main.js')

const BASE = 'http://openhands.test'
const KEY = 'sk-main-test-4f9a2c7e'
const ID = '0123456789abcdef0123456789abcdef'
const policy = { baseMs: 1000, maxMs: 8000, random: () => 0 }

const outputs = (): Record<string, string> => Object.fromEntries(core.setOutput.mock.calls.map(([k, v]) => [k, String(v)]))
const logged = (): string => core.info.mock.calls.map(([m]) => m).join('\n')
const failedWith = (): string | undefined => core.setFailed.mock.calls[0]?.[0] as string | undefined
const conversation = (status: string, extra: Record<string, unknown> = {}) => ({ conversation_id: ID, title: 'Fix it', status, ...extra })

function given(inputs: Record<string, string>): void {
  for (const key of Object.keys(core.inputs)) delete core.inputs[key]
  Object.assign(core.inputs, { 'api-key': KEY, message: 'Fix the tests', repository: 'octo/hello', 'base-url': BASE }, inputs)
}

beforeAll(() => nock.disableNetConnect())
// nock patches Node's shared HTTP modules; un-patch them so the next test file
// in this worker starts with its own nock, not this file's.
afterAll(() => {
  nock.cleanAll()
  nock.enableNetConnect()
  nock.restore()
})
beforeEach(() => {
  core.summaries.length = 0
  process.env.GITHUB_STEP_SUMMARY = '/dev/null'
})
afterEach(() => {
  nock.cleanAll()
  delete process.env.GITHUB_STEP_SUMMARY
})

describe('run', () => {
  it('starts, waits through each status, and reports the final one', async () => {
    given({ wait: 'true', 'poll-interval': '10s' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, message: null, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('RUNNING'))
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('STOPPED'))
    await run({ clock: new FakeClock(), policy })

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs()).toEqual({ 'conversation-id': ID, 'conversation-url': `${BASE}/conversations/${ID}`, status: 'STOPPED', triggered: 'true', 'comment-url': '' })
    expect(nock.isDone()).toBe(true)
    // Each change is told once; the polls themselves go to debug.
    expect(logged().match(/Status: /g)).toHaveLength(3)
    expect(logged()).toContain(`Conversation started: ${BASE}/conversations/${ID}`)
    expect(logged()).toMatch(/ended with status STOPPED after 30s/)
    expect(core.summaries[0]).toContain(`(${BASE}/conversations/${ID})`)
    expect(core.summaries[0]).toContain('`octo/hello`')
    expect(core.summaries[0]).toContain('| Time | 30s |')
  })

  it('registers the key as a secret before anything else happens', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    await run({ clock: new FakeClock(), policy })
    expect(core.setSecret).toHaveBeenCalledWith(KEY)
    const secretAt = core.setSecret.mock.invocationCallOrder[0]
    const firstOther = Math.min(...[core.info, core.setOutput, core.debug].flatMap((f) => f.mock.invocationCallOrder))
    expect(secretAt).toBeLessThan(firstOther)
  })

  it('without waiting, reports the status from the start answer and makes no other request', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    await run({ clock: new FakeClock(), policy })
    expect(outputs().status).toBe('STARTING')
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('without waiting, reads the status once when the answer has none (the vendor page shape)', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: 'abc1234' })
    nock(BASE).get('/api/conversations/abc1234').reply(200, { conversation_id: 'abc1234', status: 'RUNNING' })
    await run({ clock: new FakeClock(), policy })
    expect(outputs()).toMatchObject({ 'conversation-id': 'abc1234', status: 'RUNNING' })
    expect(nock.isDone()).toBe(true)
  })

  it('fails on ERROR with the outputs still set', async () => {
    given({ wait: 'true' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, conversation('ERROR'))
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('ERROR')
    expect(outputs()).toMatchObject({ 'conversation-id': ID, status: 'ERROR' })
  })

  it('fails clearly on an unknown conversation (200 null), not with a TypeError', async () => {
    given({ wait: 'true' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(200, 'null', { 'Content-Type': 'application/json' })
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain(`no conversation ${ID}`)
    expect(failedWith()).not.toMatch(/TypeError|Cannot read/)
  })

  it('times out with the last status in the outputs', async () => {
    given({ wait: 'true', 'poll-interval': '20s', timeout: '50s' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).times(2).reply(200, conversation('RUNNING'))
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toMatch(/Timed out/)
    expect(failedWith()).toContain('RUNNING')
    expect(outputs().status).toBe('RUNNING')
  })

  it('fails before any request on bad inputs, naming each one', async () => {
    given({ message: '   ', 'poll-interval': 'soon', 'base-url': 'ftp://example.com' })
    await run({ clock: new FakeClock(), policy })
    const message = failedWith() ?? ''
    expect(message).toContain('message')
    expect(message).toContain('poll-interval')
    expect(message).toContain('base-url')
    expect(core.setOutput).not.toHaveBeenCalled()
  })

  it('shows the server words and a hint, and does not start twice after a 500', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(500, { detail: 'Internal Server Error' })
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('Internal Server Error')
    expect(failedWith()).toMatch(/may have started/)
    expect(outputs()['conversation-id']).toBe('')
  })

  it('hints at repository access on the real server 401', async () => {
    given({})
    nock(BASE).post('/api/conversations').reply(401, JSON.stringify('Unable to access repo octo/hello'))
    await run({ clock: new FakeClock(), policy })
    expect(failedWith()).toContain('"Unable to access repo octo/hello"')
    expect(failedWith()).toContain('octo/hello')
  })

  it('never lets the key out, even when the server echoes it', async () => {
    given({ wait: 'true' })
    nock(BASE).post('/api/conversations').reply(200, { status: 'ok', conversation_id: ID, conversation_status: 'STARTING' })
    nock(BASE).get(`/api/conversations/${ID}`).reply(503, `upstream refused Authorization: Bearer ${KEY}`)
    nock(BASE).get(`/api/conversations/${ID}`).reply(400, { message: `bad key ${KEY}` })
    await run({ clock: new FakeClock(), policy })
    const everything = JSON.stringify([
      core.info.mock.calls,
      core.debug.mock.calls,
      core.warning.mock.calls,
      core.setFailed.mock.calls,
      core.setOutput.mock.calls,
      core.summaries
    ])
    expect(everything).toContain('***')
    expect(everything).not.toContain(KEY)
  })
})
