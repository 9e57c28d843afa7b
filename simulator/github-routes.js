// The REST routes the GitHub stand-in knows and how each answers: GitHub's status
// codes, error bodies and Link pagination, so the action's Octokit meets what it
// would meet on api.github.com, including the refusals.
import { URLSearchParams } from 'node:url'
import { ACTIONS_BOT, REACTION_CONTENTS, userJson } from './github-store.js'

/** @typedef {import('./github-store.js').Repository} Repository */
/** @typedef {import('./github-store.js').ReactionTarget} ReactionTarget */
/** @typedef {'admin' | 'maintain' | 'write' | 'triage' | 'read'} RoleName */
/** @typedef {RoleName | 'none' | 'missing'} PermissionSetting */
/** @typedef {{ comments: boolean, reactions: boolean }} Writable */
/** @typedef {{ pulls: boolean }} Readable */
/** @typedef {{ statusCode: number, body: unknown, headers?: Record<string, string> }} Reply */
/** @typedef {'user' | 'permission' | 'listComments' | 'createComment' | 'getComment' | 'updateComment' | 'reactToIssueComment' | 'reactToReviewComment' | 'getPull' | 'listReviewComments' | 'listReviewCommentsOfReview'} RouteName */
/**
 * @typedef {object} Route
 * @property {RouteName} name
 * @property {string} method
 * @property {RegExp} pattern captures owner, repo, then the route's own parameter (none for /user)
 * @property {string} doc the anchor GitHub puts in this route's error bodies
 * @property {keyof Writable} [writes] the GITHUB_TOKEN write permission this route needs
 * @property {keyof Readable} [reads] the GITHUB_TOKEN read permission this route needs, beyond metadata
 */

const DOCS = 'https://docs.github.com/rest'
export const ROLE_NAMES = Object.freeze(['admin', 'maintain', 'write', 'triage', 'read', 'none', 'missing'])
// `permission` is the pre-2021 vocabulary, which has no maintain or triage.
/** @type {Record<RoleName | 'none', string>} */
const LEGACY = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' }
const RANK = ['none', 'read', 'triage', 'write', 'maintain', 'admin']
const MAX_BODY_CHARS = 65536
const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100

const REPO = String.raw`^/repos/([^/]+)/([^/]+)`
/** @type {Route[]} */
const ROUTES = [
  { name: 'user', method: 'GET', pattern: /^\/user$/, doc: 'users/users#get-the-authenticated-user' },
  {
    name: 'permission',
    method: 'GET',
    pattern: new RegExp(`${REPO}/collaborators/([^/]+)/permission$`),
    doc: 'collaborators/collaborators#get-repository-permissions-for-a-user'
  },
  { name: 'listComments', method: 'GET', pattern: new RegExp(`${REPO}/issues/([1-9]\\d*)/comments$`), doc: 'issues/comments#list-issue-comments' },
  {
    name: 'createComment',
    method: 'POST',
    pattern: new RegExp(`${REPO}/issues/([1-9]\\d*)/comments$`),
    doc: 'issues/comments#create-an-issue-comment',
    writes: 'comments'
  },
  { name: 'getComment', method: 'GET', pattern: new RegExp(`${REPO}/issues/comments/(\\d+)$`), doc: 'issues/comments#get-an-issue-comment' },
  {
    name: 'updateComment',
    method: 'PATCH',
    pattern: new RegExp(`${REPO}/issues/comments/(\\d+)$`),
    doc: 'issues/comments#update-an-issue-comment',
    writes: 'comments'
  },
  {
    name: 'reactToIssueComment',
    method: 'POST',
    pattern: new RegExp(`${REPO}/issues/comments/(\\d+)/reactions$`),
    doc: 'reactions/reactions#create-reaction-for-an-issue-comment',
    writes: 'reactions'
  },
  {
    name: 'reactToReviewComment',
    method: 'POST',
    pattern: new RegExp(`${REPO}/pulls/comments/(\\d+)/reactions$`),
    doc: 'reactions/reactions#create-reaction-for-a-pull-request-review-comment',
    writes: 'reactions'
  },
  { name: 'getPull', method: 'GET', pattern: new RegExp(`${REPO}/pulls/([1-9]\\d*)$`), doc: 'pulls/pulls#get-a-pull-request', reads: 'pulls' },
  {
    name: 'listReviewComments',
    method: 'GET',
    pattern: new RegExp(`${REPO}/pulls/([1-9]\\d*)/comments$`),
    doc: 'pulls/comments#list-review-comments-on-a-pull-request',
    reads: 'pulls'
  },
  {
    name: 'listReviewCommentsOfReview',
    method: 'GET',
    pattern: new RegExp(`${REPO}/pulls/([1-9]\\d*)/reviews/(\\d+)/comments$`),
    doc: 'pulls/reviews#list-comments-for-a-pull-request-review',
    reads: 'pulls'
  }
]

/**
 * GitHub's error body; `status` has been a string since 2024.
 * @param {number} statusCode @param {string} message @param {string} [doc] @param {Record<string, unknown>} [extra]
 * @returns {Reply}
 */
