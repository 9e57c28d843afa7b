import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { AnswerHeaders, HttpFailure, type HttpAnswer, type HttpRequest, send } from '../src/http/send.js'
import { type GitHubLimits, LATE_CALL_MS, octokitFetch } from '../src/http/octokit-fetch.js'

type Reply = { status: number; headers?: IncomingHttpHeaders; body?: string }

/** A send() that records each request and answers from a script, in order. */
function scripted(...replies: Reply[]): { send: typeof send; sent: HttpRequest[] } {
  const sent: HttpRequest[] = []
  return {
    sent,
    send: async (request) => {
      sent.push(request)
      const reply = replies.shift()
      if (reply === undefined) throw new Error('no more replies scripted')
      const answer: HttpAnswer = {
        status: reply.status,
        statusText: 'Status',
        headers: new AnswerHeaders(reply.headers ?? {}),
        body: Buffer.from(reply.body ?? '')
      }
      return answer
    }
  }
}

const API = 'https://api.github.com'
const AUTH = { authorization: 'token ghs_secret', 'content-type': 'application/json; charset=utf-8' }

/** No step deadline in sight: only the per-call limit counts. */
const limits = (callMs: number, more: Partial<GitHubLimits> = {}): GitHubLimits => ({ origin: API, callMs, deadline: Infinity, now: () => 0, ...more })

