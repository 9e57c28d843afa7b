import { describe, it, expect, afterEach } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { startGitHubStandIn } from '../simulator/github.js'
import { reviewCommentOf } from '../src/github/event.js'
import { payloads } from '../__fixtures__/webhooks.js'
import type { GitHubStandIn, GitHubStandInOptions } from '../simulator/github.js'

type Call = { method?: string; body?: unknown; raw?: string; auth?: string | null }
type Comment = { id: number; body: string; html_url: string; updated_at: string; user: { login: string } }

const TOKEN = 'ghs_standInTestToken5f2a'
const OWNER = 'octo-org'
const REPO = 'octo-repo'
const REPO_PATH = `/repos/${OWNER}/${REPO}`
const T0 = Date.parse('2025-06-01T00:00:00.000Z')
let clock = T0
let standIn: GitHubStandIn | undefined

async function start(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  clock = T0
  standIn = await startGitHubStandIn({ token: TOKEN, now: () => clock, ...options })
  return standIn
}

function current(): GitHubStandIn {
  if (!standIn) throw new Error('stand-in not started')
  return standIn
}

function call(path: string, { method = 'GET', body, raw, auth = `token ${TOKEN}` }: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/vnd.github+json', 'Content-Type': 'application/json' }
  if (auth !== null) headers.Authorization = auth
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body))
  return fetch(current().url + path, { method, headers, body: payload })
}

const octokit = () => getOctokit(TOKEN, { baseUrl: current().url })
const seeds = (count: number, issue = 7) => Array.from({ length: count }, (_, i) => ({ issue, body: `comment ${i + 1}` }))
const notFound = (anchor?: string) => ({
  message: 'Not Found',
  documentation_url: anchor ? `https://docs.github.com/rest/${anchor}` : 'https://docs.github.com/rest',
  status: '404'
})
const forbidden = (anchor: string) => ({
  message: 'Resource not accessible by integration',
  documentation_url: `https://docs.github.com/rest/${anchor}`,
  status: '403'
})
const CREATE_COMMENT = 'issues/comments#create-an-issue-comment'
const UPDATE_COMMENT = 'issues/comments#update-an-issue-comment'
const REACT_ISSUE = 'reactions/reactions#create-reaction-for-an-issue-comment'
const REACT_REVIEW = 'reactions/reactions#create-reaction-for-a-pull-request-review-comment'
const PERMISSION = 'collaborators/collaborators#get-repository-permissions-for-a-user'
const GET_PULL = 'pulls/pulls#get-a-pull-request'

afterEach(async () => {
  await standIn?.close()
  standIn = undefined
})

describe('startGitHubStandIn', () => {
  it('listens on loopback, gives its origin without a trailing slash, and closes twice safely', async () => {
    const { url, close } = await start()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    await close()
    await close()
    await expect(fetch(`${url}${REPO_PATH}/issues/1/comments`)).rejects.toThrow()
    standIn = undefined
  })

  it('refuses an unknown role or a bad seed at start', async () => {
    await expect(startGitHubStandIn({ permissions: { alice: 'owner' as 'admin' } })).rejects.toThrow(/permissions\.alice: unknown role "owner"/)
    await expect(startGitHubStandIn({ comments: [{ issue: 0, body: 'x' }] })).rejects.toThrow(/positive integer/)
    await expect(startGitHubStandIn({ pullRequests: [{ number: 1.5, head: 'x' }] })).rejects.toThrow(/pullRequests\[\]\.number must be a positive integer/)
    await expect(
      startGitHubStandIn({
        pullRequests: [
          { number: 2, head: 'a' },
          { number: 2, head: 'b' }
        ]
      })
    ).rejects.toThrow(/seeded twice/)
    await expect(startGitHubStandIn({ pullRequests: [{ number: 2, head: ' ' }] })).rejects.toThrow(/head must be a branch name/)
    await expect(startGitHubStandIn({ pullRequests: [{ number: 2, head: 'x', headRepository: 'just-a-name' }] })).rejects.toThrow(/owner\/repo/)
  })
})