export function errorReply(statusCode, message, doc = DOCS, extra = {}) {
  return { statusCode, body: { message, ...extra, documentation_url: doc, status: String(statusCode) } }
}

/**
 * The route a request is for, if the stand-in knows it.
 * @param {string} method @param {string} pathname
 * @returns {RouteName | undefined}
 */
export function routeNameOf(method, pathname) {
  return matchRoute(method, pathname)?.route.name
}

/**
 * GitHub answers an unsupported method on a known path 404 too, so only a full match counts.
 * @param {string} method @param {string} pathname
 */
function matchRoute(method, pathname) {
  for (const route of ROUTES) {
    const found = route.method === method ? route.pattern.exec(pathname) : null
    if (!found) continue
    try {
      return { route, params: found.slice(1).map((p) => decodeURIComponent(p)) }
    } catch {
      return undefined
    }
  }
  return undefined
}

/** How GitHub's schema errors print a value (Ruby's inspect). @param {unknown} value */
const inspect = (value) => (value === null || value === undefined ? 'nil' : JSON.stringify(value))

/** @param {string | null} value @param {number} fallback */
function positive(value, fallback) {
  const n = /^\d+$/.test(value ?? '') ? Number(value) : 0
  return n >= 1 ? n : fallback
}

/**
 * GitHub's order: prev, next, last, first; each link keeps the caller's other parameters.
 * @param {string} base absolute URL without query @param {URLSearchParams} query @param {number} page @param {number} lastPage
 */
function linkHeader(base, query, page, lastPage) {
  /** @param {number} n @param {string} rel */
  const link = (n, rel) => {
    const params = new URLSearchParams(query)
    params.set('page', String(n))
    return `<${base}?${params}>; rel="${rel}"`
  }
  const parts = []
  if (page > 1) parts.push(link(page - 1, 'prev'))
  if (page < lastPage) parts.push(link(page + 1, 'next'), link(lastPage, 'last'))
  if (page > 1) parts.push(link(1, 'first'))
  return parts.join(', ')
}

/**
 * @typedef {object} ApiConfig
 * @property {Repository} repository
 * @property {Map<string, { login: string, role: PermissionSetting }>} permissions
 * @property {Writable} writable
 * @property {Readable} readable
 * @property {() => string} apiUrl the stand-in's own origin
 * @property {() => string} linkOrigin the origin pagination links point at
 * @property {string} [tokenOwner] the person a personal access token belongs to; unset, the token is an installation's (GITHUB_TOKEN)
 */

/**
 * @param {ApiConfig} config
 * @returns {(method: string, url: URL, raw: string) => Reply}
 */
