import { requestedRepository } from './shapes.js'
import { isActive } from './world.js'

/** @typedef {import('./world.js').World} World */
/** @typedef {import('./world.js').SandboxStatus} SandboxStatus */

const SETTABLE = ['PAUSED', 'RUNNING', 'ERROR', 'MISSING']

/**
 * The V1 part of `state()`: no keys, accounts only as opaque hashes.
 * `finished` says the agent's latest turn is over, whatever it ended in (`endStatus`).
 * @param {World} world
 */
export function v1Snapshot(world) {
  const conversations = world.conversations.map((c) => {
    const { repository, branch } = requestedRepository(c)
    const turn = c.turn
    const over = turn !== null && turn.endStatus !== null
    return {
      id: c.id,
      version: /** @type {const} */ ('V1'),
      status: c.sandbox.status,
      executionStatus: c.readyAt === null ? null : world.executionStatus(c),
      agentState: c.paused ? 'paused' : (turn?.endStatus ?? (c.readyAt === null ? 'loading' : 'running')),
      finished: over,
      endStatus: turn?.endStatus ?? null,
      title: world.title(c),
      createdAt: c.createdAt,
      readyAt: c.readyAt,
      stoppedAt: c.stoppedAt,
      sandboxId: c.sandbox.id,
      repository,
      branch,
      workMs: world.workMs(c),
      body: c.body
    }
  })
  const sandboxes = world.sandboxes.map((s) => ({
    id: s.id,
    status: s.status,
    conversationIds: s.conversations.map((c) => c.id),
    createdAt: s.createdAt,
    statusSince: s.statusSince,
    history: s.history.map((h) => ({ ...h }))
  }))
  /** @type {Record<string, number>} */
  const activeSandboxes = {}
  for (const s of world.sandboxes) activeSandboxes[s.account] = (activeSandboxes[s.account] ?? 0) + (isActive(s) ? 1 : 0)
  const startTasks = world.tasks.map((task) => ({
    id: task.id,
    status: world.progress(task).status,
    conversationId: task.conversation?.id ?? null,
    sandboxId: task.conversation?.sandbox.id ?? null,
    detail: task.error,
    createdAt: task.createdAt
  }))
  return { conversations, sandboxes, activeSandboxes, startTasks }
}

/**
 * `POST /_simulator/sandboxes/{id}/status` `{"status": "PAUSED" | "RUNNING" | "ERROR" | "MISSING"}`:
 * sets it now, whatever the limit; RUNNING is a resume that is over at once.
 * @param {World} world
 * @param {string} id
 * @param {string} raw
 * @returns {import('../send.js').Reply}
 */
export function setSandboxStatus(world, id, raw) {
  const sandbox = world.sandboxes.find((s) => s.id === id)
  if (!sandbox) return { statusCode: 404, body: { error: `no sandbox ${id}` } }
  /** @type {unknown} */
  let status
  try {
    status = JSON.parse(raw)?.status
  } catch {
    status = undefined
  }
  if (typeof status !== 'string' || !SETTABLE.includes(status)) {
    return { statusCode: 400, body: { error: `the body must be {"status": ${SETTABLE.map((s) => `"${s}"`).join(' | ')}}` } }
  }
  world.setStatus(sandbox, /** @type {SandboxStatus} */ (status), 'control')
  return { statusCode: 200, body: { status: 'ok', sandbox: { id: sandbox.id, status: sandbox.status } } }
}
