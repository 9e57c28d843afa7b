// The runner's proxy variables, end to end through the real send(), the real
// OpenHandsClient and Octokit on our fetch: a loopback proxy that alone can reach
// the *.proxy-only.test names, and a DNS guard so no name ever reaches real DNS.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createTcpServer } from 'node:net'
import tls from 'node:tls'
import { octokitFetch } from '../src/http/octokit-fetch.js'
import { HttpFailure, send, type HttpRequest } from '../src/http/send.js'
import { OpenHandsClient } from '../src/openhands/client.js'
import { NetworkError } from '../src/openhands/errors.js'
import { guardDns, type DnsGuard } from './helpers/dns-guard.js'
import { type LoopbackProxy, type ProxyOptions, startProxy } from './helpers/loopback-proxy.js'
import { selfSigned } from './helpers/self-signed.js'

const OPENHANDS = 'openhands.proxy-only.test'
const GITHUB = 'api.github.proxy-only.test'
const PLAIN = 'plain.proxy-only.test'
// Resolved by the DNS guard's table only: a name that goes direct without a proxy.
const DIRECT = 'direct.no-proxy.test'
const KEY = 'sk-proxy-test-0123456789'
const ID = '5f2d8c1e9a7b4c3d8e1f0a2b3c4d5e6f'
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_USE_ENV_PROXY']

interface Seen {
  host?: string
  headers: IncomingHttpHeaders
  servername?: string
}

const seen: Seen[] = []
const certificate = selfSigned([OPENHANDS, GITHUB])
let httpTarget: Server
let httpsTarget: Server
let httpPort = 0
let httpsPort = 0
let proxy: LoopbackProxy | undefined
let dnsGuard: DnsGuard
const savedEnv: Record<string, string | undefined> = {}