export function createGitHubApi({ repository, permissions, writable, readable, apiUrl, linkOrigin, tokenOwner }) {
  // What the token writes as: its owner, or for an installation token its App's bot.
  const actor = tokenOwner ?? ACTIONS_BOT.login
  return function answer(method, url, raw) {
    const match = matchRoute(method, url.pathname)
    if (!match) return errorReply(404, 'Not Found')
    const { route, params } = match
    const doc = `${DOCS}/${route.doc}`
    // An installation token has no user behind it: GitHub answers 403, as for GITHUB_TOKEN.
    if (route.name === 'user') {
      return tokenOwner === undefined ? errorReply(403, 'Resource not accessible by integration', doc) : { statusCode: 200, body: userJson(tokenOwner) }
    }
    const [owner, repo, param] = params
    // The token only sees its own repository; any other answers as if it did not exist.
    if (!repository.matches(owner, repo)) return errorReply(404, 'Not Found', doc)
    if ((route.writes && !writable[route.writes]) || (route.reads && !readable[route.reads])) {
      return errorReply(403, 'Resource not accessible by integration', doc)
    }
    /** @type {Record<string, unknown>} */
    let input = {}
    if (method !== 'GET' && raw.trim() !== '') {
      try {
        const parsed = JSON.parse(raw)
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed
      } catch {
        return errorReply(400, 'Problems parsing JSON', doc)
      }
    }
    /** @param {string} field */
    const schemaError = (field) => {
      if (!(field in input)) return errorReply(422, `Invalid request.\n\n"${field}" wasn't supplied.`, doc)
      if (typeof input[field] !== 'string')
        return errorReply(422, `Invalid request.\n\nFor 'properties/${field}', ${inspect(input[field])} is not a string.`, doc)
      return undefined
    }

    switch (route.name) {
      case 'permission':
        return permission(param, doc)
      case 'listComments':
        return list(Number(param), url)
      case 'createComment': {
        const refused = schemaError('body') ?? invalidBody(String(input.body), doc)
        if (refused) return refused
        const record = repository.addComment(Number(param), String(input.body), actor)
        return {
          statusCode: 201,
          body: repository.commentJson(record, apiUrl()),
          headers: { Location: `${apiUrl()}/repos/${owner}/${repo}/issues/comments/${record.id}` }
        }
      }
      case 'getComment':
      case 'updateComment': {
        const refused = route.name === 'updateComment' ? schemaError('body') : undefined
        if (refused) return refused
        const record = repository.findComment(Number(param))
        if (!record) return errorReply(404, 'Not Found', doc)
        if (route.name === 'getComment') return { statusCode: 200, body: repository.commentJson(record, apiUrl()) }
        const invalid = invalidBody(String(input.body), doc)
        if (invalid) return invalid
        repository.updateComment(record, String(input.body))
        return { statusCode: 200, body: repository.commentJson(record, apiUrl()) }
      }
      case 'reactToIssueComment':
      case 'reactToReviewComment': {
        const refused = schemaError('content')
        if (refused) return refused
        const content = String(input.content)
        if (!REACTION_CONTENTS.includes(content)) {
          const allowed = REACTION_CONTENTS.map((c) => `"${c}"`).join(', ')
          return errorReply(422, `Invalid request.\n\nFor 'properties/content', ${inspect(content)} is not one of [${allowed}].`, doc)
        }
        /** @type {ReactionTarget} */
        const on = route.name === 'reactToIssueComment' ? 'issue-comment' : 'review-comment'
        if (!repository.hasComment(on, Number(param))) return errorReply(404, 'Not Found', doc)
        const { reaction, created } = repository.react(on, Number(param), content, actor)
        return { statusCode: created ? 201 : 200, body: repository.reactionJson(reaction) }
      }
      case 'getPull': {
        const record = repository.findPull(Number(param))
        return record ? { statusCode: 200, body: repository.pullJson(record, apiUrl()) } : errorReply(404, 'Not Found', doc)
      }
      case 'listReviewComments':
      case 'listReviewCommentsOfReview': {
        if (!repository.knowsPull(Number(param))) return errorReply(404, 'Not Found', doc)
        const review = route.name === 'listReviewCommentsOfReview' ? Number(params[3]) : undefined
        const all = repository.reviewCommentsOn(Number(param), review)
        // Only the pull request's list takes sort and direction; a review's keeps GitHub's order.
        const newestFirst = review === undefined && url.searchParams.has('sort') && url.searchParams.get('direction') === 'desc'
        return page(newestFirst ? [...all].reverse() : all, url, linkOrigin(), (c) => repository.reviewCommentJson(c, apiUrl()))
      }
    }
    return errorReply(404, 'Not Found')
  }

  /** @param {string} login @param {string} doc */
  function permission(login, doc) {
    const listed = permissions.get(login.toLowerCase())
    if (listed?.role === 'missing') return errorReply(404, 'Not Found', doc)
    // Anyone may read a public repository, so an unlisted login is an outsider with read.
    const role = /** @type {RoleName | 'none'} */ (listed?.role ?? 'read')
    const rank = RANK.indexOf(role)
    const flags = { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 }
    const user = { ...userJson(listed?.login ?? login), permissions: flags, role_name: role }
    return { statusCode: 200, body: { permission: LEGACY[role], role_name: role, user } }
  }

  /**
   * @param {number} issue @param {URL} url
   * @returns {Reply}
   */
  function list(issue, url) {
    const perPage = Math.min(positive(url.searchParams.get('per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE)
    const page = positive(url.searchParams.get('page'), 1)
    const since = Date.parse(url.searchParams.get('since') ?? '')
    const all = repository.commentsOn(issue, Number.isNaN(since) ? undefined : since)
    const body = all.slice((page - 1) * perPage, page * perPage).map((c) => repository.commentJson(c, apiUrl()))
    const link = linkHeader(linkOrigin() + url.pathname, url.searchParams, page, Math.ceil(all.length / perPage))
    return { statusCode: 200, body, headers: link ? { Link: link } : {} }
  }
}

/**
 * One page of `all`, with GitHub's Link header to the others.
 * @template T
 * @param {T[]} all @param {URL} url @param {string} origin where the links point @param {(item: T) => unknown} json
 * @returns {Reply}
 */
function page(all, url, origin, json) {
  const perPage = Math.min(positive(url.searchParams.get('per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE)
  const number = positive(url.searchParams.get('page'), 1)
  const body = all.slice((number - 1) * perPage, number * perPage).map(json)
  const link = linkHeader(origin + url.pathname, url.searchParams, number, Math.ceil(all.length / perPage))
  return { statusCode: 200, body, headers: link ? { Link: link } : {} }
}

/**
 * The checks GitHub makes after the schema: a comment must say something and fit.
 * @param {string} body @param {string} doc
 */
function invalidBody(body, doc) {
  /** @param {string} code @param {string} field @param {string} message */
  const failed = (code, field, message) => errorReply(422, 'Validation Failed', doc, { errors: [{ resource: 'IssueComment', code, field, message }] })
  if (body.trim() === '') return failed('unprocessable', 'data', 'Body cannot be blank')
  if ([...body].length > MAX_BODY_CHARS) return failed('custom', 'body', `body is too long (maximum is ${MAX_BODY_CHARS} characters)`)
  return undefined
}
