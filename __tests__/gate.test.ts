import { describe, it, expect, jest } from '@jest/globals'
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
