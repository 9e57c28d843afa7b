// A self-signed certificate made at test time with node:crypto alone, so the
// TLS tests need no fixture key in the repository and no openssl binary. Node can
// sign but not build an X.509 certificate, hence the few DER encoders below.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'

export interface SelfSigned {
  cert: string
  key: string
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts)
  const length = body.length < 0x80 ? Buffer.from([body.length]) : lengthBytes(body.length)
  return Buffer.concat([Buffer.from([tag]), length, body])
}

function lengthBytes(length: number): Buffer {
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

const sequence = (...parts: Buffer[]): Buffer => der(0x30, ...parts)

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number)
  const bytes = [40 * first + second]
  for (const arc of rest) {
    const digits = [arc & 0x7f]
    for (let value = arc >> 7; value > 0; value >>= 7) digits.unshift((value & 0x7f) | 0x80)
    bytes.push(...digits)
  }
  return der(0x06, Buffer.from(bytes))
}

const time = (date: Date): Buffer => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`))
const name = (commonName: string): Buffer => sequence(der(0x31, sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName)))))
const ECDSA_SHA256 = sequence(oid('1.2.840.10045.4.3.2'))

/** A certificate for `hosts` (its subjectAltName DNS names), valid from an hour ago for a day. */
export function selfSigned(hosts: string[]): SelfSigned {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const serial = randomBytes(8)
  serial[0] &= 0x7f
  const now = Date.now()
  const subjectAltName = sequence(oid('2.5.29.17'), der(0x04, sequence(...hosts.map((host) => der(0x82, Buffer.from(host))))))
  // CA:TRUE, so the certificate can be its own trust anchor.
  const basicConstraints = sequence(oid('2.5.29.19'), der(0x01, Buffer.from([0xff])), der(0x04, sequence(der(0x01, Buffer.from([0xff])))))
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ECDSA_SHA256,
    name(hosts[0]),
    sequence(time(new Date(now - 3_600_000)), time(new Date(now + 86_400_000))),
    name(hosts[0]),
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, sequence(subjectAltName, basicConstraints))
  )
  const signature = sign('sha256', tbs, privateKey)
  const certificate = sequence(tbs, ECDSA_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? []
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  }
}
