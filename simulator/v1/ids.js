import { randomBytes, randomUUID } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** 32 lowercase hex digits: how the app server prints conversation and task ids. */
export const hexId = () => randomBytes(16).toString('hex')

/** SDK event ids are UUIDs with dashes. */
export const eventId = () => randomUUID()

/** A sandbox id unlike a conversation id (≈22 base62 characters), so a client that mixes them up is caught. */
export function sandboxIdentifier() {
  let n = BigInt(`0x${randomBytes(16).toString('hex')}`)
  let text = ''
  while (text.length < 22) {
    text = BASE62[Number(n % 62n)] + text
    n /= 62n
  }
  return text
}

/** The sandbox's session key: random, and never derived from the account's key. */
export const sessionKey = () => `sk-oh-${randomBytes(24).toString('base64url')}`
