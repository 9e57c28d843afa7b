import { describe, expect, it } from '@jest/globals'
import type { BackoffPolicy } from '../src/backoff.js'
import { NetworkError, ProtocolError, RateLimitError, ServerError, UnreachableError } from '../src/openhands/errors.js'
import type { StartedConversation } from '../src/openhands/responses.js'
import { startConversation, taskPollDelay } from '../src/start.js'
import { StepTimeoutError } from '../src/step-timeout.js'
import { FakeClock } from './helpers/fake-clock.js'

const policy: BackoffPolicy = { baseMs: 1000, maxMs: 8000, random: () => 0.5 }
const request = { message: 'Fix it', repository: 'octo/hello' }

/** A client whose answers are scripted: each entry is returned or thrown in turn. */
function scripted(answers: Array<StartedConversation | Error>) {
  const calls: number[] = []
  return {
    calls,
    post: async (_request: unknown, timeoutMs: number): Promise<{ conversation: StartedConversation }> => {
      calls.push(timeoutMs)
      const next = answers.shift()
      if (next === undefined) throw new Error('unexpected extra POST')
      if (next instanceof Error) throw next
      return { conversation: next }
    },
    readTask: async (): Promise<never> => {
      throw new Error('V0 has no start tasks')
    }
  }
}

function context(clock: FakeClock, timeoutMs = 600_000) {
  const said: string[] = []
  return { said, clock, deadline: clock.now() + timeoutMs, policy, info: (m: string) => said.push(m), debug: () => {} }
}

