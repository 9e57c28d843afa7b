// The simulator's V1 sandboxes: the concurrency limit (429 or pause-oldest), a
// finished sandbox holding its slot until it idles out, pause and resume, platform
// pauses and failures, grouping, and the control route.
import { describe, it, expect } from '@jest/globals'
import {
  at,
  call,
  conforms,
  conversation,
  createV1,
  current,
  json,
  pause,
  resume,
  setSandbox,
  start,
  startBody,
  started,
  statuses,
  v1Entry
} from './helpers/simulator-v1.js'

type LimitBody = { detail: { error: string; message: string; limit: number; current: number } }
const FIFTEEN_MINUTES = 15 * 60_000

describe('the concurrency limit', () => {
  it('answers 429 CONCURRENCY_LIMIT_REACHED at maxRunning STARTING or RUNNING sandboxes, creating nothing', async () => {
    await start({ maxRunning: 2, startTaskMs: 100 })
    await started()
    at(500)
    await started()
    const refused = await createV1()
    expect(refused.status).toBe(429)
    const { detail } = (await refused.json()) as LimitBody
    expect(detail).toEqual({ error: 'CONCURRENCY_LIMIT_REACHED', message: expect.stringContaining('2'), limit: 2, current: 2 })
    expect(current().state()).toMatchObject({ created: 2, createAttempts: 3, maxConcurrentRunning: 2 })
    expect(current().state().startTasks).toHaveLength(2)
  })

  it('counts running V0 conversations too', async () => {
    await start({ maxRunning: 2, runningMs: 60_000 })
    await started()
    expect((await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })).status).toBe(200)
    expect((await json<LimitBody>(createV1())).detail.current).toBe(2)
    expect((await call('/api/conversations', { method: 'POST', body: { initial_user_msg: 'x' } })).status).toBe(429)
  })

  it("pause-oldest: silently pauses the account's oldest RUNNING sandbox, then starts", async () => {
    await start({ maxRunning: 2, startTaskMs: 100, onLimit: 'pause-oldest', agentWorkMs: 60_000 })
    const first = await started()
    at(10)
    const second = await started()
    at(300)
    const third = await started()
    expect(await statuses(first.id)).toEqual(['PAUSED', null])
    expect(await statuses(second.id)).toEqual(['RUNNING', 'running'])
    expect(
      current()
        .state()
        .sandboxes.map((s) => s.status)
    ).toEqual(['PAUSED', 'RUNNING', 'STARTING'])
    expect(current().state().stopRequests).toBe(0)
    // With nothing RUNNING to pause (both STARTING), it refuses as 'reject' would.
    await current().close()
    await start({ maxRunning: 1, startTaskMs: 100, onLimit: 'pause-oldest' })
    await started()
    expect((await createV1()).status).toBe(429)
    void third
  })
})

describe('a finished conversation', () => {
  it('keeps its sandbox RUNNING and its slot until idleMs, then the platform pauses it, stamped when due', async () => {
    await start({ maxRunning: 1, startTaskMs: 0, agentWorkMs: 1000 }, true)
    const { id, sandboxId } = await started()
    at(1100)
    expect(await statuses(id)).toEqual(['RUNNING', 'finished'])
    at(1100 + FIFTEEN_MINUTES - 1)
    expect(await statuses(id)).toEqual(['RUNNING', 'finished'])
    expect((await createV1()).status).toBe(429)
    // The clock jumps well past: the pause is stamped when it became due, not now.
    at(1100 + 3 * FIFTEEN_MINUTES)
    const paused = await conversation(id)
    expect([paused.sandbox_status, paused.execution_status, paused.updated_at]).toEqual([
      'PAUSED',
      null,
      new Date(Date.parse('2025-06-01T00:00:01.100Z') + FIFTEEN_MINUTES).toISOString()
    ])
    expect(current().state().sandboxes[0].history.at(-1)).toEqual({
      at: Date.parse('2025-06-01T00:00:01.100Z') + FIFTEEN_MINUTES,
      status: 'PAUSED',
      cause: 'idle'
    })
    expect((await createV1()).status).toBe(200)
    void sandboxId
    conforms()
  })
})

describe('pause and resume', () => {
  it('pause frees the slot and is counted; resume obeys the limit, STARTING for resumeMs, then RUNNING', async () => {
    await start({ maxRunning: 1, startTaskMs: 0, agentWorkMs: 60_000, resumeMs: 500 }, true)
    const { id, sandboxId } = await started()
    at(1000)
    const res = await pause(sandboxId)
    expect([res.status, await res.json()]).toEqual([200, { success: true }])
    expect(await statuses(id)).toEqual(['PAUSED', null])
    expect(current().state()).toMatchObject({ stopRequests: 1, conversations: [{ stoppedAt: Date.parse('2025-06-01T00:00:01.000Z') }] })
    const other = await started()
    const limited = await resume(sandboxId)
    expect([limited.status, ((await limited.json()) as LimitBody).detail.error]).toEqual([429, 'CONCURRENCY_LIMIT_REACHED'])
    expect((await pause(other.sandboxId)).status).toBe(200)
    expect(await json(resume(sandboxId))).toEqual({ success: true })
    expect(await statuses(id)).toEqual(['STARTING', null])
    at(1499)
    expect((await conversation(id)).sandbox_status).toBe('STARTING')
    at(1500)
    expect(await statuses(id)).toEqual(['RUNNING', 'running'])
    // Pausing what is paused, or resuming what runs, is no error.
    expect((await resume(sandboxId)).status).toBe(200)
    expect((await pause(other.sandboxId)).status).toBe(200)
    conforms()
  })

  it("answers 404 for an unknown or another account's sandbox, and for a conversation id", async () => {
    await start({ apiKey: undefined, startTaskMs: 0 })
    const { id, sandboxId } = await started(startBody(), 'alice')
    for (const [sandbox, key] of [
      [sandboxId, 'bob'],
      ['no-such-sandbox', 'alice'],
      [id, 'alice']
    ]) {
      for (const res of [await pause(sandbox, key), await resume(sandbox, key)]) expect([res.status, await res.json()]).toEqual([404, { detail: 'Not Found' }])
    }
  })
})

