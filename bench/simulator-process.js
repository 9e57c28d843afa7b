// The OpenHands simulator in a process of its own, for the benchmarks that start
// 30 jobs at once: spawning them blocks the parent's event loop for seconds on a
// small machine, and a simulator in the parent would answer nobody meanwhile.
//
// In front of it, a thin pass-through tags each request with the job that sent it:
// job n uses base-url `{url}/job/n` (the action takes a path prefix), the prefix is
// stripped and the request forwarded, so the simulator sees the usual paths and the
// benchmark learns when each job's requests arrived.
//
// Usage: node bench/simulator-process.js '<SimulatorOptions as JSON>'
// Prints `READY <url>` once listening; exits on SIGTERM or when stdin closes.
import { request, createServer, Agent } from 'node:http'
import { Buffer } from 'node:buffer'
import { startSimulator } from '../simulator/server.js'

/**
 * @typedef {object} TaggedRequest
 * @property {number} job -1 when the request had no /job/n prefix
 * @property {string} method
 * @property {string} path without the prefix
 * @property {number} status 0 if the simulator never answered
 * @property {number} at epoch ms when the request arrived here
 */

const options = JSON.parse(process.argv[2] ?? '{}')
const simulator = await startSimulator({ ...options, host: '127.0.0.1', port: 0 })
const target = new URL(simulator.url)
const agent = new Agent({ keepAlive: true, maxSockets: 256 })
/** @type {TaggedRequest[]} */
const tagged = []

const front = createServer((req, res) => {
  const at = Date.now()
  const prefix = /^\/job\/(\d+)(\/.*)$/.exec(req.url ?? '/')
  const path = prefix ? prefix[2] : (req.url ?? '/')
  if (req.method === 'GET' && path === '/_bench/state') {
    const body = Buffer.from(JSON.stringify({ simulator: simulator.state(), tagged }))
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) })
    res.end(body)
    return
  }
  const entry = { job: prefix ? Number(prefix[1]) : -1, method: req.method ?? 'GET', path, status: 0, at }
  if (!path.startsWith('/_simulator/')) tagged.push(entry)
  const headers = { ...req.headers, host: target.host }
  const upstream = request({ host: target.hostname, port: target.port, method: req.method, path, headers, agent }, (answer) => {
    entry.status = answer.statusCode ?? 0
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  upstream.on('error', () => res.destroy())
  req.pipe(upstream)
})
await new Promise((resolve) => front.listen(0, '127.0.0.1', () => resolve(undefined)))
const address = front.address()
const port = typeof address === 'object' && address ? address.port : 0

let closing = false
const shutDown = () => {
  if (closing) return
  closing = true
  front.closeAllConnections()
  front.close()
  agent.destroy()
  simulator.close().then(() => process.exit(0))
}
process.once('SIGTERM', shutDown)
process.once('SIGINT', shutDown)
// The benchmark holds stdin open: when it goes away, so does this process.
process.stdin.on('end', shutDown)
process.stdin.on('error', shutDown)
process.stdin.resume()
process.stdout.write(`READY http://127.0.0.1:${port}\n`)
