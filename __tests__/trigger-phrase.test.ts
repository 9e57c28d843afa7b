import { describe, it, expect } from '@jest/globals'
import { containsPhrase, removePhrase } from '../src/github/trigger-phrase.js'

const PHRASE = '@openhands'

describe('containsPhrase', () => {
  it.each([
    '@openhands fix',
    '@openhands',
    'hey @OpenHands, please',
    'HEY @OPENHANDS fix it',
    'thanks @openhands.',
    'thanks @openhands...',
    '(@openhands)',
    '[@openhands]',
    '"@openhands"',
    '@openhands: fix it',
    '@openhands!',
    '@openhands?',
    '@openhands\nmore',
    '@openhands\r\nmore',
    'first line\n@openhands',
    'tab\t@openhands\tthen',
    'one @openhands-bot and then @openhands'
  ])('%j mentions the phrase', (text) => {
    expect(containsPhrase(text, PHRASE)).toBe(true)
  })

  it.each([
    '@openhands-bot',
    'me@openhands',
    '@openhands.dev',
    'x@openhandsx',
    '@openhandsx',
    '@openhands_ai',
    '@openhands2',
    '@openhands/agent',
    'openhands',
    '@open hands',
    '',
    'ask @openhands-bot or @openhands.dev or me@openhands'
  ])('%j does not mention the phrase', (text) => {
    expect(containsPhrase(text, PHRASE)).toBe(false)
  })

  it('gives the same answer when asked twice (no regex state carried over)', () => {
    expect(containsPhrase('x @openhands', PHRASE)).toBe(true)
    expect(containsPhrase('x @openhands', PHRASE)).toBe(true)
    expect(containsPhrase('@openhands y', PHRASE)).toBe(true)
  })

  it.each([
    ['/oh+', '/ohh', false],
    ['/oh+', '/ohhh fix', false],
    ['/oh+', 'please /oh+ fix', true],
    ['.bot', 'abot', false],
    ['.bot', 'run .bot now', true],
    ['[ai]', 'a', false],
    ['[ai]', 'ask [ai] now', true],
    ['a|b', 'b', false],
    ['a|b', 'a|b', true],
    ['(x)', 'x', false],
    ['(x)', '(x) go', true],
    ['\\d', '5', false],
    ['\\d', 'say \\d now', true],
    ['$run', '$run now', true],
    ['^go', 'go', false],
    ['^go', '^go now', true],
    ['bot?', 'bo', false],
    ['bot*', 'bottt', false],
    ['{ai}', '{ai} go', true]
  ])('phrase %j is literal: in %j → %s', (phrase, text, expected) => {
    expect(containsPhrase(text, phrase)).toBe(expected)
  })
})

describe('removePhrase', () => {
  it.each([
    ['@openhands fix the tests', 'fix the tests'],
    ['please @openhands fix', 'please fix'],
    ['fix the tests @openhands', 'fix the tests'],
    // Spacing the user wrote is theirs to keep (code in comments has indentation).
    ['@OpenHands fix  and @openhands also', 'fix  and also'],
    ['@openhands @openhands @OPENHANDS go', 'go'],
    ['@openhands', ''],
    ['@openhands-bot stays, @openhands goes', '@openhands-bot stays, goes'],
    ['me@openhands and @openhands.dev stay', 'me@openhands and @openhands.dev stay'],
    ['@openhands\nfix it', 'fix it'],
    ['fix\n\nthen test @openhands', 'fix\n\nthen test'],
    ['no mention here', 'no mention here']
  ])('%j → %j', (text, expected) => {
    expect(removePhrase(text, PHRASE)).toBe(expected)
  })

  it('removes a phrase with metacharacters literally', () => {
    expect(removePhrase('/oh+ fix /ohh', '/oh+')).toBe('fix /ohh')
    expect(removePhrase('abot .bot go', '.bot')).toBe('abot go')
  })

  it('leaves no double spaces behind', () => {
    expect(removePhrase('a @openhands b @openhands c', PHRASE)).not.toMatch(/ {2}/)
  })
})