describe('platform faults', () => {
  it('platformPause pauses mid-task; the work resumes where it stopped once resumed', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 1000, resumeMs: 200, platformPause: { afterMs: 600, resumeAfterMs: 5000 } })
    const { id } = await started()
    at(599)
    expect(await statuses(id)).toEqual(['RUNNING', 'running'])
    at(600)
    expect(await statuses(id)).toEqual(['PAUSED', null])
    const work = v1Entry().workMs
    expect(work).toBe(500)
    at(5599)
    expect((await conversation(id)).sandbox_status).toBe('PAUSED')
    at(5600)
    expect((await conversation(id)).sandbox_status).toBe('STARTING')
    at(5800)
    expect(await statuses(id)).toEqual(['RUNNING', 'running'])
    // 500 ms of work were left: it ends at 5800 + 500.
    at(6299)
    expect((await conversation(id)).execution_status).toBe('running')
    at(6300)
    expect((await conversation(id)).execution_status).toBe('finished')
    expect(
      current()
        .state()
        .sandboxes[0].history.map((h) => h.cause)
    ).toEqual(['created', 'started', 'platformPause', 'platformResume', 'started'])
  })

  it('platformPause without resumeAfterMs never resumes; sandboxFails puts the sandbox in ERROR', async () => {
    await start({ startTaskMs: 0, platformPause: { afterMs: 100 } })
    const { id } = await started()
    at(10 * FIFTEEN_MINUTES)
    expect(await statuses(id)).toEqual(['PAUSED', null])
    await current().close()
    at(0)
    await start({ startTaskMs: 0, sandboxFails: { afterMs: 300 } })
    const failing = await started()
    at(299)
    expect(await statuses(failing.id)).toEqual(['RUNNING', 'running'])
    at(300)
    expect(await statuses(failing.id)).toEqual(['ERROR', null])
    expect(current().state().activeSandboxes).toEqual({ [Object.keys(current().state().activeSandboxes)[0]]: 0 })
  })
})

describe('sandbox grouping', () => {
  it('puts a new conversation in the newest RUNNING sandbox; the limit counts sandboxes', async () => {
    await start({ sandboxGrouping: true, maxRunning: 1, startTaskMs: 100, agentWorkMs: 60_000 }, true)
    const first = await started()
    // STARTING is no sandbox to join: a second one would need a slot.
    expect((await createV1()).status).toBe(429)
    at(100)
    const second = await started()
    expect(second.sandboxId).toBe(first.sandboxId)
    at(200)
    expect((await conversation(second.id)).sandbox_id).toBe(first.sandboxId)
    const count = await json(call(`/api/v1/app-conversations/count?sandbox_id__eq=${first.sandboxId}`))
    expect(count).toBe(2)
    expect(current().state().sandboxes).toEqual([expect.objectContaining({ conversationIds: [first.id, second.id] })])
    // Pausing the sandbox pauses both.
    await pause(first.sandboxId)
    expect([await statuses(first.id), await statuses(second.id)]).toEqual([
      ['PAUSED', null],
      ['PAUSED', null]
    ])
    conforms()
  })
})

describe('POST /_simulator/sandboxes/{id}/status', () => {
  it('sets PAUSED, RUNNING, ERROR or MISSING now, and refuses anything else', async () => {
    await start({ startTaskMs: 0, agentWorkMs: 60_000 })
    const { id, sandboxId } = await started()
    at(1000)
    const seen = []
    for (const status of ['PAUSED', 'RUNNING', 'ERROR', 'MISSING']) {
      expect((await setSandbox(sandboxId, status)).status).toBe(200)
      seen.push(await statuses(id))
    }
    expect(seen).toEqual([
      ['PAUSED', null],
      ['RUNNING', 'running'],
      ['ERROR', null],
      ['MISSING', null]
    ])
    expect((await setSandbox(sandboxId, 'HIBERNATING')).status).toBe(400)
    expect((await setSandbox('nope', 'PAUSED')).status).toBe(404)
    expect(current().state().sandboxes[0]).toMatchObject({ id: sandboxId, status: 'MISSING', conversationIds: [id] })
  })
})

describe('GET /api/v1/sandboxes and /search', () => {
  it('answer SandboxInfo, the session key and URLs only while RUNNING', async () => {
    await start({ startTaskMs: 100 }, true)
    const { sandboxId } = await started()
    const [starting] = await json<Record<string, unknown>[]>(call(`/api/v1/sandboxes?id=${sandboxId}&id=nope`))
    expect(starting).toMatchObject({ id: sandboxId, status: 'STARTING', session_api_key: null, exposed_urls: null })
    at(100)
    const page = await json<{ items: Record<string, unknown>[]; next_page_id: null }>(call('/api/v1/sandboxes/search'))
    expect(page).toEqual({
      items: [
        {
          id: sandboxId,
          created_by_user_id: null,
          sandbox_spec_id: expect.any(String),
          status: 'RUNNING',
          session_api_key: expect.stringMatching(/^sk-oh-/),
          exposed_urls: [{ name: 'AGENT_SERVER', url: `${current().url}/agent/${sandboxId}`, port: 60000 }],
          created_at: '2025-06-01T00:00:00.000Z',
          status_detail: null
        }
      ],
      next_page_id: null
    })
    conforms()
  })
})
