import { describe, expect, it } from '@jest/globals'
import type { BackoffPolicy } from '../src/backoff.js'
import { cannotContinue, continueConversation } from '../src/follow-up.js'
import { NotFoundError, RateLimitError, RequestError, ServerError } from '../src/openhands/errors.js'
import type { FollowUp } from '../src/openhands/protocol.js'
import type { Conversation } from '../src/openhands/responses.js'
import { StepTimeoutError } from '../src/step-timeout.js'
import { FakeClock } from './helpers/fake-clock.js'

const ID = '7f3a9c2e51b84d0fa6e2c19b8d4f7a30'
const SANDBOX = 'sbx8Kq2LmN4pR7tV9wXyZ1'
const policy: BackoffPolicy = { baseMs: 1000, maxMs: 8000, random: () => 0.5 }
const request = { message: 'Also add a regression test', repository: 'octo/hello', stopOnCancel: true }

const reading = (runtimeStatus: string, more: Partial<Conversation> = {}): Conversation => ({
  id: ID,
  status: runtimeStatus,
  runtimeStatus,
  prNumbers: [],
  sandboxId: SANDBOX,
  repository: 'octo/hello',
  ...more
})

type Step = Conversation | undefined | Error

/** A server whose readings, resumes and sends are scripted, in order, and recorded. */
function server(readings: Step[], sends: Array<Error | 'ok'> = ['ok'], resumes: Array<Error | 'ok'> = []) {
  const calls: string[] = []
  const next = <T>(list: T[], what: string): T => {
    if (list.length === 0) throw new Error(`unexpected ${what}`)
    return list.shift() as T
  }
  const followUp: FollowUp = {
    lookUp: async (id) => {
      calls.push(`look ${id}`)
      const step = next(readings, 'reading')
      if (step instanceof Error) throw step
      return step
    },
    resume: async (sandboxId) => {
      calls.push(`resume ${sandboxId}`)
      const step = resumes.length === 0 ? 'ok' : next(resumes, 'resume')
      if (step instanceof Error) throw step
    },
    pause: async (sandboxId) => {
      calls.push(`pause ${sandboxId}`)
    },
    send: async (id, message) => {
      calls.push(`send ${id} ${message}`)
      const step = next(sends, 'send')
      if (step instanceof Error) throw step
    }
  }
  return { followUp, calls }
}

function context(clock: FakeClock, timeoutMs = 600_000) {
  const said: string[] = []
  return { said, clock, deadline: clock.now() + timeoutMs, policy, info: (m: string) => said.push(m), debug: () => {} }
}

const SEND = `send ${ID} ${request.message}`

