// The committed bundle carries other people's code: dist/licenses.txt must give
// the license of every runtime package that has code (the lockfile's non-dev
// packages, types-only packages aside), with the package's own license text.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const licenses = readFileSync(join(root, 'dist/licenses.txt'), 'utf8')

interface LockedPackage {
  dev?: boolean
}

/** Package directories that ship code: a main file or an exports map (not types alone). */
function runtimePackages(): Array<{ dir: string; name: string; license: string }> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> }
  return Object.entries(lock.packages)
    .filter(([dir, entry]) => dir !== '' && entry.dev !== true)
    .map(([dir]) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Record<string, unknown> }))
    .filter(({ pkg }) => (typeof pkg.main === 'string' && pkg.main !== '') || pkg.exports !== undefined)
    .map(({ dir, pkg }) => ({ dir, name: String(pkg.name), license: String(pkg.license) }))
}

describe('dist/licenses.txt', () => {
  const packages = runtimePackages()

  it('knows the runtime packages it must cover', () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['@actions/core', '@actions/github', '@actions/http-client', 'undici', 'tunnel']))
  })

  it.each(packages)('gives $name its license and its text', ({ name, license }) => {
    expect(licenses).toContain(`${name}\n${license}\n`)
  })

  it('holds the Apache-2.0 text that before-after-hook requires be passed on', () => {
    expect(licenses).toMatch(/before-after-hook\nApache-2\.0\n\s*Apache License\s+Version 2\.0/)
  })
})
