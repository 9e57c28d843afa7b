// src/outside-text.ts: every sink's path (redact every form → escape → cut), by
// example and as fast-check properties over any secret and any server text.
import { describe, expect, it } from '@jest/globals'
import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import {
  COMMENT_MAX_CHARS,
  OUTPUT_MAX_BYTES,
  SUMMARY_MAX_BYTES,
  Secrets,
  cutOutside,
  forComment,
  forLog,
  forOutput,
  forSummary,
  md,
  markdownTable,
  secretForms,
  trusted
} from '../src/outside-text.js'
import { sessionKeysIn } from '../src/openhands/responses.js'
import { runnerCommands } from './helpers/runner-commands.js'

const RUNS = { numRuns: 150 }

const secretsOf = (...values: string[]): Secrets => {
  const secrets = new Secrets()
  for (const value of values) secrets.add(value)
  return secrets
}

/** The forms a reader could turn back into the secret, computed independently of the module. */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret)
  const shifted = [0, 1, 2].flatMap((shift) => {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes, Buffer.alloc(3)])
    const middle = (text: string): string => text.slice(4, 4 + Math.floor((bytes.length - 3) / 3) * 4)
    return [middle(b64.toString('base64')), middle(b64.toString('base64url'))]
  })
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    new URLSearchParams({ k: secret }).toString().slice(2),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\|[\]*_`])/g, '\\$1'),
    ...shifted
  ].filter((form) => form.length >= 6 || form === secret)
}

const expectNone = (text: string, secret: string): void => {
  for (const form of formsOf(secret)) expect(text).not.toContain(form)
}

// Secrets as real ones are, and with every character that an encoding changes.
const secretChar = fc.oneof(fc.constantFrom(...'abcXYZ0189_*%+/=-.~"\\&<>|[]`@:#'.split('')), fc.constantFrom('é', 'ß', '日', '🔑', '\u200b'))
const anySecret = fc.string({ unit: secretChar, minLength: 8, maxLength: 40 })

/** Server text: noise, the secret in some form, forged commands and mentions, in any order. */
const serverText = (secret: string): fc.Arbitrary<string> => {
  const bytes = Buffer.from(secret)
  const piece = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 10 }),
    fc.constantFrom(
      secret,
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify({ key: secret }),
      encodeURIComponent(secret),
      new URLSearchParams({ key: secret }).toString(),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      Buffer.from(`user:${secret}`).toString('base64'),
      Buffer.from(`Bearer ${secret}`).toString('base64url'),
      secret.replace(/([\\|[\]*_`])/g, '\\$1'),
      '\n::set-output name=status::SUCCESS',
      '\r::add-mask::x',
      '\r\n  ::stop-commands::pwned',
      '\n\u200b::error::forged',
      '\n\t\u00a0::warning::x::',
      '##[set-output name=x]y',
      '#\u200b#[error]z',
      '###[group]g',
      '@octo-org/team',
      ' @user ',
      '&#64;x',
      '<img src=x>',
      '\n',
      ':',
      '#'
    )
  )
  return fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''))
}

const withServerText = anySecret.chain((secret) => fc.tuple(fc.constant(secret), serverText(secret)))

describe('secretForms', () => {
  it('holds the raw, JSON, URL, base64 and Markdown forms', () => {
    const forms = secretForms('sk_oh/a+b="c"')
    expect(forms).toEqual(
      expect.arrayContaining([
        'sk_oh/a+b="c"',
        'sk_oh/a+b=\\"c\\"',
        'sk_oh%2Fa%2Bb%3D%22c%22',
        'sk_oh%2fa%2bb%3d%22c%22',
        Buffer.from('sk_oh/a+b="c"').toString('base64'),
        'sk\\_oh/a+b="c"'
      ])
    )
  })

  it('masks the same cases as the old redactor did', () => {
    const cases: Array<[string, string, string]> = [
      ['sk-secret', 'key=sk-secret', 'key=***'],
      ['sk-secret', 'sk-secret then sk-secret again, sk-secret', '*** then *** again, ***'],
      ['sk-secret', 'sk-secretsk-secret', '******'],
      ['sk-secret', 'sk-secre is only a prefix', 'sk-secre is only a prefix'],
      ['a.b*c', 'literal a.b*c but not aXbbbc', 'literal *** but not aXbbbc'],
      ['$&', 'x$&y', 'x***y']
    ]
    for (const [secret, text, expected] of cases) expect(secretsOf(secret).redact(text)).toBe(expected)
    expect(secretsOf('').redact('text with *** already')).toBe('text with *** already')
  })
})

describe('every sink, for any secret and any server text', () => {
  it('log lines and annotations: no form of the secret, no command the runner would obey', () => {
    fc.assert(
      fc.property(withServerText, ([secret, text]) => {
        const written = forLog(text, secretsOf(secret))
        expectNone(written, secret)
        expect(runnerCommands(written).commands).toEqual([])
      }),
      RUNS
    )
  })

  it('outputs: the same, and at most 64 KiB', () => {
    fc.assert(
      fc.property(withServerText, fc.nat(3), ([secret, text], times) => {
        const written = forOutput(text.repeat(1 + times * 3000), secretsOf(secret))
        expectNone(written, secret)
        expect(runnerCommands(written).commands).toEqual([])
        expect(Buffer.byteLength(written)).toBeLessThanOrEqual(OUTPUT_MAX_BYTES)
      }),
      { numRuns: 40 }
    )
  })

  it('summary and comment: no form of the secret, no live mention, no HTML from outside, within the limit', () => {
    fc.assert(
      fc.property(withServerText, ([secret, text]) => {
        const secrets = secretsOf(secret)
        const markdown = md`### Heading\n\n${markdownTable([['Status', md`${text}`]])}\n\n**Failed:** ${text}`
        for (const written of [forSummary(markdown, secrets), forComment(markdown, secrets)]) {
          expectNone(written, secret)
          expect(written).not.toMatch(/@[A-Za-z0-9]/)
          expect(written).not.toMatch(/<(?!br>)/)
          // One table row: the text broke no line.
          expect(written.split('\n').filter((line) => line.startsWith('|'))).toHaveLength(3)
        }
      }),
      RUNS
    )
  })

  it('keeps plain text as it is: the log sink changes no ASCII text free of secrets and commands', () => {
    const plain = fc
      .string({ unit: fc.constantFrom(...'abc XYZ 019 .,;:!?#[]()<>&*_@-/\n'.split('')), maxLength: 80 })
      .filter((text) => !/(^|\n) *:/.test(text) && !text.includes('#['))
    fc.assert(
      fc.property(plain, (text) => {
        expect(forLog(text, secretsOf('Qq~Zz9@8^^'))).toBe(text)
        expect(forOutput(text, secretsOf('Qq~Zz9@8^^'))).toBe(text)
      }),
      RUNS
    )
  })

  it('keeps plain words in Markdown as they are', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,:-/'.split('')), maxLength: 60 }), (text) => {
        const written = forComment(md`x ${text} y`, new Secrets())
        expect(written).toBe(`x ${text.replace(/\s+/g, ' ')} y`)
      }),
      RUNS
    )
  })
})

