// Writes dist/licenses.txt: the license of every package whose code the bundle
// holds. ncc's own --license misses the packages webpack concatenates as ES
// modules (@actions/core, @octokit/*, undici, before-after-hook…), so the
// committed bundle carried MIT, ISC and Apache-2.0 code without its notices.
// The bundler's stats (ncc --stats-out) name every module it took in; each
// module's package directory gives the package's license and its text.
//
// Usage: node scripts/licenses.js <stats.json> <licenses.txt>   (the stats file is removed)
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [statsPath, outPath] = process.argv.slice(2)
if (!statsPath || !outPath) {
  console.error('usage: node scripts/licenses.js <stats.json> <licenses.txt>')
  process.exit(2)
}

/**
 * The package directory of a module path: up to its last node_modules/<name> (nested versions have their own).
 * @param {string} path
 * @returns {string | undefined}
 */
function packageDirOf(path) {
  const last = path.lastIndexOf('node_modules/')
  if (last < 0) return undefined
  const [scope, name] = path.slice(last + 'node_modules/'.length).split('/')
  return `${path.slice(0, last)}node_modules/${scope.startsWith('@') ? `${scope}/${name}` : scope}`
}

/**
 * Every module's path, nested (concatenated) modules included.
 * @typedef {{ name?: unknown, identifier?: unknown, modules?: StatsModule[] }} StatsModule
 * @param {{ modules?: StatsModule[], chunks?: Array<{ modules?: StatsModule[] }> }} stats
 * @returns {string[]}
 */
function modulePaths(stats) {
  /** @type {string[]} */
  const paths = []
  /** @param {StatsModule} module */
  const walk = (module) => {
    for (const value of [module.name, module.identifier]) if (typeof value === 'string') paths.push(value)
    for (const inner of module.modules ?? []) walk(inner)
  }
  for (const module of stats.modules ?? []) walk(module)
  for (const chunk of stats.chunks ?? []) for (const module of chunk.modules ?? []) walk(module)
  return paths
}

const stats = JSON.parse(readFileSync(statsPath, 'utf8'))
/** @type {Set<string>} */
const dirs = new Set()
for (const path of modulePaths(stats)) {
  // Identifiers may carry loaders before a `!`: the file is the last part.
  const file = (path.split('!').pop() ?? '').replace(/\\/g, '/')
  // Relative to the project: from its own node_modules on.
  const dir = packageDirOf(file.replace(/^.*?(?=node_modules\/)/, ''))
  if (dir !== undefined && existsSync(join(dir, 'package.json'))) dirs.add(dir)
}
if (dirs.size === 0) {
  console.error(`licenses: the stats in ${statsPath} name no package from node_modules`)
  process.exit(1)
}

/** @type {Set<string>} */
const entries = new Set()
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN')
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name))
  if (file === undefined) {
    console.error(`licenses: ${pkg.name} (${dir}) has no license file to ship with the bundle`)
    process.exit(1)
  }
  const text = readFileSync(join(dir, file), 'utf8').trim()
  // The same package twice (two versions) is listed twice only if its text differs.
  entries.add(`${pkg.name}\n${license}\n${text}`)
}

const body = [...entries].sort().join('\n\n')
writeFileSync(outPath, `${body}\n`)
rmSync(statsPath, { force: true })
console.log(`licenses: ${entries.size} package license(s) written to ${outPath}`)