describe('octokitFetch', () => {
  it('sends what Octokit asks for and answers as Octokit reads it', async () => {
    const server = scripted({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-github-request-id': 'A:B' },
      body: '{"id":7,"html_url":"https://github.com/o/r#c7"}'
    })
    const fetch = octokitFetch(limits(1234), server.send)
    const answer = await fetch(`${API}/repos/o/r/issues/1/comments`, { method: 'POST', headers: AUTH, body: '{"body":"hi"}' })
    expect(server.sent).toEqual([
      expect.objectContaining({ method: 'POST', url: `${API}/repos/o/r/issues/1/comments`, headers: AUTH, body: '{"body":"hi"}', timeoutMs: 1234 })
    ])
    expect(answer.status).toBe(201)
    expect(answer.url).toBe(`${API}/repos/o/r/issues/1/comments`)
    expect(Object.fromEntries(answer.headers)).toEqual({ 'content-type': 'application/json', 'x-github-request-id': 'A:B' })
    expect(answer.headers.get('Content-Type')).toBe('application/json')
    expect(await answer.json()).toEqual({ id: 7, html_url: 'https://github.com/o/r#c7' })
    expect(await answer.text()).toBe('{"id":7,"html_url":"https://github.com/o/r#c7"}')
    expect(Buffer.from(await answer.arrayBuffer()).toString()).toBe('{"id":7,"html_url":"https://github.com/o/r#c7"}')
  })

  it('follows a redirect within GitHub (a renamed repository), keeping the method on 307 and turning 303 into a GET', async () => {
    const server = scripted(
      { status: 307, headers: { location: '/repositories/42/issues/1/comments' } },
      { status: 303, headers: { location: `${API}/repositories/42/issues/comments/9` } },
      { status: 200, body: '{}' }
    )
    const answer = await octokitFetch(limits(1000), server.send)(`${API}/repos/o/old/issues/1/comments`, {
      method: 'POST',
      headers: AUTH,
      body: '{"body":"hi"}'
    })
    expect(server.sent.map((request) => [request.method, request.url, request.body])).toEqual([
      ['POST', `${API}/repos/o/old/issues/1/comments`, '{"body":"hi"}'],
      ['POST', `${API}/repositories/42/issues/1/comments`, '{"body":"hi"}'],
      ['GET', `${API}/repositories/42/issues/comments/9`, undefined]
    ])
    expect(answer.status).toBe(200)
    expect(answer.url).toBe(`${API}/repositories/42/issues/comments/9`)
  })

  it('does not follow a redirect to another origin with the token', async () => {
    const server = scripted({ status: 302, headers: { location: 'https://evil.example/steal' } })
    const error = await octokitFetch(limits(1000), server.send)(`${API}/repos/o/r`, { headers: AUTH }).catch((e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toBe(
      "Refused to follow GitHub's redirect to https://evil.example (GET /steal): the token goes only to https://api.github.com, the origin of GITHUB_API_URL"
    )
    expect(server.sent).toHaveLength(1)
  })

  it.each([
    ['a pagination link on another host', 'https://evil.example/repos/o/r/issues/1/comments?page=2', 'https://evil.example'],
    ['the same host over http', 'http://api.github.com/repos/o/r/issues/1/comments?page=2', 'http://api.github.com'],
    ['the same host on another port', 'https://api.github.com:8443/repos/o/r/issues/1/comments?page=2', 'https://api.github.com:8443'],
    ['a look-alike host', 'https://api.github.com.evil.example/repos/o/r', 'https://api.github.com.evil.example'],
    ['user info before the host', 'https://api.github.com@evil.example/repos/o/r', 'https://evil.example']
  ])('refuses %s before sending anything, naming both origins', async (_what, url, origin) => {
    const server = scripted({ status: 200, body: '[]' })
    const error = await octokitFetch(limits(1000), server.send)(url, { headers: AUTH }).catch((e: unknown) => e as Error)
    expect(server.sent).toEqual([])
    expect((error as Error).message).toBe(
      `Refused to send the GitHub token to ${origin} (GET ${new URL(url).pathname}): the token goes only to https://api.github.com, the origin of GITHUB_API_URL`
    )
  })

  it('sends to the configured origin only, a GitHub Enterprise Server path included', async () => {
    const server = scripted({ status: 200, body: '[]' }, { status: 200, body: '[]' })
    const fetch = octokitFetch(limits(1000, { origin: 'https://ghes.example.com' }), server.send)
    await fetch('https://ghes.example.com/api/v3/repos/o/r/issues/1/comments?page=2', { headers: AUTH })
    await fetch('https://ghes.example.com/api/graphql', { method: 'POST', headers: AUTH, body: '{}' })
    await expect(fetch(`${API}/repos/o/r`, { headers: AUTH })).rejects.toThrow('the token goes only to https://ghes.example.com')
    expect(server.sent.map((request) => request.url)).toEqual([
      'https://ghes.example.com/api/v3/repos/o/r/issues/1/comments?page=2',
      'https://ghes.example.com/api/graphql'
    ])
  })

  it('gives up on a redirect loop', async () => {
    const loop = Array.from({ length: 10 }, () => ({ status: 301, headers: { location: '/again' } }))
    const server = scripted(...loop)
    await expect(octokitFetch(limits(1000), server.send)(`${API}/repos/o/r`)).rejects.toThrow(/more than 5 times/)
    expect(server.sent).toHaveLength(5)
  })

  it('answers a redirect without a Location as it is', async () => {
    const server = scripted({ status: 304, headers: {} })
    expect((await octokitFetch(limits(1000), server.send)(`${API}/repos/o/r`)).status).toBe(304)
  })

  it.each([
    ['the per-call limit, with the step far from its end', { callMs: 30_000, deadline: 1_000_000, now: () => 0 }, 30_000],
    ["what is left of the step's timeout, when that is less", { callMs: 30_000, deadline: 10_000, now: () => 2_500 }, 7_500],
    ['a few seconds, once the step is out of time (the last comment edit)', { callMs: 30_000, deadline: 10_000, now: () => 12_000 }, LATE_CALL_MS],
    ['the per-call limit when it is shorter than even that', { callMs: 1_000, deadline: 10_000, now: () => 12_000 }, 1_000]
  ])('gives each call %s', async (_what, more, timeoutMs) => {
    const server = scripted({ status: 200, body: '{}' })
    await octokitFetch(limits(more.callMs, more), server.send)(`${API}/repos/o/r`)
    expect(server.sent[0].timeoutMs).toBe(timeoutMs)
  })

  it("measures each hop of a redirect against the step's clock", async () => {
    let now = 0
    const server = scripted({ status: 307, headers: { location: '/again' } }, { status: 200, body: '{}' })
    const timed: typeof send = async (request) => {
      const answer = await server.send(request)
      now += 4_000
      return answer
    }
    await octokitFetch(limits(30_000, { deadline: 10_000, now: () => now }), timed)(`${API}/repos/o/r`)
    expect(server.sent.map((request) => request.timeoutMs)).toEqual([10_000, 6_000])
  })

  it("says, on a time-out, which call and how long, and when the step's timeout set it", async () => {
    const timesOut: typeof send = async (request) => {
      throw new HttpFailure(`no answer within ${request.timeoutMs} ms`, 'timeout')
    }
    const call = (more: Partial<GitHubLimits>) => octokitFetch(limits(30_000, more), timesOut)(`${API}/repos/o/r/collaborators/alice/permission`)
    await expect(call({})).rejects.toThrow(new Error('GitHub did not answer GET /repos/o/r/collaborators/alice/permission within 30s'))
    await expect(call({ deadline: 4_000 })).rejects.toThrow(
      new Error("GitHub did not answer GET /repos/o/r/collaborators/alice/permission within 4s (bounded by the step's timeout)")
    )
  })

  it('passes any other failure on as it is', async () => {
    const failure = new HttpFailure('connect ECONNREFUSED', 'connection', { code: 'ECONNREFUSED' })
    const refused: typeof send = async () => {
      throw failure
    }
    await expect(octokitFetch(limits(1000), refused)(`${API}/repos/o/r`)).rejects.toBe(failure)
  })

  it('refuses a body that is not a string rather than sending it mangled', async () => {
    const server = scripted()
    await expect(octokitFetch(limits(1000), server.send)(`${API}/markdown/raw`, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow(TypeError)
    expect(server.sent).toHaveLength(0)
  })
})

describe('octokitFetch on the real send()', () => {
  let server: Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
    server = undefined
  })

  it.each([
    ["what is left of the step's timeout", 3_500, 3_500, '4s'],
    ['a few seconds once that is spent', 0, LATE_CALL_MS, '3s']
  ])('ends a call that is never answered after %s, not after the per-call limit', async (_what, leftMs, expectedMs, shown) => {
    server = createServer(() => {
      // never answers
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    // A clock that stands still: what is left is exactly leftMs, however slow the machine is.
    const now = 1_000_000
    const given: number[] = []
    const realSend: typeof send = async (request) => {
      given.push(request.timeoutMs)
      return send(request)
    }
    const fetch = octokitFetch({ origin, callMs: 30_000, deadline: now + leftMs, now: () => now }, realSend)
    const error = await fetch(`${origin}/repos/o/r/collaborators/alice/permission`).then(
      () => new Error('answered'),
      (e: unknown) => e as Error
    )
    // The real send() was given the bound, and it was the real send() that gave up (a timeout, not an answer).
    expect(given).toEqual([expectedMs])
    expect(error.message).toBe(`GitHub did not answer GET /repos/o/r/collaborators/alice/permission within ${shown} (bounded by the step's timeout)`)
  })
})