describe('auth', () => {
  it('answers 401 Requires authentication without a token scheme it knows', async () => {
    await start()
    for (const auth of [null, `Basic ${TOKEN}`, 'token ', TOKEN]) {
      const res = await call(`${REPO_PATH}/issues/1/comments`, { auth })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' })
    }
  })

  it('answers 401 Bad credentials for another token, and takes both token and Bearer schemes', async () => {
    await start()
    const bad = await call(`${REPO_PATH}/issues/1/comments`, { auth: 'token ghs_someoneElse' })
    expect(bad.status).toBe(401)
    expect(await bad.text()).toBe('{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}')
    expect((await call(`${REPO_PATH}/issues/1/comments`, { auth: `token ${TOKEN}` })).status).toBe(200)
    expect((await call(`${REPO_PATH}/issues/1/comments`, { auth: `Bearer ${TOKEN}` })).status).toBe(200)
    await expect(
      getOctokit('ghs_someoneElse', { baseUrl: current().url }).rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 1 })
    ).rejects.toMatchObject({
      status: 401
    })
  })

  it('accepts any non-empty token when none is configured', async () => {
    await start({ token: undefined })
    expect((await call(`${REPO_PATH}/issues/1/comments`, { auth: 'token anything' })).status).toBe(200)
    expect((await call(`${REPO_PATH}/issues/1/comments`, { auth: 'Bearer other' })).status).toBe(200)
    expect((await call(`${REPO_PATH}/issues/1/comments`, { auth: null })).status).toBe(401)
  })

  it('never records the token anywhere in its state', async () => {
    await start({ reviewComments: [{ pull: 3, body: 'nit' }] })
    const created = (await (await call(`${REPO_PATH}/issues/5/comments`, { method: 'POST', body: { body: 'hello' } })).json()) as Comment
    await call(`${REPO_PATH}/issues/comments/${created.id}`, { method: 'PATCH', body: { body: 'edited' } })
    await call(`${REPO_PATH}/issues/comments/${created.id}/reactions`, { method: 'POST', body: { content: 'eyes' } })
    await call(`${REPO_PATH}/collaborators/someone/permission`, { auth: `Bearer ${TOKEN}` })
    await call(`${REPO_PATH}/issues/5/comments`, { auth: 'token wrong-token' })
    const state = JSON.stringify(current().state())
    expect(current().state().requests).toHaveLength(5)
    expect(state).not.toContain(TOKEN)
    expect(state).not.toContain('wrong-token')
  })
})

describe('GET /repos/{owner}/{repo}/collaborators/{username}/permission', () => {
  it('answers each role with its legacy permission, matching logins case-insensitively', async () => {
    const roles = { Admin1: 'admin', Maint: 'maintain', Writer: 'write', Triager: 'triage', Reader: 'read', Nobody: 'none' } as const
    await start({ permissions: roles })
    const expected: [string, string, string][] = [
      ['admin1', 'admin', 'admin'],
      ['MAINT', 'write', 'maintain'],
      ['writer', 'write', 'write'],
      ['triager', 'read', 'triage'],
      ['reader', 'read', 'read'],
      ['nobody', 'none', 'none']
    ]
    for (const [asked, permission, role] of expected) {
      const res = await call(`${REPO_PATH}/collaborators/${asked}/permission`)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { permission: string; role_name: string; user: { login: string; id: number; type: string } }
      expect({ asked, permission: body.permission, role_name: body.role_name }).toEqual({ asked, permission, role_name: role })
      // GitHub answers with the account's own spelling of the login.
      expect(body.user.login.toLowerCase()).toBe(asked.toLowerCase())
      expect(Object.keys(roles)).toContain(body.user.login)
      expect(body.user).toMatchObject({ id: expect.any(Number), type: 'User' })
    }
  })

  it('answers the full shape, with the permission flags the role implies', async () => {
    await start({ permissions: { octocat: 'triage' } })
    const res = await call(`${REPO_PATH}/collaborators/octocat/permission`)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual({
      permission: 'read',
      role_name: 'triage',
      user: {
        login: 'octocat',
        id: expect.any(Number),
        node_id: expect.any(String),
        avatar_url: expect.stringMatching(/^https:\/\/avatars\.githubusercontent\.com\//),
        html_url: 'https://github.com/octocat',
        type: 'User',
        site_admin: false,
        permissions: { admin: false, maintain: false, push: false, triage: true, pull: true },
        role_name: 'triage'
      }
    })
  })

  it('answers an unlisted login as an outsider to a public repository: read', async () => {
    await start({ permissions: { alice: 'admin' } })
    const body = (await (await call(`${REPO_PATH}/collaborators/Stranger/permission`)).json()) as Record<string, unknown>
    expect(body).toMatchObject({ permission: 'read', role_name: 'read', user: { login: 'Stranger', type: 'User' } })
    const bot = (await (await call(`${REPO_PATH}/collaborators/${encodeURIComponent('dependabot[bot]')}/permission`)).json()) as Record<string, unknown>
    expect(bot).toMatchObject({ permission: 'read', user: { login: 'dependabot[bot]', type: 'Bot' } })
  })

  it("answers 404 for a login listed as 'missing'", async () => {
    await start({ permissions: { ghost: 'missing' } })
    const res = await call(`${REPO_PATH}/collaborators/GHOST/permission`)
    expect(res.status).toBe(404)
    expect(await res.text()).toBe(
      '{"message":"Not Found","documentation_url":"https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user","status":"404"}'
    )
  })

  it('works through Octokit, which throws a 404 for a missing user', async () => {
    await start({ permissions: { alice: 'maintain', ghost: 'missing' } })
    const { data, status } = await octokit().rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username: 'alice' })
    expect(status).toBe(200)
    expect(data).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'alice' } })
    await expect(octokit().rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: REPO, username: 'ghost' })).rejects.toMatchObject({
      status: 404,
      response: { data: notFound(PERMISSION) }
    })
  })
})

