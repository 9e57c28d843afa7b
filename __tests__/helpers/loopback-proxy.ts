// A forward proxy on loopback that opens CONNECT tunnels to the names it alone
// knows: it maps `host:port` to a loopback port itself, so a name such as
// openhands.proxy-only.test is reachable only through it and never looked up in DNS.
// Only CONNECT is served: @actions/http-client tunnels http: targets too, so a
// plain absolute-URI request would be a regression, recorded and refused.
import { createServer, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'

export interface ProxyOptions {
  /** `host:port` as the client asks for it → the loopback port it reaches. */
  routes: Record<string, number>
  /** `user:password` the proxy demands (407 without it). */
  credentials?: string
  /** `host:port` → the status the proxy refuses the tunnel with. */
  refuse?: Record<string, number>
}

export interface Connect {
  target: string
  proxyAuthorization?: string
}

export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>` */
  url: string
  connects: Connect[]
  /** Absolute-URI requests, which this client should never send. */
  plainRequests: string[]
  close(): Promise<void>
}

export async function startProxy(options: ProxyOptions): Promise<LoopbackProxy> {
  const connects: Connect[] = []
  const plainRequests: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    plainRequests.push(request.url ?? '')
    response.writeHead(501).end()
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? ''
    const proxyAuthorization = request.headers['proxy-authorization']
    connects.push({ target, proxyAuthorization })
    client.on('error', () => {})
    const refuse = (status: number, reason: string, extra = ''): void => void client.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Length: 0\r\n\r\n`)
    if (options.credentials !== undefined && proxyAuthorization !== `Basic ${Buffer.from(options.credentials).toString('base64')}`) {
      return refuse(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test"\r\n')
    }
    const refusal = options.refuse?.[target]
    if (refusal !== undefined) return refuse(refusal, 'Refused')
    const port = options.routes[target]
    if (port === undefined) return refuse(502, 'Bad Gateway')
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    connects,
    plainRequests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
