import { describe, expect, it } from '@jest/globals'
import type { BackoffPolicy } from '../src/backoff.js'
import { AuthError, NetworkError, NotFoundError, ProtocolError, RateLimitError, ServerError, UnreachableError } from '../src/openhands/errors.js'
import { endingV0 } from '../src/openhands/ending.js'
import type { Conversation } from '../src/openhands/responses.js'
import { StepTimeoutError } from '../src/step-timeout.js'
import { firstPollDelay, waitForFinalStatus } from '../src/wait.js'
import { FakeClock } from './helpers/fake-clock.js'

const policy: BackoffPolicy = { baseMs: 1000, maxMs: 8000, random: () => 0 }
const ID = 'abc'
// Readings as a V0 protocol gives them: the protocol marks the one that ends the wait.
const conversation = (status: string): Conversation => ({ id: ID, status, prNumbers: [], ending: endingV0({ status }) })

/** A client whose GET answers are scripted in order. */
function scripted(answers: Array<Conversation | Error>) {
  let calls = 0
  return {
    get calls() {
      return calls
    },
    read: async (id: string): Promise<Conversation> => {
      expect(id).toBe(ID)
      calls++
      const next = answers.shift()
      if (next === undefined) throw new Error('unexpected extra GET')
      if (next instanceof Error) throw next
      return next
    }
  }
}

function context(clock: FakeClock, { pollIntervalMs = 30_000, timeoutMs = 3_600_000 } = {}) {
  const seen: string[] = []
  const said: string[] = []
  const debugged: string[] = []
  return {
    seen,
    said,
    debugged,
    clock,
    deadline: clock.now() + timeoutMs,
    pollIntervalMs,
    policy,
    onConversation: (c: Conversation) => {
      seen.push(c.status)
    },
    info: (m: string) => {
      said.push(m)
    },
    debug: (m: string) => {
      debugged.push(m)
    }
  }
}