describe('GET /repos/{owner}/{repo}/issues/{number}/comments', () => {
  it("answers the issue's comments, oldest first, in GitHub's comment shape", async () => {
    await start({
      comments: [
        { issue: 7, body: 'first', login: 'alice' },
        { issue: 8, body: 'elsewhere' },
        { issue: 7, body: 'second' }
      ]
    })
    const res = await call(`${REPO_PATH}/issues/7/comments`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('x-ratelimit-remaining')).toBe('4999')
    expect(res.headers.get('link')).toBeNull()
    const [first, second, ...rest] = (await res.json()) as Record<string, unknown>[]
    expect(rest).toEqual([])
    const id = first.id as number
    const api = `${current().url}${REPO_PATH}`
    expect(first).toEqual({
      id,
      node_id: expect.any(String),
      url: `${api}/issues/comments/${id}`,
      html_url: `https://github.com/${OWNER}/${REPO}/issues/7#issuecomment-${id}`,
      body: 'first',
      user: expect.objectContaining({ login: 'alice', type: 'User', id: expect.any(Number) }),
      created_at: '2025-06-01T00:00:00Z',
      updated_at: '2025-06-01T00:00:00Z',
      issue_url: `${api}/issues/7`,
      performed_via_github_app: null,
      reactions: expect.objectContaining({ total_count: 0, eyes: 0, '+1': 0 })
    })
    expect(second).toMatchObject({
      body: 'second',
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      performed_via_github_app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' }
    })
    expect(second.id as number).toBeGreaterThan(id)
  })

  it('pages 250 comments by 100 with a Link header Octokit can follow', async () => {
    await start({ comments: seeds(250) })
    const path = `${REPO_PATH}/issues/7/comments`
    const base = `${current().url}${path}`
    const pages = []
    for (const page of [1, 2, 3]) {
      const res = await call(`${path}?per_page=100&page=${page}`)
      pages.push({ links: res.headers.get('link'), bodies: ((await res.json()) as Comment[]).map((c) => c.body) })
    }
    const at = (page: number, rel: string) => `<${base}?per_page=100&page=${page}>; rel="${rel}"`
    expect(pages[0].links).toBe([at(2, 'next'), at(3, 'last')].join(', '))
    expect(pages[1].links).toBe([at(1, 'prev'), at(3, 'next'), at(3, 'last'), at(1, 'first')].join(', '))
    expect(pages[2].links).toBe([at(2, 'prev'), at(1, 'first')].join(', '))
    expect(pages.map((p) => p.bodies.length)).toEqual([100, 100, 50])
    expect(pages.flatMap((p) => p.bodies)).toEqual(seeds(250).map((s) => s.body))
  })

  it('defaults to 30 a page, allows at most 100, and answers past the end with an empty list', async () => {
    await start({ comments: seeds(150) })
    const length = async (query: string) => ((await (await call(`${REPO_PATH}/issues/7/comments${query}`)).json()) as unknown[]).length
    expect(await length('')).toBe(30)
    expect(await length('?per_page=500')).toBe(100)
    expect(await length('?per_page=0')).toBe(30)
    expect(await length('?page=5')).toBe(30)
    expect(await length('?page=6')).toBe(0)
    const lastLinks = (await call(`${REPO_PATH}/issues/7/comments`)).headers.get('link')
    expect(lastLinks).toContain('?page=5>; rel="last"')
  })

  it('is collected whole by Octokit paginate, one request a page', async () => {
    await start({ comments: [...seeds(250), ...seeds(5, 8)] })
    const all = await octokit().paginate(octokit().rest.issues.listComments, { owner: OWNER, repo: REPO, issue_number: 7, per_page: 100 })
    expect(all.map((c) => c.body)).toEqual(seeds(250).map((s) => s.body))
    expect(
      current()
        .state()
        .requests.map((r) => r.path)
    ).toEqual([
      `${REPO_PATH}/issues/7/comments?per_page=100`,
      `${REPO_PATH}/issues/7/comments?per_page=100&page=2`,
      `${REPO_PATH}/issues/7/comments?per_page=100&page=3`
    ])
  })
})

