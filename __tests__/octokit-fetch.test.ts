import { describe, expect, it } from '@jest/globals'
import type { IncomingHttpHeaders } from 'node:http'
import { AnswerHeaders, type HttpAnswer, type HttpRequest, type send } from '../src/http/send.js'
import { octokitFetch } from '../src/http/octokit-fetch.js'

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

describe('octokitFetch', () => {
  it('sends what Octokit asks for and answers as Octokit reads it', async () => {
    const server = scripted({
      status: 201,
      headers: { 'content-type': 'application/json', 'x-github-request-id': 'A:B' },
      body: '{"id":7,"html_url":"https://github.com/o/r#c7"}'
    })
    const fetch = octokitFetch(1234, server.send)
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
    const answer = await octokitFetch(1000, server.send)(`${API}/repos/o/old/issues/1/comments`, { method: 'POST', headers: AUTH, body: '{"body":"hi"}' })
    expect(server.sent.map((request) => [request.method, request.url, request.body])).toEqual([
      ['POST', `${API}/repos/o/old/issues/1/comments`, '{"body":"hi"}'],
      ['POST', `${API}/repositories/42/issues/1/comments`, '{"body":"hi"}'],
      ['GET', `${API}/repositories/42/issues/comments/9`, undefined]
    ])
    expect(answer.status).toBe(200)
    expect(answer.url).toBe(`${API}/repositories/42/issues/comments/9`)
  })

  it('does not carry the token to another origin', async () => {
    const server = scripted({ status: 302, headers: { location: 'https://evil.example/steal' } })
    const error = await octokitFetch(1000, server.send)(`${API}/repos/o/r`, { headers: AUTH }).catch((e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain('another origin (https://evil.example)')
    expect((error as Error).message).not.toContain('ghs_secret')
    expect(server.sent).toHaveLength(1)
  })

  it('gives up on a redirect loop', async () => {
    const loop = Array.from({ length: 10 }, () => ({ status: 301, headers: { location: '/again' } }))
    const server = scripted(...loop)
    await expect(octokitFetch(1000, server.send)(`${API}/repos/o/r`)).rejects.toThrow(/more than 5 times/)
    expect(server.sent).toHaveLength(5)
  })

  it('answers a redirect without a Location as it is', async () => {
    const server = scripted({ status: 304, headers: {} })
    expect((await octokitFetch(1000, server.send)(`${API}/repos/o/r`)).status).toBe(304)
  })

  it('refuses a body that is not a string rather than sending it mangled', async () => {
    const server = scripted()
    await expect(octokitFetch(1000, server.send)(`${API}/markdown/raw`, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow(TypeError)
    expect(server.sent).toHaveLength(0)
  })
})
