// The one repository the GitHub stand-in serves: its pull requests, issue comments,
// pull request review comments and the reactions on them, kept as plain records and
// turned into the REST API's JSON shapes only when answered, so state() stays small.
import { createHash } from 'node:crypto'
import { Buffer } from 'node:buffer'

/** @typedef {'issue-comment' | 'review-comment'} ReactionTarget */
/**
 * @typedef {object} SeedComment
 * @property {number} issue issue or pull request number
 * @property {string} body
 * @property {string} [login] author, default github-actions[bot]
 */
/**
 * @typedef {object} SeedReviewComment
 * @property {number} pull pull request number
 * @property {string} body
 * @property {string} [login] author, default github-actions[bot]
 * @property {number} [inReplyTo] id of an earlier review comment on the same pull request this one answers
 * @property {number} [review] the review it belongs to (pull_request_review_id), default a review of its own
 * @property {string} [path] default README.md
 * @property {number} [line] the (last) commented line; unset, a comment on the whole file
 * @property {number} [startLine] the first line of a multi-line comment
 * @property {'LEFT' | 'RIGHT'} [side] default RIGHT
 * @property {boolean} [outdated] a later commit changed the code: line and start_line become null, original_* keep them
 * @property {string} [diffHunk] default a one-line hunk
 */
/**
 * @typedef {object} CommentRecord
 * @property {number} id
 * @property {number} issue
 * @property {string} body
 * @property {string} login
 * @property {number} createdAt epoch ms
 * @property {number} updatedAt epoch ms
 */
/**
 * @typedef {object} SeedPullRequest
 * @property {number} number
 * @property {string} head the head branch's name, without refs/heads/
 * @property {string} [headRepository] owner/repo holding the head branch, default the stand-in's own; another is a fork
 * @property {string} [login] author, default github-actions[bot]
 */
/** @typedef {{ id: number, number: number, head: string, headRepository: string, login: string, createdAt: number }} PullRequestRecord */
/**
 * @typedef {{ id: number, pull: number, body: string, login: string, inReplyTo?: number, review: number, path: string, line?: number,
 *   startLine?: number, side: 'LEFT' | 'RIGHT', outdated: boolean, diffHunk: string, createdAt: number }} ReviewCommentRecord
 */
/** @typedef {{ id: number, commentId: number, on: ReactionTarget, content: string, login: string, createdAt: number }} ReactionRecord */

/** Who GITHUB_TOKEN acts as: every comment and reaction an installation token makes is this user's. */
export const ACTIONS_BOT = Object.freeze({ login: 'github-actions[bot]', id: 41898282, type: 'Bot' })
/** The GitHub App behind GITHUB_TOKEN, as comments name it in performed_via_github_app. */
const ACTIONS_APP = Object.freeze({ id: 15368, slug: 'github-actions', name: 'GitHub Actions' })
export const REACTION_CONTENTS = Object.freeze(['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'])

// Large, disjoint id ranges, as on github.com: an action that mixes up an issue
// number, an issue comment id and a review comment id gets a 404, not a lucky hit.
const FIRST_COMMENT_ID = 2_000_000_001
const FIRST_REVIEW_COMMENT_ID = 1_500_000_001
const FIRST_REVIEW_ID = 2_100_000_001
const FIRST_REACTION_ID = 300_000_001
const FIRST_PULL_ID = 1_900_000_001

/** GitHub's timestamps carry no milliseconds. @param {number} ms */
const timestamp = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** @param {string} prefix @param {number} id */
const nodeId = (prefix, id) => `${prefix}_${Buffer.from(`${prefix}${id}`).toString('base64url')}`

/** A stable number from a name, so the same login, repository or branch always looks the same. @param {string} name */
const stableNumber = (name) => createHash('sha256').update(name.toLowerCase()).digest().readUInt32BE(0)

/** A commit sha that stays the same for the same repository and branch. @param {string} repository @param {string} ref */
const branchSha = (repository, ref) => createHash('sha1').update(`${repository.toLowerCase()}:${ref}`).digest('hex')

/**
 * The GitHub App a bot acts for: a `[bot]` login is an App's installation writing.
 * @param {string} login
 * @returns {{ id: number, slug: string, node_id: string, name: string, html_url: string } | null} null for a person
 */
export function appJson(login) {
  if (!login.endsWith('[bot]')) return null
  const slug = login.slice(0, -'[bot]'.length).toLowerCase()
  const known = slug === ACTIONS_APP.slug ? ACTIONS_APP : { id: 100_000 + (stableNumber(slug) % 900_000), slug, name: slug }
  return { id: known.id, slug: known.slug, node_id: nodeId('A', known.id), name: known.name, html_url: `https://github.com/apps/${known.slug}` }
}