describe('GET /repos/{owner}/{repo}/pulls/{number}', () => {
  it("answers a seeded pull request in GitHub's shape, its head branch in this repository", async () => {
    await start({ pullRequests: [{ number: 42, head: 'fix/readme', login: 'alice' }] })
    const res = await call(`${REPO_PATH}/pulls/42`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const body = (await res.json()) as Record<string, unknown>
    const repo = (fullName: string, fork: boolean) =>
      expect.objectContaining({
        id: expect.any(Number),
        name: fullName.split('/')[1],
        full_name: fullName,
        fork,
        owner: expect.objectContaining({ login: fullName.split('/')[0] })
      })
    expect(body).toEqual({
      url: `${current().url}${REPO_PATH}/pulls/42`,
      id: expect.any(Number),
      node_id: expect.any(String),
      html_url: `https://github.com/${OWNER}/${REPO}/pull/42`,
      number: 42,
      state: 'open',
      locked: false,
      title: 'fix/readme',
      user: expect.objectContaining({ login: 'alice', type: 'User' }),
      body: null,
      created_at: '2025-06-01T00:00:00Z',
      updated_at: '2025-06-01T00:00:00Z',
      draft: false,
      head: {
        label: `${OWNER}:fix/readme`,
        ref: 'fix/readme',
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        user: expect.objectContaining({ login: OWNER }),
        repo: repo(`${OWNER}/${REPO}`, false)
      },
      base: {
        label: `${OWNER}:main`,
        ref: 'main',
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
        user: expect.objectContaining({ login: OWNER }),
        repo: repo(`${OWNER}/${REPO}`, false)
      }
    })
    const { head, base } = body as { head: { sha: string }; base: { sha: string } }
    expect(head.sha).not.toBe(base.sha)
  })

  it("answers a fork's head with the fork as head.repo, through Octokit", async () => {
    await start({ pullRequests: [{ number: 7, head: 'main', headRepository: 'Contributor/octo-repo' }] })
    const { status, data } = await octokit().rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 7 })
    expect(status).toBe(200)
    expect(data.number).toBe(7)
    expect(data.head).toMatchObject({
      label: 'Contributor:main',
      ref: 'main',
      repo: { full_name: 'Contributor/octo-repo', fork: true, owner: { login: 'Contributor' } }
    })
    expect(data.base).toMatchObject({ ref: 'main', repo: { full_name: `${OWNER}/${REPO}`, fork: false } })
    expect(data.head.sha).not.toBe(data.base.sha)
  })

  it("answers 404 for a number no pull request has, including an issue's", async () => {
    await start({ pullRequests: [{ number: 3, head: 'feature' }], comments: seeds(1, 4) })
    for (const number of [4, 999]) {
      const res = await call(`${REPO_PATH}/pulls/${number}`)
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual(notFound(GET_PULL))
    }
    await expect(octokit().rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 999 })).rejects.toMatchObject({
      status: 404,
      response: { data: notFound(GET_PULL) }
    })
  })

  it('answers 403 when readable.pulls is false, as for a GITHUB_TOKEN without pull-requests: read, while other routes work', async () => {
    await start({ readable: { pulls: false }, pullRequests: [{ number: 3, head: 'feature' }] })
    const res = await call(`${REPO_PATH}/pulls/3`)
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual(forbidden(GET_PULL))
    await expect(octokit().rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 3 })).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration')
    })
    expect((await call(`${REPO_PATH}/issues/3/comments`)).status).toBe(200)
    expect((await call(`${REPO_PATH}/issues/3/comments`, { method: 'POST', body: { body: 'x' } })).status).toBe(201)
  })

  it('answers 404 for another repository, even one holding the head branch, and matches names case-insensitively', async () => {
    await start({ pullRequests: [{ number: 3, head: 'feature', headRepository: 'fork-owner/octo-repo' }] })
    for (const path of [`/repos/${OWNER}/elsewhere/pulls/3`, '/repos/fork-owner/octo-repo/pulls/3']) {
      const res = await call(path)
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual(notFound(GET_PULL))
    }
    expect((await call('/repos/OCTO-ORG/Octo-Repo/pulls/3')).status).toBe(200)
    expect((await call(`${REPO_PATH}/pulls/0`)).status).toBe(404)
    expect((await call(`${REPO_PATH}/pulls/3`, { method: 'PATCH', body: { title: 'x' } })).status).toBe(404)
  })
})

describe('creating and updating issue comments', () => {
  it('creates with 201 as github-actions[bot], then updates with 200', async () => {
    await start({ comments: seeds(2) })
    const res = await call(`${REPO_PATH}/issues/12/comments`, { method: 'POST', body: { body: 'Working on it' } })
    expect(res.status).toBe(201)
    const created = (await res.json()) as Comment & Record<string, unknown>
    expect(created).toMatchObject({
      body: 'Working on it',
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      html_url: `https://github.com/${OWNER}/${REPO}/issues/12#issuecomment-${created.id}`,
      issue_url: `${current().url}${REPO_PATH}/issues/12`,
      created_at: '2025-06-01T00:00:00Z'
    })
    expect(res.headers.get('location')).toBe(created.url)

    clock += 60_000
    const patched = await call(`${REPO_PATH}/issues/comments/${created.id}`, { method: 'PATCH', body: { body: 'Done ✅' } })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({ id: created.id, body: 'Done ✅', created_at: '2025-06-01T00:00:00Z', updated_at: '2025-06-01T00:01:00Z' })
    const fetched = (await (await call(`${REPO_PATH}/issues/comments/${created.id}`)).json()) as Comment
    expect(fetched.body).toBe('Done ✅')
    expect(current().state().comments.at(-1)).toEqual({ id: created.id, issue: 12, body: 'Done ✅', html_url: created.html_url, login: 'github-actions[bot]' })
    expect(current().state().comments).toHaveLength(3)
  })

  it('works through Octokit createComment and updateComment', async () => {
    await start()
    const created = await octokit().rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 4, body: 'started' })
    expect(created.status).toBe(201)
    const updated = await octokit().rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: created.data.id, body: 'finished' })
    expect(updated.status).toBe(200)
    expect(updated.data).toMatchObject({ id: created.data.id, body: 'finished', html_url: created.data.html_url })
  })

  it('answers 404 for an unknown comment id, and for an issue number used as one', async () => {
    await start({ comments: seeds(1, 3) })
    for (const id of [999, 3]) {
      const res = await call(`${REPO_PATH}/issues/comments/${id}`, { method: 'PATCH', body: { body: 'x' } })
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual(notFound(UPDATE_COMMENT))
    }
    expect(
      current()
        .state()
        .comments.map((c) => c.body)
    ).toEqual(['comment 1'])
  })

  it('refuses bodies GitHub refuses, creating nothing', async () => {
    await start()
    const post = (request: Call) => call(`${REPO_PATH}/issues/1/comments`, { method: 'POST', ...request })
    const missing = await post({ body: {} })
    expect(missing.status).toBe(422)
    expect(((await missing.json()) as { message: string }).message).toBe('Invalid request.\n\n"body" wasn\'t supplied.')
    const notString = await post({ body: { body: 5 } })
    expect(((await notString.json()) as { message: string }).message).toBe("Invalid request.\n\nFor 'properties/body', 5 is not a string.")
    const blank = await post({ body: { body: '  ' } })
    expect(blank.status).toBe(422)
    expect(await blank.json()).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'IssueComment', message: 'Body cannot be blank' }] })
    const long = await post({ body: { body: 'x'.repeat(65537) } })
    expect(long.status).toBe(422)
    expect(await long.json()).toMatchObject({ errors: [{ field: 'body', message: 'body is too long (maximum is 65536 characters)' }] })
    const broken = await post({ raw: '{oops' })
    expect(broken.status).toBe(400)
    expect(await broken.json()).toEqual({
      message: 'Problems parsing JSON',
      documentation_url: `https://docs.github.com/rest/${CREATE_COMMENT}`,
      status: '400'
    })
    expect((await post({ body: { body: 'x'.repeat(65536) } })).status).toBe(201)
    expect(current().state().comments).toHaveLength(1)
  })
})

