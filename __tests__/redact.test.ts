import { describe, it, expect } from '@jest/globals'
import { redactor } from '../src/redact.js'

describe('redactor', () => {
  it.each([
    ['sk-secret', 'key=sk-secret', 'key=***'],
    ['sk-secret', 'sk-secret then sk-secret again, sk-secret', '*** then *** again, ***'],
    ['sk-secret', 'sk-secretsk-secret', '******'],
    ['sk-secret', 'Authorization: Bearer sk-secret\nretry with sk-secret', 'Authorization: Bearer ***\nretry with ***'],
    ['sk-secret', 'nothing to hide here', 'nothing to hide here'],
    ['sk-secret', 'sk-secre is only a prefix', 'sk-secre is only a prefix'],
    ['a.b*c', 'literal a.b*c but not aXbbbc', 'literal *** but not aXbbbc'],
    ['$&', 'x$&y', 'x***y']
  ])('with secret %j turns %j into %j', (secret, text, expected) => {
    expect(redactor(secret)(text)).toBe(expected)
  })

  it.each(['', 'some text', 'text with *** already'])('leaves %j alone when the secret is empty', (text) => {
    expect(redactor('')(text)).toBe(text)
  })

  it('leaves no occurrence of the secret behind', () => {
    const secret = 'oh_0123456789abcdef'
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}: ${secret}`).join('\n')
    const redacted = redactor(secret)(text)
    expect(redacted).not.toContain(secret)
    expect(redacted.split('***')).toHaveLength(51)
  })
})