describe('continueConversation', () => {
  it('sends the message to a running conversation, with one reading and one send', async () => {
    const clock = new FakeClock()
    const { followUp, calls } = server([reading('RUNNING', { agentState: 'finished' })])
    expect(await continueConversation(followUp, ID, request, context(clock))).toEqual({ continued: { id: ID, sandboxId: SANDBOX } })
    expect(calls).toEqual([`look ${ID}`, SEND])
    expect(clock.sleeps).toEqual([])
  })

  it('resumes a paused sandbox, reads it until it runs (looking early, then backing off), then sends', async () => {
    const clock = new FakeClock()
    const ctx = context(clock)
    const { followUp, calls } = server([reading('PAUSED'), reading('STARTING'), reading('STARTING'), reading('RUNNING', { agentState: 'finished' })])
    expect(await continueConversation(followUp, ID, request, ctx)).toEqual({ continued: { id: ID, sandboxId: SANDBOX } })
    expect(calls).toEqual([`look ${ID}`, `resume ${SANDBOX}`, `look ${ID}`, `look ${ID}`, `look ${ID}`, SEND])
    expect(clock.sleeps).toEqual([250, 500, 1000])
    expect(ctx.said).toEqual([expect.stringMatching(/^Its sandbox is paused: resuming it \(for at most 10m\)\.$/)])
  })

  it('resumes and sends again when the sandbox was paused between reading and sending (409)', async () => {
    const clock = new FakeClock()
    const paused = new RequestError('POST send-message answered 409: Sandbox is PAUSED', 409)
    const { followUp, calls } = server([reading('RUNNING'), reading('PAUSED'), reading('RUNNING')], [paused, 'ok'])
    expect(await continueConversation(followUp, ID, request, context(clock))).toEqual({ continued: { id: ID, sandboxId: SANDBOX } })
    expect(calls).toEqual([`look ${ID}`, SEND, `look ${ID}`, `resume ${SANDBOX}`, `look ${ID}`, SEND])
  })

  it('waits for a slot when the resume is refused at the concurrency limit, as a start does', async () => {
    const clock = new FakeClock()
    const ctx = context(clock)
    const atLimit = new RateLimitError('POST resume answered 429', 'CONCURRENCY_LIMIT_REACHED', undefined, { limit: 3, current: 3 })
    const { followUp, calls } = server([reading('PAUSED'), reading('RUNNING')], ['ok'], [atLimit, 'ok'])
    expect(await continueConversation(followUp, ID, request, ctx)).toEqual({ continued: { id: ID, sandboxId: SANDBOX } })
    expect(calls).toEqual([`look ${ID}`, `resume ${SANDBOX}`, `resume ${SANDBOX}`, `look ${ID}`, SEND])
    expect(ctx.said[1]).toMatch(/The account is at its limit of 3 \(3 running\) running sandboxes/)
  })

  it.each([
    ['the server knows it no more', undefined, /no longer exists/],
    ['its sandbox is archived', reading('MISSING'), /archived \(its sandbox is MISSING\)/],
    ['its sandbox is broken', reading('ERROR'), /sandbox is in ERROR/],
    ['it works on another repository', reading('RUNNING', { repository: 'octo/other' }), /works on octo\/other, not octo\/hello/],
    ['it has no repository', reading('RUNNING', { repository: undefined }), /works on no repository, not octo\/hello/]
  ])('starts fresh, sending nothing, when %s', async (_what, found, why) => {
    const { followUp, calls } = server([found])
    const result = await continueConversation(followUp, ID, request, context(new FakeClock()))
    expect(result).toEqual({ fresh: expect.stringMatching(why) })
    expect(calls).toEqual([`look ${ID}`])
  })

  it('takes the repository in any letter case, as GitHub does', () => {
    expect(cannotContinue(reading('RUNNING', { repository: 'Octo/Hello' }), 'octo/hello')).toBeUndefined()
    expect(cannotContinue(reading('RUNNING', { repository: undefined }), undefined)).toBeUndefined()
  })

  it.each([
    ['410 (archived meanwhile)', new RequestError('POST send-message answered 410', 410)],
    ['404 (deleted meanwhile)', new NotFoundError('POST send-message answered 404', 404)]
  ])('starts fresh when the send is answered %s', async (_what, gone) => {
    const { followUp } = server([reading('RUNNING')], [gone])
    expect(await continueConversation(followUp, ID, request, context(new FakeClock()))).toEqual({ fresh: expect.stringMatching(/is gone/) })
  })

  it('never sends twice after a 5xx from a running sandbox: the message may have arrived', async () => {
    const failed = new ServerError('POST send-message answered 502', 502)
    const { followUp, calls } = server([reading('RUNNING'), reading('RUNNING')], [failed, 'ok'])
    await expect(continueConversation(followUp, ID, request, context(new FakeClock()))).rejects.toBe(failed)
    expect(calls.filter((call) => call === SEND)).toHaveLength(1)
  })

  it('starts fresh after a 503 that a sandbox in ERROR explains', async () => {
    const broken = new ServerError('POST send-message answered 503: Sandbox is in ERROR', 503)
    const { followUp, calls } = server([reading('RUNNING'), reading('ERROR')], [broken])
    expect(await continueConversation(followUp, ID, request, context(new FakeClock()))).toEqual({ fresh: expect.stringMatching(/ERROR/) })
    expect(calls).toEqual([`look ${ID}`, SEND, `look ${ID}`])
  })

  it('reads again after a 5xx or a 429 on the reading, which changes nothing', async () => {
    const clock = new FakeClock()
    const { followUp, calls } = server([new ServerError('GET answered 502', 502), new RateLimitError('GET answered 429', undefined, 2000), reading('RUNNING')])
    expect(await continueConversation(followUp, ID, request, context(clock))).toEqual({ continued: { id: ID, sandboxId: SANDBOX } })
    expect(calls).toEqual([`look ${ID}`, `look ${ID}`, `look ${ID}`, SEND])
  })

  it('passes a refused key on as it is', async () => {
    const refused = new RequestError('GET answered 400', 400)
    const { followUp } = server([refused])
    await expect(continueConversation(followUp, ID, request, context(new FakeClock()))).rejects.toBe(refused)
  })

  it('gives up within the timeout when the sandbox never runs, naming what it waited for, and pauses what it resumed', async () => {
    const clock = new FakeClock()
    const readings: Step[] = [reading('PAUSED'), ...Array.from({ length: 50 }, () => reading('STARTING'))]
    const { followUp, calls } = server(readings)
    const ctx = context(clock, 20_000)
    const started = clock.now()
    const error = await continueConversation(followUp, ID, request, ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StepTimeoutError)
    expect((error as Error).message).toBe("Timed out while the earlier conversation's sandbox was resuming (sandbox STARTING).")
    expect(clock.now() - started).toBeLessThanOrEqual(20_000)
    // As it was before the step: a resumed sandbox left running would hold the account's slot.
    expect(calls.at(-1)).toBe(`pause ${SANDBOX}`)
    expect(calls.filter((call) => call.startsWith('pause'))).toHaveLength(1)
    expect(ctx.said.at(-1)).toBe("Paused the earlier conversation's sandbox again, as it was before this step resumed it.")
  })

  it('leaves the resumed sandbox alone with stop-on-cancel: false, and never pauses one it did not resume', async () => {
    const readings: Step[] = [reading('PAUSED'), ...Array.from({ length: 50 }, () => reading('STARTING'))]
    const kept = server(readings)
    await expect(continueConversation(kept.followUp, ID, { ...request, stopOnCancel: false }, context(new FakeClock(), 20_000))).rejects.toThrow(
      StepTimeoutError
    )
    expect(kept.calls.filter((call) => call.startsWith('pause'))).toEqual([])
    const running = server(Array.from({ length: 50 }, () => reading('STARTING')))
    await expect(continueConversation(running.followUp, ID, request, context(new FakeClock(), 20_000))).rejects.toThrow(StepTimeoutError)
    expect(running.calls.filter((call) => call.startsWith('pause'))).toEqual([])
  })
})