describe('reactions', () => {
  it('reacts to an issue comment with 201, and answers a repeat 200 with the same reaction', async () => {
    await start({ comments: seeds(1) })
    const [{ id }] = current().state().comments
    const path = `${REPO_PATH}/issues/comments/${id}/reactions`
    const first = await call(path, { method: 'POST', body: { content: 'eyes' } })
    expect(first.status).toBe(201)
    const reaction = (await first.json()) as { id: number }
    expect(reaction).toEqual({
      id: expect.any(Number),
      node_id: expect.any(String),
      user: expect.objectContaining({ login: 'github-actions[bot]', id: 41898282, type: 'Bot' }),
      content: 'eyes',
      created_at: '2025-06-01T00:00:00Z'
    })
    const again = await call(path, { method: 'POST', body: { content: 'eyes' } })
    expect(again.status).toBe(200)
    expect(((await again.json()) as { id: number }).id).toBe(reaction.id)
    expect((await call(path, { method: 'POST', body: { content: 'rocket' } })).status).toBe(201)
    expect(current().state().reactions).toEqual([
      { commentId: id, on: 'issue-comment', content: 'eyes' },
      { commentId: id, on: 'issue-comment', content: 'rocket' }
    ])
    const comment = (await (await call(`${REPO_PATH}/issues/comments/${id}`)).json()) as { reactions: Record<string, number> }
    expect(comment.reactions).toMatchObject({ total_count: 2, eyes: 1, rocket: 1, heart: 0 })
  })

  it('reacts to a pull request review comment through Octokit, 201 then 200', async () => {
    await start({ reviewComments: [{ pull: 3, body: 'nit: rename' }] })
    const [review] = current().state().reviewComments
    expect(review).toMatchObject({ pull: 3, html_url: `https://github.com/${OWNER}/${REPO}/pull/3#discussion_r${review.id}` })
    const react = () => octokit().rest.reactions.createForPullRequestReviewComment({ owner: OWNER, repo: REPO, comment_id: review.id, content: 'eyes' })
    const first = await react()
    expect(first.status).toBe(201)
    expect(first.data).toMatchObject({ content: 'eyes', user: { login: 'github-actions[bot]' } })
    const second = await react()
    expect(second.status).toBe(200)
    expect(second.data.id).toBe(first.data.id)
    expect(current().state().reactions).toEqual([{ commentId: review.id, on: 'review-comment', content: 'eyes' }])
  })

  it('answers 404 when the comment is not of the kind the route names', async () => {
    await start({ comments: seeds(1), reviewComments: [{ pull: 3, body: 'nit' }] })
    const [issueComment] = current().state().comments
    const [reviewComment] = current().state().reviewComments
    const onPull = await call(`${REPO_PATH}/pulls/comments/${issueComment.id}/reactions`, { method: 'POST', body: { content: 'eyes' } })
    expect(onPull.status).toBe(404)
    expect(await onPull.json()).toEqual(notFound(REACT_REVIEW))
    const onIssue = await call(`${REPO_PATH}/issues/comments/${reviewComment.id}/reactions`, { method: 'POST', body: { content: 'eyes' } })
    expect(onIssue.status).toBe(404)
    expect(await onIssue.json()).toEqual(notFound(REACT_ISSUE))
    await expect(
      octokit().rest.reactions.createForIssueComment({ owner: OWNER, repo: REPO, comment_id: reviewComment.id, content: 'eyes' })
    ).rejects.toMatchObject({ status: 404 })
    expect(current().state().reactions).toEqual([])
  })

  it('answers 422 for content outside the eight GitHub allows', async () => {
    await start({ comments: seeds(1), reviewComments: [{ pull: 3, body: 'nit' }] })
    const [{ id }] = current().state().comments
    const [review] = current().state().reviewComments
    for (const path of [`${REPO_PATH}/issues/comments/${id}/reactions`, `${REPO_PATH}/pulls/comments/${review.id}/reactions`]) {
      const res = await call(path, { method: 'POST', body: { content: 'smile' } })
      expect(res.status).toBe(422)
      expect(((await res.json()) as { message: string }).message).toBe(
        `Invalid request.\n\nFor 'properties/content', "smile" is not one of ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"].`
      )
      expect((await call(path, { method: 'POST', body: {} })).status).toBe(422)
    }
    for (const content of ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes']) {
      expect((await call(`${REPO_PATH}/issues/comments/${id}/reactions`, { method: 'POST', body: { content } })).status).toBe(201)
    }
    expect(current().state().reactions).toHaveLength(8)
  })
})

