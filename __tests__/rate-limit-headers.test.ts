import { describe, it, expect } from '@jest/globals'
import { rateBudgetOf, retryAfterMs } from '../src/openhands/rate-limit-headers.js'

const NOW = Date.parse('2025-06-01T12:00:00Z')

describe('retryAfterMs', () => {
  it.each([
    // Whole seconds are cut down by the server (int(reset - now)): the end of the second named.
    ['0', 1_000],
    ['1', 2_000],
    ['30', 31_000],
    ['120', 121_000],
    [' 7 ', 8_000],
    ['1.5', 1_500]
  ])('reads Retry-After: %j seconds as %i ms', (value, expected) => {
    expect(retryAfterMs(new Headers({ 'Retry-After': value }), NOW)).toBe(expected)
  })

  it.each([
    ['Sun, 01 Jun 2025 12:00:30 GMT', 30_000],
    ['Sun, 01 Jun 2025 12:02:00 GMT', 120_000],
    ['Sun, 01 Jun 2025 12:00:00 GMT', 0],
    ['Sun, 01 Jun 2025 11:59:00 GMT', 0]
  ])('reads Retry-After: %j relative to now as %i ms', (value, expected) => {
    expect(retryAfterMs(new Headers({ 'Retry-After': value }), NOW)).toBe(expected)
  })

  it('measures an HTTP date from the now it is given', () => {
    const headers = new Headers({ 'Retry-After': 'Sun, 01 Jun 2025 12:01:00 GMT' })
    expect(retryAfterMs(headers, NOW)).toBe(60_000)
    expect(retryAfterMs(headers, NOW + 45_000)).toBe(15_000)
  })

  it.each([
    ['0', 0],
    ['30', 30_000],
    ['60', 60_000],
    ['3600', 3_600_000]
  ])('reads X-RateLimit-Reset: %j as seconds from now: %i ms', (value, expected) => {
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': value }), NOW)).toBe(expected)
  })

  it.each([
    // int(reset_time): the window ends within the second after the one named.
    [String(NOW / 1000 + 45), 46_000],
    [String(NOW / 1000 + 1), 2_000],
    [String(NOW / 1000), 1_000],
    [String(NOW / 1000 - 10), 0],
    [String(NOW / 1000 + 2.5), 2_500]
  ])('reads X-RateLimit-Reset: %j as a Unix time: %i ms', (value, expected) => {
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': value }), NOW)).toBe(expected)
  })

  it('waits for the later of Retry-After and X-RateLimit-Reset, so the next try is not refused again', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': '5', 'X-RateLimit-Reset': '50' }), NOW)).toBe(50_000)
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': '3', 'Retry-After': '5' }), NOW)).toBe(6_000)
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Sun, 01 Jun 2025 12:00:10 GMT', 'X-RateLimit-Reset': String(NOW / 1000 + 90) }), NOW)).toBe(91_000)
  })

  it("reads OpenHands Cloud's 429 in its last second as a wait to the window's end, not as come back now", () => {
    // The per-second window opened 300 ms before NOW: it ends 700 ms after it.
    const cloud = new Headers({
      'Retry-After': '0',
      'X-RateLimit-Limit': '10 per 1 second',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.floor((NOW + 700) / 1000))
    })
    expect(retryAfterMs(cloud, NOW)).toBeGreaterThanOrEqual(700)
  })

  it('reads header names case-insensitively', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), NOW)).toBe(4_000)
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': '4' }), NOW)).toBe(4_000)
  })

  it('falls back to X-RateLimit-Reset when Retry-After cannot be read', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': 'soon', 'X-RateLimit-Reset': '20' }), NOW)).toBe(20_000)
  })

  it('is undefined when neither header is there', () => {
    expect(retryAfterMs(new Headers(), NOW)).toBeUndefined()
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' }), NOW)).toBeUndefined()
  })

  it.each(['', '   ', 'soon', 'tomorrow', 'abc', '12abc', '1e3', 'Infinity', '-5', '1,5', 'in 5 seconds'])('is undefined for Retry-After: %j', (value) => {
    expect(retryAfterMs(new Headers({ 'Retry-After': value }), NOW)).toBeUndefined()
  })

  it.each(['', 'soon', '-5', '12abc', '1e3', 'Sun, 01 Jun 2025 12:00:30 GMT'])('is undefined for X-RateLimit-Reset: %j', (value) => {
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': value }), NOW)).toBeUndefined()
  })
})

describe('rateBudgetOf', () => {
  it('reads limit, remaining and the time to the reset', () => {
    const headers = new Headers({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': '30' })
    expect(rateBudgetOf(headers, 0)).toEqual({ limit: 100, remaining: 7, resetMs: 30_000 })
  })

  it.each([
    [{ 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': '30' }],
    [{ 'X-RateLimit-Limit': '100', 'X-RateLimit-Reset': '30' }],
    [{ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '7' }],
    [{ 'X-RateLimit-Limit': 'many', 'X-RateLimit-Remaining': '7', 'X-RateLimit-Reset': '30' }]
  ])('is undefined when the answer does not say all of it: %j', (given) => {
    expect(rateBudgetOf(new Headers(given), 0)).toBeUndefined()
  })
})