describe('startConversation', () => {
  it('starts once when the server accepts', async () => {
    const clock = new FakeClock()
    const client = scripted([{ id: 'abc', status: 'STARTING' }])
    expect(await startConversation(client, request, context(clock))).toEqual({ id: 'abc', status: 'STARTING' })
    expect(client.calls).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('waits as a 429 asks, says why, and tries again', async () => {
    const clock = new FakeClock()
    const ctx = context(clock)
    const limited = new RateLimitError('POST answered 429', 'Too many running conversations', 7000)
    const client = scripted([limited, { id: 'abc' }])
    expect((await startConversation(client, request, ctx)).id).toBe('abc')
    expect(client.calls).toHaveLength(2)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(7000)
    expect(clock.sleeps[0]).toBeLessThan(8000)
    expect(ctx.said[0]).toContain('Too many running conversations')
    // 7 s asked + 0.5 s of jitter
    expect(ctx.said[0]).toMatch(/trying again in 8s/)
  })

  it('backs off exponentially on 429s without Retry-After', async () => {
    const clock = new FakeClock()
    const limited = (): RateLimitError => new RateLimitError('429', undefined)
    const client = scripted([limited(), limited(), limited(), { id: 'abc' }])
    await startConversation(client, request, context(clock))
    // random 0.5 → three quarters of each doubling step
    expect(clock.sleeps).toEqual([750, 1500, 3000])
  })

  it('retries a refused connection, which provably sent nothing', async () => {
    const clock = new FakeClock()
    const client = scripted([new NetworkError('ECONNREFUSED', false), { id: 'abc' }])
    expect((await startConversation(client, request, context(clock))).id).toBe('abc')
    expect(client.calls).toHaveLength(2)
  })

  const refused = (): NetworkError =>
    new NetworkError('POST /api/conversations failed: ECONNREFUSED', false, { host: '127.0.0.1', port: 9, code: 'ECONNREFUSED' })

  it('tries an address that refuses connections for about 30 s, then fails naming it, long before the timeout', async () => {
    const clock = new FakeClock()
    const client = scripted(Array.from({ length: 20 }, refused))
    const error = await startConversation(client, request, context(clock, 3_600_000)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnreachableError)
    // random 0.5 → three quarters of each step (1, 2, 4, then the 8 s cap): tries at 0, 0.75, 2.25, 5.25, 11.25,
    // 17.25, 23.25 and 29.25 s; a ninth at 35.25 s would pass the 30 s budget
    expect(client.calls).toHaveLength(8)
    expect(clock.now() - 1_000_000).toBe(29_250)
    expect((error as Error).message).toMatch(/^Could not connect to 127\.0\.0\.1:9 \(8 tries in 29s\); the last: .*ECONNREFUSED/)
  })

  it('counts the 30 s from the first refusal of a run: an answer from the server in between starts it again', async () => {
    const clock = new FakeClock()
    const run = (n: number): NetworkError[] => Array.from({ length: n }, refused)
    const client = scripted([...run(5), new RateLimitError('429', undefined), ...run(5), { id: 'abc' }])
    expect((await startConversation(client, request, context(clock))).id).toBe('abc')
    expect(client.calls).toHaveLength(12)
  })

  it("stops at the step's deadline when it comes first, keeping the refusal as the cause", async () => {
    const clock = new FakeClock()
    const client = scripted(Array.from({ length: 20 }, refused))
    const error = await startConversation(client, request, context(clock, 5000)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StepTimeoutError)
    expect((error as StepTimeoutError).lastError).toBeInstanceOf(NetworkError)
    expect(clock.now() - 1_000_000).toBeLessThan(5000)
  })

  it.each([
    ['a 5xx', new ServerError('POST answered 500', 500)],
    ['a dropped connection after sending', new NetworkError('socket hang up', true)],
    ['a 200 with a body that is not the API', new ProtocolError('not JSON')]
  ])('never repeats the POST after %s, which may have created a conversation', async (_, error) => {
    const clock = new FakeClock()
    const client = scripted([error, { id: 'second' }])
    await expect(startConversation(client, request, context(clock))).rejects.toBe(error)
    expect(client.calls).toHaveLength(1)
  })

  it('gives up with a time-out when the next try would come after the deadline', async () => {
    const clock = new FakeClock()
    const limited = (): RateLimitError => new RateLimitError('POST /api/conversations answered 429: limit', 'limit', 20_000)
    const client = scripted([limited(), limited(), limited(), limited()])
    const error = await startConversation(client, request, context(clock, 50_000)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StepTimeoutError)
    expect((error as Error).message).toContain('limit')
    // tries at 0 s, 20.5 s and 41 s; a fourth at 61.5 s would pass the 50 s deadline
    expect(client.calls).toHaveLength(3)
    expect(clock.now() - 1_000_000).toBeLessThanOrEqual(50_000)
  })

  it('gives each request no more time than the step has left', async () => {
    const clock = new FakeClock()
    const client = scripted([{ id: 'abc' }])
    await startConversation(client, request, context(clock, 5000))
    expect(client.calls).toEqual([5000])
  })
})

describe('following a V1 start task', () => {
  /** A V1 protocol whose start task is READY on the given look (1-based). */
  function taskReadyOn(look: number) {
    let looks = 0
    return {
      get looks() {
        return looks
      },
      post: async () => ({ task: { id: 'task1', status: 'WORKING' } }),
      readTask: async () =>
        ++looks >= look ? { id: 'task1', status: 'READY', conversationId: 'conv1', sandboxId: 'sbx1' } : { id: 'task1', status: 'PREPARING_REPOSITORY' }
    }
  }

  it('looks early, then backs off to every 5 s, as the vendor example polls', async () => {
    const clock = new FakeClock()
    const protocol = taskReadyOn(9)
    expect(await startConversation(protocol, request, context(clock))).toEqual({ id: 'conv1', sandboxId: 'sbx1' })
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000])
    expect(protocol.looks).toBe(9)
  })

  it('spends no more than 10 reads on a start task that takes 30 s', () => {
    let elapsed = 0
    let looks = 0
    while (elapsed < 30_000) elapsed += taskPollDelay(looks++)
    expect(looks).toBeLessThanOrEqual(10)
  })
})