describe('writable', () => {
  it('answers every write 403 when false, as for a GITHUB_TOKEN without write permissions, while reads work', async () => {
    await start({ writable: false, comments: seeds(1), reviewComments: [{ pull: 3, body: 'nit' }] })
    const [{ id }] = current().state().comments
    const [review] = current().state().reviewComments
    const writes: [string, string, unknown, string][] = [
      ['POST', `${REPO_PATH}/issues/7/comments`, { body: 'x' }, CREATE_COMMENT],
      ['PATCH', `${REPO_PATH}/issues/comments/${id}`, { body: 'x' }, UPDATE_COMMENT],
      ['POST', `${REPO_PATH}/issues/comments/${id}/reactions`, { content: 'eyes' }, REACT_ISSUE],
      ['POST', `${REPO_PATH}/pulls/comments/${review.id}/reactions`, { content: 'eyes' }, REACT_REVIEW]
    ]
    for (const [method, path, body, anchor] of writes) {
      const res = await call(path, { method, body })
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual(forbidden(anchor))
    }
    expect((await call(`${REPO_PATH}/issues/7/comments`)).status).toBe(200)
    expect((await call(`${REPO_PATH}/collaborators/alice/permission`)).status).toBe(200)
    expect(current().state()).toMatchObject({ comments: [{ id, body: 'comment 1' }], reactions: [] })
  })

  it("surfaces through Octokit as a RequestError with GitHub's message", async () => {
    await start({ writable: false })
    await expect(octokit().rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 1, body: 'x' })).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration')
    })
  })

  it('can refuse reactions alone, or comments alone', async () => {
    await start({ writable: { reactions: false }, comments: seeds(1) })
    const [{ id }] = current().state().comments
    expect((await call(`${REPO_PATH}/issues/comments/${id}`, { method: 'PATCH', body: { body: 'ok' } })).status).toBe(200)
    expect((await call(`${REPO_PATH}/issues/comments/${id}/reactions`, { method: 'POST', body: { content: 'eyes' } })).status).toBe(403)
    await current().close()

    await start({ writable: { comments: false }, comments: seeds(1) })
    const [{ id: other }] = current().state().comments
    expect((await call(`${REPO_PATH}/issues/1/comments`, { method: 'POST', body: { body: 'no' } })).status).toBe(403)
    expect((await call(`${REPO_PATH}/issues/comments/${other}/reactions`, { method: 'POST', body: { content: 'eyes' } })).status).toBe(201)
  })
})

