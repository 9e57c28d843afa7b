// Which way a request goes: straight to the server, or through the proxy that
// HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or their lower-case forms) name. The
// decision and the tunnel agent are @actions/http-client's, so the action treats
// the runner's proxy settings exactly as other toolkit actions do. What is added
// here is only what send() needs on top: to see what became of the CONNECT, so a
// proxy that is down or refuses the tunnel is told from a server that failed.
import * as http from 'node:http'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

export interface Route {
  /** http.request or https.request, as the server's address says. */
  open: typeof http.request
  agent: http.Agent
  /** The proxy's origin (never its credentials); absent when the request goes direct. */
  proxy?: string
  /** What became of the CONNECT; absent when the request goes direct. */
  tunnel?: Tunnel
}

/** What the proxy did with the CONNECT for one request. */
export class Tunnel {
  /** The proxy answered 200: from here on, failures are the server's. */
  established = false
  /** Connecting to the proxy failed. */
  error?: NodeJS.ErrnoException
  /** The proxy refused the tunnel. */
  refusal?: { status: number; statusText: string }
  private connect?: http.ClientRequest

  watch(connect: http.ClientRequest): http.ClientRequest {
    this.connect = connect
    connect.once('error', (error: NodeJS.ErrnoException) => (this.error = error))
    connect.once('connect', (answer: http.IncomingMessage) => {
      if (answer.statusCode === 200) this.established = true
      else this.refusal = { status: answer.statusCode ?? 0, statusText: answer.statusMessage ?? '' }
    })
    return connect
  }

  /** A CONNECT still pending when the exchange ends would hold the process open. */
  close(): void {
    if (!this.established) this.connect?.destroy()
  }
}

// Node 24 proxies the requests of its global agents itself when NODE_USE_ENV_PROXY=1.
// Every request here names its agent, and no agent of ours reads the environment
// (proxyEnv: null, which older Node ignores), so a request is never proxied twice.
const OWN_AGENT = { proxyEnv: null } as http.AgentOptions
// The options of Node's own global agents.
const KEEP_ALIVE: http.AgentOptions = { ...OWN_AGENT, keepAlive: true, scheduling: 'lifo', timeout: 5000 }
const directHttp = new http.Agent(KEEP_ALIVE)
let directHttps: http.Agent | undefined

/** The tunnel agent's own hook for sending the CONNECT (the `tunnel` package). */
interface TunnelAgent extends http.Agent {
  request?: (options: http.RequestOptions) => http.ClientRequest
}

export async function routeFor(url: URL): Promise<Route> {
  // https (and with it tls) is loaded only when used: the loopback simulator is plain http.
  const https = url.protocol === 'https:' ? await import('node:https') : undefined
  const open = https?.request ?? http.request
  const proxyUrl = getProxyUrl(url)
  // As http-client itself decides: a proxy address without a host is no proxy.
  if (proxyUrl === undefined || proxyUrl.hostname === '') {
    return { open, agent: https === undefined ? directHttp : (directHttps ??= new https.Agent(KEEP_ALIVE)) }
  }
  // The tunnel agent, as every toolkit action gets it behind a proxy.
  const { HttpClient } = await import('@actions/http-client')
  // Without keep-alive, getAgent() makes a new tunnel agent for each request, so
  // a tunnel is watched for exactly one request.
  const agent: TunnelAgent = new HttpClient('openhands-cloud-action').getAgent(url.href)
  const proxy = proxyUrl.origin
  const sendConnect = agent.request
  // Unwatched, a failure is judged by its error code alone, as a direct one is:
  // never taken for "not sent" when it may have been.
  if (typeof sendConnect !== 'function') return { open, agent, proxy }
  const tunnel = new Tunnel()
  // The hop to the proxy goes direct, whatever NODE_USE_ENV_PROXY says.
  const hop = proxyUrl.protocol === 'https:' ? new (await import('node:https')).Agent(OWN_AGENT) : new http.Agent(OWN_AGENT)
  agent.request = (options) => tunnel.watch(sendConnect({ ...options, agent: hop }))
  return { open, agent, proxy, tunnel }
}