describe('waitForFinalStatus', () => {
  it('ends on the reading the protocol marks as the end, whatever its status says', async () => {
    const clock = new FakeClock()
    const ctx = context(clock)
    const paused: Conversation = { id: ID, status: 'STOPPED', prNumbers: [] }
    const done: Conversation = { id: ID, status: 'RUNNING', prNumbers: [], ending: { ok: true } }
    const client = scripted([paused, paused, done])
    expect(await waitForFinalStatus(client, ID, ctx)).toBe(done)
    expect(ctx.seen).toEqual(['STOPPED', 'STOPPED', 'RUNNING'])
  })

  it.each(['STOPPED', 'ARCHIVED', 'ERROR'])('polls every interval until %s, a final status', async (final) => {
    const clock = new FakeClock()
    const ctx = context(clock)
    const client = scripted([conversation('STARTING'), conversation('RUNNING'), conversation('RUNNING'), conversation(final)])
    expect((await waitForFinalStatus(client, ID, ctx)).status).toBe(final)
    expect(ctx.seen).toEqual(['STARTING', 'RUNNING', 'RUNNING', final])
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000, 30_000])
    expect(ctx.debugged).toHaveLength(4)
  })

  it('keeps waiting through an unknown status', async () => {
    const clock = new FakeClock()
    const client = scripted([conversation('HIBERNATING'), conversation('STOPPED')])
    expect((await waitForFinalStatus(client, ID, context(clock))).status).toBe('STOPPED')
  })

  it('rides out 5xx answers, dropped connections and time-outs, logging the streak once', async () => {
    const clock = new FakeClock()
    const ctx = context(clock)
    const client = scripted([
      new ServerError('GET answered 503', 503),
      new NetworkError('socket hang up', true),
      new NetworkError('GET got no answer within 30s', true),
      conversation('STOPPED')
    ])
    expect((await waitForFinalStatus(client, ID, ctx)).status).toBe('STOPPED')
    // The first wait is the poll interval, then backoff (random 0 → half of each step).
    expect(clock.sleeps).toEqual([30_000, 500, 1000, 2000])
    expect(ctx.said).toHaveLength(1)
    expect(ctx.said[0]).toContain('503')
  })

  it('gives up on a server that stops taking connections for 30 s, not after the whole timeout', async () => {
    const clock = new FakeClock()
    const refused = (): NetworkError => new NetworkError('GET failed: ECONNREFUSED', false, { host: 'openhands.example', port: 443, code: 'ECONNREFUSED' })
    const client = scripted([conversation('RUNNING'), ...Array.from({ length: 20 }, refused)])
    const error = await waitForFinalStatus(client, ID, context(clock)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnreachableError)
    expect((error as Error).message).toContain('openhands.example:443')
    // the first poll, the reading, then 30 s of refusals at most
    expect(clock.now() - 1_000_000).toBeLessThanOrEqual(60_000 + 30_000)
  })

  it('rides out refusals shorter than 30 s', async () => {
    const clock = new FakeClock()
    const refused = (): NetworkError => new NetworkError('GET failed: ECONNREFUSED', false, { host: 'h', port: 80, code: 'ECONNREFUSED' })
    const client = scripted([...Array.from({ length: 5 }, refused), conversation('STOPPED')])
    expect((await waitForFinalStatus(client, ID, context(clock))).status).toBe('STOPPED')
  })

  it('never polls faster than the server allows after a 429', async () => {
    const clock = new FakeClock()
    const client = scripted([new RateLimitError('429', 'slow down', 90_000), conversation('STOPPED')])
    await waitForFinalStatus(client, ID, context(clock))
    expect(clock.sleeps).toEqual([30_000, 90_000])
  })

  it('waits at least the poll interval after a 429 that names no time', async () => {
    const clock = new FakeClock()
    const client = scripted([new RateLimitError('429', undefined), conversation('STOPPED')])
    await waitForFinalStatus(client, ID, context(clock, { pollIntervalMs: 5000 }))
    expect(clock.sleeps).toEqual([5000, 5000])
  })

  it('retries a failure no later than the next poll would be', async () => {
    const clock = new FakeClock()
    const errors = Array.from({ length: 6 }, () => new ServerError('500', 500))
    const client = scripted([...errors, conversation('STOPPED')])
    await waitForFinalStatus(client, ID, context(clock, { pollIntervalMs: 3000 }))
    expect(Math.max(...clock.sleeps)).toBe(3000)
  })

  it.each([
    ['an unknown conversation', new NotFoundError('no conversation abc')],
    ['a refused key', new AuthError('401', 401)]
  ])('stops at once on %s', async (_, error) => {
    const clock = new FakeClock()
    const client = scripted([error])
    await expect(waitForFinalStatus(client, ID, context(clock))).rejects.toBe(error)
    expect(client.calls).toBe(1)
  })

  it('forgives a garbled body or two but not three in a row', async () => {
    const clock = new FakeClock()
    const garbled = (): ProtocolError => new ProtocolError('not JSON')
    const survives = scripted([garbled(), garbled(), conversation('RUNNING'), garbled(), conversation('STOPPED')])
    expect((await waitForFinalStatus(survives, ID, context(clock))).status).toBe('STOPPED')
    const third = garbled()
    const fails = scripted([garbled(), garbled(), third])
    await expect(waitForFinalStatus(fails, ID, context(new FakeClock()))).rejects.toBe(third)
  })

  it('times out at the deadline, never past it, having reported every status seen', async () => {
    const clock = new FakeClock()
    const ctx = context(clock, { pollIntervalMs: 30_000, timeoutMs: 100_000 })
    const client = scripted([conversation('RUNNING'), conversation('RUNNING'), conversation('RUNNING')])
    await expect(waitForFinalStatus(client, ID, ctx)).rejects.toBeInstanceOf(StepTimeoutError)
    expect(clock.now() - 1_000_000).toBe(100_000)
    expect(client.calls).toBe(3)
    expect(ctx.seen).toEqual(['RUNNING', 'RUNNING', 'RUNNING'])
  })
})

