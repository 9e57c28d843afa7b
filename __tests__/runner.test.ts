import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputs } from '../scripts/action-runner.js'
import * as runner from '../src/runner.js'

let printed: string[] = []
let work: string
const saved = { ...process.env }

beforeEach(() => {
  printed = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk))
    return true
  })
  work = mkdtempSync(join(tmpdir(), 'runner-test-'))
})
afterEach(() => {
  jest.restoreAllMocks()
  rmSync(work, { recursive: true, force: true })
  process.env = { ...saved }
  process.exitCode = undefined
})

describe('getInput', () => {
  it('reads INPUT_<NAME> as the runner names it: upper case, spaces as underscores, hyphens kept', () => {
    process.env['INPUT_API-KEY'] = '  k  '
    process.env.INPUT_MY_INPUT = 'x'
    expect(runner.getInput('api-key')).toBe('k')
    expect(runner.getInput('my input')).toBe('x')
    expect(runner.getInput('missing')).toBe('')
  })

  it('keeps surrounding whitespace and line breaks when asked', () => {
    process.env.INPUT_MESSAGE = '  line one\n  line two\n'
    expect(runner.getInput('message', { trimWhitespace: false })).toBe('  line one\n  line two\n')
  })
})

describe('workflow commands', () => {
  it.each([
    ['debug', () => runner.debug('a'), '::debug::a\n'],
    ['notice', () => runner.notice('b'), '::notice::b\n'],
    ['warning', () => runner.warning('c'), '::warning::c\n'],
    ['group', () => runner.startGroup('Message'), '::group::Message\n'],
    ['endgroup', () => runner.endGroup(), '::endgroup::\n'],
    ['add-mask', () => runner.setSecret('s3cret'), '::add-mask::s3cret\n'],
    ['info', () => runner.info('plain ::text::'), 'plain ::text::\n']
  ])('%s', (_, call, expected) => {
    call()
    expect(printed.join('')).toBe(expected)
  })

  it('escapes a message so it stays one command: %, CR and LF', () => {
    runner.warning('100% done\r\n::error::forged')
    expect(printed.join('')).toBe('::warning::100%25 done%0D%0A::error::forged\n')
  })

  it('escapes properties further: : and ,', () => {
    expect(runner.formatCommand('set-output', 'v', { name: 'a:b,c' })).toBe('::set-output name=a%3Ab%2Cc::v')
  })

  it('setFailed prints an error and makes the exit code 1', () => {
    runner.setFailed('broken\nbadly')
    expect(printed.join('')).toBe('::error::broken%0Abadly\n')
    expect(process.exitCode).toBe(1)
  })
})

describe('outputs and summary files', () => {
  it('appends each output to GITHUB_OUTPUT in a block the runner reads back exactly', () => {
    const file = join(work, 'output')
    writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    runner.setOutput('status', 'STOPPED')
    runner.setOutput('pr-urls', 'https://x/pull/1\nhttps://x/pull/2')
    runner.setOutput('empty', '')
    expect(parseOutputs(readFileSync(file, 'utf8'))).toEqual({ status: 'STOPPED', 'pr-urls': 'https://x/pull/1\nhttps://x/pull/2', empty: '' })
    expect(printed).toEqual([])
  })

  it('falls back to the set-output command without GITHUB_OUTPUT', () => {
    delete process.env.GITHUB_OUTPUT
    runner.setOutput('status', 'RUNNING')
    expect(printed.join('')).toBe('::set-output name=status::RUNNING\n')
  })

  it('uses a fresh delimiter each time, so a value cannot close its own block', () => {
    const a = runner.keyValueBlock('x', 'v')
    const b = runner.keyValueBlock('x', 'v')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^x<<ghadelimiter_[0-9a-f-]{36}\nv\nghadelimiter_[0-9a-f-]{36}\n$/)
  })

  it('appends to GITHUB_STEP_SUMMARY, and says so when the runner gives none', () => {
    const file = join(work, 'summary')
    writeFileSync(file, 'before\n')
    process.env.GITHUB_STEP_SUMMARY = file
    runner.appendSummary('### Hello\n')
    expect(readFileSync(file, 'utf8')).toBe('before\n### Hello\n')
    delete process.env.GITHUB_STEP_SUMMARY
    expect(() => runner.appendSummary('x')).toThrow(/GITHUB_STEP_SUMMARY/)
  })
})
