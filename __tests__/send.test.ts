// The HTTP layer against real sockets on loopback: raw TCP servers that answer
// exactly the bytes each case needs, so framing, breaks and stalls are real.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server, type Socket } from 'node:net'
import { HttpFailure, send, type HttpRequest } from '../src/http/send.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

interface Received {
  head: string
  body: string
}

/** A server that hands each request's bytes to `answer`, and records what arrived. */
async function serve(answer: (socket: Socket, received: Received) => void): Promise<{ url: string; received: Received[]; connections: () => number }> {
  const received: Received[] = []
  let connections = 0
  const server = createServer((socket) => {
    connections++
    let buffer = Buffer.alloc(0)
    socket.on('error', () => {})
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      const end = buffer.indexOf('\r\n\r\n')
      if (end < 0) return
      const head = buffer.subarray(0, end).toString('utf8')
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0)
      if (buffer.length < end + 4 + length) return
      const request = { head, body: buffer.subarray(end + 4, end + 4 + length).toString('utf8') }
      buffer = Buffer.alloc(0)
      received.push(request)
      answer(socket, request)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { url: `http://127.0.0.1:${address.port}`, received, connections: () => connections }
}

const request = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url: `${url}/api/thing`,
  headers: { Accept: 'application/json' },
  timeoutMs: 5000,
  maxBytes: 1024,
  ...extra
})

async function failure(promise: Promise<unknown>): Promise<HttpFailure> {
  try {
    await promise
  } catch (error) {
    if (error instanceof HttpFailure) return error
    throw error
  }
  throw new Error('expected the request to fail')
}

describe('send', () => {
  it('sends the method, headers and body, and reads status, headers and body', async () => {
    const server = await serve((socket) =>
      socket.end(
        'HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Type: application/json\r\nX-Thing: a\r\nx-thing: b\r\nContent-Length: 11\r\n\r\n{"ok":"é"}'
      )
    )
    const body = JSON.stringify({ message: 'ünïcode ✓' })
    const answer = await send(request(server.url, { method: 'POST', headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' }, body }))
    expect(answer.status).toBe(201)
    expect(answer.statusText).toBe('Created')
    expect(answer.headers.get('CONTENT-TYPE')).toBe('application/json')
    expect(answer.headers.get('x-thing')).toBe('a, b')
    expect(answer.headers.get('absent')).toBeNull()
    expect([...answer.headers].map(([name]) => name)).toContain('x-thing')
    expect(answer.body.toString('utf8')).toBe('{"ok":"é"}')
    const [received] = server.received
    expect(received.head).toMatch(/^POST \/api\/thing HTTP\/1\.1\r\n/)
    expect(received.head).toMatch(/\r\nauthorization: Bearer k\r\n/i)
    expect(received.head).toMatch(new RegExp(`\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`, 'i'))
    expect(received.body).toBe(body)
  })

  it('reads a chunked answer, and one with no body at all', async () => {
    const server = await serve((socket, { head }) =>
      head.includes('/empty')
        ? socket.end('HTTP/1.1 205 Reset Content\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
        : socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n')
    )
    expect((await send(request(server.url))).body.toString()).toBe('abcde')
    const empty = await send({ ...request(server.url), url: `${server.url}/empty` })
    expect(empty.status).toBe(205)
    expect(empty.body.length).toBe(0)
  })

  it('refuses an answer whose declared length is over the limit, without waiting for its body', async () => {
    const server = await serve((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nxx'))
    const error = await failure(send(request(server.url)))
    expect(error.kind).toBe('too-large')
    expect(error.declaredBytes).toBe(5000)
  })

  it('stops reading an undeclared answer once it passes the limit', async () => {
    const chunk = 'x'.repeat(600)
    const server = await serve((socket) =>
      socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(600).toString(16)}\r\n${chunk}\r\n${(600).toString(16)}\r\n${chunk}\r\n`)
    )
    const error = await failure(send(request(server.url)))
    expect(error.kind).toBe('too-large')
    expect(error.declaredBytes).toBeUndefined()
  })

  it('reports a connection broken mid-answer as a connection failure', async () => {
    const server = await serve((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"status":')
      setImmediate(() => socket.destroy())
    })
    const error = await failure(send(request(server.url)))
    expect(error.kind).toBe('connection')
    expect(error.code).toBe('ECONNRESET')
  })

  it('reports a refused connection with its code', async () => {
    const server = await serve(() => {})
    const url = server.url
    await new Promise((resolve) => servers.pop()?.close(resolve))
    const error = await failure(send(request(url)))
    expect(error.kind).toBe('connection')
    expect(error.code).toBe('ECONNREFUSED')
  })

  it('times the whole exchange: a server that trickles bytes still runs out of time', async () => {
    const server = await serve((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n')
      const drip = setInterval(() => (socket.writable ? socket.write('x') : clearInterval(drip)), 20)
      socket.on('close', () => clearInterval(drip))
    })
    const error = await failure(send(request(server.url, { timeoutMs: 300, maxBytes: 2000 })))
    expect(error.kind).toBe('timeout')
  })

  it('abandons the request when the signal fires, and sends nothing if it fired before', async () => {
    const server = await serve(() => {})
    const controller = new AbortController()
    const pending = failure(send(request(server.url, { signal: controller.signal })))
    await new Promise((resolve) => setTimeout(resolve, 50))
    controller.abort()
    expect((await pending).kind).toBe('cancelled')

    const before = server.received.length
    const error = await failure(send(request(server.url, { signal: AbortSignal.abort() })))
    expect(error.kind).toBe('cancelled')
    expect(server.received.length).toBe(before)
  })

  it('refuses an address that is not http or https', async () => {
    const error = await failure(send({ ...request('http://127.0.0.1:1'), url: 'ftp://127.0.0.1/file' }))
    expect(error.kind).toBe('connection')
    expect(error.message).toContain('ftp:')
  })
})