describe('routing', () => {
  it('answers 404 Not Found for unknown routes, unsupported methods and other repositories', async () => {
    await start({ comments: seeds(1) })
    const [{ id }] = current().state().comments
    const unknown = await call('/users/alice/repos')
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await unknown.json()).toEqual(notFound())
    expect((await call(`${REPO_PATH}/issues/comments/${id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await call(`${REPO_PATH}/issues/abc/comments`)).status).toBe(404)
    const other = await call(`/repos/${OWNER}/elsewhere/issues/7/comments`)
    expect(other.status).toBe(404)
    expect(await other.json()).toEqual(notFound('issues/comments#list-issue-comments'))
    expect((await call(`/repos/OCTO-ORG/Octo-Repo/issues/7/comments`)).status).toBe(200)
    expect(
      current()
        .state()
        .requests.map((r) => r.status)
    ).toEqual([404, 404, 404, 404, 200])
  })

  it('serves the repository named by owner and repo', async () => {
    await start({ owner: 'acme', repo: 'widgets', comments: seeds(1) })
    const [comment] = (await (await call('/repos/acme/widgets/issues/7/comments')).json()) as Comment[]
    expect(comment.html_url).toBe(`https://github.com/acme/widgets/issues/7#issuecomment-${comment.id}`)
    expect((await call(`${REPO_PATH}/issues/7/comments`)).status).toBe(404)
  })
})

describe('GET /repos/{owner}/{repo}/pulls/{number}/comments and /pulls/{number}/reviews/{id}/comments', () => {
  const LIST_REVIEW_COMMENTS = 'pulls/comments#list-review-comments-on-a-pull-request'
  const LIST_REVIEW = 'pulls/reviews#list-comments-for-a-pull-request-review'
  // Ids as the stand-in gives them: 1_500_000_001 for the first seeded review comment, and so on.
  const RC = (n: number) => 1_500_000_000 + n
  const thread: GitHubStandInOptions['reviewComments'] = [
    { pull: 7, body: 'Why this heading?', login: 'alice', line: 12, review: 900 },
    { pull: 7, body: 'Elsewhere', login: 'carol', path: 'src/a.ts', line: 3, startLine: 1, side: 'LEFT', review: 901 },
    { pull: 7, body: 'Agreed', login: 'bob', inReplyTo: RC(1), line: 12, review: 902 },
    { pull: 8, body: 'Other pull request', login: 'dave' },
    { pull: 7, body: 'Outdated now', login: 'alice', line: 5, outdated: true, review: 900 }
  ]

  it("answers the pull request's review comments oldest first, in GitHub's shape, which the action reads", async () => {
    await start({ reviewComments: thread })
    const res = await call(`${REPO_PATH}/pulls/7/comments?sort=created&direction=asc&per_page=100`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Array<Record<string, unknown>>
    expect(body.map((c) => c.id)).toEqual([RC(1), RC(2), RC(3), RC(5)])
    expect(body[2]).toEqual({
      url: `${current().url}${REPO_PATH}/pulls/comments/${RC(3)}`,
      pull_request_review_id: 902,
      id: RC(3),
      node_id: expect.any(String),
      diff_hunk: '@@ -1 +1 @@\n-# Hello-World\n+# Hello, World',
      path: 'README.md',
      commit_id: expect.stringMatching(/^[0-9a-f]{40}$/),
      original_commit_id: expect.stringMatching(/^[0-9a-f]{40}$/),
      user: expect.objectContaining({ login: 'bob', type: 'User' }),
      body: 'Agreed',
      created_at: '2025-06-01T00:00:00Z',
      updated_at: '2025-06-01T00:00:00Z',
      html_url: `https://github.com/${OWNER}/${REPO}/pull/7#discussion_r${RC(3)}`,
      pull_request_url: `${current().url}${REPO_PATH}/pulls/7`,
      author_association: 'CONTRIBUTOR',
      _links: expect.any(Object),
      in_reply_to_id: RC(1),
      start_line: null,
      original_start_line: null,
      start_side: null,
      line: 12,
      original_line: 12,
      side: 'RIGHT',
      subject_type: 'line'
    })
    // A comment that starts its thread has no in_reply_to_id at all, as on GitHub.
    expect(body[0]).not.toHaveProperty('in_reply_to_id')
    expect(body[1]).toMatchObject({ path: 'src/a.ts', start_line: 1, line: 3, side: 'LEFT', start_side: 'LEFT' })
    expect(body[3]).toMatchObject({ line: null, original_line: 5, start_line: null })
    // What src/github/event.ts makes of them.
    expect(body.map(reviewCommentOf)).toEqual([
      expect.objectContaining({
        id: RC(1),
        place: expect.objectContaining({ lines: { start: 12, end: 12, startSide: 'RIGHT', side: 'RIGHT' }, outdated: false })
      }),
      expect.objectContaining({
        id: RC(2),
        place: expect.objectContaining({ path: 'src/a.ts', lines: { start: 1, end: 3, startSide: 'LEFT', side: 'LEFT' } })
      }),
      expect.objectContaining({ id: RC(3), inReplyTo: RC(1), author: { login: 'bob', isBot: false } }),
      expect.objectContaining({ id: RC(5), place: expect.objectContaining({ outdated: true, lines: { start: 5, end: 5, startSide: 'RIGHT', side: 'RIGHT' } }) })
    ])
  })

  it('has the keys of a real webhook review comment, but for the deprecated diff positions and the reactions', async () => {
    await start({ reviewComments: thread })
    const [first] = (await (await call(`${REPO_PATH}/pulls/7/comments`)).json()) as Array<Record<string, unknown>>
    // The newest example: one with line numbers.
    const newest = payloads('pull_request_review_comment', 'created').find((body) => 'line' in (body.comment as object))
    const real = Object.keys(newest?.comment as object)
    const missing = real.filter((key) => !(key in first))
    expect(missing.sort()).toEqual(['original_position', 'position', 'reactions'])
  })

  it('answers newest first for direction=desc, and pages by per_page with a Link header Octokit follows', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ pull: 7, body: `c${i + 1}` }))
    await start({ reviewComments: many })
    const desc = (await (await call(`${REPO_PATH}/pulls/7/comments?sort=created&direction=desc&per_page=2`)).json()) as Array<{ body: string }>
    expect(desc.map((c) => c.body)).toEqual(['c130', 'c129'])
    const first = await call(`${REPO_PATH}/pulls/7/comments?per_page=100`)
    expect(first.headers.get('link')).toContain('rel="next"')
    const all = await octokit().paginate(octokit().rest.pulls.listReviewComments, { owner: OWNER, repo: REPO, pull_number: 7, per_page: 100 })
    expect(all.map((c) => c.body)).toEqual(many.map((c) => c.body))
  })

  it("answers one review's comments, an empty list for a review with none, and 404 for an unknown pull request", async () => {
    await start({ reviewComments: thread, pullRequests: [{ number: 9, head: 'x' }] })
    const { data } = await octokit().rest.pulls.listCommentsForReview({ owner: OWNER, repo: REPO, pull_number: 7, review_id: 900 })
    expect(data.map((c) => c.body)).toEqual(['Why this heading?', 'Outdated now'])
    expect((await (await call(`${REPO_PATH}/pulls/9/reviews/900/comments`)).json()) as unknown[]).toEqual([])
    expect(await (await call(`${REPO_PATH}/pulls/9/comments`)).json()).toEqual([])
    for (const path of [`${REPO_PATH}/pulls/70/comments`, `${REPO_PATH}/pulls/70/reviews/900/comments`]) {
      const res = await call(path)
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual(notFound(path.includes('reviews') ? LIST_REVIEW : LIST_REVIEW_COMMENTS))
    }
  })

  it('answers 403 when readable.pulls is false', async () => {
    await start({ reviewComments: thread, readable: { pulls: false } })
    for (const [path, anchor] of [
      [`${REPO_PATH}/pulls/7/comments`, LIST_REVIEW_COMMENTS],
      [`${REPO_PATH}/pulls/7/reviews/900/comments`, LIST_REVIEW]
    ]) {
      const res = await call(path)
      expect(res.status).toBe(403)
      expect(await res.json()).toEqual(forbidden(anchor))
    }
  })

  it('refuses a reply seeded to a comment that is not an earlier one on the same pull request, and bad lines', async () => {
    const bad: Array<GitHubStandInOptions['reviewComments']> = [
      [{ pull: 7, body: 'x', inReplyTo: RC(1) }],
      [
        { pull: 8, body: 'x' },
        { pull: 7, body: 'y', inReplyTo: RC(1) }
      ],
      [{ pull: 7, body: 'x', line: 0 }],
      [{ pull: 7, body: 'x', line: 2, startLine: 3 }]
    ]
    for (const reviewComments of bad) await expect(startGitHubStandIn({ reviewComments })).rejects.toThrow(TypeError)
  })
})

