// Keeps a test's names out of real DNS: every dns.lookup (the one Node's sockets
// use) of a name that is not loopback is recorded and failed, or answered from
// the test's own table of names.
import { jest } from '@jest/globals'
import dns, { type LookupAddress } from 'node:dns'
import { isIP } from 'node:net'

export interface DnsGuard {
  /** Names looked up that were neither loopback nor in the table: the test leaked them. */
  refused: string[]
  restore(): void
}

type Callback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** @param table names that resolve, each to 127.0.0.1 */
export function guardDns(table: string[] = []): DnsGuard {
  const refused: string[] = []
  const real = dns.lookup.bind(dns) as (hostname: string, options: dns.LookupOptions, callback: Callback) => void
  const spy = jest.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, maybeCallback?: Callback) => {
    const callback = (typeof options === 'function' ? options : maybeCallback) as Callback
    const lookupOptions: dns.LookupOptions = typeof options === 'object' && options !== null ? options : typeof options === 'number' ? { family: options } : {}
    if (hostname === 'localhost' || isIP(hostname) !== 0) return real(hostname, lookupOptions, callback)
    if (!table.includes(hostname)) {
      refused.push(hostname)
      const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (the test's DNS guard)`), { code: 'ENOTFOUND' })
      return process.nextTick(() => callback(error, ''))
    }
    process.nextTick(() => (lookupOptions.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)))
  }) as typeof dns.lookup)
  return { refused, restore: () => spy.mockRestore() }
}