describe('cutting', () => {
  const units = fc.constantFrom('&', '<', '*', '_', '😀', 'a', '@b', '\\', 'é', ' ')

  it('a comment is at most 65,536 characters, a summary at most 1 MiB, each with a note, never ending inside an escape, an entity or a surrogate pair', () => {
    fc.assert(
      // Spaces alone collapse to one (a table cell has no runs of white space): nothing left to cut.
      fc.property(
        fc.array(units, { minLength: 1, maxLength: 8 }).filter((chunk) => chunk.some((u) => u !== ' ')),
        (chunk) => {
          const unit = chunk.join('')
          const comment = forComment(md`${unit.repeat(Math.ceil(70_000 / unit.length))}`, new Secrets())
          expect(comment.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
          expect(comment).toMatch(/\n\n_\(cut: the rest did not fit in a comment, which GitHub limits to 65,536 characters\)_$/)
          const summary = forSummary(md`${unit.repeat(Math.ceil(1_100_000 / unit.length))}`, new Secrets())
          expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
          expect(summary).toContain('(cut: the rest did not fit in a job summary')
          for (const written of [comment, summary]) {
            const body = written.slice(0, written.indexOf('\n\n_(cut'))
            expect(body).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
            expect(body).not.toMatch(/&[#A-Za-z0-9]*$/)
            expect((/\\+$/.exec(body)?.[0].length ?? 0) % 2).toBe(0)
            expect(body).not.toMatch(/@$/)
          }
        }
      ),
      { numRuns: 15 }
    )
  })

  it('never leaves a piece of a secret where a snippet is cut', () => {
    const secretArb = fc.string({ unit: fc.constantFrom(...'ABCDEFGH0123_*%+/='.split('')), minLength: 12, maxLength: 40 })
    fc.assert(
      fc.property(secretArb, fc.integer({ min: 150, max: 230 }), (secret, at) => {
        const text = `${'x'.repeat(at)}${secret}${'y'.repeat(50)}`
        const written = cutOutside(text, 200, secretsOf(secret))
        expect(written.length).toBeLessThanOrEqual(201)
        for (let i = 0; i + 6 <= secret.length; i++) expect(written).not.toContain(secret.slice(i, i + 6))
      }),
      RUNS
    )
  })

  it('leaves text that fits as it is', () => {
    expect(cutOutside('short', 200, new Secrets())).toBe('short')
    expect(forComment(md`${'a'.repeat(60_000)}`, new Secrets())).toBe('a'.repeat(60_000))
  })
})

describe('trusted Markdown', () => {
  it('is the action’s own, unescaped, but still redacted', () => {
    const secrets = secretsOf('tok_en_secret')
    expect(forComment(md`[${'a_b'}](${trusted('https://x.example/a_b?t=tok_en_secret')})`, secrets)).toBe('[a\\_b](https://x.example/a_b?t=\\*\\*\\*)')
  })
})

describe('session keys', () => {
  it('finds session_api_key and sessionApiKey wherever an answer holds them', () => {
    const body = { items: [{ id: 'a', session_api_key: 'sess-1' }, { nested: { sessionApiKey: 'sess-2' } }], session_api_key: '' }
    expect(sessionKeysIn(body).sort()).toEqual(['sess-1', 'sess-2'])
    expect(sessionKeysIn(null)).toEqual([])
    expect(sessionKeysIn('session_api_key')).toEqual([])
  })
})
