// A local stand-in for the slice of the GitHub REST API the action uses: permission
// checks, pull request branches, issue comments and reactions. Tests point
// GITHUB_API_URL at it, so the action's real Octokit code runs unchanged against
// GitHub's shapes and refusals.
import { createServer } from 'node:http'
import { Buffer } from 'node:buffer'
import { Repository } from './github-store.js'
import { ROLE_NAMES, createGitHubApi, errorReply, routeNameOf } from './github-routes.js'

/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */
/** @typedef {import('./github-store.js').SeedComment} SeedComment */
/** @typedef {import('./github-store.js').SeedReviewComment} SeedReviewComment */
/** @typedef {import('./github-store.js').SeedPullRequest} SeedPullRequest */
/** @typedef {import('./github-store.js').ReactionTarget} ReactionTarget */
/** @typedef {import('./github-routes.js').RoleName} RoleName */
/** @typedef {import('./github-routes.js').PermissionSetting} PermissionSetting */
/** @typedef {import('./github-routes.js').RouteName} RouteName */
/**
 * @typedef {object} GitHubStandInOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0, a free port
 * @property {string} [token] when set, only this token is accepted; when unset, any non-empty one
 * @property {Record<string, PermissionSetting>} [permissions] by login, case-insensitive; unlisted logins read, as on a public repository; 'missing' answers 404
 * @property {boolean | { comments?: boolean, reactions?: boolean }} [writable] default true; false is a GITHUB_TOKEN without issues/pull-requests write
 * @property {{ pulls?: boolean }} [readable] default every kind true; pulls: false is a GITHUB_TOKEN without pull-requests read
 * @property {SeedComment[]} [comments] issue comments present from the start, ids ascending
 * @property {SeedReviewComment[]} [reviewComments] pull request review comments present from the start, ids from 1500000001 ascending:
 *   the only ones that take reactions, and what GET /pulls/{number}/comments and /pulls/{number}/reviews/{id}/comments list
 * @property {SeedPullRequest[]} [pullRequests] open pull requests, the only numbers GET /pulls/{number} knows
 * @property {string} [owner] default octo-org; other owners answer 404
 * @property {string} [repo] default octo-repo; other repositories answer 404
 * @property {() => number} [now] default Date.now, for created_at and updated_at
 * @property {string} [tokenOwner] the token is this person's personal access token: GET /user answers them, and
 *   the comments and reactions the token makes are theirs. Unset, it is an installation token like GITHUB_TOKEN:
 *   GET /user answers 403, and it writes as github-actions[bot]
 * @property {RouteName[]} [stall] routes that never answer: each request is recorded (status 0) and held open until close()
 * @property {string} [linkOrigin] the origin pagination Link headers point at, default the stand-in's own: another
 *   one is a server sending its client elsewhere
 */
/**
 * @typedef {object} GitHubRequestRecord
 * @property {string} method
 * @property {string} path path and query, never headers
 * @property {string} body the request's body as sent ('' for none)
 * @property {number} status 0 while unanswered
 */
/**
 * @typedef {object} GitHubStandInState
 * @property {Array<{ id: number, issue: number, body: string, html_url: string, login: string }>} comments
 * @property {Array<{ id: number, pull: number, body: string, html_url: string, login: string }>} reviewComments
 * @property {Array<{ commentId: number, on: ReactionTarget, content: string }>} reactions
 * @property {GitHubRequestRecord[]} requests
 */
/**
 * @typedef {object} GitHubStandIn
 * @property {string} url origin without a trailing slash, ready for GITHUB_API_URL
 * @property {() => Promise<void>} close
 * @property {() => GitHubStandInState} state
 */

const MAX_BODY_BYTES = 1024 * 1024

/**
 * @param {Request} req
 * @returns {Promise<string | null>} null when the body is too large to be a real request
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * GitHub takes both schemes. The token is compared and dropped, never kept.
 * @param {string | undefined} header
 * @param {string | undefined} expected
 * @returns {import('./github-routes.js').Reply | undefined} the refusal, if any
 */
