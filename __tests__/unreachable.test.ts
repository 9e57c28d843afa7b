// A wrong address fails fast, on real sockets: a refused loopback port, the real
// client and start loop, with a budget of a fraction of a second instead of 30 s.
import { describe, expect, it } from '@jest/globals'
import { createServer } from 'node:net'
import { systemClock } from '../src/clock.js'
import { explain } from '../src/explain.js'
import { OpenHandsClient } from '../src/openhands/client.js'
import { UnreachableError } from '../src/openhands/errors.js'
import { V0Protocol } from '../src/openhands/protocol.js'
import { startConversation } from '../src/start.js'

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  await new Promise((resolve) => server.close(resolve))
  return address.port
}

describe('an address that refuses connections', () => {
  it('fails within the budget, not the timeout, naming host and port and pointing at base-url and the proxy variables', async () => {
    const port = await closedPort()
    const baseUrl = `http://127.0.0.1:${port}`
    const client = new OpenHandsClient({ baseUrl, apiKey: 'k' })
    const said: string[] = []
    const began = Date.now()
    const error = await startConversation(
      new V0Protocol(client, () => {}),
      { message: 'Fix it' },
      {
        clock: systemClock,
        deadline: began + 3_600_000,
        policy: { baseMs: 20, maxMs: 100, random: () => 0.5, unreachableMs: 300 },
        info: (m) => said.push(m),
        debug: () => {}
      }
    ).catch((e: unknown) => e)
    // Only the 300 ms budget throws UnreachableError: the hour-long deadline would end in a StepTimeoutError.
    expect(error).toBeInstanceOf(UnreachableError)
    expect((error as Error).message).toContain(`127.0.0.1:${port}`)
    expect(said[0]).toMatch(/ECONNREFUSED.*trying again/)
    const text = explain(error, { started: false })
    expect(text).toContain(`Nothing accepts connections at 127.0.0.1:${port}`)
    expect(text).toMatch(/base-url.*HTTPS_PROXY, HTTP_PROXY and NO_PROXY/)
    expect(text).not.toMatch(/timeout/i)
  })
})