describe('the account request budget', () => {
  it('stretches the next poll when the server says the budget is nearly spent', async () => {
    const clock = new FakeClock()
    let remaining = 100
    const client = scripted([conversation('RUNNING'), conversation('RUNNING'), conversation('STOPPED')])
    const read = client.read
    const spending = {
      read: async (id: string) => {
        remaining = remaining === 100 ? 10 : 2
        return read(id)
      }
    }
    await waitForFinalStatus(spending, ID, { ...context(clock), rateBudget: () => ({ limit: 100, remaining, resetMs: 45_000 }) })
    // 10 % left → twice the interval; 2 % left → until the window resets.
    expect(clock.sleeps).toEqual([30_000, 60_000, 45_000])
  })
})

describe('after a 429 while waiting', () => {
  it('moves the next poll by up to half an interval, so jobs polling together drift apart', async () => {
    const clock = new FakeClock()
    const ctx = { ...context(clock, { pollIntervalMs: 10_000 }), policy: { ...policy, random: () => 0.5 } }
    const client = scripted([new RateLimitError('answered 429', 'Rate limit exceeded: 10 per 1 second'), conversation('STOPPED')])
    await waitForFinalStatus(client, ID, ctx)
    // The first poll after the interval and its phase (random 0.5: a quarter); after the 429, the interval plus half of half of it.
    expect(clock.sleeps).toEqual([12_500, 12_500])
  })
})

describe('after a 429 that says when the window ends', () => {
  it("polls again then, spread over up to 5 s, not a whole interval later: Cloud's per-second refusals cost nothing of the minute", async () => {
    const clock = new FakeClock()
    const ctx = { ...context(clock, { pollIntervalMs: 30_000 }), policy: { ...policy, random: () => 0.5 } }
    const client = scripted([new RateLimitError('answered 429', 'Rate limit exceeded: 10 per 1 second', 1000), conversation('STOPPED')])
    await waitForFinalStatus(client, ID, ctx)
    expect(clock.sleeps).toEqual([37_500, 1000 + 2500])
  })

  it('spreads over at most half the interval when the interval is short', async () => {
    const clock = new FakeClock()
    const ctx = { ...context(clock, { pollIntervalMs: 4000 }), policy: { ...policy, random: () => 0.5 } }
    const client = scripted([new RateLimitError('answered 429', 'Rate limit exceeded: 100 per 1 minute', 20_000), conversation('STOPPED')])
    await waitForFinalStatus(client, ID, ctx)
    expect(clock.sleeps).toEqual([5000, 20_000 + 1000])
  })
})

describe('the first poll', () => {
  it('comes after the interval plus up to half of it, at random, so jobs started together each keep a phase of their own', () => {
    expect(firstPollDelay(30_000, 3_600_000, () => 0)).toBe(30_000)
    expect(firstPollDelay(30_000, 3_600_000, () => 0.5)).toBe(37_500)
    expect(firstPollDelay(30_000, 3_600_000, () => 0.999)).toBe(44_985)
    // Thirty jobs: their first polls spread over half the interval, fifteen seconds, not into one.
    const phases = Array.from({ length: 30 }, (_, job) => firstPollDelay(30_000, 3_600_000, () => job / 30))
    expect(new Set(phases.map((ms) => Math.floor(ms / 1000))).size).toBe(15)
  })

  it('is never pushed past what is left of the step, so a short timeout still gets its poll', () => {
    expect(firstPollDelay(30_000, 40_000, () => 0.999)).toBe(39_999)
    expect(firstPollDelay(30_000, 25_000, () => 0.999)).toBe(30_000)
  })

  it('waits the phase in the loop too', async () => {
    const clock = new FakeClock()
    const client = scripted([conversation('STOPPED')])
    await waitForFinalStatus(client, ID, { ...context(clock, { pollIntervalMs: 20_000 }), policy: { ...policy, random: () => 0.25 } })
    expect(clock.sleeps).toEqual([22_500])
  })
})
