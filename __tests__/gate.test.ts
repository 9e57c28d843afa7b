import { afterEach, describe, it, expect, jest } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import { connectGitHub } from '../src/github/api.js'
import { decide } from '../src/github/gate.js'
import { describeEvent, type TriggerEvent } from '../src/github/event.js'
import { payload, schedulePayload } from '../__fixtures__/webhooks.js'

interface User {
  login: unknown
  type: unknown
}
type Hook = Record<string, unknown> & { sender: User; comment: { user: User; body: unknown } }

const REPO = 'octo-org/octo-repo'

const roleFake = (role: string) => jest.fn<(login: string) => Promise<string>>(async () => role)

/** A real `issues labeled` event caused by `login`. */
function labeledBy(login = 'Codertocat', type = 'User'): TriggerEvent {
  const data = payload('issues', 'labeled') as Hook
  data.sender = { ...data.sender, login, type }
  return describeEvent('issues', data)
}

/** A real `issue_comment created` event whose comment is by `login`. */
function commentBy(login: string, type = 'User'): TriggerEvent {
  const data = payload('issue_comment', 'created') as Hook
  data.comment.user = { ...data.comment.user, login, type }
  return describeEvent('issue_comment', data)
}

describe('decide: people', () => {
  it.each(['admin', 'maintain', 'write'])('allows %s, asking GitHub once for the actor', async (role) => {
    const roleOf = roleFake(role)
    const decision = await decide(labeledBy(), [], REPO, roleOf)
    expect(decision.allowed).toBe(true)
    expect(decision.reason).toContain('@Codertocat')
    expect(decision.reason).toContain(role)
    expect(roleOf).toHaveBeenCalledTimes(1)
    expect(roleOf).toHaveBeenCalledWith('Codertocat')
  })

  it.each(['triage', 'read', 'none'])('refuses %s, naming the login, the role and the repository', async (role) => {
    const roleOf = roleFake(role)
    const decision = await decide(labeledBy(), [], REPO, roleOf)
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain('@Codertocat')
    expect(decision.reason).toContain(`has ${role} permission`)
    expect(decision.reason).toContain(REPO)
    expect(roleOf).toHaveBeenCalledWith('Codertocat')
  })

  it.each(['', 'custom-role', 'writer', 'administrator'])('refuses a role that is not a write role (%j)', async (role) => {
    expect((await decide(labeledBy(), [], REPO, roleFake(role))).allowed).toBe(false)
  })

  it('checks the comment author on a comment event, not the sender', async () => {
    const data = payload('issue_comment', 'created') as Hook
    data.sender = { ...data.sender, login: 'maintainer' }
    data.comment.user = { ...data.comment.user, login: 'drive-by' }
    const roleOf = jest.fn<(login: string) => Promise<string>>(async (login) => (login === 'maintainer' ? 'admin' : 'read'))
    const decision = await decide(describeEvent('issue_comment', data), [], REPO, roleOf)
    expect(decision.allowed).toBe(false)
    expect(roleOf).toHaveBeenCalledWith('drive-by')
    expect(roleOf).not.toHaveBeenCalledWith('maintainer')
    expect(decision.reason).toContain('@drive-by')
  })

  it('still asks GitHub about a person whose login happens to be in allowed-bots', async () => {
    const roleOf = roleFake('read')
    const decision = await decide(labeledBy('Codertocat'), ['Codertocat'], REPO, roleOf)
    expect(decision.allowed).toBe(false)
    expect(roleOf).toHaveBeenCalledWith('Codertocat')
  })

  it('rejects when the role cannot be found out', async () => {
    const failure = Object.assign(new Error('Bad credentials'), { status: 401 })
    const roleOf = jest.fn<(login: string) => Promise<string>>(async () => {
      throw failure
    })
    await expect(decide(labeledBy(), [], REPO, roleOf)).rejects.toBe(failure)
  })
})

