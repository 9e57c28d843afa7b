import { describe, it, expect } from '@jest/globals'
import { backoffDelay, pollDelay, RereadFailures, type BackoffPolicy } from '../src/backoff.js'
import { NetworkError, NotFoundError, ProtocolError, RateLimitError, ServerError } from '../src/openhands/errors.js'

const policy = (random: number, baseMs = 1000, maxMs = 30_000): BackoffPolicy => ({ baseMs, maxMs, random: () => random })

const ALMOST_ONE = 0.999999

describe('backoffDelay without a Retry-After', () => {
  it.each([
    [0, 1_000],
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [4, 16_000]
  ])('after %i failures the step is %i ms: half fixed, half random', (failures, step) => {
    expect(backoffDelay(failures, undefined, policy(0))).toBe(step / 2)
    expect(backoffDelay(failures, undefined, policy(0.5))).toBe((3 * step) / 4)
    expect(backoffDelay(failures, undefined, policy(ALMOST_ONE))).toBe(step)
  })

  it('grows with each failure until the cap', () => {
    const delays = [0, 1, 2, 3, 4].map((failures) => backoffDelay(failures, undefined, policy(0.3)))
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1])
  })

  it('doubles per failure from baseMs', () => {
    expect(backoffDelay(0, undefined, policy(0, 200))).toBe(100)
    expect(backoffDelay(3, undefined, policy(0, 200))).toBe(800)
  })

  it.each([5, 6, 10, 30, 31, 100, 10_000])('is capped at maxMs after %i failures', (failures) => {
    expect(backoffDelay(failures, undefined, policy(ALMOST_ONE))).toBe(30_000)
    expect(backoffDelay(failures, undefined, policy(0))).toBe(15_000)
  })

  it('honours a smaller maxMs', () => {
    expect(backoffDelay(10, undefined, policy(ALMOST_ONE, 1000, 5_000))).toBe(5_000)
    expect(backoffDelay(10, undefined, policy(0, 1000, 5_000))).toBe(2_500)
  })

  const randoms = [0, 0.1, 0.25, 0.5, 0.75, 0.9, ALMOST_ONE]
  const cases = [0, 1, 2, 3, 4, 5, 8, 50].flatMap((failures) => randoms.map((random) => [failures, random] as const))
  it.each(cases)('after %i failures with random %d stays within [step/2, step]', (failures, random) => {
    const step = Math.min(30_000, 1000 * 2 ** failures)
    const delay = backoffDelay(failures, undefined, policy(random))
    expect(delay).toBeGreaterThanOrEqual(step / 2)
    expect(delay).toBeLessThanOrEqual(step)
  })

  it.each([
    ['no error', undefined],
    ['a ServerError', new ServerError('GET /api/conversations/x answered 502', 502)],
    ['a NetworkError', new NetworkError('GET /api/conversations/x failed: ECONNRESET', true)],
    ['a RateLimitError without Retry-After', new RateLimitError('POST /api/conversations answered 429', 'Too many', undefined)]
  ])('uses exponential backoff for %s', (_what, error) => {
    expect(backoffDelay(2, error, policy(0))).toBe(2_000)
    expect(backoffDelay(2, error, policy(ALMOST_ONE))).toBe(4_000)
  })

  it('varies with random', () => {
    for (const failures of [0, 3, 20]) {
      expect(backoffDelay(failures, undefined, policy(0))).not.toBe(backoffDelay(failures, undefined, policy(0.999)))
    }
  })
})

describe('backoffDelay with a Retry-After', () => {
  const rateLimited = (retryAfterMs: number) =>
    new RateLimitError('POST /api/conversations answered 429: Rate limit exceeded', 'Rate limit exceeded', retryAfterMs)

  it.each([0, 1_500, 5_000, 120_000])('waits %i ms plus up to a second of jitter', (retryAfterMs) => {
    for (const random of [0, 0.25, 0.5, ALMOST_ONE]) {
      const delay = backoffDelay(0, rateLimited(retryAfterMs), policy(random))
      expect(delay).toBeGreaterThanOrEqual(retryAfterMs)
      expect(delay).toBeLessThan(retryAfterMs + 1000)
    }
    expect(backoffDelay(0, rateLimited(retryAfterMs), policy(0))).toBe(retryAfterMs)
    expect(backoffDelay(0, rateLimited(retryAfterMs), policy(0.5))).toBe(retryAfterMs + 500)
  })

  it('ignores the number of failures', () => {
    expect(backoffDelay(0, rateLimited(7_000), policy(0.25))).toBe(7_250)
    expect(backoffDelay(6, rateLimited(7_000), policy(0.25))).toBe(7_250)
  })

  it('varies its jitter with random', () => {
    const low = backoffDelay(0, rateLimited(5_000), policy(0))
    const high = backoffDelay(0, rateLimited(5_000), policy(0.999))
    expect(low).not.toBe(high)
    expect(high - low).toBeGreaterThan(900)
  })
})

describe('pollDelay', () => {
  const budget = (remaining: number, limit = 100, resetMs = 40_000) => ({ limit, remaining, resetMs })

  it.each([
    [undefined, 30_000],
    [budget(100), 30_000],
    [budget(20), 30_000],
    [budget(19), 60_000],
    [budget(5), 60_000],
    [budget(4), 40_000],
    [budget(0), 40_000],
    [budget(0, 100, 1_000), 30_000],
    [budget(2, 100, 30_000), 30_000],
    [budget(2, 100, 30_001), 30_001],
    [budget(0, 0), 30_000]
  ])('with %j left, polls again after %i ms', (left, expected) => {
    expect(pollDelay(30_000, left)).toBe(expected)
  })
})

describe('RereadFailures', () => {
  it('tries again after passing failures and up to two garbled answers in a row, never after others', () => {
    const rereads = new RereadFailures()
    expect(rereads.tryAgain(new ServerError('503', 503))).toBe(true)
    expect(rereads.tryAgain(new ProtocolError('not JSON'))).toBe(true)
    expect(rereads.tryAgain(new ProtocolError('not JSON'))).toBe(true)
    expect(rereads.tryAgain(new ProtocolError('not JSON'))).toBe(false)
    rereads.succeeded()
    expect(rereads.tryAgain(new ProtocolError('not JSON'))).toBe(true)
    expect(rereads.tryAgain(new NetworkError('reset', true))).toBe(true)
    expect(rereads.tryAgain(new ProtocolError('not JSON'))).toBe(true)
    expect(rereads.tryAgain(new NotFoundError('gone'))).toBe(false)
    expect(rereads.tryAgain(new TypeError('bug'))).toBe(false)
  })
})

describe('backoffDelay with a jitter share', () => {
  it('keeps the fixed part of the step and randomises only the share given', () => {
    const quarter: BackoffPolicy = { baseMs: 1000, maxMs: 2000, random: () => 0, jitter: 0.25 }
    expect(backoffDelay(5, undefined, quarter)).toBe(1500)
    expect(backoffDelay(5, undefined, { ...quarter, random: () => 0.999999 })).toBe(2000)
    expect(backoffDelay(0, undefined, quarter)).toBe(750)
  })
})