function refuseAuth(header, expected) {
  const presented = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
  if (!presented) return errorReply(401, 'Requires authentication')
  if (expected !== undefined && presented !== expected) return errorReply(401, 'Bad credentials')
  return undefined
}

/** @param {GitHubStandInOptions['permissions']} permissions */
function permissionMap(permissions = {}) {
  /** @type {Map<string, { login: string, role: PermissionSetting }>} */
  const map = new Map()
  for (const [login, role] of Object.entries(permissions)) {
    if (!ROLE_NAMES.includes(role)) throw new TypeError(`permissions.${login}: unknown role ${JSON.stringify(role)}`)
    map.set(login.toLowerCase(), { login, role })
  }
  return map
}

/** @param {GitHubStandInOptions['writable']} writable */
function writableKinds(writable = true) {
  if (typeof writable === 'boolean') return { comments: writable, reactions: writable }
  return { comments: writable.comments ?? true, reactions: writable.reactions ?? true }
}

/** @param {GitHubStandInOptions['readable']} readable */
function readableKinds(readable = {}) {
  return { pulls: readable.pulls ?? true }
}

/**
 * @param {GitHubStandInOptions} [options]
 * @returns {Promise<GitHubStandIn>}
 */
export async function startGitHubStandIn(options = {}) {
  const now = options.now ?? Date.now
  const repository = new Repository({
    owner: options.owner ?? 'octo-org',
    repo: options.repo ?? 'octo-repo',
    now,
    comments: options.comments,
    reviewComments: options.reviewComments,
    pullRequests: options.pullRequests
  })
  let url = ''
  const answer = createGitHubApi({
    repository,
    permissions: permissionMap(options.permissions),
    writable: writableKinds(options.writable),
    readable: readableKinds(options.readable),
    apiUrl: () => url,
    linkOrigin: () => options.linkOrigin ?? url,
    tokenOwner: options.tokenOwner
  })
  const stalled = new Set(options.stall ?? [])
  // Octokit reads these for its throttling and error messages; a constant is enough.
  const rateHeaders = {
    'X-RateLimit-Limit': '5000',
    'X-RateLimit-Remaining': '4999',
    'X-RateLimit-Used': '1',
    'X-RateLimit-Reset': String(Math.floor(now() / 1000) + 3600),
    'X-RateLimit-Resource': 'core',
    'X-GitHub-Media-Type': 'github.v3; format=json'
  }
  /** @type {GitHubRequestRecord[]} */
  const requests = []

  /**
   * @param {Response} res
   * @param {import('./github-routes.js').Reply} reply
   * @param {GitHubRequestRecord} [entry]
   */
  function send(res, reply, entry) {
    // Recorded before the bytes go out, so state() is current once the client has its answer.
    if (entry) entry.status = reply.statusCode
    const bytes = Buffer.from(JSON.stringify(reply.body), 'utf8')
    res.writeHead(reply.statusCode, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(bytes.length),
      ...rateHeaders,
      ...reply.headers
    })
    res.end(bytes)
  }

  /**
   * @param {Request} req
   * @param {Response} res
   */
  async function handle(req, res) {
    const target = new URL(req.url ?? '/', 'http://github.invalid')
    /** @type {GitHubRequestRecord} */
    const entry = { method: req.method ?? 'GET', path: target.pathname + target.search, body: '', status: 0 }
    requests.push(entry)
    const raw = await readBody(req)
    if (raw === null) return send(res, errorReply(413, 'Payload Too Large'), entry)
    entry.body = raw
    const refused = refuseAuth(req.headers.authorization, options.token)
    if (refused) return send(res, refused, entry)
    const route = routeNameOf(entry.method, target.pathname)
    // Never answered: close() ends the connection.
    if (route !== undefined && stalled.has(route)) return
    return send(res, answer(entry.method, target, raw), entry)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) res.destroy()
      else send(res, errorReply(500, 'Server Error'))
    })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve(undefined))
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  return {
    url,
    state: () => ({ ...repository.snapshot(), requests: requests.map((r) => ({ ...r })) }),
    close() {
      return new Promise((resolve) => {
        // Resolves even if already closed: close() should be safe to call twice.
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}
