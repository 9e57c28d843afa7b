import { Buffer } from 'node:buffer'

/** @typedef {import('node:http').ServerResponse} Response */
/** @typedef {Record<string, string>} Headers */
/**
 * What a route decided to answer, before any fault gets a say in how it is sent.
 * @typedef {{ statusCode: number, body: unknown }} Reply
 */

/** The bytes each response was sent with, for onExchange: sendRaw is the only way an answer goes out whole. */
export const sentBodies = new WeakMap()

/**
 * The real server labels every answer, even broken ones, as JSON; clients must
 * not be able to tell a malformed body apart by its Content-Type.
 * @param {Response} res
 * @param {number} statusCode
 * @param {string | Buffer} payload
 * @param {Headers} [headers]
 */
export function sendRaw(res, statusCode, payload, headers = {}) {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  sentBodies.set(res, bytes)
  res.writeHead(statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': String(bytes.length),
    ...headers
  })
  res.end(bytes)
}

/**
 * @param {Response} res
 * @param {number} statusCode
 * @param {unknown} body
 * @param {Headers} [headers]
 */
export function sendJson(res, statusCode, body, headers) {
  sendRaw(res, statusCode, JSON.stringify(body), headers)
}