/**
 * The same login always gets the same id, so tests can compare users across calls.
 * @param {string} login
 * @returns {{ login: string, id: number, node_id: string, avatar_url: string, html_url: string, type: 'User' | 'Bot', site_admin: boolean }}
 */
export function userJson(login) {
  const isActionsBot = login.toLowerCase() === ACTIONS_BOT.login
  const id = isActionsBot ? ACTIONS_BOT.id : 10_000_000 + (stableNumber(login) % 90_000_000)
  const type = login.endsWith('[bot]') ? 'Bot' : 'User'
  return {
    login: isActionsBot ? ACTIONS_BOT.login : login,
    id,
    node_id: nodeId(type === 'Bot' ? 'BOT' : 'U', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    html_url: type === 'Bot' ? `https://github.com/apps/${login.slice(0, -'[bot]'.length)}` : `https://github.com/${login}`,
    type,
    site_admin: false
  }
}

export class Repository {
  /**
   * @param {{ owner: string, repo: string, now: () => number, comments?: SeedComment[], reviewComments?: SeedReviewComment[], pullRequests?: SeedPullRequest[] }} config
   */
  constructor(config) {
    this.owner = config.owner
    this.repo = config.repo
    this.now = config.now
    /** @type {CommentRecord[]} */
    this.comments = []
    /** @type {ReviewCommentRecord[]} */
    this.reviewComments = []
    /** @type {ReactionRecord[]} */
    this.reactions = []
    /** @type {PullRequestRecord[]} */
    this.pullRequests = []
    this.nextCommentId = FIRST_COMMENT_ID
    this.nextReactionId = FIRST_REACTION_ID
    for (const seed of config.comments ?? []) {
      checkSeed(seed.issue, seed.body, 'comments[].issue')
      this.addComment(seed.issue, seed.body, seed.login ?? ACTIONS_BOT.login)
    }
    ;(config.reviewComments ?? []).forEach((seed, index) => {
      checkSeed(seed.pull, seed.body, 'reviewComments[].pull')
      checkReviewCommentSeed(seed, this.reviewComments)
      const { pull, body, login = ACTIONS_BOT.login, inReplyTo, path = 'README.md', line, startLine, side = 'RIGHT', outdated = false } = seed
      const diffHunk = seed.diffHunk ?? '@@ -1 +1 @@\n-# Hello-World\n+# Hello, World'
      const id = FIRST_REVIEW_COMMENT_ID + index
      const review = seed.review ?? FIRST_REVIEW_ID + index
      this.reviewComments.push({ id, pull, body, login, inReplyTo, review, path, line, startLine, side, outdated, diffHunk, createdAt: this.now() })
    })
    const createdAt = this.now()
    ;(config.pullRequests ?? []).forEach((seed, index) => {
      checkPullSeed(seed, this.pullRequests)
      const { number, head, headRepository = this.fullName, login = ACTIONS_BOT.login } = seed
      this.pullRequests.push({ id: FIRST_PULL_ID + index, number, head, headRepository, login, createdAt })
    })
  }

  get fullName() {
    return `${this.owner}/${this.repo}`
  }

  /** Owner and repository names are case-insensitive on GitHub. @param {string} owner @param {string} repo */
  matches(owner, repo) {
    return owner.toLowerCase() === this.owner.toLowerCase() && repo.toLowerCase() === this.repo.toLowerCase()
  }

  /** @param {number} issue @param {string} body @param {string} login */
  addComment(issue, body, login) {
    const at = this.now()
    /** @type {CommentRecord} */
    const record = { id: this.nextCommentId++, issue, body, login, createdAt: at, updatedAt: at }
    this.comments.push(record)
    return record
  }

  /** @param {CommentRecord} record @param {string} body */
  updateComment(record, body) {
    record.body = body
    record.updatedAt = this.now()
  }

  /** Oldest first, as GitHub lists them. @param {number} issue @param {number} [sinceMs] */
  commentsOn(issue, sinceMs) {
    return this.comments.filter((c) => c.issue === issue && (sinceMs === undefined || c.updatedAt >= sinceMs))
  }

  /** @param {ReactionTarget} on @param {number} commentId */
  hasComment(on, commentId) {
    const list = on === 'issue-comment' ? this.comments : this.reviewComments
    return list.some((c) => c.id === commentId)
  }

  /** A pull request GitHub knows: a seeded one, or one that has review comments. @param {number} pull */
  knowsPull(pull) {
    return this.findPull(pull) !== undefined || this.reviewComments.some((c) => c.pull === pull)
  }

  /** Oldest first, as GitHub lists them; `review` keeps one review's. @param {number} pull @param {number} [review] */
  reviewCommentsOn(pull, review) {
    return this.reviewComments.filter((c) => c.pull === pull && (review === undefined || c.review === review))
  }

  /**
   * GitHub's pull request review comment, as the list routes answer it.
   * @param {ReviewCommentRecord} record @param {string} apiUrl the stand-in's own origin
   */
  reviewCommentJson(record, apiUrl) {
    const repoApi = `${apiUrl}/repos/${this.owner}/${this.repo}`
    const url = `${repoApi}/pulls/comments/${record.id}`
    const htmlUrl = `https://github.com/${this.owner}/${this.repo}/pull/${record.pull}#discussion_r${record.id}`
    const pullUrl = `${repoApi}/pulls/${record.pull}`
    const line = record.line ?? null
    const startLine = record.startLine ?? null
    const pull = this.findPull(record.pull)
    const commit = branchSha(pull?.headRepository ?? this.fullName, pull?.head ?? `pull/${record.pull}/head`)
    return {
      url,
      pull_request_review_id: record.review,
      id: record.id,
      node_id: nodeId('PRRC', record.id),
      diff_hunk: record.diffHunk,
      path: record.path,
      commit_id: commit,
      original_commit_id: commit,
      user: userJson(record.login),
      body: record.body,
      created_at: timestamp(record.createdAt),
      updated_at: timestamp(record.createdAt),
      html_url: htmlUrl,
      pull_request_url: pullUrl,
      author_association: 'CONTRIBUTOR',
      _links: { self: { href: url }, html: { href: htmlUrl }, pull_request: { href: pullUrl } },
      // GitHub leaves the key out of a comment that starts its thread.
      ...(record.inReplyTo === undefined ? {} : { in_reply_to_id: record.inReplyTo }),
      start_line: record.outdated ? null : startLine,
      original_start_line: startLine,
      start_side: startLine === null ? null : record.side,
      line: record.outdated ? null : line,
      original_line: line,
      side: record.side,
      subject_type: line === null ? 'file' : 'line'
    }
  }

  /** @param {number} id */
  findComment(id) {
    return this.comments.find((c) => c.id === id)
  }

  /** @param {number} number */
  findPull(number) {
    return this.pullRequests.find((p) => p.number === number)
  }

  /**
   * GitHub keeps one reaction per user, comment and content: a repeat hands back the first.
   * @param {ReactionTarget} on @param {number} commentId @param {string} content @param {string} login
   */
  react(on, commentId, content, login) {
    const existing = this.reactions.find((r) => r.on === on && r.commentId === commentId && r.content === content && r.login === login)
    if (existing) return { reaction: existing, created: false }
    /** @type {ReactionRecord} */
    const reaction = { id: this.nextReactionId++, commentId, on, content, login, createdAt: this.now() }
    this.reactions.push(reaction)
    return { reaction, created: true }
  }

  /** @param {CommentRecord} record @param {string} apiUrl the stand-in's own origin, standing in for https://api.github.com */
  commentJson(record, apiUrl) {
    const repoApi = `${apiUrl}/repos/${this.owner}/${this.repo}`
    const url = `${repoApi}/issues/comments/${record.id}`
    return {
      id: record.id,
      node_id: nodeId('IC', record.id),
      url,
      html_url: this.htmlUrl(record),
      body: record.body,
      user: userJson(record.login),
      created_at: timestamp(record.createdAt),
      updated_at: timestamp(record.updatedAt),
      issue_url: `${repoApi}/issues/${record.issue}`,
      // Set when an App's installation token wrote the comment; null for a person (a personal access token).
      performed_via_github_app: appJson(record.login),
      reactions: this.rollup(record.id, `${url}/reactions`)
    }
  }

  /**
   * The part of GitHub's pull request object a client reads to find the branches.
   * @param {PullRequestRecord} record @param {string} apiUrl the stand-in's own origin
   */
  pullJson(record, apiUrl) {
    const url = `${apiUrl}/repos/${this.owner}/${this.repo}/pulls/${record.number}`
    /** @param {string} repository @param {string} ref */
    const branch = (repository, ref) => {
      const owner = repository.split('/')[0]
      return { label: `${owner}:${ref}`, ref, sha: branchSha(repository, ref), user: userJson(owner), repo: this.repoJson(repository, apiUrl) }
    }
    return {
      url,
      id: record.id,
      node_id: nodeId('PR', record.id),
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${record.number}`,
      number: record.number,
      state: 'open',
      locked: false,
      // GitHub proposes the branch name as the title of a pull request with several commits.
      title: record.head,
      user: userJson(record.login),
      body: null,
      created_at: timestamp(record.createdAt),
      updated_at: timestamp(record.createdAt),
      draft: false,
      head: branch(record.headRepository, record.head),
      base: branch(this.fullName, 'main')
    }
  }

  /** @param {string} fullName owner/repo @param {string} apiUrl */
  repoJson(fullName, apiUrl) {
    const [owner, name] = fullName.split('/')
    const id = 100_000_000 + (stableNumber(fullName) % 900_000_000)
    return {
      id,
      node_id: nodeId('R', id),
      name,
      full_name: fullName,
      private: false,
      owner: userJson(owner),
      html_url: `https://github.com/${fullName}`,
      fork: !this.matches(owner, name),
      url: `${apiUrl}/repos/${fullName}`,
      default_branch: 'main'
    }
  }

  /** @param {ReactionRecord} reaction */
  reactionJson(reaction) {
    return {
      id: reaction.id,
      node_id: nodeId('REA', reaction.id),
      user: userJson(reaction.login),
      content: reaction.content,
      created_at: timestamp(reaction.createdAt)
    }
  }

  /** @param {CommentRecord} record */
  htmlUrl(record) {
    return `https://github.com/${this.owner}/${this.repo}/issues/${record.issue}#issuecomment-${record.id}`
  }

  /** The reaction counts GitHub embeds in every issue comment. @param {number} commentId @param {string} url */
  rollup(commentId, url) {
    /** @type {Record<string, string | number>} */
    const counts = { url, total_count: 0 }
    for (const content of REACTION_CONTENTS) counts[content] = 0
    for (const r of this.reactions) {
      if (r.on !== 'issue-comment' || r.commentId !== commentId) continue
      counts[r.content] = Number(counts[r.content]) + 1
      counts.total_count = Number(counts.total_count) + 1
    }
    return counts
  }

  snapshot() {
    return {
      comments: this.comments.map((c) => ({ id: c.id, issue: c.issue, body: c.body, html_url: this.htmlUrl(c), login: c.login })),
      reviewComments: this.reviewComments.map((c) => ({
        id: c.id,
        pull: c.pull,
        body: c.body,
        html_url: `https://github.com/${this.owner}/${this.repo}/pull/${c.pull}#discussion_r${c.id}`,
        login: c.login
      })),
      reactions: this.reactions.map((r) => ({ commentId: r.commentId, on: r.on, content: r.content }))
    }
  }
}

/** A typo in a test's seed should fail loudly at start, not as a puzzling 404 later. @param {unknown} number @param {unknown} body @param {string} what */
function checkSeed(number, body, what) {
  if (!Number.isInteger(number) || /** @type {number} */ (number) < 1) throw new TypeError(`${what} must be a positive integer`)
  if (typeof body !== 'string') throw new TypeError('seeded comment bodies must be strings')
}

/** @param {SeedReviewComment} seed @param {ReviewCommentRecord[]} seeded */
function checkReviewCommentSeed(seed, seeded) {
  const { inReplyTo, line, startLine, side } = seed
  if (inReplyTo !== undefined && !seeded.some((c) => c.id === inReplyTo && c.pull === seed.pull)) {
    throw new TypeError(`reviewComments[].inReplyTo ${inReplyTo} is not an earlier review comment on pull request ${seed.pull}`)
  }
  for (const [name, value] of Object.entries({ line, startLine })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new TypeError(`reviewComments[].${name} must be a positive integer`)
  }
  if (startLine !== undefined && (line === undefined || startLine > line)) throw new TypeError('reviewComments[].startLine needs a line at or after it')
  if (side !== undefined && side !== 'LEFT' && side !== 'RIGHT') throw new TypeError('reviewComments[].side must be LEFT or RIGHT')
}

/** @param {SeedPullRequest} seed @param {PullRequestRecord[]} seeded */
function checkPullSeed(seed, seeded) {
  const { number, head, headRepository } = seed
  if (!Number.isInteger(number) || number < 1) throw new TypeError('pullRequests[].number must be a positive integer')
  if (seeded.some((p) => p.number === number)) throw new TypeError(`pullRequests[].number ${number} is seeded twice`)
  if (typeof head !== 'string' || head.trim() === '') throw new TypeError('pullRequests[].head must be a branch name')
  if (headRepository !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(headRepository)) throw new TypeError('pullRequests[].headRepository must be owner/repo')
}