describe('who the token is', () => {
  it('answers GET /user 403 for an installation token (the default), as GitHub does for GITHUB_TOKEN, and writes as github-actions[bot]', async () => {
    await start()
    const res = await call('/user')
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual(forbidden('users/users#get-the-authenticated-user'))
    await expect(octokit().rest.users.getAuthenticated()).rejects.toMatchObject({ status: 403 })
    const created = await octokit().rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 3, body: 'hi' })
    expect(created.data.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' })
    expect(created.data.performed_via_github_app).toMatchObject({ slug: 'github-actions' })
  })

  it("answers GET /user with a personal access token's owner, whose comments and reactions are theirs", async () => {
    await start({ tokenOwner: 'octo-maintainer', comments: [{ issue: 3, body: '@openhands go', login: 'alice' }] })
    const { data } = await octokit().rest.users.getAuthenticated()
    expect(data).toMatchObject({ login: 'octo-maintainer', type: 'User', id: expect.any(Number) })
    const created = await octokit().rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 3, body: 'hi' })
    expect(created.data.user).toEqual(expect.objectContaining({ login: 'octo-maintainer', id: data.id, type: 'User' }))
    expect(created.data.performed_via_github_app).toBeNull()
    const [seeded] = current().state().comments
    await octokit().rest.reactions.createForIssueComment({ owner: OWNER, repo: REPO, comment_id: seeded.id, content: 'eyes' })
    expect(
      current()
        .state()
        .comments.map((c) => c.login)
    ).toEqual(['alice', 'octo-maintainer'])
  })

  it('names the App of any bot that wrote a comment, and none for a person', async () => {
    await start({
      comments: [
        { issue: 3, body: 'bump', login: 'renovate[bot]' },
        { issue: 3, body: 'hi', login: 'mallory' }
      ]
    })
    const { data } = await octokit().rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 3 })
    expect(data.map((c) => [c.user?.login, c.user?.type, c.performed_via_github_app?.slug ?? null])).toEqual([
      ['renovate[bot]', 'Bot', 'renovate'],
      ['mallory', 'User', null]
    ])
  })
})

describe('misbehaving on purpose', () => {
  it('points pagination links at linkOrigin instead of itself', async () => {
    await start({ comments: seeds(3), linkOrigin: 'http://127.0.0.2:9' })
    const res = await call(`${REPO_PATH}/issues/7/comments?per_page=2`)
    expect(res.headers.get('link')).toBe(
      `<http://127.0.0.2:9${REPO_PATH}/issues/7/comments?per_page=2&page=2>; rel="next", <http://127.0.0.2:9${REPO_PATH}/issues/7/comments?per_page=2&page=2>; rel="last"`
    )
  })

  it('never answers a stalled route, recording it unanswered with its body, while the others answer', async () => {
    await start({ stall: ['createComment'] })
    const stalled = call(`${REPO_PATH}/issues/3/comments`, { method: 'POST', body: { body: 'hi' } }).catch((e: unknown) => e)
    const answered = await call(`${REPO_PATH}/issues/3/comments`)
    expect(answered.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 200))
    // The two race to arrive: compared in a fixed order.
    expect(
      current()
        .state()
        .requests.sort((a, b) => b.method.localeCompare(a.method))
    ).toEqual([
      { method: 'POST', path: `${REPO_PATH}/issues/3/comments`, body: '{"body":"hi"}', status: 0 },
      { method: 'GET', path: `${REPO_PATH}/issues/3/comments`, body: '', status: 200 }
    ])
    await current().close()
    // Ended by close(), never answered.
    expect(String(await stalled)).toMatch(/fetch failed/)
    expect(current().state().comments).toEqual([])
  })
})
