// Recorded OpenHands answers, one JSON file per body the real server (or the
// vendor's page) gives: `{ note?, status, headers?, body | text }`. `body` is
// the JSON value sent (a bare string is sent as a JSON string, null as `null`);
// `text` is a body that is not JSON, sent as it is.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURE_DIR = fileURLToPath(new URL('.', import.meta.url))

export interface Fixture {
  name: string
  note?: string
  status: number
  headers: Record<string, string>
  /** Present (possibly null) unless `text` is. */
  body?: unknown
  text?: string
}

/** Every fixture's name, without `.json`, sorted. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort()
}

export function loadFixture(name: string): Fixture {
  const raw: unknown = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8'))
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${name}: not an object`)
  const record = raw as Record<string, unknown>
  const { status, headers = {}, note } = record
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) throw new Error(`${name}: bad status ${String(status)}`)
  if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw new Error(`${name}: headers must map names to strings`)
  }
  if (note !== undefined && typeof note !== 'string') throw new Error(`${name}: note must be a string`)
  const hasBody = 'body' in record
  const hasText = 'text' in record
  if (hasBody === hasText) throw new Error(`${name}: needs exactly one of body and text`)
  if (hasText && typeof record.text !== 'string') throw new Error(`${name}: text must be a string`)
  const fixture: Fixture = { name, status: status as number, headers: headers as Record<string, string> }
  if (note !== undefined) fixture.note = note
  if (hasBody) fixture.body = record.body
  else fixture.text = record.text as string
  return fixture
}

/** The bytes the server sends. */
export function payloadOf(fixture: Fixture): string {
  return fixture.text ?? JSON.stringify(fixture.body)
}

/** The headers the server sends: JSON bodies come as application/json unless the fixture says otherwise. */
export function headersOf(fixture: Fixture): Record<string, string> {
  const named = Object.keys(fixture.headers).some((name) => name.toLowerCase() === 'content-type')
  return named || fixture.text !== undefined ? { ...fixture.headers } : { 'Content-Type': 'application/json', ...fixture.headers }
}