describe('decide: bots', () => {
  it.each([
    ['dependabot[bot]', 'Bot', []],
    ['dependabot[bot]', 'Bot', ['renovate[bot]']],
    ['dependabot[bot]', 'Bot', ['dependabot-preview']],
    ['dependabot[bot]', 'Bot', ['dependabot-preview[bot]']],
    ['dependabot[bot]', 'Bot', ['depend']],
    ['dependabot[bot]', 'Bot', ['dependabot[bot]x']],
    ['dependabot-preview[bot]', 'Bot', ['dependabot']],
    ['my-app', 'Bot', ['my-app-two']],
    ['x[bot]', 'User', ['y[bot]']]
  ])('refuses %s (type %s) with allowed-bots %j, without asking GitHub', async (login, type, allowedBots) => {
    const roleOf = roleFake('admin')
    const decision = await decide(labeledBy(login, type), allowedBots, REPO, roleOf)
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain(`@${login}`)
    expect(decision.reason).toContain('allowed-bots')
    expect(roleOf).not.toHaveBeenCalled()
  })

  it.each([
    ['dependabot[bot]', 'Bot', ['dependabot[bot]']],
    ['dependabot[bot]', 'Bot', ['dependabot']],
    ['dependabot[bot]', 'Bot', ['Dependabot']],
    ['dependabot[bot]', 'Bot', ['DEPENDABOT[BOT]']],
    ['Dependabot[bot]', 'Bot', ['dependabot']],
    ['dependabot[bot]', 'Bot', ['renovate[bot]', 'dependabot']],
    ['my-app', 'Bot', ['my-app']],
    ['my-app', 'Bot', ['my-app[bot]']],
    ['x[bot]', 'User', ['x']]
  ])('allows %s (type %s) listed as %j, without asking GitHub', async (login, type, allowedBots) => {
    const roleOf = roleFake('none')
    const decision = await decide(labeledBy(login, type), allowedBots, REPO, roleOf)
    expect(decision.allowed).toBe(true)
    expect(decision.reason).toContain(`@${login}`)
    expect(roleOf).not.toHaveBeenCalled()
  })

  it('applies to a bot that wrote the comment', async () => {
    const roleOf = roleFake('admin')
    expect((await decide(commentBy('renovate[bot]', 'Bot'), [], REPO, roleOf)).allowed).toBe(false)
    expect((await decide(commentBy('renovate[bot]', 'Bot'), ['renovate'], REPO, roleOf)).allowed).toBe(true)
    expect(roleOf).not.toHaveBeenCalled()
  })
})

describe('decide: no actor', () => {
  it.each([
    ['schedule', describeEvent('schedule', schedulePayload)],
    ['workflow_dispatch', describeEvent('workflow_dispatch', payload('workflow_dispatch'))],
    ['issue_comment with no usable comment', describeEvent('issue_comment', { ...payload('issue_comment', 'created'), comment: { id: '1' } })],
    ['issues with no sender', describeEvent('issues', { ...payload('issues', 'labeled'), sender: null })],
    ['a garbage payload', describeEvent('push', 'not json')]
  ])('refuses %s without asking GitHub', async (_what, event) => {
    expect(event.actor).toBeUndefined()
    const roleOf = roleFake('admin')
    const decision = await decide(event, ['dependabot'], REPO, roleOf)
    expect(decision.allowed).toBe(false)
    expect(decision.reason).toContain(event.name)
    expect(roleOf).not.toHaveBeenCalled()
  })
})

describe('decide: with the real GitHub client, when GitHub does not say yes', () => {
  // @actions/github reads the repository once, when first loaded (by connectGitHub).
  process.env.GITHUB_REPOSITORY = REPO
  const servers: Server[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
    delete process.env.GITHUB_API_URL
  })

  async function listen(host: string, handle: (url: string, res: import('node:http').ServerResponse, auth: boolean) => void): Promise<string> {
    const server = createServer((req, res) => handle(req.url ?? '', res, req.headers.authorization !== undefined))
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, host, resolve))
    const address = server.address()
    return `http://${host}:${typeof address === 'object' && address ? address.port : 0}`
  }

  it("refuses when the permission check never answers, once the step's time is up", async () => {
    const asked: string[] = []
    process.env.GITHUB_API_URL = await listen('127.0.0.1', (url) => asked.push(url))
    // Loaded once first, so loading the client takes none of the step's time below.
    await connectGitHub('ghs_gateTestToken')
    // A clock that stands still: 3.5 s are left however slow the machine is, and the bound reads 4s.
    const now = 1_000_000
    const { api } = await connectGitHub('ghs_gateTestToken', { deadline: now + 3_500, now: () => now })
    const decision = decide(labeledBy(), [], REPO, api.roleOf)
    await expect(decision).rejects.toThrow(
      /^GitHub did not answer GET \/repos\/octo-org\/octo-repo\/collaborators\/Codertocat\/permission within 4s \(bounded by the step's timeout\)$/
    )
    expect(asked).toEqual(['/repos/octo-org/octo-repo/collaborators/Codertocat/permission'])
  })

  it('refuses when the permission check is redirected to another origin, which never sees the token', async () => {
    const elsewhere: Array<{ url: string; auth: boolean }> = []
    const other = await listen('127.0.0.2', (url, res, auth) => {
      elsewhere.push({ url, auth })
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"permission":"admin","role_name":"admin"}')
    })
    process.env.GITHUB_API_URL = await listen('127.0.0.1', (url, res) => res.writeHead(307, { Location: `${other}${url}` }).end())
    const { api } = await connectGitHub('ghs_gateTestToken')
    await expect(decide(labeledBy(), [], REPO, api.roleOf)).rejects.toThrow(
      `Refused to follow GitHub's redirect to ${other} (GET /repos/octo-org/octo-repo/collaborators/Codertocat/permission): the token goes only to ${process.env.GITHUB_API_URL}, the origin of GITHUB_API_URL`
    )
    expect(elsewhere).toEqual([])
  })
})