function answer(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): void {
  seen.push({ host: request.headers.host, headers: request.headers, servername: (request.socket as tls.TLSSocket).servername || undefined })
  const body = request.url?.startsWith('/repos/') ? { full_name: 'octo/hello' } : { conversation_id: ID, status: 'RUNNING', title: 'via proxy' }
  response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

async function closedPort(): Promise<number> {
  const server = createTcpServer()
  const port = await listen(server as unknown as Server)
  await new Promise((resolve) => server.close(resolve))
  return port
}

beforeAll(async () => {
  httpTarget = createHttpServer(answer)
  httpsTarget = createHttpsServer({ cert: certificate.cert, key: certificate.key }, answer)
  httpPort = await listen(httpTarget)
  httpsPort = await listen(httpsTarget)
})

afterAll(async () => {
  for (const server of [httpTarget, httpsTarget]) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

beforeEach(() => {
  seen.length = 0
  for (const name of PROXY_VARS) {
    savedEnv[name] = process.env[name]
    delete process.env[name]
  }
  dnsGuard = guardDns([DIRECT])
  // The test certificate is trusted for these tests' TLS connections only, the
  // host name still checked; the tunnel agent calls tls.connect itself.
  const connectTls = tls.connect
  jest
    .spyOn(tls, 'connect')
    .mockImplementation(((...args: unknown[]) =>
      (connectTls as (...a: unknown[]) => tls.TLSSocket)(
        ...args.map((arg) => (typeof arg === 'object' && arg !== null ? { ...arg, ca: certificate.cert } : arg))
      )) as typeof tls.connect)
})

afterEach(async () => {
  jest.restoreAllMocks()
  for (const name of PROXY_VARS) {
    if (savedEnv[name] === undefined) delete process.env[name]
    else process.env[name] = savedEnv[name]
  }
  await proxy?.close()
  proxy = undefined
  // Nothing may have leaked a name to DNS, least of all the names only the proxy knows.
  expect(dnsGuard.refused).toEqual([])
})

/** The loopback proxy, knowing the proxy-only names and where they lead. */
async function useProxy(options: Partial<ProxyOptions> = {}): Promise<LoopbackProxy> {
  const routes = { [`${OPENHANDS}:443`]: httpsPort, [`${GITHUB}:443`]: httpsPort, [`${PLAIN}:80`]: httpPort }
  proxy = await startProxy({ routes, ...options })
  return proxy
}

const withCredentials = (proxyUrl: string, userInfo: string): string => proxyUrl.replace('http://', `http://${userInfo}@`)

const get = (url: string, extra: Partial<HttpRequest> = {}): Promise<import('../src/http/send.js').HttpAnswer> =>
  send({ method: 'GET', url, headers: { Accept: 'application/json' }, timeoutMs: 5000, maxBytes: 4096, ...extra })

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a failure')
}

describe('requests through the proxy the environment names', () => {
  it.each(['HTTPS_PROXY', 'https_proxy'])('%s carries the OpenHands API, TLS to the server through a CONNECT tunnel', async (variable) => {
    const { url, connects, plainRequests } = await useProxy()
    process.env[variable] = url
    const client = new OpenHandsClient({ baseUrl: `https://${OPENHANDS}`, apiKey: KEY })
    const conversation = await client.getConversation(ID, 5000)
    expect(conversation.title).toBe('via proxy')
    expect(connects.map((c) => c.target)).toEqual([`${OPENHANDS}:443`])
    expect(plainRequests).toEqual([])
    expect(seen).toEqual([expect.objectContaining({ host: OPENHANDS, servername: OPENHANDS })])
    expect(seen[0].headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it.each(['HTTP_PROXY', 'http_proxy'])('%s carries http: targets, tunnelled too, and HTTPS_PROXY is not used for them', async (variable) => {
    const { url, connects } = await useProxy()
    process.env[variable] = url
    process.env.HTTPS_PROXY = `http://127.0.0.1:${await closedPort()}`
    const answered = await get(`http://${PLAIN}/api/conversations/${ID}`)
    expect(answered.status).toBe(200)
    expect(connects.map((c) => c.target)).toEqual([`${PLAIN}:80`])
    // Through a tunnel agent Node names the port in Host, as HTTP allows.
    expect(seen[0].host).toBe(`${PLAIN}:80`)
  })

  it('gives Octokit, on our fetch, the same way to GitHub', async () => {
    const { url, connects } = await useProxy()
    process.env.HTTPS_PROXY = url
    const octokit = getOctokit('ghs_proxyTestToken', {
      baseUrl: `https://${GITHUB}`,
      request: { fetch: octokitFetch({ origin: `https://${GITHUB}`, callMs: 5000, deadline: Infinity, now: Date.now }) }
    })
    const { data } = await octokit.rest.repos.get({ owner: 'octo', repo: 'hello' })
    expect(data.full_name).toBe('octo/hello')
    expect(connects.map((c) => c.target)).toEqual([`${GITHUB}:443`])
    expect(seen[0]).toEqual(expect.objectContaining({ host: GITHUB, servername: GITHUB }))
    expect(seen[0].headers.authorization).toBe('token ghs_proxyTestToken')
  })

  it('sends the credentials in the proxy URL to the proxy only, never to the server', async () => {
    const { url, connects } = await useProxy({ credentials: 'robot:p@ss word' })
    process.env.HTTPS_PROXY = withCredentials(url, 'robot:p%40ss%20word')
    await new OpenHandsClient({ baseUrl: `https://${OPENHANDS}`, apiKey: KEY }).getConversation(ID, 5000)
    expect(connects[0].proxyAuthorization).toBe(`Basic ${Buffer.from('robot:p@ss word').toString('base64')}`)
    expect(seen).toHaveLength(1)
    expect(seen[0].headers['proxy-authorization']).toBeUndefined()
  })
})

describe('requests that go direct', () => {
  it('(the guard) fails a proxy-only name looked up without a proxy, before it reaches DNS', async () => {
    const error = await rejection(get(`http://${OPENHANDS}/`))
    expect((error as HttpFailure).code).toBe('ENOTFOUND')
    expect((error as HttpFailure).sentNothing).toBe(true)
    expect(dnsGuard.refused).toEqual([OPENHANDS])
    dnsGuard.refused.length = 0
  })

  it.each(['NO_PROXY', 'no_proxy'])('bypasses the proxy for a host in %s', async (variable) => {
    const { url, connects } = await useProxy()
    process.env.HTTP_PROXY = url
    process.env[variable] = `example.org, .no-proxy.test`
    expect((await get(`http://${DIRECT}:${httpPort}/api/conversations/${ID}`)).status).toBe(200)
    expect(connects).toEqual([])
  })

  it.each(['127.0.0.1', 'localhost'])('always bypasses the proxy for loopback (%s), NO_PROXY or not', async (host) => {
    const { url, connects } = await useProxy()
    process.env.HTTP_PROXY = url
    process.env.HTTPS_PROXY = url
    expect((await get(`http://${host}:${httpPort}/api/conversations/${ID}`)).status).toBe(200)
    expect(connects).toEqual([])
  })
})

describe('a proxy that fails', () => {
  it('is down: the request was never sent, and the error names the proxy without its credentials', async () => {
    const port = await closedPort()
    process.env.HTTPS_PROXY = `http://robot:s3cret-pass@127.0.0.1:${port}`
    const client = new OpenHandsClient({ baseUrl: `https://${OPENHANDS}`, apiKey: KEY })
    const error = await rejection(client.startConversation({ message: 'Fix it' }, 5000))
    expect(error).toBeInstanceOf(NetworkError)
    const network = error as NetworkError
    expect(network.requestSent).toBe(false)
    expect(network.connection).toEqual({ host: OPENHANDS, port: 443, proxy: `http://127.0.0.1:${port}`, code: 'ECONNREFUSED', proxyStatus: undefined })
    expect(error.message).toContain(`could not connect to the proxy http://127.0.0.1:${port}: ECONNREFUSED`)
    expect(error.message).not.toMatch(/robot|s3cret/)
  })

  it.each([
    ['cannot reach the server', {}, 502],
    ['forbids the host', { refuse: { [`${OPENHANDS}:443`]: 403 } }, 403]
  ])('%s: the CONNECT refused is "never sent", naming the proxy and the status', async (_, options, status) => {
    const { url } = await useProxy(options)
    process.env.HTTPS_PROXY = url
    const host = status === 502 ? 'nowhere.proxy-only.test' : OPENHANDS
    const client = new OpenHandsClient({ baseUrl: `https://${host}`, apiKey: KEY })
    const error = (await rejection(client.startConversation({ message: 'Fix it' }, 5000))) as NetworkError
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.requestSent).toBe(false)
    expect(error.connection?.proxyStatus).toBe(status)
    expect(error.message).toContain(`the proxy ${url} refused to open a tunnel to ${host}:443: it answered ${status}`)
    expect(seen).toEqual([])
  })

  it('wants other credentials: a 407, with the credentials given kept out of the error', async () => {
    const { url } = await useProxy({ credentials: 'robot:right' })
    process.env.HTTPS_PROXY = withCredentials(url, 'robot:wrong-secret')
    const error = await rejection(get(`https://${OPENHANDS}/api/conversations/${ID}`))
    expect(error).toBeInstanceOf(HttpFailure)
    expect((error as HttpFailure).kind).toBe('proxy')
    expect((error as HttpFailure).proxyStatus).toBe(407)
    expect((error as HttpFailure).sentNothing).toBe(true)
    expect(error.message).not.toMatch(/wrong-secret|robot/)
  })

  it('never answers the CONNECT: the request time-out ends it, and the CONNECT is closed rather than left to hold the process', async () => {
    const silent = createTcpServer((socket) => socket.on('error', () => {}).resume())
    const port = await listen(silent as unknown as Server)
    process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`
    const error = await rejection(get(`https://${OPENHANDS}/`, { timeoutMs: 200 }))
    expect((error as HttpFailure).kind).toBe('timeout')
    // close() waits for every connection: it returns only if the client closed its CONNECT.
    await new Promise((resolve) => silent.close(resolve))
  })
})
