import { describe, it, expect } from '@jest/globals'
import { formatDuration, parseDuration } from '../src/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['0', 0],
    ['1', 1_000],
    ['42s', 42_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1.5m', 90_000],
    ['0.5h', 1_800_000],
    ['2.5', 2_500],
    ['  30s  ', 30_000],
    ['\t10\n', 10_000],
    [' 45 ', 45_000]
  ])('parses %j as %i ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected)
  })

  it.each(['soon', '-5m', '-5', '5d', '', '   ', '1e3', 'm', 's', '5 minutes', '1.5.2m', 'Infinity', 'NaN', '0x10', '5m30s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [1_000, '1s'],
    [42_000, '42s'],
    [60_000, '1m'],
    [180_000, '3m'],
    [192_000, '3m 12s'],
    [3_600_000, '1h'],
    [3_900_000, '1h 5m'],
    [7_140_000, '1h 59m'],
    [7_200_000, '2h']
  ])('formats %i ms as %j', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })
})
